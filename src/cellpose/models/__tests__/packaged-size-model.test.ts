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
  // were fitted on recipe-2 images, the recipe their networks were last trained on. The model
  // cards promise ≥ 95 % of images within 10 %: of 8 images, at least 7 must land there.
  const cases = [
    { name: 'cellscope-cells', target: 'cells' },
    { name: 'cellscope-nuclei', target: 'nuclei' },
  ] as const;
  const seeds = Array.from({ length: 8 }, (_, k) => 4_900_000 + k);
  for (const { name, target } of cases) {
    it(`${name}: lands within 10 % of the true median diameter on 7 of 8 generated images`, async () => {
      const model = await loadCellposeModel(name, { threads: 2 });
      try {
        expect(model.sizeModel).toBeDefined();
        const channels: [number, number] = target === 'cells' ? [1, 2] : [0, 0];
        const ratios: number[] = [];
        for (const seed of seeds) {
          const { stack, labels } = trainingSample({ seed, target, size: 256, recipe: 2 });
          const estimate = await estimateCellposeDiameter(stack, { model, channels });
          ratios.push(estimate.diameter / medianEquivalentDiameter(labels));
          if (seed === seeds[0]) {
            // The first stage is the regression on the same style the size model was fitted on.
            const style = await cellposeStyle(stack, { model, channels });
            expect(estimate.styleDiameter).toBe(diameterFromStyle(style, model.sizeModel!));
          }
        }
        const within = ratios.filter((r) => r > 0.9 && r < 1.1);
        expect(
          within.length,
          `estimate / truth: ${ratios.map((r) => r.toFixed(3))}`,
        ).toBeGreaterThanOrEqual(7);
      } finally {
        await model.release();
      }
    });
  }
});
