import { MinHeap } from '../heap.js';
import { ValueIndex } from './value-index.js';

/** Distinct values the fast path ranks (value ids 1…65,534 fit the 2-byte scan array). */
const MAX_VALUES = 65534;

/**
 * Classic flooding (no compactness, no watershed line): a pixel takes its label when pushed.
 * The same labels as skimage 0.19.3's binary heap, or undefined where this path does not apply
 * (NaN among the flooded pixels, or more than 65,534 distinct values there); the caller then
 * floods with the general queue.
 *
 * Why a faster queue gives the same labels. skimage pops records by (value, age); ages are unique
 * except the markers' (all 0), so two records compare equal only when both are markers of one
 * value, and only between such markers does the heap's shape decide the order. A popped pixel
 * pushes (and labels) only neighbours in its own connected component of the mask (with the
 * flooding connectivity), so a component's pushes and labels follow from its own sequence of
 * pops, and the ages of its records are ordered as its pushes were. Between two of its pops no
 * record of it is pushed, and the next one popped is the smallest of its queued records (it is
 * the queue's minimum then); so from a common state any two queues that always pop a minimum
 * give every component the same sequence, unless two of its queued records compare equal. Hence
 * once no component holds two queued markers of one value, every exact (value, age) queue gives
 * skimage's labels, whichever equal markers of different components it takes first. Until then
 * this path runs skimage's heap (segment/heap.ts, keyed on (rank, age)); afterwards
 * FIFO buckets, one per value rank (pushes come in age order, so each FIFO stays age-sorted;
 * pushes below the current rank are allowed). On the 2048² benchmark scene (6,065 markers, 952
 * such groups) the heap runs for about half of the 2.5 million pops.
 *
 * Memory, not comparisons, bounds the flood: each pixel is one entry of one array (never
 * flooded, a label, or "not reached yet, value rank r"), two bytes where labels and ranks fit, so
 * a pop touches about three cache lines of the image.
 */
export function floodClassic(
  values: ArrayLike<number>,
  width: number,
  height: number,
  markers: Uint32Array,
  mask: Uint8Array | undefined,
  connectivity: 1 | 2,
): Uint32Array | undefined {
  const scan = scanPixels(values, width, height, markers, mask);
  if (scan === undefined) return undefined;
  const { labelOf, markerPixel } = scan;
  const out = new Uint32Array(width * height);
  if (markerPixel.length === 0) return out;
  const flood = prepare(scan, width, height, mask, connectivity);
  if (flood.pendingTies > 0) floodExact(flood);
  floodBuckets(flood);

  // cells 1…labels hold internal labels; 0 (outside) and higher (never reached) give 0
  const { cell, stride } = flood;
  const labels = labelOf.length - 1;
  const lut = new Uint32Array(labels + scan.rankOfId.length + 1);
  for (let k = 1; k <= labels; k++) lut[k] = labelOf[k];
  for (let r = 0, i = 0; r < height; r++) {
    for (let p = (r + 1) * stride + 1, end = p + width; p < end; p++, i++) out[i] = lut[cell[p]];
  }
  return out;
}

interface Scan {
  /** Framed grid: 0 outside the mask and on the frame, else 1 + the id of the pixel's value. */
  ids: Uint16Array;
  /** Rank of each value id among the distinct values (ids number them as they come). */
  rankOfId: Int32Array;
  /** Pixels of each value id. */
  idCount: Int32Array;
  /** Internal label → the caller's label (index 0 unused). */
  labelOf: number[];
  /** Marker pixels inside the mask (framed index), raster order, and their internal labels. */
  markerPixel: number[];
  markerLabel: number[];
}

/** One raster pass: value ids, marker pixels and labels; undefined on NaN or too many values. */
function scanPixels(
  values: ArrayLike<number>,
  width: number,
  height: number,
  markers: Uint32Array,
  mask: Uint8Array | undefined,
): Scan | undefined {
  const stride = width + 2;
  const ids = new Uint16Array(stride * (height + 2));
  const index = new ValueIndex(1024);
  const distinct: number[] = [];
  const idCount = new Int32Array(MAX_VALUES);
  const labelOf = [0];
  const internal = new Map<number, number>();
  const markerPixel: number[] = [];
  const markerLabel: number[] = [];
  let last = NaN;
  let lastId = 0;
  let lastLabel = 0;
  let lastInternal = 0;
  for (let r = 0; r < height; r++) {
    const rowEnd = (r + 1) * width;
    for (let i = r * width, p = (r + 1) * stride + 1; i < rowEnd; i++, p++) {
      if (mask !== undefined && mask[i] === 0) continue;
      const v = values[i];
      if (v !== last) {
        if (v !== v) return undefined;
        lastId = index.get(v);
        if (lastId === -1) {
          if (distinct.length === MAX_VALUES) return undefined;
          lastId = distinct.push(v) - 1;
          index.set(v, lastId);
        }
        last = v;
      }
      ids[p] = lastId + 1;
      idCount[lastId]++;
      const label = markers[i];
      if (label === 0) continue;
      if (label !== lastLabel) {
        let k = internal.get(label);
        if (k === undefined) {
          k = labelOf.push(label) - 1;
          internal.set(label, k);
        }
        lastInternal = k;
        lastLabel = label;
      }
      markerPixel.push(p);
      markerLabel.push(lastInternal);
    }
  }
  // ids number values as they come; ranks order them by value (-0 and 0 share an id)
  const sorted = Float64Array.from(distinct).sort();
  const rankOfId = new Int32Array(distinct.length);
  for (let k = 0; k < sorted.length; k++) rankOfId[index.get(sorted[k])] = k;
  return { ids, rankOfId, idCount, labelOf, markerPixel, markerLabel };
}

interface Flood {
  /**
   * Framed grid: 0 = never flooded (frame, outside the mask), 1…labels = internal label (pushed
   * or marker), labels + 1 + r = not reached yet, value rank r.
   */
  cell: Uint16Array | Int32Array;
  labels: number;
  /** Value ranks. */
  ranks: number;
  stride: number;
  offsets: Int32Array;
  markerPixel: Int32Array;
  markerRank: Int32Array;
  /** Tie group of each marker (same component, same value, ≥ 2 markers), or -1. */
  groupOf: Int32Array;
  /** Markers of each tie group still queued. */
  queuedInGroup: Int32Array;
  /** Tie groups with two or more markers queued: the heap's shape matters while > 0. */
  pendingTies: number;

  // the FIFO buckets: bucket r holds pixels of rank r in buffer[head[r] … tail[r])
  buffer: Int32Array;
  head: Int32Array;
  tail: Int32Array;
  /** Non-empty buckets, one bit each, and non-zero words of `nonEmpty`, one bit each. */
  nonEmpty: Int32Array;
  nonEmptyWords: Int32Array;
  /** Whether markers still wait for the buckets (none went through the heap). */
  markersUnqueued: boolean;
}

function prepare(
  scan: Scan,
  width: number,
  height: number,
  mask: Uint8Array | undefined,
  connectivity: 1 | 2,
): Flood {
  const { ids, rankOfId, idCount, labelOf, markerLabel } = scan;
  const stride = width + 2;
  const labels = labelOf.length - 1;
  const ranks = rankOfId.length;
  const base = labels + 1;
  const toCell = new Int32Array(ranks + 1);
  const perRankCount = new Int32Array(ranks);
  for (let id = 0; id < ranks; id++) {
    toCell[id + 1] = base + rankOfId[id];
    perRankCount[rankOfId[id]] = idCount[id];
  }
  // in place where labels and ranks fit two bytes
  const cell = labels + ranks <= 0xffff ? ids : new Int32Array(ids.length);
  for (let p = 0; p < cell.length; p++) cell[p] = toCell[ids[p]];
  const markerPixel = Int32Array.from(scan.markerPixel);
  const markerCount = markerPixel.length;
  const markerRank = new Int32Array(markerCount);
  for (let m = 0; m < markerCount; m++) {
    const p = markerPixel[m];
    markerRank[m] = cell[p] - base;
    cell[p] = markerLabel[m];
  }

  // tie groups: markers of one value in one component
  const groupOf = new Int32Array(markerCount).fill(-1);
  const perRank = new Int32Array(ranks);
  let ties = false;
  for (let m = 0; m < markerCount; m++) if (++perRank[markerRank[m]] === 2) ties = true;
  const sizes: number[] = [];
  if (ties) {
    const component =
      mask === undefined
        ? new Int32Array(markerCount)
        : markerComponents(mask, width, height, connectivity, markerPixel, stride);
    const groups = new Map<number, number>();
    for (let m = 0; m < markerCount; m++) {
      if (perRank[markerRank[m]] < 2) continue;
      const key = component[m] * ranks + markerRank[m];
      let g = groups.get(key);
      if (g === undefined) {
        g = sizes.push(0) - 1;
        groups.set(key, g);
      }
      sizes[g]++;
      groupOf[m] = g;
    }
    for (let m = 0; m < markerCount; m++)
      if (groupOf[m] !== -1 && sizes[groupOf[m]] < 2) groupOf[m] = -1;
  }
  const pendingTies = sizes.filter((size) => size >= 2).length;

  const head = new Int32Array(ranks);
  let total = 0;
  for (let r = 0; r < ranks; r++) {
    head[r] = total;
    total += perRankCount[r];
  }
  const words = (ranks + 31) >>> 5;
  return {
    cell,
    labels,
    ranks,
    stride,
    offsets:
      connectivity === 1
        ? Int32Array.of(-stride, -1, 1, stride)
        : Int32Array.of(-stride, -1, 1, stride, -stride - 1, -stride + 1, stride - 1, stride + 1),
    markerPixel,
    markerRank,
    groupOf,
    queuedInGroup: Int32Array.from(sizes),
    pendingTies,
    buffer: new Int32Array(total),
    head,
    tail: head.slice(),
    nonEmpty: new Int32Array(words),
    nonEmptyWords: new Int32Array((words + 31) >>> 5),
    markersUnqueued: true,
  };
}

/**
 * skimage's heap (segment/heap.ts) while tie groups are queued: markers go in as (rank, age 0,
 * marker number), so markers of one value compare equal, pixels as (rank, age, pixel); records
 * move as skimage moves its own. Then the rest moves to the buckets.
 */
function floodExact(flood: Flood): void {
  const { cell, labels, offsets, markerPixel, markerRank, groupOf, queuedInGroup } = flood;
  const base = labels + 1;
  const markerCount = markerPixel.length;
  const heap = new MinHeap(Math.max(1024, 2 * markerCount));
  for (let m = 0; m < markerCount; m++) heap.push(markerRank[m], 0, m);
  let pending = flood.pendingTies;
  let age = 0;
  while (heap.length > 0 && pending > 0) {
    const marker = heap.ages[0] === 0;
    const index = heap.pop();
    let p = index;
    if (marker) {
      const g = groupOf[index];
      if (g !== -1 && --queuedInGroup[g] === 1) pending--;
      p = markerPixel[index];
    }
    const label = cell[p];
    for (let k = 0; k < offsets.length; k++) {
      const q = p + offsets[k];
      const c = cell[q];
      if (c <= labels) continue;
      cell[q] = label;
      heap.push(c - base, ++age, q);
    }
  }
  flood.pendingTies = pending;
  // the rest goes to the buckets: markers first (age 0 leads its rank), the others by age
  const { keys, ages, indices, length: n } = heap;
  for (let j = 0; j < n; j++) if (ages[j] === 0) append(flood, keys[j], markerPixel[indices[j]]);
  for (const j of queuedByAge(ages, n, age)) append(flood, keys[j], indices[j]);
  flood.markersUnqueued = false;
}

/** Heap positions of the queued non-marker records in age order (ages are unique, ≤ maxAge). */
function queuedByAge(ages: Int32Array, n: number, maxAge: number): Int32Array {
  let minAge = maxAge + 1;
  let count = 0;
  for (let j = 0; j < n; j++) {
    const age = ages[j];
    if (age === 0) continue;
    count++;
    if (age < minAge) minAge = age;
  }
  const at = new Int32Array(Math.max(0, maxAge - minAge + 1)).fill(-1);
  for (let j = 0; j < n; j++) if (ages[j] !== 0) at[ages[j] - minAge] = j;
  const order = new Int32Array(count);
  for (let a = 0, k = 0; a < at.length; a++) if (at[a] !== -1) order[k++] = at[a];
  return order;
}

function append(flood: Flood, rank: number, pixel: number): void {
  const t = flood.tail[rank];
  if (t === flood.head[rank]) setNonEmpty(flood.nonEmpty, flood.nonEmptyWords, rank);
  flood.buffer[t] = pixel;
  flood.tail[rank] = t + 1;
}

/** FIFO buckets per value rank: pops by (value, age); pushes may land below the cursor. */
function floodBuckets(flood: Flood): void {
  const { cell, labels, offsets, buffer, head, tail, nonEmpty, nonEmptyWords, ranks } = flood;
  if (flood.markersUnqueued) {
    // no ties that matter: markers of one value may leave in raster order
    const { markerPixel, markerRank } = flood;
    for (let m = 0; m < markerPixel.length; m++) append(flood, markerRank[m], markerPixel[m]);
  }
  const base = labels + 1;
  let cursor = nextNonEmpty(nonEmpty, nonEmptyWords, 0, ranks);
  while (cursor !== -1) {
    const h = head[cursor];
    if (h === tail[cursor]) {
      // emptied here, or earlier while a lower rank took the cursor
      clearNonEmpty(nonEmpty, nonEmptyWords, cursor);
      cursor = nextNonEmpty(nonEmpty, nonEmptyWords, cursor + 1, ranks);
      continue;
    }
    const p = buffer[h];
    head[cursor] = h + 1;
    const label = cell[p];
    for (let k = 0; k < offsets.length; k++) {
      const q = p + offsets[k];
      const c = cell[q];
      if (c <= labels) continue;
      cell[q] = label;
      const r = c - base;
      const t = tail[r];
      if (t === head[r]) {
        nonEmpty[r >>> 5] |= 1 << (r & 31);
        nonEmptyWords[r >>> 10] |= 1 << ((r >>> 5) & 31);
        if (r < cursor) cursor = r;
      }
      buffer[t] = q;
      tail[r] = t + 1;
    }
  }
}

function setNonEmpty(bits: Int32Array, words: Int32Array, r: number): void {
  bits[r >>> 5] |= 1 << (r & 31);
  words[r >>> 10] |= 1 << ((r >>> 5) & 31);
}

function clearNonEmpty(bits: Int32Array, words: Int32Array, r: number): void {
  const w = r >>> 5;
  const left = bits[w] & ~(1 << (r & 31));
  bits[w] = left;
  if (left === 0) words[w >>> 5] &= ~(1 << (w & 31));
}

/** Smallest non-empty rank ≥ from, or -1. */
function nextNonEmpty(bits: Int32Array, words: Int32Array, from: number, ranks: number): number {
  if (from >= ranks) return -1;
  let w = from >>> 5;
  const inWord = bits[w] & (-1 << (from & 31));
  if (inWord !== 0) return (w << 5) + lowestBit(inWord);
  w++;
  let s = w >>> 5;
  if (s >= words.length) return -1;
  let word = words[s] & (-1 << (w & 31));
  while (word === 0) {
    if (++s >= words.length) return -1;
    word = words[s];
  }
  w = (s << 5) + lowestBit(word);
  return (w << 5) + lowestBit(bits[w]);
}

function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * Connected component (of the mask, with the flooding connectivity) of each marker, as the root
 * run of a union-find over the mask's row runs.
 */
function markerComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  connectivity: 1 | 2,
  markerPixel: Int32Array,
  stride: number,
): Int32Array {
  // runs [start, end) per row; diagonal neighbours also join runs that touch at a corner
  const slack = connectivity === 2 ? 1 : 0;
  let start = new Int32Array(4096);
  let end = new Int32Array(4096);
  let parent = new Int32Array(4096);
  const rowFirst = new Int32Array(height + 1);
  let runs = 0;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let r = 0; r < height; r++) {
    rowFirst[r] = runs;
    const row = r * width;
    const above = r > 0 ? rowFirst[r - 1] : 0;
    let j = above;
    for (let c = 0; c < width;) {
      if (mask[row + c] === 0) {
        c++;
        continue;
      }
      const s = c;
      while (c < width && mask[row + c] !== 0) c++;
      if (runs === start.length) {
        start = growInt32(start);
        end = growInt32(end);
        parent = growInt32(parent);
      }
      start[runs] = s;
      end[runs] = c;
      parent[runs] = runs;
      while (j < rowFirst[r] && end[j] + slack <= s) j++;
      for (let k = j; k < rowFirst[r] && start[k] < c + slack; k++) {
        const a = find(k);
        const b = find(runs);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
      runs++;
    }
  }
  rowFirst[height] = runs;
  const component = new Int32Array(markerPixel.length);
  for (let m = 0; m < markerPixel.length; m++) {
    const p = markerPixel[m];
    const r = Math.floor(p / stride) - 1;
    const c = p - (r + 1) * stride - 1;
    let lo = rowFirst[r];
    let hi = rowFirst[r + 1] - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (start[mid] <= c) lo = mid;
      else hi = mid - 1;
    }
    component[m] = find(lo);
  }
  return component;
}

function growInt32(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(2 * array.length);
  grown.set(array);
  return grown;
}
