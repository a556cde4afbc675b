import { InvalidArgumentError } from '../errors.js';
import { dtypeOf, integerRange, isIntegerDtype } from './dtype.js';
import { numpyExp64, pairwiseSum64 } from './numpy-float.js';
import type { PixelArray, Plane } from './types.js';

/**
 * How a filter sees pixels beyond the border, by scipy.ndimage's names (for `abcd`):
 * `reflect` dcba|abcd|dcba, `mirror` dcb|abcd|cba, `nearest` aaa|abcd|ddd, `wrap` abcd|abcd|abcd,
 * `constant` kkk|abcd|kkk with k = `cval`.
 */
export type BoundaryMode = 'reflect' | 'constant' | 'nearest' | 'mirror' | 'wrap';

export const BOUNDARY_MODES: readonly BoundaryMode[] = [
  'reflect',
  'constant',
  'nearest',
  'mirror',
  'wrap',
];

/**
 * The index inside [0, n) that position `i` of a line of length `n` reads under `mode`, for any
 * `i` (extensions longer than the line repeat, as scipy.ndimage's line buffers do); −1 for
 * `constant` outside the line.
 */
export function boundaryIndex(i: number, n: number, mode: BoundaryMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      const period = 2 * n;
      const k = ((i % period) + period) % period;
      return k < n ? k : period - 1 - k;
    }
    case 'mirror': {
      if (n === 1) return 0;
      const period = 2 * n - 2;
      const k = ((i % period) + period) % period;
      return k < n ? k : period - k;
    }
  }
}

export interface GaussianFilterOptions {
  /** Standard deviation in pixels, or `[sigmaRow, sigmaCol]`; 0 leaves that axis alone. */
  sigma: number | readonly [number, number];
  /** The kernel reaches `int(truncate · sigma + 0.5)` pixels each side. @default 4 */
  truncate?: number;
  /**
   * Keep integer pixel values as they are. When false an integer image is first scaled to
   * [0, 1] (signed: [−1, 1]) by multiplying with 1 / dtype maximum, as skimage's `img_as_float`.
   * Float images are never scaled. @default false
   */
  preserveRange?: boolean;
  /** Pixels beyond the border. @default 'nearest' */
  mode?: BoundaryMode;
  /** The value beyond the border for mode `constant` (after any scaling). @default 0 */
  cval?: number;
}

/**
 * Gaussian smoothing as `skimage.filters.gaussian` (0.19.3) over
 * `scipy.ndimage.gaussian_filter` (1.10): a separable correlation, rows (axis 0) first, with
 * scipy's kernel (`exp(−x²/2σ²)` normalised by its NumPy sum) and scipy's summation order.
 * Integer images give float64 (scaled unless `preserveRange`), float64 stays float64, and
 * float32 stays float32 with the intermediate image rounded to float32 as scipy does. The
 * kernel uses NumPy's own `exp` (SVML on x86-64 AVX-512), so results match scipy to the bit.
 * For RGB filter each channel plane (skimage's `channel_axis=-1`).
 */
export function gaussianFilter(
  plane: Plane<Float32Array>,
  options: GaussianFilterOptions,
): Plane<Float32Array>;
export function gaussianFilter(
  plane: Plane<Exclude<PixelArray, Float32Array>>,
  options: GaussianFilterOptions,
): Plane<Float64Array>;
export function gaussianFilter(
  plane: Plane,
  options: GaussianFilterOptions,
): Plane<Float32Array> | Plane<Float64Array>;
export function gaussianFilter(
  plane: Plane,
  options: GaussianFilterOptions,
): Plane<Float32Array> | Plane<Float64Array> {
  const { width, height } = plane;
  const [sigmaRow, sigmaCol] =
    typeof options.sigma === 'number' ? [options.sigma, options.sigma] : options.sigma;
  const truncate = options.truncate ?? 4;
  const mode = options.mode ?? 'nearest';
  const cval = options.cval ?? 0;
  for (const s of [sigmaRow, sigmaCol]) {
    if (!(s >= 0) || !Number.isFinite(s)) {
      throw new InvalidArgumentError(`sigma must be a finite number >= 0, got ${s}`);
    }
  }
  if (!(truncate >= 0) || !Number.isFinite(truncate)) {
    throw new InvalidArgumentError(`truncate must be a finite number >= 0, got ${truncate}`);
  }
  if (!BOUNDARY_MODES.includes(mode)) {
    throw new InvalidArgumentError(`unknown boundary mode ${String(mode)}`);
  }
  // One float64 work image, filtered in place (one code path for the JIT, one allocation); a
  // float32 image is rounded to float32 after each pass, as scipy's float32 output array is.
  const float32 = plane.data instanceof Float32Array;
  const work = asFloat64(plane.data, options.preserveRange ?? false);
  // scipy skips an axis whose sigma is (nearly) zero.
  if (sigmaRow > 1e-15 && height > 0) {
    const kernel = gaussianKernel(sigmaRow, Math.trunc(truncate * sigmaRow + 0.5));
    correlateColumns(work, width, height, kernel, mode, cval, float32);
  }
  if (sigmaCol > 1e-15 && width > 0) {
    const kernel = gaussianKernel(sigmaCol, Math.trunc(truncate * sigmaCol + 0.5));
    correlateRows(work, width, height, kernel, mode, cval, float32);
  }
  return float32 ? { width, height, data: Float32Array.from(work) } : { width, height, data: work };
}

/**
 * skimage's `convert_to_float` as a new float64 array: float values as they are, integers as
 * float64, scaled by `img_as_float` unless `preserveRange`.
 */
function asFloat64(data: PixelArray, preserveRange: boolean): Float64Array {
  const out = Float64Array.from(data);
  const dtype = dtypeOf(data);
  if (preserveRange || !isIntegerDtype(dtype)) return out;
  // skimage.util.img_as_float multiplies by the reciprocal of the maximum; signed clips at -1.
  const [low, high] = integerRange(dtype);
  const scale = 1 / high;
  for (let i = 0; i < out.length; i++) out[i] *= scale;
  if (low < 0) for (let i = 0; i < out.length; i++) if (out[i] < -1) out[i] = -1;
  return out;
}

/**
 * Correlation along axis 0 (down each column), in place, in scipy's symmetric-kernel order: the
 * centre product first, then the pairs from the outermost inwards; a whole row is accumulated
 * one kernel tap at a time. Rows above the current one are read from copies of their original
 * values: the last `radius` rows (every row a non-wrap mode can reach lies within `radius`), or
 * all rows for `wrap`.
 */
function correlateColumns(
  work: Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
  mode: BoundaryMode,
  cval: number,
  toFloat32: boolean,
): void {
  const radius = (kernel.length - 1) / 2;
  const centre = kernel[radius];
  const wholeCopy = mode === 'wrap';
  const saved = wholeCopy ? work.slice() : new Float64Array(radius * width);
  const savedOffset = (k: number): number => (wholeCopy ? k : k % radius) * width;
  const acc = new Float64Array(width);
  const constant = new Float64Array(width).fill(cval);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) acc[x] = work[row + x] * centre;
    for (let j = radius; j >= 1; j--) {
      const w = kernel[radius - j];
      const above = boundaryIndex(y - j, height, mode);
      const below = boundaryIndex(y + j, height, mode);
      const [a, aOffset] =
        above < 0 ? [constant, 0] : above < y ? [saved, savedOffset(above)] : [work, above * width];
      const [b, bOffset] =
        below < 0 ? [constant, 0] : below < y ? [saved, savedOffset(below)] : [work, below * width];
      for (let x = 0; x < width; x++) acc[x] += (a[aOffset + x] + b[bOffset + x]) * w;
    }
    if (!wholeCopy && radius > 0) saved.set(work.subarray(row, row + width), savedOffset(y));
    if (toFloat32) for (let x = 0; x < width; x++) work[row + x] = Math.fround(acc[x]);
    else work.set(acc, row);
  }
}

/**
 * Correlation along axis 1 (each row), in place, through a line buffer extended by `mode`, in
 * the same order as {@link correlateColumns}.
 */
function correlateRows(
  work: Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
  mode: BoundaryMode,
  cval: number,
  toFloat32: boolean,
): void {
  const radius = (kernel.length - 1) / 2;
  const centre = kernel[radius];
  const line = new Float64Array(width + 2 * radius);
  const acc = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    line.set(work.subarray(row, row + width), radius);
    for (let i = 1; i <= radius; i++) {
      const before = boundaryIndex(-i, width, mode);
      const after = boundaryIndex(width - 1 + i, width, mode);
      line[radius - i] = before >= 0 ? work[row + before] : cval;
      line[radius + width - 1 + i] = after >= 0 ? work[row + after] : cval;
    }
    for (let x = 0; x < width; x++) acc[x] = line[x + radius] * centre;
    for (let j = radius; j >= 1; j--) {
      const w = kernel[radius - j];
      const left = radius - j;
      const right = radius + j;
      for (let x = 0; x < width; x++) acc[x] += (line[left + x] + line[right + x]) * w;
    }
    if (toFloat32) for (let x = 0; x < width; x++) work[row + x] = Math.fround(acc[x]);
    else work.set(acc, row);
  }
}

/**
 * scipy.ndimage's `_gaussian_kernel1d(sigma, 0, radius)`: `exp(-0.5 / sigma² · x²)` for
 * x = −radius…radius, divided by its NumPy (pairwise) sum.
 */
function gaussianKernel(sigma: number, radius: number): Float64Array {
  const kernel = new Float64Array(2 * radius + 1);
  const factor = -0.5 / (sigma * sigma);
  for (let x = -radius; x <= radius; x++) kernel[x + radius] = numpyExp64(factor * (x * x));
  const sum = pairwiseSum64(kernel, 0, kernel.length);
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  return kernel;
}
