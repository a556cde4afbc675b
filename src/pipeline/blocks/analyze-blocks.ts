import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import type { RegionSource } from '../../image/region.js';
import { blockLabelSink } from '../../io/tiff/label-strip-sink.js';
import type { AnalyzeImageOptions } from '../analyze-image.js';
import type { AnalysisConfig } from '../config.js';
import { measuredChannels } from '../object-columns.js';
import { modelLoader } from '../segment-image.js';
import { writeAnalysis, type ImageSummary } from '../write-analysis.js';
import { blockMeasurer } from './measure-blocks.js';
import { segmentBlocksToSinks } from './segment-blocks-with-models.js';

/**
 * `analyzeImage` block by block, in memory bounded by the block: each block is segmented, its
 * objects pasted into label TIFFs written strip by strip (nuclei.tif, cells.tif), and measured
 * at once (see `blockMeasurer`); the tables, answers, plots and report follow from the tables.
 * No image-sized array is held: only the writers' bands of rows and per-object numbers.
 *
 * Label exports need the whole label image and are refused; the overlay is not drawn.
 *
 * @throws InvalidArgumentError when the config asks for label exports
 */
export async function analyzeImageBlocks(
  source: RegionSource,
  config: AnalysisConfig,
  blockSize: number,
  options: AnalyzeImageOptions,
): Promise<ImageSummary> {
  const { outDir, signal } = options;
  const exports = config.outputs.exports ?? [];
  if (exports.length > 0) {
    throw new InvalidArgumentError(
      `outputs.exports (${exports.join(', ')}) need the whole label image, which a block-wise run never holds`,
      {
        hint: 'set blockSize: off (or --block-size off) to hold the image at once, or leave exports out',
      },
    );
  }
  const protect = options.protect ?? [];
  const progress = options.onProgress ?? (() => undefined);
  const pixelSize = config.pixelSizeUm;
  const pixelSizeUm = pixelSize ? { x: pixelSize, y: pixelSize } : source.pixelSizeUm;
  const spacing: [number, number] | undefined = pixelSize ? [pixelSize, pixelSize] : undefined;
  await mkdir(outDir, { recursive: true });
  const sinks = [
    blockLabelSink(join(outDir, 'nuclei.tif'), source, blockSize, { protect, pixelSizeUm }),
    blockLabelSink(join(outDir, 'cells.tif'), source, blockSize, { protect, pixelSizeUm }),
  ] as const;
  let measurer: ReturnType<typeof blockMeasurer> | undefined;
  let channels: number[] = [];
  progress('segmenting and measuring block by block');
  let segmented;
  try {
    segmented = await segmentBlocksToSinks(source, config, blockSize, {
      models: options.models,
      // The same model cache as a one-shot run: the default config names our packaged models.
      loadModel: modelLoader(config, options),
      threads: options.threads,
      signal,
      sinks,
      onBlock(block, stack, kept, overlap) {
        if (!measurer) {
          channels = measuredChannels(stack, config);
          measurer = blockMeasurer({
            width: source.width,
            height: source.height,
            channels,
            spacing,
          });
        }
        measurer.add(block, stack, kept, overlap, sinks);
      },
    });
    for (const sink of sinks) sink.finish();
  } catch (error) {
    for (const sink of sinks) sink.abort();
    throw error;
  }
  const outputs = ['nuclei.tif', 'cells.tif'];
  progress('measuring');
  const measured = (measurer as NonNullable<typeof measurer>).finish();
  return writeAnalysis({ ...measured, channels, spacing }, config, {
    outDir,
    name: options.name ?? 'image',
    protect,
    progress,
    signal,
    outputs,
    steps: [
      ...segmented.steps,
      ...(config.outputs.overlay ? ['overlay: not drawn block-wise'] : []),
    ],
  });
}
