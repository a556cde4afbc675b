// Scores checkpoints on held-out images — generated, or the real BBBC038 val/test splits (never
// the project's held-back sets): each image segmented at its true median diameter, TP/FP/FN
// pooled over the images, F1 at IoU 0.5 and 0.75; then the mean of the images' F1 (how the
// held-back sets are judged), which weighs a sparse image as much as a crowded one.
//
// --crop N scores each image's central N × N window instead: a smaller field of view, whose
// border cuts more cells (as real images do: training/image_edge.py).
//
//   npx tsx training/score.ts --val data/nuclei-val runs/nuclei/checkpoints/*.pth
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createCellposeModel } from '../src/cellpose/model.js';
import { decodeStateDict } from '../src/cellpose/weights/state-dict.js';
import { matchLabels } from '../src/evaluate/matching.js';
import { addScores, emptyTally, meanImageF1, pooledF1 } from '../src/evaluate/tally.js';
import { readSamples, segmentAtTrueDiameter } from './shards.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    val: { type: 'string' },
    limit: { type: 'string', default: '1000' },
    crop: { type: 'string' },
  },
});
if (!values.val || positionals.length === 0) {
  throw new Error('usage: score.ts --val <folder> <checkpoint.pth>...');
}

const crop = values.crop === undefined ? undefined : Number(values.crop);
const samples = readSamples(values.val, Number(values.limit), crop);
console.log(
  `checkpoint\tF1@0.5\tF1@0.75\tmean F1@0.5\tmean F1@0.75\tseconds (${samples.length} images)`,
);
for (const file of positionals) {
  const started = performance.now();
  const model = await createCellposeModel(decodeStateDict(readFileSync(file)), { threads: 2 });
  const tally = emptyTally(2);
  for (const sample of samples) {
    const masks = await segmentAtTrueDiameter(model, sample);
    if (!masks) continue; // a window with no object in it
    addScores(tally, matchLabels(masks, sample.labels, { iouThresholds: [0.5, 0.75] }));
  }
  await model.release();
  const f1 = [pooledF1(tally, 0), pooledF1(tally, 1), meanImageF1(tally, 0), meanImageF1(tally, 1)];
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log([file, ...f1.map((v) => v.toFixed(4)), seconds].join('\t'));
}
