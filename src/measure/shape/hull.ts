import type { RowExtents } from './row-extents.js';
import { hasPixels } from './row-extents.js';
import { intScratch } from './scratch.js';

/**
 * Convex hulls of the point sets behind `convex_hull_image` and `feret_diameter_max`, exactly, in
 * doubled integer coordinates (Y = 2·row, X = 2·col) so that pixel-edge midpoints and pixel
 * centres are both integers and every test is exact integer arithmetic.
 *
 * Both point sets are given per level Y by their smallest and largest X; the hull is the convex
 * envelope of the left ends (X as a convex function of Y) and of the right ends (concave), each
 * found by one monotone-chain pass in Y order — no sorting, O(levels).
 *
 * Internal to measure/shape. Every array returned is scratch: read it before the next call.
 */

/** Marks a level with no points. */
const NONE = 0x7fffffff;

// intScratch slots used here; quads and perimeter use 0, row extents 1 and 2, the hole fill 10.
const LEVEL_MIN = 3;
const LEVEL_MAX = 4;
const LEFT = 5;
const RIGHT = 6;
const POLY = 7;
const HULL_LO = 8;
const HULL_HI = 9;

/** Left and right boundary chains of a hull, top to bottom, as interleaved (Y, X) pairs. */
interface Chains {
  left: Int32Array;
  leftCount: number;
  right: Int32Array;
  rightCount: number;
}

/**
 * Levels Y = 2·r − 1 … 2·r + 1 for rows r = 0 … height − 1: index Y + 1 in `0 … 2·height`.
 */
function levelCount(height: number): number {
  return 2 * height + 1;
}

/**
 * The lower (`sign` 1) or upper (`sign` −1) envelope of the points (Y, x[Y]) over the levels that
 * hold one, dropping collinear points: the left (right) boundary of their convex hull.
 */
function envelope(x: Int32Array, levels: number, sign: 1 | -1, out: Int32Array): number {
  let n = 0;
  for (let i = 0; i < levels; i++) {
    const px = x[i];
    if (px === NONE) continue;
    const py = i - 1;
    while (n >= 2) {
      const ay = out[2 * n - 4];
      const ax = out[2 * n - 3];
      const by = out[2 * n - 2];
      const bx = out[2 * n - 1];
      // B stays only if it lies strictly outside segment A → P (left of it for the left chain).
      const cross = (by - ay) * (px - ax) - (bx - ax) * (py - ay);
      if (sign * cross > 0) break;
      n--;
    }
    out[2 * n] = py;
    out[2 * n + 1] = px;
    n++;
  }
  return n;
}

function chains(minX: Int32Array, maxX: Int32Array, levels: number): Chains {
  const left = intScratch(LEFT, 2 * levels);
  const right = intScratch(RIGHT, 2 * levels);
  const leftCount = envelope(minX, levels, 1, left);
  const rightCount = envelope(maxX, levels, -1, right);
  return { left, leftCount, right, rightCount };
}

function resetLevels(levels: number): [Int32Array, Int32Array] {
  const minX = intScratch(LEVEL_MIN, levels);
  const maxX = intScratch(LEVEL_MAX, levels);
  minX.fill(NONE, 0, levels);
  maxX.fill(NONE, 0, levels);
  return [minX, maxX];
}

function addPoint(minX: Int32Array, maxX: Int32Array, y: number, x: number): void {
  const i = y + 1;
  if (minX[i] === NONE || x < minX[i]) minX[i] = x;
  if (maxX[i] === NONE || x > maxX[i]) maxX[i] = x;
}

/**
 * Rows of skimage 0.19.3's `convex_hull_image(mask)` for an object given by its row extents: for
 * each row r, the first and last column c whose pixel centre (r, c) lies in the closed convex hull
 * of the points (r ± ½, c), (r, c ± ½) of every object pixel (`offset_coordinates=True`);
 * `lo > hi` where a row has none. Returns the number of hull pixels, or 0 for an empty object.
 *
 * skimage finds the hull with Qhull and tests each pixel centre with `grid_points_in_poly`,
 * which counts centres on the hull's edges as inside; with these coordinates that test is exact
 * (its 1e-12 vertex tolerance never applies: a vertex always has one half-integer coordinate),
 * and so is this one. Only the first and last pixel of each row can be hull vertices.
 */
export function hullRows(object: RowExtents): { lo: Int32Array; hi: Int32Array; area: number } {
  const { width, height, lo: objectLo, hi: objectHi } = object;
  const lo = intScratch(HULL_LO, height);
  const hi = intScratch(HULL_HI, height);
  if (width === 0 || height === 0 || !hasPixels(object)) {
    lo.fill(0, 0, height);
    hi.fill(-1, 0, height);
    return { lo, hi, area: 0 };
  }
  const levels = levelCount(height);
  const [minX, maxX] = resetLevels(levels);
  for (let r = 0; r < height; r++) {
    const a = objectLo[r];
    const b = objectHi[r];
    if (a > b) continue;
    addPoint(minX, maxX, 2 * r - 1, 2 * a);
    addPoint(minX, maxX, 2 * r - 1, 2 * b);
    addPoint(minX, maxX, 2 * r + 1, 2 * a);
    addPoint(minX, maxX, 2 * r + 1, 2 * b);
    addPoint(minX, maxX, 2 * r, 2 * a - 1);
    addPoint(minX, maxX, 2 * r, 2 * b + 1);
  }
  const { left, leftCount, right, rightCount } = chains(minX, maxX, levels);
  let area = 0;
  let k = 0; // segment of the left chain under the current level
  let m = 0; // and of the right chain
  const top = left[0];
  const bottom = left[2 * leftCount - 2];
  for (let r = 0; r < height; r++) {
    const y = 2 * r;
    if (y < top || y > bottom) {
      lo[r] = 0;
      hi[r] = -1;
      continue;
    }
    while (k < leftCount - 1 && left[2 * k + 2] < y) k++;
    while (m < rightCount - 1 && right[2 * m + 2] < y) m++;
    // Smallest c with 2c ≥ X on the left boundary, largest with 2c ≤ X on the right one; the
    // quotients of small integers are exact enough for ceil/floor to be exact.
    const c0 = Math.ceil(scaledX(left, k, leftCount, y) / (2 * segmentHeight(left, k, leftCount)));
    const c1 = Math.floor(
      scaledX(right, m, rightCount, y) / (2 * segmentHeight(right, m, rightCount)),
    );
    const first = Math.max(c0, 0);
    const last = Math.min(c1, width - 1);
    lo[r] = first;
    hi[r] = last;
    if (last >= first) area += last - first + 1;
  }
  return { lo, hi, area };
}

/** X at level y on the chain's segment `k`, times the segment's height (`segmentHeight`). */
function scaledX(chain: Int32Array, k: number, count: number, y: number): number {
  const y0 = chain[2 * k];
  const x0 = chain[2 * k + 1];
  if (k === count - 1) return x0;
  const dy = chain[2 * k + 2] - y0;
  const dx = chain[2 * k + 3] - x0;
  return x0 * dy + (y - y0) * dx;
}

function segmentHeight(chain: Int32Array, k: number, count: number): number {
  return k === count - 1 ? 1 : chain[2 * k + 2] - chain[2 * k];
}

/** A convex polygon in doubled coordinates: vertices `(ys[i], xs[i])`, i < n, no three collinear. */
export interface Polygon {
  readonly n: number;
  /** Interleaved (Y, X) pairs. */
  readonly yx: Int32Array;
}

/**
 * Convex hull of the points of skimage's 0.5-level `find_contours` of a convex-hull image given
 * by `hullRows`: the midpoints of every pixel edge between a hull pixel and a non-hull one. Every
 * row and column of a convex-hull image is one run, so per row those are (r, lo − ½), (r, hi + ½),
 * and between rows r − 1 and r the columns in one run but not the other give (r − ½, c).
 */
export function contourHull(lo: Int32Array, hi: Int32Array, height: number): Polygon {
  const levels = levelCount(height);
  const [minX, maxX] = resetLevels(levels);
  for (let r = 0; r <= height; r++) {
    if (r < height && lo[r] <= hi[r]) {
      addPoint(minX, maxX, 2 * r, 2 * lo[r] - 1);
      addPoint(minX, maxX, 2 * r, 2 * hi[r] + 1);
    }
    // Columns in exactly one of rows r − 1 and r: its smallest and largest.
    const a1 = r > 0 ? lo[r - 1] : 0;
    const b1 = r > 0 ? hi[r - 1] : -1;
    const a2 = r < height ? lo[r] : 0;
    const b2 = r < height ? hi[r] : -1;
    let first = a2;
    let last = b2;
    if (a2 > b2) {
      first = a1;
      last = b1;
    } else if (a1 <= b1) {
      first = a1 !== a2 ? Math.min(a1, a2) : Math.min(b1, b2) + 1;
      last = b1 !== b2 ? Math.max(b1, b2) : Math.max(a1, a2) - 1;
    }
    if (first <= last) {
      addPoint(minX, maxX, 2 * r - 1, 2 * first);
      addPoint(minX, maxX, 2 * r - 1, 2 * last);
    }
  }
  return polygon(chains(minX, maxX, levels));
}

/** The hull as one cycle: down the left chain, back up the right one. */
function polygon({ left, leftCount, right, rightCount }: Chains): Polygon {
  const yx = intScratch(POLY, 2 * (leftCount + rightCount));
  let n = 0;
  for (let i = 0; i < leftCount; i++) {
    yx[2 * n] = left[2 * i];
    yx[2 * n + 1] = left[2 * i + 1];
    n++;
  }
  const sameBottom = right[2 * rightCount - 1] === left[2 * leftCount - 1];
  const sameTop = right[1] === left[1];
  for (let i = rightCount - (sameBottom ? 2 : 1); i >= (sameTop ? 1 : 0); i--) {
    yx[2 * n] = right[2 * i];
    yx[2 * n + 1] = right[2 * i + 1];
    n++;
  }
  return { n, yx };
}

/** Twice the area of triangle (i, j, k) of the polygon, in absolute value. */
function area2(yx: Int32Array, i: number, j: number, k: number): number {
  const ay = yx[2 * i];
  const ax = yx[2 * i + 1];
  return Math.abs(
    (yx[2 * j] - ay) * (yx[2 * k + 1] - ax) - (yx[2 * j + 1] - ax) * (yx[2 * k] - ay),
  );
}

function distance2(yx: Int32Array, i: number, j: number): number {
  const dy = yx[2 * i] - yx[2 * j];
  const dx = yx[2 * i + 1] - yx[2 * j + 1];
  return dy * dy + dx * dx;
}

/** Largest squared distance between two vertices (rotating calipers over antipodal pairs). */
export function diameter2(poly: Polygon): number {
  const { n, yx } = poly;
  if (n < 3) return n === 2 ? distance2(yx, 0, 1) : 0;
  let best = 0;
  let j = 1;
  for (let i = 0; i < n; i++) {
    const i1 = i + 1 === n ? 0 : i + 1;
    for (;;) {
      const j1 = j + 1 === n ? 0 : j + 1;
      if (area2(yx, i, i1, j1) > area2(yx, i, i1, j)) j = j1;
      else break;
    }
    best = Math.max(best, distance2(yx, i, j), distance2(yx, i1, j));
  }
  return best;
}

/**
 * Smallest width of the polygon (doubled units) and the direction it is measured in: the width
 * between two parallel supporting lines is smallest with one of them along an edge, so each edge
 * is tried with its farthest vertex (rotating calipers). `dy`, `dx`: the edge direction.
 * Ties keep the edge whose perpendicular has the smallest angle (see feretDiameterMin).
 */
export function minWidth(poly: Polygon): { width: number; dy: number; dx: number } {
  const { n, yx } = poly;
  if (n < 3) {
    // Not reached for contour points (a pixel alone gives four); kept total for safety.
    return n === 2
      ? { width: 0, dy: yx[2] - yx[0], dx: yx[3] - yx[1] }
      : { width: 0, dy: 0, dx: 1 };
  }
  let best = Infinity;
  let bestAngle = Infinity;
  let bestDy = 0;
  let bestDx = 1;
  let j = 1;
  for (let i = 0; i < n; i++) {
    const i1 = i + 1 === n ? 0 : i + 1;
    for (;;) {
      const j1 = j + 1 === n ? 0 : j + 1;
      if (area2(yx, i, i1, j1) > area2(yx, i, i1, j)) j = j1;
      else break;
    }
    const dy = yx[2 * i1] - yx[2 * i];
    const dx = yx[2 * i1 + 1] - yx[2 * i + 1];
    const width = area2(yx, i, i1, j) / Math.sqrt(dy * dy + dx * dx);
    const angle = caliperAngle(dy, dx);
    const tie = best !== Infinity && Math.abs(width - best) <= 1e-12 * best;
    if (tie ? angle < bestAngle : width < best) {
      best = width;
      bestAngle = angle;
      bestDy = dy;
      bestDx = dx;
    }
  }
  return { width: best, dy: bestDy, dx: bestDx };
}

/**
 * Direction perpendicular to an edge (dy down, dx right), in degrees in [0, 180), counterclockwise
 * from the +x (column) axis with y pointing up, as ImageJ gives angles.
 */
export function caliperAngle(dy: number, dx: number): number {
  // Perpendicular (−dy, dx) in image (x, y-down) is (−dy, −dx) with y up.
  let angle = (Math.atan2(-dx, -dy) * 180) / Math.PI;
  if (angle < 0) angle += 180;
  if (angle >= 180) angle -= 180;
  return angle;
}
