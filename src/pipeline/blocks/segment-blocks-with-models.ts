import { centralRegion, globalBounds } from '../../cellpose/blocks/segment-cellpose-blocks.js';
import { estimateCellposeDiameter } from '../../cellpose/segment-cellpose.js';
import { InvalidArgumentError } from '../../errors.js';
import { channelIndex } from '../../image/stack.js';
import type { RegionSource } from '../../image/region.js';
import type { Labels, Stack } from '../../image/types.js';
import { blockwiseDiameter } from '../../segment/blocks/classical-blocks.js';
import { blockwiseThreshold } from '../../segment/blocks/global-threshold.js';
import { overlapForDiameter, type Block } from '../../segment/blocks/plan.js';
import { segmentBlocks } from '../../segment/blocks/segment-blocks.js';
import { memoryLabelSink, type LabelSink } from '../../segment/blocks/stitch.js';
import type { AnalysisConfig } from '../config.js';
import {
  segmentWithModels,
  type SegmentedImage,
  type SegmentImageOptions,
} from '../segment-with-models.js';

/** A cell is taken to be at most this many nucleus diameters across (cells grown from nuclei). */
const CELL_TO_NUCLEUS = 3;

/** Where a block-wise segmentation sends its labels, and what it hears of each block. */
export interface SegmentToSinksOptions extends SegmentImageOptions {
  /** The nucleus and the cell label sinks. */
  sinks: readonly [LabelSink, LabelSink];
  /**
   * Called once each block's objects are pasted, with its padded stack, its kept nuclei and cells
   * (numbered globally, 0 elsewhere) and the overlap: where measurements stream.
   */
  onBlock?: (
    block: Block,
    stack: Stack,
    kept: readonly Uint32Array[],
    overlap: number,
  ) => void | Promise<void>;
}

/** What a block-wise segmentation reports; its labels went to the sinks. */
export type BlockSegmentation = Omit<SegmentedImage, 'nucleusLabels' | 'cellLabels'> & {
  blocks: number;
  overlap: number;
};

/**
 * Network tiles per batch block-wise: each model's onnxruntime session keeps an arena for its
 * largest batch (~50 MB a tile for our models), and two sessions stay open for the whole run.
 */
const BLOCK_TILE_BATCH = 2;

/**
 * The config's segmentation block by block into label images in memory (see
 * {@link segmentBlocksToSinks}).
 */
export async function segmentBlocksWithModels(
  source: RegionSource,
  config: AnalysisConfig,
  blockSize: number,
  options: SegmentImageOptions = {},
): Promise<SegmentedImage & { blocks: number }> {
  const sinks = [
    memoryLabelSink(source.width, source.height),
    memoryLabelSink(source.width, source.height),
  ] as const;
  const result = await segmentBlocksToSinks(source, config, blockSize, { ...options, sinks });
  return { ...result, nucleusLabels: sinks[0].labels, cellLabels: sinks[1].labels };
}

/**
 * The config's segmentation block by block: the whole image's parameters first (classical
 * thresholds and diameters from every block, Cellpose normalisation bounds from every block,
 * Cellpose 'auto' diameters on the central block), then nuclei and cells per padded block with
 * those fixed, each layer stitched by object centre into a label image.
 */
export async function segmentBlocksToSinks(
  source: RegionSource,
  config: AnalysisConfig,
  blockSize: number,
  options: SegmentToSinksOptions,
): Promise<BlockSegmentation> {
  const { sinks, onBlock, ...segmentOptions } = options;
  const tileBatchSize = options.tileBatchSize ?? BLOCK_TILE_BATCH;
  const central = await source.read(centralRegion(source, blockSize));
  const nucleiChannel = channelIndex(central, config.channels.nuclei);
  const cytoplasmChannel = channelIndex(central, config.channels.cytoplasm);
  const models = options.models ?? new Map();
  const fixed = structuredClone(config);
  const bounds: NonNullable<SegmentImageOptions['cellposeBounds']> = {};
  /** A Cellpose step's `auto` diameter: estimated on the central block, with the global bounds. */
  const centralDiameter = async (
    step: { model: string; largeObjectCheck?: boolean },
    channels: [number, number],
    lowhigh: [number, number][],
  ): Promise<number> => {
    const estimate = await estimateCellposeDiameter(central, {
      model: await modelFor(step.model, models, options),
      channels,
      normalize: { lowhigh },
      largeObjectCheck: step.largeObjectCheck,
      threads: options.threads ?? config.threads,
      tile: { batchSize: tileBatchSize },
    });
    return estimate.diameter;
  };
  let nucleusDiameter: number;

  const nuclei = fixed.nuclei;
  if (nuclei.method === 'classical') {
    const sigma = nuclei.smoothingSigma ?? 0;
    if (typeof nuclei.threshold !== 'number') {
      nuclei.threshold = await blockwiseThreshold(source, nucleiChannel, {
        method: nuclei.threshold,
        smoothingSigma: sigma,
        blockSize,
      });
    }
    if (nuclei.diameter === undefined || nuclei.diameter === 'auto') {
      nuclei.diameter = await blockwiseDiameter(source, nucleiChannel, nuclei.threshold, {
        smoothingSigma: sigma,
        blockSize,
        signal: options.signal,
      });
    }
    nucleusDiameter = nuclei.diameter;
  } else {
    const channels: [number, number] = [nucleiChannel + 1, 0];
    bounds.nuclei = await globalBounds(source, { channels, blockSize });
    if (nuclei.diameter === undefined || nuclei.diameter === 'auto') {
      nuclei.diameter = await centralDiameter(nuclei, channels, bounds.nuclei);
    }
    nucleusDiameter = nuclei.diameter;
  }

  const cells = fixed.cells;
  let cellDiameter = CELL_TO_NUCLEUS * nucleusDiameter;
  if (cells.method === 'from-nuclei') {
    if (cells.growth !== 'distance' && typeof cells.threshold !== 'number') {
      cells.threshold = await blockwiseThreshold(source, cytoplasmChannel, {
        method: cells.threshold ?? 'li',
        smoothingSigma: cells.smoothingSigma ?? 1,
        blockSize,
      });
    }
    if (cells.maxDistancePx !== undefined) {
      cellDiameter = Math.min(cellDiameter, nucleusDiameter + 2 * cells.maxDistancePx);
    }
  } else {
    const channels: [number, number] = [
      cytoplasmChannel + 1,
      cells.useNuclearChannel ? nucleiChannel + 1 : 0,
    ];
    bounds.cells = await globalBounds(source, { channels, blockSize });
    if (cells.diameter === undefined || cells.diameter === 'auto') {
      cells.diameter = await centralDiameter(cells, channels, bounds.cells);
    }
    cellDiameter = cells.diameter;
  }

  const overlap = overlapForDiameter(Math.max(nucleusDiameter, cellDiameter));
  let steps: string[] = [];
  const result = await segmentBlocks(
    source,
    async (stack): Promise<Labels[]> => {
      const block = await segmentWithModels(stack, fixed, {
        ...segmentOptions,
        models,
        cellposeBounds: bounds,
        tileBatchSize,
        onProgress: undefined,
      });
      steps = block.steps;
      return [block.nucleusLabels, block.cellLabels];
    },
    {
      blockSize,
      overlap,
      sinks,
      signal: options.signal,
      onBlock: onBlock && ((block, stack, kept) => onBlock(block, stack, kept, overlap)),
    },
  );
  const [nucleusCounts, cellCounts] = result.counts;
  return {
    nucleusDiameterPx: nucleusDiameter,
    cellDiameterPx: cells.method === 'cellpose' ? cellDiameter : undefined,
    steps: [
      `block-wise: ${result.blocks} blocks of ${blockSize} px, overlap ${overlap} px; ` +
        `${nucleusCounts.kept} nuclei, ${cellCounts.kept} cells` +
        (nucleusCounts.truncated + cellCounts.truncated > 0
          ? `; ${nucleusCounts.truncated + cellCounts.truncated} objects reach past the overlap`
          : ''),
      // The last block's step lines, with the whole image's fixed parameters.
      ...steps.map((line) => line.replace(/, \d+ nuclei$/, '')),
    ],
    blocks: result.blocks,
    overlap,
  };
}

function modelFor(
  name: string,
  models: NonNullable<SegmentImageOptions['models']>,
  options: SegmentImageOptions,
) {
  let found = models.get(name);
  if (!found && options.loadModel) {
    found = options.loadModel(name);
    models.set(name, found);
  }
  if (!found) {
    throw new InvalidArgumentError(`the Cellpose model "${name}" was not given`, {
      hint: 'open it (e.g. cellposeModelFromSession) and pass it in options.models',
    });
  }
  return found;
}
