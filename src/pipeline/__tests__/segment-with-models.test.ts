import { describe, expect, it } from 'vitest';
import { cellposeModelFromForward } from '../../cellpose/cellpose-model.js';
import { InvalidArgumentError } from '../../errors.js';
import { createStack } from '../../image/stack.js';
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
});
