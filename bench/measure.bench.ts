import { bench, describe } from 'vitest';
import { regionprops } from '../src/measure/regionprops.js';
import { fluorescenceScene } from './scenes.js';

// regionprops on the 2048 × 2048 scene of ~3,000 nuclei (+ specks) with its uint16 image, one
// call per iteration, by which part of the pass costs what. The same-run comparison with
// scikit-image is bench/measure-skimage.bench.ts.

const { image, labels, objects, specks } = fluorescenceScene();

/** Every property computed from the pass's sums or the objects' intensities. */
const ALL_SUM_PROPERTIES = [
  'label',
  'area',
  'area_bbox',
  'bbox',
  'extent',
  'centroid',
  'centroid_local',
  'moments',
  'moments_central',
  'moments_normalized',
  'moments_hu',
  'inertia_tensor',
  'inertia_tensor_eigvals',
  'axis_major_length',
  'axis_minor_length',
  'eccentricity',
  'orientation',
  'equivalent_diameter_area',
  'intensity_mean',
  'intensity_min',
  'intensity_max',
  'intensity_std',
  'intensity_median',
  'centroid_weighted',
  'centroid_weighted_local',
  'moments_weighted',
  'moments_weighted_central',
  'moments_weighted_normalized',
  'moments_weighted_hu',
];

describe(`regionprops, ${image.width} × ${image.height}, ${objects} nuclei + ${specks} specks`, () => {
  bench('area (baseline: the pass alone)', () => {
    regionprops(labels, { properties: ['area'] });
  });

  bench('area, centroid, intensity_mean', () => {
    regionprops(labels, { intensity: image, properties: ['area', 'centroid', 'intensity_mean'] });
  });

  bench('intensity_median, intensity_std (re-read per object)', () => {
    regionprops(labels, { intensity: image, properties: ['intensity_median', 'intensity_std'] });
  });

  bench(`all ${ALL_SUM_PROPERTIES.length} sum and intensity properties`, () => {
    regionprops(labels, { intensity: image, properties: ALL_SUM_PROPERTIES });
  });
});
