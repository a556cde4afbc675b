import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { dropCellsWithoutNucleus, mergeNucleusFreeFragments } from '../merge-fragments.js';
import { grid } from './grid.js';

const CELLS = { A: 1, B: 2, C: 3, F: 5, G: 7, I: 9 };
const NUCLEI = { n: 1, m: 2 };
/** The merge mechanics, whatever share of its outline a fragment shares. */
const ANY = { minSharedOutline: 0 };

describe('mergeNucleusFreeFragments', () => {
  it('merges a fragment into the cell with a nucleus it shares most border with', () => {
    // B shares 2 pixel pairs with A and 1 with C: it joins A.
    const cells = grid(['AAAABBB', 'AAAABBB', 'CCCCBBB', 'CCCC...'], CELLS);
    const nuclei = grid(['.nn....', '.......', '.......', '.mm....'], NUCLEI);
    const result = mergeNucleusFreeFragments(cells, nuclei, ANY);
    expect(result.labels).toEqual(grid(['AAAAAAA', 'AAAAAAA', 'CCCCAAA', 'CCCC...'], CELLS));
    expect(result.merged).toEqual([{ cell: 2, into: 1 }]);
    expect(result.isolated).toEqual([]);
  });

  it('treats a sliver of a nucleus as none, merges chains in rounds, keeps isolated cells', () => {
    // F holds 1 pixel of nucleus n (A holds 4), so F is a fragment; G touches only F and joins A
    // in the second round; I touches nothing with a nucleus.
    const cells = grid(['AAAFFG..II', 'AAAFFG..II', 'AAAFFG....'], CELLS);
    const nuclei = grid(['.nnn......', '.nn.......', '..........'], NUCLEI);
    const result = mergeNucleusFreeFragments(cells, nuclei, ANY);
    expect(result.labels).toEqual(grid(['AAAAAA..II', 'AAAAAA..II', 'AAAAAA....'], CELLS));
    expect(result.merged).toEqual([
      { cell: 5, into: 1 },
      { cell: 7, into: 1 },
    ]);
    expect(result.isolated).toEqual([9]);

    const dropped = mergeNucleusFreeFragments(cells, nuclei, {
      ...ANY,
      dropCellsWithoutNucleus: true,
    });
    expect(dropped.labels).toEqual(grid(['AAAAAA....', 'AAAAAA....', 'AAAAAA....'], CELLS));
    expect(dropped.isolated).toEqual([9]);
  });

  it('breaks ties towards the smaller label and ignores diagonal contact', () => {
    // F (5) shares 2 pairs with C (3) and 2 with B (2); G touches B only at a corner.
    const cells = grid(['CFB.', 'CFB.', '...G', 'AA..'], CELLS);
    const nuclei = grid(['n.m.', '....', '....', 'kk..'], { n: 1, m: 2, k: 3 });
    const result = mergeNucleusFreeFragments(cells, nuclei, ANY);
    expect(result.labels).toEqual(grid(['CBB.', 'CBB.', '...G', 'AA..'], CELLS));
    expect(result.merged).toEqual([{ cell: 5, into: 2 }]);
    expect(result.isolated).toEqual([7]);
  });

  it('leaves cells that all hold a nucleus as they are', () => {
    const cells = grid(['AABB', 'AABB'], CELLS);
    const nuclei = grid(['n..m', '....'], NUCLEI);
    expect(mergeNucleusFreeFragments(cells, nuclei, ANY)).toEqual({
      labels: cells,
      merged: [],
      isolated: [],
    });
  });

  it('merges a lobe that shares 30 % of its outline, keeps a whole cell that shares less', () => {
    // X (3 × 3, outline 12) shares 3 sides with each of A, B, C, D: a quarter, so it stays a
    // cell. F (1 × 3, outline 8) shares 3 with C: 0.375, so it joins C.
    const labels = { A: 1, B: 2, C: 3, D: 4, F: 5, X: 6 };
    const cells = grid(['AAAAA.', 'BXXXCF', 'BXXXCF', 'BXXXCF', 'DDDDD.'], labels);
    const nuclei = grid(['a.....', 'b...c.', '......', '......', 'd.....'], {
      a: 1,
      b: 2,
      c: 3,
      d: 4,
    });
    const result = mergeNucleusFreeFragments(cells, nuclei);
    expect(result.merged).toEqual([{ cell: 5, into: 3 }]);
    expect(result.isolated).toEqual([6]);
    expect(result.labels).toEqual(grid(['AAAAA.', 'BXXXCC', 'BXXXCC', 'BXXXCC', 'DDDDD.'], labels));
    // At a quarter, X joins the neighbour of the smallest label.
    const quarter = mergeNucleusFreeFragments(cells, nuclei, { minSharedOutline: 0.25 });
    expect(quarter.merged).toEqual([
      { cell: 5, into: 3 },
      { cell: 6, into: 1 },
    ]);
  });

  it('merges a piece along a cut of 4 of its widths, and a thin process', () => {
    const labels = { A: 1, F: 5 };
    const nucleus = { n: 1 };
    // F (2 × 12, outline 28, mean width 2 × 24 / 28 = 1.7) shares 8 sides with A: under 30 %,
    // but more than 4 widths.
    const lobe = grid(['AAAAAAAA....', 'FFFFFFFFFFFF', 'FFFFFFFFFFFF'], labels);
    const lobeNuclei = grid(['n...........', '............', '............'], nucleus);
    expect(mergeNucleusFreeFragments(lobe, lobeNuclei).merged).toEqual([{ cell: 5, into: 1 }]);
    const noWidths = { minSharedWidths: Infinity };
    expect(mergeNucleusFreeFragments(lobe, lobeNuclei, noWidths).merged).toEqual([]);
    // F (1 × 10) meets A end-on, 1 side of 22, but its elongation is 22² / (4π × 10) = 3.85.
    const process = grid(['AAAA..........', 'AAAAFFFFFFFFFF', 'AAAA..........'], labels);
    const processNuclei = grid(['n.............', '..............', '..............'], nucleus);
    expect(mergeNucleusFreeFragments(process, processNuclei).merged).toEqual([
      { cell: 5, into: 1 },
    ]);
    const compactOnly = { minProcessElongation: Infinity };
    expect(mergeNucleusFreeFragments(process, processNuclei, compactOnly).merged).toEqual([]);
  });

  it('refuses label images of different sizes', () => {
    const cells = grid(['AA'], CELLS);
    expect(() => mergeNucleusFreeFragments(cells, grid(['n', 'n'], NUCLEI), ANY)).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('dropCellsWithoutNucleus', () => {
  it('keeps only the cells that hold the most of some nucleus', () => {
    const cells = grid(['AAFF.I', 'AAFF.I'], CELLS);
    const nuclei = grid(['.nn...', '......'], NUCLEI);
    expect(dropCellsWithoutNucleus(cells, nuclei)).toEqual(grid(['AA....', 'AA....'], CELLS));
  });
});
