import { describe, expect, it } from 'vitest';
import { autoBlockSize } from '../plan.js';

describe('autoBlockSize', () => {
  const GiB = 1024 ** 3;
  // [bytes per pixel, bytes per row, expected core side]
  const cases: [number, number, number][] = [
    [160, 0, 2304], // √(2³⁰ / 160) − 256 = 2334 → 2304
    [80, 0, 3328], // √(2³⁰ / 80) − 256 = 3407 → 3328
    [160, 8 * 16384, 1792], // two uint32 bands of a 16k²-wide image: padded side 2213
    [80, 8 * 16384, 2560],
  ];
  it.each(cases)(
    '%i B/px and %i B/row in 1 GiB, overlap 128: %i px, the largest multiple of 256 that fits',
    (bytesPerPixel, bytesPerRow, expected) => {
      const side = autoBlockSize({ memoryBytes: GiB, bytesPerPixel, overlap: 128, bytesPerRow });
      expect(side).toBe(expected);
      const cost = (s: number) => (s + 256) ** 2 * bytesPerPixel + (s + 256) * bytesPerRow;
      expect(cost(side)).toBeLessThanOrEqual(GiB);
      expect(cost(side + 256)).toBeGreaterThan(GiB);
    },
  );
});
