import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import { boundaryIndex, type BoundaryMode } from '../../../image/gaussian.js';
import type { PixelArray, Plane } from '../../../image/types.js';
import { seededRandom } from '../../../synth/random.js';
import { thresholdLocal, type LocalThresholdMethod } from '../index.js';

const MODES: BoundaryMode[] = ['reflect', 'constant', 'nearest', 'mirror', 'wrap'];

function randomPlane<T extends PixelArray>(
  width: number,
  height: number,
  data: T,
  seed: number,
  scale: number,
): Plane<T> {
  const random = seededRandom(seed);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * scale);
  return { width, height, data };
}

/** The window of (y, x), extended by the mode: what every method reduces. */
function window(
  plane: Plane,
  y: number,
  x: number,
  blockRows: number,
  blockCols: number,
  mode: BoundaryMode,
  cval: number,
): { value: number; dy: number; dx: number }[] {
  const out: { value: number; dy: number; dx: number }[] = [];
  const hr = (blockRows - 1) / 2;
  const hc = (blockCols - 1) / 2;
  for (let dy = -hr; dy <= hr; dy++) {
    for (let dx = -hc; dx <= hc; dx++) {
      const yy = boundaryIndex(y + dy, plane.height, mode);
      const xx = boundaryIndex(x + dx, plane.width, mode);
      const value = yy >= 0 && xx >= 0 ? plane.data[yy * plane.width + xx] : cval;
      out.push({ value, dy, dx });
    }
  }
  return out;
}

/** Straight from the definitions, one window at a time. */
function bruteForce(
  plane: Plane,
  method: LocalThresholdMethod,
  block: number,
  mode: BoundaryMode,
  cval: number,
  offset: number,
): Float64Array {
  const out = new Float64Array(plane.width * plane.height);
  const sigma = (block - 1) / 6;
  const radius = Math.trunc(4 * sigma + 0.5);
  for (let y = 0; y < plane.height; y++) {
    for (let x = 0; x < plane.width; x++) {
      let value: number;
      if (method === 'gaussian') {
        // The kernel reaches int(4σ + 0.5) pixels, not the block: build that window instead.
        const cells = window(plane, y, x, 2 * radius + 1, 2 * radius + 1, mode, cval);
        let sum = 0;
        let weights = 0;
        for (const { value: v, dy, dx } of cells) {
          const w = sigma > 0 ? Math.exp(-(dy * dy + dx * dx) / (2 * sigma * sigma)) : 1;
          sum += w * v;
          weights += w;
        }
        value = sum / weights;
      } else {
        const values = window(plane, y, x, block, block, mode, cval).map((c) => c.value);
        if (method === 'mean') value = values.reduce((a, b) => a + b, 0) / values.length;
        else value = values.sort((a, b) => a - b)[(values.length - 1) / 2];
      }
      out[y * plane.width + x] = value - offset;
    }
  }
  return out;
}

describe('thresholdLocal matches a brute-force reference', () => {
  const planes: [string, Plane][] = [
    ['u8 11×14', randomPlane(14, 11, new Uint8Array(154), 1, 256)],
    ['u16 6×5', randomPlane(5, 6, new Uint16Array(30), 2, 4096)],
    ['f32 9×1', randomPlane(1, 9, new Float32Array(9), 3, 100)],
  ];
  const cases = planes.flatMap(([name, plane]) =>
    (['gaussian', 'mean', 'median'] as const).flatMap((method) =>
      MODES.flatMap((mode) =>
        [1, 3, 7, 15].map(
          (block) => [`${name} ${method} ${mode} ${block}`, plane, method, mode, block] as const,
        ),
      ),
    ),
  );

  it.each(cases)('%s', (_, plane, method, mode, block) => {
    const cval = 17;
    const offset = 2.5;
    const actual = thresholdLocal(plane, { blockSize: block, method, mode, cval, offset });
    const expected = bruteForce(plane, method, block, mode, cval, offset);
    expect(actual.width).toBe(plane.width);
    expect(actual.height).toBe(plane.height);
    expect(actual.data).toBeInstanceOf(Float64Array);
    if (method === 'median') {
      // A median is one of the window's values: exact.
      expect(Array.from(actual.data)).toEqual(Array.from(expected));
    } else {
      // Running sums and separable passes round differently from one direct sum: about 1e-16
      // relative per operation on values up to 4096, a few dozen operations per pixel.
      for (let i = 0; i < expected.length; i++) {
        expect(Math.abs(actual.data[i] - expected[i])).toBeLessThan(1e-9);
      }
    }
  });

  it('uses [rows, cols] blocks and a custom sigma', () => {
    const plane = planes[0][1];
    const actual = thresholdLocal(plane, { blockSize: [1, 5], method: 'mean' });
    for (let y = 0; y < plane.height; y++) {
      for (let x = 0; x < plane.width; x++) {
        const values = window(plane, y, x, 1, 5, 'reflect', 0).map((c) => c.value);
        const mean = values.reduce((a, b) => a + b, 0) / 5;
        expect(actual.data[y * plane.width + x]).toBeCloseTo(mean, 10);
      }
    }
    const wide = thresholdLocal(plane, { blockSize: 3, sigma: 0 });
    expect(Array.from(wide.data)).toEqual(Array.from(plane.data));
  });

  it('is fast for large blocks (mean is constant time per pixel)', () => {
    const plane = randomPlane(512, 512, new Uint16Array(512 * 512), 4, 4096);
    const start = performance.now();
    thresholdLocal(plane, { blockSize: 201, method: 'mean' });
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('rejects even or non-integer block sizes and unknown methods', () => {
    const plane = planes[0][1];
    expect(() => thresholdLocal(plane, { blockSize: 4 })).toThrow(InvalidArgumentError);
    expect(() => thresholdLocal(plane, { blockSize: [3, 2.5] })).toThrow(InvalidArgumentError);
    expect(() =>
      thresholdLocal(plane, { blockSize: 3, method: 'generic' as LocalThresholdMethod }),
    ).toThrow(InvalidArgumentError);
    const empty = thresholdLocal(
      { width: 0, height: 0, data: new Uint8Array(0) },
      { blockSize: 3 },
    );
    expect(empty.data).toHaveLength(0);
  });
});
