// Fits a Cellpose size model (`size_<model>.npy`) for a trained network, as Cellpose's
// train.train_size does: each generated image resized by a random scale s (uniform in
// [1 − r/2, 1 + r/2], r = --scale-range), its style taken by cellscope's own inference path
// (cellposeStyle, what `diameter: 'auto'` reads), the target log(s · median label diameter) −
// log(diam_mean), then ridge regression (λ = 1). Writes np.save of the pickled dict
// {A, smean, ymean, diam_mean} with Debian's /usr/bin/python3 + NumPy, the very format Cellpose
// writes, and reads it back with decodeSizeModel.
//
//   npx tsx training/fit-size.ts --model models/cellscope-cells.pth --data data/cells-sizefit \
//     --out models/size_cellscope-cells.npy
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fitSizeModel, type SizeSample } from '../src/cellpose/fit-size-model.js';
import { createCellposeModel } from '../src/cellpose/model.js';
import { cellposeStyle, medianEquivalentDiameter } from '../src/cellpose/segment-cellpose.js';
import { diameterFromStyle, decodeSizeModel } from '../src/cellpose/size-model.js';
import { decodeStateDict } from '../src/cellpose/weights/state-dict.js';
import { seededRandom } from '../src/synth/random.js';
import { readShards, rescaleSample } from './shards.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    epochs: { type: 'string', default: '2' },
    'scale-range': { type: 'string', default: '1' },
    seed: { type: 'string', default: '0' },
    limit: { type: 'string', default: '100000' },
    threads: { type: 'string', default: '2' },
  },
});
if (!values.model || !values.data || !values.out?.endsWith('.npy')) {
  throw new Error(
    'usage: fit-size.ts --model <net.pth> --data <generated folder> --out <size_x.npy>',
  );
}
const [epochs, scaleRange, seed, limit, threads] = [
  values.epochs,
  values['scale-range'],
  values.seed,
  values.limit,
  values.threads,
].map(Number);

const model = await createCellposeModel(decodeStateDict(readFileSync(values.model)), { threads });
const images = readShards(values.data, limit);
const random = seededRandom(seed);
const samples: SizeSample[] = [];
const started = performance.now();
for (let epoch = 0; epoch < epochs; epoch++) {
  for (const sample of images) {
    const { stack, scale } = rescaleSample(sample, 1 - scaleRange / 2 + scaleRange * random());
    const diameter = medianEquivalentDiameter(sample.labels) * scale;
    // Images without objects say nothing about size (Cellpose skips them as well).
    if (!(diameter > 0)) continue;
    const channels: [number, number] = sample.nuclei ? [0, 0] : [1, 2];
    samples.push({ style: await cellposeStyle(stack, { model, channels }), diameter });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`epoch ${epoch + 1}/${epochs}: ${samples.length} styles (${seconds} s)`);
}
await model.release();

const fitted = fitSizeModel(samples, { diamMean: model.diamMean });
const params = {
  A: [...fitted.A],
  smean: [...fitted.smean],
  ymean: fitted.ymean,
  diam_mean: fitted.diamMean,
};
// float32 arrays and ymean, a Python float diam_mean: the types Cellpose's own files hold.
const save = [
  'import json, sys, numpy as np',
  'p = json.load(sys.stdin)',
  "np.save(sys.argv[1], {'A': np.array(p['A'], np.float32), 'smean': np.array(p['smean'], np.float32),",
  "  'ymean': np.float32(p['ymean']), 'diam_mean': float(p['diam_mean'])})",
].join('\n');
execFileSync('/usr/bin/python3', ['-c', save, values.out], { input: JSON.stringify(params) });

const written = decodeSizeModel(readFileSync(values.out), values.out);
const ratios = samples.map((s) => diameterFromStyle(s.style, written) / s.diameter);
const within = ratios.filter((r) => Math.abs(r - 1) <= 0.1).length / ratios.length;
console.log(
  `${values.out}: ${samples.length} styles of length ${written.A.length}, diam_mean ${written.diamMean}, ` +
    `ymean ${written.ymean.toFixed(4)}; on the fitting styles, the style estimate is within 10 % ` +
    `of the true diameter for ${(100 * within).toFixed(1)} %`,
);
