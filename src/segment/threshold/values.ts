import { dtypeOf, isIntegerDtype } from '../../image/dtype.js';
import type { PixelArray, Plane } from '../../image/types.js';

/** How scikit-image computes on the pixels: exact integers, float32 or float64 arithmetic. */
export type ValueKind = 'integer' | 'float32' | 'float64';

/** The pixels a global threshold looks at. Internal to the threshold module. */
export interface ThresholdValues {
  readonly kind: ValueKind;
  /** Finite pixels in raster order: the plane's own array when every pixel is finite. */
  readonly values: PixelArray;
  /** Smallest and largest finite pixel; NaN when there is none. */
  readonly min: number;
  readonly max: number;
  /** For 8/16-bit images: counts of every value 0…2^bits − 1, gathered in the same pass. */
  readonly valueCounts?: Uint32Array;
}

/** Collects the finite pixels (NaN and ±Infinity are left out) with their range. */
export function thresholdValues(plane: Plane): ThresholdValues {
  const data = plane.data;
  const dtype = dtypeOf(data);
  const kind: ValueKind = isIntegerDtype(dtype)
    ? 'integer'
    : dtype === 'float32'
      ? 'float32'
      : 'float64';
  let min = Infinity;
  let max = -Infinity;
  if (data.length > 0 && (dtype === 'uint8' || dtype === 'uint16')) {
    // One pass: count every value, then read the range off the counts.
    const valueCounts = new Uint32Array(dtype === 'uint8' ? 256 : 65536);
    for (let i = 0; i < data.length; i++) valueCounts[data[i]]++;
    let lo = 0;
    while (valueCounts[lo] === 0) lo++;
    let hi = valueCounts.length - 1;
    while (valueCounts[hi] === 0) hi--;
    return { kind, values: data, min: lo, max: hi, valueCounts };
  }
  if (kind === 'integer') {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return data.length === 0
      ? { kind, values: data, min: NaN, max: NaN }
      : { kind, values: data, min, max };
  }
  let finite = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v === 0) {
      finite++;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (finite === 0) return { kind, values: data.subarray(0, 0), min: NaN, max: NaN };
  if (finite === data.length) return { kind, values: data, min, max };
  const values = new (data.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(
    finite,
  );
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v === 0) values[k++] = v;
  }
  return { kind, values, min, max };
}

/**
 * The answer for images a histogram method cannot split: 0 when there is no finite pixel (as
 * skimage's `threshold_li` answers for an image of only ±Infinity), the value itself when every
 * finite pixel has the same value (as skimage's `threshold_otsu` answers); undefined otherwise.
 */
export function degenerateThreshold(input: ThresholdValues): number | undefined {
  if (input.values.length === 0) return 0;
  if (input.min === input.max) return input.min;
  return undefined;
}
