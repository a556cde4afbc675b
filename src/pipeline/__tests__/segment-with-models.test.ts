import { describe, expect, it } from 'vitest';
import { cellposeModelFromForward } from '../../cellpose/cellpose-model.js';
import { InvalidArgumentError } from '../../errors.js';
import { createStack } from '../../image/stack.js';
import { syntheticCells } from '../../synth/cells.js';
import { parseAnalysisConfig } from '../config.js';
import { segmentWithModels, type ModelCache } from '../segment-with-models.js';

const ARCHITECTURE = { nbase: [2, 32, 64, 128, 256], nout: 3, kernel: 3, parameterCount: 0 };
const stack = createStack([
  { width: 32, height: 32, data: new Uint16Array(32 * 32) },
  { width: 32, height: 32, data: new Uint16Array(32 * 32) },
]);
const config = parseAnalysisConfig({
  channels: { nuclei: 0, cytoplasm: 1 },
  nuclei: { method: 'cellpose', model: 'nuclei', diameter: 30 },
  cells: { method: 'from-nuclei' },
});

describe('segmentWithModels', () => {
  it('refuses a Cellpose step whose model was neither given nor loadable', async () => {
    await expect(segmentWithModels(stack, config)).rejects.toThrow(InvalidArgumentError);
  });

  it('runs the models it is given', async () => {
    let calls = 0;
    const model = cellposeModelFromForward(ARCHITECTURE, async (_batch, n, height, width) => {
      calls++;
      const style = new Float32Array(n * 256).fill(1 / 16);
      return { output: new Float32Array(n * 3 * height * width).fill(-1), style };
    });
    const models: ModelCache = new Map([['nuclei', Promise.resolve(model)]]);
    const result = await segmentWithModels(stack, config, { models });
    expect(calls).toBeGreaterThan(0);
    expect(result.nucleusLabels.data.every((v) => v === 0)).toBe(true);
    expect(result.steps[0]).toBe('nuclei: Cellpose nuclei, diameter 30 px');
  });

  describe('one step at a time', () => {
    const field = syntheticCells({ width: 96, height: 96, cells: 6, seed: 4 });
    const classical = parseAnalysisConfig({
      channels: { nuclei: 0, cytoplasm: 1 },
      nuclei: { method: 'classical' },
      cells: { method: 'from-nuclei' },
    });

    it('stops after the nuclei with nucleiOnly: the same nuclei, no cells', async () => {
      const both = await segmentWithModels(field.stack, classical);
      const only = await segmentWithModels(field.stack, classical, { nucleiOnly: true });
      expect(only.nucleusLabels.data).toEqual(both.nucleusLabels.data);
      expect(only.cellLabels.data.every((v) => v === 0)).toBe(true);
      expect(only.steps[1]).toBe('cells: not segmented (nuclei only)');
    });

    it('grows cells from the nuclei it is given instead of segmenting them', async () => {
      const both = await segmentWithModels(field.stack, classical);
      // Keep one nucleus only: exactly one cell grows, and the nuclei come back as given.
      const kept = both.nucleusLabels.data.map((v) => (v === 1 ? 1 : 0));
      const nucleusLabels = { width: 96, height: 96, data: kept };
      const result = await segmentWithModels(field.stack, classical, { nucleusLabels });
      expect(result.nucleusLabels.data).toBe(kept);
      expect(new Set(result.cellLabels.data)).toEqual(new Set([0, 1]));
      expect(result.steps[0]).toBe('nuclei: kept from before');
      const wrong = { width: 32, height: 32, data: new Uint32Array(32 * 32) };
      await expect(
        segmentWithModels(field.stack, classical, { nucleusLabels: wrong }),
      ).rejects.toThrow('the nuclei given are 32×32, the image 96×96');
    });
  });
});
