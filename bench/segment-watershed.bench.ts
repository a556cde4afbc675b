import { bench, describe } from 'vitest';
import type { Labels, Plane } from '../src/image/types.js';
import { distanceTransform } from '../src/segment/distance/distance-transform.js';
import { label } from '../src/segment/labeling/label.js';
import { peakLocalMax, peaksToMarkers } from '../src/segment/peaks/peakLocalMax.js';
import { watershed } from '../src/segment/watershed/watershed.js';
import { fluorescenceScene } from './scenes.js';

// The nuclei-splitting pipeline on the 2048 × 2048 scene of ~3,000 touching nuclei: peaks of
// the distance map (minDistance 5), then watershed of its negation from those peaks.
// scikit-image 0.19.3 is timed on the same input by `npm run bench:skimage`.

const { mask } = fluorescenceScene();
const distance = distanceTransform(mask);
const negated: Plane<Float64Array> = { ...distance, data: distance.data.map((v) => -v) };
const peaks = peakLocalMax(distance, { minDistance: 5 });
const markers: Labels = peaksToMarkers(peaks, mask.width, mask.height);
const objects = label(mask, { connectivity: 1 });

describe(`peakLocalMax, 2048² distance map (${peaks.length} peaks)`, () => {
  bench('minDistance 5', () => {
    peakLocalMax(distance, { minDistance: 5 });
  });
  bench(`minDistance 5, per object (${objects.count} components)`, () => {
    peakLocalMax(distance, { minDistance: 5, labels: objects.labels });
  });
});

describe('watershed, 2048² negated distance, from those peaks', () => {
  bench('mask, connectivity 1', () => {
    watershed(negated, markers, { mask });
  });
  bench('mask, watershed line', () => {
    watershed(negated, markers, { mask, watershedLine: true });
  });
  bench('mask, compactness 0.01', () => {
    watershed(negated, markers, { mask, compactness: 0.01 });
  });
});
