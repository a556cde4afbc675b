import { describe, expect, it } from 'vitest';
import { createLabels } from '../../../../src/browser.js';
import { fillLabel } from '../fill.js';

// 5×4: object 1 on the left, object 2 a diagonal pair (not 4-connected), background elsewhere.
const grid = [
  [1, 1, 0, 0, 2],
  [1, 1, 0, 2, 0],
  [0, 0, 0, 0, 0],
  [3, 3, 0, 0, 0],
];
const labels = () => createLabels(5, 4, Uint32Array.from(grid.flat()));
const rows = (data: Uint32Array) => [0, 1, 2, 3].map((y) => [...data.slice(y * 5, y * 5 + 5)]);

describe('fillLabel', () => {
  it('relabels the clicked object only', () => {
    const { labels: out, filled } = fillLabel(labels(), 0.5, 1.5, 7);
    expect(filled).toBe(4);
    expect(rows(out.data)[0]).toEqual([7, 7, 0, 0, 2]);
    expect(rows(out.data)[3]).toEqual([3, 3, 0, 0, 0]);
  });

  it('fills the 4-connected background and stops at diagonal gaps', () => {
    const { labels: out, filled } = fillLabel(labels(), 4.5, 3.5, 9);
    // The background is one 4-connected region of 12 pixels: (4, 1) joins it through row 2.
    expect(filled).toBe(12);
    expect(rows(out.data)[1]).toEqual([1, 1, 9, 2, 9]);
    expect(rows(out.data)[0]).toEqual([1, 1, 9, 9, 2]);
  });

  it('leaves a diagonal neighbour of the same label alone', () => {
    const { labels: out, filled } = fillLabel(labels(), 4, 0, 5);
    expect(filled).toBe(1);
    expect(out.data[1 * 5 + 3]).toBe(2);
  });

  it('never changes its input and rejects points outside', () => {
    const input = labels();
    fillLabel(input, 0, 0, 4);
    expect(input.data[0]).toBe(1);
    expect(() => fillLabel(input, 5, 0, 1)).toThrow(/outside the 5×4 image/);
    expect(() => fillLabel(input, 0, 0, 1.5)).toThrow(/whole number/);
  });
});
