import { InvalidArgumentError } from '../../errors.js';
import type { Labels, Mask, PixelArray, Plane } from '../../image/types.js';
import { peakCandidates, type Footprint } from './candidates.js';
import { numpyArgsort } from './numpy-argsort.js';
import { checkImage } from '../../image/validate.js';

/** A peak position as scikit-image returns it: `[row, col]`, 0-based. */
export type PeakCoordinate = [row: number, col: number];

export interface PeakLocalMaxOptions {
  /**
   * Smallest distance allowed between two peaks (peaks closer than this, in the `pNorm`
   * metric, are suppressed in favour of the higher one). Also sets the square neighbourhood
   * `(2·minDistance+1)²` of the maximum filter when no `footprint` is given.
   * @default 1
   */
  minDistance?: number;
  /** Peaks must be strictly above this. @default the image minimum */
  thresholdAbs?: number;
  /** Peaks must be strictly above `thresholdRel × max(image)` (and above `thresholdAbs`). */
  thresholdRel?: number;
  /**
   * Width of the border where peaks are not reported: `true` means `minDistance`, `false` 0, a
   * number that many pixels on every side, a pair `[rows, cols]` per axis.
   * @default true
   */
  excludeBorder?: boolean | number | readonly [rows: number, cols: number];
  /** Neighbourhood of the maximum filter (centre at `[height >> 1, width >> 1]`). @default a square of side 2·minDistance+1 */
  footprint?: Mask;
  /** Look for peaks in each object separately (0 = background, never searched). */
  labels?: Labels;
  /** At most this many peaks in all, the highest first. @default Infinity */
  numPeaks?: number;
  /** At most this many peaks per label (with `labels`). @default Infinity */
  numPeaksPerLabel?: number;
  /** Minkowski p of the distance used by `minDistance` (1, 2, …, Infinity = Chebyshev). @default Infinity */
  pNorm?: number;
}

/**
 * Coordinates of local maxima, with the semantics of `skimage.feature.peak_local_max`
 * (scikit-image 0.19.3): a pixel is a candidate where it equals the maximum filter of the image
 * over `footprint` (pixels outside the image count as 0, as scipy's `mode='constant'`) and is
 * strictly above the threshold; if every pixel equals its neighbourhood maximum (a flat image)
 * there are none; candidates within `excludeBorder` of the edge are dropped; the rest are taken
 * by decreasing value, each suppressing later candidates closer than `minDistance`.
 *
 * With `labels`, each label is searched on its own bounding box (taken after the border is
 * removed; beyond the box counts as 0) with the other pixels of the box set to the dtype's
 * minimum, so peaks of one object never suppress those of another; a flat object has no peaks
 * but its one-pixel-thin parts (what a cross-shaped opening removes); results come label by
 * label, ascending. When more than `numPeaks` are found, the union is selected again over the
 * whole image, and then peaks of different objects do suppress each other.
 *
 * Order among equal values: skimage takes the candidates (in raster order) in the order of
 * NumPy's `argsort(-values)`, whose default quicksort is not stable; that order decides which of
 * two equal candidates closer than `minDistance` survives. It is reproduced here exactly with
 * NumPy 1.24's introsort (`numpyArgsort`) wherever skimage sorts (the whole image, each label's
 * box, the union re-selected for `numPeaks`), so peaks and their order are those of skimage
 * 0.19.3 with NumPy 1.24 on any CPU. (NumPy ≥ 1.25 on AVX-512 CPUs, ≥ 2.0 also on AVX2 ones,
 * argsorts 32- and 64-bit values with another algorithm, and its order of ties can differ.) Ties
 * among fewer than 17 candidates stay in raster order, as NumPy insertion-sorts those.
 *
 * @returns `[row, col]` pairs, highest first (label by label when `labels` is given).
 */
export function peakLocalMax(image: Plane, options: PeakLocalMaxOptions = {}): PeakCoordinate[] {
  const { width, height, data } = image;
  const minDistance = options.minDistance ?? 1;
  if (!Number.isInteger(minDistance) || minDistance < 0) {
    throw new InvalidArgumentError(
      `minDistance must be a non-negative integer, got ${minDistance}`,
    );
  }
  const numPeaks = countOption('numPeaks', options.numPeaks);
  const numPeaksPerLabel = countOption('numPeaksPerLabel', options.numPeaksPerLabel);
  const pNorm = options.pNorm ?? Infinity;
  if (!(pNorm >= 1)) throw new InvalidArgumentError(`pNorm must be ≥ 1, got ${pNorm}`);
  checkImage(image, 'image');
  const [borderRows, borderCols] = borderWidths(options.excludeBorder ?? true, minDistance);
  const footprint = footprintOf(options.footprint, minDistance);
  if (data.length === 0) return [];
  const threshold = thresholdOf(data, options.thresholdAbs, options.thresholdRel);
  const key = sortKey(data);

  const { labels } = options;
  if (labels === undefined) {
    const border = { rows: borderRows, cols: borderCols };
    const candidates = peakCandidates(data, width, height, footprint, threshold, undefined, border);
    const order = byValue(candidates, data, key);
    return toCoordinates(ensureSpacing(order, width, height, minDistance, pNorm, numPeaks), width);
  }

  if (labels.width !== width || labels.height !== height) {
    throw new InvalidArgumentError(
      `labels are ${labels.width} × ${labels.height}, the image ${width} × ${height}`,
    );
  }
  const peaks: number[] = [];
  for (const box of labelBoxes(labels, borderRows, borderCols)) {
    const selection = { footprint, threshold, key, minDistance, pNorm, maxOut: numPeaksPerLabel };
    for (const p of labelPeaks(image, labels.data, box, selection)) peaks.push(p);
  }
  if (peaks.length <= numPeaks) return toCoordinates(peaks, width);
  // skimage re-runs its peak selection on the union over the whole image when num_peaks is exceeded
  const union = Float64Array.from(new Set(peaks)).sort();
  const order = byValue(union, data, key);
  return toCoordinates(ensureSpacing(order, width, height, minDistance, pNorm, numPeaks), width);
}

function countOption(name: string, value: number | undefined): number {
  const n = value ?? Infinity;
  if (n !== Infinity && !(Number.isInteger(n) && n >= 0)) {
    throw new InvalidArgumentError(`${name} must be a non-negative integer or Infinity, got ${n}`);
  }
  return n;
}

/** skimage `_get_excluded_border_width`. */
function borderWidths(
  exclude: NonNullable<PeakLocalMaxOptions['excludeBorder']>,
  minDistance: number,
): [number, number] {
  if (typeof exclude === 'boolean') {
    const w = exclude ? minDistance : 0;
    return [w, w];
  }
  const pair: readonly number[] = typeof exclude === 'number' ? [exclude, exclude] : exclude;
  if (pair.length !== 2 || !pair.every((w) => Number.isInteger(w) && w >= 0)) {
    throw new InvalidArgumentError(
      `excludeBorder must be a boolean, a non-negative integer or [rows, cols] of them, got ${String(exclude)}`,
    );
  }
  return [pair[0], pair[1]];
}

function footprintOf(mask: Mask | undefined, minDistance: number): Footprint {
  const height = mask?.height ?? 2 * minDistance + 1;
  const width = mask?.width ?? 2 * minDistance + 1;
  if (mask !== undefined && mask.data.length !== width * height) {
    throw new InvalidArgumentError(
      `footprint data has ${mask.data.length} elements, expected ${width} × ${height}`,
    );
  }
  if (width === 0 || height === 0) throw new InvalidArgumentError('footprint is empty');
  const dRow: number[] = [];
  const dCol: number[] = [];
  // scipy centres a footprint at shape // 2 (origin 0)
  const cRow = height >> 1;
  const cCol = width >> 1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (mask === undefined || mask.data[r * width + c] !== 0) {
        dRow.push(r - cRow);
        dCol.push(c - cCol);
      }
    }
  }
  if (dRow.length === 0) throw new InvalidArgumentError('footprint has no pixel set');
  return {
    size: width * height,
    height,
    width,
    full: dRow.length === width * height,
    dRow: Int32Array.from(dRow),
    dCol: Int32Array.from(dCol),
  };
}

/** skimage `_get_threshold`: the image minimum unless given, raised to `rel × max`. */
function thresholdOf(data: PixelArray, abs: number | undefined, rel: number | undefined): number {
  let min = Infinity;
  let max = -Infinity;
  if (abs === undefined || rel !== undefined) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  let threshold = abs ?? min;
  if (rel !== undefined) {
    const t = rel * max;
    if (t > threshold) threshold = t;
  }
  // NumPy 1.x compares a float32 array with a Python float in float32
  return data instanceof Float32Array ? Math.fround(threshold) : threshold;
}

/**
 * The value NumPy's `argsort(-values)` sorts by, ascending: `-v` computed in the image dtype,
 * so unsigned 0 and the signed minimum wrap around to the front, as they do in skimage.
 */
function sortKey(data: PixelArray): (v: number) => number {
  if (data instanceof Uint8Array) return (v) => (v === 0 ? 0 : 256 - v);
  if (data instanceof Uint16Array) return (v) => (v === 0 ? 0 : 65536 - v);
  if (data instanceof Uint32Array) return (v) => (v === 0 ? 0 : 4294967296 - v);
  if (data instanceof Int8Array) return (v) => (v === -128 ? v : -v);
  if (data instanceof Int16Array) return (v) => (v === -32768 ? v : -v);
  if (data instanceof Int32Array) return (v) => (v === -2147483648 ? v : -v);
  return (v) => -v;
}

/** What skimage writes outside the label in a label's box: the dtype's minimum. */
function backgroundOf(data: PixelArray): number {
  if (data instanceof Int8Array) return -128;
  if (data instanceof Int16Array) return -32768;
  if (data instanceof Int32Array) return -2147483648;
  if (data instanceof Float32Array) return -3.4028234663852886e38;
  if (data instanceof Float64Array) return -Number.MAX_VALUE;
  return 0;
}

/** Pixels of the border band, where skimage's `_exclude_border` drops candidates. */
/**
 * Candidates by decreasing value, as skimage's `np.argsort(-intensities)` orders them: `raster`
 * (ascending, as `np.nonzero` lists them) sorted on the key by NumPy 1.24's unstable quicksort,
 * so equal values come in the order that sort leaves them, not necessarily in raster order.
 */
function byValue(
  raster: ArrayLike<number>,
  values: ArrayLike<number>,
  key: (v: number) => number,
): Uint32Array {
  const count = raster.length;
  const keys = new Float64Array(count);
  for (let j = 0; j < count; j++) keys[j] = key(values[raster[j]]);
  const order = numpyArgsort(keys);
  for (let j = 0; j < count; j++) order[j] = raster[order[j]];
  return order;
}

/**
 * skimage `ensure_spacing`: walks `order` and keeps a point unless a kept one lies closer than
 * `spacing` (strictly); a grid of `spacing`-sized cells replaces the KD-tree, since only the
 * 3 × 3 cells around a point can hold one that close.
 */
function ensureSpacing(
  order: ArrayLike<number>,
  width: number,
  height: number,
  spacing: number,
  pNorm: number,
  maxOut: number,
): number[] {
  const kept: number[] = [];
  const limit = Math.min(order.length, maxOut);
  // distinct integer points are at least 1 apart in every p-norm
  if (spacing <= 1) {
    for (let j = 0; j < limit; j++) kept.push(order[j]);
    return kept;
  }
  const gridCols = Math.ceil(width / spacing);
  const gridRows = Math.ceil(height / spacing);
  const head = new Int32Array(gridCols * gridRows).fill(-1);
  const next: number[] = [];
  const keptRow: number[] = [];
  const keptCol: number[] = [];
  for (let j = 0; j < order.length && kept.length < maxOut; j++) {
    const index = order[j];
    const row = Math.floor(index / width);
    const col = index - row * width;
    const gr = Math.floor(row / spacing);
    const gc = Math.floor(col / spacing);
    let near = false;
    for (let r = Math.max(gr - 1, 0); r <= Math.min(gr + 1, gridRows - 1) && !near; r++) {
      for (let c = Math.max(gc - 1, 0); c <= Math.min(gc + 1, gridCols - 1) && !near; c++) {
        for (let p = head[r * gridCols + c]; p !== -1; p = next[p]) {
          if (closer(keptRow[p] - row, keptCol[p] - col, spacing, pNorm)) {
            near = true;
            break;
          }
        }
      }
    }
    if (near) continue;
    const cell = gr * gridCols + gc;
    next.push(head[cell]);
    head[cell] = kept.length;
    keptRow.push(row);
    keptCol.push(col);
    kept.push(index);
  }
  return kept;
}

/** Minkowski distance of (dr, dc) < spacing, exactly for p = 1, 2, ∞ on integers. */
function closer(dr: number, dc: number, spacing: number, p: number): boolean {
  const a = Math.abs(dr);
  const b = Math.abs(dc);
  if (p === Infinity) return a < spacing && b < spacing;
  if (p === 1) return a + b < spacing;
  if (p === 2) return a * a + b * b < spacing * spacing;
  return (a ** p + b ** p) ** (1 / p) < spacing;
}

/** What the per-label search needs besides the label's box. */
interface Selection {
  footprint: Footprint;
  threshold: number;
  key: (v: number) => number;
  minDistance: number;
  pNorm: number;
  maxOut: number;
}

interface LabelBox {
  label: number;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** scipy `find_objects` of the labels with the border cleared: boxes by ascending label. */
function labelBoxes(labels: Labels, borderRows: number, borderCols: number): LabelBox[] {
  const { width, height, data } = labels;
  const boxes = new Map<number, LabelBox>();
  let last = 0;
  let box: LabelBox | undefined;
  for (let r = borderRows; r < height - borderRows; r++) {
    for (let c = borderCols; c < width - borderCols; c++) {
      const label = data[r * width + c];
      if (label === 0) continue;
      if (label !== last || box === undefined) {
        box = boxes.get(label);
        if (box === undefined) {
          box = { label, top: r, left: c, bottom: r, right: c };
          boxes.set(label, box);
        }
        last = label;
      }
      if (c < box.left) box.left = c;
      if (c > box.right) box.right = c;
      box.bottom = r;
    }
  }
  return [...boxes.values()].sort((a, b) => a.label - b.label);
}

/** Peaks of one label inside its box, as global raster indices (skimage's per-label loop). */
function labelPeaks(
  image: Plane,
  labels: Uint32Array,
  box: LabelBox,
  selection: Selection,
): number[] {
  const { width, data } = image;
  const boxWidth = box.right - box.left + 1;
  const boxHeight = box.bottom - box.top + 1;
  const values = new Float64Array(boxWidth * boxHeight);
  const region = new Uint8Array(boxWidth * boxHeight);
  const background = backgroundOf(data);
  for (let r = 0; r < boxHeight; r++) {
    for (let c = 0; c < boxWidth; c++) {
      const g = (box.top + r) * width + box.left + c;
      const inside = labels[g] === box.label;
      region[r * boxWidth + c] = inside ? 1 : 0;
      values[r * boxWidth + c] = inside ? data[g] : background;
    }
  }
  const { footprint, threshold, key, minDistance, pNorm, maxOut } = selection;
  const none = { rows: 0, cols: 0 };
  const candidates = peakCandidates(
    values,
    boxWidth,
    boxHeight,
    footprint,
    threshold,
    region,
    none,
  );
  const order = byValue(candidates, values, key);
  const kept = ensureSpacing(order, boxWidth, boxHeight, minDistance, pNorm, maxOut);
  return kept.map((i) => {
    const r = Math.floor(i / boxWidth);
    return (box.top + r) * width + box.left + (i - r * boxWidth);
  });
}

function toCoordinates(indices: ArrayLike<number>, width: number): PeakCoordinate[] {
  const out: PeakCoordinate[] = [];
  for (let j = 0; j < indices.length; j++) {
    const row = Math.floor(indices[j] / width);
    out.push([row, indices[j] - row * width]);
  }
  return out;
}

/**
 * Numbers peaks as `scipy.ndimage.label` numbers a mask with the peaks set: peaks that touch
 * edge-wise (the default cross structure, 4-connectivity) share one marker, diagonal ones do
 * not; markers are 1…n in the raster order of their first pixel.
 */
export function peaksToMarkers(
  peaks: ReadonlyArray<readonly [number, number]>,
  width: number,
  height: number,
): Labels {
  const data = new Uint32Array(width * height);
  const unvisited = 0xffffffff;
  for (const [row, col] of peaks) {
    if (
      !(Number.isInteger(row) && Number.isInteger(col)) ||
      row < 0 ||
      row >= height ||
      col < 0 ||
      col >= width
    ) {
      throw new InvalidArgumentError(
        `peak (${row}, ${col}) lies outside a ${width} × ${height} image`,
      );
    }
    data[row * width + col] = unvisited;
  }
  const starts = peaks.map(([row, col]) => row * width + col).sort((a, b) => a - b);
  const stack: number[] = [];
  let count = 0;
  for (const start of starts) {
    if (data[start] !== unvisited) continue;
    const label = ++count;
    data[start] = label;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const row = Math.floor(i / width);
      const col = i - row * width;
      const neighbours = [
        row > 0 ? i - width : -1,
        col > 0 ? i - 1 : -1,
        col < width - 1 ? i + 1 : -1,
        row < height - 1 ? i + width : -1,
      ];
      for (const j of neighbours) {
        if (j >= 0 && data[j] === unvisited) {
          data[j] = label;
          stack.push(j);
        }
      }
    }
  }
  return { width, height, data };
}
