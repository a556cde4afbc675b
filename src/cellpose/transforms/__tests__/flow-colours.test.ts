import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import { HAS_SHARED } from '../../../../test/shared.js';
import { flowToRgb } from '../flow-colours.js';
import { numpyAtan2f } from '../numpy-trig.js';
import type { Float32Plane } from '../types.js';
import { cellposeNpy, channelsFirst, compare } from './helpers.js';

const plane = (values: number[]): Float32Plane => ({
  width: values.length,
  height: 1,
  data: Float32Array.from(values),
});

describe('flowToRgb', () => {
  it('is black where there is no flow', () => {
    const rgb = flowToRgb([plane([0, 0, 0]), plane([0, 0, 0])]);
    expect(Array.from(rgb.data)).toEqual(new Array(9).fill(0));
    expect(rgb.channels).toBe(3);
  });

  it('colours directions on the hue circle, brightest for the largest flows', () => {
    // 101 pixels: magnitudes 0…100 pointing +x (dX > 0): a = atan2(dX, dY) + π = 3π/2.
    const n = 101;
    const dY = plane(new Array(n).fill(0));
    const dX = plane(Array.from({ length: n }, (_, i) => i));
    const rgb = flowToRgb([dY, dX]).data;
    // At the 99th percentile mag = 127.5: R = 127.5·(cos(3π/2) + 1) ≈ 127, G = 127.5·(cos(13π/6) + 1)
    // ≈ 237, B = 127.5·(cos(17π/6) + 1) ≈ 17.
    expect(Array.from(rgb.subarray(99 * 3, 99 * 3 + 3))).toEqual([127, 237, 17]);
    expect(Array.from(rgb.subarray(1 * 3, 1 * 3 + 3))).toEqual([0, 0, 0]); // 1st percentile
    expect(Array.from(rgb.subarray(100 * 3, 100 * 3 + 3))).toEqual([127, 237, 17]); // clipped
  });

  it('rejects flows of different sizes', () => {
    expect(() => flowToRgb([plane([0, 0]), plane([0])])).toThrow(InvalidArgumentError);
  });
});

describe('numpyAtan2f', () => {
  it('follows atan2 conventions for quadrants, zeros and infinities', () => {
    for (const [y, x] of [
      [1, 1],
      [1, -1],
      [-1, -1],
      [-1, 1],
      [0, -1],
      [-0, -1],
      [0, 0],
      [3, Infinity],
      [1e-40, 1],
      [2.5, 1e-3],
    ]) {
      expect(Math.abs(numpyAtan2f(y, x) - Math.atan2(y, x))).toBeLessThan(1e-6);
    }
    expect(Object.is(numpyAtan2f(-0, 1), -0)).toBe(true);
  });
});

describe.skipIf(!HAS_SHARED)('flowToRgb against Cellpose 3.1.1.3', () => {
  it('reproduces e2e/d30_flow_rgb.npy from e2e/d30_dP.npy exactly', () => {
    const [dY, dX] = channelsFirst(cellposeNpy('e2e/d30_dP.npy'));
    const rgb = flowToRgb([dY, dX]);
    const expected = cellposeNpy('e2e/d30_flow_rgb.npy').data as Uint8Array;
    expect([rgb.height, rgb.width]).toEqual([160, 200]);
    expect(compare(rgb.data, expected)).toEqual({ maxAbs: 0, differing: 0 });
  });
});
