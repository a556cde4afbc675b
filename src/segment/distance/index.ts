export { distanceTransform } from './distance-transform.js';
export type {
  DistanceTransformOptions,
  DistanceTransformWithIndices,
  NearestBackground,
} from './distance-transform.js';
export { squaredDistanceTransform } from './squared-distance-transform.js';
export type { SquaredDistanceTransformOptions } from './squared-distance-transform.js';
