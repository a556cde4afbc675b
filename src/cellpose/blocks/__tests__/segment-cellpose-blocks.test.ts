import { describe, expect, it } from 'vitest';
import { matchLabels } from '../../../evaluate/matching.js';
import { numpyPercentiles } from '../../../image/numpy-percentile.js';
import { stackRegionSource } from '../../../image/region.js';
import { createStack } from '../../../image/stack.js';
import { memoryLabelSink } from '../../../segment/blocks/stitch.js';
import { syntheticCells } from '../../../synth/cells.js';
import { loadCellposeModel } from '../../model.js';
import { segmentCellpose } from '../../segment-cellpose.js';
import { segmentCellposeBlocks } from '../segment-cellpose-blocks.js';

describe('block-wise Cellpose (cellscope-nuclei) vs one-shot on a generated 384² image', () => {
  // A seed the training data never used (they are 0–799 and 1,000,000+).
  const generated = syntheticCells({ seed: 3_000_021, width: 384, height: 384, cells: 40 });
  const stack = createStack([generated.stack.planes[0]]);

  it('agree at F1 ≥ 0.99 at IoU 0.9 with 128-px blocks; normalisation is the whole image’s', async () => {
    const model = await loadCellposeModel('cellscope-nuclei', { threads: 2 });
    try {
      const options = { model, channels: [0, 0] as const, diameter: 18 };
      const oneShot = await segmentCellpose(stack, options);
      const sink = memoryLabelSink(384, 384);
      const result = await segmentCellposeBlocks(stackRegionSource(stack), {
        ...options,
        blockSize: 128,
        sink,
      });
      expect(result.blocks).toBe(9);
      expect(result.overlap).toBe(36);
      // Cellpose's normalize99 on the whole plane (float32 difference), the nuclear channel constant.
      const whole = numpyPercentiles(Float32Array.from(stack.planes[0].data), [1, 99], {
        float32Difference: true,
      });
      expect(result.bounds).toEqual([whole, [0, 1]]);
      const [agreement] = matchLabels(sink.labels, oneShot.masks, { iouThresholds: [0.9] });
      const [vsTruth] = matchLabels(sink.labels, generated.nucleusLabels, { iouThresholds: [0.5] });
      console.info(
        `Cellpose 384², blocks of 128: ${agreement.nPred} block-wise, ${agreement.nTrue} one-shot masks; ` +
          `F1@0.9 ${agreement.f1.toFixed(4)}; block-wise vs truth F1@0.5 ${vsTruth.f1.toFixed(3)}`,
      );
      expect(agreement.nTrue).toBeGreaterThan(30);
      expect(agreement.f1).toBeGreaterThanOrEqual(0.99);
      expect(result.counts[0].truncated).toBe(0);
    } finally {
      await model.release();
    }
  }, 60_000);
});
