import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import type { Labels, Mask, Plane } from '../../../image/types.js';
import {
  argument,
  loadInput,
  loadOutput,
  skimageCases,
  npyLabels as labelsOf,
  npyMask as maskOf,
  npyPlane as plane,
} from '../../../../test/skimage-fixtures.js';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import { seededRandom as random } from '../../../synth/random.js';
import { watershed, type WatershedOptions } from '../watershed.js';
import { reference } from './skimage-reference.js';

describe.skipIf(!HAS_SHARED)('watershed against skimage 0.19.3 fixtures', () => {
  const cases = countedCases(
    skimageCases('watershed').filter((c) => c.function === 'skimage.segmentation.watershed'),
    18,
    'watershed',
  );

  for (const c of cases) {
    it(`${c.id} (${String(c.pixels_differing_under_skimage_ge_0_25)} px differ under skimage ≥ 0.25)`, () => {
      const labels = watershed(plane(loadInput(c, 'image')), labelsOf(loadInput(c, 'markers')), {
        mask: c.inputs.mask ? maskOf(loadInput(c, 'mask')) : undefined,
        connectivity: argument<1 | 2>(c, 'connectivity'),
        compactness: argument<number>(c, 'compactness'),
        watershedLine: argument<boolean>(c, 'watershed_line'),
      });
      const expected = labelsOf(loadOutput(c, 'labels'));
      expect(labels.width).toBe(expected.width);
      expect(labels.height).toBe(expected.height);
      let differing = 0;
      for (let i = 0; i < expected.data.length; i++) {
        if (labels.data[i] !== expected.data[i]) differing++;
      }
      expect(differing).toBe(0);
    });
  }
});

/** A float64 plane from rows of numbers. */
function grid(rows: number[][]): Plane<Float64Array> {
  return { width: rows[0].length, height: rows.length, data: Float64Array.from(rows.flat()) };
}
function labelGrid(rows: number[][]): Labels {
  return { width: rows[0].length, height: rows.length, data: Uint32Array.from(rows.flat()) };
}
function maskGrid(rows: number[][]): Mask {
  return { width: rows[0].length, height: rows.length, data: Uint8Array.from(rows.flat()) };
}
const rowsOf = (labels: Labels): number[][] =>
  Array.from({ length: labels.height }, (_, r) =>
    Array.from(labels.data.subarray(r * labels.width, (r + 1) * labels.width)),
  );

describe('watershed in closed form', () => {
  const valley = grid([[0, 1, 2, 3, 2, 1, 0]]);
  const ends = labelGrid([[1, 0, 0, 0, 0, 0, 2]]);

  it('splits two basins at the ridge; the ridge pixel goes to the marker that reaches it first', () => {
    // both sides reach value 3 from value 2; the left side pushed its 2 earlier (younger age wins)
    expect(rowsOf(watershed(valley, ends))).toEqual([[1, 1, 1, 1, 2, 2, 2]]);
  });

  it('leaves the ridge pixel as line with watershedLine', () => {
    expect(rowsOf(watershed(valley, ends, { watershedLine: true }))).toEqual([
      [1, 1, 1, 0, 2, 2, 2],
    ]);
  });

  it('splits a plateau by flooding age: equidistant pixels go to the marker first in raster order', () => {
    const flat = grid([[0, 0, 0, 0, 0]]);
    expect(rowsOf(watershed(flat, labelGrid([[1, 0, 0, 0, 2]])))).toEqual([[1, 1, 1, 2, 2]]);
    expect(rowsOf(watershed(flat, labelGrid([[2, 0, 0, 0, 1]])))).toEqual([[2, 2, 2, 1, 1]]);
    // in 2-D, a flat image splits into 4-neighbour (Manhattan) Voronoi cells
    const size = 9;
    const image = grid(Array.from({ length: size }, () => new Array<number>(size).fill(0)));
    const markers = labelGrid(Array.from({ length: size }, () => new Array<number>(size).fill(0)));
    const seeds = [
      [1, 2, 1],
      [7, 6, 2],
      [2, 7, 3],
    ];
    for (const [r, c, label] of seeds) markers.data[r * size + c] = label;
    const labels = watershed(image, markers);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const d = seeds.map(([sr, sc]) => Math.abs(r - sr) + Math.abs(c - sc));
        const nearest = Math.min(...d);
        if (d.filter((x) => x === nearest).length > 1) continue;
        expect(labels.data[r * size + c]).toBe(seeds[d.indexOf(nearest)][2]);
      }
    }
  });

  it('floods only inside the mask; unreachable mask pixels stay 0', () => {
    const image = grid([
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    const mask = maskGrid([
      [1, 1, 0, 1, 1],
      [1, 1, 0, 1, 1],
      [0, 0, 0, 1, 1],
    ]);
    const markers = labelGrid([
      [1, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(rowsOf(watershed(image, markers, { mask }))).toEqual([
      [1, 1, 0, 0, 0],
      [1, 1, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
  });

  it('drops markers outside the mask (they neither appear nor flood)', () => {
    const image = grid([[0, 0, 0, 0]]);
    const mask = maskGrid([[0, 1, 1, 1]]);
    const markers = labelGrid([[5, 0, 0, 7]]);
    expect(rowsOf(watershed(image, markers, { mask }))).toEqual([[0, 7, 7, 7]]);
    expect(rowsOf(watershed(image, labelGrid([[5, 0, 0, 0]]), { mask }))).toEqual([[0, 0, 0, 0]]);
  });

  it('returns all 0 without markers', () => {
    const image = grid([
      [3, 1, 2],
      [0, 5, 4],
    ]);
    expect(
      watershed(
        image,
        labelGrid([
          [0, 0, 0],
          [0, 0, 0],
        ]),
      ).data,
    ).toEqual(new Uint32Array(6));
  });

  it('crosses diagonals only with connectivity 2', () => {
    const image = grid([
      [0, 9, 9],
      [9, 0, 9],
      [9, 9, 0],
    ]);
    const mask = maskGrid([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const markers = labelGrid([
      [4, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(rowsOf(watershed(image, markers, { mask }))).toEqual([
      [4, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(rowsOf(watershed(image, markers, { mask, connectivity: 2 }))).toEqual([
      [4, 0, 0],
      [0, 4, 0],
      [0, 0, 4],
    ]);
  });

  it('pops equal markers in binary-heap order, not raster order, and keeps their labels', () => {
    // all three markers are (0, age 0); after 7 leaves, the last record (12) sinks from the root
    // and stays there, since skimage's heap only moves a child up when strictly smaller
    const image = grid([[0, 1, 0, 1, 0]]);
    const labels = watershed(image, labelGrid([[7, 0, 2000000000, 0, 12]]));
    expect(rowsOf(labels)).toEqual([[7, 7, 2000000000, 12, 12]]);
  });

  it('with compactness, splits a flat image into Euclidean Voronoi cells', () => {
    const size = 15;
    const image = grid(Array.from({ length: size }, () => new Array<number>(size).fill(0)));
    const markers = labelGrid(Array.from({ length: size }, () => new Array<number>(size).fill(0)));
    const seeds = [
      [2, 3, 1],
      [11, 12, 2],
      [3, 12, 3],
      [12, 2, 4],
    ];
    for (const [r, c, label] of seeds) markers.data[r * size + c] = label;
    const labels = watershed(image, markers, { compactness: 0.01 });
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const d = seeds.map(([sr, sc]) => Math.hypot(r - sr, c - sc));
        const sorted = [...d].sort((a, b) => a - b);
        if (sorted[1] - sorted[0] < 1) continue; // near the bisectors the path shape decides
        expect(labels.data[r * size + c]).toBe(seeds[d.indexOf(sorted[0])][2]);
      }
    }
  });

  it('with compactness, lets a near marker win over a lower but farther route', () => {
    // classic flooding follows the low row; strong compactness keeps pixels with the nearer marker
    const image = grid([
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
      [5, 5, 5, 5, 5, 5, 5, 5, 5],
    ]);
    const markers = labelGrid([
      [1, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 2],
    ]);
    expect(rowsOf(watershed(image, markers))[1]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2]);
    expect(rowsOf(watershed(image, markers, { compactness: 100 }))[1]).toEqual([
      1, 1, 1, 1, 2, 2, 2, 2, 2,
    ]);
  });

  it('handles degenerate images', () => {
    const empty = watershed(
      { width: 0, height: 0, data: new Float64Array(0) },
      { width: 0, height: 0, data: new Uint32Array(0) },
    );
    expect(empty.data).toHaveLength(0);
    expect(rowsOf(watershed(grid([[3]]), labelGrid([[2]])))).toEqual([[2]]);
    const column = grid([[0], [1], [0]]);
    expect(rowsOf(watershed(column, labelGrid([[1], [0], [2]])))).toEqual([[1], [1], [2]]);
    // integer images flood the same way
    const u8: Plane<Uint8Array> = { width: 3, height: 1, data: Uint8Array.of(0, 1, 0) };
    expect(rowsOf(watershed(u8, labelGrid([[1, 0, 2]]), { watershedLine: true }))).toEqual([
      [1, 0, 2],
    ]);
  });

  it('keeps the label of a marker that becomes watershed line, which then floods nothing', () => {
    // marker 3 leaves the queue last, between markers 1 and 2: skimage takes it out of the mask
    // but leaves its label in the output, and the pixel below it is reached from the sides
    const image = grid([
      [0, 9, 0],
      [9, 9, 9],
    ]);
    const markers = labelGrid([
      [1, 3, 2],
      [0, 0, 0],
    ]);
    const labels = watershed(image, markers, { watershedLine: true });
    expect(rowsOf(labels)).toEqual(rowsOf(reference(image, markers, { watershedLine: true })));
    expect(rowsOf(labels)[0]).toEqual([1, 3, 2]);
    expect(labels.data[4]).not.toBe(3);
  });

  it('handles more marker labels than two bytes can number', () => {
    const width = 300;
    const height = 240;
    const image: Plane<Float64Array> = { width, height, data: new Float64Array(width * height) };
    const markers: Labels = { width, height, data: new Uint32Array(width * height) };
    for (let i = 0; i < width * height; i++) {
      image.data[i] = (i * 7919) % 13;
      if (i % 2 === 0) markers.data[i] = 4000000000 - i;
    }
    const labels = watershed(image, markers);
    expect(new Set(labels.data).size).toBe((width * height) / 2);
    expect(labels.data).toEqual(reference(image, markers, {}).data);
  });

  it('refuses mismatched sizes and bad options', () => {
    const image = grid([[0, 0, 0]]);
    expect(() => watershed(image, labelGrid([[0, 0]]))).toThrow(InvalidArgumentError);
    expect(() => watershed(image, labelGrid([[1, 0, 0]]), { mask: maskGrid([[1]]) })).toThrow(
      InvalidArgumentError,
    );
    const markers = labelGrid([[1, 0, 0]]);
    expect(() => watershed(image, markers, { connectivity: 3 as 1 })).toThrow(InvalidArgumentError);
    expect(() => watershed(image, markers, { compactness: -1 })).toThrow(InvalidArgumentError);
  });
});

describe('watershed against a plain transcription of skimage 0.19.3 _watershed_cy.pyx', () => {
  // random scenes where the queue runs as skimage's heap, as buckets and falls back to the heap
  const kinds = ['few values', 'continuous', 'mixed', 'some NaN'] as const;
  const settings: WatershedOptions[] = [
    {},
    { connectivity: 2 },
    { watershedLine: true },
    { watershedLine: true, connectivity: 2 },
    { compactness: 0.05 },
    { compactness: 2, watershedLine: true },
  ];
  for (const kind of kinds) {
    for (const options of settings) {
      it(`${kind}, ${JSON.stringify(options)}`, () => {
        const next = random(kinds.indexOf(kind) * 100 + settings.indexOf(options));
        for (let trial = 0; trial < 6; trial++) {
          const width = 8 + Math.floor(next() * 70);
          const height = 8 + Math.floor(next() * 70);
          const n = width * height;
          const image: Plane<Float64Array> = { width, height, data: new Float64Array(n) };
          for (let i = 0; i < n; i++) {
            const few = Math.floor(next() * 6);
            const continuous = next();
            const mixed = i < n / 3 ? few : continuous;
            image.data[i] =
              kind === 'few values'
                ? few
                : kind === 'continuous'
                  ? continuous
                  : kind === 'mixed' || next() > 0.05
                    ? mixed
                    : NaN;
          }
          const markers: Labels = { width, height, data: new Uint32Array(n) };
          const seeds = Math.floor(next() * 12);
          for (let k = 0; k < seeds; k++)
            markers.data[Math.floor(next() * n)] = 1 + Math.floor(next() * 5);
          const mask: Mask = { width, height, data: new Uint8Array(n) };
          for (let i = 0; i < n; i++) mask.data[i] = next() < 0.9 ? 1 : 0;
          const withMask = { ...options, mask: trial % 2 === 0 ? mask : undefined };
          expect(watershed(image, markers, withMask).data).toEqual(
            reference(image, markers, withMask).data,
          );
        }
      });
    }
  }
});
