import { InvalidArgumentError } from '../errors.js';
import { dtypeOf, integerRange, isIntegerDtype } from './dtype.js';
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
  for (let x = -radius; x <= radius; x++) kernel[x + radius] = numpyExp(factor * (x * x));
  const sum = pairwiseSum(kernel, 0, kernel.length);
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  return kernel;
}

/** NumPy 1.24's float64 pairwise sum (loops_utils.h.src: 8 accumulators, blocks of 128). */
function pairwiseSum(values: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += values[start + i];
    return res;
  }
  if (n <= 128) {
    const r = values.slice(start, start + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] += values[start + i + k];
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += values[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(values, start, n2) + pairwiseSum(values, start + n2, n - n2);
}

// ---------------------------------------------------------------------------------------------
// NumPy 1.24's float64 `exp` on AVX-512 CPUs: Intel SVML's `__svml_exp8` (numpy/SVML,
// svml_z0_exp_d_la.s, BSD-3-Clause; the constants are that routine's). N = x·log2(e) rounded
// toward zero to 1/16, exp(x) = 2^floor(N) · 2^(frac N) · exp(r) with a degree-6 polynomial.

const scratch = new DataView(new ArrayBuffer(8));
const fromBits = (bits: bigint): number => {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
};
/** 2^(j/16), j = 0…15, as SVML stores them (`2 ** (j / 16)` in V8 is off by one ulp twice). */
const EXP_TABLE = [
  0x3ff0000000000000n,
  0x3ff0b5586cf9890fn,
  0x3ff172b83c7d517bn,
  0x3ff2387a6e756238n,
  0x3ff306fe0a31b715n,
  0x3ff3dea64c123422n,
  0x3ff4bfdad5362a27n,
  0x3ff5ab07dd485429n,
  0x3ff6a09e667f3bcdn,
  0x3ff7a11473eb0187n,
  0x3ff8ace5422aa0dbn,
  0x3ff9c49182a3f090n,
  0x3ffae89f995ad3adn,
  0x3ffc199bdd85529cn,
  0x3ffd5818dcfba487n,
  0x3ffea4afa2a490dan,
].map(fromBits);
const EXP = {
  log2e: fromBits(0x3ff71547652b82fen),
  shifter: fromBits(0x42f8000000003ff0n),
  ln2Hi: fromBits(0x3fe62e42fefa39efn),
  ln2Lo: fromBits(0x3c7abc9e3b39803fn),
  c6: fromBits(0x3f572eb5ef0d213dn),
  c5: fromBits(0x3f81106603d97c00n),
  c4: fromBits(0x3fa555564bb4f5f0n),
  c3: fromBits(0x3fc5555554b508a2n),
  c2: fromBits(0x3fe0000000002622n),
  /** Beyond this |x| SVML takes its slow path (overflow/underflow); `Math.exp` stands in. */
  limit: fromBits(0x40861da04cbafe44n),
};

function numpyExp(x: number): number {
  if (!(Math.abs(x) < EXP.limit)) return Math.exp(x);
  const z = fma(x, EXP.log2e, EXP.shifter, true);
  const n = z - EXP.shifter;
  scratch.setFloat64(0, z);
  const j = scratch.getUint32(4) & 15;
  let r = fma(-n, EXP.ln2Hi, x);
  r = fma(-EXP.ln2Lo, n, r);
  const r2 = r * r;
  const p56 = fma(EXP.c6, r, EXP.c5);
  const p34 = fma(EXP.c4, r, EXP.c3);
  const r3 = r2 * r;
  const p12 = fma(r2, EXP.c2, r);
  const p36 = fma(r2, p56, p34);
  const p16 = fma(r3, p36, p12);
  const t = EXP_TABLE[j];
  return fma(t, p16, t) * 2 ** Math.floor(n);
}

/** `a · b + c` rounded once (to nearest-even, or toward zero), exactly, through BigInt. */
function fma(a: number, b: number, c: number, towardZero = false): number {
  if (a === 0 || b === 0) return a * b + c;
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  let sig = ma * mb;
  let exp = ea + eb;
  if (c !== 0) {
    const [mc, ec] = decompose(c);
    const e = Math.min(exp, ec);
    sig = (sig << BigInt(exp - e)) + (mc << BigInt(ec - e));
    exp = e;
  }
  if (sig === 0n) return 0;
  const negative = sig < 0n;
  let m = negative ? -sig : sig;
  const shift = m.toString(2).length - 53;
  if (shift > 0) {
    const kept = m >> BigInt(shift);
    const rest = m - (kept << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    m = kept;
    if (!towardZero && (rest > half || (rest === half && (kept & 1n) === 1n))) m += 1n;
    exp += shift;
  }
  // Arguments here are far from the subnormal and overflow ranges.
  const value = Number(m) * 2 ** exp;
  return negative ? -value : value;
}

/** `x = m · 2^e` with `m` an integer; `x` finite, normal and non-zero. */
function decompose(x: number): [bigint, number] {
  scratch.setFloat64(0, x);
  const bits = scratch.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  return [sign * (fraction | 0x10000000000000n), biased - 1075];
}
