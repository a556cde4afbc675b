import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { countedCases, HAS_SHARED } from '../../../test/shared.js';
import {
  argument,
  loadInput,
  loadOutput,
  skimageCases,
  type SkimageCase,
} from '../../../test/skimage-fixtures.js';
import { boundaryIndex, gaussianFilter, type BoundaryMode } from '../gaussian.js';
import type { PixelArray, Plane } from '../types.js';

/** Largest |a − b| / max(|b|, tiny) and the largest difference in float32 ulps. */
function compare(actual: ArrayLike<number>, expected: ArrayLike<number>) {
  let maxRelative = 0;
  let maxUlp32 = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    maxRelative = Math.max(maxRelative, Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));
    maxUlp32 = Math.max(maxUlp32, Math.abs(float32Ordinal(a) - float32Ordinal(b)));
  }
  return { maxRelative, maxUlp32 };
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
function float32Ordinal(x: number): number {
  f32[0] = x;
  return i32[0] < 0 ? -(i32[0] & 0x7fffffff) : i32[0];
}

/** The (H, W) input, or channel c of an (H, W, 3) input, as a plane. */
function channelPlane(c: SkimageCase, channel?: number): Plane {
  const array = loadInput(c, 'image');
  const [height, width, channels = 1] = array.shape;
  const data = array.data as PixelArray;
  if (channel === undefined) return { width, height, data };
  const out = new (data.constructor as Float32ArrayConstructor)(width * height);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels + channel];
  return { width, height, data: out };
}

const cases = countedCases(skimageCases('filters'), 13, 'gaussian');

describe.skipIf(!HAS_SHARED)('gaussianFilter matches skimage.filters.gaussian 0.19.3', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_, c) => {
    const expected = loadOutput(c, 'result');
    const options = {
      sigma: argument<number>(c, 'sigma'),
      truncate: argument<number>(c, 'truncate'),
      preserveRange: argument<boolean>(c, 'preserve_range'),
      mode: argument<BoundaryMode>(c, 'mode'),
    };
    const rgb = argument<number | null>(c, 'channel_axis') === -1;
    const channels = rgb ? 3 : 1;
    const actual = new Float64Array(expected.data.length);
    for (let k = 0; k < channels; k++) {
      const result = gaussianFilter(channelPlane(c, rgb ? k : undefined), options);
      expect(result.data).toBeInstanceOf(
        expected.dtype === 'float32' ? Float32Array : Float64Array,
      );
      for (let i = 0; i < result.data.length; i++) actual[i * channels + k] = result.data[i];
    }
    // The kernel (NumPy's exp and sum) and scipy's summation order are reproduced, so the
    // outputs are identical; the bounds below are what the README promises for float64 and
    // float32 outputs, kept as a floor should a platform's exp ever differ.
    const { maxRelative, maxUlp32 } = compare(actual, expected.data as Float64Array);
    if (expected.dtype === 'float32') expect(maxUlp32).toBeLessThanOrEqual(1);
    else expect(maxRelative).toBeLessThan(1e-12);
    expect(Array.from(actual)).toEqual(Array.from(expected.data as Float64Array));
  });
});

describe('gaussianFilter', () => {
  const impulse = (): Plane<Float64Array> => {
    const data = new Float64Array(9 * 9);
    data[4 * 9 + 4] = 1;
    return { width: 9, height: 9, data };
  };

  it('keeps the total of an impulse away from the border, and is symmetric', () => {
    const { data } = gaussianFilter(impulse(), { sigma: 1 });
    const total = data.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 12);
    expect(data[3 * 9 + 4]).toBe(data[5 * 9 + 4]);
    expect(data[4 * 9 + 3]).toBe(data[3 * 9 + 4]);
  });

  it('filters only the axis with a non-zero sigma when given [sigmaRow, sigmaCol]', () => {
    const { data } = gaussianFilter(impulse(), { sigma: [1, 0] });
    for (let y = 0; y < 9; y++) {
      for (let x = 0; x < 9; x++) if (x !== 4) expect(data[y * 9 + x]).toBe(0);
    }
    expect(data[4 * 9 + 4]).toBeGreaterThan(data[3 * 9 + 4]);
  });

  it('is the identity for sigma 0 (a copy) and scales integers unless preserveRange', () => {
    const plane: Plane<Uint8Array> = { width: 2, height: 1, data: Uint8Array.from([0, 255]) };
    expect(Array.from(gaussianFilter(plane, { sigma: 0 }).data)).toEqual([0, 1]);
    expect(Array.from(gaussianFilter(plane, { sigma: 0, preserveRange: true }).data)).toEqual([
      0, 255,
    ]);
    const signed: Plane<Int16Array> = { width: 2, height: 1, data: Int16Array.from([-32768, 0]) };
    expect(Array.from(gaussianFilter(signed, { sigma: 0 }).data)).toEqual([-1, 0]);
  });

  it('keeps a constant image constant in every mode but constant', () => {
    const data = new Float32Array(5 * 4).fill(3.5);
    for (const mode of ['nearest', 'reflect', 'mirror', 'wrap'] as const) {
      const out = gaussianFilter({ width: 5, height: 4, data }, { sigma: 2.5, mode });
      for (const v of out.data) expect(v).toBeCloseTo(3.5, 5);
    }
    const dimmed = gaussianFilter({ width: 5, height: 4, data }, { sigma: 2.5, mode: 'constant' });
    expect(dimmed.data[0]).toBeLessThan(3.5);
  });

  it('accepts empty planes and rejects bad options', () => {
    const empty = { width: 0, height: 0, data: new Float64Array(0) };
    expect(gaussianFilter(empty, { sigma: 1 }).data).toHaveLength(0);
    expect(() => gaussianFilter(impulse(), { sigma: -1 })).toThrow(InvalidArgumentError);
    expect(() => gaussianFilter(impulse(), { sigma: NaN })).toThrow(InvalidArgumentError);
    expect(() => gaussianFilter(impulse(), { sigma: 1, truncate: -1 })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('boundaryIndex', () => {
  // scipy.ndimage's extension of `abcd` (see ni_support.c), two periods each side.
  const cases: [BoundaryMode, string][] = [
    ['reflect', 'abcddcba|abcd|dcbaabcd'],
    ['mirror', 'babcdcb|abcd|cbabcdc'],
    ['nearest', 'aaaa|abcd|dddd'],
    ['wrap', 'abcdabcd|abcd|abcdabcd'],
    ['constant', '....|abcd|....'],
  ];
  it.each(cases)('%s extends abcd as %s', (mode, pattern) => {
    const [before, , after] = pattern.split('|');
    const letter = (i: number): string => {
      const k = boundaryIndex(i, 4, mode);
      return k < 0 ? '.' : 'abcd'[k];
    };
    const left = Array.from(before, (_, i) => letter(i - before.length)).join('');
    const right = Array.from(after, (_, i) => letter(4 + i)).join('');
    expect(`${left}|abcd|${right}`).toBe(pattern);
  });

  it('handles one-pixel lines', () => {
    for (const mode of ['reflect', 'mirror', 'nearest', 'wrap'] as const) {
      expect([-3, -1, 1, 5].map((i) => boundaryIndex(i, 1, mode))).toEqual([0, 0, 0, 0]);
    }
  });
});
