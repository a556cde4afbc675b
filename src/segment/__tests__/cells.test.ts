import { describe, expect, it } from 'vitest';
import { HAS_SHARED, readSharedBytes } from '../../../test/shared.js';
import { matchLabels } from '../../evaluate/matching.js';
import type { Labels } from '../../image/types.js';
import { decodeTiffArray } from '../../io/tiff/read.js';
import { seededRandom } from '../../synth/random.js';
import { syntheticCells } from '../../synth/cells.js';
import { CELL_METHODS, segmentCellsFromNuclei } from '../cells.js';
import { MinHeap } from '../heap.js';
import { segmentNucleiClassical } from '../nuclei.js';

/** Every nucleus pixel lies in the cell with its label. */
function nucleiInsideCells(nuclei: Labels, cells: Labels): boolean {
  return nuclei.data.every((n, i) => n === 0 || cells.data[i] === n);
}

/**
 * No part of a cell is one pixel wide: every cell pixel outside the nucleus is, or touches, a
 * pixel whose four neighbours all belong to the same cell.
 */
function thinPixels(cells: Labels, nuclei: Labels): number {
  const { width, height, data } = cells;
  const same = (i: number, y: number, x: number): boolean =>
    y < 0 || y >= height || x < 0 || x >= width || data[y * width + x] === data[i];
  const core = (y: number, x: number): boolean => {
    const i = y * width + x;
    return (
      data[i] !== 0 &&
      same(i, y - 1, x) &&
      same(i, y + 1, x) &&
      same(i, y, x - 1) &&
      same(i, y, x + 1)
    );
  };
  let thin = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (data[i] === 0 || nuclei.data[i] !== 0) continue;
      const near = [
        [y, x],
        [y - 1, x],
        [y + 1, x],
        [y, x - 1],
        [y, x + 1],
      ].some(
        ([yy, xx]) =>
          yy >= 0 &&
          yy < height &&
          xx >= 0 &&
          xx < width &&
          data[yy * width + xx] === data[i] &&
          core(yy, xx),
      );
      if (!near) thin++;
    }
  }
  return thin;
}

describe('segmentCellsFromNuclei on a synthetic image with known cells', () => {
  const { stack, nucleusLabels, cellLabels } = syntheticCells({
    width: 220,
    height: 180,
    cells: 14,
    seed: 9,
  });

  // The same cells with a cytoplasm-filling stain (dim valleys between touching cells) instead of
  // the default cortical, actin-like one (bright seams between them).
  const diffuse = syntheticCells({
    width: 220,
    height: 180,
    cells: 14,
    seed: 9,
    cytoplasmStain: 'diffuse',
  }).stack.planes[1];

  // Propagation follows the edges between touching cells best; the watersheds less tightly.
  // The intensity watershed floods along a bright cortex into the neighbours (F1 0 here), so it
  // is checked only on the stain it is meant for, bright inside the cells.
  it.each([
    ['propagation', 'cortical', 0.7, 0.9],
    ['propagation', 'diffuse', 0.7, 0.9],
    ['watershed-intensity', 'diffuse', 0.5, 0.75],
    ['watershed-gradient', 'cortical', 0.5, 0.9],
    ['watershed-gradient', 'diffuse', 0.5, 0.9],
  ] as const)(
    '%s on a %s stain recovers the true cells (F1 at IoU %s ≥ %s)',
    (method, stain, iou, minimumF1) => {
      const plane = stain === 'diffuse' ? diffuse : stack.planes[1];
      const { labels } = segmentCellsFromNuclei(nucleusLabels, plane, { method });
      const [scores] = matchLabels(labels, cellLabels, { iouThresholds: [iou] });
      expect(scores.f1).toBeGreaterThanOrEqual(minimumF1);
      expect(nucleiInsideCells(nucleusLabels, labels)).toBe(true);
      // Matched pairs keep the nucleus's label.
      for (const match of scores.matches) expect(match.pred).toBe(match.truth);
    },
  );

  it('distance grows each nucleus by a fixed radius', () => {
    const { labels } = segmentCellsFromNuclei(nucleusLabels, stack.planes[1], {
      method: 'distance',
      maxDistancePx: 3,
    });
    expect(nucleiInsideCells(nucleusLabels, labels)).toBe(true);
    const area = (l: Labels): number => l.data.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(area(labels)).toBeGreaterThan(area(nucleusLabels));
    expect(() =>
      segmentCellsFromNuclei(nucleusLabels, stack.planes[1], { method: 'distance' }),
    ).toThrow(/maxDistancePx/);
  });

  it('caps cells at maxDistancePx from their nucleus', () => {
    const capped = segmentCellsFromNuclei(nucleusLabels, stack.planes[1], {
      maxDistancePx: 2,
    }).labels;
    const reach = segmentCellsFromNuclei(nucleusLabels, stack.planes[1], {
      method: 'distance',
      maxDistancePx: 2,
    }).labels;
    expect(capped.data.every((v, i) => v === 0 || reach.data[i] !== 0)).toBe(true);
  });

  it('grows nothing without nuclei', () => {
    const none: Labels = { width: 220, height: 180, data: new Uint32Array(220 * 180) };
    expect(segmentCellsFromNuclei(none, stack.planes[1]).labels.data.every((v) => v === 0)).toBe(
      true,
    );
  });

  it('refuses a cytoplasm plane of another size', () => {
    expect(() =>
      segmentCellsFromNuclei(nucleusLabels, { width: 3, height: 3, data: new Uint8Array(9) }),
    ).toThrow(/220×180/);
  });
});

describe.skipIf(!HAS_SHARED)('cells from nuclei on examplehuman (DNA d0, actin d2)', () => {
  it('keeps every nucleus inside its cell and leaves no one-pixel-wide parts', () => {
    const read = (k: number) => {
      const array = decodeTiffArray(
        readSharedBytes(`data/examplehuman/AS_09125_050116030001_D03f00d${k}.tif`),
      );
      return { width: array.shape[1], height: array.shape[0], data: array.data };
    };
    const nuclei = segmentNucleiClassical(read(0));
    expect(nuclei.count).toBeGreaterThan(200);
    for (const method of CELL_METHODS.filter((m) => m !== 'distance')) {
      const cells = segmentCellsFromNuclei(nuclei.labels, read(2), { method }).labels;
      expect(nucleiInsideCells(nuclei.labels, cells), method).toBe(true);
      expect(thinPixels(cells, nuclei.labels), method).toBe(0);
      expect(
        cells.data.reduce((m, v) => Math.max(m, v), 0),
        method,
      ).toBe(nuclei.count);
    }
  });
});

describe('MinHeap', () => {
  it('pops by key, first in first out among equal keys', () => {
    const random = seededRandom(5);
    const heap = new MinHeap(2);
    const records = Array.from({ length: 500 }, (_, i) => ({
      key: Math.floor(random() * 20),
      age: i,
    }));
    records.forEach((r) => heap.push(r.key, r.age, r.age));
    const popped: number[] = [];
    while (heap.length > 0) popped.push(heap.pop());
    const expected = [...records].sort((a, b) => a.key - b.key || a.age - b.age).map((r) => r.age);
    expect(popped).toEqual(expected);
  });
});
