import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import type { Labels } from '../../image/types.js';
import { syntheticCells } from '../../synth/cells.js';
import { compartments } from '../compartments.js';
import { relate } from '../relate.js';
import { grid } from './grid.js';

/** cytoplasm + nucleus = cell pixel for pixel, never both. */
function expectPartition(parts: ReturnType<typeof compartments>, cells: Labels): void {
  const wrong: number[] = [];
  for (let i = 0; i < cells.data.length; i++) {
    const n = parts.nucleus.data[i];
    const y = parts.cytoplasm.data[i];
    if ((n !== 0 && y !== 0) || n + y !== cells.data[i]) wrong.push(i);
  }
  expect(wrong).toEqual([]);
}

describe('compartments', () => {
  it('splits synthetic cells exactly into their ground-truth nucleus and the rest', () => {
    const { nucleusLabels, cellLabels } = syntheticCells();
    const parts = compartments(nucleusLabels, cellLabels);
    expect(parts.cell).toBe(cellLabels);
    expectPartition(parts, cellLabels);
    // Ground truth: nucleus k lies wholly inside cell k, so the nucleus compartment is the nucleus image.
    expect(parts.nucleus.data).toEqual(nucleusLabels.data);
  });

  it('keeps a straddling nucleus in each cell that matched it, labelled with the cell', () => {
    const cells = grid(['AAAABB', 'AAAABB', 'AAAABB'], { A: 1, B: 2 });
    const nuclei = grid(['.nnnn.', '.nnnn.', '......'], { n: 5 });
    const parts = compartments(nuclei, cells);
    expectPartition(parts, cells);
    expect(parts.nucleus).toEqual(grid(['.AAAB.', '.AAAB.', '......'], { A: 1, B: 2 }));
  });

  it('puts a second nucleus into the cytoplasm, and drops matched-nucleus pixels outside the cell', () => {
    const cells = grid(['AAAAAA.', 'AAAAAA.', 'AAAAAA.', '.......'], { A: 1 });
    const nuclei = grid(['xx.yyyy', 'xx.yyyy', '.......', '.......'], { x: 2, y: 7 });
    const parts = compartments(nuclei, cells);
    expectPartition(parts, cells);
    expect(parts.nucleus).toEqual(grid(['...AAA.', '...AAA.', '.......', '.......'], { A: 1 }));
    expect(parts.cytoplasm).toEqual(grid(['AAA....', 'AAA....', 'AAAAAA.', '.......'], { A: 1 }));
  });

  it('makes the whole cell cytoplasm when it has no nucleus', () => {
    const cells = grid(['AA', 'AA'], { A: 4_000_000_000 });
    const nuclei = grid(['..', '..'], {});
    const parts = compartments(nuclei, cells);
    expect(parts.cytoplasm).toEqual(cells);
    expect(parts.nucleus.data.every((v) => v === 0)).toBe(true);
  });

  it('refuses a relation made from other images', () => {
    const cells = grid(['AB'], { A: 1, B: 2 });
    const nuclei = grid(['..'], {});
    const stale = relate(nuclei, grid(['A.'], { A: 1 }));
    expect(() => compartments(nuclei, cells, stale)).toThrow(InvalidArgumentError);
    const other = relate(grid(['...'], {}), grid(['...'], {}));
    expect(() => compartments(nuclei, cells, other)).toThrow(InvalidArgumentError);
  });
});
