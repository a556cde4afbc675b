import type { Plane } from './types.js';

/**
 * Gradient magnitude with 3×3 Sobel kernels, as skimage.filters.sobel:
 * √((Gx² + Gy²) / 2) with the kernels scaled by 1/4 and edges reflected (mode 'reflect').
 */
export function sobel(plane: Plane): Plane<Float64Array> {
  const { width, height, data } = plane;
  const out = new Float64Array(width * height);
  // scipy 'reflect' (half-sample symmetric): index −1 reads 0 and index n reads n − 1.
  const clampX = (x: number): number => (x < 0 ? 0 : x >= width ? width - 1 : x);
  const clampY = (y: number): number => (y < 0 ? 0 : y >= height ? height - 1 : y);
  for (let y = 0; y < height; y++) {
    const up = clampY(y - 1) * width;
    const mid = y * width;
    const down = clampY(y + 1) * width;
    for (let x = 0; x < width; x++) {
      const l = clampX(x - 1);
      const r = clampX(x + 1);
      const gx =
        data[up + r] +
        2 * data[mid + r] +
        data[down + r] -
        data[up + l] -
        2 * data[mid + l] -
        data[down + l];
      const gy =
        data[down + l] +
        2 * data[down + x] +
        data[down + r] -
        data[up + l] -
        2 * data[up + x] -
        data[up + r];
      out[mid + x] = Math.sqrt(((gx / 4) ** 2 + (gy / 4) ** 2) / 2);
    }
  }
  return { width, height, data: out };
}
