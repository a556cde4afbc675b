/**
 * Smooth random textures and optics for the synthetic images: value noise on an integer lattice
 * (deterministic for a seed, evaluated at any point), a small Gaussian blur standing in for the
 * microscope's point-spread function, and a chamfer distance to label borders.
 */

/**
 * Smooth 2-D value noise with lattice spacing 1: random values in [-1, 1] at integer points,
 * joined with smoothstep interpolation. Scale the coordinates to set the grain size.
 */
export function valueNoise(seed: number): (x: number, y: number) => number {
  const salt = Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x85ebca6b;
  const lattice = (ix: number, iy: number): number => {
    let h = Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ salt;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
    h ^= h >>> 15;
    return ((h >>> 0) / 4294967295) * 2 - 1;
  };
  return (x, y) => {
    const ix = Math.floor(x);
    const iy = Math.floor(y);
    const fx = x - ix;
    const fy = y - iy;
    const u = fx * fx * (3 - 2 * fx);
    const v = fy * fy * (3 - 2 * fy);
    const a = lattice(ix, iy);
    const b = lattice(ix + 1, iy);
    const c = lattice(ix, iy + 1);
    const d = lattice(ix + 1, iy + 1);
    return a + (b - a) * u + (c - a) * v + (a - b - c + d) * u * v;
  };
}

/** Separable Gaussian blur in place (edges clamped), for a point-spread function of σ px. */
export function blurInPlace(
  data: Float32Array,
  width: number,
  height: number,
  sigma: number,
): void {
  if (!(sigma > 0)) return;
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) {
    kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
    total += kernel[k + radius];
  }
  for (let k = 0; k < kernel.length; k++) kernel[k] /= total;
  const line = new Float32Array(Math.max(width, height));
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) line[x] = data[row + x];
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
        sum += kernel[k + radius] * line[xx];
      }
      data[row + x] = sum;
    }
  }
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = data[y * width + x];
    for (let y = 0; y < height; y++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
        sum += kernel[k + radius] * line[yy];
      }
      data[y * width + x] = sum;
    }
  }
}

/**
 * Approximate distance (px, 3-4 chamfer) from every labelled pixel to the border of its label:
 * 0 on pixels whose 4-neighbour holds another label or background, growing inwards. The image
 * edge is not a border (a cell cut by the frame has no edge there). Background gets 0.
 */
export function distanceToLabelBorder(
  labels: Uint32Array,
  width: number,
  height: number,
): Float32Array {
  const far = 1e6;
  const d = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const l = labels[i];
      const border =
        l === 0 ||
        (x > 0 && labels[i - 1] !== l) ||
        (x < width - 1 && labels[i + 1] !== l) ||
        (y > 0 && labels[i - width] !== l) ||
        (y < height - 1 && labels[i + width] !== l);
      d[i] = border ? 0 : far;
    }
  }
  const step = (i: number, j: number, cost: number, value: number): number =>
    labels[j] === labels[i] && d[j] + cost < value ? d[j] + cost : value;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let v = d[i];
      if (v === 0) continue;
      if (x > 0) v = step(i, i - 1, 3, v);
      if (y > 0) {
        v = step(i, i - width, 3, v);
        if (x > 0) v = step(i, i - width - 1, 4, v);
        if (x < width - 1) v = step(i, i - width + 1, 4, v);
      }
      d[i] = v;
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      let v = d[i];
      if (v === 0) continue;
      if (x < width - 1) v = step(i, i + 1, 3, v);
      if (y < height - 1) {
        v = step(i, i + width, 3, v);
        if (x < width - 1) v = step(i, i + width + 1, 4, v);
        if (x > 0) v = step(i, i + width - 1, 4, v);
      }
      d[i] = v;
    }
  }
  for (let i = 0; i < d.length; i++) d[i] = d[i] >= far ? 0 : d[i] / 3;
  return d;
}

/** Camera offset, gain (digital units per photon) and read noise σ. */
export interface Camera {
  offset: number;
  gain: number;
  readNoise: number;
}

/**
 * One uint16 camera reading of a clean signal: shot noise of variance `gain · signal` (Poisson
 * statistics), then the offset and Gaussian read noise, rounded and clipped to 0–65535.
 */
export function cameraReading(signal: number, camera: Camera, normal: () => number): number {
  const { offset, gain, readNoise } = camera;
  const shot = gain > 0 && signal > 0 ? Math.sqrt(gain * signal) * normal() : 0;
  const value = offset + Math.max(0, signal + shot) + readNoise * normal();
  return Math.max(0, Math.min(65535, Math.round(value)));
}
