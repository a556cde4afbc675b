import { afterEach, describe, expect, it } from 'vitest';
import type { Labels } from '../../../image/types.js';
import { syntheticCells } from '../../../synth/cells.js';
import { followFlows, followFlowsThreaded } from '../follow-flows.js';
import { masksToFlows, masksToFlowsThreaded } from '../masks-to-flows.js';
import type { FlowPositions } from '../types.js';

// The WebAssembly kernels (heat diffusion, interpolated Euler walk) against the JavaScript
// ones they replace. The Cellpose
// fixtures (masks-to-flows, threads) pin the WebAssembly path to Cellpose 3.1.1.3 bit for bit;
// here every kind of label shape checks that both paths agree, so the fallback stays exact too.

const DIFFUSE = Symbol.for('cellscope.diffuse.wasm');
const FOLLOW = Symbol.for('cellscope.follow.wasm');
const realm = globalThis as { [key: symbol]: unknown };

/** Flows with the WebAssembly kernel refused, as in a page whose policy forbids it. */
function javascriptFlows(labels: Labels): Float64Array {
  const saved = realm[DIFFUSE];
  realm[DIFFUSE] = null;
  try {
    return masksToFlows(labels).flows.data;
  } finally {
    realm[DIFFUSE] = saved;
  }
}

function differing(a: Float64Array, b: Float64Array): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) count++;
  return count;
}

/** Odd and even run lengths, one-pixel labels, labels on every border, touching labels. */
function shapes(): Labels {
  const width = 37;
  const height = 29;
  const data = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if ((y - 14) ** 2 + (x - 18) ** 2 <= 49) data[i] = 1;
      else if (x < 5 && y < 9) data[i] = 2;
      else if (x >= 5 && x < 9 && y < 9) data[i] = 3;
      else if (y === height - 1 && x > 3) data[i] = 4;
      else if (x === width - 1 && y > 2 && y < 20) data[i] = 5;
    }
  }
  data[20 * width + 3] = 6;
  return { width, height, data };
}

const images: [string, Labels][] = [
  ['label shapes 37 × 29', shapes()],
  [
    'synthetic cells 301 × 257',
    syntheticCells({ width: 301, height: 257, cells: 9, nucleusDiameterPx: 30, seed: 3 })
      .cellLabels,
  ],
  [
    'synthetic nuclei 200 × 151',
    syntheticCells({ width: 200, height: 151, cells: 12, nucleusDiameterPx: 20, seed: 5 })
      .nucleusLabels,
  ],
];

describe('heat diffusion in WebAssembly and in JavaScript', () => {
  afterEach(() => expect(realm[DIFFUSE]).toBeInstanceOf(WebAssembly.Instance));

  it(`runs the WebAssembly kernel in Node`, () => {
    masksToFlows(shapes());
    expect(realm[DIFFUSE]).toBeInstanceOf(WebAssembly.Instance);
  });

  for (const [name, labels] of images) {
    it(`${name}: the same flows bit for bit, on 1 and 2 threads`, async () => {
      const expected = javascriptFlows(labels);
      expect(expected.some((v) => v !== 0)).toBe(true);
      expect(differing(masksToFlows(labels).flows.data, expected)).toBe(0);
      const threaded = await masksToFlowsThreaded(labels, { threads: 2 });
      expect(differing(threaded.flows.data, expected)).toBe(0);
    });
  }
  expect(images).toHaveLength(3);
});

/** Network-like flows of `labels`: 5 × their own flows plus a seeded wobble, cellprob ±5. */
function flowsOf(labels: Labels) {
  const { width, height } = labels;
  const mu = masksToFlows(labels).flows.data;
  const wobble = (i: number) => 0.3 * Math.sin(i * 0.7) * Math.cos(i * 0.13);
  const dP = { width, height, data: Float32Array.from(mu, (v, i) => 5 * v + wobble(i)) };
  const cellprob = { width, height, data: Float32Array.from(labels.data, (v) => (v ? 5 : -5)) };
  return { dP, cellprob };
}

function differingPositions(a: FlowPositions, b: FlowPositions): number {
  let count = 0;
  for (let i = 0; i < a.y.length; i++) {
    if (!Object.is(a.y[i], b.y[i]) || !Object.is(a.x[i], b.x[i])) count++;
  }
  return count;
}

describe('the interpolated Euler walk in WebAssembly and in JavaScript', () => {
  afterEach(() =>
    expect((realm[FOLLOW] as { instance: unknown }).instance).toBeInstanceOf(WebAssembly.Instance),
  );

  for (const [name, labels] of images) {
    for (const niter of [0, 1, 7, 200, 2000]) {
      it(`${name}, niter ${niter}: the same positions bit for bit, on 1 and 2 threads`, async () => {
        const { dP, cellprob } = flowsOf(labels);
        const saved = realm[FOLLOW];
        realm[FOLLOW] = { instance: null };
        let expected: FlowPositions;
        try {
          expected = followFlows(dP, cellprob, { niter });
        } finally {
          realm[FOLLOW] = saved;
        }
        expect(expected.y.length).toBeGreaterThan(20);
        const moved = expected.y.filter(
          (y, k) => y !== Math.floor(expected.pixels[k] / labels.width),
        );
        expect(moved.length > 0).toBe(niter > 0);
        expect(differingPositions(followFlows(dP, cellprob, { niter }), expected)).toBe(0);
        const threaded = await followFlowsThreaded(dP, cellprob, { niter, threads: 2, chunk: 64 });
        expect(differingPositions(threaded, expected)).toBe(0);
      });
    }
  }
});
