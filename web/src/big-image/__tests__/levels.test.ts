import { describe, expect, it } from 'vitest';
import {
  downsamples,
  fitLevel,
  levelForScale,
  TILE_SIZE,
  tileRegion,
  visibleRegion,
  visibleTiles,
} from '../levels.js';

// A 4096² pyramid halving down to 512 (as encodeTiledLabelsTiff writes it) and a 16k² one
// whose halvings round up.
const P4K = [4096, 2048, 1024, 512].map((s) => ({ width: s, height: s }));
const P16K = [
  { width: 16000, height: 12000 },
  { width: 8000, height: 6000 },
  { width: 4000, height: 3000 },
  { width: 2000, height: 1500 },
  { width: 1000, height: 750 },
];

describe('levelForScale picks the coarsest level with a pixel per screen pixel', () => {
  it.each([
    [16, 0],
    [1, 0],
    [0.6, 0],
    [0.5, 1],
    [0.3, 1],
    [0.25, 2],
    [0.2, 2],
    [0.125, 3],
    [0.01, 3],
  ])('4096² at %f screen px per pixel: level %i', (scale, level) => {
    expect(levelForScale(P4K, scale)).toBe(level);
  });

  it('fits 4096² in 900 × 700 device px at level 2 (1024², the first ≥ 700 px)', () => {
    expect(fitLevel(P4K, 900, 700)).toBe(2);
    // 16000 × 12000 in 1800 × 1400: 0.1125 px per pixel, so 1/8 (2000 × 1500) still fits.
    expect(fitLevel(P16K, 1800, 1400)).toBe(3);
    expect(fitLevel(P16K, 1800, 1400 / 2)).toBe(4);
    expect(downsamples(P16K)).toEqual([1, 2, 4, 8, 16]);
  });
});

describe('visibleTiles and visibleRegion', () => {
  it('at the fit view of the whole image every tile of the level shows', () => {
    const view = { scale: 700 / 4096, offsetX: 100, offsetY: 0 };
    // Level 2 is 1024² = 2 × 2 tiles.
    expect(visibleTiles(P4K, 2, view, 900, 700)).toHaveLength(4);
    expect(visibleRegion(P4K[0], view, 900, 700)).toEqual({
      x: 0,
      y: 0,
      width: 4096,
      height: 4096,
    });
  });

  it('zoomed 8× on (3000, 800) of level 0 shows one tile, centre first', () => {
    // 900 × 700 CSS px at scale 8 show 112.5 × 87.5 image px around the centre.
    const view = { scale: 8, offsetX: 450 - 3000 * 8, offsetY: 350 - 800 * 8 };
    expect(visibleTiles(P4K, 0, view, 900, 700)).toEqual([
      { level: 0, col: Math.floor(3000 / TILE_SIZE), row: Math.floor(800 / TILE_SIZE) },
    ]);
    expect(visibleRegion(P4K[0], view, 900, 700)).toEqual({
      x: 2943,
      y: 756,
      width: 114,
      height: 88,
    });
  });

  it('orders tiles nearest the view centre first and stays inside the level', () => {
    const view = { scale: 1, offsetX: -1000, offsetY: -1000 };
    const tiles = visibleTiles(P4K, 0, view, 1100, 1100);
    // x and y 1000–2100 cross tiles 1–4 on each axis; the centre, 1550, lies in tile 3.
    expect(tiles).toHaveLength(16);
    expect(tiles[0]).toEqual({ level: 0, col: 3, row: 3 });
    expect(tileRegion(P16K[4], 1, 1)).toEqual({ x: 512, y: 512, width: 488, height: 238 });
    expect(visibleTiles(P4K, 0, { scale: 1, offsetX: 5000, offsetY: 0 }, 900, 700)).toEqual([]);
  });
});
