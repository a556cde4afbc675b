import type { PixelArray } from './types.js';

/** How many values of `data` are NaN (always 0 for integer arrays). */
export function nanCount(data: PixelArray): number {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return 0;
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) count++;
  return count;
}

/**
 * The values at the 0-based `ranks` of `data`'s non-NaN values in ascending order, exactly the
 * values a sorted copy holds there (−0 before +0, as `TypedArray.prototype.sort`), without
 * sorting:
 *
 * - 8- and 16-bit integers: one counting pass over a 256- or 65,536-bin histogram;
 * - float32, int32 and uint32: radix selection on the 32-bit order-preserving key, a histogram of
 *   the high 16 bits and then of the low 16 bits inside the few bins that hold the ranks;
 * - float64, and arrays of under 32,768 values other than 8-bit: quickselect (median of three,
 *   falling back to a sort where it degenerates, or for more than 32 ranks).
 *
 * Time is linear in the pixels for a few ranks; `data` is never modified. A caller that has
 * counted the NaN already passes `nans`.
 *
 * @throws RangeError when a rank is not an integer in [0, non-NaN count).
 */
export function orderStatistics(
  data: PixelArray,
  ranks: readonly number[],
  nans: number = nanCount(data),
): number[] {
  const count = data.length - nans;
  for (const rank of ranks) {
    if (!(Number.isInteger(rank) && rank >= 0 && rank < count)) {
      throw new RangeError(`rank ${rank} is outside the ${count} values`);
    }
  }
  if (ranks.length === 0) return [];
  const ascending = [...new Set(ranks)].sort((a, b) => a - b);
  const values = selectAscending(data, ascending, count);
  const byRank = new Map(ascending.map((rank, i) => [rank, values[i]]));
  return ranks.map((rank) => byRank.get(rank)!);
}

/** Below this many values a quickselect beats clearing and scanning 65,536-bin histograms. */
const SMALL = 1 << 15;

function selectAscending(data: PixelArray, ranks: number[], count: number): number[] {
  if (data instanceof Uint8Array) return countingSelect(data, 0, ranks);
  if (data instanceof Int8Array) return countingSelect(data, 128, ranks);
  if (count < SMALL) return quickselectRanks(data, ranks, count);
  if (data instanceof Uint16Array) return countingSelect(data, 0, ranks);
  if (data instanceof Int16Array) return countingSelect(data, 32768, ranks);
  if (data instanceof Uint32Array) return radixSelect(data, Key.Unsigned, ranks);
  if (data instanceof Int32Array) return radixSelect(bitsOf(data), Key.Signed, ranks);
  if (data instanceof Float32Array) return radixSelect(bitsOf(data), Key.Float, ranks);
  if (data instanceof Float64Array) return quickselectRanks(data, ranks, count);
  throw new TypeError('orderStatistics needs a typed array of pixels');
}

/** Ranks by counting: exact and linear for 8- and 16-bit integers (`offset` shifts signed ones). */
function countingSelect(
  data: Uint8Array | Uint16Array | Int8Array | Int16Array,
  offset: number,
  ranks: number[],
): number[] {
  const counts = histograms().high.subarray(0, data.BYTES_PER_ELEMENT === 1 ? 256 : 65536);
  for (let i = 0; i < data.length; i++) counts[data[i] + offset]++;
  const out: number[] = [];
  let bin = 0;
  let below = counts[0];
  for (const rank of ranks) {
    while (below <= rank) below += counts[++bin];
    out.push(bin - offset);
  }
  counts.fill(0);
  return out;
}

interface Histograms {
  high: Uint32Array;
  slotOf: Int32Array;
  low: Uint32Array;
}
let scratch: Histograms | undefined;

/**
 * Histograms shared by every call, all zero (`slotOf` all −1) between calls: allocating 256 KiB
 * typed arrays each time costs more than filling them.
 */
function histograms(): Histograms {
  scratch ??= {
    high: new Uint32Array(65536),
    slotOf: new Int32Array(65536).fill(-1),
    low: new Uint32Array(MAX_LOW_SLOTS * 65536),
  };
  return scratch;
}

/** Rank bins that get a low histogram; more ranks than this take the gather-and-sort path. */
const MAX_LOW_SLOTS = 8;

/** How 32-bit patterns map to unsigned keys in numeric order. */
const Key = { Unsigned: 0, Signed: 1, Float: 2 } as const;
type Key = (typeof Key)[keyof typeof Key];

function bitsOf(data: Int32Array | Float32Array): Uint32Array {
  return new Uint32Array(data.buffer, data.byteOffset, data.length);
}

/** The order-preserving key of a bit pattern (floats: −0 < +0); -1 for a float NaN. */
function keyOf(bits: number, kind: Key): number {
  if (kind === Key.Unsigned) return bits;
  if (kind === Key.Signed) return (bits ^ 0x80000000) >>> 0;
  if ((bits & 0x7fffffff) > 0x7f800000) return -1;
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

const scratchBits = new Uint32Array(1);
const scratchFloat = new Float32Array(scratchBits.buffer);

function valueOf(key: number, kind: Key): number {
  if (kind === Key.Unsigned) return key;
  if (kind === Key.Signed) return (key ^ 0x80000000) | 0;
  scratchBits[0] = key & 0x80000000 ? key ^ 0x80000000 : ~key;
  return scratchFloat[0];
}

/**
 * Radix selection: a histogram of the keys' high 16 bits finds each rank's bin, then the low 16
 * bits of the keys in those bins give the rank's key.
 */
function radixSelect(bits: Uint32Array, kind: Key, ranks: number[]): number[] {
  const { high } = histograms();
  for (let i = 0; i < bits.length; i++) {
    const key = keyOf(bits[i], kind);
    if (key >= 0) high[key >>> 16]++;
  }
  const bins: number[] = [];
  const within: number[] = [];
  let bin = 0;
  let before = 0;
  for (const rank of ranks) {
    while (before + high[bin] <= rank) before += high[bin++];
    bins.push(bin);
    within.push(rank - before);
  }
  const distinct = [...new Set(bins)];
  const keys =
    distinct.length <= MAX_LOW_SLOTS
      ? lowHistogramSelect(bits, kind, bins, within, distinct)
      : gatherSelect(bits, kind, bins, within, distinct, high);
  high.fill(0);
  return keys.map((key) => valueOf(key, kind));
}

/** The second radix pass: a 65,536-bin histogram of the low 16 bits for each bin holding a rank. */
function lowHistogramSelect(
  bits: Uint32Array,
  kind: Key,
  bins: number[],
  within: number[],
  distinct: number[],
): number[] {
  const { slotOf, low } = histograms();
  distinct.forEach((b, slot) => (slotOf[b] = slot));
  for (let i = 0; i < bits.length; i++) {
    const key = keyOf(bits[i], kind);
    if (key < 0) continue;
    const slot = slotOf[key >>> 16];
    if (slot >= 0) low[(slot << 16) | (key & 0xffff)]++;
  }
  // Ranks ascend, so one cursor walks each bin's low histogram once.
  let current = -1;
  let v = 0;
  let through = 0;
  const keys = bins.map((bin, j) => {
    const base = slotOf[bin] << 16;
    if (bin !== current) [current, v, through] = [bin, 0, low[base]];
    while (through <= within[j]) through += low[base + ++v];
    return ((bin << 16) | v) >>> 0;
  });
  for (const b of distinct) slotOf[b] = -1;
  low.fill(0, 0, distinct.length << 16);
  return keys;
}

/** For many ranks, only the keys of their bins are gathered and sorted (never more than all). */
function gatherSelect(
  bits: Uint32Array,
  kind: Key,
  bins: number[],
  within: number[],
  distinct: number[],
  high: Uint32Array,
): number[] {
  const wanted = new Uint8Array(65536);
  let total = 0;
  for (const b of distinct) {
    wanted[b] = 1;
    total += high[b];
  }
  const gathered = new Uint32Array(total);
  let k = 0;
  for (let i = 0; i < bits.length; i++) {
    const key = keyOf(bits[i], kind);
    if (key >= 0 && wanted[key >>> 16]) gathered[k++] = key;
  }
  gathered.sort();
  // Gathered keys sort bin by bin, so a bin starts after the counts of the wanted bins below it.
  const start = new Map<number, number>();
  let offset = 0;
  for (const b of [...distinct].sort((x, y) => x - y)) {
    start.set(b, offset);
    offset += high[b];
  }
  return bins.map((bin, j) => gathered[start.get(bin)! + within[j]]);
}

/**
 * Quickselect on a NaN-free float64 copy (exact for every pixel type); the sign of a selected
 * zero is then counted exactly.
 */
function quickselectRanks(data: PixelArray, ranks: number[], count: number): number[] {
  const values = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === data[i]) values[k++] = data[i];
  // Each quickselect partitions what is left; past a few dozen ranks one sort costs less.
  if (ranks.length > 32) values.sort();
  let from = 0;
  const out = ranks.map((rank) => {
    if (ranks.length <= 32) quickselect(values, rank, from, count - 1);
    from = rank + 1;
    return values[rank];
  });
  if (!out.includes(0)) return out;
  // `<` does not order −0 and +0; a sort puts every −0 after the negatives and before +0.
  let negatives = 0;
  let negativeZeros = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (v < 0) negatives++;
    else if (v === 0 && 1 / v < 0) negativeZeros++;
  }
  return out.map((v, j) =>
    v === 0 ? (ranks[j] < negatives + negativeZeros && ranks[j] >= negatives ? -0 : 0) : v,
  );
}

/**
 * Places the `k`-th smallest of `values[lo..hi]` at index k, smaller ones before it and larger
 * ones after (Hoare partition, median-of-three pivot); sorts the range after 2·log₂ n rounds.
 */
function quickselect(values: Float64Array, k: number, lo: number, hi: number): void {
  let rounds = 2 * Math.ceil(Math.log2(hi - lo + 2));
  while (hi > lo) {
    if (rounds-- === 0) {
      values.subarray(lo, hi + 1).sort();
      return;
    }
    const mid = (lo + hi) >>> 1;
    const pivot = medianOfThree(values[lo], values[mid], values[hi]);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i++] = values[j];
        values[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}
