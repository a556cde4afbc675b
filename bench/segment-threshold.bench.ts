import { bench, describe } from 'vitest';
import { gaussianFilter } from '../src/image/gaussian.js';
import { thresholdLocal } from '../src/segment/threshold/local.js';
import { thresholdOtsu } from '../src/segment/threshold/otsu.js';
import { fluorescenceScene } from './scenes.js';

// One 2048 × 2048 uint16 image per iteration, so the mean is ms per image. The time of
// skimage.filters.threshold_otsu on the same scene comes from `npm run bench:skimage`.

const { image, objects } = fluorescenceScene();

describe(`${image.width} × ${image.height} uint16, ${objects} nuclei`, () => {
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
