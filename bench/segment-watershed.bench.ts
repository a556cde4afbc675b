import { bench, describe } from 'vitest';
import type { Labels, Mask, Plane } from '../src/image/types.js';
import { peakLocalMax, peaksToMarkers } from '../src/segment/peaks/peakLocalMax.js';
import { watershed } from '../src/segment/watershed/watershed.js';

// The nuclei-splitting pipeline on a 2048 × 2048 scene of ~3,000 touching blobs:
// peaks of the distance map (minDistance 5), then watershed of its negation from those peaks.
// scikit-image 0.19.3 is timed on the same input by a one-off Python script outside the repo.

const SIZE = 2048;
const GRID = 55; // 55² = 3,025 blob centres, ~37 px apart

/** mulberry32: a small seeded generator, so every run benches the same scene. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Disks of radius 15–21 px on a jittered grid: neighbours overlap or touch, as crowded nuclei. */
function blobMask(size = SIZE, seed = 7): Mask {
  const next = random(seed);
  const data = new Uint8Array(size * size);
  const step = size / GRID;
  for (let gy = 0; gy < GRID; gy++) {
    for (let gx = 0; gx < GRID; gx++) {
      const cy = (gy + 0.5) * step + (next() - 0.5) * 12;
      const cx = (gx + 0.5) * step + (next() - 0.5) * 12;
      const radius = 15 + next() * 6;
      const r2 = radius * radius;
      for (
        let y = Math.max(0, Math.floor(cy - radius));
        y <= Math.min(size - 1, cy + radius);
        y++
      ) {
        for (
          let x = Math.max(0, Math.floor(cx - radius));
          x <= Math.min(size - 1, cx + radius);
          x++
        ) {
          if ((y - cy) ** 2 + (x - cx) ** 2 <= r2) data[y * size + x] = 1;
        }
      }
    }
  }
  return { width: size, height: size, data };
}

/** Two-pass (1, √2) chamfer distance to the background (Borgefors 1986): a stand-in for the EDT. */
function chamferDistance(mask: Mask): Plane<Float64Array> {
  const { width, height } = mask;
  const d = new Float64Array(width * height);
  const far = width + height;
  for (let i = 0; i < d.length; i++) d[i] = mask.data[i] === 0 ? 0 : far;
  const at = (y: number, x: number) =>
    y < 0 || y >= height || x < 0 || x >= width ? 0 : d[y * width + x];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(
        d[i],
        at(y, x - 1) + 1,
        at(y - 1, x) + 1,
        at(y - 1, x - 1) + Math.SQRT2,
        at(y - 1, x + 1) + Math.SQRT2,
      );
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(
        d[i],
        at(y, x + 1) + 1,
        at(y + 1, x) + 1,
        at(y + 1, x + 1) + Math.SQRT2,
        at(y + 1, x - 1) + Math.SQRT2,
      );
    }
  }
  return { width, height, data: d };
}

/** 4-connected components of the mask by flood fill, for the per-object peak search. */
function components(mask: Mask): Labels & { count: number } {
  const { width, height } = mask;
  const data = new Uint32Array(width * height);
  const stack: number[] = [];
  let count = 0;
  for (let start = 0; start < data.length; start++) {
    if (mask.data[start] === 0 || data[start] !== 0) continue;
    data[start] = ++count;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const x = i % width;
      for (const j of [i - width, x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i + width]) {
        if (j >= 0 && j < data.length && mask.data[j] !== 0 && data[j] === 0) {
          data[j] = count;
          stack.push(j);
        }
      }
    }
  }
  return { width, height, data, count };
}

const mask = blobMask();
const distance = chamferDistance(mask);
const negated: Plane<Float64Array> = { ...distance, data: distance.data.map((v) => -v) };
const peaks = peakLocalMax(distance, { minDistance: 5 });
const markers: Labels = peaksToMarkers(peaks, SIZE, SIZE);
const objects = components(mask);

describe(`peakLocalMax, 2048² distance map (${peaks.length} peaks)`, () => {
  bench('minDistance 5', () => {
    peakLocalMax(distance, { minDistance: 5 });
  });
  bench(`minDistance 5, per object (${objects.count} components)`, () => {
    peakLocalMax(distance, { minDistance: 5, labels: objects });
  });
});

describe('watershed, 2048² negated distance, from those peaks', () => {
  bench('mask, connectivity 1', () => {
    watershed(negated, markers, { mask });
  });
  bench('mask, watershed line', () => {
    watershed(negated, markers, { mask, watershedLine: true });
  });
  bench('mask, compactness 0.01', () => {
    watershed(negated, markers, { mask, compactness: 0.01 });
  });
});
