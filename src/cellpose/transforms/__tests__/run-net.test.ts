import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import { HAS_SHARED, sharedPath } from '../../../../test/shared.js';
import { runNet, type NetworkForward } from '../run-net.js';
import type { Float32Plane } from '../types.js';
import {
  cellposeManifest,
  cellposeNpy,
  channelsFirst,
  channelsLast,
  compare,
  interleave,
} from './helpers.js';

/** A `forward` over an ONNX export of CPnet (input `input`, outputs `flows_cellprob`, `style`). */
async function onnxForward(file: string): Promise<{ forward: NetworkForward; calls: number[] }> {
  const session = await ort.InferenceSession.create(
    sharedPath('fixtures', 'cellpose', ...file.split('/')),
  );
  const calls: number[] = [];
  const forward: NetworkForward = async (batch, n, height, width) => {
    calls.push(n);
    const input = new ort.Tensor('float32', batch, [n, 2, height, width]);
    const result = await session.run({ input });
    const style = result.style.data as Float32Array;
    return {
      output: result.flows_cellprob.data as Float32Array,
      style,
      styleLength: style.length / n,
    };
  };
  return { forward, calls };
}

/** A stand-in network: flows = the two input channels, cellprob 1, style [1, 0]. */
const echo: NetworkForward = async (batch, n, height, width) => {
  const size = height * width;
  const output = new Float32Array(n * 3 * size);
  for (let t = 0; t < n; t++) {
    output.set(batch.subarray(t * 2 * size, (t + 1) * 2 * size), t * 3 * size);
    output.fill(1, t * 3 * size + 2 * size, (t + 1) * 3 * size);
  }
  const style = new Float32Array(n * 2);
  for (let t = 0; t < n; t++) style[2 * t] = 1;
  return { output, style };
};

function constantPlanes(height: number, width: number, values: number[]): Float32Plane[] {
  return values.map((v) => ({ width, height, data: new Float32Array(width * height).fill(v) }));
}

describe('runNet', () => {
  it('returns the blended network output at the input size and a unit style', async () => {
    const progress: number[] = [];
    const { flows, style } = await runNet(constantPlanes(300, 260, [0.25, 0.5]), echo, {
      batchSize: 3,
      onProgress: (done) => progress.push(done),
    });
    expect(flows.map((p) => [p.height, p.width])).toEqual([
      [300, 260],
      [300, 260],
      [300, 260],
    ]);
    expect(flows[0].data.every((v) => Math.abs(v - 0.25) < 1e-6)).toBe(true);
    expect(flows[2].data.every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    expect(Array.from(style)).toEqual([1, 0]);
    expect(progress).toEqual([3, 4]); // 2 × 2 tiles in batches of 3
  });

  it('un-flips augmented tiles and negates their flipped flow components', async () => {
    // A flip-equivariant stand-in: dY = vertical difference of channel 0, dX = horizontal
    // difference of channel 1, cellprob = channel 0. On ramps the true answer is 1, 1, ramp.
    const gradient: NetworkForward = async (batch, n, h, w) => {
      const size = h * w;
      const output = new Float32Array(n * 3 * size);
      for (let t = 0; t < n; t++) {
        const a = batch.subarray(t * 2 * size, t * 2 * size + size);
        const b = batch.subarray(t * 2 * size + size, (t + 1) * 2 * size);
        const o = t * 3 * size;
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const p = y * w + x;
            output[o + p] = y + 1 < h ? a[p + w] - a[p] : a[p] - a[p - w];
            output[o + size + p] = x + 1 < w ? b[p + 1] - b[p] : b[p] - b[p - 1];
            output[o + 2 * size + p] = a[p];
          }
        }
      }
      return { output, style: new Float32Array(n).fill(1) };
    };
    const [height, width] = [150, 260];
    const rows = {
      width,
      height,
      data: Float32Array.from({ length: width * height }, (_, i) => Math.floor(i / width)),
    };
    const cols = {
      width,
      height,
      data: Float32Array.from({ length: width * height }, (_, i) => i % width),
    };
    const { flows, style } = await runNet([rows, cols], gradient, { augment: true });
    for (let y = 1; y < height - 1; y++) {
      for (let x = 1; x < width - 1; x++) {
        const p = y * width + x;
        expect(flows[0].data[p]).toBeCloseTo(1, 6);
        expect(flows[1].data[p]).toBeCloseTo(1, 6);
        expect(flows[2].data[p]).toBeCloseTo(y, 4);
      }
    }
    expect(Array.from(style)).toEqual([1]);
  });

  it('rescales before the network and back unless resample is false', async () => {
    const input = constantPlanes(100, 120, [2, 4]);
    const back = await runNet(input, echo, { rescale: 0.5 });
    expect([back.flows[0].height, back.flows[0].width]).toEqual([100, 120]);
    const small = await runNet(input, echo, { rescale: 0.37, resample: false });
    expect([small.flows[0].height, small.flows[0].width]).toEqual([37, 44]);
    expect(small.flows[1].data.every((v) => Math.abs(v - 4) < 1e-5)).toBe(true);
  });

  it('validates inputs and the network output', async () => {
    const input = constantPlanes(20, 20, [0, 0]);
    await expect(runNet(input, echo, { rescale: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(runNet(input, echo, { rescale: 0.01 })).rejects.toThrow(/shrinks/);
    await expect(runNet(input, echo, { batchSize: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(runNet([input[0], constantPlanes(10, 20, [0])[0]], echo)).rejects.toThrow(
      /same size/,
    );
    const short: NetworkForward = async (b, n, h, w) => ({
      output: new Float32Array(n * 3 * h * w - 1),
      style: new Float32Array(n),
    });
    await expect(runNet(input, short)).rejects.toThrow(/network output/);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(runNet(input, echo, { signal: controller.signal })).rejects.toThrow('stop');
  });
});

describe.skipIf(!HAS_SHARED)('runNet against Cellpose 3.1.1.3 core.run_net', () => {
  const TOLERANCE = 1e-4;

  it.each([
    ['runnet_out', 'runnet_style', {}],
    ['runnet_out_augment', 'runnet_style_augment', { augment: true }],
    ['runnet_out_rsz08', 'runnet_style_rsz08', { rescale: 0.8, resample: false }],
  ])('matches transforms/%s.npy within 1e-4', async (outName, styleName, options) => {
    const { forward, calls } = await onnxForward('net/cpnet_small_cyto.onnx');
    const input = channelsLast(cellposeNpy('transforms/runnet_in.npy'));
    const { flows, style } = await runNet(input, forward, { ...options, batchSize: 8 });
    const expected = cellposeNpy(`transforms/${outName}.npy`);
    expect([flows[0].height, flows[0].width]).toEqual(expected.shape.slice(1, 3));
    const diff = compare(interleave(flows), expected.data as Float32Array);
    expect(diff.maxAbs).toBeLessThan(TOLERANCE);
    const styleDiff = compare(
      style,
      cellposeNpy(`transforms/${styleName}.npy`).data as Float32Array,
    );
    expect(styleDiff.maxAbs).toBeLessThan(TOLERANCE);
    expect(calls.every((n) => n <= 8)).toBe(true);
  });

  const e2e = HAS_SHARED ? cellposeManifest().e2e : {};
  it.each(['d30', 'd15', 'd45', 'd30_augment', 'd45_noresample'])(
    'reproduces the e2e %s flows and style from e2e/normalized.npy',
    async (name) => {
      const entry = e2e[name];
      const { forward } = await onnxForward('e2e/cpnet_small_trained.onnx');
      const input = channelsLast(cellposeNpy('e2e/normalized.npy'));
      const { flows, style } = await runNet(input, forward, {
        rescale: entry.rescale,
        augment: entry.kwargs.augment ?? false,
        resample: entry.kwargs.resample ?? true,
      });
      const dP = channelsFirst(cellposeNpy(entry.dP.file));
      const cellprob = cellposeNpy(entry.cellprob.file).data as Float32Array;
      expect([flows[0].height, flows[0].width]).toEqual(entry.cellprob.shape);
      // Cellpose ran the net with MKLDNN convolutions; another runtime differs by ~1e-5.
      expect(compare(flows[0].data, dP[0].data).maxAbs).toBeLessThan(TOLERANCE);
      expect(compare(flows[1].data, dP[1].data).maxAbs).toBeLessThan(TOLERANCE);
      expect(compare(flows[2].data, cellprob).maxAbs).toBeLessThan(TOLERANCE);
      const expectedStyle = cellposeNpy(entry.style.file).data as Float32Array;
      expect(compare(style, expectedStyle).maxAbs).toBeLessThan(TOLERANCE);
    },
  );
});
