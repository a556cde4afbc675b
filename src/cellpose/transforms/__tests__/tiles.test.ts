import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import {
  averageTiles,
  extractTiles,
  padSizes,
  taperMask,
  tileLayout,
  unaugmentTile,
  type TileLayout,
} from '../tiles.js';
import { cellposeManifest, cellposeNpy, compare } from './helpers.js';

function subs(layout: TileLayout) {
  const ysub: number[][] = [];
  const xsub: number[][] = [];
  for (const y of layout.yStarts) {
    for (const x of layout.xStarts) {
      ysub.push([y, y + layout.tileHeight]);
      xsub.push([x, x + layout.tileWidth]);
    }
  }
  return { ysub, xsub };
}

describe('padSizes', () => {
  it('pads to a multiple of 16 plus 8 px each side, the odd pixel after', () => {
    expect(padSizes(1011, 1557)).toEqual({ top: 14, bottom: 15, left: 13, right: 14 });
    expect(padSizes(16, 17)).toEqual({ top: 8, bottom: 8, left: 15, right: 16 });
  });
});

describe('tileLayout', () => {
  it('uses one tile of the image size up to bsize', () => {
    for (const [h, w] of [
      [224, 224],
      [16, 208],
      [100, 224],
    ]) {
      const layout = tileLayout(h, w);
      expect([layout.ny, layout.nx, layout.tileHeight, layout.tileWidth]).toEqual([1, 1, h, w]);
      expect([layout.yStarts, layout.xStarts]).toEqual([[0], [0]]);
    }
  });

  it('ends the last tile at the image edge and clamps the overlap', () => {
    const layout = tileLayout(240, 1000, { tileOverlap: 0.9 });
    expect(layout.nx).toBe(Math.ceil((2 * 1000) / 224)); // overlap clamped to 0.5
    expect(layout.xStarts.at(-1)).toBe(1000 - 224);
  });

  it('extends small images to bsize and uses ≥ 2 tiles per axis with augment', () => {
    const layout = tileLayout(128, 176, { augment: true });
    expect([layout.height, layout.width, layout.ny, layout.nx]).toEqual([224, 224, 2, 2]);
    expect([layout.yStarts, layout.xStarts]).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('rejects bad sizes', () => {
    expect(() => tileLayout(0, 10)).toThrow(InvalidArgumentError);
    expect(() => tileLayout(10, 10, { bsize: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('taperMask', () => {
  it('is symmetric, peaks in the centre and falls towards the edges', () => {
    const mask = taperMask(224, 224);
    for (let y = 0; y < 224; y += 7) {
      for (let x = 0; x < 224; x += 5) {
        expect(mask[y * 224 + x]).toBe(mask[x * 224 + y]);
        expect(mask[y * 224 + x]).toBe(mask[(223 - y) * 224 + (223 - x)]);
      }
    }
    expect(mask[112 * 224 + 112]).toBeGreaterThan(0.99);
    expect(mask[0]).toBeLessThan(0.005);
  });

  it('crops the centre of the 224 mask for smaller tiles (odd extra after the centre)', () => {
    const full = taperMask(224, 224);
    const small = taperMask(175, 96);
    for (let y = 0; y < 175; y += 11) {
      for (let x = 0; x < 96; x += 9) {
        expect(small[y * 96 + x]).toBe(full[(112 - 87 + y) * 224 + (112 - 48 + x)]);
      }
    }
  });
});

describe('tiles', () => {
  it('averages constant tiles back to the constant', () => {
    const layout = tileLayout(288, 320);
    const count = layout.ny * layout.nx;
    const tiles = new Float32Array(count * 3 * 224 * 224).fill(2.5);
    const out = averageTiles(tiles, layout, 3);
    expect(out.length).toBe(3 * 288 * 320);
    expect(out.every((v) => Math.abs(v - 2.5) < 1e-6)).toBe(true);
    expect(() => averageTiles(tiles.subarray(1), layout, 3)).toThrow(InvalidArgumentError);
  });

  it('unaugmentTile undoes the augment flips and negates the flipped flow components', () => {
    const layout = tileLayout(224, 224, { augment: true }); // 2 × 2 tiles at (0, 0)
    const plane = {
      width: 224,
      height: 224,
      data: Float32Array.from({ length: 224 * 224 }, (_, i) => i),
    };
    const size = 224 * 224;
    const tiles = extractTiles([plane, plane, plane], { top: 0, left: 0 }, layout);
    for (let t = 0; t < 4; t++) {
      const before = tiles.slice(t * 3 * size, (t + 1) * 3 * size);
      unaugmentTile(tiles, t * 3 * size, 3, layout, t);
      const flipRows = t % 2 === 1;
      const flipCols = Math.floor(t / 2) === 1;
      expect(tiles[t * 3 * size + 5 * 224 + 7] * (flipRows ? -1 : 1)).toBe(5 * 224 + 7);
      expect(tiles[t * 3 * size + size + 5 * 224 + 7] * (flipCols ? -1 : 1)).toBe(5 * 224 + 7);
      expect(tiles[t * 3 * size + 2 * size + 5 * 224 + 7]).toBe(5 * 224 + 7);
      if (t === 0) expect(before[5 * 224 + 7]).toBe(5 * 224 + 7);
      if (t === 3) expect(before[2 * size + 5 * 224 + 7]).toBe(218 * 224 + 216);
    }
  });
});

describe.skipIf(!HAS_SHARED)('tiling against Cellpose 3.1.1.3', () => {
  interface TilingMode {
    grid_ny_nx: number[];
    tile_hw: number[];
    tiled_hw: number[];
    ysub: number[][];
    xsub: number[][];
  }
  interface TilingCase {
    image_hw: [number, number];
    pad_y: number[];
    pad_x: number[];
    padded_hw: number[];
    default: TilingMode;
    augment: TilingMode;
  }
  const tiling: { bsize: number; tile_overlap: number; cases: TilingCase[] } = HAS_SHARED
    ? cellposeManifest().transforms.tiling
    : { bsize: 224, tile_overlap: 0.1, cases: [] };
  const cases = countedCases(
    tiling.cases.map((c): [string, TilingCase] => [c.image_hw.join('×'), c]),
    9,
    'tiling',
  );
  it.each(cases)('image %s', (_, c) => {
    const [h, w] = c.image_hw;
    const pads = padSizes(h, w);
    expect([pads.top, pads.bottom]).toEqual(c.pad_y);
    expect([pads.left, pads.right]).toEqual(c.pad_x);
    const padded = [h + pads.top + pads.bottom, w + pads.left + pads.right];
    expect(padded).toEqual(c.padded_hw);
    for (const mode of ['default', 'augment'] as const) {
      const layout = tileLayout(padded[0], padded[1], {
        bsize: tiling.bsize,
        tileOverlap: tiling.tile_overlap,
        augment: mode === 'augment',
      });
      const expected = c[mode];
      expect([layout.ny, layout.nx]).toEqual(expected.grid_ny_nx);
      expect([layout.tileHeight, layout.tileWidth]).toEqual(expected.tile_hw);
      expect([layout.height, layout.width]).toEqual(expected.tiled_hw);
      expect(subs(layout)).toEqual({ ysub: expected.ysub, xsub: expected.xsub });
    }
  });

  it('taperMask reproduces transforms/taper_224x224.npy exactly', () => {
    const expected = cellposeNpy('transforms/taper_224x224.npy').data as Float64Array;
    expect(compare(taperMask(224, 224), expected)).toEqual({ maxAbs: 0, differing: 0 });
  });
});
