/** The distinct non-zero labels of a label image, ascending, with their pixel counts and boxes. */
export interface LabelTable {
  /** Number of distinct non-zero labels. */
  readonly count: number;
  /** The labels, ascending (`scipy.ndimage.find_objects` order). */
  readonly values: Uint32Array;
  /** Pixels per label. */
  readonly sizes: Uint32Array;
  /** Inclusive bounding box per label. */
  readonly minY: Int32Array;
  readonly maxY: Int32Array;
  readonly minX: Int32Array;
  readonly maxX: Int32Array;
  /** Number of background (0) pixels. */
  readonly background: number;
  /** Slot of each pixel's label in `values`, −1 on background. */
  readonly slot: Int32Array;
}

/** Dense tables while the largest label is comparable to the pixel count, a Map beyond. */
export function denseLimit(pixels: number): number {
  return 4 * pixels + 65536;
}

/** Collects every label's size and bounding box in one pass (after one pass to find them). */
export function labelTable(data: Uint32Array, width: number): LabelTable {
  const n = data.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (data[i] > max) max = data[i];
  const slot = new Int32Array(n);
  let values: Uint32Array;
  if (max <= denseLimit(n)) {
    const slotOf = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < n; i++) slotOf[data[i]] = 0;
    let count = 0;
    for (let v = 1; v <= max; v++) if (slotOf[v] === 0) slotOf[v] = count++;
    slotOf[0] = -1;
    values = new Uint32Array(count);
    for (let v = 1; v <= max; v++) if (slotOf[v] >= 0) values[slotOf[v]] = v;
    for (let i = 0; i < n; i++) slot[i] = slotOf[data[i]];
  } else {
    const distinct = new Set<number>();
    for (let i = 0; i < n; i++) if (data[i] !== 0) distinct.add(data[i]);
    values = Uint32Array.from(distinct).sort();
    const slotOf = new Map<number, number>();
    values.forEach((v, k) => slotOf.set(v, k));
    for (let i = 0; i < n; i++) slot[i] = data[i] === 0 ? -1 : (slotOf.get(data[i]) as number);
  }
  const count = values.length;
  const sizes = new Uint32Array(count);
  const minY = new Int32Array(count).fill(0x7fffffff);
  const maxY = new Int32Array(count).fill(-1);
  const minX = new Int32Array(count).fill(0x7fffffff);
  const maxX = new Int32Array(count).fill(-1);
  let background = 0;
  for (let i = 0, y = 0, x = 0; i < n; i++) {
    const s = slot[i];
    if (s < 0) background++;
    else {
      sizes[s]++;
      if (y < minY[s]) minY[s] = y;
      maxY[s] = y;
      if (x < minX[s]) minX[s] = x;
      if (x > maxX[s]) maxX[s] = x;
    }
    if (++x === width) {
      x = 0;
      y++;
    }
  }
  return { count, values, sizes, minY, maxY, minX, maxX, background, slot };
}

/**
 * fastremap.renumber(preserve_zero=True), in place: labels become 1..N in order of first
 * appearance in a raster scan; 0 stays 0. Returns N.
 */
export function renumberByFirstAppearance(data: Uint32Array): number {
  const n = data.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (data[i] > max) max = data[i];
  let next = 1;
  if (max <= denseLimit(n)) {
    const map = new Uint32Array(max + 1);
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v === 0) continue;
      let m = map[v];
      if (m === 0) m = map[v] = next++;
      data[i] = m;
    }
  } else {
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v === 0) continue;
      let m = map.get(v);
      if (m === undefined) map.set(v, (m = next++));
      data[i] = m;
    }
  }
  return next - 1;
}
