import { stat } from 'node:fs/promises';
import { openFileSource } from '../io/files.js';
import { openRegionSource } from '../io/open-region-source.js';
import { readChannels, sniffFormat } from '../io/read-image.js';
import { analyzeImage, type AnalyzeImageOptions, type ImageSummary } from './analyze-image.js';
import { analyzeImageBlocks } from './blocks/analyze-blocks.js';
import type { AnalysisConfig } from './config.js';
import { analysisBlockSize } from './segment-image.js';

/**
 * Analyses one image given as files (one per channel, or one multi-channel file). A single TIFF
 * or OME-Zarr folder larger than the block size runs block-wise, read region by region and
 * measured as it goes ({@link analyzeImageBlocks}); anything else is read whole and analysed at
 * once ({@link analyzeImage}), as before.
 */
export async function analyzeFiles(
  files: readonly string[],
  config: AnalysisConfig,
  options: AnalyzeImageOptions,
): Promise<ImageSummary> {
  const lazy = await readsLazily(files);
  // An OME-Zarr folder has no one-shot reader: one block covering the image is the same run.
  if (lazy === 'folder' || (lazy === 'tiff' && config.blockSize !== 'off')) {
    // A TIFF the region reader cannot take is read whole below, whose reader words any error.
    const source = await openRegionSource(files).catch((error: unknown) => {
      if (lazy === 'folder') throw error;
    });
    if (source) {
      try {
        const whole = lazy === 'folder' ? Math.max(source.width, source.height, 256) : undefined;
        const blockSize =
          (config.blockSize === 'off' ? undefined : analysisBlockSize(config, source)) ?? whole;
        if (blockSize !== undefined) {
          return await analyzeImageBlocks(source, config, blockSize, options);
        }
      } finally {
        await source.close();
      }
    }
  }
  return analyzeImage(await readChannels(files), config, options);
}

/** One TIFF or one folder (OME-Zarr): inputs read region by region without decoding the whole. */
async function readsLazily(files: readonly string[]): Promise<'tiff' | 'folder' | undefined> {
  if (files.length !== 1) return undefined;
  const info = await stat(files[0]).catch(() => undefined);
  if (!info) return undefined;
  if (info.isDirectory()) return 'folder';
  const file = await openFileSource(files[0]);
  try {
    return sniffFormat(file.read(0, 16)) === 'tiff' ? 'tiff' : undefined;
  } finally {
    await file.close();
  }
}
