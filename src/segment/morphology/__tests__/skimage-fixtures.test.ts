import { describe, expect, it } from 'vitest';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import {
  argument,
  loadInput,
  loadOutput,
  skimageCases,
  type SkimageCase,
  npyLabels as asLabels,
  npyMask as asMask,
} from '../../../../test/skimage-fixtures.js';
import { binaryClosing } from '../binary-closing.js';
import { binaryDilation } from '../binary-dilation.js';
import { binaryErosion } from '../binary-erosion.js';
import { binaryOpening } from '../binary-opening.js';
import { disk } from '../disk.js';
import { fillHoles } from '../fill-holes.js';
import { removeSmallHoles } from '../remove-small-holes.js';
import { removeSmallObjects } from '../remove-small-objects.js';

/** Pixels where two images differ (0 means identical). */
function differing(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let n = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) n++;
  return n;
}

const BINARY = {
  'skimage.morphology.binary_erosion': binaryErosion,
  'skimage.morphology.binary_dilation': binaryDilation,
  'skimage.morphology.binary_opening': binaryOpening,
  'skimage.morphology.binary_closing': binaryClosing,
} as const;

/** Runs our counterpart of a case; undefined for cases other tests (label, EDT) own. */
function run(c: SkimageCase): ArrayLike<number> | undefined {
  if (c.function in BINARY) {
    const op = BINARY[c.function as keyof typeof BINARY];
    const radius = (loadInput(c, 'footprint').shape[0] - 1) / 2;
    const viaRadius = op(asMask(loadInput(c, 'image')), { radius });
    const viaFootprint = op(asMask(loadInput(c, 'image')), {
      footprint: asMask(loadInput(c, 'footprint')),
    });
    expect(differing(viaFootprint.data, viaRadius.data)).toBe(0);
    return viaRadius.data;
  }
  switch (c.function) {
    case 'skimage.morphology.remove_small_objects': {
      const options = {
        minSize: argument<number>(c, 'min_size'),
        connectivity: argument<1 | 2>(c, 'connectivity'),
      };
      const input = loadInput(c, 'ar');
      return input.dtype === 'bool'
        ? removeSmallObjects(asMask(input), options).data
        : removeSmallObjects(asLabels(input), options).data;
    }
    case 'skimage.morphology.remove_small_holes':
      return removeSmallHoles(asMask(loadInput(c, 'ar')), {
        areaThreshold: argument<number>(c, 'area_threshold'),
        connectivity: argument<1 | 2>(c, 'connectivity'),
      }).data;
    case 'scipy.ndimage.binary_fill_holes': {
      const structure = argument<string | null>(c, 'structure');
      expect([null, 'np.ones((3, 3))']).toContain(structure);
      const connectivity = structure === null ? 1 : 2;
      return fillHoles(asMask(loadInput(c, 'input')), { connectivity }).data;
    }
    default:
      return undefined;
  }
}

describe.skipIf(!HAS_SHARED)('morphology matches scikit-image 0.19.3 / SciPy 1.10', () => {
  const cases = countedCases(
    skimageCases('morphology').filter(
      (c) =>
        !c.function.endsWith('distance_transform_edt') &&
        c.function !== 'skimage.measure.label' &&
        c.function !== 'skimage.morphology.disk',
    ),
    21,
    'morphology',
  );

  it('covers every case of the group this module owns', () => {
    for (const c of cases) expect(c.function in BINARY || run(c) !== undefined).toBe(true);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const actual = run(c)!;
    expect(differing(actual, loadOutput(c, 'result').data as ArrayLike<number>)).toBe(0);
  });

  it.each([1, 3, 7])('disk(%i) equals skimage.morphology.disk', (radius) => {
    const [c] = skimageCases('morphology').filter((k) => k.function === 'skimage.morphology.disk');
    const expected = loadOutput(c, `disk${radius}`);
    const actual = disk(radius);
    expect([actual.height, actual.width]).toEqual(expected.shape);
    expect(Array.from(actual.data)).toEqual(Array.from(expected.data as Uint8Array));
  });
});
