// Declarative table: skimage's built-in regionprops properties, one entry per property.
import { orientationOf } from './moments.js';
import { numpyMean, numpyMedian, numpyStd } from './numpy-stats.js';
import {
  copyInto,
  isotropicSpacingOnly,
  lengthUnit,
  type PropertyDefinition,
} from './property-definition.js';
import type { Region } from './region.js';

const length = (_flat: number, spaced: boolean): string | undefined => lengthUnit(1, spaced);
const area = (_flat: number, spaced: boolean): string | undefined => lengthUnit(2, spaced);
/** moments-p-q: length^(p+q). */
const momentUnit = (flat: number, spaced: boolean): string | undefined =>
  lengthUnit((flat >> 2) + (flat & 3), spaced);

const pixelArea = (region: Region): number => region.set.spacing[0] * region.set.spacing[1];

export const BUILT_IN_PROPERTIES: PropertyDefinition[] = [
  {
    name: 'label',
    shape: [],
    integer: true,
    compute: (region, out) => {
      out[0] = region.label;
    },
  },
  {
    name: 'num_pixels',
    shape: [],
    integer: true,
    compute: (region, out) => {
      out[0] = region.pixelCount;
    },
  },
  /** Integer-valued as in skimage 0.19.3; skimage ≥ 0.20 gives the `area*` columns as floats. */
  {
    name: 'area',
    shape: [],
    integer: true,
    unit: area,
    compute: (region, out) => {
      out[0] = region.pixelCount * pixelArea(region);
    },
  },
  {
    name: 'area_bbox',
    shape: [],
    integer: true,
    unit: area,
    compute: (region, out) => {
      const [r0, c0, r1, c1] = region.bbox;
      out[0] = (r1 - r0) * (c1 - c0) * pixelArea(region);
    },
  },
  {
    name: 'bbox',
    shape: [4],
    integer: true,
    unit: () => 'px',
    compute: (region, out) => copyInto(out, region.bbox),
  },
  {
    name: 'extent',
    shape: [],
    compute: (region, out) => {
      const [r0, c0, r1, c1] = region.bbox;
      const a = pixelArea(region);
      out[0] = (region.pixelCount * a) / ((r1 - r0) * (c1 - c0) * a);
    },
  },
  {
    name: 'centroid',
    shape: [2],
    unit: length,
    compute: (region, out) => {
      // Σ row = n·row0 + Σ Δrow: exact integers, so the mean is skimage's `coords.mean()`.
      const { origin, moments } = region.set.sums;
      const n = region.pixelCount;
      const m = 16 * region.index;
      out[0] = ((n * origin[2 * region.index] + moments[m + 4]) / n) * region.set.spacing[0];
      out[1] = ((n * origin[2 * region.index + 1] + moments[m + 1]) / n) * region.set.spacing[1];
    },
  },
  {
    name: 'centroid_local',
    shape: [2],
    unit: length,
    compute: (region, out) => {
      const m = region.moments();
      out[0] = m[4] / m[0];
      out[1] = m[1] / m[0];
    },
  },
  {
    name: 'moments',
    shape: [4, 4],
    unit: momentUnit,
    compute: (region, out) => copyInto(out, region.moments()),
  },
  {
    name: 'moments_central',
    shape: [4, 4],
    unit: momentUnit,
    compute: (region, out) => copyInto(out, region.centralMoments()),
  },
  {
    name: 'moments_normalized',
    shape: [4, 4],
    compute: (region, out) => copyInto(out, region.normalizedMoments()),
  },
  {
    name: 'moments_hu',
    shape: [7],
    check: isotropicSpacingOnly('moments_hu'),
    compute: (region, out) => copyInto(out, region.huMoments()),
  },
  {
    name: 'inertia_tensor',
    shape: [2, 2],
    unit: area,
    compute: (region, out) => {
      const { a, b, c } = region.inertia();
      out[0] = a;
      out[1] = b;
      out[2] = b;
      out[3] = c;
    },
  },
  {
    name: 'inertia_tensor_eigvals',
    shape: [2],
    unit: area,
    compute: (region, out) => {
      const { major, minor } = region.inertia();
      out[0] = major;
      out[1] = minor;
    },
  },
  {
    name: 'axis_major_length',
    shape: [],
    unit: length,
    compute: (region, out) => {
      out[0] = 4 * Math.sqrt(region.inertia().major);
    },
  },
  {
    name: 'axis_minor_length',
    shape: [],
    unit: length,
    compute: (region, out) => {
      out[0] = 4 * Math.sqrt(region.inertia().minor);
    },
  },
  {
    name: 'eccentricity',
    shape: [],
    compute: (region, out) => {
      const { major, minor } = region.inertia();
      out[0] = major === 0 ? 0 : Math.sqrt(1 - minor / major);
    },
  },
  /**
   * skimage 0.19.3's sign for regions with equal inertia-tensor diagonal (squares, single pixels,
   * diagonal lines): ±π/4 by the sign of the off-diagonal. skimage ≥ 0.21 gives the opposite sign
   * for those regions; every other region agrees. Isotropic regions (discs: equal diagonal and
   * no off-diagonal in exact arithmetic) have no orientation; ours comes from exact moments,
   * skimage's (±π/4, ±π/2) from the rounding noise of its matrix products, so they can differ.
   */
  {
    name: 'orientation',
    shape: [],
    unit: () => 'rad',
    compute: (region, out) => {
      out[0] = orientationOf(region.inertia());
    },
  },
  {
    name: 'equivalent_diameter_area',
    shape: [],
    unit: length,
    compute: (region, out) => {
      out[0] = Math.sqrt((4 * region.pixelCount * pixelArea(region)) / Math.PI);
    },
  },
  /** Extra (not in skimage): major / minor axis of the moments' ellipse, ImageJ's "AR"; NaN for a line. */
  {
    name: 'aspect_ratio',
    shape: [],
    compute: (region, out) => {
      const { major, minor } = region.inertia();
      out[0] = minor > 0 ? Math.sqrt(major / minor) : NaN;
    },
  },
  /** Extra (not in skimage): 1 if the object has a pixel in the image's first or last row or column. */
  {
    name: 'touches_border',
    shape: [],
    integer: true,
    compute: (region, out) => {
      const [r0, c0, r1, c1] = region.bbox;
      const { width, height } = region.set.labels;
      out[0] = r0 === 0 || c0 === 0 || r1 === height || c1 === width ? 1 : 0;
    },
  },

  // Intensity: one value (or array) per channel.
  {
    name: 'intensity_mean',
    shape: [],
    perChannel: true,
    needs: { intensity: true, sum: true },
    compute: (region, out, channel) => {
      const { float, float32, multichannel } = region.set;
      // Integer sums are exact in float64, in any order; float ones follow NumPy's order.
      out[0] = float
        ? numpyMean(region.values(channel), region.pixelCount, float32, multichannel)
        : region.intensitySum(channel) / region.pixelCount;
    },
  },
  /**
   * Extra (not in skimage): Σ intensity over the object, CellProfiler's "IntegratedIntensity"
   * (= intensity_mean × area in pixels; summed in float64 whatever the image dtype).
   */
  {
    name: 'intensity_integrated',
    shape: [],
    perChannel: true,
    needs: { intensity: true, sum: true },
    compute: (region, out, channel) => {
      out[0] = region.intensitySum(channel);
    },
  },
  {
    name: 'intensity_min',
    shape: [],
    perChannel: true,
    needs: { intensity: true, minMax: true },
    compute: (region, out, channel) => {
      out[0] = region.intensityMin(channel);
    },
  },
  {
    name: 'intensity_max',
    shape: [],
    perChannel: true,
    needs: { intensity: true, minMax: true },
    compute: (region, out, channel) => {
      out[0] = region.intensityMax(channel);
    },
  },
  /** NumPy's `std` (ddof 0), as 0.19.3's extra property; built into skimage from 0.23, unchanged. */
  {
    name: 'intensity_std',
    shape: [],
    perChannel: true,
    needs: { intensity: true },
    compute: (region, out, channel) => {
      const values = region.values(channel);
      out[0] = numpyStd(values, values.length, region.set.float32, region.spareScratch());
    },
  },
  /** NumPy's `median`, as 0.19.3's extra property; built into skimage from 0.26, unchanged. */
  {
    name: 'intensity_median',
    shape: [],
    perChannel: true,
    needs: { intensity: true },
    compute: (region, out, channel) => {
      const values = region.values(channel);
      const copy = region.spareScratch().subarray(0, values.length);
      copy.set(values);
      out[0] = numpyMedian(copy, copy.length, region.set.float32);
    },
  },
  /** With several channels: `centroid_weighted-<axis>-<channel>` (skimage's table fails there before 0.21). */
  {
    name: 'centroid_weighted',
    shape: [2],
    perChannel: true,
    needs: { intensity: true, weighted: true },
    unit: length,
    compute: (region, out, channel) => {
      const m = region.weightedMoments(channel);
      const [r0, c0] = region.bbox;
      out[0] = m[4] / m[0] + r0 * region.set.spacing[0];
      out[1] = m[1] / m[0] + c0 * region.set.spacing[1];
    },
  },
  {
    name: 'centroid_weighted_local',
    shape: [2],
    perChannel: true,
    needs: { intensity: true, weighted: true },
    unit: length,
    compute: (region, out, channel) => {
      const m = region.weightedMoments(channel);
      out[0] = m[4] / m[0];
      out[1] = m[1] / m[0];
    },
  },
  {
    name: 'moments_weighted',
    shape: [4, 4],
    perChannel: true,
    needs: { intensity: true, weighted: true },
    compute: (region, out, channel) => copyInto(out, region.weightedMoments(channel)),
  },
  {
    name: 'moments_weighted_central',
    shape: [4, 4],
    perChannel: true,
    needs: { intensity: true, weighted: true },
    compute: (region, out, channel) => copyInto(out, region.weightedCentralMoments(channel)),
  },
  {
    name: 'moments_weighted_normalized',
    shape: [4, 4],
    perChannel: true,
    needs: { intensity: true, weighted: true },
    compute: (region, out, channel) => copyInto(out, region.weightedNormalizedMoments(channel)),
  },
  {
    name: 'moments_weighted_hu',
    shape: [7],
    perChannel: true,
    needs: { intensity: true, weighted: true },
    check: isotropicSpacingOnly('moments_weighted_hu'),
    compute: (region, out, channel) => copyInto(out, region.weightedHuMoments(channel)),
  },
];
