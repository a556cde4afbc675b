// Turns BBBC038 (the 2018 Data Science Bowl nuclei, CC0) into training/train.py's shard layout.
// Only the fluorescence images are kept: grey (R = G = B) with a dark background. Each image's
// id decides its split, so the split never changes: ids starting 0–3 are the real test set, ids
// starting 4 a real validation set (at its own scale, as test), the rest training data.
// - test: one shard per image at its own scale (score.ts segments at the true median diameter);
// - train: one shard per image and scale, resized so the median nucleus is `--diameter` px across,
//   times 0.8, 1 and 1.25 (Cellpose's training also rescales each image by its diameter).
//
//   npx tsx training/import-bbbc038.ts --src data/bbbc038-stage1-test/stage1_test \
//     --train data/bbbc038-train --val data/bbbc038-val --test data/bbbc038-test
//
// `--all-train` puts every image into train (stage1_train, whose ids overlap no test split),
// `--exclude` skips ids by prefix (the image behind ../shared/data/dsb2018-nuclei-256), and
// `--match-outlines` grows an image's masks by a pixel where they are drawn tighter than the
// stage1_test solution's (training/outline-contrast.ts). It prints the images' median contrast.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { masksToFlows } from '../src/cellpose/dynamics/masks-to-flows.js';
import { medianEquivalentDiameter } from '../src/cellpose/segment-cellpose.js';
import { normalize99 } from '../src/cellpose/transforms/normalize.js';
import { resizeLinear } from '../src/cellpose/transforms/resize.js';
import type { Float32Plane } from '../src/cellpose/transforms/types.js';
import type { Labels } from '../src/image/types.js';
import { encodeNpy } from '../src/io/npy.js';
import { decodeRaster } from '../src/io/raster.js';
import { innerEdgeContrast, matchOutlineConvention } from './outline-contrast.js';

const { values } = parseArgs({
  options: {
    src: { type: 'string' },
    train: { type: 'string' },
    test: { type: 'string' },
    val: { type: 'string' },
    diameter: { type: 'string', default: '17' },
    'all-train': { type: 'boolean', default: false },
    exclude: { type: 'string', default: '' },
    'match-outlines': { type: 'boolean', default: false },
  },
});
const allTrain = values['all-train'];
if (!values.src || !values.train || (!allTrain && (!values.test || !values.val))) {
  throw new Error(
    'usage: import-bbbc038.ts --src <stage1_x dir> --train <dir> (--val <dir> --test <dir> | --all-train) [--exclude id,…]',
  );
}
const targetDiameter = Number(values.diameter);
const excluded = values.exclude.split(',').filter(Boolean);
const splitOf = (id: string) =>
  allTrain ? 'train' : '0123'.includes(id[0]) ? 'test' : id[0] === '4' ? 'val' : 'train';

/** The image's grey plane, or undefined where it is a colour (histology) or bright-field image. */
function fluorescencePlane(planes: { data: ArrayLike<number> }[], width: number, height: number) {
  const [r, g, b] = planes;
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    if (r.data[i] !== g.data[i] || g.data[i] !== b.data[i]) return undefined;
    grey[i] = r.data[i];
  }
  const sorted = Float32Array.from(grey).sort();
  // Fluorescence: a dark background, so the median pixel is dim against the brightest.
  if (sorted[sorted.length >> 1] > 0.35 * sorted[sorted.length - 1]) return undefined;
  return { width, height, data: grey };
}

/** Nearest-neighbour resize of a label image (pixel centres mapped as cv2's INTER_NEAREST). */
function resizeLabels(labels: Labels, height: number, width: number): Labels {
  const data = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(labels.height - 1, Math.floor((y * labels.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(labels.width - 1, Math.floor((x * labels.width) / width));
      data[y * width + x] = labels.data[sy * labels.width + sx];
    }
  }
  return { width, height, data };
}

function writeShard(dir: string, name: string, image: Float32Plane, labels: Labels) {
  const { width, height } = labels;
  const plane = width * height;
  const images = new Float32Array(2 * plane);
  images.set(normalize99(image).data);
  const flows = new Float32Array(3 * plane);
  const { flows: field } = masksToFlows(labels);
  for (let i = 0; i < plane; i++) {
    flows[i] = labels.data[i] > 0 ? 1 : 0;
    flows[plane + i] = field.data[i];
    flows[2 * plane + i] = field.data[plane + i];
  }
  writeFileSync(join(dir, `images_${name}.npy`), encodeNpy(images, [1, 2, height, width]));
  writeFileSync(join(dir, `flows_${name}.npy`), encodeNpy(flows, [1, 3, height, width]));
  const labels32 = Int32Array.from(labels.data);
  writeFileSync(join(dir, `labels_${name}.npy`), encodeNpy(labels32, [1, height, width]));
}

const outputs = { train: values.train, val: values.val, test: values.test };
for (const dir of Object.values(outputs)) if (dir) mkdirSync(dir, { recursive: true });
const kept: Record<string, unknown>[] = [];
const contrasts: number[] = [];
for (const id of readdirSync(values.src).sort()) {
  if (excluded.some((prefix) => id.startsWith(prefix))) continue;
  const folder = join(values.src, id);
  const [imageFile] = readdirSync(join(folder, 'images'));
  const stack = await decodeRaster(readFileSync(join(folder, 'images', imageFile)));
  const { width, height } = stack.planes[0];
  const image = fluorescencePlane(stack.planes, width, height);
  if (!image) continue;
  let labels: Labels = { width, height, data: new Uint32Array(width * height) };
  const masks = readdirSync(join(folder, 'masks')).sort();
  for (const [k, maskFile] of masks.entries()) {
    const mask = await decodeRaster(readFileSync(join(folder, 'masks', maskFile)));
    mask.planes[0].data.forEach((v, i) => {
      if (v > 0) labels.data[i] = k + 1;
    });
  }
  const matched = values['match-outlines']
    ? matchOutlineConvention(image, labels)
    : { labels, grown: false, contrast: innerEdgeContrast(image, labels) };
  const { grown, contrast } = matched;
  labels = matched.labels;
  if (contrast !== undefined) contrasts.push(contrast);
  const diameter = medianEquivalentDiameter(labels);
  const split = splitOf(id);
  kept.push({
    id,
    split,
    width,
    height,
    nuclei: masks.length,
    diameter: +diameter.toFixed(2),
    edgeContrast: contrast === undefined ? null : +contrast.toFixed(3),
    grown,
  });
  if (split !== 'train') {
    writeShard(outputs[split]!, id.slice(0, 8), image, labels);
    continue;
  }
  for (const factor of [0.8, 1, 1.25]) {
    const scale = (factor * targetDiameter) / diameter;
    const size = { height: Math.round(height * scale), width: Math.round(width * scale) };
    const resized = resizeLinear(image, size);
    writeShard(
      values.train,
      `${id.slice(0, 8)}_${factor}`,
      resized,
      resizeLabels(labels, size.height, size.width),
    );
  }
}
for (const [split, dir] of Object.entries(outputs)) {
  if (!dir) continue;
  const rows = kept.filter((r) => r.split === split);
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(rows, null, 1)}\n`);
  console.log(`${split}: ${rows.length} images → ${dir}`);
}
contrasts.sort((a, b) => a - b);
const grownCount = kept.filter((r) => r.grown).length;
console.log(
  `median inner-edge contrast ${contrasts[contrasts.length >> 1]?.toFixed(3)} over ${contrasts.length} images; masks grown by 1 px in ${grownCount}`,
);
