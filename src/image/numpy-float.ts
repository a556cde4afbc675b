/**
 * The floating-point steps scikit-image's thresholds take through NumPy 1.24, reproduced bit for
 * bit: float32 arithmetic, pairwise summation, and NumPy's own `log` (which is not libm's, and
 * not correctly rounded, so `Math.log` moves `threshold_li` by a few ulp).
 *
 * Internal to the threshold module.
 */

const F32 = Math.fround;

// ---------------------------------------------------------------------------------------------
// Bits of a double

const scratch = new DataView(new ArrayBuffer(8));

function bitsOf(x: number): bigint {
  scratch.setFloat64(0, x);
  return scratch.getBigUint64(0);
}

function fromBits(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}

/** `x = m · 2^e` with `m` an integer (sign included); `x` finite and non-zero. */
function decompose(x: number): [bigint, number] {
  const bits = bitsOf(x);
  const sign = bits >> 63n ? -1n : 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biased === 0) return [sign * fraction, -1074];
  return [sign * (fraction | 0x10000000000000n), biased - 1075];
}

/** `m · 2^e` without overflowing `2^e` on the way. */
function scaleByPowerOfTwo(m: number, e: number): number {
  let value = m;
  let exponent = e;
  while (exponent > 1000) {
    value *= 2 ** 1000;
    exponent -= 1000;
  }
  while (exponent < -1000) {
    value *= 2 ** -1000;
    exponent += 1000;
  }
  return value * 2 ** exponent;
}

function bitLength(m: bigint): number {
  return m.toString(2).length;
}

/** Rounds the exact value `sig · 2^exp` to a double: to nearest-even, or toward zero. */
function roundExact(sig: bigint, exp: number, towardZero: boolean): number {
  if (sig === 0n) return 0;
  const negative = sig < 0n;
  let m = negative ? -sig : sig;
  let e = exp;
  let shift = bitLength(m) - 53;
  if (e + shift < -1074) shift = -1074 - e;
  if (shift > 0) {
    const kept = m >> BigInt(shift);
    const rest = m - (kept << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    m = kept;
    if (!towardZero && (rest > half || (rest === half && (kept & 1n) === 1n))) m += 1n;
    e += shift;
  }
  const value = scaleByPowerOfTwo(Number(m), e);
  return negative ? -value : value;
}

/**
 * `a · b + c` with one rounding, as the FMA instructions inside NumPy's SIMD maths do.
 * Exact (BigInt); only used for a handful of scalars per call, never per pixel.
 */
export function fma64(a: number, b: number, c: number, towardZero = false): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return a * b + c;
  if (a === 0 || b === 0) return a * b + c;
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const product = ma * mb;
  const productExp = ea + eb;
  if (c === 0) return roundExact(product, productExp, towardZero);
  const [mc, ec] = decompose(c);
  const e = Math.min(productExp, ec);
  const sum = (product << BigInt(productExp - e)) + (mc << BigInt(ec - e));
  return roundExact(sum, e, towardZero);
}

// ---------------------------------------------------------------------------------------------
// float32 helpers

const f32Scratch = new Float32Array(1);
const i32Scratch = new Int32Array(f32Scratch.buffer);

/** The float32 next to `x` (a float32, finite, non-zero) in the direction of `up`. */
function nextFloat32(x: number, up: boolean): number {
  f32Scratch[0] = x;
  i32Scratch[0] += x > 0 === up ? 1 : -1;
  return f32Scratch[0];
}

/**
 * Single-rounding float32 FMA for float32 operands: the product is exact in a double, and the
 * error term of the sum decides the one case where rounding the double to float32 is wrong
 * (the double landed exactly halfway between two float32 values).
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const bb = s - p;
  const error = p - (s - bb) + (c - bb);
  const r = F32(s);
  if (error === 0 || r === s || !Number.isFinite(s)) return r;
  const other = nextFloat32(r, s > r);
  if ((r + other) / 2 !== s) return r;
  return error > 0 ? Math.max(r, other) : Math.min(r, other);
}

// ---------------------------------------------------------------------------------------------
// NumPy 1.24 pairwise summation (numpy/core/src/umath/loops_utils.h.src): blocks of at most 128
// summed with 8 interleaved accumulators, larger runs split in halves rounded to multiples of 8.

/** NumPy's float32 `sum` of `values[start, start + n)` (accumulated in float32). */
export function pairwiseSum32(values: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res = F32(res + values[start + i]);
    return res;
  }
  if (n <= 128) {
    let r0 = values[start];
    let r1 = values[start + 1];
    let r2 = values[start + 2];
    let r3 = values[start + 3];
    let r4 = values[start + 4];
    let r5 = values[start + 5];
    let r6 = values[start + 6];
    let r7 = values[start + 7];
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const k = start + i;
      r0 = F32(r0 + values[k]);
      r1 = F32(r1 + values[k + 1]);
      r2 = F32(r2 + values[k + 2]);
      r3 = F32(r3 + values[k + 3]);
      r4 = F32(r4 + values[k + 4]);
      r5 = F32(r5 + values[k + 5]);
      r6 = F32(r6 + values[k + 6]);
      r7 = F32(r7 + values[k + 7]);
    }
    let res = F32(F32(F32(r0 + r1) + F32(r2 + r3)) + F32(F32(r4 + r5) + F32(r6 + r7)));
    for (; i < n; i++) res = F32(res + values[start + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return F32(pairwiseSum32(values, start, n2) + pairwiseSum32(values, start + n2, n - n2));
}

/** NumPy's float64 `sum` of `values[start, start + n)`. */
export function pairwiseSum64(values: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += values[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = values[start];
    let r1 = values[start + 1];
    let r2 = values[start + 2];
    let r3 = values[start + 3];
    let r4 = values[start + 4];
    let r5 = values[start + 5];
    let r6 = values[start + 6];
    let r7 = values[start + 7];
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const k = start + i;
      r0 += values[k];
      r1 += values[k + 1];
      r2 += values[k + 2];
      r3 += values[k + 3];
      r4 += values[k + 4];
      r5 += values[k + 5];
      r6 += values[k + 6];
      r7 += values[k + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += values[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum64(values, start, n2) + pairwiseSum64(values, start + n2, n - n2);
}

/** Elements per inner-loop call of NumPy's buffered reductions (NPY_BUFSIZE). */
const REDUCTION_CHUNK = 8192;

/**
 * `numpy.sum` of a float array: the reduction runs in chunks of 8192 elements, each summed
 * pairwise and added to the running total (which starts at 0), all in the array's precision.
 */
export function numpyFloatSum(
  values: ArrayLike<number>,
  start: number,
  n: number,
  float32: boolean,
): number {
  let total = 0;
  for (let offset = 0; offset < n; offset += REDUCTION_CHUNK) {
    const count = Math.min(REDUCTION_CHUNK, n - offset);
    total = float32
      ? F32(total + pairwiseSum32(values, start + offset, count))
      : total + pairwiseSum64(values, start + offset, count);
  }
  return total;
}

/**
 * `numpy.mean` of a float array: {@link numpyFloatSum} divided by the count in float64 and, for
 * float32 data, rounded back to float32.
 */
export function numpyFloatMean(
  values: ArrayLike<number>,
  start: number,
  n: number,
  float32: boolean,
): number {
  if (n === 0) return NaN;
  const sum = numpyFloatSum(values, start, n, float32);
  return float32 ? F32(sum / n) : sum / n;
}

// ---------------------------------------------------------------------------------------------
// NumPy 1.24 `log` for float32 (loops_exponent_log.dispatch.c.src, simd_log_FLOAT): mantissa in
// [sqrt(1/2), sqrt(2)), a 5/5 rational minimax approximation of log(1 + x), all in float32 FMAs.

// NPY_COEFF_P*_LOGf and NPY_COEFF_Q*_LOGf (npy_simd_data.h) as the float32 values C makes of them.
const LOG32_P = [
  0, 1, 2.112677574157715, 1.480000615119934, 0.3808837831020355, 0.025899792090058327,
];
const LOG32_Q = [
  1, 2.612677574157715, 2.4530060291290283, 0.9864943027496338, 0.15464763343334198,
  0.005875095259398222,
];
const LOGE2_F32 = F32(Math.LN2);
const SQRT1_2_F32 = F32(Math.SQRT1_2);

/** `x = m · 2^e` with `m` in [0.5, 1); `x` finite and non-zero. */
function frexp(x: number): [number, number] {
  let value = Math.abs(x);
  let offset = 0;
  if (value < 2 ** -1022) {
    value *= 2 ** 64;
    offset = -64;
  }
  const biased = Number((bitsOf(value) >> 52n) & 0x7ffn);
  const e = biased - 1022;
  return [(x < 0 ? -value : value) / 2 ** e, e + offset];
}

/** `np.log` of a float32 value, as NumPy 1.24 computes it on x86-64 with AVX2/AVX-512. */
export function numpyLog32(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let [m, e] = frexp(x);
  if (m <= SQRT1_2_F32) {
    m += m;
    e -= 1;
  }
  m = F32(m - 1);
  let num = fma32(LOG32_P[5], m, LOG32_P[4]);
  num = fma32(num, m, LOG32_P[3]);
  num = fma32(num, m, LOG32_P[2]);
  num = fma32(num, m, LOG32_P[1]);
  num = fma32(num, m, LOG32_P[0]);
  let den = fma32(LOG32_Q[5], m, LOG32_Q[4]);
  den = fma32(den, m, LOG32_Q[3]);
  den = fma32(den, m, LOG32_Q[2]);
  den = fma32(den, m, LOG32_Q[1]);
  den = fma32(den, m, LOG32_Q[0]);
  return fma32(e, LOGE2_F32, F32(num / den));
}

// ---------------------------------------------------------------------------------------------
// NumPy 1.24 `log` for float64 on AVX-512 CPUs: Intel SVML's `__svml_log8` (numpy/SVML,
// svml_z0_log_d_la.s, BSD-3-Clause; constants below are that routine's). log(x) = e·ln2 −
// log(rcp) + log1p(rcp·m − 1) with rcp ≈ 1/m rounded to 1/32 and a degree-8 polynomial.

const LOG64_TABLE = [
  0x0000000000000000n,
  0xbfaf0a30c01162a6n,
  0xbfbe27076e2af2e6n,
  0xbfc5ff3070a793d4n,
  0xbfcc8ff7c79a9a22n,
  0xbfd1675cababa60en,
  0xbfd4618bc21c5ec2n,
  0xbfd739d7f6bbd007n,
  0x3fd269621134db92n,
  0x3fcf991c6cb3b379n,
  0x3fca93ed3c8ad9e3n,
  0x3fc5bf406b543db2n,
  0x3fc1178e8227e47cn,
  0x3fb9335e5d594989n,
  0x3fb08598b59e3a07n,
  0x3fa0415d89e74444n,
].map(fromBits);
const LOG64_C = {
  c8: fromBits(0x3fbc81cd309d7c70n),
  c7: fromBits(0xbfc007357e93af62n),
  c6: fromBits(0x3fc249229cee81efn),
  c5: fromBits(0xbfc55553fb28db06n),
  c4: fromBits(0x3fc9999999cc9f5cn),
  c3: fromBits(0xbfd00000000c05bdn),
  c2: fromBits(0x3fd5555555555466n),
  c1: fromBits(0xbfdfffffffffffc6n),
  ln2: fromBits(0x3fe62e42fefa39efn),
};

/**
 * `np.log` of a float64 value as NumPy 1.24 computes it on AVX-512 CPUs (SVML). The hardware
 * reciprocal estimate (`vrcp14pd`) is replaced by the exact reciprocal: the two round to the
 * same 1/32 step except when 1/m lies within 2^-14 of a step's midpoint (about 3 in 10,000
 * arguments), where the last bit can differ. Subnormal input falls back to `Math.log`.
 */
export function numpyLog64(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  if (x < 2 ** -1022) return Math.log(x);
  const [half, e1] = frexp(x);
  const m = half * 2;
  let e = e1 - 1;
  const scaled = 32 / m;
  let steps = Math.floor(scaled);
  const fraction = scaled - steps;
  if (fraction > 0.5 || (fraction === 0.5 && steps % 2 === 1)) steps += 1;
  const rcp = steps / 32;
  const { c1, c2, c3, c4, c5, c6, c7, c8, ln2 } = LOG64_C;
  const r = fma64(rcp, m, -1);
  const a = fma64(r, c6, c5);
  let b = fma64(r, c8, c7);
  const c = fma64(r, c2, c1);
  const r2 = r * r;
  let d = fma64(r, c4, c3);
  if (rcp < 0.75) e += 1;
  const r4 = r2 * r2;
  b = fma64(r2, b, a);
  d = fma64(r2, d, c);
  b = fma64(r4, b, d);
  b = fma64(r2, b, r);
  const index = Number((bitsOf(rcp) >> 48n) & 15n);
  return fma64(ln2, e, LOG64_TABLE[index] + b);
}

/** `numpy.argmax`: the first largest element, or the first NaN if there is one. */
export function argmaxNumpy(values: ArrayLike<number>, start = 0, end = values.length): number {
  let best = start;
  let bestValue = values[start];
  if (bestValue !== bestValue) return start;
  for (let i = start + 1; i < end; i++) {
    const v = values[i];
    if (v !== v) return i;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// NumPy 1.24's float64 `exp` on AVX-512 CPUs: Intel SVML's `__svml_exp8` (numpy/SVML,
// svml_z0_exp_d_la.s, BSD-3-Clause; the constants are that routine's). N = x·log2(e) rounded
// toward zero to 1/16, exp(x) = 2^floor(N) · 2^(frac N) · exp(r) with a degree-6 polynomial.

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

/** NumPy's float64 `exp` as the AVX-512 SVML routine computes it. */
export function numpyExp64(x: number): number {
  if (!(Math.abs(x) < EXP.limit)) return Math.exp(x);
  const z = fma64(x, EXP.log2e, EXP.shifter, true);
  const n = z - EXP.shifter;
  scratch.setFloat64(0, z);
  const j = scratch.getUint32(4) & 15;
  let r = fma64(-n, EXP.ln2Hi, x);
  r = fma64(-EXP.ln2Lo, n, r);
  const r2 = r * r;
  const p56 = fma64(EXP.c6, r, EXP.c5);
  const p34 = fma64(EXP.c4, r, EXP.c3);
  const r3 = r2 * r;
  const p12 = fma64(r2, EXP.c2, r);
  const p36 = fma64(r2, p56, p34);
  const p16 = fma64(r3, p36, p12);
  const t = EXP_TABLE[j];
  return fma64(t, p16, t) * 2 ** Math.floor(n);
}
