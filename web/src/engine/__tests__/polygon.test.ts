import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { polygonPixels } from '../polygon.js';

const reference = JSON.parse(
  readFileSync(new URL('./fixtures/polygon-skimage.json', import.meta.url), 'utf8'),
) as {
  width: number;
  height: number;
  cases: { name: string; vertices: [number, number][]; pixels: number[] }[];
};

const pixelsOf = (vertices: [number, number][], width = 40, height = 40) =>
  polygonPixels(
    vertices.map(([x, y]) => ({ x, y })),
    width,
    height,
  );

describe('polygonPixels, closed form', () => {
  it('takes an axis-aligned rectangle with its outline: (w + 1)(h + 1) pixels', () => {
    const pixels = pixelsOf([
      [3, 4],
      [10, 4],
      [10, 9],
      [3, 9],
    ]);
    expect(pixels.length).toBe(8 * 6);
    expect(pixels[0]).toBe(4 * 40 + 3);
    expect(pixels[pixels.length - 1]).toBe(9 * 40 + 10);
  });

  it('takes a half-pixel square as the pixels whose centres it holds', () => {
    // Corners at pixel edges: exactly the 5 × 3 pixels inside, nothing on the outline.
    const pixels = pixelsOf([
      [1.5, 1.5],
      [6.5, 1.5],
      [6.5, 4.5],
      [1.5, 4.5],
    ]);
    expect(pixels).toEqual([2, 3, 4].flatMap((y) => [2, 3, 4, 5, 6].map((x) => y * 40 + x)));
  });

  it('takes a right triangle with legs n as (n + 1)(n + 2)/2 pixels', () => {
    for (const n of [1, 4, 10, 25]) {
      const pixels = pixelsOf([
        [2, 2],
        [2 + n, 2],
        [2, 2 + n],
      ]);
      expect(pixels.length).toBe(((n + 1) * (n + 2)) / 2);
    }
  });

  it('takes a disc of radius r within a pixel or so per row of πr²', () => {
    const r = 15;
    const vertices: [number, number][] = [];
    for (let k = 0; k < 720; k++) {
      const t = (2 * Math.PI * k) / 720;
      vertices.push([20 + r * Math.cos(t), 20 + r * Math.sin(t)]);
    }
    const n = pixelsOf(vertices).length;
    // Lattice points in a disc: πr² ± (perimeter), here far tighter in practice.
    expect(Math.abs(n - Math.PI * r * r)).toBeLessThan(2 * Math.PI * r);
    // The same count as a direct centre-in-circle test of the 720-gon's inscribed disc and outer disc.
    let inner = 0;
    let outer = 0;
    const rin = r * Math.cos(Math.PI / 720);
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 40; x++) {
        const d = Math.hypot(x - 20, y - 20);
        if (d <= rin) inner++;
        if (d <= r) outer++;
      }
    expect(n).toBeGreaterThanOrEqual(inner);
    expect(n).toBeLessThanOrEqual(outer);
  });

  it('clips to the image and lists each pixel once', () => {
    const pixels = pixelsOf(
      [
        [-5, -5],
        [50, -5],
        [50, 50],
        [-5, 50],
      ],
      7,
      5,
    );
    expect(pixels).toEqual([...Array(35).keys()]);
  });

  it('gives nothing for an empty outline and the outline for a segment', () => {
    expect(pixelsOf([])).toEqual([]);
    expect(
      pixelsOf([
        [2, 3],
        [6, 3],
      ]),
    ).toEqual([3 * 40 + 2, 3 * 40 + 3, 3 * 40 + 4, 3 * 40 + 5, 3 * 40 + 6]);
  });
});

describe('polygonPixels against skimage.draw.polygon', () => {
  it(`matches all ${reference.cases.length} reference polygons pixel for pixel`, () => {
    expect(reference.cases.length).toBe(10);
    for (const { name, vertices, pixels } of reference.cases) {
      const ours = pixelsOf(vertices, reference.width, reference.height);
      expect(
        [...ours].sort((a, b) => a - b),
        name,
      ).toEqual(pixels);
    }
  });
});
