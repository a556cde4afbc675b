// Writes generated training data for cellscope's own Cellpose models, in the layout
// training/train.py reads: per shard `images_XXXX.npy` float32 (n, 2, H, W), normalised per
// channel as Cellpose's normalize99; `flows_XXXX.npy` float32 (n, 3, H, W) = [cell probability,
// dY, dX] from masks_to_flows; `labels_XXXX.npy` int32 (n, H, W). Plus a few preview PNGs.
//
//   npx tsx training/generate.ts --target nuclei --count 600 --first-seed 0 --out data/nuclei-train
//   npx tsx training/generate.ts --target cells --recipe 2 ...   (cellScene's kinds of sample)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { masksToFlows } from '../src/cellpose/dynamics/masks-to-flows.js';
import { normalize99 } from '../src/cellpose/transforms/normalize.js';
import { encodeNpy } from '../src/io/npy.js';
import { encodePng } from '../src/io/raster.js';
import { drawOutlines } from '../src/plot/overlay.js';
import { trainingSample, type TrainingTarget } from '../src/synth/training-sample.js';

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'nuclei' },
    count: { type: 'string', default: '600' },
    'first-seed': { type: 'string', default: '0' },
    size: { type: 'string', default: '256' },
    shard: { type: 'string', default: '100' },
    previews: { type: 'string', default: '6' },
    recipe: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
if (!values.out) throw new Error('--out <folder> is required');
const target = values.target as TrainingTarget;
const recipe = values.recipe === '2' ? 2 : 1;
const [count, firstSeed, size, shardSize, previews] = [
  'count',
  'first-seed',
  'size',
  'shard',
  'previews',
].map((k) => Number(values[k as keyof typeof values]));
mkdirSync(values.out, { recursive: true });

const started = performance.now();
const settings: Record<string, unknown>[] = [];
for (let first = 0; first < count; first += shardSize) {
  const n = Math.min(shardSize, count - first);
  const images = new Float32Array(n * 2 * size * size);
  const flows = new Float32Array(n * 3 * size * size);
  const labels = new Int32Array(n * size * size);
  for (let k = 0; k < n; k++) {
    const seed = firstSeed + first + k;
    const sample = trainingSample({ seed, target, size, recipe });
    settings.push({ seed, ...sample.settings });
    const plane = size * size;
    // Channel 0 is the cytoplasm (or the grey image), channel 1 the nuclei (none for nuclei).
    sample.stack.planes.forEach((p, c) => images.set(normalize99(p).data, (k * 2 + c) * plane));
    const { flows: field } = masksToFlows(sample.labels);
    for (let i = 0; i < plane; i++) {
      flows[k * 3 * plane + i] = sample.labels.data[i] > 0 ? 1 : 0;
      flows[(k * 3 + 1) * plane + i] = field.data[i];
      flows[(k * 3 + 2) * plane + i] = field.data[plane + i];
      labels[k * plane + i] = sample.labels.data[i];
    }
    if (first + k < previews) {
      // What the network sees (the normalised first channel), with the labels' outlines.
      const grey = images.subarray(k * 2 * plane, (k * 2 + 1) * plane);
      const rgba = new Uint8Array(plane * 4);
      for (let i = 0; i < plane; i++) {
        const v = Math.round(255 * Math.min(1, Math.max(0, grey[i])));
        rgba.set([v, v, v, 255], i * 4);
      }
      const image = { width: size, height: size, channels: 4 as const, data: rgba };
      const outlined = drawOutlines(image, sample.labels, { colour: [255, 212, 0], opacity: 0.7 });
      writeFileSync(join(values.out, `preview_${seed}.png`), await encodePng(outlined));
    }
  }
  const shard = String(first / shardSize).padStart(4, '0');
  writeFileSync(join(values.out, `images_${shard}.npy`), encodeNpy(images, [n, 2, size, size]));
  writeFileSync(join(values.out, `flows_${shard}.npy`), encodeNpy(flows, [n, 3, size, size]));
  writeFileSync(join(values.out, `labels_${shard}.npy`), encodeNpy(labels, [n, size, size]));
  console.log(
    `${first + n}/${count} samples (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}
writeFileSync(join(values.out, 'settings.json'), `${JSON.stringify(settings, null, 1)}\n`);
