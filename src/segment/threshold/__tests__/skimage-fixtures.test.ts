import { describe, expect, it } from 'vitest';
import type { Plane } from '../../../image/types.js';
import type { NpyArray } from '../../../io/npy.js';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import {
  argument,
  loadInput,
  loadOutput,
  scalarOutput,
  skimageCases,
  type SkimageCase,
} from '../../../../test/skimage-fixtures.js';
import {
  skimageHistogram,
  thresholdIsodata,
  thresholdIsodataAll,
  thresholdLi,
  thresholdMean,
  thresholdOtsu,
  thresholdTriangle,
  thresholdYen,
} from '../index.js';

// Every case of the `threshold` group and the `threshold_*` cases of `big` (1011 × 1557 uint16):
// threshold values must be skimage 0.19.3's to the bit (float32 results as their exact float64
// widening), histograms equal.

const thresholdCases = countedCases(skimageCases('threshold'), 48, 'threshold');
const bigCases = countedCases(
  skimageCases('big').filter((c) => c.id.startsWith('big/threshold_')),
  6,
  'big threshold',
);

function planeOf(array: NpyArray): Plane {
  const [height, width] = array.shape;
  return { width, height, data: array.data as Plane['data'] };
}

/** Loaded once per input file: the big image is shared by six cases. */
const planes = new Map<string, Plane>();
function inputPlane(c: SkimageCase): Plane {
  const file = c.inputs.image.file;
  let plane = planes.get(file);
  if (!plane) {
    plane = planeOf(loadInput(c, 'image'));
    planes.set(file, plane);
  }
  return plane;
}

function computeThreshold(c: SkimageCase): number {
  const plane = inputPlane(c);
  const nbins = argument<number | undefined>(c, 'nbins');
  switch (c.function) {
    case 'skimage.filters.threshold_otsu':
      return thresholdOtsu(plane, { nbins });
    case 'skimage.filters.threshold_li':
      return thresholdLi(plane);
    case 'skimage.filters.threshold_triangle':
      return thresholdTriangle(plane, { nbins });
    case 'skimage.filters.threshold_yen':
      return thresholdYen(plane, { nbins });
    case 'skimage.filters.threshold_mean':
      return thresholdMean(plane);
    case 'skimage.filters.threshold_isodata':
      return thresholdIsodata(plane, { nbins });
    default:
      throw new Error(`no threshold for ${c.function}`);
  }
}

const numbers = (array: NpyArray): number[] =>
  Array.from(array.data as ArrayLike<number | bigint>, Number);

describe.skipIf(!HAS_SHARED)('global thresholds match scikit-image 0.19.3 exactly', () => {
  const scalarCases = [...thresholdCases, ...bigCases].filter(
    (c) => c.function !== 'skimage.exposure.histogram' && argument(c, 'return_all') !== true,
  );
  it.each(scalarCases.map((c) => [c.id, c] as const))('%s', (_, c) => {
    const expected = scalarOutput(c, 'threshold');
    const actual = computeThreshold(c);
    if (c.outputs.threshold && 'dtype' in c.outputs.threshold) {
      // A float32 result must itself be a float32 value.
      if (c.outputs.threshold.dtype === 'float32') expect(Math.fround(actual)).toBe(actual);
    }
    expect(actual === expected, `${actual} !== ${expected}`).toBe(true);
  });

  const allCases = thresholdCases.filter((c) => argument(c, 'return_all') === true);
  it.each(allCases.map((c) => [c.id, c] as const))('%s', (_, c) => {
    const expected = numbers(loadOutput(c, 'thresholds'));
    const actual = thresholdIsodataAll(inputPlane(c), { nbins: argument<number>(c, 'nbins') });
    expect(actual).toEqual(expected);
  });

  const histogramCases = thresholdCases.filter((c) => c.function === 'skimage.exposure.histogram');
  it.each(histogramCases.map((c) => [c.id, c] as const))('%s', (_, c) => {
    const plane = inputPlane(c);
    const { counts, binCenters } = skimageHistogram(plane, {
      nbins: argument<number>(c, 'nbins'),
    });
    expect(Array.from(counts)).toEqual(numbers(loadOutput(c, 'hist')));
    const centres = c.outputs.bin_centers;
    if (centres && 'file' in centres) {
      expect(Array.from(binCenters)).toEqual(numbers(loadOutput(c, 'bin_centers')));
    } else {
      // Integer image: one bin per integer from the minimum to the maximum.
      let min = Infinity;
      for (const v of plane.data) min = Math.min(min, v);
      expect(Array.from(binCenters)).toEqual(Array.from(counts, (_, i) => min + i));
    }
  });
});
