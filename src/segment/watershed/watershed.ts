import { InvalidArgumentError } from '../../errors.js';
import type { Labels, Mask, Plane } from '../../image/types.js';
import { floodClassic } from './classic-flood.js';
import { ValueIndex } from './value-index.js';

export interface WatershedOptions {
  /** Only pixels where the mask is non-zero are flooded; the rest stay 0 (markers there are dropped). */
  mask?: Mask;
  /** 1: pixels flood to their 4 edge neighbours; 2: to all 8. @default 1 */
  connectivity?: 1 | 2;
  /** Leave a one-pixel line labelled 0 between basins. @default false */
  watershedLine?: boolean;
  /**
   * Compact watershed (Neubert & Protzel, ICPR 2014): a pixel's priority is its value plus
   * `compactness ×` its Euclidean distance to the marker pixel flooding it. 0 = classic flooding.
   * @default 0
   */
  compactness?: number;
}

/**
 * Marker-controlled watershed that floods `image` from `markers`, label for label as
 * `skimage.segmentation.watershed` of scikit-image 0.19.3.
 *
 * Flooding order (skimage 0.19.3 `_watershed_cy.pyx`): a binary min-heap keyed on (pixel
 * value, insertion age); marker pixels are pushed in raster order with age 0, every later push
 * takes the next age; a popped pixel visits its neighbours as (dr, dc) = (-1,0), (0,-1), (0,1),
 * (1,0), then for connectivity 2 (-1,-1), (-1,1), (1,-1), (1,1). Without `watershedLine` or
 * `compactness` a pixel takes its label when pushed (so a plateau is split by who reaches it
 * first); otherwise when popped, and with `watershedLine` a popped pixel whose labelled
 * neighbours carry two different labels becomes line (0) and floods no further.
 *
 * Markers of equal value leave the heap in the order its shape gives, not in raster order, so
 * the same heap is kept while that order can still change a label: for classic flooding while a
 * connected component of the mask holds two queued markers of one value (see `floodClassic`),
 * otherwise while any marker is queued (see `FloodQueue`). Results match skimage 0.19.3 pixel for
 * pixel, NaN pixels included. Labels are kept as given (skimage works in int32).
 *
 * scikit-image ≥ 0.25 changed the flooding: a pixel's priority is at least that of the pixel it
 * was reached from, and the watershed-line rule was revised. Its results differ from these on
 * some pixels (in the reference fixtures 0–8 of ~20,000 without line, 32–524 with
 * `watershedLine`), all along basin boundaries.
 *
 * @param image Lower values flood first (for nuclei, pass the negated distance transform).
 * @param markers Seeds, 0 = none; each non-zero value becomes the label of its basin.
 * @returns Labels of the same size; pixels no marker reaches (or outside `mask`) are 0.
 */
export function watershed(image: Plane, markers: Labels, options: WatershedOptions = {}): Labels {
  const { width, height } = image;
  const { connectivity, compactness, watershedLine } = checkOptions(image, markers, options);
  const values = image.data;
  const mask = options.mask?.data;
  if (compactness === 0 && !watershedLine) {
    const data = floodClassic(values, width, height, markers.data, mask, connectivity);
    if (data !== undefined) return { width, height, data };
  }
  const labels = markerLabels(markers.data, mask);
  const { state, outside, stride } = framedState(width, height, markers.data, mask, labels);
  const offsets =
    connectivity === 1
      ? Int32Array.of(-stride, -1, 1, stride)
      : Int32Array.of(-stride, -1, 1, stride, -stride - 1, -stride + 1, stride - 1, stride + 1);
  // the same steps in the caller's (unframed) image
  const steps =
    connectivity === 1
      ? Int32Array.of(-width, -1, 1, width)
      : Int32Array.of(-width, -1, 1, width, -width - 1, -width + 1, width - 1, width + 1);

  // NaN compares unequal to itself, which only skimage's own heap handles as skimage does
  let hasNaN = false;
  for (let i = 0; i < values.length && !hasNaN; i++) hasNaN = values[i] !== values[i];
  // Ranks order and tie exactly as the values do; a distance map has a few hundred, and 2-byte
  // ranks keep the flood's working set in cache where 8-byte values would not.
  const ranked = hasNaN || compactness > 0 ? undefined : rankValues(values, mask);
  const priorities: ArrayLike<number> = ranked ?? values;
  const queue = new FloodQueue(
    1024,
    hasNaN ? QueueMode.skimageHeap : compactness === 0 ? QueueMode.buckets : QueueMode.quadHeap,
  );
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const p = (r + 1) * stride + c + 1;
      if (state[p] !== 0 && state[p] !== outside) queue.push(priorities[r * width + c], 0, p, p);
    }
  }
  const flood = { state, outside, values: priorities, offsets, steps, stride };
  const lineMarkers =
    compactness === 0 && !watershedLine
      ? (floodOnPush(queue, flood), [])
      : floodOnPop(queue, flood, compactness, watershedLine);

  const data = new Uint32Array(width * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const k = state[(r + 1) * stride + c + 1];
      if (k !== outside) data[r * width + c] = labels.labelOf[k];
    }
  }
  for (const p of lineMarkers) {
    const i = unframed(p, stride);
    data[i] = markers.data[i];
  }
  return { width, height, data };
}

function checkOptions(
  image: Plane,
  markers: Labels,
  options: WatershedOptions,
): Required<Omit<WatershedOptions, 'mask'>> {
  const { width, height } = image;
  const connectivity = options.connectivity ?? 1;
  const compactness = options.compactness ?? 0;
  if (connectivity !== 1 && connectivity !== 2) {
    throw new InvalidArgumentError(`connectivity must be 1 or 2, got ${String(connectivity)}`);
  }
  if (!(compactness >= 0 && compactness < Infinity)) {
    throw new InvalidArgumentError(`compactness must be finite and ≥ 0, got ${compactness}`);
  }
  if (image.data.length !== width * height) {
    throw new InvalidArgumentError(
      `image data has ${image.data.length} pixels, expected ${width} × ${height}`,
    );
  }
  for (const [name, other] of [
    ['markers', markers],
    ['mask', options.mask],
  ] as const) {
    if (other === undefined) continue;
    if (other.width !== width || other.height !== height || other.data.length !== width * height) {
      throw new InvalidArgumentError(
        `${name} are ${other.width} × ${other.height}, the image ${width} × ${height}`,
      );
    }
  }
  return { connectivity, compactness, watershedLine: options.watershedLine ?? false };
}

/** Marker labels inside the mask, numbered 1…n internally in raster order of first pixel. */
interface MarkerLabels {
  /** Internal number → the caller's label (0 → 0). */
  labelOf: number[];
  /** The caller's label → internal number. */
  internal: Map<number, number>;
}

function markerLabels(markers: Uint32Array, mask: Uint8Array | undefined): MarkerLabels {
  const labelOf = [0];
  const internal = new Map<number, number>();
  for (let i = 0, last = 0; i < markers.length; i++) {
    const label = markers[i];
    if (label === 0 || label === last || (mask !== undefined && mask[i] === 0)) continue;
    if (!internal.has(label)) internal.set(label, labelOf.push(label) - 1);
    last = label;
  }
  return { labelOf, internal };
}

/**
 * Flood state on a one-pixel frame, as skimage pads: `outside` (frame, not in mask, later also
 * line), 0 = not reached yet, k = internal label k. One array answers both "in mask?" and
 * "labelled?", and 2 bytes a pixel where the labels allow it keep the working set in cache.
 */
function framedState(
  width: number,
  height: number,
  markers: Uint32Array,
  mask: Uint8Array | undefined,
  { labelOf, internal }: MarkerLabels,
): { state: Uint16Array | Uint32Array; outside: number; stride: number } {
  const stride = width + 2;
  const wide = labelOf.length > 0xfffe;
  const outside = wide ? 0xffffffff : 0xffff;
  const size = stride * (height + 2);
  const state = (wide ? new Uint32Array(size) : new Uint16Array(size)).fill(outside);
  for (let r = 0, last = 0, lastInternal = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      if (mask !== undefined && mask[i] === 0) continue;
      const label = markers[i];
      if (label !== 0 && label !== last) {
        lastInternal = internal.get(label) as number;
        last = label;
      }
      state[(r + 1) * stride + c + 1] = label === 0 ? 0 : lastInternal;
    }
  }
  return { state, outside, stride };
}

/**
 * The rank of every pixel's value among the distinct values in the mask (0 elsewhere), or
 * undefined when there are more than 65,535 of them.
 */
function rankValues(
  values: ArrayLike<number>,
  mask: Uint8Array | undefined,
): Uint16Array | undefined {
  const limit = 65535;
  const index = new ValueIndex(1024);
  const distinct: number[] = [];
  const ids = new Uint16Array(values.length);
  let last = NaN;
  let lastId = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask !== undefined && mask[i] === 0) continue;
    const v = values[i];
    if (v !== last) {
      lastId = index.get(v);
      if (lastId === -1) {
        if (distinct.length === limit) return undefined;
        lastId = distinct.push(v) - 1;
        index.set(v, lastId);
      }
      last = v;
    }
    ids[i] = lastId;
  }
  const order = Array.from(distinct.keys()).sort((a, b) => distinct[a] - distinct[b]);
  const rankOf = new Uint16Array(distinct.length);
  // -0 and 0 are one value to the index already, so neighbours in `order` are never equal
  order.forEach((id, rank) => (rankOf[id] = rank));
  for (let i = 0; i < ids.length; i++) ids[i] = rankOf[ids[i]];
  return ids;
}

interface Flood {
  /** `outside`, 0 (not reached) or an internal label, on the framed grid. */
  state: Uint16Array | Uint32Array;
  /** Frame pixels, pixels outside the mask and watershed-line pixels: never flooded. */
  outside: number;
  /** The caller's image, unframed. */
  values: ArrayLike<number>;
  /** Neighbour steps on the framed grid… */
  offsets: Int32Array;
  /** …and the same steps on the unframed image. */
  steps: Int32Array;
  stride: number;
}

/** Unframed index of framed pixel `p`. */
function unframed(p: number, stride: number): number {
  const row = (p / stride) | 0;
  return p - 2 * row - stride + 1;
}

/**
 * Classic flooding: a pixel is labelled when pushed, since nothing can reach it more cheaply later
 * (skimage gh-2636). Only for images `floodClassic` declines (NaN, too many distinct values).
 */
function floodOnPush(queue: FloodQueue, { state, values, offsets, steps, stride }: Flood): void {
  // `outside` is non-zero, so one test skips both outside and labelled pixels
  let age = 1;
  while (queue.length > 0) {
    const p = queue.pop();
    const i = unframed(p, stride);
    const label = state[p];
    for (let k = 0; k < offsets.length; k++) {
      const q = p + offsets[k];
      if (state[q] !== 0) continue;
      state[q] = label;
      queue.push(values[i + steps[k]], ++age, q, 0);
    }
  }
}

/**
 * Compact and/or watershed-line flooding: a pixel may be pushed more than once and is labelled
 * as it leaves the queue. Returns the markers that became line: they keep their label (skimage
 * only takes them out of its mask) but flood nothing.
 */
function floodOnPop(
  queue: FloodQueue,
  { state, outside, values, offsets, steps, stride }: Flood,
  compactness: number,
  watershedLine: boolean,
): number[] {
  const lineMarkers: number[] = [];
  // Lowest priority queued so far per pixel: a later push at no lower priority would leave after
  // that one and find the pixel settled, so it is left out once the queue's shape stops mattering
  // (the ages of the rest keep their order, so nothing else changes). Without compactness every
  // push of a pixel has the same priority and a flag does.
  const compact = compactness > 0;
  const lowest = new Float64Array(compact ? state.length : 0).fill(Infinity);
  const queued = new Uint8Array(compact ? 0 : state.length);
  let age = 1;
  while (queue.length > 0) {
    const p = queue.pop();
    const from = queue.poppedSource;
    const current = state[p];
    // line already, or labelled by an earlier push (markers come off as their own source)
    if (current === outside || (current !== 0 && p !== from)) continue;
    if (watershedLine && onLine(p, state, outside, offsets)) {
      if (current !== 0) lineMarkers.push(p);
      state[p] = outside;
      continue;
    }
    state[p] = state[from];
    const i = unframed(p, stride);
    const fromRow = (from / stride) | 0;
    const fromCol = from - fromRow * stride;
    for (let k = 0; k < offsets.length; k++) {
      const q = p + offsets[k];
      if (state[q] !== 0) continue;
      age++;
      let value = values[i + steps[k]];
      if (compact) {
        const row = (q / stride) | 0;
        const dr = row - fromRow;
        const dc = q - row * stride - fromCol;
        value += compactness * Math.sqrt(dr * dr + dc * dc);
      }
      const fresh = compact ? value < lowest[q] : queued[q] === 0;
      if (fresh) {
        if (compact) lowest[q] = value;
        else queued[q] = 1;
      } else if (!queue.shapeMatters) continue;
      queue.push(value, age, q, from);
    }
  }
  return lineMarkers;
}

/** skimage `_diff_neighbors`: the flooded neighbours of `p` carry two different labels. */
function onLine(
  p: number,
  state: Uint16Array | Uint32Array,
  outside: number,
  offsets: Int32Array,
): boolean {
  let first = 0;
  for (let k = 0; k < offsets.length; k++) {
    const label = state[p + offsets[k]];
    if (label === 0 || label === outside) continue;
    if (first === 0) first = label;
    else if (label !== first) return true;
  }
  return false;
}

/**
 * The flooding priority queue: records (value, age, index, source) leave smallest value first,
 * then smallest age.
 *
 * While any marker (age 0) is queued it is a binary min-heap that moves records exactly as
 * skimage's `heap_general.pxi` swaps them: markers of equal value compare equal, and the order in
 * which they leave depends on the heap's shape, so only the same heap reproduces it. Once the
 * last marker is out every key is distinct (ages are unique) and any exact queue gives the same
 * order: a bucket queue when few distinct values are queued (distance maps hold a few hundred;
 * one FIFO per value, since pushes come in age order, and a small heap over the values), else,
 * or once the values turn out too varied, a 4-ary heap (half as deep as a binary one).
 */
/** The shapes the flooding queue takes. */
const QueueMode = { skimageHeap: 0, buckets: 1, quadHeap: 2 } as const;
type QueueMode = (typeof QueueMode)[keyof typeof QueueMode];

class FloodQueue {
  length = 0;
  /** Source of the record the last `pop` returned. */
  poppedSource = 0;

  private mode: QueueMode = QueueMode.skimageHeap;
  /** Markers queued: the heap's shape matters while this is non-zero. */
  private markersQueued = 0;
  /** Where to go once the markers are out. */
  private next: QueueMode;

  // the heaps, as parallel arrays
  private values: Float64Array;
  private ages: Int32Array;
  private indices: Int32Array;
  private sources: Int32Array;
  private heapLength = 0;

  // bucket mode: records [index, source, age, next] in a pool with a free list, linked into one
  // FIFO per value
  private records = new Int32Array(0);
  private freeRecord = -1;
  private bucketOf = new ValueIndex(1024);
  private bucketValue = new Float64Array(0);
  private bucketHead = new Int32Array(0);
  private bucketTail = new Int32Array(0);
  private freeBuckets: number[] = [];
  /** Heap of bucket ids by value (values are distinct). */
  private valueHeap = new Int32Array(0);
  private valueCount = 0;
  private cachedValue = NaN;
  private cachedBucket = -1;

  /**
   * @param next The queue once the markers are out: `buckets` (for values that repeat),
   *   `quadHeap`, or `skimageHeap` to stay (needed with NaN, which breaks the order).
   */
  constructor(capacity: number, next: QueueMode) {
    const n = Math.max(capacity, 16);
    this.values = new Float64Array(n);
    this.ages = new Int32Array(n);
    this.indices = new Int32Array(n);
    this.sources = new Int32Array(n);
    this.next = next;
  }

  push(value: number, age: number, index: number, source: number): void {
    this.length++;
    if (this.mode === QueueMode.buckets) this.append(value, age, index, source);
    else if (this.mode === QueueMode.quadHeap) this.quadPush(value, age, index, source);
    else {
      if (age === 0) this.markersQueued++;
      this.heapPush(value, age, index, source);
    }
  }

  /** True while records that will never count still shape the order: skimage's heap with markers in it. */
  get shapeMatters(): boolean {
    return this.mode === QueueMode.skimageHeap;
  }

  /** Removes the first record and returns its index (its source goes to `poppedSource`). */
  pop(): number {
    this.length--;
    if (this.mode === QueueMode.buckets) return this.take();
    if (this.mode === QueueMode.quadHeap) return this.quadPop();
    const index = this.heapPop();
    if (this.markersQueued === 0 && this.next !== QueueMode.skimageHeap && this.length > 0) {
      if (this.next === QueueMode.buckets) this.toBuckets();
      else this.toQuadHeap();
    }
    return index;
  }

  private heapPush(value: number, age: number, index: number, source: number): void {
    if (this.heapLength === this.values.length) this.growHeap();
    const { values, ages, indices, sources } = this;
    let child = this.heapLength++;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const pv = values[parent];
      // strict "smaller" as skimage: equal records never pass each other
      if (value < pv || (value === pv && age < ages[parent])) {
        values[child] = pv;
        ages[child] = ages[parent];
        indices[child] = indices[parent];
        sources[child] = sources[parent];
        child = parent;
      } else break;
    }
    values[child] = value;
    ages[child] = age;
    indices[child] = index;
    sources[child] = source;
  }

  private heapPop(): number {
    const { values, ages, indices, sources } = this;
    const index = indices[0];
    this.poppedSource = sources[0];
    if (ages[0] === 0) this.markersQueued--;
    const n = --this.heapLength;
    if (n === 0) return index;
    // the last record sinks from the root: compared with the left child, then the right child with the smaller so far
    const value = values[n];
    const age = ages[n];
    const lastIndex = indices[n];
    const lastSource = sources[n];
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let smallest = i;
      let sv = value;
      let sa = age;
      const lv = values[l];
      if (lv < sv || (lv === sv && ages[l] < sa)) {
        smallest = l;
        sv = lv;
        sa = ages[l];
      }
      const r = l + 1;
      if (r < n) {
        const rv = values[r];
        if (rv < sv || (rv === sv && ages[r] < sa)) smallest = r;
      }
      if (smallest === i) break;
      values[i] = values[smallest];
      ages[i] = ages[smallest];
      indices[i] = indices[smallest];
      sources[i] = sources[smallest];
      i = smallest;
    }
    values[i] = value;
    ages[i] = age;
    indices[i] = lastIndex;
    sources[i] = lastSource;
    return index;
  }

  private growHeap(): void {
    const n = 2 * this.values.length;
    const values = new Float64Array(n);
    const ages = new Int32Array(n);
    const indices = new Int32Array(n);
    const sources = new Int32Array(n);
    values.set(this.values);
    ages.set(this.ages);
    indices.set(this.indices);
    sources.set(this.sources);
    this.values = values;
    this.ages = ages;
    this.indices = indices;
    this.sources = sources;
  }

  /** Heap → buckets, appending the queued records in age order so each FIFO ascends in age. */
  private toBuckets(): void {
    const n = this.heapLength;
    const values = this.values.slice(0, n);
    const ages = this.ages.slice(0, n);
    const indices = this.indices.slice(0, n);
    const sources = this.sources.slice(0, n);
    const byAge = new Int32Array(n).map((_, j) => j);
    byAge.sort((a, b) => ages[a] - ages[b]);
    this.mode = QueueMode.buckets;
    this.heapLength = 0;
    for (let j = 0; j < n; j++) {
      const k = byAge[j];
      // too many distinct values sends everything to the 4-ary heap, the rest of these included
      if (this.mode === QueueMode.buckets) this.append(values[k], ages[k], indices[k], sources[k]);
      else this.quadPush(values[k], ages[k], indices[k], sources[k]);
    }
  }

  /** Buckets → 4-ary heap for good. */
  private bucketsToQuadHeap(): void {
    this.mode = QueueMode.quadHeap;
    const buckets = Array.from(this.valueHeap.subarray(0, this.valueCount));
    const records = this.records;
    for (const bucket of buckets) {
      const value = this.bucketValue[bucket];
      for (let r = this.bucketHead[bucket]; r !== -1; r = records[r + 3]) {
        this.quadPush(value, records[r + 2], records[r], records[r + 1]);
      }
    }
    this.records = new Int32Array(0);
    this.freeRecord = -1;
    this.valueCount = 0;
  }

  /** Binary heap → 4-ary heap, heapified in place. */
  private toQuadHeap(): void {
    this.mode = QueueMode.quadHeap;
    for (let i = (this.heapLength - 2) >> 2; i >= 0; i--) {
      this.quadSink(i, this.values[i], this.ages[i], this.indices[i], this.sources[i]);
    }
  }

  private quadPush(value: number, age: number, index: number, source: number): void {
    if (this.heapLength === this.values.length) this.growHeap();
    const { values, ages, indices, sources } = this;
    let child = this.heapLength++;
    while (child > 0) {
      const parent = (child - 1) >> 2;
      const pv = values[parent];
      if (value < pv || (value === pv && age < ages[parent])) {
        values[child] = pv;
        ages[child] = ages[parent];
        indices[child] = indices[parent];
        sources[child] = sources[parent];
        child = parent;
      } else break;
    }
    values[child] = value;
    ages[child] = age;
    indices[child] = index;
    sources[child] = source;
  }

  private quadPop(): number {
    const index = this.indices[0];
    this.poppedSource = this.sources[0];
    const n = --this.heapLength;
    if (n > 0) {
      this.quadSink(0, this.values[n], this.ages[n], this.indices[n], this.sources[n]);
    }
    return index;
  }

  /** Places a record at `i` and lets it sink below its smaller children. */
  private quadSink(i: number, value: number, age: number, index: number, source: number): void {
    const { values, ages, indices, sources } = this;
    const n = this.heapLength;
    while (true) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let best = first;
      let bv = values[first];
      let ba = ages[first];
      const last = Math.min(first + 4, n);
      for (let c = first + 1; c < last; c++) {
        const cv = values[c];
        if (cv < bv || (cv === bv && ages[c] < ba)) {
          best = c;
          bv = cv;
          ba = ages[c];
        }
      }
      if (!(bv < value || (bv === value && ba < age))) break;
      values[i] = bv;
      ages[i] = ba;
      indices[i] = indices[best];
      sources[i] = sources[best];
      i = best;
    }
    values[i] = value;
    ages[i] = age;
    indices[i] = index;
    sources[i] = source;
  }

  private append(value: number, age: number, index: number, source: number): void {
    let bucket = this.cachedBucket;
    if (bucket === -1 || value !== this.cachedValue) {
      bucket = this.bucketOf.get(value);
      if (bucket === -1) bucket = this.newBucket(value);
      if (bucket === -1) {
        this.bucketsToQuadHeap();
        this.quadPush(value, age, index, source);
        return;
      }
      this.cachedValue = value;
      this.cachedBucket = bucket;
    }
    if (this.freeRecord === -1) this.growRecords();
    const records = this.records;
    const r = this.freeRecord;
    this.freeRecord = records[r + 3];
    records[r] = index;
    records[r + 1] = source;
    records[r + 2] = age;
    records[r + 3] = -1;
    const tail = this.bucketTail[bucket];
    if (tail === -1) this.bucketHead[bucket] = r;
    else records[tail + 3] = r;
    this.bucketTail[bucket] = r;
  }

  private take(): number {
    const records = this.records;
    const bucket = this.valueHeap[0];
    const r = this.bucketHead[bucket];
    const next = records[r + 3];
    this.bucketHead[bucket] = next;
    this.poppedSource = records[r + 1];
    const index = records[r];
    records[r + 3] = this.freeRecord;
    this.freeRecord = r;
    if (next === -1) {
      this.bucketTail[bucket] = -1;
      this.bucketOf.delete(this.bucketValue[bucket]);
      if (this.cachedBucket === bucket) this.cachedBucket = -1;
      this.freeBuckets.push(bucket);
      this.valuePop();
    }
    return index;
  }

  /** A bucket for a value not queued yet, or -1 when distinct values crowd the records. */
  private newBucket(value: number): number {
    if (this.valueCount >= 64 && 4 * this.valueCount > this.length) return -1;
    let bucket = this.freeBuckets.pop();
    if (bucket === undefined) {
      bucket = this.bucketValue.length;
      const n = Math.max(2 * bucket, 64);
      this.bucketValue = grown(this.bucketValue, n);
      this.bucketHead = grown(this.bucketHead, n);
      this.bucketTail = grown(this.bucketTail, n);
      this.valueHeap = grown(this.valueHeap, n);
      for (let b = n - 1; b > bucket; b--) this.freeBuckets.push(b);
    }
    this.bucketValue[bucket] = value;
    this.bucketHead[bucket] = -1;
    this.bucketTail[bucket] = -1;
    this.bucketOf.set(value, bucket);
    this.valuePush(bucket);
    return bucket;
  }

  private growRecords(): void {
    const start = this.records.length;
    const n = Math.max(2 * start, 4096);
    this.records = grown(this.records, n);
    for (let r = n - 4; r >= start; r -= 4) {
      this.records[r + 3] = this.freeRecord;
      this.freeRecord = r;
    }
  }

  private valuePush(bucket: number): void {
    const { valueHeap, bucketValue } = this;
    const value = bucketValue[bucket];
    let child = this.valueCount++;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!(value < bucketValue[valueHeap[parent]])) break;
      valueHeap[child] = valueHeap[parent];
      child = parent;
    }
    valueHeap[child] = bucket;
  }

  private valuePop(): void {
    const { valueHeap, bucketValue } = this;
    const n = --this.valueCount;
    if (n === 0) return;
    const last = valueHeap[n];
    const value = bucketValue[last];
    let i = 0;
    while (true) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && bucketValue[valueHeap[c + 1]] < bucketValue[valueHeap[c]]) c++;
      if (!(bucketValue[valueHeap[c]] < value)) break;
      valueHeap[i] = valueHeap[c];
      i = c;
    }
    valueHeap[i] = last;
  }
}

function grown<T extends Float64Array | Int32Array>(array: T, length: number): T {
  const out = new (array.constructor as new (n: number) => T)(length);
  out.set(array);
  return out;
}
