import { describe, expect, it } from 'vitest';
import { createLabels } from '../../image/plane.js';
import type { Labels } from '../../image/types.js';
import { labelsAt, paintStroke, type StrokePoint } from '../index.js';
import {
  toRows,
  pixelCount,
  pixelsOf,
  latticeDiskCount,
  distanceToSegment,
  referenceStroke,
  expectInvalid,
  scene,
} from './edit-helpers.js';

describe('paintStroke: one stamp', () => {
  const stampAt = (radius: number, x = 20, y = 20) =>
    paintStroke(createLabels(41, 41), [{ x, y }], { radius, value: 4 });

  it('covers the lattice points of the disk: 1, 5, 13, 29 pixels for radius 0 to 3', () => {
    expect(stampAt(0).changed).toBe(1);
    expect(stampAt(1).changed).toBe(5);
    expect(stampAt(2).changed).toBe(13);
    expect(stampAt(3).changed).toBe(29);
  });

  it('matches a brute-force count of dx² + dy² ≤ r² for integer and fractional radii', () => {
    for (const radius of [0, 1, 1.5, 2, 2.5, 3, 4, 5, 7.2, 10, 12, 15]) {
      const { labels, changed } = stampAt(radius);
      expect(changed, `radius ${radius}`).toBe(latticeDiskCount(radius));
      expect(pixelCount(labels, 4)).toBe(changed);
      for (const key of pixelsOf(labels, 4)) {
        const [x, y] = key.split(',').map(Number);
        expect((x - 20) ** 2 + (y - 20) ** 2).toBeLessThanOrEqual(radius * radius);
      }
    }
  });

  it('paints radius 1 as a plus', () => {
    const { labels } = paintStroke(createLabels(3, 3), [{ x: 1, y: 1 }], { radius: 1, value: 2 });
    expect(toRows(labels)).toEqual([
      [0, 2, 0],
      [2, 2, 2],
      [0, 2, 0],
    ]);
  });

  it('floors fractional points to the pixel they fall in, as labelsAt', () => {
    const labels = createLabels(6, 6);
    const { labels: painted } = paintStroke(labels, [{ x: 3.7, y: 2.2 }], { radius: 0, value: 5 });
    expect(pixelsOf(painted, 5)).toEqual(new Set(['3,2']));
    expect(labelsAt(painted, 3.7, 2.2)).toBe(5);
  });

  it('stamps a repeated point once', () => {
    const points = [
      { x: 5, y: 5 },
      { x: 5, y: 5 },
      { x: 5, y: 5 },
    ];
    expect(paintStroke(createLabels(11, 11), points, { radius: 2, value: 1 }).changed).toBe(13);
  });

  it('returns an unchanged copy for an empty stroke', () => {
    const labels = scene();
    const result = paintStroke(labels, [], { radius: 3, value: 1 });
    expect(result.changed).toBe(0);
    expect(result.labels.data).toEqual(labels.data);
    expect(result.labels.data).not.toBe(labels.data);
  });
});

describe('paintStroke: segments', () => {
  it('covers every pixel of a horizontal, vertical and diagonal line', () => {
    const horizontal = paintStroke(
      createLabels(50, 10),
      [
        { x: 2, y: 5 },
        { x: 40, y: 5 },
      ],
      { radius: 0, value: 1 },
    );
    expect(horizontal.changed).toBe(39);
    for (let x = 2; x <= 40; x++) expect(labelsAt(horizontal.labels, x, 5)).toBe(1);

    const vertical = paintStroke(
      createLabels(10, 50),
      [
        { x: 3, y: 45 },
        { x: 3, y: 0 },
      ],
      { radius: 0, value: 1 },
    );
    expect(vertical.changed).toBe(46);
    for (let y = 0; y <= 45; y++) expect(labelsAt(vertical.labels, 3, y)).toBe(1);

    const diagonal = paintStroke(
      createLabels(32, 32),
      [
        { x: 0, y: 0 },
        { x: 31, y: 31 },
      ],
      { radius: 0, value: 1 },
    );
    expect(diagonal.changed).toBe(32);
    for (let i = 0; i < 32; i++) expect(labelsAt(diagonal.labels, i, i)).toBe(1);
  });

  it('leaves no gaps on any slope: one pixel per step, each next to the last', () => {
    const ends: [StrokePoint, StrokePoint][] = [
      [
        { x: 1, y: 2 },
        { x: 57, y: 19 },
      ],
      [
        { x: 50, y: 3 },
        { x: 7, y: 58 },
      ],
      [
        { x: 30, y: 59 },
        { x: 33, y: 0 },
      ],
      [
        { x: 59, y: 40 },
        { x: 0, y: 37 },
      ],
    ];
    for (const [a, b] of ends) {
      const { labels, changed } = paintStroke(createLabels(60, 60), [a, b], {
        radius: 0,
        value: 1,
      });
      const steps = Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y));
      expect(changed).toBe(steps + 1);
      // Along the longer axis, every index holds exactly one pixel, within one of its neighbour.
      const alongX = Math.abs(b.x - a.x) >= Math.abs(b.y - a.y);
      const across = new Map<number, number>();
      for (const key of pixelsOf(labels, 1)) {
        const [x, y] = key.split(',').map(Number);
        const along = alongX ? x : y;
        expect(across.has(along)).toBe(false);
        across.set(along, alongX ? y : x);
        expect(distanceToSegment(x, y, a, b)).toBeLessThanOrEqual(0.5);
      }
      const [from, to] = alongX ? [a.x, b.x] : [a.y, b.y];
      for (let i = Math.min(from, to); i < Math.max(from, to); i++) {
        expect(Math.abs(across.get(i)! - across.get(i + 1)!)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('with radius 1, covers every pixel within 1 px of the segment and none beyond 1.5 px', () => {
    const ends: [StrokePoint, StrokePoint][] = [
      [
        { x: 3, y: 4 },
        { x: 55, y: 21 },
      ],
      [
        { x: 52, y: 5 },
        { x: 9, y: 54 },
      ],
      [
        { x: 10, y: 50 },
        { x: 40, y: 9 },
      ],
    ];
    for (const [a, b] of ends) {
      const { labels } = paintStroke(createLabels(60, 60), [a, b], { radius: 1, value: 1 });
      for (let y = 0; y < 60; y++) {
        for (let x = 0; x < 60; x++) {
          const distance = distanceToSegment(x, y, a, b);
          const painted = labelsAt(labels, x, y) === 1;
          if (distance <= 1) expect(painted, `(${x}, ${y}) at ${distance}`).toBe(true);
          if (distance > 1.5) expect(painted, `(${x}, ${y}) at ${distance}`).toBe(false);
        }
      }
    }
  });

  it('matches an independent brute-force union of disks along a polyline', () => {
    const inside = [
      { x: 4, y: 4 },
      { x: 30, y: 9 },
      { x: 12, y: 33 },
      { x: 12, y: 33 },
      { x: 38, y: 36 },
      { x: 39, y: 2 },
    ];
    const acrossBorders = [
      { x: -5, y: 10 },
      { x: 20, y: -6 },
      { x: 50, y: 25 },
      { x: 30, y: 45 },
      { x: 2, y: 38 },
    ];
    for (const points of [inside, acrossBorders]) {
      for (const radius of [0, 1, 2.5, 4]) {
        const { labels, changed } = paintStroke(createLabels(44, 40), points, {
          radius,
          value: 6,
        });
        const expected = referenceStroke(44, 40, points, radius);
        expect(pixelsOf(labels, 6)).toEqual(expected);
        expect(changed).toBe(expected.size);
      }
    }
  });

  it('does not change the input', () => {
    const labels = scene();
    const before = labels.data.slice();
    const result = paintStroke(
      labels,
      [
        { x: 0, y: 3 },
        { x: 5, y: 0 },
      ],
      { radius: 2, value: 7, preserveOthers: false },
    );
    expect(labels.data).toEqual(before);
    expect(result.labels.data.buffer).not.toBe(labels.data.buffer);
    expect(result.changed).toBeGreaterThan(0);
  });
});

describe('paintStroke: other labels and erasing', () => {
  /** 9 × 9 with a 3 × 3 block of label 2 at columns 5–7, rows 3–5. */
  const withBlock = (): Labels => {
    const labels = createLabels(9, 9);
    for (let y = 3; y <= 5; y++) for (let x = 5; x <= 7; x++) labels.data[y * 9 + x] = 2;
    return labels;
  };
  // Radius 2 at (4, 4) covers 13 pixels; (5, 3), (5, 4), (5, 5) and (6, 4) of them are in the block.
  const centre = [{ x: 4, y: 4 }];

  it('preserves other labels by default', () => {
    const { labels, changed } = paintStroke(withBlock(), centre, { radius: 2, value: 1 });
    expect(changed).toBe(13 - 4);
    expect(pixelCount(labels, 2)).toBe(9);
    expect(pixelCount(labels, 1)).toBe(9);
  });

  it('overwrites other labels without preserveOthers', () => {
    const { labels, changed } = paintStroke(withBlock(), centre, {
      radius: 2,
      value: 1,
      preserveOthers: false,
    });
    expect(changed).toBe(13);
    expect(pixelCount(labels, 2)).toBe(9 - 4);
    expect(pixelCount(labels, 1)).toBe(13);
  });

  it('does not count pixels that already hold the value', () => {
    const { labels } = paintStroke(withBlock(), centre, { radius: 2, value: 2 });
    expect(pixelCount(labels, 2)).toBe(9 + 9);
    const again = paintStroke(labels, centre, { radius: 2, value: 2 });
    expect(again.changed).toBe(0);
  });

  // Label 3 as a plus around (1, 4); radius 3 at (4, 4) reaches its (1, 4) and (2, 4), and 7 of
  // the block's 9 pixels: all but (7, 3) and (7, 5), where 3² + 1² > 3².
  const withPlus = (): Labels =>
    paintStroke(withBlock(), [{ x: 1, y: 4 }], { radius: 1, value: 3 }).labels;

  it('erases only the given label with preserveOthers', () => {
    const painted = withPlus();
    expect(pixelCount(painted, 3)).toBe(5);
    const eraseBlock = paintStroke(painted, centre, { radius: 3, value: 2, mode: 'erase' });
    expect(eraseBlock.changed).toBe(7);
    expect(pixelsOf(eraseBlock.labels, 2)).toEqual(new Set(['7,3', '7,5']));
    expect(pixelCount(eraseBlock.labels, 3)).toBe(5);
  });

  it('erases every label when the value is 0 or preserveOthers is off', () => {
    const painted = withPlus();
    const eraseAny = paintStroke(painted, centre, { radius: 3, value: 0, mode: 'erase' });
    expect(eraseAny.changed).toBe(7 + 2);
    expect(pixelCount(eraseAny.labels, 2)).toBe(2);
    expect(pixelsOf(eraseAny.labels, 3)).toEqual(new Set(['0,4', '1,3', '1,5']));
    const eraseAll = paintStroke(painted, centre, {
      radius: 3,
      value: 2,
      mode: 'erase',
      preserveOthers: false,
    });
    expect(eraseAll.labels.data).toEqual(eraseAny.labels.data);
    expect(eraseAll.changed).toBe(9);
  });
});

describe('paintStroke: borders', () => {
  it('clips a stamp at a corner', () => {
    // The quarter disk of radius 2: (0,0), (1,0), (2,0), (0,1), (0,2), (1,1).
    const { labels, changed } = paintStroke(createLabels(10, 10), [{ x: 0, y: 0 }], {
      radius: 2,
      value: 1,
    });
    expect(changed).toBe(6);
    expect(pixelsOf(labels, 1)).toEqual(new Set(['0,0', '1,0', '2,0', '0,1', '0,2', '1,1']));
  });

  it('paints the part inside the image of a stamp centred outside it', () => {
    // Centre (-2, 5), radius 3: column 0 has dy² ≤ 5 (5 pixels), column 1 has dy = 0.
    const { labels, changed } = paintStroke(createLabels(10, 10), [{ x: -2, y: 5 }], {
      radius: 3,
      value: 1,
    });
    expect(changed).toBe(6);
    expect(pixelsOf(labels, 1)).toEqual(new Set(['0,3', '0,4', '0,5', '0,6', '0,7', '1,5']));
  });

  it('paints nothing for a stroke wholly outside the image', () => {
    const points = [
      { x: -10, y: -10 },
      { x: 30, y: -4 },
    ];
    const labels = scene();
    const result = paintStroke(labels, points, { radius: 3, value: 1 });
    expect(result.changed).toBe(0);
    expect(result.labels.data).toEqual(labels.data);
  });

  it('paints the crossing part of a segment between far-away points', () => {
    const near = paintStroke(
      createLabels(20, 10),
      [
        { x: -1000, y: 5 },
        { x: 1000, y: 5 },
      ],
      { radius: 0, value: 1 },
    );
    expect(near.changed).toBe(20);
    const far = paintStroke(
      createLabels(20, 10),
      [
        { x: -1e9, y: -1e9 },
        { x: 1e9, y: 1e9 },
      ],
      { radius: 1, value: 1 },
    );
    // The diagonal x = y crosses 10 pixels; radius 1 adds 10 right of it (x = y + 1, the last
    // from (9, 9)) and 9 left of it (x = y - 1).
    expect(far.changed).toBe(10 + 10 + 9);
    for (let i = 0; i < 10; i++) expect(labelsAt(far.labels, i, i)).toBe(1);
  });

  it('handles a long stroke across a 2048 × 2048 image', () => {
    const labels = createLabels(2048, 2048);
    const { labels: painted, changed } = paintStroke(
      labels,
      [
        { x: -50, y: 1024 },
        { x: 2100, y: 1024 },
      ],
      { radius: 10, value: 1 },
    );
    // A band of 21 full rows: the disks' union along a horizontal line reaches ±10 rows.
    expect(changed).toBe(2048 * 21);
    expect(labelsAt(painted, 0, 1014)).toBe(1);
    expect(labelsAt(painted, 2047, 1034)).toBe(1);
    expect(labelsAt(painted, 1000, 1013)).toBe(0);
    expect(pixelCount(labels, 0)).toBe(2048 * 2048);
  });
});

describe('paintStroke: bad options', () => {
  const labels = scene();
  const at = [{ x: 1, y: 1 }];

  it('rejects a radius that is negative or not finite', () => {
    for (const radius of [-1, Number.NaN, Infinity]) {
      const error = expectInvalid(() => paintStroke(labels, at, { radius, value: 1 }), /radius/);
      expect(error.hint).toBeDefined();
    }
  });

  it('rejects values that are not labels, and painting 0', () => {
    for (const value of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expectInvalid(() => paintStroke(labels, at, { radius: 1, value }), /not a label value/);
    }
    expect(
      expectInvalid(() => paintStroke(labels, at, { radius: 1, value: 0 }), /erase/).hint,
    ).toMatch(/erase/);
  });

  it('rejects an unknown mode and points that are not positions', () => {
    const mode = 'fill' as 'paint';
    expectInvalid(() => paintStroke(labels, at, { radius: 1, value: 1, mode }), /mode 'fill'/);
    for (const bad of [Number.NaN, Infinity, 1e300]) {
      expectInvalid(
        () => paintStroke(labels, [at[0], { x: 1, y: bad }], { radius: 1, value: 1 }),
        /stroke point 1/,
      );
    }
  });
});
