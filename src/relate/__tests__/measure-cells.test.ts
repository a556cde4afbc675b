import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { createStack } from '../../image/stack.js';
import type { Labels, Stack } from '../../image/types.js';
import { numericColumn, type Table } from '../../table/table.js';
import { syntheticCells } from '../../synth/cells.js';
import { compartments } from '../compartments.js';
import { measureCells } from '../measure-cells.js';
import { measureNuclei } from '../measure-nuclei.js';
import { relate } from '../relate.js';
import { grid } from './grid.js';

/** Mean of a plane over the pixels where `where` holds. */
function meanWhere(plane: ArrayLike<number>, where: (i: number) => boolean): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < plane.length; i++) {
    if (where(i)) {
      sum += plane[i];
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

const col = (table: Table, name: string) => Array.from(numericColumn(table, name));

/** A stack whose channel c holds `(c + 1) * 100 + pixel index`, so every mean is easy to check. */
function rampStack(width: number, height: number, names: string[]): Stack {
  return createStack(
    names.map((_, c) => ({
      width,
      height,
      data: Float64Array.from({ length: width * height }, (_, i) => (c + 1) * 100 + i),
    })),
    { channelNames: names },
  );
}

describe('measureCells on synthetic cells', () => {
  const { stack, nucleusLabels, cellLabels } = syntheticCells();
  const table = measureCells(stack, nucleusLabels, cellLabels);
  const labels = col(table, 'cell_label');
  const count = (image: Labels, label: number) => image.data.filter((v) => v === label).length;

  it('names its columns as the notebook, channels ch1… by default', () => {
    expect(Object.keys(table.columns)).toEqual([
      'cell_label',
      'cell_area',
      'cell_centroid_row',
      'cell_centroid_col',
      'cell_perimeter',
      'cell_feret_diameter_max',
      'cell_intensity_mean_ch1',
      'cell_intensity_mean_ch2',
      'cell_intensity_mean_ch3',
      'matched_nucleus_label',
      'nuclei_label',
      'nuclei_area',
      'nuclei_centroid_row',
      'nuclei_centroid_col',
      'nuclei_perimeter',
      'nuclei_intensity_mean_ch1',
      'nuclei_intensity_mean_ch2',
      'nuclei_intensity_mean_ch3',
      'cytoplasm_area',
      'cytoplasm_compartment_area',
      'cytoplasm_intensity_mean_ch1',
      'cytoplasm_intensity_mean_ch2',
      'cytoplasm_intensity_mean_ch3',
      'cell_nuc_ratio',
      'cyto_nuc_ratio',
      'nuc_cell_area_ratio',
      'circularity',
    ]);
    expect(table.metadata.units).toMatchObject({ cell_area: 'px²', cytoplasm_area: 'px²' });
    expect(table.metadata.conflicts).toEqual({
      sharedNuclei: 0,
      multinucleateCells: 0,
      nucleiOutsideCells: 0,
      cellsWithoutNucleus: 0,
    });
  });

  it('matches nucleus k to cell k, with areas and ratios from the ground-truth pixel counts', () => {
    expect(col(table, 'matched_nucleus_label')).toEqual(labels);
    expect(col(table, 'nuclei_label')).toEqual(labels);
    labels.forEach((label, k) => {
      const cell = count(cellLabels, label);
      const nucleus = count(nucleusLabels, label);
      expect(col(table, 'cell_area')[k]).toBe(cell);
      expect(col(table, 'nuclei_area')[k]).toBe(nucleus);
      expect(col(table, 'cytoplasm_area')[k]).toBe(cell - nucleus);
      expect(col(table, 'cytoplasm_compartment_area')[k]).toBe(cell - nucleus);
      expect(col(table, 'cell_nuc_ratio')[k]).toBe(cell / nucleus);
      expect(col(table, 'cyto_nuc_ratio')[k]).toBe((cell - nucleus) / nucleus);
      expect(col(table, 'nuc_cell_area_ratio')[k]).toBe(nucleus / cell);
      const perimeter = col(table, 'cell_perimeter')[k];
      expect(col(table, 'circularity')[k]).toBeCloseTo((4 * Math.PI * cell) / perimeter ** 2, 12);
    });
  });

  it('gives compartment intensity means equal to direct computations', () => {
    const parts = compartments(nucleusLabels, cellLabels);
    stack.planes.forEach((plane, c) => {
      const ch = `ch${c + 1}`;
      labels.forEach((label, k) => {
        const cellMean = meanWhere(plane.data, (i) => cellLabels.data[i] === label);
        const nucleusMean = meanWhere(plane.data, (i) => nucleusLabels.data[i] === label);
        const cytoplasmMean = meanWhere(plane.data, (i) => parts.cytoplasm.data[i] === label);
        const notNucleus = meanWhere(
          plane.data,
          (i) => cellLabels.data[i] === label && nucleusLabels.data[i] !== label,
        );
        expect(col(table, `cell_intensity_mean_${ch}`)[k]).toBeCloseTo(cellMean, 9);
        expect(col(table, `nuclei_intensity_mean_${ch}`)[k]).toBeCloseTo(nucleusMean, 9);
        expect(col(table, `cytoplasm_intensity_mean_${ch}`)[k]).toBeCloseTo(cytoplasmMean, 9);
        expect(cytoplasmMean).toBe(notNucleus);
      });
    });
  });

  it('names columns by the stack, sanitised, with channelNames: "stack"', () => {
    const named = measureCells(stack, nucleusLabels, cellLabels, { channelNames: 'stack' });
    expect(Object.keys(named.columns).filter((n) => n.includes('intensity'))).toEqual([
      'cell_intensity_mean_DNA',
      'cell_intensity_mean_cytoplasm',
      'cell_intensity_mean_signal',
      'nuclei_intensity_mean_DNA',
      'nuclei_intensity_mean_cytoplasm',
      'nuclei_intensity_mean_signal',
      'cytoplasm_intensity_mean_DNA',
      'cytoplasm_intensity_mean_cytoplasm',
      'cytoplasm_intensity_mean_signal',
    ]);
    expect(col(named, 'cell_intensity_mean_signal')).toEqual(col(table, 'cell_intensity_mean_ch3'));
  });

  it('measures selected channels only, keeping their stack position in the name', () => {
    const some = measureCells(stack, nucleusLabels, cellLabels, { channels: ['signal', 0] });
    expect(Object.keys(some.columns).filter((n) => n.startsWith('cell_intensity'))).toEqual([
      'cell_intensity_mean_ch3',
      'cell_intensity_mean_ch1',
    ]);
    expect(col(some, 'nuclei_intensity_mean_ch3')).toEqual(col(table, 'nuclei_intensity_mean_ch3'));
    const single = measureCells(stack, nucleusLabels, cellLabels, { channels: [1] });
    expect(col(single, 'cytoplasm_intensity_mean_ch2')).toEqual(
      col(table, 'cytoplasm_intensity_mean_ch2'),
    );
    const none = measureCells(stack, nucleusLabels, cellLabels, { channels: [] });
    expect(Object.keys(none.columns).some((n) => n.includes('intensity'))).toBe(false);
  });

  it('reuses a given relation to the same result', () => {
    const relation = relate(nucleusLabels, cellLabels);
    const again = measureCells(stack, nucleusLabels, cellLabels, { relation });
    expect(again.columns).toEqual(table.columns);
  });

  it('scales by spacing and records the units', () => {
    const um = measureCells(stack, nucleusLabels, cellLabels, { spacing: [0.5, 0.5] });
    expect(col(um, 'cell_area')).toEqual(col(table, 'cell_area').map((a) => a * 0.25));
    expect(col(um, 'cytoplasm_area')).toEqual(col(table, 'cytoplasm_area').map((a) => a * 0.25));
    expect(col(um, 'cell_nuc_ratio')).toEqual(col(table, 'cell_nuc_ratio'));
    col(um, 'circularity').forEach((v, k) =>
      expect(v).toBeCloseTo(col(table, 'circularity')[k], 12),
    );
    expect(um.metadata.units).toMatchObject({
      cell_area: 'µm²',
      cell_centroid_row: 'µm',
      cell_perimeter: 'µm',
      cell_feret_diameter_max: 'µm',
      nuclei_area: 'µm²',
      cytoplasm_area: 'µm²',
      cytoplasm_compartment_area: 'µm²',
    });
    expect(um.metadata.spacing).toEqual([0.5, 0.5]);
  });
});

describe('measureCells on hand-built cases', () => {
  // Cell 1 holds nuclei 2 (4 px) and 7 (6 px); cell 3 has none; nucleus 9 straddles cells 4 and 5
  // (6 px in 4, 2 in 5), so it pokes out of cell 5.
  const cells = grid(['AAAAAA..CC', 'AAAAAA..CC', 'AAAAAA....', 'DDDDEE....', 'DDDDEE....'], {
    A: 1,
    C: 3,
    D: 4,
    E: 5,
  });
  const nuclei = grid(['xx.yyy....', 'xx.yyy....', '..........', '.nnnn.....', '.nnnn.....'], {
    x: 2,
    y: 7,
    n: 9,
  });
  const stack = rampStack(10, 5, ['DNA', 'GFP (488 nm)']);
  const table = measureCells(stack, nuclei, cells);

  it('matches by largest overlap and leaves NaN nucleus columns for a cell without one', () => {
    expect(col(table, 'cell_label')).toEqual([1, 3, 4, 5]);
    expect(col(table, 'matched_nucleus_label')).toEqual([7, 0, 9, 9]);
    expect(col(table, 'nuclei_label')).toEqual([7, NaN, 9, 9]);
    expect(col(table, 'nuclei_area')).toEqual([6, NaN, 8, 8]);
    for (const name of [
      'nuclei_centroid_row',
      'nuclei_centroid_col',
      'nuclei_perimeter',
      'nuclei_intensity_mean_ch1',
      'nuclei_intensity_mean_ch2',
      'cytoplasm_area',
      'cell_nuc_ratio',
      'cyto_nuc_ratio',
      'nuc_cell_area_ratio',
    ]) {
      expect(col(table, name)[1]).toBeNaN();
    }
    expect(table.metadata.conflicts).toEqual({
      sharedNuclei: 1,
      multinucleateCells: 1,
      nucleiOutsideCells: 0,
      cellsWithoutNucleus: 1,
    });
  });

  it('keeps the notebook cytoplasm_area and the compartment area apart where a nucleus pokes out', () => {
    expect(col(table, 'cell_area')).toEqual([18, 4, 8, 4]);
    // Cell 5 (4 px) holds 2 px of nucleus 9 (8 px): cell − nucleus = −4, compartment = 2.
    expect(col(table, 'cytoplasm_area')).toEqual([12, NaN, 0, -4]);
    // Cell 1's cytoplasm keeps nucleus 2's pixels; cell 3 is all cytoplasm.
    expect(col(table, 'cytoplasm_compartment_area')).toEqual([12, 4, 2, 2]);
    expect(col(table, 'nuc_cell_area_ratio')).toEqual([6 / 18, NaN, 1, 2]);
  });

  it('computes cytoplasm means over the cell minus its matched nucleus', () => {
    const plane = stack.planes[1].data;
    const expected = [1, 3, 4, 5].map((label, k) => {
      const matched = [7, 0, 9, 9][k];
      return meanWhere(
        plane,
        (i) => cells.data[i] === label && (matched === 0 || nuclei.data[i] !== matched),
      );
    });
    expect(col(table, 'cytoplasm_intensity_mean_ch2')).toEqual(expected);
    // Nucleus means are over the whole nucleus, as the notebook: the same for cells 4 and 5.
    const nucleus9 = meanWhere(plane, (i) => nuclei.data[i] === 9);
    expect(col(table, 'nuclei_intensity_mean_ch2').slice(2)).toEqual([nucleus9, nucleus9]);
  });

  it('gives NaN cytoplasm means when the nucleus fills the cell', () => {
    const whole = grid(['AA', 'AA'], { A: 1 });
    const t = measureCells(rampStack(2, 2, ['a']), whole, whole);
    expect(col(t, 'cytoplasm_compartment_area')).toEqual([0]);
    expect(col(t, 'cytoplasm_area')).toEqual([0]);
    expect(col(t, 'cytoplasm_intensity_mean_ch1')).toEqual([NaN]);
  });

  it('gives NaN circularity for a one-pixel cell (perimeter 0)', () => {
    const dot = grid(['...', '.A.', '...'], { A: 1 });
    const t = measureCells(rampStack(3, 3, ['a']), dot, dot);
    expect(col(t, 'cell_perimeter')).toEqual([0]);
    expect(col(t, 'circularity')).toEqual([NaN]);
  });

  it('sanitises stack channel names into column-safe suffixes', () => {
    const named = measureCells(stack, nuclei, cells, { channelNames: 'stack' });
    expect(Object.keys(named.columns)).toContain('cell_intensity_mean_GFP_488_nm');
    expect(Object.keys(named.columns)).toContain('cytoplasm_intensity_mean_DNA');
    expect(named.metadata.channels).toEqual([
      { suffix: 'DNA', index: 0, name: 'DNA' },
      { suffix: 'GFP_488_nm', index: 1, name: 'GFP (488 nm)' },
    ]);
  });

  it('handles sparse labels', () => {
    const big = grid(['AAB', 'AAB'], { A: 4_000_000_000, B: 7 });
    const nuc = grid(['n..', 'n..'], { n: 2 ** 32 - 1 });
    const t = measureCells(rampStack(3, 2, ['a']), nuc, big);
    expect(col(t, 'cell_label')).toEqual([7, 4_000_000_000]);
    expect(col(t, 'matched_nucleus_label')).toEqual([0, 2 ** 32 - 1]);
    expect(col(t, 'cytoplasm_compartment_area')).toEqual([2, 2]);
  });

  it('refuses mismatched sizes, duplicate columns and unknown channels', () => {
    expect(() => measureCells(rampStack(9, 5, ['a']), nuclei, cells)).toThrow(InvalidArgumentError);
    expect(() => measureCells(stack, grid(['..'], {}), cells)).toThrow(InvalidArgumentError);
    expect(() => measureCells(stack, nuclei, cells, { channels: [0, 'DNA'] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => measureCells(stack, nuclei, cells, { channels: [5] })).toThrow(
      InvalidArgumentError,
    );
    const clash = rampStack(10, 5, ['GFP 1', 'GFP-1']);
    expect(() => measureCells(clash, nuclei, cells, { channelNames: 'stack' })).toThrow(
      InvalidArgumentError,
    );
  });

  it('measures an image without cells to an empty table', () => {
    const empty = grid(['..', '..'], {});
    const t = measureCells(rampStack(2, 2, ['a']), empty, empty);
    expect(t.rowCount).toBe(0);
    expect(Object.keys(t.columns)).toContain('cytoplasm_intensity_mean_ch1');
  });
});

describe('measureNuclei', () => {
  const cells = grid(['AAAABB', 'AAAABB', 'AAAABB', '......'], { A: 1, B: 2 });
  const nuclei = grid(['.nnnn.', '.nnnn.', '......', 'm.....'], { n: 5, m: 3 });
  const stack = rampStack(6, 4, ['DNA']);

  it('gives one row per nucleus with its cell, 0 outside every cell', () => {
    const t = measureNuclei(stack, nuclei, cells);
    expect(Object.keys(t.columns)).toEqual([
      'nuclei_label',
      'nuclei_area',
      'nuclei_centroid_row',
      'nuclei_centroid_col',
      'nuclei_perimeter',
      'nuclei_feret_diameter_max',
      'nuclei_intensity_mean_ch1',
      'cell_label',
      'nuclei_area_in_cell',
    ]);
    expect(col(t, 'nuclei_label')).toEqual([3, 5]);
    expect(col(t, 'nuclei_area')).toEqual([1, 8]);
    expect(col(t, 'cell_label')).toEqual([0, 1]);
    expect(col(t, 'nuclei_area_in_cell')).toEqual([0, 6]);
    expect(col(t, 'nuclei_centroid_row')).toEqual([3, 0.5]);
    expect(col(t, 'nuclei_intensity_mean_ch1')[1]).toBe(
      meanWhere(stack.planes[0].data, (i) => nuclei.data[i] === 5),
    );
  });

  it('agrees with the per-cell table on the nucleus columns', () => {
    const { stack: s, nucleusLabels, cellLabels } = syntheticCells({ cells: 10 });
    const perNucleus = measureNuclei(s, nucleusLabels, cellLabels, { spacing: [0.65, 0.65] });
    const perCell = measureCells(s, nucleusLabels, cellLabels, { spacing: [0.65, 0.65] });
    for (const name of ['nuclei_area', 'nuclei_centroid_row', 'nuclei_perimeter']) {
      expect(col(perNucleus, name)).toEqual(col(perCell, name));
    }
    expect(col(perNucleus, 'nuclei_area_in_cell')).toEqual(col(perNucleus, 'nuclei_area'));
    expect(perNucleus.metadata.units).toMatchObject({ nuclei_area_in_cell: 'µm²' });
  });
});
