import type { RegionSource } from '../../image/region.js';
import type { Labels, Mask } from '../../image/types.js';
import { segmentCellsFromNuclei, type CellsFromNucleiOptions } from '../cells.js';
import { label } from '../labeling/label.js';
import { binaryOpening } from '../morphology/binary-opening.js';
import { fillHoles } from '../morphology/fill-holes.js';
import {
  diameterFromAreas,
  segmentNucleiClassical,
  type ClassicalNucleiOptions,
} from '../nuclei.js';
import { blockwiseThreshold, smoothedCore, smoothingMargin } from './global-threshold.js';
import { overlapForDiameter, planBlocks } from './plan.js';
import { segmentBlocks, type SegmentBlocksResult } from './segment-blocks.js';
import { keepOwnedObjects, type LabelSink } from './stitch.js';

export interface ClassicalBlocksOptions extends ClassicalNucleiOptions {
  /** The nuclear channel (0-based). @default 0 */
  channel?: number;
  /** Side of a block's core, px. */
  blockSize: number;
  /**
   * Margin segmented around each core, px.
   * @default two diameters of the largest object: nuclei, or 3 × nucleus diameter with cells
   */
  overlap?: number;
  /** Where the nuclei go. */
  nucleusSink: LabelSink;
  /** Grow cells from the nuclei over this channel (0-based), into `cellSink`. */
  cells?: CellsFromNucleiOptions & { channel: number; sink: LabelSink };
  onBlock?: Parameters<typeof segmentBlocks>[2]['onBlock'];
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ClassicalBlocksResult extends SegmentBlocksResult {
  /** The global nucleus threshold, and the cells' when grown. */
  threshold: number;
  cellThreshold?: number;
  diameterPx: number;
  overlap: number;
}

/** A diameter-free first look covers objects up to this size whole. */
const PROBE_OVERLAP = 128;

/**
 * `segmentNucleiClassical` (and optionally `segmentCellsFromNuclei`) block by block, with the
 * whole image's parameters: the threshold from every block's pixels, the diameter from every
 * block's thresholded objects (each counted once, by centre), then per block the same steps
 * with those fixed values, stitched by object centre. Objects smaller than the overlap come out
 * as in a one-shot run.
 */
export async function segmentClassicalBlocks(
  source: RegionSource,
  options: ClassicalBlocksOptions,
): Promise<ClassicalBlocksResult> {
  const channel = options.channel ?? 0;
  const { blockSize } = options;
  const sigma = options.smoothingSigma ?? 0;
  const method = options.threshold ?? 'otsu';
  const level =
    typeof method === 'number'
      ? method
      : await blockwiseThreshold(source, channel, { method, smoothingSigma: sigma, blockSize });
  const diameterPx =
    options.diameterPx ?? (await blockwiseDiameter(source, channel, level, options));
  const cells = options.cells;
  let cellThreshold: number | undefined;
  if (cells && cells.method !== 'distance') {
    const cellMethod = cells.threshold ?? 'li';
    cellThreshold =
      typeof cellMethod === 'number'
        ? cellMethod
        : await blockwiseThreshold(source, cells.channel, {
            method: cellMethod,
            smoothingSigma: cells.smoothingSigma ?? 1,
            blockSize,
          });
  }
  const overlap =
    options.overlap ??
    overlapForDiameter(cells ? 3 * diameterPx : diameterPx) + smoothingMargin(sigma);
  const channels = cells ? [channel, cells.channel] : [channel];
  const result = await segmentBlocks(
    source,
    (stack) => {
      const nuclei = segmentNucleiClassical(stack.planes[0], {
        ...options,
        threshold: level,
        diameterPx,
      }).labels;
      if (!cells) return [nuclei];
      const grown = segmentCellsFromNuclei(nuclei, stack.planes[1], {
        ...cells,
        threshold: cellThreshold,
      });
      return [nuclei, grown.labels];
    },
    {
      blockSize,
      overlap,
      channels,
      sinks: cells ? [options.nucleusSink, cells.sink] : [options.nucleusSink],
      onBlock: options.onBlock,
      onProgress: options.onProgress,
      signal: options.signal,
    },
  );
  return { ...result, threshold: level, cellThreshold, diameterPx, overlap };
}

/**
 * The median equivalent diameter of the thresholded objects over the whole image (as
 * `segmentNucleiClassical` estimates it), each object counted by the block that owns its centre.
 */
export async function blockwiseDiameter(
  source: RegionSource,
  channel: number,
  level: number,
  options: Omit<ClassicalNucleiOptions, 'threshold'> & { blockSize: number; signal?: AbortSignal },
): Promise<number> {
  const sigma = options.smoothingSigma ?? 0;
  const margin = smoothingMargin(sigma);
  const areas: number[] = [];
  const blocks = planBlocks(source.width, source.height, {
    blockSize: options.blockSize,
    overlap: PROBE_OVERLAP + margin,
  });
  for (const block of blocks) {
    options.signal?.throwIfAborted();
    const { padded } = block;
    const plane = (await source.read(padded, [channel])).planes[0];
    const smoothed = smoothedCore(plane, padded, padded, sigma);
    const data = new Uint8Array(smoothed.data.length);
    for (let i = 0; i < data.length; i++) data[i] = smoothed.data[i] > level ? 1 : 0;
    let mask: Mask = { width: padded.width, height: padded.height, data };
    if (options.fillHoles ?? true) mask = fillHoles(mask);
    const radius = options.openingRadiusPx ?? 0;
    if (radius > 0) mask = binaryOpening(mask, { radius });
    const components: Labels = label(mask, { connectivity: 1 }).labels;
    const kept = keepOwnedObjects(components, block, source, 1);
    const counts = new Array<number>(kept.next).fill(0);
    for (const v of kept.labels) if (v !== 0) counts[v]++;
    for (let k = 1; k < counts.length; k++) areas.push(counts[k]);
  }
  return diameterFromAreas(areas);
}
