import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCellposeModel } from '../../model.js';
import {
  cellposeStyle,
  estimateCellposeDiameter,
  medianEquivalentDiameter,
} from '../../segment-cellpose.js';
import { diameterFromStyle, decodeSizeModel } from '../../size-model.js';
import { trainingSample } from '../../../synth/training-sample.js';
import { PACKAGED_MODEL_NAMES, PACKAGED_MODELS } from '../packaged.js';
import { packagedSizeModelPath } from '../packaged-path.js';
import { resolveModel } from '../resolve-model.js';

describe("size models of cellscope's packaged models", () => {
  for (const name of PACKAGED_MODEL_NAMES) {
    it(`${name}: resolveModel attaches size_${name}.npy, read as Cellpose's pickled dict`, async () => {
      const resolved = await resolveModel(name, { cacheDir: '/nonexistent-cache' });
      expect(resolved.sizeModelPath).toBe(packagedSizeModelPath(name));
      const size = decodeSizeModel(readFileSync(packagedSizeModelPath(name)));
      // One weight per style element of the 128-wide network; written as float32, like Cellpose's.
      expect(size.diamMean).toBe(PACKAGED_MODELS[name].diamMean);
      expect([size.A.length, size.smean.length]).toEqual([128, 128]);
      expect(Array.from(size.A, (a) => Math.fround(a))).toEqual(Array.from(size.A));
      // At the mean training style the estimate is diam_mean · e^ymean: the mean training size.
      expect(diameterFromStyle(size.smean, size)).toBeCloseTo(
        size.diamMean * Math.exp(size.ymean),
        9,
      );
      // Training images are drawn around diam_mean and rescaled ×0.5–1.5, so ymean is small.
      expect(Math.abs(size.ymean)).toBeLessThan(0.3);
    });
  }
});

describe("diameter: 'auto' with the packaged size models", () => {
  // Held-out seeds: training used 0–999 and 1,000,000+, the size fit 3,000,000+; both size models
  // were fitted on recipe-2 images, the recipe their networks were last trained on.
  const cases = [
    { name: 'cellscope-cells', target: 'cells', seed: 4_900_000 },
    { name: 'cellscope-nuclei', target: 'nuclei', seed: 4_900_000 },
  ] as const;
  for (const { name, target, seed } of cases) {
    it(`${name}: lands within 10 % of a generated image's true median diameter`, async () => {
      const model = await loadCellposeModel(name, { threads: 2 });
      try {
        expect(model.sizeModel).toBeDefined();
        const { stack, labels } = trainingSample({ seed, target, size: 256, recipe: 2 });
        const channels: [number, number] = target === 'cells' ? [1, 2] : [0, 0];
        const truth = medianEquivalentDiameter(labels);
        const estimate = await estimateCellposeDiameter(stack, { model, channels });
        expect(estimate.diameter / truth).toBeGreaterThan(0.9);
        expect(estimate.diameter / truth).toBeLessThan(1.1);
        // The first stage is the regression on the same style the size model was fitted on.
        const style = await cellposeStyle(stack, { model, channels });
        expect(estimate.styleDiameter).toBe(diameterFromStyle(style, model.sizeModel!));
      } finally {
        await model.release();
      }
    });
  }
});
