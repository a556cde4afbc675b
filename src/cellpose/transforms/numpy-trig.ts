import { fma32 } from '../../image/numpy-float.js';

const F32 = Math.fround;
const bits = new Uint32Array(1);
const value = new Float32Array(bits.buffer);

function fromBits(b: number): number {
  bits[0] = b;
  return value[0];
}

// __svml_satan2_data_internal (NumPy's vendored Intel SVML, AVX-512 float32 atan2).
const PI = fromBits(0x40490fdb);
const HALF_PI = fromBits(0x3fc90fdb);
const ODD = [0xbc7f2631, 0xbd987629, 0xbe1161f8, 0xbeaaaa49].map(fromBits);
const EVEN = [0x3b322cc0, 0x3d2bc384, 0x3dd96474, 0x3e4cb79f, 0x3f800000].map(fromBits);
/** |v| in [2^-125, 2^123): the vector path's working interval. */
const MIN_NORMAL_INPUT = 2 ** -125;
const MAX_INPUT = 2 ** 123;

/**
 * NumPy's float32 `arctan2(y, x)` on x86-64 with AVX-512 (Intel SVML `__svml_atan2f16`, the
 * 'la' variant NumPy vendors): octant reduction, a Newton-refined division and an odd polynomial,
 * all in float32 with FMA. Outside the vector path's interval (zeros, subnormals, huge values,
 * infinities, NaN) SVML computes in double; `Math.atan2` rounded to float32 stands in. The
 * hardware reciprocal estimate (`vrcp14ps`) is replaced by the correctly rounded reciprocal,
 * which the Newton step makes agree in all but rare last-bit cases.
 */
export function numpyAtan2f(y: number, x: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (!(ax >= MIN_NORMAL_INPUT && ax < MAX_INPUT && ay >= MIN_NORMAL_INPUT && ay < MAX_INPUT)) {
    return F32(Math.atan2(y, x));
  }
  const yBelow = ay < ax;
  const a = yBelow ? ay : -ax;
  const b = yBelow ? ax : ay;
  const offset = yBelow ? 0 : HALF_PI;
  let r = F32(1 / b);
  r = fma32(fma32(-r, b, 1), r, r);
  const q = F32(a * r);
  const s = fma32(fma32(-q, b, a), r, q);
  const s2 = F32(s * s);
  const s4 = F32(s2 * s2);
  let even = fma32(EVEN[0], s4, EVEN[1]);
  let odd = fma32(ODD[0], s4, ODD[1]);
  even = fma32(s4, even, EVEN[2]);
  odd = fma32(s4, odd, ODD[2]);
  even = fma32(s4, even, EVEN[3]);
  odd = fma32(s4, odd, ODD[3]);
  even = fma32(s4, even, EVEN[4]);
  const poly = fma32(s2, odd, even);
  let result = fma32(s, poly, offset);
  if (x < 0) result = F32(PI - result);
  return y < 0 || Object.is(y, -0) ? -result : result;
}
