import { afterAll, bench, describe } from 'vitest';
import type { Labels, Plane } from '../src/image/types.js';
import { regionprops } from '../src/measure/regionprops.js';
import { HAS_SHARED } from '../test/shared.js';
import { loadInput, npyLabels, npyPlane, skimageCase } from '../test/skimage-fixtures.js';
import { fluorescenceScene } from './scenes.js';
import { startSkimageWorker, type SkimageWorker } from './skimage-worker.js';

// cellscope's regionprops against scikit-image's regionprops_table, in the same vitest run, on the
// same arrays: `npm run bench -- measure`. scikit-image runs in a Python worker (see
// skimage-worker.ts); vitest's summary gives the ratio. Both sides' column sums are compared
// once before timing, so both do the same work. Without scikit-image (apt-get install
// python3-skimage) or ../shared, the groups that need them are skipped with a message.

/** The timing set, as the fixture case big/cells_timing_props asks for it. */
const FIVE = ['area', 'perimeter', 'centroid', 'intensity_mean', 'feret_diameter_max'];

/** Every 2-D table property of scikit-image 0.19.3 (std and median as extra properties there). */
const ALL = [
  'label',
  'area',
  'area_bbox',
  'area_convex',
  'area_filled',
  'axis_major_length',
  'axis_minor_length',
  'bbox',
  'centroid',
  'centroid_local',
  'eccentricity',
  'equivalent_diameter_area',
  'euler_number',
  'extent',
  'feret_diameter_max',
  'inertia_tensor',
  'inertia_tensor_eigvals',
  'moments',
  'moments_central',
  'moments_hu',
  'moments_normalized',
  'orientation',
  'perimeter',
  'perimeter_crofton',
  'solidity',
  'centroid_weighted',
  'centroid_weighted_local',
  'intensity_max',
  'intensity_mean',
  'intensity_min',
  'moments_weighted',
  'moments_weighted_central',
  'moments_weighted_hu',
  'moments_weighted_normalized',
  'intensity_std',
  'intensity_median',
];

interface Scene {
  name: string;
  title: string;
  labels: Labels;
  image: Plane<Uint16Array>;
}

function objectCount(labels: Labels): number {
  return new Set(labels.data).size - (labels.data.includes(0) ? 1 : 0);
}

const synthetic = fluorescenceScene();
const scenes: Scene[] = [
  {
    name: 'scene2048',
    title: `2048 × 2048 synthetic scene, ${objectCount(synthetic.labels)} objects`,
    labels: synthetic.labels,
    image: synthetic.image,
  },
];
if (HAS_SHARED) {
  const c = skimageCase('big/cells_all_props');
  const small = npyLabels(loadInput(c, 'label_image'));
  const labels = { ...small, data: Uint32Array.from(small.data) };
  scenes.push({
    name: 'cells1011',
    title: `1011 × 1557 fixture cells (big_1011x1557_cells_u16.tif), ${objectCount(labels)} objects`,
    labels,
    image: npyPlane(loadInput(c, 'intensity_image')) as Plane<Uint16Array>,
  });
} else {
  console.warn('measure bench: ../shared not found, the 1011 × 1557 fixture scene is skipped');
}

/** Column sums of cellscope's table, to compare with the worker's. */
function columnSums(scene: Scene, properties: readonly string[]): Record<string, number> {
  const table = regionprops(scene.labels, { intensity: scene.image, properties });
  return Object.fromEntries(
    Object.entries(table.columns).map(([name, column]) => [
      name,
      (column as Float64Array).reduce((a, b) => a + b, 0),
    ]),
  );
}

const worker: SkimageWorker | string = await startSkimageWorker();
if (typeof worker === 'string') {
  console.warn(`measure bench: scikit-image benches skipped: ${worker}`);
} else {
  console.log(
    `measure bench: scikit-image ${worker.versions.skimage}, NumPy ${worker.versions.numpy}`,
  );
  for (const scene of scenes) {
    await worker.load(scene.name, scene.labels, scene.image);
    for (const properties of [FIVE, ALL]) {
      const theirs = (await worker.run(scene.name, properties)).sums;
      const ours = columnSums(scene, properties);
      for (const [name, sum] of Object.entries(theirs)) {
        // Isotropic regions (a disc: equal inertia diagonal, no off-diagonal) have no orientation;
        // skimage's ±π/4 or ±π/2 there follows its BLAS rounding noise, ours exact moments.
        if (name === 'orientation') continue;
        // First-order central moments are 0 by definition: both sides hold rounding noise.
        if (/_central-(0-1|1-0)(-\d)?$/.test(name)) continue;
        const same =
          sum === null
            ? Number.isNaN(ours[name])
            : Math.abs(ours[name] - sum[0]) <= 1e-9 * Math.max(1, sum[1]);
        if (!same) {
          throw new Error(
            `${scene.name} ${name}: cellscope Σ ${ours[name]}, skimage Σ ${sum?.[0]}`,
          );
        }
      }
    }
  }
}
const skimage = typeof worker === 'string' ? undefined : worker;
afterAll(() => skimage?.close());

/** scikit-image takes seconds per call on the big scene: a few timed calls are enough. */
const FEW = { iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 };

for (const scene of scenes) {
  for (const [set, properties] of [
    ['area, perimeter, centroid, intensity_mean, feret_diameter_max', FIVE],
    [`all ${ALL.length} properties`, ALL],
  ] as const) {
    describe(`${scene.title}: ${set}`, () => {
      bench('cellscope regionprops', () => {
        regionprops(scene.labels, { intensity: scene.image, properties });
      });
      bench.skipIf(!skimage)(
        'scikit-image regionprops_table',
        async () => {
          await skimage?.run(scene.name, properties);
        },
        FEW,
      );
    });
  }
}

// Time linear in pixels plus objects: a quarter of the pixels and objects should take about a
// quarter of the time; label values spread up to 2³² − 1 cost nothing extra.
const quarter = fluorescenceScene({ size: 1024, objects: 750 });
const sparse: Labels = {
  ...synthetic.labels,
  data: synthetic.labels.data.map((v) => (v === 0 ? 0 : (v * 1_299_709) % 0xffffffff || 1)),
};
describe('cellscope scaling, area, perimeter, centroid, intensity_mean, feret_diameter_max', () => {
  bench('1024 × 1024, 750 nuclei', () => {
    regionprops(quarter.labels, { intensity: quarter.image, properties: FIVE });
  });
  bench('2048 × 2048, 3,000 nuclei', () => {
    regionprops(synthetic.labels, { intensity: synthetic.image, properties: FIVE });
  });
  bench('2048 × 2048, 3,000 nuclei, sparse label values up to 2³² − 1', () => {
    regionprops(sparse, { intensity: synthetic.image, properties: FIVE });
  });
});
