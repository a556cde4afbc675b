import { describe, expect, it } from 'vitest';
import { stackRegionSource } from '../../../image/region.js';
import { createStack } from '../../../image/stack.js';
import type { Labels } from '../../../image/types.js';
import { segmentNucleiClassical } from '../../nuclei.js';
import { segmentClassicalBlocks } from '../classical-blocks.js';
import { planBlocks } from '../plan.js';
import { keepOwnedObjects, memoryLabelSink } from '../stitch.js';

/** Bright discs of radius `r` on a dark background, at the given centres. */
function discs(width: number, height: number, centres: [number, number][], r: number) {
  const data = new Uint16Array(width * height).fill(100);
  for (const [cy, cx] of centres) {
    for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
      for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
        if (y >= 0 && y < height && x >= 0 && x < width && (y - cy) ** 2 + (x - cx) ** 2 <= r * r) {
          data[y * width + x] = 1000;
        }
      }
    }
  }
  return createStack([{ width, height, data }]);
}

/** True when `a` and `b` hold the same objects, pixel for pixel, whatever their numbers. */
function sameObjects(a: Labels, b: Labels): boolean {
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < a.data.length; i++) {
    const [p, q] = [a.data[i], b.data[i]];
    if ((p === 0) !== (q === 0)) return false;
    if (p === 0) continue;
    if ((forward.get(p) ?? q) !== q || (backward.get(q) ?? p) !== p) return false;
    forward.set(p, q);
    backward.set(q, p);
  }
  return true;
}

function objectCount(labels: Labels): number {
  return new Set(labels.data).size - (labels.data.includes(0) ? 1 : 0);
}

describe('block-wise classical nuclei: objects across block borders', () => {
  // Block 200: borders at x, y = 200 and 400. Centres on a border, on a corner, half a pixel
  // either side of one, and two well inside a core.
  const centres: [number, number][] = [
    [200, 200],
    [200, 100],
    [100, 400],
    [400, 300],
    [399.5, 450],
    [300, 199.5],
    [500, 200.5],
    [500, 500],
    [60, 60],
  ];
  const stack = discs(600, 600, centres, 14);

  it('keeps each of the 9 discs whole, once, exactly as the one-shot run', async () => {
    const oneShot = segmentNucleiClassical(stack.planes[0], { diameterPx: 28 });
    const sink = memoryLabelSink(600, 600);
    const result = await segmentClassicalBlocks(stackRegionSource(stack), {
      blockSize: 200,
      diameterPx: 28,
      nucleusSink: sink,
    });
    expect(oneShot.count).toBe(centres.length);
    expect(objectCount(sink.labels)).toBe(centres.length);
    expect(result.counts[0]).toEqual({ kept: centres.length, truncated: 0 });
    expect(result.blocks).toBe(9);
    expect(result.overlap).toBe(56);
    expect(sameObjects(sink.labels, oneShot.labels)).toBe(true);
  });

  it('estimates the threshold and diameter over the blocks as the one-shot run does', async () => {
    const oneShot = segmentNucleiClassical(stack.planes[0]);
    const sink = memoryLabelSink(600, 600);
    const result = await segmentClassicalBlocks(stackRegionSource(stack), {
      blockSize: 200,
      nucleusSink: sink,
    });
    expect(result.threshold).toBe(oneShot.threshold);
    expect(result.diameterPx).toBe(oneShot.diameterPx);
    expect(sameObjects(sink.labels, oneShot.labels)).toBe(true);
  });

  it('grows cells block-wise, each whole and once', async () => {
    const sink = memoryLabelSink(600, 600);
    const cells = memoryLabelSink(600, 600);
    const two = createStack([stack.planes[0], stack.planes[0]]);
    const result = await segmentClassicalBlocks(stackRegionSource(two), {
      blockSize: 200,
      diameterPx: 28,
      nucleusSink: sink,
      cells: { channel: 1, sink: cells, method: 'distance', maxDistancePx: 5 },
    });
    expect(result.counts[1]).toEqual({ kept: centres.length, truncated: 0 });
    expect(objectCount(cells.labels)).toBe(centres.length);
  });
});

describe('keepOwnedObjects', () => {
  const image = { width: 40, height: 20 };
  const [left, right] = planBlocks(40, 20, { blockSize: 20, overlap: 6 });

  it('gives an object centred half a pixel left of a core border to the left block only', () => {
    // Columns 17–21 (centroid 19.5) in a 40 × 20 image; the right core starts at x 20 (area 19.5).
    const whole = new Uint32Array(40 * 20);
    for (let x = 17; x <= 20; x++) whole[10 * 40 + x] = 7;
    const view = (padded: typeof left.padded): Labels => {
      const data = new Uint32Array(padded.width * padded.height);
      for (let r = 0; r < padded.height; r++) {
        for (let c = 0; c < padded.width; c++) {
          data[r * padded.width + c] = whole[(padded.y + r) * 40 + padded.x + c];
        }
      }
      return { width: padded.width, height: padded.height, data };
    };
    // Centroid 18.5: left. Shifted by one column (18–21, centroid 19.5): right, on the boundary.
    expect(keepOwnedObjects(view(left.padded), left, image, 1).counts.kept).toBe(1);
    expect(keepOwnedObjects(view(right.padded), right, image, 1).counts.kept).toBe(0);
    whole[10 * 40 + 21] = 7;
    whole[10 * 40 + 17] = 0;
    expect(keepOwnedObjects(view(left.padded), left, image, 1).counts.kept).toBe(0);
    const kept = keepOwnedObjects(view(right.padded), right, image, 5);
    expect(kept.counts).toEqual({ kept: 1, truncated: 0 });
    expect(kept.next).toBe(6);
    expect([...new Set(kept.labels)].sort()).toEqual([0, 5]);
  });

  it('flags an owned object that reaches the padded edge as truncated', () => {
    const data = new Uint32Array(left.padded.width * left.padded.height);
    for (let x = 0; x < left.padded.width; x++) data[5 * left.padded.width + x] = 3;
    const kept = keepOwnedObjects(
      { width: left.padded.width, height: left.padded.height, data },
      left,
      image,
      1,
    );
    expect(kept.counts).toEqual({ kept: 1, truncated: 1 });
  });
});
