import { bench, describe } from 'vitest';
import { distanceTransform } from '../src/segment/distance/distance-transform.js';
import { squaredDistanceTransform } from '../src/segment/distance/squared-distance-transform.js';
import { expandLabels } from '../src/segment/labels/expand-labels.js';
import { seededRandom } from '../src/synth/random.js';
import { fluorescenceScene } from './scenes.js';

// One 2048 × 2048 image per iteration, so the mean is ms per image. The times of
// scipy.ndimage.distance_transform_edt and skimage.segmentation.expand_labels on the same scene
// come from `npm run bench:skimage`.

const { labels, mask } = fluorescenceScene();
const SIZE = mask.width;

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

const objects = new Set(labels.data).size - 1;
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
