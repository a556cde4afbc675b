import { InvalidArgumentError } from '../../errors.js';
import {
  BOUNDARY_MODES,
  boundaryIndex,
  gaussianFilter,
  type BoundaryMode,
} from '../../image/gaussian.js';
import type { Plane } from '../../image/types.js';

export type LocalThresholdMethod = 'gaussian' | 'mean' | 'median';

export interface LocalThresholdOptions {
  /** Odd side of the neighbourhood in pixels, or `[rows, cols]`. */
  blockSize: number | readonly [number, number];
  /**
   * `gaussian`: Gaussian-weighted mean with σ = (blockSize − 1) / 6; `mean`: mean over the
   * block; `median`: median over the block. @default 'gaussian'
   */
  method?: LocalThresholdMethod;
  /** Subtracted from the local statistic. @default 0 */
  offset?: number;
  /** Pixels beyond the border (scipy.ndimage names). @default 'reflect' */
  mode?: BoundaryMode;
  /** The value beyond the border for mode `constant`. @default 0 */
  cval?: number;
  /** σ of the `gaussian` method instead of (blockSize − 1) / 6 (skimage's `param`). */
  sigma?: number | readonly [number, number];
}

/**
 * The threshold image of `skimage.filters.threshold_local` (0.19.3): for every pixel a local
 * statistic of its `blockSize` neighbourhood minus `offset`; foreground is
 * `pixel > threshold[pixel]`. The statistic is computed as scipy.ndimage does it:
 * `gaussian_filter` (truncate 4), `uniform_filter` (running sums: constant time per pixel
 * whatever the block size) or `median_filter`, in float64.
 *
 * Integer and float64 images give skimage's numbers to the bit. skimage keeps a float32 image in
 * float32; this always returns float64, which differs from skimage's float32 by float32 rounding.
 */
export function thresholdLocal(plane: Plane, options: LocalThresholdOptions): Plane<Float64Array> {
  const { width, height } = plane;
  const [blockRows, blockCols] =
    typeof options.blockSize === 'number'
      ? [options.blockSize, options.blockSize]
      : options.blockSize;
  for (const b of [blockRows, blockCols]) {
    if (!Number.isInteger(b) || b < 1 || b % 2 === 0) {
      throw new InvalidArgumentError(`blockSize must be an odd positive integer, got ${b}`);
    }
  }
  const method = options.method ?? 'gaussian';
  const mode = options.mode ?? 'reflect';
  const cval = options.cval ?? 0;
  const offset = options.offset ?? 0;
  if (!BOUNDARY_MODES.includes(mode)) {
    throw new InvalidArgumentError(`unknown boundary mode ${String(mode)}`);
  }
  const image = Float64Array.from(plane.data);
  let local: Float64Array;
  switch (method) {
    case 'gaussian': {
      const sigma = options.sigma ?? [(blockRows - 1) / 6, (blockCols - 1) / 6];
      const source = { width, height, data: image };
      local = gaussianFilter(source, { sigma, mode, cval, preserveRange: true }).data;
      break;
    }
    case 'mean':
      local = uniformFilter(image, width, height, blockRows, blockCols, mode, cval);
      break;
    case 'median':
      local = medianFilter(image, width, height, blockRows, blockCols, mode, cval);
      break;
    default:
      throw new InvalidArgumentError(
        `unknown local threshold method ${String(method)}; expected gaussian, mean or median`,
      );
  }
  for (let i = 0; i < local.length; i++) local[i] -= offset;
  return { width, height, data: local };
}

/**
 * scipy.ndimage.uniform_filter (1.10): per axis (rows first) a running sum over the extended
 * line, updated by `+ entering − leaving` and divided by the size for each output, in that order,
 * so the floating-point result is scipy's.
 */
function uniformFilter(
  image: Float64Array,
  width: number,
  height: number,
  blockRows: number,
  blockCols: number,
  mode: BoundaryMode,
  cval: number,
): Float64Array {
  const out = Float64Array.from(image);
  if (width === 0 || height === 0) return out;
  if (blockRows > 1) {
    const half = Math.floor(blockRows / 2);
    const sum = new Float64Array(width);
    const source = Float64Array.from(out);
    const rowAt = (y: number): number => boundaryIndex(y, height, mode);
    const read = (row: number, x: number): number => (row >= 0 ? source[row * width + x] : cval);
    for (let k = 0; k < blockRows; k++) {
      const row = rowAt(k - half);
      for (let x = 0; x < width; x++) sum[x] += read(row, x);
    }
    for (let x = 0; x < width; x++) out[x] = sum[x] / blockRows;
    for (let y = 1; y < height; y++) {
      const entering = rowAt(y + blockRows - 1 - half);
      const leaving = rowAt(y - 1 - half);
      for (let x = 0; x < width; x++) {
        sum[x] += read(entering, x) - read(leaving, x);
        out[y * width + x] = sum[x] / blockRows;
      }
    }
  }
  if (blockCols > 1) {
    const half = Math.floor(blockCols / 2);
    const line = new Float64Array(width + blockCols - 1);
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let i = 0; i < line.length; i++) {
        const k = boundaryIndex(i - half, width, mode);
        line[i] = k >= 0 ? out[row + k] : cval;
      }
      let sum = 0;
      for (let k = 0; k < blockCols; k++) sum += line[k];
      out[row] = sum / blockCols;
      for (let x = 1; x < width; x++) {
        sum += line[x + blockCols - 1] - line[x - 1];
        out[row + x] = sum / blockCols;
      }
    }
  }
  return out;
}

/**
 * scipy.ndimage.median_filter with a full `blockRows × blockCols` footprint: the middle value
 * of each window (the count is odd). Huang's sliding window over value ranks, moving in a snake
 * so each step swaps one row or column of the window, with a two-level histogram for the
 * median: O(block side + √distinct values) per pixel. NaN ranks above every number.
 */
function medianFilter(
  image: Float64Array,
  width: number,
  height: number,
  blockRows: number,
  blockCols: number,
  mode: BoundaryMode,
  cval: number,
): Float64Array {
  const out = new Float64Array(width * height);
  if (out.length === 0) return out;
  const levels = distinctSorted(mode === 'constant' ? [image, [cval]] : [image]);
  const rankOf = (v: number): number => {
    if (v !== v) return levels.length - 1;
    let lo = 0;
    let hi = levels.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (levels[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // The image extended by the mode, as ranks.
  const halfRows = Math.floor(blockRows / 2);
  const halfCols = Math.floor(blockCols / 2);
  const paddedWidth = width + blockCols - 1;
  const paddedHeight = height + blockRows - 1;
  const imageRanks = Int32Array.from(image, rankOf);
  const cvalRank = mode === 'constant' ? rankOf(cval) : 0;
  const ranks = new Int32Array(paddedWidth * paddedHeight);
  for (let py = 0; py < paddedHeight; py++) {
    const y = boundaryIndex(py - halfRows, height, mode);
    for (let px = 0; px < paddedWidth; px++) {
      const x = boundaryIndex(px - halfCols, width, mode);
      ranks[py * paddedWidth + px] = y >= 0 && x >= 0 ? imageRanks[y * width + x] : cvalRank;
    }
  }
  // Window histogram: counts per rank, and per block of 2^shift ranks.
  let shift = 0;
  while (2 ** (2 * shift) < levels.length) shift++;
  const fine = new Int32Array(levels.length);
  const coarse = new Int32Array((levels.length >> shift) + 1);
  const target = Math.floor((blockRows * blockCols) / 2);
  const update = (index: number, delta: number): void => {
    const rank = ranks[index];
    fine[rank] += delta;
    coarse[rank >> shift] += delta;
  };
  const column = (px: number, py: number, delta: number): void => {
    for (let k = 0; k < blockRows; k++) update((py + k) * paddedWidth + px, delta);
  };
  const row = (py: number, px: number, delta: number): void => {
    for (let k = 0; k < blockCols; k++) update(py * paddedWidth + px + k, delta);
  };
  const median = (): number => {
    let seen = 0;
    let block = 0;
    while (seen + coarse[block] <= target) seen += coarse[block++];
    let rank = block << shift;
    while (seen + fine[rank] <= target) seen += fine[rank++];
    return levels[rank];
  };
  for (let k = 0; k < blockRows; k++) row(k, 0, 1);
  for (let y = 0; y < height; y++) {
    const rightward = y % 2 === 0;
    for (let step = 0; step < width; step++) {
      const x = rightward ? step : width - 1 - step;
      out[y * width + x] = median();
      if (step === width - 1) break;
      if (rightward) {
        column(x, y, -1);
        column(x + blockCols, y, 1);
      } else {
        column(x + blockCols - 1, y, -1);
        column(x - 1, y, 1);
      }
    }
    if (y === height - 1) break;
    const x = rightward ? width - 1 : 0;
    row(y, x, -1);
    row(y + blockRows, x, 1);
  }
  return out;
}

/** The distinct values of the arrays in ascending order, NaN (if any) last. */
function distinctSorted(parts: ArrayLike<number>[]): Float64Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const values = new Float64Array(total);
  let k = 0;
  for (const part of parts) for (let i = 0; i < part.length; i++) values[k++] = part[i];
  values.sort();
  let distinct = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const previous = values[distinct - 1];
    if (distinct === 0 || (v !== previous && (v === v || previous === previous))) {
      values[distinct++] = v;
    }
  }
  return values.slice(0, distinct);
}
