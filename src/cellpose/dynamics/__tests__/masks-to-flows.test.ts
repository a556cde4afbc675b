import { describe, expect, it } from 'vitest';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import { InvalidArgumentError } from '../../../errors.js';
import type { Labels } from '../../../image/types.js';
import { masksToFlows } from '../masks-to-flows.js';
import { cases, labelsOf, manifest, npy, type FlowsCase } from './fixtures.js';

describe.skipIf(!HAS_SHARED)('masksToFlows against Cellpose 3.1.1.3 fixtures', () => {
  const m = manifest();
  const all = countedCases(cases<FlowsCase>(m.flows), 3, 'masks-to-flows');

  for (const [name, c] of all) {
    it(`flows_${name}: bit-identical flows, same centres and iteration counts`, () => {
      const labels = labelsOf(npy(c.labels));
      const expected = npy(c.flows).data as Float64Array;
      const { flows, centers } = masksToFlows(labels);
      let maxDiff = 0;
      for (let i = 0; i < expected.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(flows.data[i] - expected[i]));
      }
      expect(maxDiff).toBe(0);
      // The manifest's centres are Cellpose's `meds`: relative to each label's bounding box.
      const boxes = boundingBoxes(labels);
      expect(centers.map((p) => [p.y - boxes[p.label].y, p.x - boxes[p.label].x])).toEqual(
        c.centers_yx,
      );
      expect(centers.map((p) => p.iterations)).toEqual(c.diffusion_iterations_per_label);
    });
  }
});

function boundingBoxes(labels: Labels): Record<number, { y: number; x: number }> {
  const boxes: Record<number, { y: number; x: number }> = {};
  for (let i = 0; i < labels.data.length; i++) {
    const v = labels.data[i];
    if (v === 0) continue;
    const y = Math.floor(i / labels.width);
    const x = i % labels.width;
    const box = (boxes[v] ??= { y, x });
    box.y = Math.min(box.y, y);
    box.x = Math.min(box.x, x);
  }
  return boxes;
}

describe('masksToFlows in closed form', () => {
  function disk(size: number, cy: number, cx: number, r: number): Labels {
    const data = new Uint32Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if ((y - cy) ** 2 + (x - cx) ** 2 <= r * r) data[y * size + x] = 3;
      }
    }
    return { width: size, height: size, data };
  }

  it('points every pixel of a disk towards its centre, with unit length', () => {
    const labels = disk(31, 15, 15, 9);
    const { flows, centers } = masksToFlows(labels);
    expect(centers).toEqual([{ label: 3, y: 15, x: 15, iterations: 2 * (21 + 21) }]);
    const n = 31 * 31;
    for (let i = 0; i < n; i++) {
      const dy = flows.data[i];
      const dx = flows.data[n + i];
      const y = Math.floor(i / 31) - 15;
      const x = (i % 31) - 15;
      if (labels.data[i] === 0 || (y === 0 && x === 0)) {
        if (labels.data[i] === 0) expect([dy, dx]).toEqual([0, 0]);
        continue;
      }
      expect(Math.hypot(dy, dx)).toBeCloseTo(1, 12);
      // Up the heat gradient means towards the source: the flow opposes the offset.
      expect(dy * y + dx * x).toBeLessThan(0);
    }
  });

  it('gives zero flows and no centres without labels', () => {
    const { flows, centers } = masksToFlows({ width: 4, height: 3, data: new Uint32Array(12) });
    expect(centers).toEqual([]);
    expect(flows.data.every((v) => v === 0)).toBe(true);
    expect(flows.data.length).toBe(24);
  });

  it('rejects data of the wrong length', () => {
    expect(() => masksToFlows({ width: 4, height: 3, data: new Uint32Array(11) })).toThrow(
      InvalidArgumentError,
    );
  });
});
