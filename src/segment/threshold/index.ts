export { threshold, THRESHOLD_METHODS } from './threshold.js';
export type {
  AutomaticThresholdOptions,
  FixedThresholdOptions,
  ThresholdMethod,
  ThresholdOptions,
} from './threshold.js';
export { thresholdOtsu } from './otsu.js';
export type { OtsuOptions } from './otsu.js';
export { thresholdLi } from './li.js';
export type { LiOptions } from './li.js';
export { thresholdTriangle } from './triangle.js';
export type { TriangleOptions } from './triangle.js';
export { thresholdYen } from './yen.js';
export type { YenOptions } from './yen.js';
export { thresholdMean } from './mean.js';
export { thresholdIsodata, thresholdIsodataAll } from './isodata.js';
export type { IsodataOptions } from './isodata.js';
export { skimageHistogram } from './histogram.js';
export type { SkimageHistogram, SkimageHistogramOptions } from './histogram.js';
export { thresholdLocal } from './local.js';
export type { LocalThresholdMethod, LocalThresholdOptions } from './local.js';
