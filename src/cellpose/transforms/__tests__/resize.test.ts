import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import { HAS_SHARED } from '../../../../test/shared.js';
import { rescaledSize, resizeLinear } from '../resize.js';
import type { Float32Plane } from '../types.js';
import {
  cellposeManifest,
  cellposeNpy,
  channelsFirst,
  channelsLast,
  compare,
  interleave,
} from './helpers.js';

const F32 = Math.fround;

function constant(width: number, height: number, value: number): Float32Plane {
  return { width, height, data: new Float32Array(width * height).fill(value) };
}

describe('resizeLinear', () => {
  it('keeps a constant plane constant, up and down', () => {
    for (const [h, w] of [
      [61, 89],
      [19, 27],
      [5, 300],
    ]) {
      const out = resizeLinear(constant(53, 37, 2), { height: h, width: w });
      expect(out.width).toBe(w);
      expect(out.height).toBe(h);
      expect(out.data.every((v) => v === 2)).toBe(true);
    }
  });

  it('interpolates a horizontal ramp linearly with pixel-centre alignment', () => {
    // 4 → 8 columns: centres at (d + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, …; clamped at the ends.
    const ramp = { width: 4, height: 1, data: Float32Array.from([0, 4, 8, 12]) };
    const out = resizeLinear(ramp, { height: 1, width: 8 });
    expect(Array.from(out.data)).toEqual([0, 1, 3, 5, 7, 9, 11, 12]);
  });

  it('averages 2 × 2 blocks as ((a + b) + c + d)·0.25 in float32 for an exact 2× reduction', () => {
    const values = [
      0.1,
      0.7,
      1e-3,
      3.3,
      1 / 3,
      5e4,
      2.2,
      0.9,
      7.7,
      1.1,
      1e-7,
      4.4,
      0.6,
      0.3,
      9.9,
      2.5,
    ];
    const plane = { width: 4, height: 4, data: Float32Array.from(values) };
    const out = resizeLinear(plane, { height: 2, width: 2 });
    const s = plane.data;
    let differsFromBilinear = false;
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 2; x++) {
        const [a, b, c, d] = [
          s[8 * y + 2 * x],
          s[8 * y + 2 * x + 1],
          s[8 * y + 4 + 2 * x],
          s[8 * y + 5 + 2 * x],
        ];
        const area = F32(F32(F32(F32(a + b) + c) + d) * 0.25);
        const bilinear = F32(
          F32(F32(F32(a * 0.5) + F32(b * 0.5)) * 0.5) + F32(F32(F32(c * 0.5) + F32(d * 0.5)) * 0.5),
        );
        expect(out.data[y * 2 + x]).toBe(area);
        if (area !== bilinear) differsFromBilinear = true;
      }
    }
    expect(differsFromBilinear).toBe(true);
  });

  it('returns a copy for the same size', () => {
    const plane = constant(3, 2, 1.5);
    const out = resizeLinear(plane, { height: 2, width: 3 });
    expect(out.data).toEqual(plane.data);
    expect(out.data).not.toBe(plane.data);
  });

  it('truncates rescaled sizes toward zero', () => {
    expect(rescaledSize(37, 53, 0.37)).toEqual({ height: 13, width: 19 });
    expect(rescaledSize(160, 200, 30 / 45)).toEqual({ height: 106, width: 133 });
  });

  it('rejects empty targets and planes', () => {
    expect(() => resizeLinear(constant(3, 3, 0), { height: 0, width: 3 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => resizeLinear(constant(3, 3, 0), { height: 2.5, width: 3 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => resizeLinear(constant(0, 0, 0), { height: 2, width: 3 })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe.skipIf(!HAS_SHARED)('resizeLinear against OpenCV through Cellpose 3.1.1.3', () => {
  const cases = ['up_61x89', 'down_19x27', 'rsz_0.37'] as const;
  it.each(cases)('reproduces transforms %s exactly', (key) => {
    const entry = cellposeManifest().transforms.resize[key];
    const input = channelsLast(cellposeNpy('transforms/resize_in.npy'));
    const [height, width] = entry.shape;
    const size =
      key === 'rsz_0.37' ? rescaledSize(input[0].height, input[0].width, 0.37) : { height, width };
    expect(size).toEqual({ height, width });
    const out = input.map((plane) => resizeLinear(plane, size));
    const expected = cellposeNpy(entry.file).data as Float32Array;
    expect(compare(interleave(out), expected)).toEqual({ maxAbs: 0, differing: 0 });
  });

  it('resizes network-size flows back exactly as eval(resample=True) did (d45 case)', () => {
    // Same network output at 106 × 133; eval resized [dY, dX, cellprob] to 160 × 200.
    const small = [
      ...channelsFirst(cellposeNpy('e2e/d45_noresample_dP.npy')),
      ...channelsFirst({ ...cellposeNpy('e2e/d45_noresample_cellprob.npy'), shape: [1, 106, 133] }),
    ];
    const expected = [
      ...channelsFirst(cellposeNpy('e2e/d45_dP.npy')),
      ...channelsFirst({ ...cellposeNpy('e2e/d45_cellprob.npy'), shape: [1, 160, 200] }),
    ];
    small.forEach((plane, c) => {
      const out = resizeLinear(plane, { height: 160, width: 200 });
      expect(compare(out.data, expected[c].data)).toEqual({ maxAbs: 0, differing: 0 });
    });
  });
});
