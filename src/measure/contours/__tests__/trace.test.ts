import { describe, expect, it } from 'vitest';
import { createLabels } from '../../../image/plane.js';
import { ringArea2, traceOutlines, type ObjectOutline } from '../trace.js';
import { fillRings, randomLabels } from './fill.js';

/** Labels from rows of digits ('.' is background). */
function parse(rows: string[]) {
  const height = rows.length;
  const width = rows[0].length;
  const data = new Uint32Array(width * height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) data[y * width + x] = row[x] === '.' ? 0 : Number(row[x]);
  });
  return createLabels(width, height, data);
}

function allRings(outline: ObjectOutline): number[][] {
  return outline.polygons.flatMap((p) => [p.exterior, ...p.holes]);
}

function expectSimple(ring: number[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < ring.length; i += 2) seen.add(`${ring[i]},${ring[i + 1]}`);
  expect(seen.size).toBe(ring.length / 2);
}

describe('traceOutlines', () => {
  it('gives a single pixel its four corners, counter-clockwise in y-up terms', () => {
    const [outline] = traceOutlines(parse(['...', '.1.', '...']));
    expect(outline.label).toBe(1);
    expect(outline.polygons).toEqual([{ exterior: [1, 1, 2, 1, 2, 2, 1, 2], holes: [] }]);
    expect(ringArea2(outline.polygons[0].exterior)).toBe(2);
  });

  it('follows the pixel edges of an L shape touching the image border', () => {
    const [outline] = traceOutlines(parse(['1..', '1..', '11.']));
    expect(outline.polygons[0].exterior).toEqual([0, 0, 1, 0, 1, 2, 2, 2, 2, 3, 0, 3]);
  });

  it('keeps a hole as an interior ring with the opposite orientation', () => {
    const [outline] = traceOutlines(parse(['111', '1.1', '111']));
    expect(outline.polygons).toHaveLength(1);
    const { exterior, holes } = outline.polygons[0];
    expect(ringArea2(exterior)).toBe(18);
    expect(holes).toEqual([[1, 1, 1, 2, 2, 2, 2, 1]]);
    expect(ringArea2(holes[0])).toBe(-2);
  });

  it('splits pixels that touch only at a corner into separate polygons', () => {
    const [outline] = traceOutlines(parse(['1.', '.1']));
    expect(outline.polygons.map((p) => p.exterior)).toEqual([
      [0, 0, 1, 0, 1, 1, 0, 1],
      [1, 1, 2, 1, 2, 2, 1, 2],
    ]);
  });

  it('cuts a pocket open only at a corner into a hole that touches the outline', () => {
    // The background pixel at (1, 1) reaches the outside only through the corner (2, 2).
    const labels = parse(['111.', '1.1.', '11..', '....']);
    const [outline] = traceOutlines(labels);
    expect(outline.polygons).toHaveLength(1);
    const { exterior, holes } = outline.polygons[0];
    expect(holes).toEqual([[1, 1, 1, 2, 2, 2, 2, 1]]);
    expectSimple(exterior);
    expect((ringArea2(exterior) + ringArea2(holes[0])) / 2).toBe(7);
  });

  it('gives two holes that touch at a corner a ring each', () => {
    const [outline] = traceOutlines(parse(['1111', '1.11', '11.1', '1111']));
    expect(outline.polygons[0].holes).toEqual([
      [1, 1, 1, 2, 2, 2, 2, 1],
      [2, 2, 2, 3, 3, 3, 3, 2],
    ]);
  });

  it('gives an island inside a hole its own polygon, and the hole to the outer one', () => {
    const [outline] = traceOutlines(parse(['11111', '1...1', '1.1.1', '1...1', '11111']));
    expect(outline.polygons).toHaveLength(2);
    expect(outline.polygons[0].holes).toHaveLength(1);
    expect(outline.polygons[1]).toEqual({ exterior: [2, 2, 3, 2, 3, 3, 2, 3], holes: [] });
  });

  it('traces neighbouring labels along their shared edge, each its own outline', () => {
    const outlines = traceOutlines(parse(['1122', '1122']));
    expect(outlines.map((o) => o.label)).toEqual([1, 2]);
    expect(outlines[0].polygons[0].exterior).toEqual([0, 0, 2, 0, 2, 2, 0, 2]);
    expect(outlines[1].polygons[0].exterior).toEqual([2, 0, 4, 0, 4, 2, 2, 2]);
  });

  const randomCases = [
    { width: 17, height: 13, count: 5, seed: 1 },
    { width: 40, height: 31, count: 12, seed: 2 },
    { width: 64, height: 64, count: 30, seed: 3 },
    { width: 9, height: 50, count: 4, seed: 4 },
    { width: 100, height: 80, count: 60, seed: 5 },
  ];
  it.each(randomCases)(
    'fills back to exactly each object of random labels $width×$height (seed $seed)',
    ({ width, height, count, seed }) => {
      const labels = randomLabels(width, height, count, seed);
      const outlines = traceOutlines(labels);
      const present = new Set(labels.data);
      present.delete(0);
      expect(outlines.map((o) => o.label)).toEqual([...present].sort((a, b) => a - b));
      for (const outline of outlines) {
        const rings = allRings(outline);
        rings.forEach(expectSimple);
        const mask = fillRings(rings, width, height);
        let pixels = 0;
        const wrong: number[] = [];
        for (let i = 0; i < mask.length; i++) {
          if (mask[i] !== (labels.data[i] === outline.label ? 1 : 0)) wrong.push(i);
          pixels += mask[i];
        }
        expect(wrong, `label ${outline.label}: pixels filled wrongly`).toEqual([]);
        expect(rings.reduce((sum, r) => sum + ringArea2(r), 0) / 2).toBe(pixels);
        for (const { exterior, holes } of outline.polygons) {
          expect(ringArea2(exterior)).toBeGreaterThan(0);
          for (const hole of holes) expect(ringArea2(hole)).toBeLessThan(0);
        }
      }
    },
  );
  it('ran every random case', () => expect(randomCases).toHaveLength(5));
});
