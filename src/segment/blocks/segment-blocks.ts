import type { Region, RegionSource } from '../../image/region.js';
import type { Labels, Stack } from '../../image/types.js';
import { planBlocks, type Block } from './plan.js';
import { keepOwnedObjects, type LabelSink, type StitchCounts } from './stitch.js';

/** Segments one padded block; returns one label image per layer (e.g. nuclei, cells). */
export type BlockSegmenter = (stack: Stack, block: Block) => Promise<Labels[]> | Labels[];

export interface SegmentBlocksOptions {
  /** Side of a block's core, px. */
  blockSize: number;
  /** Margin segmented around each core, px: objects up to this size are never cut. */
  overlap: number;
  /** One sink per layer the segmenter returns. */
  sinks: readonly LabelSink[];
  /** Channels to read (0-based). @default all */
  channels?: readonly number[];
  /**
   * Called with each block's kept objects (numbered globally, 0 elsewhere, over the padded
   * region) and its pixels, before the next block is read: where measurements stream.
   */
  onBlock?: (block: Block, stack: Stack, kept: Uint32Array[]) => void | Promise<void>;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface SegmentBlocksResult {
  blocks: number;
  /** Per layer: objects kept and those of them touching a padded edge (larger than the overlap). */
  counts: StitchCounts[];
}

/**
 * Block-wise segmentation with stitched labels: reads each block's padded region, segments it,
 * keeps the objects whose centre lies in its core, numbers them globally (1, 2, … in block
 * order) and pastes them into the sinks. Only one padded block is held at a time.
 */
export async function segmentBlocks(
  source: RegionSource,
  segmentBlock: BlockSegmenter,
  options: SegmentBlocksOptions,
): Promise<SegmentBlocksResult> {
  const blocks = planBlocks(source.width, source.height, options);
  const counts: StitchCounts[] = options.sinks.map(() => ({ kept: 0, truncated: 0 }));
  const next = options.sinks.map(() => 1);
  let done = 0;
  for (const block of blocks) {
    options.signal?.throwIfAborted();
    const stack = await source.read(block.padded, options.channels);
    const layers = await segmentBlock(stack, block);
    const kept: Uint32Array[] = [];
    for (let layer = 0; layer < options.sinks.length; layer++) {
      const stitched = keepOwnedObjects(layers[layer], block, source, next[layer]);
      next[layer] = stitched.next;
      counts[layer].kept += stitched.counts.kept;
      counts[layer].truncated += stitched.counts.truncated;
      await options.sinks[layer].paste(block.padded, stitched.labels);
      kept.push(stitched.labels);
    }
    await options.onBlock?.(block, stack, kept);
    options.onProgress?.(++done, blocks.length);
  }
  return { blocks: blocks.length, counts };
}

/** Calls `visit` with the core of every block, in block order (for passes that gather statistics). */
export async function forEachCore(
  source: RegionSource,
  blockSize: number,
  visit: (stack: Stack, region: Region) => void,
  channels?: readonly number[],
): Promise<void> {
  for (const block of planBlocks(source.width, source.height, { blockSize, overlap: 0 })) {
    visit(await source.read(block.core, channels), block.core);
  }
}
