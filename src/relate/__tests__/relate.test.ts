import { describe, expect, it } from 'vitest';
import { loadInput, loadOutput, npyLabels, skimageCase } from '../../../test/skimage-fixtures.js';
import { HAS_SHARED } from '../../../test/shared.js';
import { InvalidArgumentError } from '../../errors.js';
import { npyToNumbers } from '../../io/npy.js';
import { syntheticCells } from '../../synth/cells.js';
import { relate } from '../relate.js';
import { grid } from './grid.js';

describe.skipIf(!HAS_SHARED)('relate against the reference matching', () => {
  for (const id of [
    'big/match_nuclei_to_cells_max_overlap',
    'timing2048/match_nuclei_to_cells_max_overlap',
  ]) {
    it(id, () => {
      const c = skimageCase(id);
      const cells = npyLabels(loadInput(c, 'cells'));
      const nuclei = npyLabels(loadInput(c, 'nuclei'));
      const table = loadOutput(c, 'table');
      const [rows, width] = table.shape;
      expect(c.outputs.table).toMatchObject({
        columns: ['cell_label', 'nucleus_label', 'overlap_px', 'cell_area_px'],
      });
      const values = npyToNumbers(table);
      const column = (j: number) => Array.from({ length: rows }, (_, r) => values[r * width + j]);

      const relation = relate(nuclei, cells);
      expect(Array.from(relation.cells.label)).toEqual(column(0));
      expect(Array.from(relation.cells.nucleus)).toEqual(column(1));
      expect(Array.from(relation.cells.overlap)).toEqual(column(2));
      expect(Array.from(relation.cells.area)).toEqual(column(3));
    });
  }

  it('reports the conflicts the fixture describes (nuclei outside cells, straddling, cells without)', () => {
    const c = skimageCase('big/match_nuclei_to_cells_max_overlap');
    const relation = relate(npyLabels(loadInput(c, 'nuclei')), npyLabels(loadInput(c, 'cells')));
    const { conflicts, nuclei, pairs } = relation;
    expect(conflicts.nucleiOutsideCells.length).toBeGreaterThan(0);
    expect(conflicts.cellsWithoutNucleus.length).toBeGreaterThan(0);
    expect(conflicts.multinucleateCells.length).toBeGreaterThan(0);
    // Every nucleus's pixels split into its overlaps with cells and the part outside.
    for (let k = 0; k < nuclei.label.length; k++) {
      let inside = 0;
      for (let p = 0; p < pairs.nucleus.length; p++)
        if (pairs.nucleus[p] === nuclei.label[k]) inside += pairs.overlap[p];
      expect(inside + nuclei.outside[k]).toBe(nuclei.area[k]);
    }
  });
});

describe('relate on synthetic cells', () => {
  it('finds nucleus k in cell k, with no conflicts', () => {
    const { nucleusLabels, cellLabels } = syntheticCells();
    const relation = relate(nucleusLabels, cellLabels);
    const { cells, nuclei, conflicts } = relation;
    expect(cells.label.length).toBeGreaterThan(10);
    expect(Array.from(cells.nucleus)).toEqual(Array.from(cells.label));
    expect(Array.from(nuclei.label)).toEqual(Array.from(cells.label));
    expect(Array.from(nuclei.cell)).toEqual(Array.from(nuclei.label));
    expect(Array.from(cells.overlap)).toEqual(Array.from(nuclei.area));
    expect(Array.from(nuclei.outside).every((n) => n === 0)).toBe(true);
    expect(conflicts).toEqual({
      sharedNuclei: [],
      multinucleateCells: [],
      nucleiOutsideCells: [],
      cellsWithoutNucleus: [],
    });
    // Areas are pixel counts.
    for (let k = 0; k < cells.label.length; k++) {
      const label = cells.label[k];
      expect(cells.area[k]).toBe(cellLabels.data.filter((v) => v === label).length);
      expect(nuclei.area[k]).toBe(nucleusLabels.data.filter((v) => v === label).length);
    }
  });
});

describe('relate on hand-built cases', () => {
  it('a cell with two nuclei takes the larger overlap, and reports the conflict', () => {
    const cells = grid(['AAAAAA', 'AAAAAA', 'AAAAAA'], { A: 1 });
    const nuclei = grid(['xx.yyy', 'xx.yyy', '......'], { x: 2, y: 7 });
    const { cells: c, nuclei: n, pairs, conflicts } = relate(nuclei, cells);
    expect(Array.from(c.nucleus)).toEqual([7]);
    expect(Array.from(c.overlap)).toEqual([6]);
    expect(Array.from(n.label)).toEqual([2, 7]);
    expect(Array.from(n.cell)).toEqual([1, 1]);
    expect(Array.from(n.overlap)).toEqual([4, 6]);
    expect(pairs).toEqual({
      cell: Uint32Array.of(1, 1),
      nucleus: Uint32Array.of(2, 7),
      overlap: Uint32Array.of(4, 6),
    });
    expect(conflicts.multinucleateCells).toEqual([{ cell: 1, nuclei: [2, 7], overlaps: [4, 6] }]);
    expect(conflicts.sharedNuclei).toEqual([]);
  });

  it('ties go to the smaller nucleus label, whichever comes first in the image', () => {
    const cells = grid(['AAAAA', 'AAAAA'], { A: 3 });
    const nuclei = grid(['xx.yy', 'xx.yy'], { x: 9, y: 4 });
    const relation = relate(nuclei, cells);
    expect(Array.from(relation.cells.nucleus)).toEqual([4]);
    expect(Array.from(relation.cells.overlap)).toEqual([4]);
  });

  it('ties of a nucleus between two cells go to the smaller cell label', () => {
    const cells = grid(['AABB', 'AABB'], { A: 8, B: 5 });
    const nuclei = grid(['nnnn', '....'], { n: 1 });
    const relation = relate(nuclei, cells);
    expect(Array.from(relation.nuclei.cell)).toEqual([5]);
    expect(Array.from(relation.nuclei.overlap)).toEqual([2]);
  });

  it('a nucleus split between two cells goes to the cell holding most of it; both cells match it', () => {
    const cells = grid(['AAAABB', 'AAAABB', 'AAAABB'], { A: 1, B: 2 });
    const nuclei = grid(['.nnnn.', '.nnnn.', '......'], { n: 5 });
    const { cells: c, nuclei: n, conflicts } = relate(nuclei, cells);
    expect(Array.from(c.nucleus)).toEqual([5, 5]);
    expect(Array.from(c.overlap)).toEqual([6, 2]);
    expect(Array.from(n.cell)).toEqual([1]);
    expect(Array.from(n.overlap)).toEqual([6]);
    expect(Array.from(n.area)).toEqual([8]);
    expect(conflicts.sharedNuclei).toEqual([{ nucleus: 5, cells: [1, 2] }]);
    expect(conflicts.multinucleateCells).toEqual([]);
  });

  it('a cell without nucleus gets 0; a nucleus outside every cell gets cell 0', () => {
    const cells = grid(['AA....', 'AA..BB'], { A: 1, B: 3 });
    const nuclei = grid(['.m..nn', '.m....'], { m: 2, n: 8 });
    const { cells: c, nuclei: n, conflicts } = relate(nuclei, cells);
    expect(Array.from(c.label)).toEqual([1, 3]);
    expect(Array.from(c.nucleus)).toEqual([2, 0]);
    expect(Array.from(c.overlap)).toEqual([2, 0]);
    expect(Array.from(n.cell)).toEqual([1, 0]);
    expect(Array.from(n.outside)).toEqual([0, 2]);
    expect(conflicts.cellsWithoutNucleus).toEqual([3]);
    expect(conflicts.nucleiOutsideCells).toEqual([8]);
  });

  it('partial overlap: a nucleus poking out of its cell counts its outside pixels apart', () => {
    const cells = grid(['AAA.', 'AAA.'], { A: 1 });
    const nuclei = grid(['.nnn', '....'], { n: 4 });
    const { nuclei: n } = relate(nuclei, cells);
    expect(Array.from(n.area)).toEqual([3]);
    expect(Array.from(n.overlap)).toEqual([2]);
    expect(Array.from(n.outside)).toEqual([1]);
  });

  it('handles sparse labels up to 2³²−1 without allocating per label value', () => {
    const big = 4_000_000_000;
    const top = 2 ** 32 - 1;
    const cells = grid(['AAAB', 'AAAB'], { A: big, B: 1 });
    const nuclei = grid(['nn.m', 'nn.m'], { n: top, m: 3_999_999_999 });
    const relation = relate(nuclei, cells);
    expect(Array.from(relation.cells.label)).toEqual([1, big]);
    expect(Array.from(relation.cells.nucleus)).toEqual([3_999_999_999, top]);
    expect(Array.from(relation.nuclei.label)).toEqual([3_999_999_999, top]);
    expect(Array.from(relation.nuclei.cell)).toEqual([1, big]);
    expect(Array.from(relation.pairs.cell)).toEqual([1, big]);
  });

  it('an empty image relates nothing', () => {
    const empty = { width: 3, height: 2, data: new Uint32Array(6) };
    const relation = relate(empty, empty);
    expect(relation.cells.label.length).toBe(0);
    expect(relation.nuclei.label.length).toBe(0);
    expect(relation.pairs.cell.length).toBe(0);
  });

  it('refuses label images of different sizes', () => {
    const a = { width: 3, height: 2, data: new Uint32Array(6) };
    const b = { width: 2, height: 3, data: new Uint32Array(6) };
    expect(() => relate(a, b)).toThrow(InvalidArgumentError);
    expect(() => relate(a, { width: 3, height: 2, data: new Uint32Array(5) })).toThrow(
      InvalidArgumentError,
    );
  });
});
