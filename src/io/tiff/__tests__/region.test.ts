import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../synth/random.js';
import { createStack } from '../../../image/stack.js';
import type { Region } from '../../../image/region.js';
import type { Stack } from '../../../image/types.js';
import { decodeTiffArray, tiffArrayToStack } from '../read.js';
import { tiffRegionSource } from '../region.js';
import { memorySource, type ByteSource } from '../source.js';
import { encodeTiff } from '../write.js';
import { craftTiff } from './craft.js';

function randomBytes(n: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
}

/** The region cut from every plane of a whole-image read. */
function cut(stack: Stack, { x, y, width, height }: Region): number[][] {
  return stack.planes.map((plane) => {
    const out: number[] = [];
    for (let r = y; r < y + height; r++) {
      for (let c = x; c < x + width; c++) out.push(plane.data[r * plane.width + c]);
    }
    return out;
  });
}

const REGIONS: Region[] = [
  { x: 0, y: 0, width: 1, height: 1 },
  { x: 31, y: 15, width: 2, height: 2 },
  { x: 40, y: 20, width: 60, height: 50 },
  { x: 0, y: 0, width: 100, height: 70 },
  { x: 95, y: 3, width: 5, height: 66 },
];

async function expectRegionsMatch(file: Uint8Array): Promise<void> {
  const whole = tiffArrayToStack(decodeTiffArray(file));
  const source = tiffRegionSource(file);
  expect([source.width, source.height]).toEqual([whole.planes[0].width, whole.planes[0].height]);
  expect(source.channelNames).toEqual(whole.channelNames);
  for (const region of REGIONS) {
    const read = await source.read(region);
    expect(read.planes.map((p) => [...p.data])).toEqual(cut(whole, region));
  }
}

describe('tiffRegionSource: regions equal the whole-image read (5 regions per file)', () => {
  // 100 × 70 with 32 × 16 tiles: 4 × 5 tiles, the last column and row partly outside.
  const tiles = Array.from({ length: 20 }, (_, i) => randomBytes(32 * 16, i + 1));

  it('tiled, one channel', async () => {
    const file = craftTiff(tiles, [
      { width: 100, height: 70, tile: { width: 32, height: 16 }, chunks: tiles.map((_, i) => i) },
    ]);
    await expectRegionsMatch(file);
  });

  it('tiled, three interleaved samples', async () => {
    const rgb = Array.from({ length: 20 }, (_, i) => randomBytes(32 * 16 * 3, 100 + i));
    const file = craftTiff(rgb, [
      {
        width: 100,
        height: 70,
        samplesPerPixel: 3,
        tile: { width: 32, height: 16 },
        chunks: rgb.map((_, i) => i),
      },
    ]);
    await expectRegionsMatch(file);
  });

  it('strips over two pages (two channels)', async () => {
    const strips = Array.from({ length: 14 }, (_, i) => randomBytes(100 * 10, 200 + i));
    const file = craftTiff(strips, [
      { width: 100, height: 70, rowsPerStrip: 10, chunks: [0, 1, 2, 3, 4, 5, 6] },
      { width: 100, height: 70, rowsPerStrip: 10, chunks: [7, 8, 9, 10, 11, 12, 13] },
    ]);
    await expectRegionsMatch(file);
  });

  it("cellscope's own uint16 deflate ImageJ file with three named channels", async () => {
    const random = seededRandom(7);
    const planes = [0, 1, 2].map(() => ({
      width: 100,
      height: 70,
      data: Uint16Array.from({ length: 7000 }, () => Math.floor(random() * 65536)),
    }));
    const stack = createStack(planes, { channelNames: ['DNA', 'actin', 'PH3'] });
    await expectRegionsMatch(encodeTiff(stack, { compression: 'deflate', predictor: true }));
    const source = tiffRegionSource(encodeTiff(stack));
    expect(source.channelNames).toEqual(['DNA', 'actin', 'PH3']);
    expect(source.dtype).toBe('uint16');
    const one = await source.read({ x: 10, y: 20, width: 3, height: 2 }, [2]);
    expect(one.channelNames).toEqual(['PH3']);
    expect([...one.planes[0].data]).toEqual([
      ...planes[2].data.subarray(20 * 100 + 10, 20 * 100 + 13),
      ...planes[2].data.subarray(21 * 100 + 10, 21 * 100 + 13),
    ]);
  });
});

describe('tiffRegionSource reads only the tiles a region crosses', () => {
  it('a 2 × 2 region across four tiles reads those four tiles and the header', async () => {
    const tiles = Array.from({ length: 20 }, (_, i) => randomBytes(32 * 16, i + 1));
    const file = craftTiff(tiles, [
      { width: 100, height: 70, tile: { width: 32, height: 16 }, chunks: tiles.map((_, i) => i) },
    ]);
    const tileStart = 8;
    const tileEnd = 8 + 20 * 512;
    const inner = memorySource(file);
    const tileBytes = new Set<number>();
    const counting: ByteSource = {
      size: inner.size,
      shared: inner.shared,
      read(offset, length) {
        if (offset >= tileStart && offset < tileEnd) tileBytes.add(offset);
        return inner.read(offset, length);
      },
    };
    const source = tiffRegionSource(counting);
    expect(tileBytes.size).toBe(0);
    await source.read({ x: 31, y: 15, width: 2, height: 2 });
    // Tiles (row 0, col 0), (0, 1), (1, 0), (1, 1) are tiles 0, 1, 4, 5.
    expect([...tileBytes].sort((a, b) => a - b)).toEqual([0, 1, 4, 5].map((t) => 8 + t * 512));
  });

  it('refuses a region outside the image, naming both sizes', async () => {
    const file = craftTiff([randomBytes(100, 1)], [{ width: 10, height: 10, chunks: [0] }]);
    await expect(tiffRegionSource(file).read({ x: 5, y: 5, width: 6, height: 2 })).rejects.toThrow(
      /region 6 × 2 at \(x 5, y 5\) does not lie inside the 10 × 10 image/,
    );
  });
});
