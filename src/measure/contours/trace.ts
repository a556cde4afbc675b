import { InvalidArgumentError } from '../../errors.js';
import type { Labels } from '../../image/types.js';

/**
 * A closed ring of pixel-corner coordinates, flat `[x0, y0, x1, y1, …]`, first point not
 * repeated, corners only (no collinear points). Pixel (row y, col x) covers the unit square
 * [x, x + 1] × [y, y + 1], as in ImageJ and QuPath.
 */
export type Ring = number[];

/** One 4-connected piece of an object: its outline and the outlines of its holes. */
export interface OutlinePolygon {
  /** Positive shoelace area on raw (x, y): counter-clockwise in RFC 7946's y-up reading. */
  exterior: Ring;
  /** Negative shoelace area: clockwise in RFC 7946's y-up reading. */
  holes: Ring[];
}

export interface ObjectOutline {
  label: number;
  /** One polygon per 4-connected piece, ordered by their first (top, then left) corner. */
  polygons: OutlinePolygon[];
}

/** Step per direction: east, south, west, north (image coordinates, y down). */
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/**
 * Traces the outline of every object along pixel edges ("crack" following), so that filling the
 * polygons by the pixel-centre rule (ImageJ's PolygonFiller, Java2D, GDAL) gives back exactly the
 * object's pixels; contours through pixel centres lose a one-pixel rim (Cellpose #757).
 *
 * Objects are read with 4-connectivity: pixels that touch only at a corner are separate pieces,
 * each its own polygon (a GeoJSON MultiPolygon, an ImageJ composite ROI). Holes are the
 * 8-connected background inside; two holes, or a hole and the outline, may touch at one corner,
 * which OGC/RFC 7946 validity allows. Every ring is simple: no vertex repeats.
 */
export function traceOutlines(labels: Labels): ObjectOutline[] {
  const { width, height, data } = checkLabels(labels);
  const stride = width + 1;
  // One bit per corner: its eastward edge has been walked (every ring starts on one).
  const walked = new Uint8Array(Math.ceil((stride * (height + 1)) / 8));
  const label = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : data[y * width + x];
  // The edge from corner (x, y) in direction d has pixel `right` on its right and `left` on its
  // left (screen view); it belongs to the outline of `value` when right is value and left is not.
  const edgeOf = (x: number, y: number, d: number, value: number): boolean => {
    switch (d) {
      case 0:
        return label(x, y) === value && label(x, y - 1) !== value;
      case 1:
        return label(x - 1, y) === value && label(x, y) !== value;
      case 2:
        return label(x - 1, y - 1) === value && label(x - 1, y) !== value;
      default:
        return label(x, y - 1) === value && label(x - 1, y - 1) !== value;
    }
  };

  const rings = new Map<number, Ring[]>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = data[y * width + x];
      if (value === 0) continue;
      // Every ring has an eastward edge on some pixel's top side: start there once.
      const corner = y * stride + x;
      if (label(x, y - 1) === value || walked[corner >> 3] & (1 << (corner & 7))) continue;
      const corners = walkRing(x, y, value, stride, walked, edgeOf);
      let list = rings.get(value);
      if (!list) rings.set(value, (list = []));
      for (const loop of splitAtRepeats(corners, stride)) list.push(loop);
    }
  }

  return [...rings.keys()]
    .sort((a, b) => a - b)
    .map((value) => ({ label: value, polygons: assemble(rings.get(value) ?? []) }));
}

/**
 * Walks one closed edge path with the object on the right, turning right first at a corner
 * shared with a diagonal pixel of the same label, so diagonal pieces stay apart (4-connectivity).
 * Returns every unit-step corner as a key y·stride + x.
 */
function walkRing(
  x0: number,
  y0: number,
  value: number,
  stride: number,
  walked: Uint8Array,
  edgeOf: (x: number, y: number, d: number, value: number) => boolean,
): number[] {
  const keys: number[] = [];
  let x = x0;
  let y = y0;
  let d = 0;
  for (;;) {
    const corner = y * stride + x;
    keys.push(corner);
    if (d === 0) walked[corner >> 3] |= 1 << (corner & 7);
    x += DX[d];
    y += DY[d];
    let next = -1;
    for (const turn of [1, 0, 3]) {
      const candidate = (d + turn) & 3;
      if (edgeOf(x, y, candidate, value)) {
        next = candidate;
        break;
      }
    }
    if (next < 0) throw new Error(`outline of label ${value} does not close`); // unreachable
    // The edge successor is a permutation, so the walk closes on its own first edge.
    if (x === x0 && y === y0 && next === 0) return keys;
    d = next;
  }
}

/**
 * Cuts a closed path that passes a corner twice (a background pocket open only at a diagonal)
 * into simple loops; the edges, and so the even-odd fill, are unchanged.
 */
function splitAtRepeats(keys: readonly number[], stride: number): Ring[] {
  const loops: Ring[] = [];
  const stack: number[] = [];
  const at = new Map<number, number>();
  for (const key of keys) {
    const seen = at.get(key);
    if (seen !== undefined) {
      const loop = stack.splice(seen);
      for (const k of loop) at.delete(k);
      loops.push(corners(loop, stride));
    }
    at.set(key, stack.length);
    stack.push(key);
  }
  loops.push(corners(stack, stride));
  return loops;
}

/** The loop's corners as flat (x, y) from its top-left corner, collinear unit steps dropped. */
function corners(keys: readonly number[], stride: number): Ring {
  const n = keys.length;
  let first = 0;
  for (let i = 1; i < n; i++) if (keys[i] < keys[first]) first = i;
  const ring: Ring = [];
  for (let k = 0; k < n; k++) {
    const i = (first + k) % n;
    const prev = keys[(i + n - 1) % n];
    const here = keys[i];
    const next = keys[(i + 1) % n];
    if (here - prev !== next - here) ring.push(here % stride, Math.floor(here / stride));
  }
  return ring;
}

/** Twice the signed shoelace area of a ring (exact for integer corners). */
export function ringArea2(ring: Ring): number {
  let sum = 0;
  const n = ring.length;
  for (let i = 0; i < n; i += 2) {
    const j = (i + 2) % n;
    sum += ring[i] * ring[j + 1] - ring[j] * ring[i + 1];
  }
  return sum;
}

/** Shells (positive area) with the holes they enclose; a hole goes to the smallest shell around it. */
function assemble(rings: readonly Ring[]): OutlinePolygon[] {
  const shells: { ring: Ring; area: number; holes: Ring[] }[] = [];
  const holes: Ring[] = [];
  for (const ring of rings) {
    const area = ringArea2(ring);
    if (area > 0) shells.push({ ring, area, holes: [] });
    else holes.push(ring);
  }
  for (const hole of holes) {
    // The centre of the background pixel left of the hole's first edge lies inside the hole.
    const [px, py] = pixelLeftOfFirstEdge(hole);
    let best: (typeof shells)[number] | undefined;
    for (const shell of shells) {
      if ((!best || shell.area < best.area) && containsPoint(shell.ring, px, py)) best = shell;
    }
    best?.holes.push(hole);
  }
  return shells
    .sort((a, b) => a.ring[1] - b.ring[1] || a.ring[0] - b.ring[0])
    .map(({ ring, holes: inner }) => ({
      exterior: ring,
      holes: inner.sort((a, b) => a[1] - b[1] || a[0] - b[0]),
    }));
}

function pixelLeftOfFirstEdge(ring: Ring): [number, number] {
  const [x0, y0, x1, y1] = ring;
  const dx = Math.sign(x1 - x0);
  const dy = Math.sign(y1 - y0);
  // Left of direction (dx, dy) in screen view is (dy, -dx); step half a pixel along and across.
  return [x0 + 0.5 * dx + 0.5 * dy, y0 + 0.5 * dy - 0.5 * dx];
}

/** Even-odd point in ring; the point is a pixel centre, never on an edge. */
export function containsPoint(ring: Ring, px: number, py: number): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const yi = ring[i + 1];
    const yj = ring[j + 1];
    if (yi > py !== yj > py) {
      const x = ring[i] + ((py - yi) * (ring[j] - ring[i])) / (yj - yi);
      if (px < x) inside = !inside;
    }
  }
  return inside;
}

function checkLabels(labels: Labels): Labels {
  if (
    typeof labels !== 'object' ||
    labels === null ||
    !(labels.data instanceof Uint32Array) ||
    !Number.isInteger(labels.width) ||
    !Number.isInteger(labels.height) ||
    labels.width < 1 ||
    labels.height < 1 ||
    labels.data.length !== labels.width * labels.height
  ) {
    throw new InvalidArgumentError(
      'labels must have a positive integer width and height and a Uint32Array of width × height values',
    );
  }
  return labels;
}
