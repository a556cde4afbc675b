import { InvalidArgumentError } from '../../errors.js';
import type { Labels } from '../../image/types.js';

export interface RelabelSequentialOptions {
  /** The smallest new label; must be at least 1. @default 1 */
  offset?: number;
}

export interface RelabelSequentialResult {
  /** Labels renumbered offset, offset + 1, … in ascending order of the old labels; 0 stays 0. */
  labels: Labels;
  /** Old label → new label for every label present, and 0 → 0. */
  forwardMap: Map<number, number>;
  /** `inverseMap[newLabel]` = old label; length `offset + count`, zeros below `offset`. */
  inverseMap: Uint32Array;
  /** Number of distinct non-zero labels. */
  count: number;
}

/**
 * Renumbers a label image so its labels are consecutive, as
 * skimage.segmentation.relabel_sequential: the old labels in ascending order become `offset`,
 * `offset + 1`, …; 0 (background) stays 0.
 *
 * @throws InvalidArgumentError when `offset` is not a positive integer or the new labels would not
 * fit in 32 bits.
 */
export function relabelSequential(
  labels: Labels,
  options: RelabelSequentialOptions = {},
): RelabelSequentialResult {
  const offset = options.offset ?? 1;
  if (!Number.isInteger(offset) || offset < 1) {
    throw new InvalidArgumentError(`offset must be a positive integer, got ${offset}`);
  }
  const source = labels.data;
  let max = 0;
  for (let i = 0; i < source.length; i++) if (source[i] > max) max = source[i];

  // Dense tables while the largest label is comparable to the pixel count, sorted distinct values beyond.
  let present: Uint32Array;
  if (max <= 4 * source.length + 65536) {
    const seen = new Uint8Array(max + 1);
    for (let i = 0; i < source.length; i++) seen[source[i]] = 1;
    let n = 0;
    for (let v = 1; v <= max; v++) n += seen[v];
    present = new Uint32Array(n);
    for (let v = 1, k = 0; v <= max; v++) if (seen[v]) present[k++] = v;
  } else {
    const distinct = new Set<number>();
    for (let i = 0; i < source.length; i++) if (source[i] !== 0) distinct.add(source[i]);
    present = Uint32Array.from(distinct).sort();
  }
  const count = present.length;
  if (offset + count - 1 > 0xffffffff) {
    throw new InvalidArgumentError(`labels ${offset}..${offset + count - 1} do not fit in 32 bits`);
  }

  const inverseMap = new Uint32Array(offset + count);
  inverseMap.set(present, offset);
  const forwardMap = new Map<number, number>([[0, 0]]);
  for (let k = 0; k < count; k++) forwardMap.set(present[k], offset + k);

  const data = new Uint32Array(source.length);
  if (max <= 4 * source.length + 65536) {
    const table = new Uint32Array(max + 1);
    for (let k = 0; k < count; k++) table[present[k]] = offset + k;
    for (let i = 0; i < source.length; i++) data[i] = table[source[i]];
  } else {
    for (let i = 0; i < source.length; i++) data[i] = forwardMap.get(source[i]) ?? 0;
  }
  return {
    labels: { width: labels.width, height: labels.height, data },
    forwardMap,
    inverseMap,
    count,
  };
}
