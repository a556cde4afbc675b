import type { CellProbability } from './types.js';

/** NumPy compares a float32 array with a Python float in float32 (value-based casting). */
export function foregroundThreshold(threshold: number): number {
  const single = Math.fround(threshold);
  return Number.isFinite(single) || !Number.isFinite(threshold) ? single : threshold;
}

/** Raster indices of the pixels with `cellprob > threshold`. */
export function foregroundPixels(cellprob: CellProbability, threshold: number): Uint32Array {
  const t = foregroundThreshold(threshold);
  const data = cellprob.data;
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > t) count++;
  const pixels = new Uint32Array(count);
  for (let i = 0, k = 0; i < data.length; i++) if (data[i] > t) pixels[k++] = i;
  return pixels;
}
