import { describe, expect, it } from 'vitest';
import { sobel } from '../sobel.js';

describe('sobel', () => {
  it('gives √((2a)² + (2b)²)/√2 inside a linear ramp a·x + b·y, as skimage.filters.sobel', () => {
    const [a, b] = [3, -1.5];
    const width = 6;
    const height = 5;
    const data = Float64Array.from(
      { length: width * height },
      (_, i) => a * (i % width) + b * Math.floor(i / width),
    );
    const out = sobel({ width, height, data });
    const expected = Math.sqrt(((2 * a) ** 2 + (2 * b) ** 2) / 2);
    for (let y = 1; y < height - 1; y++) {
      for (let x = 1; x < width - 1; x++) expect(out.data[y * width + x]).toBeCloseTo(expected, 12);
    }
    // At the left edge 'reflect' repeats the edge pixel, halving the horizontal difference.
    expect(out.data[2 * width]).toBeCloseTo(Math.sqrt((a ** 2 + (2 * b) ** 2) / 2), 12);
  });

  it('is zero on a constant image', () => {
    expect(
      sobel({ width: 3, height: 3, data: new Uint8Array(9).fill(4) }).data.every((v) => v === 0),
    ).toBe(true);
  });
});
