import type { Region } from '../../image/region.js';
import type { Labels } from '../../image/types.js';
import type { Block } from './plan.js';

/** Where stitched labels go: an image in memory, or a writer that streams rows to a file. */
export interface LabelSink {
  /**
   * Receives one block's kept objects, already numbered globally, over `region` (0 elsewhere).
   * Pixels already taken by an earlier block stay as they are.
   */
  paste(region: Region, labels: Uint32Array): void | Promise<void>;
}

/** A sink that gives back what it holds over a region: the stitched labels so far. */
export interface ReadableLabelSink extends LabelSink {
  /** The labels over `region`, a copy; throws where the rows are no longer held. */
  read(region: Region): Uint32Array;
}

/** What a block contributed, for the run's summary. */
export interface StitchCounts {
  /** Objects the block owns (centre in its core), kept. */
  kept: number;
  /** Of those, objects touching the padded edge: larger than the overlap, so maybe cut. */
  truncated: number;
}

/** Per-label sums over a block's labels, in global coordinates. */
interface ObjectExtent {
  count: number;
  sumX: number;
  sumY: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

function extents(labels: Labels, origin: Region): Map<number, ObjectExtent> {
  const found = new Map<number, ObjectExtent>();
  const { width, height, data } = labels;
  for (let r = 0; r < height; r++) {
    const y = origin.y + r;
    for (let c = 0; c < width; c++) {
      const label = data[r * width + c];
      if (label === 0) continue;
      const x = origin.x + c;
      let e = found.get(label);
      if (!e) {
        e = { count: 0, sumX: 0, sumY: 0, minX: x, maxX: x, minY: y, maxY: y };
        found.set(label, e);
      }
      e.count++;
      e.sumX += x;
      e.sumY += y;
      if (x < e.minX) e.minX = x;
      if (x > e.maxX) e.maxX = x;
      if (y < e.minY) e.minY = y;
      if (y > e.maxY) e.maxY = y;
    }
  }
  return found;
}

/**
 * Chooses a block's objects and numbers them globally: an object is the block's when its
 * centroid lies in the block's core (cores tile the image, so exactly one block owns it), and
 * then it lies whole inside the padded region whenever it is smaller than the overlap. Objects
 * cut by the padded edge belong to a neighbour, which sees them whole. Returns the labels of the
 * padded region renumbered from `firstLabel` (0 where not kept) and the counts.
 */
export function keepOwnedObjects(
  labels: Labels,
  block: Block,
  image: { width: number; height: number },
  firstLabel: number,
): { labels: Uint32Array; counts: StitchCounts; next: number } {
  const { core, padded } = block;
  const mapping = new Map<number, number>();
  let truncated = 0;
  let next = firstLabel;
  // Sorted so the numbering does not depend on the block's own label order.
  const objects = [...extents(labels, padded)].sort(
    ([, a], [, b]) => a.minY - b.minY || a.minX - b.minX,
  );
  for (const [label, e] of objects) {
    const cx = e.sumX / e.count;
    const cy = e.sumY / e.count;
    // Pixel centres are integers: the core's area is [x − ½, x + width − ½).
    const owned =
      cx >= core.x - 0.5 &&
      cx < core.x + core.width - 0.5 &&
      cy >= core.y - 0.5 &&
      cy < core.y + core.height - 0.5;
    if (!owned) continue;
    const touches =
      (e.minX === padded.x && padded.x > 0) ||
      (e.minY === padded.y && padded.y > 0) ||
      (e.maxX === padded.x + padded.width - 1 && padded.x + padded.width < image.width) ||
      (e.maxY === padded.y + padded.height - 1 && padded.y + padded.height < image.height);
    if (touches) truncated++;
    mapping.set(label, next++);
  }
  const out = new Uint32Array(labels.data.length);
  for (let i = 0; i < out.length; i++) {
    const label = labels.data[i];
    if (label !== 0) out[i] = mapping.get(label) ?? 0;
  }
  return { labels: out, counts: { kept: mapping.size, truncated }, next };
}

/** A sink that stitches into one label image in memory (first block to claim a pixel keeps it). */
export function memoryLabelSink(
  width: number,
  height: number,
): ReadableLabelSink & { labels: Labels } {
  const data = new Uint32Array(width * height);
  return {
    labels: { width, height, data },
    read(region) {
      const out = new Uint32Array(region.width * region.height);
      for (let r = 0; r < region.height; r++) {
        const at = (region.y + r) * width + region.x;
        out.set(data.subarray(at, at + region.width), r * region.width);
      }
      return out;
    },
    paste(region, labels) {
      for (let r = 0; r < region.height; r++) {
        const row = (region.y + r) * width + region.x;
        for (let c = 0; c < region.width; c++) {
          const label = labels[r * region.width + c];
          if (label !== 0 && data[row + c] === 0) data[row + c] = label;
        }
      }
    },
  };
}
