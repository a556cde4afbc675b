import type { Labels, Plane } from '../../../image/types.js';
import type { WatershedOptions } from '../watershed.js';

interface Item {
  value: number;
  age: number;
  index: number;
  source: number;
}

/**
 * skimage 0.19.3 `watershed` as written there, line for line and slow: padded arrays, a heap of
 * objects with its swap-based sift, labelling on push or on pop, `_diff_neighbors`.
 */
export function reference(image: Plane, markers: Labels, options: WatershedOptions): Labels {
  const { width, height } = image;
  const stride = width + 2;
  const size = stride * (height + 2);
  const values = new Float64Array(size);
  const mask = new Uint8Array(size);
  const output = new Float64Array(size);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const p = (r + 1) * stride + c + 1;
      values[p] = image.data[i];
      const inside = options.mask === undefined || options.mask.data[i] !== 0;
      mask[p] = inside ? 1 : 0;
      output[p] = inside ? markers.data[i] : 0;
    }
  }
  const structure =
    (options.connectivity ?? 1) === 1
      ? [-stride, -1, 1, stride]
      : [-stride, -1, 1, stride, -stride - 1, -stride + 1, stride - 1, stride + 1];
  const compactness = options.compactness ?? 0;
  const compact = compactness > 0;
  const wsl = options.watershedLine ?? false;
  const heap: Item[] = [];
  const smaller = (a: Item, b: Item) => (a.value !== b.value ? a.value < b.value : a.age < b.age);
  const push = (item: Item) => {
    heap.push(item);
    let child = heap.length - 1;
    while (child > 0) {
      const parent = ((child + 1) >> 1) - 1;
      if (!smaller(heap[child], heap[parent])) break;
      [heap[parent], heap[child]] = [heap[child], heap[parent]];
      child = parent;
    }
  };
  const pop = (): Item => {
    const top = heap[0];
    const last = heap.pop() as Item;
    if (heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l >= heap.length) break;
      if (smaller(heap[l], heap[i])) smallest = l;
      if (r < heap.length && smaller(heap[r], heap[smallest])) smallest = r;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
    return top;
  };
  const diffNeighbors = (index: number): boolean => {
    if (!mask[index]) return true;
    let label0 = 0;
    for (const offset of structure) {
      const n = index + offset;
      if (!mask[n]) continue;
      if (!label0) label0 = output[n];
      else if (output[n] && output[n] !== label0) {
        mask[index] = 0;
        return true;
      }
    }
    return false;
  };
  for (let p = 0; p < size; p++)
    if (output[p]) push({ value: values[p], age: 0, index: p, source: p });
  let age = 1;
  while (heap.length > 0) {
    const elem = pop();
    if (compact || wsl) {
      if (output[elem.index] && elem.index !== elem.source) continue;
      if (wsl && diffNeighbors(elem.index)) continue;
      output[elem.index] = output[elem.source];
    }
    for (const offset of structure) {
      const n = elem.index + offset;
      if (!mask[n] || output[n]) continue;
      age += 1;
      let value = values[n];
      if (compact) {
        const dr = Math.floor(n / stride) - Math.floor(elem.source / stride);
        const dc = (n % stride) - (elem.source % stride);
        value += compactness * Math.sqrt(dr * dr + dc * dc);
      } else if (!wsl) output[n] = output[elem.index];
      push({ value, age, index: n, source: elem.source });
    }
  }
  const data = new Uint32Array(width * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) data[r * width + c] = output[(r + 1) * stride + c + 1];
  }
  return { width, height, data };
}
