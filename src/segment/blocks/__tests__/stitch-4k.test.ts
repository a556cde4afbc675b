import { describe, expect, it } from 'vitest';
import { matchLabels } from '../../../evaluate/matching.js';
import { stackRegionSource } from '../../../image/region.js';
import { createStack } from '../../../image/stack.js';
import type { Labels } from '../../../image/types.js';
import { syntheticCells } from '../../../synth/cells.js';
import { segmentNucleiClassical } from '../../nuclei.js';
import { segmentClassicalBlocks } from '../classical-blocks.js';
import { memoryLabelSink } from '../stitch.js';

const SIZE = 4096;
const TILE = 512;

/**
 * A 4096² DNA image with ground truth: one generated 512² field repeated, shifted by 256 px so
 * every 1024-px block border runs through the middle of a field, across its nuclei.
 */
function mosaic() {
  const field = syntheticCells({ width: TILE, height: TILE, cells: 60, seed: 18 });
  const dna = new Uint16Array(SIZE * SIZE);
  const truth = new Uint32Array(SIZE * SIZE);
  const fieldLabels = field.nucleusLabels.data;
  const labelsPerField = fieldLabels.reduce((a, b) => Math.max(a, b), 0);
  for (let y = 0; y < SIZE; y++) {
    const fy = (y + TILE / 2) % TILE;
    const tileRow = Math.floor((y + TILE / 2) / TILE);
    for (let x = 0; x < SIZE; x++) {
      const fx = (x + TILE / 2) % TILE;
      const tileCol = Math.floor((x + TILE / 2) / TILE);
      const from = fy * TILE + fx;
      dna[y * SIZE + x] = field.stack.planes[0].data[from];
      const label = fieldLabels[from];
      // Each copy of the field numbers its nuclei apart from the others.
      if (label) truth[y * SIZE + x] = (tileRow * 9 + tileCol) * labelsPerField + label;
    }
  }
  return {
    stack: createStack([{ width: SIZE, height: SIZE, data: dna }]),
    truth: { width: SIZE, height: SIZE, data: truth } as Labels,
  };
}

describe('block-wise vs one-shot classical nuclei on a 4096² generated image', () => {
  it('agree at F1 ≥ 0.99 at IoU 0.9 with 1024-px blocks', async () => {
    const { stack, truth } = mosaic();
    const oneShot = segmentNucleiClassical(stack.planes[0]);
    const sink = memoryLabelSink(SIZE, SIZE);
    const result = await segmentClassicalBlocks(stackRegionSource(stack), {
      blockSize: 1024,
      nucleusSink: sink,
    });
    expect(result.blocks).toBe(16);
    expect(result.threshold).toBe(oneShot.threshold);
    expect(result.diameterPx).toBe(oneShot.diameterPx);
    expect(result.counts[0].truncated).toBe(0);
    const [agreement] = matchLabels(sink.labels, oneShot.labels, { iouThresholds: [0.9] });
    const [blocksVsTruth] = matchLabels(sink.labels, truth, { iouThresholds: [0.5] });
    const [oneShotVsTruth] = matchLabels(oneShot.labels, truth, { iouThresholds: [0.5] });
    console.info(
      `4096²: ${oneShot.count} one-shot, ${result.counts[0].kept} block-wise nuclei; ` +
        `F1@0.9 between them ${agreement.f1.toFixed(4)}; vs truth F1@0.5 ` +
        `${blocksVsTruth.f1.toFixed(3)} (blocks), ${oneShotVsTruth.f1.toFixed(3)} (one-shot)`,
    );
    expect(oneShot.count).toBeGreaterThan(3000);
    expect(agreement.f1).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs(blocksVsTruth.f1 - oneShotVsTruth.f1)).toBeLessThan(0.005);
  }, 120_000);
});
