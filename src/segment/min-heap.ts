/**
 * A binary min-heap of (key, age, index) records in typed arrays, ordered by key then age, so
 * records with equal keys leave first-in first-out. For shortest-path flooding (Dijkstra).
 */
export class MinHeap {
  length = 0;
  private keys: Float64Array;
  private ages: Float64Array;
  private indices: Int32Array;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(Math.max(capacity, 1));
    this.ages = new Float64Array(Math.max(capacity, 1));
    this.indices = new Int32Array(Math.max(capacity, 1));
  }

  push(key: number, age: number, index: number): void {
    if (this.length === this.keys.length) this.grow();
    const { keys, ages, indices } = this;
    let child = this.length++;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (keys[parent] < key || (keys[parent] === key && ages[parent] <= age)) break;
      keys[child] = keys[parent];
      ages[child] = ages[parent];
      indices[child] = indices[parent];
      child = parent;
    }
    keys[child] = key;
    ages[child] = age;
    indices[child] = index;
  }

  /** Removes the smallest record and returns its index. */
  pop(): number {
    const { keys, ages, indices } = this;
    const top = indices[0];
    const n = --this.length;
    const key = keys[n];
    const age = ages[n];
    const index = indices[n];
    let i = 0;
    while (true) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (
        right < n &&
        (keys[right] < keys[child] || (keys[right] === keys[child] && ages[right] < ages[child]))
      ) {
        child = right;
      }
      if (key < keys[child] || (key === keys[child] && age <= ages[child])) break;
      keys[i] = keys[child];
      ages[i] = ages[child];
      indices[i] = indices[child];
      i = child;
    }
    keys[i] = key;
    ages[i] = age;
    indices[i] = index;
    return top;
  }

  private grow(): void {
    const size = this.keys.length * 2;
    const keys = new Float64Array(size);
    const ages = new Float64Array(size);
    const indices = new Int32Array(size);
    keys.set(this.keys);
    ages.set(this.ages);
    indices.set(this.indices);
    this.keys = keys;
    this.ages = ages;
    this.indices = indices;
  }
}
