import { describe, expect, it } from 'vitest';
import { encodeTiledLabelsTiff, tiffRegionSource } from 'cellscope/browser';
import { OVERVIEW_MAX_SIDE, readOverview, stridedRead } from '../overview.js';

// A TIFF without a pyramid, larger than the overview: every pixel's value is known.
const W = 5000;
const H = 1300;
const value = (x: number, y: number): number => ((x * 3 + y * 11) % 50000) + 1;
const data = new Uint32Array(W * H);
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = value(x, y);
const source = tiffRegionSource(
  encodeTiledLabelsTiff({ width: W, height: H, data }, { tileSize: 256 }),
);

describe('readOverview without a pyramid: every f-th pixel by strided region reads', () => {
  it('takes f = ceil(5000 / 2048) = 3 and pixel (3x, 3y) for each overview pixel', async () => {
    const { stack, factor } = await readOverview(source);
    expect(factor).toBeCloseTo(1 / 3, 12);
    const plane = stack.planes[0];
    expect([plane.width, plane.height]).toEqual([Math.ceil(W / 3), Math.ceil(H / 3)]);
    expect(Math.max(plane.width, plane.height)).toBeLessThanOrEqual(OVERVIEW_MAX_SIDE);
    let wrong = 0;
    for (let y = 0; y < plane.height; y++) {
      for (let x = 0; x < plane.width; x++) {
        if (plane.data[y * plane.width + x] !== value(3 * x, 3 * y)) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });

  it('gives the same pixels whatever the block edges (f = 7 crosses blocks unevenly)', async () => {
    const plane = (await stridedRead(source, 7)).planes[0];
    expect([plane.width, plane.height]).toEqual([715, 186]);
    expect(plane.data[185 * 715 + 714]).toBe(value(7 * 714, 7 * 185));
    expect(plane.data[100 * 715 + 600]).toBe(value(4200, 700));
  });

  it('reads a level that fits whole, factor 1', async () => {
    const small = tiffRegionSource(
      encodeTiledLabelsTiff({ width: 300, height: 200, data: data.subarray(0, 60000) }),
    );
    const { stack, factor } = await readOverview(small);
    expect(factor).toBe(1);
    expect(stack.planes[0].data[199 * 300 + 299]).toBe(data[59999]);
  });
});
