import { freemem } from 'node:os';
import { loadCellposeModel } from '../cellpose/model.js';
import { stackRegionSource } from '../image/region.js';
import type { Stack } from '../image/types.js';
import { autoBlockSize, resolveBlockSize } from '../segment/blocks/plan.js';
import { segmentBlocksWithModels } from './blocks/segment-blocks-with-models.js';
import type { AnalysisConfig } from './config.js';
import {
  segmentWithModels,
  type SegmentedImage,
  type SegmentImageOptions,
} from './segment-with-models.js';

export type { ModelCache, SegmentedImage, SegmentImageOptions } from './segment-with-models.js';

/**
 * Peak bytes per pixel of a padded block: Cellpose flows and dynamics, or classical scratch.
 * Cellpose measured 135 B/px (peak RSS of `analyze` at 4096², blocks of 1024 against 2048),
 * on top of ~0.45 GB for Node and two models' sessions at 2 tiles a batch; 200 leaves a margin.
 */
const BYTES_PER_PIXEL = { cellpose: 200, classical: 80 };

/**
 * The block side an analysis of a `width` × `height` image runs with, or undefined for one-shot:
 * `config.blockSize`, by default the block that fits a quarter of free memory (at most 1 GiB)
 * together with the label writers' bands of rows.
 */
export function analysisBlockSize(
  config: AnalysisConfig,
  image: { width: number; height: number },
): number | undefined {
  const cellpose = config.nuclei.method === 'cellpose' || config.cells.method === 'cellpose';
  return resolveBlockSize(config.blockSize ?? 'auto', image, () =>
    autoBlockSize({
      memoryBytes: Math.min(freemem() / 4, 1024 ** 3),
      bytesPerPixel: BYTES_PER_PIXEL[cellpose ? 'cellpose' : 'classical'],
      overlap: 128,
      // The nucleus and cell label writers each hold a band of uint32 rows as wide as the image.
      bytesPerRow: 2 * 4 * image.width,
    }),
  );
}

/** `options.loadModel`, else the model cache (or a path) with the config's download and threads. */
export function modelLoader(
  config: AnalysisConfig,
  options: Pick<SegmentImageOptions, 'loadModel' | 'threads'>,
): NonNullable<SegmentImageOptions['loadModel']> {
  return (
    options.loadModel ??
    ((name: string) =>
      loadCellposeModel(name, {
        download: config.downloadModels,
        threads: options.threads ?? config.threads,
      }))
  );
}

/**
 * Segments the nuclei and cells of one image as the config says: classical thresholding +
 * watershed or Cellpose for nuclei; growth from the nuclei or Cellpose (with the nuclear channel
 * as Cellpose's second channel) for cells. Cellpose models open from the model cache (or a path)
 * unless `options.loadModel` opens them otherwise. Images larger than `config.blockSize` (by
 * default: the block that fits a quarter of free memory, at most 1 GiB) run block-wise.
 */
export async function segmentImage(
  stack: Stack,
  config: AnalysisConfig,
  options: SegmentImageOptions = {},
): Promise<SegmentedImage> {
  const withLoader = { ...options, loadModel: modelLoader(config, options) };
  const blockSize = analysisBlockSize(config, stack.planes[0]);
  if (blockSize === undefined) return segmentWithModels(stack, config, withLoader);
  return segmentBlocksWithModels(stackRegionSource(stack), config, blockSize, withLoader);
}
