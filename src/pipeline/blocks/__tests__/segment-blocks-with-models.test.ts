import { describe, expect, it } from 'vitest';
import { matchLabels } from '../../../evaluate/matching.js';
import { stackRegionSource } from '../../../image/region.js';
import { syntheticCells } from '../../../synth/cells.js';
import { parseAnalysisConfig } from '../../config.js';
import { segmentImage } from '../../segment-image.js';
import { segmentWithModels } from '../../segment-with-models.js';
import { segmentBlocksWithModels } from '../segment-blocks-with-models.js';

describe('analyze segmentation block-wise (classical nuclei, cells grown from them)', () => {
  const generated = syntheticCells({ seed: 44, width: 640, height: 640, cells: 90 });
  const config = parseAnalysisConfig({
    channels: { nuclei: 0, cytoplasm: 1 },
    nuclei: { method: 'classical' },
    cells: { method: 'from-nuclei' },
  });

  it('agrees with the one-shot run at F1 ≥ 0.99 at IoU 0.9, nuclei and cells (256-px blocks)', async () => {
    const oneShot = await segmentWithModels(generated.stack, config);
    const blocks = await segmentBlocksWithModels(stackRegionSource(generated.stack), config, 256);
    expect(blocks.blocks).toBe(9);
    expect(blocks.nucleusDiameterPx).toBe(oneShot.nucleusDiameterPx);
    const [nuclei] = matchLabels(blocks.nucleusLabels, oneShot.nucleusLabels, {
      iouThresholds: [0.9],
    });
    const [cells] = matchLabels(blocks.cellLabels, oneShot.cellLabels, { iouThresholds: [0.9] });
    console.info(
      `640², 256-px blocks: nuclei F1@0.9 ${nuclei.f1.toFixed(4)} (${nuclei.nTrue}), cells ${cells.f1.toFixed(4)} (${cells.nTrue})`,
    );
    expect(nuclei.nTrue).toBeGreaterThan(70);
    expect(nuclei.f1).toBeGreaterThanOrEqual(0.99);
    expect(cells.f1).toBeGreaterThanOrEqual(0.99);
    expect(blocks.steps[0]).toMatch(
      /^block-wise: 9 blocks of 256 px, overlap \d+ px; \d+ nuclei, \d+ cells$/,
    );
  }, 60_000);

  it('segmentImage goes block-wise only when config.blockSize is below the image size', async () => {
    const small = await segmentImage(generated.stack, { ...config, blockSize: 1024 });
    expect(small.steps[0]).toMatch(/^nuclei: classical/);
    await expect(
      segmentImage(generated.stack, { ...config, blockSize: 'off' }),
    ).resolves.toMatchObject({
      steps: [expect.stringMatching(/^nuclei: classical/), expect.any(String)],
    });
    expect(() => parseAnalysisConfig({ ...config, blockSize: 100 })).toThrow(/blockSize/);
  }, 60_000);
});
