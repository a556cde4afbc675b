import { bench, describe } from 'vitest';
import { gaussianFilter } from '../src/image/gaussian.js';
import type { Plane } from '../src/image/types.js';
import { thresholdLocal } from '../src/segment/threshold/local.js';
import { thresholdOtsu } from '../src/segment/threshold/otsu.js';
import { normalRandom, seededRandom } from '../src/synthetic/random.js';

// One 2048 × 2048 uint16 image per iteration, so the mean is ms per image. scikit-image has no
// place in a vitest run: the ratios to skimage.filters.threshold_otsu and
// skimage.filters.gaussian come from timing them on the same image in Python.

const SIZE = 2048;
const OBJECTS = 3000;

/**
 * ~3,000 blurred elliptical objects (radius 5–14 px, some overlapping) on an unevenly lit
 * background, with shot and read noise of a 12-bit camera.
 */
function fluorescenceImage(seed = 1): Plane<Uint16Array> {
  const random = seededRandom(seed);
  const normal = normalRandom(random);
  const signal = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    const dy = (y - SIZE / 2) / (SIZE / 2);
    for (let x = 0; x < SIZE; x++) {
      const dx = (x - SIZE / 2) / (SIZE / 2);
      signal[y * SIZE + x] = 150 * (1 - 0.3 * (dx * dx + dy * dy));
    }
  }
  for (let k = 0; k < OBJECTS; k++) {
    const cy = random() * SIZE;
    const cx = random() * SIZE;
    const ry = 5 + random() * 9;
    const rx = 5 + random() * 9;
    const angle = random() * Math.PI;
    const brightness = 600 + random() * 1800;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const reach = Math.ceil(1.6 * Math.max(ry, rx));
    for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(SIZE - 1, cy + reach); y++) {
      for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(SIZE - 1, cx + reach); x++) {
        const u = ((y - cy) * cos + (x - cx) * sin) / ry;
        const v = (-(y - cy) * sin + (x - cx) * cos) / rx;
        const r2 = u * u + v * v;
        // Flat inside, Gaussian edge outside: a blurred disc.
        signal[y * SIZE + x] +=
          brightness * (r2 <= 1 ? 1 : Math.exp(-4 * (Math.sqrt(r2) - 1) ** 2));
      }
    }
  }
  const data = new Uint16Array(SIZE * SIZE);
  for (let i = 0; i < data.length; i++) {
    const mean = signal[i];
    data[i] = Math.max(0, Math.min(4095, Math.round(mean + normal() * Math.sqrt(mean + 36))));
  }
  return { width: SIZE, height: SIZE, data };
}

const image = fluorescenceImage();

describe(`2048 × 2048 uint16, ${OBJECTS} objects`, () => {
  bench('thresholdOtsu', () => {
    thresholdOtsu(image);
  });

  bench('gaussianFilter sigma 2', () => {
    gaussianFilter(image, { sigma: 2 });
  });

  bench('thresholdLocal mean, block 51', () => {
    thresholdLocal(image, { blockSize: 51, method: 'mean' });
  });
});
