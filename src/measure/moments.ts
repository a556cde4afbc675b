/**
 * Image-moment algebra for 2-D regions, after scikit-image's `measure._moments` (0.19.3; spacing
 * as in ≥ 0.20). A moment array holds orders 0…3 per axis, flattened as `[p * 4 + q]` = Σ w ·
 * row^p · col^q, i.e. skimage's `M[p, q]`.
 *
 * Internal to the measure module.
 */

/** Entries of one moment array: p, q ∈ 0…3. */
export const MOMENT_SIZE = 16;

// Double-double arithmetic (Dekker's exact product, Knuth's two-sum): shifting moments adds
// terms far larger than the result, so the shift is summed with ~106 bits and rounded once.

const SPLITTER = 134217729; // 2^27 + 1

/** `sums[k] + sums[k + 1]` += (ah + al) · (bh + bl), to double-double precision. */
function multiplyAdd(
  ah: number,
  al: number,
  bh: number,
  bl: number,
  sums: Float64Array,
  k: number,
): void {
  const p = ah * bh;
  const ta = SPLITTER * ah;
  const ahh = ta - (ta - ah);
  const ahl = ah - ahh;
  const tb = SPLITTER * bh;
  const bhh = tb - (tb - bh);
  const bhl = bh - bhh;
  const e = ahh * bhh - p + ahh * bhl + ahl * bhh + ahl * bhl + (ah * bl + al * bh);
  const sh = sums[k];
  const s = sh + p;
  const v = s - sh;
  const err = sh - (s - v) + (p - v) + sums[k + 1] + e;
  const h = s + err;
  sums[k] = h;
  sums[k + 1] = err - (h - s);
}

const BINOMIAL = [
  [1, 0, 0, 0],
  [1, 1, 0, 0],
  [1, 2, 1, 0],
  [1, 3, 3, 1],
];
/** C(p, i) · (−d)^(p−i) as double-double, `[(p * 4 + i) * 2]`. */
const rowFactors = new Float64Array(32);
const colFactors = new Float64Array(32);
/** The row-shifted sums, double-double, `[(p * 4 + j) * 2]`. */
const rowShifted = new Float64Array(32);
const total = new Float64Array(2);

/** (−d)^k as double-double, `[k * 2]`. */
const powers = new Float64Array(8);

function binomialFactors(d: number, out: Float64Array): void {
  powers.fill(0);
  powers[0] = 1;
  for (let k = 1; k < 4; k++) {
    multiplyAdd(powers[2 * k - 2], powers[2 * k - 1], -d, 0, powers, 2 * k);
  }
  out.fill(0);
  for (let p = 0; p < 4; p++) {
    for (let i = 0; i <= p; i++) {
      const k = 2 * (p - i);
      multiplyAdd(powers[k], powers[k + 1], BINOMIAL[p][i], 0, out, (p * 4 + i) * 2);
    }
  }
}

/**
 * Moments about a new origin `(dr, dc)` (given in the old origin's coordinates) from moments
 * about the old one: Σ w (r − dr)^p (c − dc)^q, expanded binomially into the Σ w r^i c^j given
 * (rows first, then columns). Exact sums in give correctly rounded moments out (skimage's
 * values, bit for bit, wherever those are exact); a symmetric region's odd central moments
 * come out 0, not rounding noise.
 */
export function shiftMoments(
  source: ArrayLike<number>,
  sourceOffset: number,
  dr: number,
  dc: number,
  out: Float64Array,
): Float64Array {
  binomialFactors(dr, rowFactors);
  binomialFactors(dc, colFactors);
  rowShifted.fill(0);
  for (let p = 0; p < 4; p++) {
    for (let j = 0; j < 4; j++) {
      const k = (p * 4 + j) * 2;
      for (let i = 0; i <= p; i++) {
        const f = (p * 4 + i) * 2;
        multiplyAdd(
          rowFactors[f],
          rowFactors[f + 1],
          source[sourceOffset + i * 4 + j],
          0,
          rowShifted,
          k,
        );
      }
    }
  }
  for (let p = 0; p < 4; p++) {
    for (let q = 0; q < 4; q++) {
      total[0] = 0;
      total[1] = 0;
      for (let j = 0; j <= q; j++) {
        const f = (q * 4 + j) * 2;
        const t = (p * 4 + j) * 2;
        multiplyAdd(colFactors[f], colFactors[f + 1], rowShifted[t], rowShifted[t + 1], total, 0);
      }
      out[p * 4 + q] = total[0] + total[1];
    }
  }
  return out;
}

/** Moments in physical units: row distances × `rowScale`, column distances × `colScale`. */
export function scaleMoments(moments: Float64Array, rowScale: number, colScale: number): void {
  if (rowScale === 1 && colScale === 1) return;
  for (let p = 0; p < 4; p++) {
    for (let q = 0; q < 4; q++) moments[p * 4 + q] *= rowScale ** p * colScale ** q;
  }
}

/**
 * Normalised central moments ν_pq = (μ_pq / s^(p+q)) / μ00^((p+q)/2 + 1), NaN for p + q < 2
 * (skimage `moments_normalized`; `s` = the smallest pixel spacing, 1 without spacing).
 */
export function normalizeMoments(mu: Float64Array, scale = 1): Float64Array {
  const nu = new Float64Array(MOMENT_SIZE);
  const mu0 = mu[0];
  for (let p = 0; p < 4; p++) {
    for (let q = 0; q < 4; q++) {
      const order = p + q;
      nu[p * 4 + q] = order < 2 ? NaN : mu[p * 4 + q] / scale ** order / mu0 ** (order / 2 + 1);
    }
  }
  return nu;
}

/** Hu's seven invariants from normalised central moments, in skimage's `_moments_cy` order. */
export function huMoments(nu: Float64Array): Float64Array {
  const at = (p: number, q: number): number => nu[p * 4 + q];
  let t0 = at(3, 0) + at(1, 2);
  let t1 = at(2, 1) + at(0, 3);
  let q0 = t0 * t0;
  let q1 = t1 * t1;
  const n4 = 4 * at(1, 1);
  const s = at(2, 0) + at(0, 2);
  const d = at(2, 0) - at(0, 2);
  const hu = new Float64Array(7);
  hu[0] = s;
  hu[1] = d * d + n4 * at(1, 1);
  hu[3] = q0 + q1;
  hu[5] = d * (q0 - q1) + n4 * t0 * t1;
  t0 *= q0 - 3 * q1;
  t1 *= 3 * q0 - q1;
  q0 = at(3, 0) - 3 * at(1, 2);
  q1 = 3 * at(2, 1) - at(0, 3);
  hu[2] = q0 * q0 + q1 * q1;
  hu[4] = q0 * t0 + q1 * t1;
  hu[6] = q1 * t0 - q0 * t1;
  return hu;
}

/** The inertia tensor [[a, b], [b, c]] and its eigenvalues, largest first. */
export interface Inertia {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly major: number;
  readonly minor: number;
}

/**
 * skimage `inertia_tensor`: the diagonal as (μ20 + μ02 − μii) / μ00 (the sum of the *other*
 * axes' second moments), the off-diagonal −μ11 / μ00. Eigenvalues in closed form, the smaller
 * one as det / larger (no cancellation for thin regions), clipped at 0 as skimage does.
 */
export function inertiaOf(mu: Float64Array): Inertia {
  const mu0 = mu[0];
  const trace = mu[8] + mu[2];
  const a = (trace - mu[8]) / mu0;
  const c = (trace - mu[2]) / mu0;
  const b = -mu[5] / mu0;
  const half = (a + c) / 2;
  const radius = Math.hypot((a - c) / 2, b);
  const major = Math.max(half + radius, 0);
  const minor = major > 0 ? Math.max((a * c - b * b) / major, 0) : 0;
  return { a, b, c, major, minor: Math.min(minor, major) };
}

/**
 * Angle between the row axis and the major axis, in [−π/2, π/2] (skimage `orientation`). Equal
 * diagonal entries (single pixels, squares, diagonal lines) give ±π/4 with skimage 0.19.3's
 * sign: −π/4 if b < 0, else +π/4. (skimage ≥ 0.21 flips both, to the general formula's limit.
 * Moments here are correctly rounded, so a region whose diagonal is equal in exact arithmetic
 * takes this branch even where skimage's rounding sent it through atan2 to the other sign.)
 */
export function orientationOf({ a, b, c }: Inertia): number {
  if (a - c === 0) return b < 0 ? -Math.PI / 4 : Math.PI / 4;
  return 0.5 * Math.atan2(-2 * b, c - a);
}
