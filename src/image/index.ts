/**
 * The image model (`Plane`, `Stack`, `Labels`, `Mask`) and the operations on it: dtypes,
 * percentiles and histograms, normalisation, Gaussian and Sobel filters, crops, channel
 * selection.
 *
 * @packageDocumentation
 */
export type { DType, Labels, Mask, PixelArray, PixelSize, Plane, Stack } from './types.js';
export { DTYPES } from './types.js';
export {
  allocatePixels,
  arrayConstructorOf,
  bytesPerSample,
  dtypeOf,
  integerRange,
  isIntegerDtype,
} from './dtype.js';
export { createLabels, createPlane, zeroPlane } from './plane.js';
export { histogram, mean, minMax, percentile } from './stats.js';
export type { Histogram, HistogramOptions } from './stats.js';
export { toFloat32, toFloat64 } from './convert.js';
export { crop } from './crop.js';
export type { CropRegion } from './crop.js';
export { channelIndex, createStack, selectChannel, selectChannels, stackDtype } from './stack.js';
export { sharedPrefix, shortChannelNames } from './channel-names.js';
export type { StackOptions } from './stack.js';
export { rescaleToUint8 } from './normalize.js';
export type { RescaleOptions } from './normalize.js';
export { BOUNDARY_MODES as FILTER_BOUNDARY_MODES, gaussianFilter } from './gaussian.js';
export type { BoundaryMode as FilterBoundaryMode, GaussianFilterOptions } from './gaussian.js';
export { sobel } from './sobel.js';
export { checkRegion } from './region.js';
export type { Region, RegionSource } from './region.js';
