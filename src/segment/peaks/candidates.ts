// The candidate scan of peakLocalMax: pixels equal to their neighbourhood maximum (scipy's
// maximum_filter, mode 'constant'), above the threshold and off the border.

/** Rectangular or general neighbourhood of the maximum filter, as offsets from its centre. */
export interface Footprint {
  /** Number of elements of the footprint array, set or not (skimage tests `footprint.size == 1`). */
  readonly size: number;
  readonly height: number;
  readonly width: number;
  /** Every element is set: the filter separates into a row and a column pass. */
  readonly full: boolean;
  readonly dRow: Int32Array;
  readonly dCol: Int32Array;
}

export interface Border {
  rows: number;
  cols: number;
}

/**
 * skimage `_get_peak_mask` then `_exclude_border`, as raster-ordered indices: pixels equal to
 * their neighbourhood maximum and above the threshold; none if every pixel (of `region`) is such
 * a maximum, except the pixels of `region` that a cross-shaped binary opening removes.
 */
export function peakCandidates(
  values: ArrayLike<number>,
  width: number,
  height: number,
  footprint: Footprint,
  threshold: number,
  region: Uint8Array | undefined,
  border: Border,
): number[] {
  const n = width * height;
  const scan: Scan = { values, width, height, threshold, region, border, out: [], trivial: true };
  if (footprint.size === 1 || n === 1) {
    for (let i = 0; i < n; i++) if (values[i] > threshold) keep(scan, i);
    return scan.out;
  }
  if (footprint.full) rectangleMaxima(scan, footprint.width, footprint.height);
  else footprintMaxima(scan, footprint);
  if (!scan.trivial) return scan.out;
  const isolated: number[] = [];
  if (region !== undefined) {
    scan.out = isolated;
    for (const i of isolatedPixels(region, width, height)) if (values[i] > threshold) keep(scan, i);
  }
  return isolated;
}

/** The state of one candidate scan. */
interface Scan {
  values: ArrayLike<number>;
  width: number;
  height: number;
  threshold: number;
  region: Uint8Array | undefined;
  border: Border;
  out: number[];
  /** Every pixel (of the region) so far equals its neighbourhood maximum. */
  trivial: boolean;
}

/** Takes pixel `i` with neighbourhood maximum `max`. */
function consider(scan: Scan, i: number, max: number): void {
  const v = scan.values[i];
  if (v === max) {
    if (v > scan.threshold) keep(scan, i);
  } else if (scan.region === undefined || scan.region[i] !== 0) scan.trivial = false;
}

function keep(scan: Scan, i: number): void {
  const { width, height, border } = scan;
  const r = Math.floor(i / width);
  const c = i - r * width;
  if (r < border.rows || r >= height - border.rows) return;
  if (c < border.cols || c >= width - border.cols) return;
  scan.out.push(i);
}

/**
 * scipy `maximum_filter(mode='constant', cval=0)` with a full `fw × fh` rectangle, separably:
 * window maxima along rows, then along columns, a strip of rows at a time so the buffers stay
 * in cache (whole-image passes would be bound by memory, not by comparisons).
 */
function rectangleMaxima(scan: Scan, fw: number, fh: number): void {
  const { values, width, height } = scan;
  const above = fh >> 1;
  const strip = Math.min(height, 64);
  const buffer = new Float64Array((strip + fh - 1) * width);
  const line = new Float64Array(width + fw - 1);
  for (let top = 0; top < height; top += strip) {
    const count = Math.min(strip, height - top);
    const used = (count + fh - 1) * width;
    for (let j = 0; j < count + fh - 1; j++) {
      const r = top - above + j;
      // rows beyond the edge are the constant 0
      if (r < 0 || r >= height) buffer.fill(0, j * width, (j + 1) * width);
      else rowMaxima(values, r * width, width, fw, line, buffer, j * width);
    }
    const span = doubleWindows(buffer, used, fh, width);
    const shift = (fh - span) * width;
    for (let j = 0; j < count; j++) {
      for (let c = 0; c < width; c++) {
        const a = buffer[j * width + c];
        const b = buffer[j * width + c + shift];
        consider(scan, (top + j) * width + c, b > a ? b : a);
      }
    }
  }
}

/** Window maxima of one row (`k >> 1` before each pixel, zeros beyond the ends) into `out`. */
function rowMaxima(
  values: ArrayLike<number>,
  start: number,
  width: number,
  k: number,
  line: Float64Array,
  out: Float64Array,
  at: number,
): void {
  const before = k >> 1;
  line.fill(0);
  for (let c = 0; c < width; c++) line[before + c] = values[start + c];
  const span = doubleWindows(line, line.length, k, 1);
  const shift = k - span;
  for (let c = 0; c < width; c++) {
    const a = line[c];
    const b = line[c + shift];
    out[at + c] = b > a ? b : a;
  }
}

/**
 * Turns `buffer[i]` into the maximum of the `span` samples from i on (samples `unit` apart) by
 * doubling, for the largest power of two `span ≤ k`, and returns it: two such windows then
 * cover any window of `k`. Positions whose window would run past the end are never read back.
 */
function doubleWindows(buffer: Float64Array, used: number, k: number, unit: number): number {
  let span = 1;
  for (; 2 * span <= k; span *= 2) {
    // ascending i reads only samples not yet updated in this pass
    const shift = span * unit;
    for (let i = 0; i < used - shift; i++) {
      const b = buffer[i + shift];
      if (b > buffer[i]) buffer[i] = b;
    }
  }
  return span;
}

/** scipy `maximum_filter(mode='constant', cval=0)` with any footprint, pixel by pixel. */
function footprintMaxima(scan: Scan, footprint: Footprint): void {
  const { values, width, height } = scan;
  const { dRow, dCol } = footprint;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      let m = -Infinity;
      for (let k = 0; k < dRow.length; k++) {
        const rr = r + dRow[k];
        const cc = c + dCol[k];
        const v = rr >= 0 && rr < height && cc >= 0 && cc < width ? values[rr * width + cc] : 0;
        if (v > m) m = v;
      }
      consider(scan, r * width + c, m);
    }
  }
}

/** Pixels of `region` that a binary opening with the 4-neighbour cross removes (scipy defaults: outside = 0), in raster order. */
function isolatedPixels(region: Uint8Array, width: number, height: number): number[] {
  const eroded = new Uint8Array(width * height);
  for (let r = 1; r < height - 1; r++) {
    for (let c = 1; c < width - 1; c++) {
      const i = r * width + c;
      if (
        region[i] !== 0 &&
        region[i - width] !== 0 &&
        region[i + width] !== 0 &&
        region[i - 1] !== 0 &&
        region[i + 1] !== 0
      ) {
        eroded[i] = 1;
      }
    }
  }
  const out: number[] = [];
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      if (region[i] === 0) continue;
      const opened =
        eroded[i] !== 0 ||
        (r > 0 && eroded[i - width] !== 0) ||
        (r < height - 1 && eroded[i + width] !== 0) ||
        (c > 0 && eroded[i - 1] !== 0) ||
        (c < width - 1 && eroded[i + 1] !== 0);
      if (!opened) out.push(i);
    }
  }
  return out;
}
