import type { Labels } from '../image/types.js';
import type { RegionSums } from './accumulate.js';
import { PERIMETER_SLOT_OF, PERIMETER_SLOTS } from './shape/perimeter.js';

/**
 * The second pass of `regionprops`, for the shape properties that need more than sums: one
 * raster scan of the label image that gathers, for every object at once,
 * - its perimeter's boundary-pixel counts (skimage's `perimeter` with 4-neighbourhood erosion,
 *   as `perimeter(mask)` computes it on the object's crop), and
 * - its first and last column on each row of its bbox, all the convex hull and the Feret
 *   diameters need.
 * Measuring on the label image itself spares building each object's crop: a pixel belongs to the
 * object when it holds the object's label, and pixels outside the bbox never do, so the crop's
 * zero frame and the image's other labels play the same part.
 *
 * Internal to the measure module.
 */

export interface OutlineOptions {
  perimeter?: boolean;
  rowExtents?: boolean;
}

export interface OutlineSums {
  /** Boundary pixels per object and perimeter slot: `[object * PERIMETER_SLOTS + slot]`. */
  readonly perimeterCounts: Int32Array;
  /** Object k's rows r0 … r1 − 1 of its bbox are at `rowStart[k] + (r − r0)` in `rowLo`/`rowHi`. */
  readonly rowStart: Int32Array;
  /** First and last column of the object on that row, relative to its bbox; `lo > hi` if none. */
  readonly rowLo: Int32Array;
  readonly rowHi: Int32Array;
}

export function outlinePass(
  labels: Labels,
  sums: RegionSums,
  options: OutlineOptions,
): OutlineSums {
  const { width, height, data } = labels;
  const { count, bbox, indexOf } = sums;
  const wantPerimeter = options.perimeter ?? false;
  const wantRows = options.rowExtents ?? false;

  const rowStart = new Int32Array(wantRows ? count : 0);
  let rows = 0;
  if (wantRows) {
    for (let k = 0; k < count; k++) {
      rowStart[k] = rows;
      rows += bbox[4 * k + 2] - bbox[4 * k];
    }
  }
  const rowLo = new Int32Array(rows);
  const rowHi = new Int32Array(rows).fill(-1);
  const perimeterCounts = new Int32Array(wantPerimeter ? count * PERIMETER_SLOTS : 0);

  // Boundary flags of rows r − 1, r, r + 1 (the erosion of row r needs its neighbours).
  let above = new Uint8Array(width);
  let here = new Uint8Array(width);
  let below = new Uint8Array(width);
  if (wantPerimeter && height > 0) boundaryRow(labels, 0, here);

  let lastLabel = 0;
  let k = -1;
  for (let r = 0; r < height; r++) {
    if (wantPerimeter) {
      if (r + 1 < height) boundaryRow(labels, r + 1, below);
      else below.fill(0);
    }
    const row = r * width;
    let c = 0;
    while (c < width) {
      const label = data[row + c];
      if (label === 0) {
        c++;
        continue;
      }
      const start = c;
      do c++;
      while (c < width && data[row + c] === label);
      const end = c - 1;
      if (label !== lastLabel) {
        k = indexOf.get(label) as number;
        lastLabel = label;
      }
      if (wantRows) {
        const j = rowStart[k] + r - bbox[4 * k];
        if (rowHi[j] < 0) rowLo[j] = start - bbox[4 * k + 1];
        rowHi[j] = end - bbox[4 * k + 1];
      }
      if (wantPerimeter) {
        countBoundary(labels, r, start, end, above, here, below, perimeterCounts, k);
      }
    }
    const spare = above;
    above = here;
    here = below;
    below = spare;
  }
  return { perimeterCounts, rowStart, rowLo, rowHi };
}

/**
 * Flags row r's boundary pixels: object pixels with a 4-neighbour of another label (or outside
 * the image), i.e. those that erosion with the cross removes. Run ends always are.
 */
function boundaryRow(labels: Labels, r: number, out: Uint8Array): void {
  const { width, height, data } = labels;
  out.fill(0);
  const row = r * width;
  const edgeRow = r === 0 || r === height - 1;
  let c = 0;
  while (c < width) {
    const label = data[row + c];
    if (label === 0) {
      c++;
      continue;
    }
    const start = c;
    do c++;
    while (c < width && data[row + c] === label);
    out[start] = 1;
    out[c - 1] = 1;
    for (let x = start + 1; x < c - 1; x++) {
      const i = row + x;
      if (edgeRow || data[i - width] !== label || data[i + width] !== label) out[x] = 1;
    }
  }
}

/**
 * Adds the boundary pixels of one run (row r, columns start…end, object k) to the object's
 * perimeter slots: each pixel's code counts its edge and corner neighbours that are boundary
 * pixels of the same object.
 */
function countBoundary(
  labels: Labels,
  r: number,
  start: number,
  end: number,
  above: Uint8Array,
  here: Uint8Array,
  below: Uint8Array,
  counts: Int32Array,
  k: number,
): void {
  const { width, height, data } = labels;
  const row = r * width;
  const label = data[row + start];
  const hasAbove = r > 0;
  const hasBelow = r + 1 < height;
  const base = k * PERIMETER_SLOTS;
  for (let x = start; x <= end; x++) {
    if (here[x] === 0) continue;
    const i = row + x;
    // Within the run, left and right neighbours hold the label; past its ends they do not.
    let edges = (x > start ? here[x - 1] : 0) + (x < end ? here[x + 1] : 0);
    let corners = 0;
    if (hasAbove) {
      const j = i - width;
      if (above[x] !== 0 && data[j] === label) edges++;
      if (x > 0 && above[x - 1] !== 0 && data[j - 1] === label) corners++;
      if (x + 1 < width && above[x + 1] !== 0 && data[j + 1] === label) corners++;
    }
    if (hasBelow) {
      const j = i + width;
      if (below[x] !== 0 && data[j] === label) edges++;
      if (x > 0 && below[x - 1] !== 0 && data[j - 1] === label) corners++;
      if (x + 1 < width && below[x + 1] !== 0 && data[j + 1] === label) corners++;
    }
    const slot = PERIMETER_SLOT_OF[1 + 2 * edges + 10 * corners];
    if (slot >= 0) counts[base + slot]++;
  }
}
