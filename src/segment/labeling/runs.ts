import { InvalidArgumentError } from '../../errors.js';
import type { Labels, PixelArray } from '../../image/types.js';

/** Which pixels form components: nonzero pixels, zero pixels, or equal values other than a background. */
export type RunSelection =
  { kind: 'nonzero' } | { kind: 'zero' } | { kind: 'values'; background: number };

/** Maximal row segments of selected pixels, in raster order: run `i` covers `start[i]` ≤ x < `end[i]`. */
export interface Runs {
  readonly width: number;
  readonly height: number;
  /** Runs of row y are `rowStart[y]` ≤ i < `rowStart[y + 1]`. */
  readonly rowStart: Int32Array;
  readonly runCount: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/** Connected components stored as runs. */
export interface RunComponents extends Runs {
  /** Component of each run, 1..count in raster order of the component's first pixel. */
  readonly component: Int32Array;
  readonly count: number;
}

/** First index in [i, stop) whose byte is not `value` (0..255); whole aligned words at a time. */
function skipRepeats(
  bytes: Uint8Array,
  words: Uint32Array,
  base: number,
  i: number,
  stop: number,
  value: number,
): number {
  while (i < stop && ((base + i) & 3) !== 0) {
    if (bytes[i] !== value) return i;
    i++;
  }
  const pattern = Math.imul(value, 0x01010101) >>> 0;
  for (let w = (base + i) >>> 2; i + 4 <= stop && words[w] === pattern; w++) i += 4;
  while (i < stop && bytes[i] === value) i++;
  return i;
}

/** First index in [i, stop) holding a zero byte; a word has none when (v − 0x01…) & ~v & 0x80… is 0. */
function skipNonzero(
  bytes: Uint8Array,
  words: Uint32Array,
  base: number,
  i: number,
  stop: number,
): number {
  while (i < stop && ((base + i) & 3) !== 0) {
    if (bytes[i] === 0) return i;
    i++;
  }
  for (let w = (base + i) >>> 2; i + 4 <= stop; w++) {
    const v = words[w];
    if (((v - 0x01010101) & ~v & 0x80808080) !== 0) break;
    i += 4;
  }
  while (i < stop && bytes[i] !== 0) i++;
  return i;
}

function grow(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(length);
  bigger.set(array);
  return bigger;
}

/** Finds the runs of selected pixels; Uint8 data (masks) four bytes at a time where it can. */
export function scanRuns(
  data: PixelArray,
  width: number,
  height: number,
  selection: RunSelection,
): Runs {
  const rowStart = new Int32Array(height + 1);
  let capacity = Math.max(64, Math.min(width * height, 1024 + ((width * height) >>> 4)));
  let start = new Int32Array(capacity);
  let end = new Int32Array(capacity);
  const kind = selection.kind;
  const background = selection.kind === 'values' ? selection.background : 0;
  const bytes =
    data instanceof Uint8Array &&
    (kind !== 'values' || (Number.isInteger(background) && background >= 0 && background <= 255))
      ? data
      : undefined;
  const words = bytes ? new Uint32Array(bytes.buffer, 0, bytes.buffer.byteLength >>> 2) : undefined;
  const base = bytes ? bytes.byteOffset : 0;
  let n = 0;

  for (let y = 0; y < height; y++) {
    const offset = y * width;
    const stop = offset + width;
    rowStart[y] = n;
    let i = offset;
    while (i < stop) {
      let s: number;
      if (bytes && words) {
        if (kind === 'nonzero') {
          i = skipRepeats(bytes, words, base, i, stop, 0);
          if (i === stop) break;
          s = i;
          i = skipNonzero(bytes, words, base, i, stop);
        } else if (kind === 'zero') {
          i = skipNonzero(bytes, words, base, i, stop);
          if (i === stop) break;
          s = i;
          i = skipRepeats(bytes, words, base, i, stop, 0);
        } else {
          const value = bytes[i];
          if (value === background) {
            i = skipRepeats(bytes, words, base, i, stop, value);
            continue;
          }
          s = i;
          i = skipRepeats(bytes, words, base, i + 1, stop, value);
        }
      } else if (kind === 'nonzero') {
        while (i < stop && data[i] === 0) i++;
        if (i === stop) break;
        s = i;
        while (i < stop && data[i] !== 0) i++;
      } else if (kind === 'zero') {
        while (i < stop && data[i] !== 0) i++;
        if (i === stop) break;
        s = i;
        while (i < stop && data[i] === 0) i++;
      } else {
        const value = data[i];
        if (value === background) {
          i++;
          continue;
        }
        s = i++;
        while (i < stop && data[i] === value) i++;
      }
      if (n === capacity) {
        capacity *= 2;
        start = grow(start, capacity);
        end = grow(end, capacity);
      }
      start[n] = s - offset;
      end[n] = i - offset;
      n++;
    }
  }
  rowStart[height] = n;
  return { width, height, rowStart, runCount: n, start, end };
}

/**
 * Two-pass union-find over runs: each run joins the runs of the row above it touches
 * (overlapping columns, or one column apart for 8-connectivity), keeping the smaller run index as
 * root. Runs are indexed in raster order, so a root is its component's first run and numbering
 * roots in index order gives skimage.measure.label's raster numbering. For `values`, touching runs
 * join only when their pixel values are equal.
 */
export function runComponents(
  data: PixelArray,
  width: number,
  height: number,
  connectivity: 1 | 2,
  selection: RunSelection,
): RunComponents {
  const runs = scanRuns(data, width, height, selection);
  const { rowStart, start, end, runCount } = runs;
  const parent = new Int32Array(runCount);
  for (let i = 0; i < runCount; i++) parent[i] = i;
  const reach = connectivity === 2 ? 1 : 0;
  const compareValues = selection.kind === 'values';

  for (let y = 1; y < height; y++) {
    // Both run lists are sorted, so one sweep finds every touching pair with the row above.
    const offset = y * width;
    const above = offset - width;
    const rowFirst = rowStart[y];
    let k = rowStart[y - 1];
    for (let j = rowFirst; j < rowStart[y + 1]; j++) {
      const js = start[j];
      const je = end[j] + reach;
      while (k < rowFirst && end[k] + reach <= js) k++;
      for (let m = k; m < rowFirst && start[m] < je; m++) {
        if (compareValues && data[above + start[m]] !== data[offset + js]) continue;
        let a = j;
        while (parent[a] !== a) a = parent[a] = parent[parent[a]];
        let b = m;
        while (parent[b] !== b) b = parent[b] = parent[parent[b]];
        if (a < b) parent[b] = a;
        else if (b < a) parent[a] = b;
      }
    }
  }

  // parent[i] ≤ i always, so one ascending pass turns parents into component numbers in place.
  let count = 0;
  for (let i = 0; i < runCount; i++) {
    const p = parent[i];
    parent[i] = p === i ? ++count : parent[p];
  }
  return { ...runs, component: parent, count };
}

/** Pixel count of every component, indexed by component number (index 0 unused). */
export function componentAreas(runs: RunComponents): Float64Array {
  const areas = new Float64Array(runs.count + 1);
  const { start, end, component } = runs;
  for (let i = 0; i < runs.runCount; i++) areas[component[i]] += end[i] - start[i];
  return areas;
}

/** Throws unless `connectivity` is 1 or 2. */
export function checkConnectivity(connectivity: unknown): 1 | 2 {
  if (connectivity !== 1 && connectivity !== 2) {
    throw new InvalidArgumentError(`connectivity must be 1 or 2, got ${String(connectivity)}`);
  }
  return connectivity;
}

/** Paints every run with its component number. */
export function runsToLabels(runs: RunComponents): Labels {
  const { width, height, rowStart, start, end, component } = runs;
  const data = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    const offset = y * width;
    for (let i = rowStart[y]; i < rowStart[y + 1]; i++) {
      const id = component[i];
      for (let x = offset + start[i], stop = offset + end[i]; x < stop; x++) data[x] = id;
    }
  }
  return { width, height, data };
}

/** Sets the pixels of every run whose component is flagged in `selected` to `value`. */
export function paintRuns(
  runs: RunComponents,
  selected: Uint8Array,
  out: Uint8Array,
  value: number,
): void {
  const { width, height, rowStart, start, end, component } = runs;
  for (let y = 0; y < height; y++) {
    const offset = y * width;
    for (let i = rowStart[y]; i < rowStart[y + 1]; i++) {
      if (selected[component[i]] === 1) out.fill(value, offset + start[i], offset + end[i]);
    }
  }
}
