import { InvalidArgumentError } from '../errors.js';

/** One shard of a batch: `index` (0-based, as Slurm's `SLURM_ARRAY_TASK_ID`) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Reads `i/N` (e.g. `2/4`, the third of four shards). Array task ids start at 0 in the scripts
 * cellscope writes, so `i` runs from 0 to N − 1.
 */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) {
    throw new InvalidArgumentError(`--shard expects i/N, e.g. 0/4, got "${text}"`, {
      hint: 'i is the shard index from 0 to N-1, N the number of shards',
    });
  }
  return checkShard({ index: Number(match[1]), count: Number(match[2]) });
}

/** Throws a clear error unless 1 ≤ count and 0 ≤ index < count. */
export function checkShard(shard: Shard): Shard {
  const { index, count } = shard;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InvalidArgumentError(`the number of shards must be a whole number ≥ 1, got ${count}`);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new InvalidArgumentError(
      `shard index ${index} is out of range for ${count} shard${count === 1 ? '' : 's'}`,
      { hint: `use 0 to ${count - 1}` },
    );
  }
  return shard;
}

/** The shard an image goes to: round-robin over the batch order (image k to shard k mod N). */
export function shardOfImage(position: number, count: number): number {
  return position % count;
}

/**
 * The images of one shard, in batch order. Round-robin rather than contiguous ranges, so that a
 * plate read row by row (one condition after another) spreads its slow and fast fields over
 * every shard. Every machine given the same inputs lists the same batch (`collectImages` sorts
 * folders), so N machines agree on the partition without talking to each other.
 */
export function shardImages<T>(images: readonly T[], shard: Shard): T[] {
  checkShard(shard);
  return images.filter((_, k) => shardOfImage(k, shard.count) === shard.index);
}

/** `shard-2-of-4.json`: the manifest file name of a shard. */
export function shardFileName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}.json`;
}
