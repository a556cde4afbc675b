import { describe, expect, it } from 'vitest';
import { createLabels } from '../../../../src/browser.js';
import { resolveDetached } from '../detached.js';

// 6×3: object 1 cut in two (3 pixels left, 1 right), object 2 whole, object 3 untouched.
const grid = [
  [1, 1, 0, 1, 0, 3],
  [1, 0, 0, 0, 2, 3],
  [0, 0, 0, 0, 2, 0],
];
const labels = () => createLabels(6, 3, Uint32Array.from(grid.flat()));
const rows = (data: Uint32Array) => [0, 1, 2].map((y) => [...data.slice(y * 6, y * 6 + 6)]);

describe('resolveDetached', () => {
  it('gives a detached piece a new label, the largest piece keeps the old one', () => {
    const out = resolveDetached(labels(), [1, 2], 'relabel');
    expect(rows(out.data)).toEqual([
      [1, 1, 0, 4, 0, 3],
      [1, 0, 0, 0, 2, 3],
      [0, 0, 0, 0, 2, 0],
    ]);
  });

  it('drops detached pieces, or keeps them as they are', () => {
    expect(rows(resolveDetached(labels(), [1], 'drop').data)[0]).toEqual([1, 1, 0, 0, 0, 3]);
    const input = labels();
    expect(resolveDetached(input, [1], 'keep')).toBe(input);
    expect(input.data[3]).toBe(1); // never mutated
  });

  it('treats diagonal neighbours as apart (4-connectivity, as the fill)', () => {
    const diagonal = createLabels(2, 2, Uint32Array.from([5, 0, 0, 5]));
    expect([...resolveDetached(diagonal, [5], 'relabel').data]).toEqual([5, 0, 0, 6]);
  });
});
