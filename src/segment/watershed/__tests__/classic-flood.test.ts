import { describe, expect, it } from 'vitest';
import type { Labels, Mask, Plane } from '../../../image/types.js';
import { seededRandom as random } from '../../../synth/random.js';
import { watershed, type WatershedOptions } from '../watershed.js';
import { reference } from './skimage-reference.js';

// The classic flood (no compactness, no watershed line) runs skimage's heap only while some
// connected component of the mask holds two queued markers of one value, then FIFO buckets per
// value rank. These scenes aim at the edges of that: equal markers in separate components, the
// switch with markers still queued, tens of thousands of values, long exact floods, four-byte cells.

function scene(width: number, height: number): { image: Plane<Float64Array>; markers: Labels } {
  return {
    image: { width, height, data: new Float64Array(width * height) },
    markers: { width, height, data: new Uint32Array(width * height) },
  };
}

function expectSkimage(image: Plane, markers: Labels, options: WatershedOptions): void {
  expect(watershed(image, markers, options).data).toEqual(reference(image, markers, options).data);
}

describe('classic flooding: when the heap shape stops mattering', () => {
  it('equal markers in separate mask components, some touching at a corner', () => {
    const next = random(7);
    for (let trial = 0; trial < 24; trial++) {
      const width = 30 + Math.floor(next() * 40);
      const height = 30 + Math.floor(next() * 40);
      const { image, markers } = scene(width, height);
      const mask: Mask = { width, height, data: new Uint8Array(width * height) };
      // blobs on a grid of cells, separated by one background pixel or meeting at a corner
      const cell = 6 + Math.floor(next() * 6);
      for (let r = 0; r < height; r++) {
        for (let c = 0; c < width; c++) {
          const i = r * width + c;
          const br = Math.floor(r / cell);
          const bc = Math.floor(c / cell);
          const corner = (br + bc) % 2 === 0;
          const inner = r % cell !== cell - 1 && c % cell !== cell - 1;
          mask.data[i] = corner ? (inner || next() < 0.3 ? 1 : 0) : inner ? 1 : 0;
          image.data[i] = Math.floor(next() * (trial % 3 === 0 ? 2 : 5));
        }
      }
      const seeds = 10 + Math.floor(next() * 40);
      for (let k = 0; k < seeds; k++) {
        const i = Math.floor(next() * width * height);
        markers.data[i] = 1 + Math.floor(next() * 8);
        image.data[i] = Math.floor(next() * 3); // many markers share a value
      }
      for (const connectivity of [1, 2] as const) {
        expectSkimage(image, markers, { mask, connectivity });
      }
      expectSkimage(image, markers, {});
    }
  });

  it('joins components across a diagonal with connectivity 2', () => {
    // three equal markers leave skimage's heap as 7, 9, 8; 8 and 9 meet only diagonally, at the
    // pixel between them, which goes to 9 (raster order would give it to 8)
    const image: Plane<Float64Array> = {
      width: 6,
      height: 3,
      data: Float64Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
    };
    const markers: Labels = {
      width: 6,
      height: 3,
      data: Uint32Array.of(7, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0),
    };
    const mask: Mask = {
      width: 6,
      height: 3,
      data: Uint8Array.of(1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0),
    };
    expect(watershed(image, markers, { mask, connectivity: 2 }).data[9]).toBe(9);
    expect(watershed(image, markers, { mask, connectivity: 1 }).data[9]).toBe(0);
    expectSkimage(image, markers, { mask, connectivity: 2 });
  });

  it('plateaus that only markers reach, with equal markers queued until the end', () => {
    const next = random(11);
    for (let trial = 0; trial < 12; trial++) {
      const width = 20 + Math.floor(next() * 50);
      const height = 20 + Math.floor(next() * 50);
      const { image, markers } = scene(width, height);
      for (let i = 0; i < width * height; i++) image.data[i] = Math.floor(next() * 3);
      // high markers pop last: the flood has to reach them around their plateau first
      for (let k = 0; k < 12; k++) {
        const i = Math.floor(next() * width * height);
        markers.data[i] = 1 + k;
        image.data[i] = k % 3 === 0 ? 0 : 9;
      }
      expectSkimage(image, markers, { connectivity: trial % 2 === 0 ? 1 : 2 });
    }
  });

  it('keeps the exact heap to the end over tens of thousands of values', () => {
    // ~57,600 distinct values; two equal markers on the highest value keep the exact heap
    // running to the end, while basins around six seeds compete
    const width = 240;
    const height = 240;
    const { image, markers } = scene(width, height);
    const next = random(3);
    const seeds = Array.from({ length: 6 }, () => [
      Math.floor(next() * height),
      Math.floor(next() * width),
    ]);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const d = Math.min(...seeds.map(([sr, sc]) => Math.hypot(r - sr, c - sc)));
        image.data[r * width + c] = Math.round(d) + next() * 0.5;
      }
    }
    seeds.forEach(([r, c], k) => (markers.data[r * width + c] = 1 + k));
    for (const [r, c, label] of [
      [120, 7, 7],
      [200, 230, 8],
    ]) {
      markers.data[r * width + c] = label;
      image.data[r * width + c] = 1e9;
    }
    expectSkimage(image, markers, {});
    expectSkimage(image, markers, { connectivity: 2 });
  });

  it('floods random values with many records queued at once', () => {
    // random values: the exact heap holds tens of thousands of records
    const width = 256;
    const height = 256;
    const { image, markers } = scene(width, height);
    const next = random(5);
    for (let i = 0; i < width * height; i++) image.data[i] = Math.floor(next() * 60000);
    for (let k = 0; k < 30; k++) {
      const i = Math.floor(next() * width * height);
      markers.data[i] = 1 + (k % 9);
      image.data[i] = 60000;
    }
    expectSkimage(image, markers, {});
  });

  it('uses four-byte cells when labels and values do not fit two', () => {
    const width = 300;
    const height = 240;
    const { image, markers } = scene(width, height);
    const next = random(9);
    for (let i = 0; i < width * height; i++) {
      // 60,000 labels and ~6,000 values
      image.data[i] = Math.floor(next() * 6000);
      if (i % 6 !== 0) markers.data[i] = 4000000000 - i;
    }
    expectSkimage(image, markers, {});
  });
});
