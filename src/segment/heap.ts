/**
 * A binary min-heap of (key, age, index, source) records in parallel typed arrays: smallest key
 * first, then smallest age, so records of equal key leave first in, first out.
 *
 * Records move exactly as in scikit-image's `heap_general.pxi` (strict "smaller": equal records
 * never pass each other), so a flood whose order depends on the heap's shape (markers of equal
 * value in the watershed) reproduces skimage's. One heap serves the watershed's flood queue and
 * the shortest-path propagation of cells from nuclei; the arrays are public for the flood queue,
 * which turns them into its 4-ary heap in place.
 */
export class MinHeap {
  length = 0;
  /** Source of the record the last `pop` returned. */
  poppedSource = 0;
  keys: Float64Array;
  ages: Int32Array;
  indices: Int32Array;
  sources: Int32Array;

  constructor(capacity = 1024) {
    const n = Math.max(capacity, 16);
    this.keys = new Float64Array(n);
    this.ages = new Int32Array(n);
    this.indices = new Int32Array(n);
    this.sources = new Int32Array(n);
  }

  push(key: number, age: number, index: number, source = 0): void {
    if (this.length === this.keys.length) this.grow();
    const { keys, ages, indices, sources } = this;
    let child = this.length++;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const pk = keys[parent];
      // strict "smaller" as skimage: equal records never pass each other
      if (key < pk || (key === pk && age < ages[parent])) {
        keys[child] = pk;
        ages[child] = ages[parent];
        indices[child] = indices[parent];
        sources[child] = sources[parent];
        child = parent;
      } else break;
    }
    keys[child] = key;
    ages[child] = age;
    indices[child] = index;
    sources[child] = source;
  }

  /** Removes the first record and returns its index (its source goes to `poppedSource`). */
  pop(): number {
    const { keys, ages, indices, sources } = this;
    const index = indices[0];
    this.poppedSource = sources[0];
    const n = --this.length;
    if (n === 0) return index;
    // the last record sinks from the root: compared with the left child, then the right child with the smaller so far
    const key = keys[n];
    const age = ages[n];
    const lastIndex = indices[n];
    const lastSource = sources[n];
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let smallest = i;
      let sk = key;
      let sa = age;
      const lk = keys[l];
      if (lk < sk || (lk === sk && ages[l] < sa)) {
        smallest = l;
        sk = lk;
        sa = ages[l];
      }
      const r = l + 1;
      if (r < n) {
        const rk = keys[r];
        if (rk < sk || (rk === sk && ages[r] < sa)) smallest = r;
      }
      if (smallest === i) break;
      keys[i] = keys[smallest];
      ages[i] = ages[smallest];
      indices[i] = indices[smallest];
      sources[i] = sources[smallest];
      i = smallest;
    }
    keys[i] = key;
    ages[i] = age;
    indices[i] = lastIndex;
    sources[i] = lastSource;
    return index;
  }

  /** Doubles the arrays (callers holding them must read them again). */
  grow(): void {
    const n = 2 * this.keys.length;
    const keys = new Float64Array(n);
    const ages = new Int32Array(n);
    const indices = new Int32Array(n);
    const sources = new Int32Array(n);
    keys.set(this.keys);
    ages.set(this.ages);
    indices.set(this.indices);
    sources.set(this.sources);
    this.keys = keys;
    this.ages = ages;
    this.indices = indices;
    this.sources = sources;
  }
}
