import { MinHeap } from '../heap.js';
import { ValueIndex } from './value-index.js';

/** The shapes the flooding queue takes. */
export const QueueMode = { skimageHeap: 0, buckets: 1, quadHeap: 2 } as const;
export type QueueMode = (typeof QueueMode)[keyof typeof QueueMode];

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
export class FloodQueue {
  length = 0;
  /** Source of the record the last `pop` returned. */
  poppedSource = 0;

  private mode: QueueMode = QueueMode.skimageHeap;
  /** Markers queued: the heap's shape matters while this is non-zero. */
  private markersQueued = 0;
  /** Where to go once the markers are out. */
  private next: QueueMode;

  /** skimage's binary heap, whose arrays the 4-ary heap takes over in place. */
  private heap: MinHeap;

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
    this.heap = new MinHeap(capacity);
    this.next = next;
  }

  push(value: number, age: number, index: number, source: number): void {
    this.length++;
    if (this.mode === QueueMode.buckets) this.append(value, age, index, source);
    else if (this.mode === QueueMode.quadHeap) this.quadPush(value, age, index, source);
    else {
      if (age === 0) this.markersQueued++;
      this.heap.push(value, age, index, source);
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
    if (this.heap.ages[0] === 0) this.markersQueued--;
    const index = this.heap.pop();
    this.poppedSource = this.heap.poppedSource;
    if (this.markersQueued === 0 && this.next !== QueueMode.skimageHeap && this.length > 0) {
      if (this.next === QueueMode.buckets) this.toBuckets();
      else this.toQuadHeap();
    }
    return index;
  }

  /** Heap → buckets, appending the queued records in age order so each FIFO ascends in age. */
  private toBuckets(): void {
    const heap = this.heap;
    const n = heap.length;
    const values = heap.keys.slice(0, n);
    const ages = heap.ages.slice(0, n);
    const indices = heap.indices.slice(0, n);
    const sources = heap.sources.slice(0, n);
    const byAge = new Int32Array(n).map((_, j) => j);
    byAge.sort((a, b) => ages[a] - ages[b]);
    this.mode = QueueMode.buckets;
    heap.length = 0;
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
    const { keys, ages, indices, sources } = this.heap;
    for (let i = (this.heap.length - 2) >> 2; i >= 0; i--) {
      this.quadSink(i, keys[i], ages[i], indices[i], sources[i]);
    }
  }

  private quadPush(value: number, age: number, index: number, source: number): void {
    const heap = this.heap;
    if (heap.length === heap.keys.length) heap.grow();
    const { keys: values, ages, indices, sources } = heap;
    let child = heap.length++;
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
    const { keys, ages, indices, sources } = this.heap;
    const index = indices[0];
    this.poppedSource = sources[0];
    const n = --this.heap.length;
    if (n > 0) this.quadSink(0, keys[n], ages[n], indices[n], sources[n]);
    return index;
  }

  /** Places a record at `i` and lets it sink below its smaller children. */
  private quadSink(i: number, value: number, age: number, index: number, source: number): void {
    const { keys: values, ages, indices, sources, length: n } = this.heap;
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
