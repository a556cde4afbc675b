import { describe, expect, it } from 'vitest';
import { HAS_SHARED } from '../../../../test/shared.js';
import { InvalidArgumentError } from '../../../errors.js';
import { foregroundPixels } from '../foreground.js';
import { getMasks } from '../get-masks.js';
import type { FlowPositions } from '../types.js';
import {
  cases,
  countDiffering,
  labelsOf,
  manifest,
  masksInputs,
  npy,
  type MasksCase,
} from './fixtures.js';

describe.skipIf(!HAS_SHARED)('getMasks against Cellpose 3.1.1.3 fixtures', () => {
  const m = manifest();
  for (const [name, c] of cases<MasksCase>(m.masks)) {
    it(`${name}: raw masks from the stored final positions, pixel for pixel`, () => {
      const { cellprob } = masksInputs(m, name);
      const p = npy(c.p_final).data as Float32Array;
      const n = c.n_foreground;
      const positions: FlowPositions = {
        width: cellprob.width,
        height: cellprob.height,
        pixels: foregroundPixels(cellprob, c.params.cellprob_threshold),
        y: p.subarray(0, n),
        x: p.subarray(n, 2 * n),
      };
      const labels = getMasks(positions, { maxSizeFraction: c.params.max_size_fraction });
      const expected = labelsOf(npy(c.masks_raw));
      expect(countDiffering(labels.data, expected.data)).toBe(0);
    });
  }
});

/** `count` pixels of a w × h image, all converging to one of the given points. */
function converging(
  width: number,
  height: number,
  targets: { y: number; x: number; count: number }[],
): FlowPositions {
  const total = targets.reduce((s, t) => s + t.count, 0);
  const pixels = new Uint32Array(total);
  const y = new Float32Array(total);
  const x = new Float32Array(total);
  let k = 0;
  for (const t of targets) {
    for (let j = 0; j < t.count; j++, k++) {
      pixels[k] = k;
      y[k] = t.y + 0.25;
      x[k] = t.x + 0.5;
    }
  }
  return { width, height, pixels, y, x };
}

describe('getMasks in closed form', () => {
  it('labels pixels by the seed they converged to, renumbered by first appearance', () => {
    const labels = getMasks(
      converging(40, 10, [
        { y: 5, x: 30, count: 60 },
        { y: 5, x: 5, count: 40 },
      ]),
    );
    expect(Array.from(labels.data.subarray(0, 100))).toEqual([
      ...new Array<number>(60).fill(1),
      ...new Array<number>(40).fill(2),
    ]);
    expect(labels.data.subarray(100).every((v) => v === 0)).toBe(true);
  });

  it('needs more than 10 pixels in a bin to make a seed', () => {
    const few = getMasks(converging(8, 8, [{ y: 3, x: 3, count: 10 }]));
    expect(few.data.every((v) => v === 0)).toBe(true);
    const enough = getMasks(converging(8, 8, [{ y: 3, x: 3, count: 11 }]));
    expect(enough.data.filter((v) => v === 1).length).toBe(11);
  });

  it('drops masks larger than maxSizeFraction of the image', () => {
    const positions = converging(10, 10, [{ y: 3, x: 3, count: 41 }]);
    expect(getMasks(positions).data.every((v) => v === 0)).toBe(true);
    expect(getMasks(positions, { maxSizeFraction: 0.41 }).data.filter((v) => v === 1).length).toBe(
      41,
    );
  });

  it('returns zeros for no pixels and validates its inputs', () => {
    const empty = converging(5, 4, []);
    expect(getMasks(empty).data).toEqual(new Uint32Array(20));
    expect(() => getMasks(empty, { maxSizeFraction: -1 })).toThrow(InvalidArgumentError);
    expect(() => getMasks({ ...empty, pixels: new Uint32Array([20]) })).toThrow(
      InvalidArgumentError,
    );
  });
});
