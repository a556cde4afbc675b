import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import type { Labels } from '../../../image/types.js';
import { fillHolesAndRemoveSmallMasks } from '../fill-holes-and-remove-small-masks.js';

function grid(rows: number[][]): Labels {
  return { width: rows[0].length, height: rows.length, data: Uint32Array.from(rows.flat()) };
}
const rowsOf = (labels: Labels): number[][] =>
  Array.from({ length: labels.height }, (_, r) =>
    Array.from(labels.data.subarray(r * labels.width, (r + 1) * labels.width)),
  );

describe('fillHolesAndRemoveSmallMasks in closed form', () => {
  // Label 1 is gone (as after flow-error QC): 2 has 6 pixels, 3 has 3, 4 has 8.
  const gappy = grid([
    [2, 2, 2, 0, 3, 0, 4, 4, 4, 4],
    [2, 2, 2, 0, 3, 0, 4, 4, 4, 4],
    [0, 0, 0, 0, 3, 0, 0, 0, 0, 0],
  ]);

  it('with the Cellpose 3.1 quirk, removes label index + 1 instead of the small label', () => {
    // Counts in label order: [6, 3, 8]. Position 1 is under minSize 5, so label *2* goes; 3 and 4
    // become 1 and 2, and the second pass (now gap-free) removes the small one.
    const out = fillHolesAndRemoveSmallMasks(gappy, { minSize: 5 });
    expect(rowsOf(out)).toEqual([
      [0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
      [0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('without the quirk, removes the small labels themselves (Cellpose ≥ 4.0.8)', () => {
    const out = fillHolesAndRemoveSmallMasks(gappy, {
      minSize: 5,
      cellpose31SmallMaskQuirk: false,
    });
    expect(rowsOf(out)).toEqual([
      [1, 1, 1, 0, 0, 0, 2, 2, 2, 2],
      [1, 1, 1, 0, 0, 0, 2, 2, 2, 2],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('fills holes, absorbing an object inside a ring, and compacts labels without minSize', () => {
    const ring = grid([
      [5, 5, 5, 5, 5, 0],
      [5, 0, 0, 0, 5, 0],
      [5, 0, 9, 0, 5, 0],
      [5, 5, 5, 5, 5, 0],
      [0, 0, 0, 0, 0, 7],
    ]);
    expect(rowsOf(fillHolesAndRemoveSmallMasks(ring, { minSize: -1 }))).toEqual([
      [1, 1, 1, 1, 1, 0],
      [1, 1, 1, 1, 1, 0],
      [1, 1, 1, 1, 1, 0],
      [1, 1, 1, 1, 1, 0],
      [0, 0, 0, 0, 0, 2],
    ]);
  });

  it('leaves a hole open to the edge of the bounding box through an edge unfilled', () => {
    const open = grid([
      [1, 1, 1],
      [1, 0, 0],
      [1, 1, 1],
    ]);
    expect(rowsOf(fillHolesAndRemoveSmallMasks(open, { minSize: 0 }))).toEqual(rowsOf(open));
  });

  it('keeps an empty image empty and validates minSize', () => {
    const empty = grid([[0, 0]]);
    expect(rowsOf(fillHolesAndRemoveSmallMasks(empty))).toEqual([[0, 0]]);
    expect(() => fillHolesAndRemoveSmallMasks(empty, { minSize: NaN })).toThrow(
      InvalidArgumentError,
    );
  });
});
