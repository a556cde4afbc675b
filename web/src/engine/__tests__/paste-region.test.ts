import { describe, expect, it } from 'vitest';
import { createLabels, type Labels } from '../../../../src/browser.js';
import { pasteRegion } from '../paste-region.js';

/** Labels from rectangles [label, x0, y0, x1, y1] (inclusive) on a w × h image. */
function boxes(w: number, h: number, ...rects: [number, number, number, number, number][]): Labels {
  const data = new Uint32Array(w * h);
  for (const [label, x0, y0, x1, y1] of rects)
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * w + x] = label;
  return createLabels(w, h, data);
}

const count = (labels: Labels, value: number) => labels.data.filter((v) => v === value).length;

describe('pasteRegion', () => {
  // Old: 1 wholly inside the region (x 4..11, y 4..11), 2 crossing its left edge, 3 outside.
  const old = boxes(20, 20, [1, 6, 6, 8, 8], [2, 1, 5, 5, 7], [3, 15, 15, 18, 18]);
  const region = { x: 4, y: 4, width: 8, height: 8 };

  it('replaces objects inside, keeps ones crossing the edge, drops new ones the edge cuts', () => {
    // Fresh (region coordinates): 1 inside (a 3×2 box), 2 touching the right edge, 3 over old
    // object 2's part inside the region (x 4..5 → region x 0..1, touches the left edge too).
    const fresh = boxes(8, 8, [1, 3, 2, 5, 3], [2, 5, 6, 7, 7], [3, 0, 1, 1, 3]);
    const result = pasteRegion(old, fresh, region);
    expect(result.replaced).toBe(1);
    expect(result.added).toBe(1);
    expect(result.dropped).toBe(2);
    const out = result.labels;
    expect(count(out, 1)).toBe(0); // replaced
    expect(count(out, 2)).toBe(15); // kept whole, also its 2 columns inside the region
    expect(count(out, 3)).toBe(16); // outside: untouched
    // The one new object gets the first free label, 4, at its place in the image.
    expect(count(out, 4)).toBe(6);
    expect(out.data[(4 + 2) * 20 + 4 + 3]).toBe(4);
    expect(new Set(out.data)).toEqual(new Set([0, 2, 3, 4]));
  });

  it('keeps new objects on a region edge that is the image edge', () => {
    const corner = { x: 0, y: 0, width: 8, height: 8 };
    // Touches the image's top and left edges only: kept; touches the region's right edge: cut.
    const fresh = boxes(8, 8, [1, 0, 0, 2, 2], [2, 6, 3, 7, 4]);
    const result = pasteRegion(createLabels(20, 20), fresh, corner);
    expect(result.added).toBe(1);
    expect(result.dropped).toBe(1);
    expect(count(result.labels, 1)).toBe(9);
    expect(count(result.labels, 2)).toBe(0);
  });

  it('drops a new object that lands mostly on an old object kept across the edge', () => {
    // Old 2 crosses the region's left edge and covers x 4..7, y 5..7 inside it.
    const oldWide = boxes(20, 20, [2, 1, 5, 7, 7]);
    // Fresh 1 at image x 6..8, y 5..7: 6 of its 9 pixels are old 2's, so it is dropped.
    const mostly = pasteRegion(oldWide, boxes(8, 8, [1, 2, 1, 4, 3]), region);
    expect([mostly.added, mostly.dropped]).toEqual([0, 1]);
    expect(mostly.labels.data).toEqual(oldWide.data);
    // Fresh 1 at image x 7..9: 3 of 9 taken, so it stays with its 6 free pixels.
    const partly = pasteRegion(oldWide, boxes(8, 8, [1, 3, 1, 5, 3]), region);
    expect([partly.added, partly.dropped]).toEqual([1, 0]);
    expect(count(partly.labels, 3)).toBe(6);
    expect(count(partly.labels, 2)).toBe(21);
  });

  it('numbers new objects without gaps and never changes its inputs', () => {
    const fresh = boxes(8, 8, [5, 2, 1, 3, 2], [9, 7, 3, 7, 4], [7, 4, 4, 5, 5]);
    const before = [...old.data];
    const result = pasteRegion(old, fresh, region);
    // 5 and 7 kept (as 4 and 5), 9 cut by the right edge.
    expect(count(result.labels, 4)).toBe(4);
    expect(count(result.labels, 5)).toBe(4);
    expect(Math.max(...result.labels.data)).toBe(5);
    expect([...old.data]).toEqual(before);
  });
});
