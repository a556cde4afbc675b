// Scores checkpoints on held-out images — generated, or the real BBBC038 val/test splits (never
// the project's held-back sets): each image segmented at its true median diameter, TP/FP/FN
// pooled over the images, F1 at IoU 0.5 and 0.75.
//
//   npx tsx training/score.ts --val data/nuclei-val runs/nuclei/checkpoints/*.pth
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createCellposeModel } from '../src/cellpose/model.js';
import { medianEquivalentDiameter, segmentCellpose } from '../src/cellpose/segment-cellpose.js';
import { decodeStateDict } from '../src/cellpose/weights/state-dict.js';
import { matchLabels } from '../src/evaluate/matching.js';
import { readShards } from './shards.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { val: { type: 'string' }, limit: { type: 'string', default: '1000' } },
});
if (!values.val || positionals.length === 0) {
  throw new Error('usage: score.ts --val <folder> <checkpoint.pth>...');
}

const samples = readShards(values.val, Number(values.limit));
console.log(`checkpoint\tF1@0.5\tF1@0.75\tseconds (${samples.length} images)`);
for (const file of positionals) {
  const started = performance.now();
  const model = await createCellposeModel(decodeStateDict(readFileSync(file)), { threads: 2 });
  const pooled = [0.5, 0.75].map(() => ({ tp: 0, fp: 0, fn: 0 }));
  for (const { stack, labels, nuclei } of samples) {
    const diameter = medianEquivalentDiameter(labels);
    const { masks } = await segmentCellpose(stack, {
      model,
      diameter,
      channels: nuclei ? [0, 0] : [1, 2],
    });
    matchLabels(masks, labels, { iouThresholds: [0.5, 0.75] }).forEach((s, i) => {
      pooled[i].tp += s.tp;
      pooled[i].fp += s.fp;
      pooled[i].fn += s.fn;
    });
  }
  await model.release();
  const f1 = pooled.map(({ tp, fp, fn }) => (2 * tp) / (2 * tp + fp + fn));
  const seconds = (performance.now() - started) / 1000;
  console.log(`${file}\t${f1[0].toFixed(4)}\t${f1[1].toFixed(4)}\t${seconds.toFixed(0)}`);
}
