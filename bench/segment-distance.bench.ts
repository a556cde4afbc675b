import { bench, describe } from 'vitest';
import type { Labels, Mask } from '../src/image/types.js';
import { distanceTransform } from '../src/segment/distance/distance-transform.js';
import { squaredDistanceTransform } from '../src/segment/distance/squared-distance-transform.js';
import { expandLabels } from '../src/segment/labels/expand-labels.js';
import { seededRandom } from '../src/synthetic/random.js';

// One 2048 × 2048 image per iteration, so the mean is ms per image. SciPy has no place in a
// vitest run: the ratios to scipy.ndimage.distance_transform_edt and
// skimage.segmentation.expand_labels come from timing them on the same image in Python.

const SIZE = 2048;
const BLOBS = 3000;

/** ~3,000 rotated ellipses of diameter ~14–46 px, later ones painted over earlier ones. */
function blobLabels(seed = 1): Labels {
  const random = seededRandom(seed);
  const data = new Uint32Array(SIZE * SIZE);
  for (let label = 1; label <= BLOBS; label++) {
    const cy = random() * SIZE;
    const cx = random() * SIZE;
    const ry = 7 + random() * 16;
    const rx = 7 + random() * 16;
    const angle = random() * Math.PI;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const reach = Math.ceil(Math.max(ry, rx));
    for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(SIZE - 1, cy + reach); y++) {
      for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(SIZE - 1, cx + reach); x++) {
        const u = ((y - cy) * cos + (x - cx) * sin) / ry;
        const v = (-(y - cy) * sin + (x - cx) * cos) / rx;
        if (u * u + v * v <= 1) data[y * SIZE + x] = label;
      }
    }
  }
  return { width: SIZE, height: SIZE, data };
}

const labels = blobLabels();
const mask: Mask = {
  width: SIZE,
  height: SIZE,
  data: Uint8Array.from(labels.data, (v) => +(v !== 0)),
};

/** Spot checks against a local brute-force search: timing a wrong answer says nothing. */
function check(): void {
  const random = seededRandom(7);
  const distances = distanceTransform(mask).data;
  const expanded = expandLabels(labels, { distance: 5 }).data;
  for (let k = 0; k < 500; k++) {
    const y = Math.floor(random() * SIZE);
    const x = Math.floor(random() * SIZE);
    const i = y * SIZE + x;
    const reach = Math.max(6, Math.ceil(distances[i]) + 1);
    let toBackground = Infinity;
    let toLabel = Infinity;
    const nearest = new Set<number>();
    for (let v = Math.max(0, y - reach); v <= Math.min(SIZE - 1, y + reach); v++) {
      for (let u = Math.max(0, x - reach); u <= Math.min(SIZE - 1, x + reach); u++) {
        const d = (v - y) ** 2 + (u - x) ** 2;
        const label = labels.data[v * SIZE + u];
        if (label === 0) toBackground = Math.min(toBackground, d);
        else if (d < toLabel) {
          toLabel = d;
          nearest.clear();
          nearest.add(label);
        } else if (d === toLabel) nearest.add(label);
      }
    }
    if (Math.sqrt(toBackground) !== distances[i]) throw new Error(`distance wrong at (${y}, ${x})`);
    const want = toLabel <= 25 ? nearest : new Set([0]);
    if (!want.has(expanded[i])) throw new Error(`expandLabels wrong at (${y}, ${x})`);
  }
}
check();

let objects = 0;
{
  const seen = new Uint8Array(BLOBS + 1);
  for (const v of labels.data) seen[v] = 1;
  for (let v = 1; v <= BLOBS; v++) objects += seen[v];
}
const foreground = mask.data.reduce((sum, v) => sum + v, 0) / mask.data.length;
const title = `${SIZE}×${SIZE}, ${objects} objects, ${(foreground * 100).toFixed(0)}% foreground`;

describe(`distance transform, ${title}`, () => {
  bench('distanceTransform', () => {
    distanceTransform(mask);
  });
  bench('squaredDistanceTransform', () => {
    squaredDistanceTransform(mask);
  });
  bench('distanceTransform + indices', () => {
    distanceTransform(mask, { returnIndices: true });
  });
});

describe(`expand labels by 5 px, ${title}`, () => {
  bench('expandLabels(distance 5)', () => {
    expandLabels(labels, { distance: 5 });
  });
});
