import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStack } from '../../../image/stack.js';
import type { Labels, Stack } from '../../../image/types.js';
import { decodeStateDict } from '../../weights/state-dict.js';
import { loadCellposeModel } from '../../model.js';
import { medianEquivalentDiameter, segmentCellpose } from '../../segment-cellpose.js';
import { syntheticCells } from '../../../synth/cells.js';
import { matchLabels } from '../../../evaluate/matching.js';
import { PACKAGED_MODEL_NAMES, PACKAGED_MODELS } from '../packaged.js';
import { packagedModelPath } from '../packaged-path.js';
import { resolveModel } from '../resolve-model.js';

describe("cellscope's packaged models", () => {
  for (const name of PACKAGED_MODEL_NAMES) {
    it(`${name}: ships in models/, ≤ 8 MB, a float16 Cellpose state_dict read like official weights`, async () => {
      const path = packagedModelPath(name);
      expect(statSync(path).size).toBeLessThanOrEqual(8 * 1024 * 1024);
      const resolved = await resolveModel(name, { cacheDir: '/nonexistent-cache' });
      expect(resolved).toMatchObject({
        name,
        weightsPath: path,
        packaged: true,
        diamMean: PACKAGED_MODELS[name].diamMean,
      });
      const weights = decodeStateDict(readFileSync(path));
      expect(weights.get('output.2.weight')?.dtype).toBe('float16');
      expect(Number(weights.get('diam_mean')?.data[0])).toBe(PACKAGED_MODELS[name].diamMean);
      const model = await loadCellposeModel(name, { threads: 2 });
      try {
        expect(model.name).toBe(name);
        expect(model.architecture.nbase).toEqual([2, 16, 32, 64, 128]);
      } finally {
        await model.release();
      }
    });
  }

  // A seed the training data never used (they are 0–799 and 1,000,000+).
  const generated = syntheticCells({ seed: 3_000_017, width: 256, height: 256, cells: 14 });
  const [dna, cytoplasm] = generated.stack.planes;

  /** F1 at IoU 0.5 of a packaged model's masks on the generated image. */
  async function f1OnGenerated(
    name: string,
    stack: Stack,
    channels: [number, number],
    diameter: number,
    truth: Labels,
  ): Promise<number> {
    const model = await loadCellposeModel(name, { threads: 2 });
    try {
      const { masks } = await segmentCellpose(stack, { model, channels, diameter });
      return matchLabels(masks, truth, { iouThresholds: [0.5] })[0].f1;
    } finally {
      await model.release();
    }
  }

  it('cellscope-nuclei finds the nuclei of a generated image, dim ones included', async () => {
    const f1 = await f1OnGenerated(
      'cellscope-nuclei',
      createStack([dna]),
      [0, 0],
      18,
      generated.nucleusLabels,
    );
    expect(f1).toBeGreaterThanOrEqual(0.95);
  });

  it('cellscope-cells outlines the cells of a generated image from cytoplasm + nuclei', async () => {
    // Cellpose channels [1, 2]: segment the cytoplasm, the nuclei in the second plane.
    const f1 = await f1OnGenerated(
      'cellscope-cells',
      createStack([cytoplasm, dna]),
      [1, 2],
      medianEquivalentDiameter(generated.cellLabels),
      generated.cellLabels,
    );
    expect(f1).toBeGreaterThanOrEqual(0.9);
  });
});
