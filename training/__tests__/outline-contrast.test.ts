import { describe, expect, it } from 'vitest';
import type { Labels } from '../../src/image/types.js';
import { innerEdgeContrast, matchOutlineConvention } from '../outline-contrast.js';

const size = 40;

/** A nucleus at the centre: 1 within radius 6, a 0.5 rim out to 7, background 0 beyond. */
function nucleusImage() {
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - 20, y - 20);
      data[y * size + x] = r <= 6 ? 1 : r <= 7 ? 0.5 : 0;
    }
  }
  return { width: size, height: size, data };
}

/** One mask: the pixels within `radius` of the centre. */
function disk(radius: number): Labels {
  const data = new Uint32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (Math.hypot(x - 20, y - 20) <= radius) data[y * size + x] = 1;
  }
  return { width: size, height: size, data };
}

describe('innerEdgeContrast', () => {
  it('reads the rim for a mask drawn to the rim, the core for one drawn a pixel inside', () => {
    expect(innerEdgeContrast(nucleusImage(), disk(7))).toBe(0.5);
    expect(innerEdgeContrast(nucleusImage(), disk(6))).toBe(1);
  });

  it('is undefined without a background to measure', () => {
    const full: Labels = { width: size, height: size, data: new Uint32Array(size * size).fill(1) };
    expect(innerEdgeContrast(nucleusImage(), full)).toBeUndefined();
  });
});

describe('matchOutlineConvention', () => {
  it('grows a mask drawn a pixel inside the rim to the rim', () => {
    const { labels, grown, contrast } = matchOutlineConvention(nucleusImage(), disk(6), 0.5);
    expect(grown).toBe(true);
    expect(contrast).toBe(1);
    expect(Array.from(labels.data)).toEqual(Array.from(disk(7).data));
  });

  it('keeps a mask already at the convention, and one that growing would move further off', () => {
    expect(matchOutlineConvention(nucleusImage(), disk(7), 0.5).grown).toBe(false);
    // Target 0.9: the tight mask's 1 is nearer than the grown mask's 0.5.
    expect(matchOutlineConvention(nucleusImage(), disk(6), 0.9).grown).toBe(false);
  });
});
