import { InvalidArgumentError } from '../errors.js';
import { createLabels } from '../image/plane.js';
import type { Labels } from '../image/types.js';
import { MAX_LABEL } from './label-ids.js';

/** `paint` writes the brush's label, `erase` writes background (0). */
export type PaintMode = 'paint' | 'erase';

/** A point of a stroke in image pixels: x is the column, y the row. */
export interface StrokePoint {
  x: number;
  y: number;
}

export interface PaintStrokeOptions {
  /**
   * Brush radius in pixels: a stamp covers every pixel whose centre lies within `radius` of the
   * stamp's centre pixel (dx² + dy² ≤ radius²), so 0 is a single pixel, 1 a plus of 5 pixels.
   */
  radius: number;
  /**
   * The label to paint (≥ 1). When erasing with `preserveOthers`, the label to erase, or 0 to
   * erase any label; otherwise ignored by `erase`.
   */
  value: number;
  /** @default 'paint' */
  mode?: PaintMode;
  /**
   * Leave other objects alone, as napari's "preserve labels": paint only writes to background and
   * to pixels already of `value`; erase only clears pixels of `value` (or every label when
   * `value` is 0). With `false` the brush overwrites whatever it covers.
   * @default true
   */
  preserveOthers?: boolean;
}

export interface PaintStrokeResult {
  /** A copy of the input with the stroke applied. */
  labels: Labels;
  /** How many pixels now hold a different value than before. */
  changed: number;
}

/**
 * Applies one brush stroke, as a mouse drag in napari's or the Cellpose GUI's label painter: a
 * filled disk is stamped at each point and at every pixel of the straight line between
 * consecutive points (one stamp per step of the longer axis, so consecutive stamps are at most
 * one pixel apart and a fast drag leaves no gaps).
 *
 * Point coordinates are floored to the pixel they fall in, as `labelsAt` does; integer
 * coordinates name pixels directly. Points outside the image are allowed: the stroke is clipped
 * to the image. Only the stroke's bounding box is visited after one copy of the pixels, so the
 * cost grows with the stroke's length × brush diameter, not with the image. The input is not
 * changed.
 */
export function paintStroke(
  labels: Labels,
  points: readonly StrokePoint[],
  options: PaintStrokeOptions,
): PaintStrokeResult {
  const { radius, value } = options;
  const mode = options.mode ?? 'paint';
  const preserveOthers = options.preserveOthers ?? true;
  checkOptions(radius, value, mode);
  const centres = pixelsOf(points);

  const { width, height } = labels;
  const out = createLabels(width, height, labels.data.slice());
  const reach = Math.floor(radius);
  const box = strokeBox(centres, reach, width, height);
  if (box === undefined) return { labels: out, changed: 0 };

  const covered = new CoverMask(box, radius);
  // A single point is a segment of no length; otherwise one segment per consecutive pair.
  const segments = Math.max(1, centres.length / 2 - 1);
  for (let s = 0; s < segments; s++) {
    const end = Math.min(2 * s + 2, centres.length - 2);
    const from = { x: centres[2 * s], y: centres[2 * s + 1] };
    stampSegment(from, { x: centres[end], y: centres[end + 1] }, box, reach, covered);
  }

  const erase = mode === 'erase';
  const written = erase ? 0 : value;
  const overwritesAll = !preserveOthers || (erase && value === 0);
  // With preserveOthers, paint may only replace background and erase only `value`.
  const replaceable = erase ? value : 0;
  const data = out.data;
  let changed = 0;
  for (let row = 0; row < covered.rows; row++) {
    const first = covered.rowFirst[row];
    const last = covered.rowLast[row];
    const maskRow = row * covered.columns;
    const imageRow = (box.y0 + row) * width + box.x0;
    for (let column = first; column <= last; column++) {
      if (covered.mask[maskRow + column] === 0) continue;
      const old = data[imageRow + column];
      if (old !== written && (overwritesAll || old === replaceable)) {
        data[imageRow + column] = written;
        changed++;
      }
    }
  }
  return { labels: out, changed };
}

/** The part of the image a stroke can reach, inclusive pixel bounds. */
interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function checkOptions(radius: number, value: number, mode: string): void {
  if (!(Number.isFinite(radius) && radius >= 0)) {
    throw new InvalidArgumentError(`brush radius must be a finite number ≥ 0, got ${radius}`, {
      hint: 'radius 0 paints single pixels',
    });
  }
  if (mode !== 'paint' && mode !== 'erase') {
    throw new InvalidArgumentError(`unknown paint mode '${mode}'`, {
      hint: "use 'paint' or 'erase'",
    });
  }
  if (!Number.isInteger(value) || value < 0 || value > MAX_LABEL) {
    throw new InvalidArgumentError(`brush label ${value} is not a label value`, {
      hint: `labels are integers from 0 to ${MAX_LABEL}`,
    });
  }
  if (mode === 'paint' && value === 0) {
    throw new InvalidArgumentError('painting label 0 would erase', {
      hint: "use mode 'erase' to clear pixels",
    });
  }
}

/** The points floored to pixels, as [x0, y0, x1, y1, …]. */
function pixelsOf(points: readonly StrokePoint[]): Float64Array {
  if (!Array.isArray(points)) {
    throw new InvalidArgumentError(`stroke points must be an array, got ${typeof points}`);
  }
  const pixels = new Float64Array(points.length * 2);
  points.forEach((point, i) => {
    // Safe integers keep the line's step arithmetic exact; NaN fails the comparison too.
    if (!(
      Math.abs(point?.x) <= Number.MAX_SAFE_INTEGER && Math.abs(point?.y) <= Number.MAX_SAFE_INTEGER
    )) {
      throw new InvalidArgumentError(
        `stroke point ${i} is not a position within ±2⁵³ px: ${JSON.stringify(point)}`,
        { hint: 'pass points as { x, y } in image pixels' },
      );
    }
    pixels[2 * i] = Math.floor(point.x);
    pixels[2 * i + 1] = Math.floor(point.y);
  });
  return pixels;
}

/** The stroke's bounding box grown by the brush and clipped to the image; undefined if outside. */
function strokeBox(
  centres: Float64Array,
  reach: number,
  width: number,
  height: number,
): Box | undefined {
  if (centres.length === 0 || width === 0 || height === 0) return undefined;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  // Line pixels are rounded blends of their end points, so the end points bound them.
  for (let p = 0; p < centres.length; p += 2) {
    minX = Math.min(minX, centres[p]);
    maxX = Math.max(maxX, centres[p]);
    minY = Math.min(minY, centres[p + 1]);
    maxY = Math.max(maxY, centres[p + 1]);
  }
  const box: Box = {
    x0: Math.max(0, minX - reach),
    y0: Math.max(0, minY - reach),
    x1: Math.min(width - 1, maxX + reach),
    y1: Math.min(height - 1, maxY + reach),
  };
  return box.x0 > box.x1 || box.y0 > box.y1 ? undefined : box;
}

/**
 * Stamps every pixel of the line from pixel a to pixel b, one step of the longer axis at a time;
 * steps whose brush cannot reach `box` are skipped, so a segment from far outside the image costs
 * only its part near the image.
 */
function stampSegment(
  { x: ax, y: ay }: StrokePoint,
  { x: bx, y: by }: StrokePoint,
  box: Box,
  reach: number,
  covered: CoverMask,
): void {
  const dx = bx - ax;
  const dy = by - ay;
  const steps = Math.max(Math.abs(dx), Math.abs(dy));
  let first = 0;
  let last = steps;
  // Keep the steps whose centre lies in the box grown by the brush, +1 for the rounding.
  const grow = reach + 1;
  for (const [start, delta, low, high] of [
    [ax, dx, box.x0, box.x1],
    [ay, dy, box.y0, box.y1],
  ] as const) {
    const lo = low - grow;
    const hi = high + grow;
    if (delta === 0) {
      if (start < lo || start > hi) return;
      continue;
    }
    const kLow = ((delta > 0 ? lo : hi) - start) * (steps / delta);
    const kHigh = ((delta > 0 ? hi : lo) - start) * (steps / delta);
    first = Math.max(first, Math.floor(kLow));
    last = Math.min(last, Math.ceil(kHigh));
  }
  // Zero steps (a lone point) still stamps once; `|| 1` keeps 0 / 0 out of it.
  const divisor = steps || 1;
  for (let k = first; k <= last; k++) {
    covered.stamp(ax + Math.round((k * dx) / divisor), ay + Math.round((k * dy) / divisor));
  }
  covered.endSegment();
}

/** Which pixels of the box the brush has covered, with each row's covered column range. */
class CoverMask {
  readonly columns: number;
  readonly rows: number;
  readonly mask: Uint8Array;
  readonly rowFirst: Int32Array;
  readonly rowLast: Int32Array;
  private readonly box: Box;
  private readonly reach: number;
  private readonly radiusSquared: number;
  /** Half widths of the disk's rows by |dy|, for brushes up to a size worth a table. */
  private readonly halfWidths: Int32Array;
  // Consecutive stamps of a segment are ≤ 1 px apart, so their spans on a row overlap or touch:
  // the segment covers one interval per row, marked once when the segment ends.
  private readonly spanFrom: Int32Array;
  private readonly spanTo: Int32Array;
  private spanTop: number;
  private spanBottom = -1;

  constructor(box: Box, radius: number) {
    this.box = box;
    this.columns = box.x1 - box.x0 + 1;
    this.rows = box.y1 - box.y0 + 1;
    this.mask = new Uint8Array(this.columns * this.rows);
    this.rowFirst = new Int32Array(this.rows).fill(this.columns);
    this.rowLast = new Int32Array(this.rows).fill(-1);
    this.spanFrom = new Int32Array(this.rows).fill(this.columns);
    this.spanTo = new Int32Array(this.rows).fill(-1);
    this.spanTop = this.rows;
    this.reach = Math.floor(radius);
    this.radiusSquared = radius * radius;
    this.halfWidths = new Int32Array(Math.min(this.reach, 4096) + 1);
    for (let dy = 0; dy < this.halfWidths.length; dy++) {
      this.halfWidths[dy] = halfWidthOf(this.radiusSquared, dy);
    }
  }

  /** Adds the disk around pixel (x, y) to the current segment's row spans. */
  stamp(x: number, y: number): void {
    const { box, reach } = this;
    if (x + reach < box.x0 || x - reach > box.x1 || y + reach < box.y0 || y - reach > box.y1) {
      return;
    }
    const top = Math.max(y - reach, box.y0);
    const bottom = Math.min(y + reach, box.y1);
    for (let row = top; row <= bottom; row++) {
      const dy = row > y ? row - y : y - row;
      const half =
        dy < this.halfWidths.length ? this.halfWidths[dy] : halfWidthOf(this.radiusSquared, dy);
      const from = Math.max(x - half, box.x0) - box.x0;
      const to = Math.min(x + half, box.x1) - box.x0;
      if (from > to) continue;
      const r = row - box.y0;
      if (from < this.spanFrom[r]) this.spanFrom[r] = from;
      if (to > this.spanTo[r]) this.spanTo[r] = to;
      if (r < this.spanTop) this.spanTop = r;
      if (r > this.spanBottom) this.spanBottom = r;
    }
  }

  /** Marks the current segment's spans in the mask and starts an empty segment. */
  endSegment(): void {
    for (let r = this.spanTop; r <= this.spanBottom; r++) {
      const from = this.spanFrom[r];
      const to = this.spanTo[r];
      if (from > to) continue;
      this.mask.fill(1, r * this.columns + from, r * this.columns + to + 1);
      if (from < this.rowFirst[r]) this.rowFirst[r] = from;
      if (to > this.rowLast[r]) this.rowLast[r] = to;
      this.spanFrom[r] = this.columns;
      this.spanTo[r] = -1;
    }
    this.spanTop = this.rows;
    this.spanBottom = -1;
  }
}

/** The largest integer dx with dx² + dy² ≤ r², exact despite the square root's rounding. */
function halfWidthOf(radiusSquared: number, dy: number): number {
  const room = radiusSquared - dy * dy;
  let half = Math.floor(Math.sqrt(room));
  while ((half + 1) * (half + 1) <= room) half++;
  while (half > 0 && half * half > room) half--;
  return half;
}
