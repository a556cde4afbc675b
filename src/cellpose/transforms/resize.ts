import { InvalidArgumentError } from '../../errors.js';
import type { Float32Plane } from './types.js';

export interface ResizeSize {
  /** Output rows (a positive integer). */
  height: number;
  /** Output columns (a positive integer). */
  width: number;
}

/**
 * Bilinear resize of a float32 plane, reproducing OpenCV 4.x `cv2.resize(INTER_LINEAR)` bit for
 * bit, as Cellpose's `transforms.resize_image` calls it on multi-channel float32 images:
 *
 * - source coordinate `f = float32((d + 0.5)·(src/dst) − 0.5)`, weights `w = float32(f − ⌊f⌋)`
 *   and `1 − w` in float32;
 * - columns first: outside the image the column index is clamped and its weight set to 0; rows
 *   second: both source rows are clamped to the image but the weight is kept, so a border row
 *   blends a row with itself; every product and sum is rounded to float32;
 * - an exact 2× reduction on both axes (`src = 2·dst`) switches to OpenCV's fast area mode:
 *   `(((a + b) + c) + d)·0.25` over each 2×2 block, in float32 (the order OpenCV uses for 2- and
 *   3-channel images, which is what Cellpose resizes).
 *
 * No antialiasing when shrinking. The same size returns a copy.
 *
 * @throws InvalidArgumentError for an empty plane or a target size that is not a positive integer.
 */
export function resizeLinear(plane: Float32Plane, size: ResizeSize): Float32Plane {
  const { height, width } = size;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new InvalidArgumentError(
      `resize target must be positive integers, got ${height} × ${width} (height × width)`,
    );
  }
  if (plane.width < 1 || plane.height < 1) {
    throw new InvalidArgumentError(`cannot resize an empty ${plane.height} × ${plane.width} plane`);
  }
  const data = resizeLinearData(plane.data, plane.height, plane.width, height, width);
  return { width, height, data };
}

/**
 * The size Cellpose resizes an image to for a scale factor: `int(L·rescale)` per axis (Python
 * truncation toward zero, as `transforms.resize_image(rsz=…)` and `core.run_net` compute it).
 */
export function rescaledSize(height: number, width: number, rescale: number): ResizeSize {
  return { height: Math.trunc(height * rescale), width: Math.trunc(width * rescale) };
}

/**
 * The OpenCV INTER_LINEAR recipe on raw row-major data. Float32 input computes in float32 (as
 * `cv2` on float32); float64 input computes in float64 with float32 weights (OpenCV's
 * `HResizeLinear<double, double, float>`), which Cellpose's tile normalisation uses.
 */
export function resizeLinearData<T extends Float32Array | Float64Array>(
  src: T,
  srcHeight: number,
  srcWidth: number,
  dstHeight: number,
  dstWidth: number,
): T {
  const float32 = src instanceof Float32Array;
  const round = float32 ? Math.fround : (x: number) => x;
  const out = (
    float32 ? new Float32Array(dstHeight * dstWidth) : new Float64Array(dstHeight * dstWidth)
  ) as T;
  if (srcHeight === dstHeight && srcWidth === dstWidth) {
    out.set(src);
    return out;
  }
  // cv::resize: inverse scale from the sizes, then its reciprocal, both in double.
  const scaleX = 1 / (dstWidth / srcWidth);
  const scaleY = 1 / (dstHeight / srcHeight);
  if (isExactTwo(scaleX) && isExactTwo(scaleY)) {
    // cv::hal::resize turns INTER_LINEAR into fast INTER_AREA for an exact 2× reduction.
    for (let dy = 0; dy < dstHeight; dy++) {
      const row0 = 2 * dy * srcWidth;
      const row1 = row0 + srcWidth;
      for (let dx = 0; dx < dstWidth; dx++) {
        const sx = 2 * dx;
        const sum = round(
          round(round(src[row0 + sx] + src[row0 + sx + 1]) + src[row1 + sx]) + src[row1 + sx + 1],
        );
        out[dy * dstWidth + dx] = round(round(0 + sum) * 0.25);
      }
    }
    return out;
  }

  // Horizontal pass over every source row: column offsets and float32 weights.
  const xofs = new Int32Array(dstWidth);
  const alpha0 = new Float32Array(dstWidth);
  const alpha1 = new Float32Array(dstWidth);
  let xmax = dstWidth;
  for (let dx = 0; dx < dstWidth; dx++) {
    let fx = Math.fround((dx + 0.5) * scaleX - 0.5);
    let sx = Math.floor(fx);
    fx = Math.fround(fx - sx);
    if (sx < 0) {
      fx = 0;
      sx = 0;
    }
    if (sx + 1 >= srcWidth) {
      xmax = Math.min(xmax, dx);
      if (sx >= srcWidth - 1) {
        fx = 0;
        sx = srcWidth - 1;
      }
    }
    xofs[dx] = sx;
    alpha0[dx] = Math.fround(1 - fx);
    alpha1[dx] = fx;
  }
  const rows = float32
    ? new Float32Array(srcHeight * dstWidth)
    : new Float64Array(srcHeight * dstWidth);
  const fround = Math.fround;
  for (let y = 0; y < srcHeight; y++) {
    const s = y * srcWidth;
    const d = y * dstWidth;
    let dx = 0;
    // float32 spelled out: a call through `round` would not be inlined (3–4× slower).
    if (float32) {
      for (; dx < xmax; dx++) {
        const sx = s + xofs[dx];
        rows[d + dx] = fround(fround(src[sx] * alpha0[dx]) + fround(src[sx + 1] * alpha1[dx]));
      }
    }
    for (; dx < xmax; dx++) {
      const sx = s + xofs[dx];
      rows[d + dx] = round(round(src[sx] * alpha0[dx]) + round(src[sx + 1] * alpha1[dx]));
    }
    // HResizeLinear: past the last full pair the source column is copied.
    for (; dx < dstWidth; dx++) rows[d + dx] = src[s + xofs[dx]];
  }

  // Vertical pass: rows clamped to the image, weights never reset (VResizeLinear).
  for (let dy = 0; dy < dstHeight; dy++) {
    let fy = Math.fround((dy + 0.5) * scaleY - 0.5);
    const sy = Math.floor(fy);
    fy = Math.fround(fy - sy);
    const beta0 = Math.fround(1 - fy);
    const r0 = Math.min(Math.max(sy, 0), srcHeight - 1) * dstWidth;
    const r1 = Math.min(Math.max(sy + 1, 0), srcHeight - 1) * dstWidth;
    const d = dy * dstWidth;
    if (float32) {
      for (let x = 0; x < dstWidth; x++) {
        out[d + x] = fround(fround(rows[r0 + x] * beta0) + fround(rows[r1 + x] * fy));
      }
      continue;
    }
    for (let x = 0; x < dstWidth; x++) {
      out[d + x] = round(round(rows[r0 + x] * beta0) + round(rows[r1 + x] * fy));
    }
  }
  return out;
}

/** OpenCV's `is_area_fast && iscale == 2` test: the scale is within DBL_EPSILON of 2. */
function isExactTwo(scale: number): boolean {
  return Math.abs(scale - 2) < Number.EPSILON;
}
