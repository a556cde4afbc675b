// Scores checkpoints on held-out generated images (never on real data): each image segmented at
// its true median diameter, TP/FP/FN pooled over the images, F1 at IoU 0.5 and 0.75.
//
//   npx tsx training/score.ts --val data/nuclei-val runs/nuclei/checkpoints/*.pth
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCellposeModel } from '../src/cellpose/model.js';
import { medianEquivalentDiameter, segmentCellpose } from '../src/cellpose/segment-cellpose.js';
import { readStateDict } from '../src/cellpose/weights/state-dict.js';
import { matchLabels } from '../src/evaluate/matching.js';
import { createStack } from '../src/image/stack.js';
import type { Labels, Stack } from '../src/image/types.js';
import { readNpy } from '../src/io/npy.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { val: { type: 'string' }, limit: { type: 'string', default: '1000' } },
});
if (!values.val || positionals.length === 0) {
  throw new Error('usage: score.ts --val <folder> <checkpoint.pth>...');
}

/** The validation images (both channels; the nuclear one is all zero for nuclei) and labels. */
function readValidation(
  folder: string,
  limit: number,
): { stack: Stack; labels: Labels; nuclei: boolean }[] {
  const shards = readdirSync(folder)
    .filter((f) => f.startsWith('images_'))
    .sort();
  const samples: { stack: Stack; labels: Labels; nuclei: boolean }[] = [];
  for (const shard of shards) {
    const images = readNpy(readFileSync(join(folder, shard)));
    const labels = readNpy(readFileSync(join(folder, shard.replace('images_', 'labels_'))));
    const [n, , height, width] = images.shape;
    const plane = width * height;
    for (let k = 0; k < n && samples.length < limit; k++) {
      const data = images.data as Float32Array;
      const planes = [0, 1].map((c) => ({
        width,
        height,
        data: data.slice((k * 2 + c) * plane, (k * 2 + c + 1) * plane),
      }));
      const nuclei = planes[1].data.every((v) => v === 0);
      samples.push({
        stack: createStack(nuclei ? [planes[0]] : planes),
        labels: {
          width,
          height,
          data: Uint32Array.from((labels.data as Int32Array).subarray(k * plane, (k + 1) * plane)),
        },
        nuclei,
      });
    }
  }
  return samples;
}

const samples = readValidation(values.val, Number(values.limit));
console.log(`checkpoint\tF1@0.5\tF1@0.75\tseconds (${samples.length} images)`);
for (const file of positionals) {
  const started = performance.now();
  const model = await createCellposeModel(readStateDict(readFileSync(file)), { threads: 2 });
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
