// How well a model finds the objects the image border cuts (training/image_edge.py): each image
// (or its central --crop N window, whose border cuts more objects) segmented at its true median
// diameter; then the recall at IoU 0.5 of true objects touching the border, by how much of a
// median object stays visible, against the recall of the others.
//
//   npx tsx training/edge-recall.ts --val data/cells2-sizecheck --crop 176 models/cellscope-cells.pth
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createCellposeModel } from '../src/cellpose/model.js';
import { medianEquivalentDiameter } from '../src/cellpose/segment-cellpose.js';
import { decodeStateDict } from '../src/cellpose/weights/state-dict.js';
import { matchLabels } from '../src/evaluate/matching.js';
import type { Labels } from '../src/image/types.js';
import { readSamples, segmentAtTrueDiameter } from './shards.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    val: { type: 'string' },
    limit: { type: 'string', default: '64' },
    crop: { type: 'string' },
  },
});
if (!values.val || positionals.length === 0) {
  throw new Error('usage: edge-recall.ts --val <folder> [--crop N] <model.pth>...');
}
const crop = values.crop === undefined ? undefined : Number(values.crop);
const samples = readSamples(values.val, Number(values.limit), crop);

/** Visible share of a median object: below 1/4, 1/4–1/2, 1/2–3/4, above 3/4. */
const BINS = ['<1/4', '1/4-1/2', '1/2-3/4', '>3/4'];

/** Labels with a pixel on the image border. */
function touchingBorder({ width, height, data }: Labels): Set<number> {
  const found = new Set<number>();
  for (let x = 0; x < width; x++) found.add(data[x]).add(data[(height - 1) * width + x]);
  for (let y = 0; y < height; y++) found.add(data[y * width]).add(data[y * width + width - 1]);
  found.delete(0);
  return found;
}

const header = ['model', 'interior', 'at the border', ...BINS.map((b) => `visible ${b}`)];
console.log(
  `${header.join('\t')}\t(${samples.length} images, ${values.val}, crop ${crop ?? 'none'})`,
);
for (const file of positionals) {
  const model = await createCellposeModel(decodeStateDict(readFileSync(file)), { threads: 2 });
  const found = { interior: [0, 0], border: [0, 0], bins: BINS.map(() => [0, 0]) };
  for (const sample of samples) {
    const masks = await segmentAtTrueDiameter(model, sample);
    if (!masks) continue; // a window with no object in it
    const { labels } = sample;
    const diameter = medianEquivalentDiameter(labels);
    const matched = new Set(matchLabels(masks, labels)[0].matches.map((m) => m.truth));
    const border = touchingBorder(labels);
    const areas = new Map<number, number>();
    for (const label of labels.data) if (label) areas.set(label, (areas.get(label) ?? 0) + 1);
    const medianArea = (Math.PI * diameter * diameter) / 4;
    for (const [label, area] of areas) {
      const hit = matched.has(label) ? 1 : 0;
      const counts = border.has(label)
        ? [found.border, found.bins[Math.min(3, Math.floor((4 * area) / medianArea))]]
        : [found.interior];
      for (const count of counts) {
        count[0] += hit;
        count[1] += 1;
      }
    }
  }
  await model.release();
  const recall = ([hit, all]: number[]): string => `${(hit / all).toFixed(3)} (${hit}/${all})`;
  console.log(
    [file, recall(found.interior), recall(found.border), ...found.bins.map(recall)].join('\t'),
  );
}
