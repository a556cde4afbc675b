import { describe, expect, it } from 'vitest';
import { encodeTiledLabelsTiff } from '../write-tiled.js';
import { tiffPyramid, tiffRegionSource } from '../region.js';

// A pattern whose every pixel is known: level k holds level 0's pixel (x·2^k, y·2^k), as the
// writer halves by nearest neighbour.
const W = 1000;
const H = 700;
const value = (x: number, y: number): number => ((x * 7 + y * 13) % 60000) + 1;
const data = new Uint32Array(W * H);
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = value(x, y);
const file = encodeTiledLabelsTiff(
  { width: W, height: H, data },
  { tileSize: 128, pyramid: true, smallestLevel: 128 },
);

describe('tiffPyramid: the SubIFD levels of a pyramidal OME-TIFF', () => {
  const levels = tiffPyramid(file);

  it('has full resolution and three halvings, each half the last (rounded up)', () => {
    expect(levels.map((l) => [l.width, l.height])).toEqual([
      [1000, 700],
      [500, 350],
      [250, 175],
      [125, 88],
    ]);
    expect(levels.every((l) => l.dtype === 'uint16')).toBe(true);
  });

  it.each([0, 1, 2, 3])(
    'level %i: a region crossing tiles holds level 0 at 2^k steps',
    async (k) => {
      const level = levels[k];
      const region = { x: 37, y: 21, width: Math.min(150, level.width - 37), height: 60 };
      const plane = (await level.read(region)).planes[0];
      let wrong = 0;
      for (let y = 0; y < region.height; y++) {
        for (let x = 0; x < region.width; x++) {
          const expected = value((region.x + x) * 2 ** k, (region.y + y) * 2 ** k);
          if (plane.data[y * region.width + x] !== expected) wrong++;
        }
      }
      expect(wrong).toBe(0);
    },
  );

  it('level 0 is what tiffRegionSource reads; a plain TIFF has one level', async () => {
    const region = { x: 900, y: 600, width: 100, height: 100 };
    const [a, b] = [await levels[0].read(region), await tiffRegionSource(file).read(region)];
    expect(a.planes[0].data).toEqual(b.planes[0].data);
    const plain = encodeTiledLabelsTiff({ width: W, height: H, data }, { tileSize: 128 });
    expect(tiffPyramid(plain)).toHaveLength(1);
  });
});
