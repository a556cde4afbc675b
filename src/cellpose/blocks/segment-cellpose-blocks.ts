import { numpyPercentiles } from '../../image/numpy-percentile.js';
import type { RegionSource } from '../../image/region.js';
import { overlapForDiameter, planBlocks } from '../../segment/blocks/plan.js';
import { segmentBlocks, type SegmentBlocksResult } from '../../segment/blocks/segment-blocks.js';
import type { LabelSink } from '../../segment/blocks/stitch.js';
import {
  estimateCellposeDiameter,
  segmentCellpose,
  type DiameterEstimate,
  type SegmentCellposeOptions,
} from '../segment-cellpose.js';
import { convertImage } from '../transforms/convert-image.js';

export interface CellposeBlocksOptions extends Omit<
  SegmentCellposeOptions,
  'normalize' | 'onProgress'
> {
  /** Side of a block's core, px. */
  blockSize: number;
  /** Margin segmented around each core, px. @default two diameters */
  overlap?: number;
  /** Where the stitched masks go. */
  sink: LabelSink;
  onBlock?: Parameters<typeof segmentBlocks>[2]['onBlock'];
  /** Blocks done of total. */
  onProgress?: (done: number, total: number) => void;
}

export interface CellposeBlocksResult extends SegmentBlocksResult {
  /** The diameter used, px (estimated on the central block with `diameter: 'auto'`). */
  diameter: number;
  /** With `diameter: 'auto'`: the estimate on the central block, its stages included. */
  estimate?: DiameterEstimate;
  overlap: number;
  /** The whole image's normalisation bounds per network channel (`[low, high]`). */
  bounds: [number, number][];
}

/** Cellpose's `normalize99` samples planes above 224³ pixels on a ⌊H/224⌋ × ⌊W/224⌋ lattice. */
const DOWNSAMPLE_ABOVE = 224 ** 3;

/**
 * `segmentCellpose` block by block: network, flows and masks per padded block, stitched by
 * object centre. Normalisation uses the whole image's 1st/99th percentiles, gathered from every
 * block on the same lattice Cellpose samples (all pixels up to 224³), so each block sees the
 * values a one-shot run would. `diameter: 'auto'` is estimated on the central block.
 */
export async function segmentCellposeBlocks(
  source: RegionSource,
  options: CellposeBlocksOptions,
): Promise<CellposeBlocksResult> {
  const { blockSize, model } = options;
  const bounds = await globalBounds(source, options);
  const normalize = { lowhigh: bounds };
  let estimate: DiameterEstimate | undefined;
  let diameter: number;
  if (options.diameter === 'auto') {
    const stack = await source.read(centralRegion(source, blockSize));
    estimate = await estimateCellposeDiameter(stack, {
      ...options,
      normalize,
      onProgress: undefined,
    });
    diameter = estimate.diameter;
  } else {
    diameter = options.diameter ?? model.diamMean;
  }
  const overlap = options.overlap ?? overlapForDiameter(diameter);
  const result = await segmentBlocks(
    source,
    async (stack) => {
      const run = await segmentCellpose(stack, {
        ...options,
        diameter,
        normalize,
        onProgress: undefined,
      });
      return [run.masks];
    },
    {
      blockSize,
      overlap,
      sinks: [options.sink],
      onBlock: options.onBlock,
      onProgress: options.onProgress,
      signal: options.signal,
    },
  );
  return { ...result, diameter, estimate, overlap, bounds };
}

/**
 * Per network channel, `[low, high]` such that `normalizeImage`'s fixed bounds reproduce
 * Cellpose's `normalize_img` on the whole image: percentiles where the channel varies, identity
 * where it is constant (left alone), zeros where the percentiles nearly coincide.
 */
export async function globalBounds(
  source: RegionSource,
  options: Pick<SegmentCellposeOptions, 'channels'> & { blockSize: number },
): Promise<[number, number][]> {
  const { width, height } = source;
  const whole = width * height <= DOWNSAMPLE_ABOVE;
  const stepY = whole ? 1 : Math.max(1, Math.floor(height / 224));
  const stepX = whole ? 1 : Math.max(1, Math.floor(width / 224));
  const count = Math.ceil(height / stepY) * Math.ceil(width / stepX);
  const samples = [new Float32Array(count), new Float32Array(count)];
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  // The lattice runs row by row over the image; blocks fill their own rows of it.
  const latticeCols = Math.ceil(width / stepX);
  for (const { core } of planBlocks(width, height, { blockSize: options.blockSize, overlap: 0 })) {
    const planes = convertImage(await source.read(core), options.channels);
    planes.forEach((plane, c) => {
      const data = plane.data;
      for (let i = 0; i < data.length; i++) {
        if (data[i] < lo[c]) lo[c] = data[i];
        if (data[i] > hi[c]) hi[c] = data[i];
      }
      const firstRow = Math.ceil(core.y / stepY) * stepY;
      const firstCol = Math.ceil(core.x / stepX) * stepX;
      for (let y = firstRow; y < core.y + core.height; y += stepY) {
        for (let x = firstCol; x < core.x + core.width; x += stepX) {
          samples[c][(y / stepY) * latticeCols + x / stepX] =
            data[(y - core.y) * core.width + (x - core.x)];
        }
      }
    });
  }
  return samples.map((sample, c): [number, number] => {
    if (!(hi[c] - lo[c] > 0)) return [0, 1];
    const [low, high] = numpyPercentiles(sample, [1, 99], { float32Difference: true });
    return high - low > 1e-3 ? [low, high] : [0, Infinity];
  });
}

/** The block-sized square at the image's centre (the whole image when smaller). */
export function centralRegion(source: RegionSource, blockSize: number) {
  const width = Math.min(source.width, blockSize);
  const height = Math.min(source.height, blockSize);
  return {
    x: Math.floor((source.width - width) / 2),
    y: Math.floor((source.height - height) / 2),
    width,
    height,
  };
}
