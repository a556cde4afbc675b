// Measures `diameter: 'auto'` on held-out generated images: the fraction of images whose estimate
// is within 10 % of the true median label diameter, for four estimates:
//   masks  – no size model: masks at diam_mean, their median (cellscope before size models);
//   style  – the size model's regression on the style alone;
//   2-stage – Cellpose's SizeModel.eval: masks at the style estimate, their median;
//   auto    – cellscope's `diameter: 'auto'`: the two stages, then the large-object check.
// --scale-range r resizes each image by a random s in [1 − r/2, 1 + r/2] first (default 0: none);
// --scales a,b instead draws s log-uniform in [a, b] (objects far beyond the size model's range).
// --verbose prints each image, with the large-object check's network runs (diameter:median mask).
//
//   npx tsx training/auto-diameter.ts --model models/cellscope-cells.pth \
//     --size models/size_cellscope-cells.npy --data data/cells-sizetest
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createCellposeModel } from '../src/cellpose/model.js';
import {
  estimateCellposeDiameter,
  medianEquivalentDiameter,
} from '../src/cellpose/segment-cellpose.js';
import { decodeSizeModel } from '../src/cellpose/size-model.js';
import { decodeStateDict } from '../src/cellpose/weights/state-dict.js';
import { seededRandom } from '../src/synth/random.js';
import { readShards, rescaleSample } from './shards.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    size: { type: 'string' },
    data: { type: 'string' },
    'scale-range': { type: 'string', default: '0' },
    scales: { type: 'string' },
    seed: { type: 'string', default: '1' },
    limit: { type: 'string', default: '64' },
    threads: { type: 'string', default: '2' },
    verbose: { type: 'boolean', default: false },
  },
});
if (!values.model || !values.size || !values.data) {
  throw new Error('usage: auto-diameter.ts --model <net.pth> --size <size_x.npy> --data <folder>');
}
const [scaleRange, seed, limit, threads] = [
  values['scale-range'],
  values.seed,
  values.limit,
  values.threads,
].map(Number);

const plain = await createCellposeModel(decodeStateDict(readFileSync(values.model)), { threads });
const sized = { ...plain, sizeModel: decodeSizeModel(readFileSync(values.size), values.size) };
const random = seededRandom(seed);
const methods = ['masks', 'style', '2-stage', 'auto'] as const;
const ratios: Record<(typeof methods)[number], number[]> = {
  masks: [],
  style: [],
  '2-stage': [],
  auto: [],
};
const [low, high] = (values.scales ?? '').split(',').map(Number);
const drawScale = (): number =>
  values.scales
    ? Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * random())
    : 1 - scaleRange / 2 + scaleRange * random();
if (values.verbose) {
  console.log(['image', 'scale', 'true', ...methods, 'check runs (at:measured)'].join('\t'));
}
for (const [i, sample] of readShards(values.data, limit).entries()) {
  const { stack, scale } = rescaleSample(sample, drawScale());
  const truth = medianEquivalentDiameter(sample.labels) * scale;
  if (!(truth > 0)) continue;
  const channels: [number, number] = sample.nuclei ? [0, 0] : [1, 2];
  const old = await estimateCellposeDiameter(stack, {
    model: plain,
    channels,
    largeObjectCheck: false,
  });
  const now = await estimateCellposeDiameter(stack, { model: sized, channels });
  const found = [old.twoStageDiameter, now.styleDiameter, now.twoStageDiameter, now.diameter];
  methods.forEach((m, k) => ratios[m].push(found[k] / truth));
  if (values.verbose) {
    const runs = now.largeObjectRuns.map(
      (r) => `${r.diameter.toFixed(1)}:${r.measured.toFixed(1)}`,
    );
    console.log(
      [...[i, scale, truth, ...found].map((v) => +v.toFixed(3)), runs.join(' ')].join('\t'),
    );
  }
}
await plain.release();

const n = ratios.masks.length;
console.log(`method\twithin 10 %\tmedian estimate/true\t(${n} images, ${values.data})`);
for (const m of methods) {
  const within = ratios[m].filter((r) => Math.abs(r - 1) <= 0.1).length;
  const sorted = [...ratios[m]].sort((a, b) => a - b);
  const percent = ((100 * within) / n).toFixed(1);
  console.log(`${m}\t${within}/${n} = ${percent} %\t${sorted[n >> 1].toFixed(3)}`);
}
