import { loadCellposeModel } from '../cellpose/model.js';
import type { Stack } from '../image/types.js';
import type { AnalysisConfig } from './config.js';
import {
  segmentWithModels,
  type SegmentedImage,
  type SegmentImageOptions,
} from './segment-with-models.js';

export type { ModelCache, SegmentedImage, SegmentImageOptions } from './segment-with-models.js';

/**
 * Segments the nuclei and cells of one image as the config says: classical thresholding +
 * watershed or Cellpose for nuclei; growth from the nuclei or Cellpose (with the nuclear channel
 * as Cellpose's second channel) for cells. Cellpose models open from the model cache (or a path)
 * unless `options.loadModel` opens them otherwise.
 */
export async function segmentImage(
  stack: Stack,
  config: AnalysisConfig,
  options: SegmentImageOptions = {},
): Promise<SegmentedImage> {
  return segmentWithModels(stack, config, {
    ...options,
    loadModel:
      options.loadModel ?? ((name) => loadCellposeModel(name, { download: config.downloadModels })),
  });
}
