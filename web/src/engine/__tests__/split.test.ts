import { describe, expect, it } from 'vitest';
import { createLabels, type Labels } from '../../../../src/browser.js';
import { linePixels, splitAlongLine } from '../split.js';

const W = 16;

/** Labels with rectangles [label, x0, y0, x1, y1] (inclusive). */
function boxes(...rects: [number, number, number, number, number][]): Labels {
  const data = new Uint32Array(W * W);
  for (const [label, x0, y0, x1, y1] of rects)
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * W + x] = label;
  return createLabels(W, W, data);
}

const count = (labels: Labels, value: number) => labels.data.filter((v) => v === value).length;

describe('linePixels', () => {
  it('draws an 8-connected line: max(|dx|, |dy|) + 1 pixels', () => {
    expect(
      linePixels(
        [
          { x: 0.5, y: 0.5 },
          { x: 9.5, y: 3.5 },
        ],
        W,
        W,
      ).length,
    ).toBe(10);
    expect(
      linePixels(
        [
          { x: 2, y: 2 },
          { x: 2, y: 9 },
          { x: 7, y: 9 },
        ],
        W,
        W,
      ).length,
    ).toBe(13);
  });

  it('clips to the image', () => {
    expect(
      linePixels(
        [
          { x: -5, y: 3 },
          { x: 40, y: 3 },
        ],
        W,
        W,
      ),
    ).toEqual([...Array(W).keys()].map((x) => 3 * W + x));
  });
});

describe('splitAlongLine', () => {
  it('cuts a rectangle in two; the cut column goes to the larger side on a tie', () => {
    // Label 1 spans x 2..11, y 2..7 (60 px); the line runs down column 6.
    const labels = boxes([1, 2, 2, 11, 7]);
    const result = splitAlongLine(labels, [
      { x: 6.5, y: 0.5 },
      { x: 6.5, y: 9.5 },
    ]);
    expect(result.split).toEqual([1]);
    expect(result.created).toEqual([2]);
    // Right side x 7..11 (30 px) keeps label 1 and takes the 6 cut pixels; left x 2..5 is 2.
    expect(count(result.labels, 1)).toBe(36);
    expect(count(result.labels, 2)).toBe(24);
    for (let y = 2; y <= 7; y++) {
      expect(result.labels.data[y * W + 5]).toBe(2);
      expect(result.labels.data[y * W + 6]).toBe(1);
    }
    expect(labels.data[2 * W + 2]).toBe(1); // the input is unchanged
  });

  it('cuts a square along its diagonal into n(n+1)/2 and n(n-1)/2 pixels', () => {
    const n = 10;
    const labels = boxes([5, 0, 0, n - 1, n - 1]);
    const result = splitAlongLine(labels, [
      { x: 0, y: 0 },
      { x: n - 1, y: n - 1 },
    ]);
    expect(result.created).toEqual([6]);
    expect(count(result.labels, 5)).toBe((n * (n + 1)) / 2);
    expect(count(result.labels, 6)).toBe((n * (n - 1)) / 2);
    expect(count(result.labels, 0)).toBe(W * W - n * n);
  });

  it('splits every object the line crosses, and leaves one it only nicks', () => {
    // Two touching boxes crossed by a row, and box 3 which the line enters but never leaves.
    const labels = boxes([1, 1, 1, 5, 8], [2, 6, 1, 10, 8], [3, 12, 2, 15, 8]);
    const result = splitAlongLine(labels, [
      { x: 0, y: 4 },
      { x: 13, y: 4 },
    ]);
    expect(result.split).toEqual([1, 2]);
    expect(result.created).toEqual([4, 5]);
    // Rows 1..3 (15 px) and 5..8 (20 px) each side; row 4 ties and goes to the larger piece.
    expect(count(result.labels, 1)).toBe(25);
    expect(count(result.labels, 4)).toBe(15);
    expect(count(result.labels, 2)).toBe(25);
    expect(count(result.labels, 5)).toBe(15);
    expect(count(result.labels, 3)).toBe(28);
    expect(
      [...result.labels.data].filter((v, i) => v !== labels.data[i] && v !== 4 && v !== 5),
    ).toEqual([]);
  });

  it('changes nothing when the line misses every object', () => {
    const labels = boxes([1, 2, 2, 5, 5]);
    const result = splitAlongLine(labels, [
      { x: 8, y: 0 },
      { x: 8, y: 15 },
    ]);
    expect(result.split).toEqual([]);
    expect(result.labels.data).toEqual(labels.data);
  });
});
