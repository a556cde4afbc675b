import { InvalidArgumentError } from '../../errors.js';
import type { Labels, Mask, Plane } from '../../image/types.js';
import { floodClassic } from './classic-flood.js';
import { FloodQueue, QueueMode } from './flood-queue.js';
import { ValueIndex } from './value-index.js';
import { checkImage } from '../../image/validate.js';

export interface WatershedOptions {
  /** Only pixels where the mask is non-zero are flooded; the rest stay 0 (markers there are dropped). */
  mask?: Mask;
  /** 1: pixels flood to their 4 edge neighbours; 2: to all 8. @default 1 */
  connectivity?: 1 | 2;
  /** Leave a one-pixel line labelled 0 between basins. @default false */
  watershedLine?: boolean;
  /**
   * Compact watershed (Neubert & Protzel, ICPR 2014): a pixel's priority is its value plus
   * `compactness ×` its Euclidean distance to the marker pixel flooding it. 0 = classic flooding.
   * @default 0
   */
  compactness?: number;
}

/**
 * Marker-controlled watershed that floods `image` from `markers`, label for label as
 * `skimage.segmentation.watershed` of scikit-image 0.19.3.
 *
 * Flooding order (skimage 0.19.3 `_watershed_cy.pyx`): a binary min-heap keyed on (pixel
 * value, insertion age); marker pixels are pushed in raster order with age 0, every later push
 * takes the next age; a popped pixel visits its neighbours as (dr, dc) = (-1,0), (0,-1), (0,1),
 * (1,0), then for connectivity 2 (-1,-1), (-1,1), (1,-1), (1,1). Without `watershedLine` or
 * `compactness` a pixel takes its label when pushed (so a plateau is split by who reaches it
 * first); otherwise when popped, and with `watershedLine` a popped pixel whose labelled
 * neighbours carry two different labels becomes line (0) and floods no further.
 *
 * Markers of equal value leave the heap in the order its shape gives, not in raster order, so
 * the same heap is kept while that order can still change a label: for classic flooding while a
 * connected component of the mask holds two queued markers of one value (see `floodClassic`),
 * otherwise while any marker is queued (see `FloodQueue`). Results match skimage 0.19.3 pixel for
 * pixel, NaN pixels included. Labels are kept as given (skimage works in int32).
 *
 * scikit-image ≥ 0.25 changed the flooding: a pixel's priority is at least that of the pixel it
 * was reached from, and the watershed-line rule was revised. Its results differ from these on
 * some pixels (in the reference fixtures 0–8 of ~20,000 without line, 32–524 with
 * `watershedLine`), all along basin boundaries.
 *
 * @param image Lower values flood first (for nuclei, pass the negated distance transform).
 * @param markers Seeds, 0 = none; each non-zero value becomes the label of its basin.
 * @returns Labels of the same size; pixels no marker reaches (or outside `mask`) are 0.
 */
export function watershed(image: Plane, markers: Labels, options: WatershedOptions = {}): Labels {
  const { width, height } = image;
  const { connectivity, compactness, watershedLine } = checkOptions(image, markers, options);
  const values = image.data;
  const mask = options.mask?.data;
  if (compactness === 0 && !watershedLine) {
    const data = floodClassic(values, width, height, markers.data, mask, connectivity);
    if (data !== undefined) return { width, height, data };
  }
  const labels = markerLabels(markers.data, mask);
  const { state, outside, stride } = framedState(width, height, markers.data, mask, labels);
  const offsets =
    connectivity === 1
      ? Int32Array.of(-stride, -1, 1, stride)
      : Int32Array.of(-stride, -1, 1, stride, -stride - 1, -stride + 1, stride - 1, stride + 1);
  // the same steps in the caller's (unframed) image
  const steps =
    connectivity === 1
      ? Int32Array.of(-width, -1, 1, width)
      : Int32Array.of(-width, -1, 1, width, -width - 1, -width + 1, width - 1, width + 1);

  // NaN compares unequal to itself, which only skimage's own heap handles as skimage does
  let hasNaN = false;
  for (let i = 0; i < values.length && !hasNaN; i++) hasNaN = values[i] !== values[i];
  // Ranks order and tie exactly as the values do; a distance map has a few hundred, and 2-byte
  // ranks keep the flood's working set in cache where 8-byte values would not.
  const ranked = hasNaN || compactness > 0 ? undefined : rankValues(values, mask);
  const priorities: ArrayLike<number> = ranked ?? values;
  const queue = new FloodQueue(
    1024,
    hasNaN ? QueueMode.skimageHeap : compactness === 0 ? QueueMode.buckets : QueueMode.quadHeap,
  );
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const p = (r + 1) * stride + c + 1;
      if (state[p] !== 0 && state[p] !== outside) queue.push(priorities[r * width + c], 0, p, p);
    }
  }
  const flood = { state, outside, values: priorities, offsets, steps, stride };
  const lineMarkers =
    compactness === 0 && !watershedLine
      ? (floodOnPush(queue, flood), [])
      : floodOnPop(queue, flood, compactness, watershedLine);

  const data = new Uint32Array(width * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const k = state[(r + 1) * stride + c + 1];
      if (k !== outside) data[r * width + c] = labels.labelOf[k];
    }
  }
  for (const p of lineMarkers) {
    const i = unframed(p, stride);
    data[i] = markers.data[i];
  }
  return { width, height, data };
}

function checkOptions(
  image: Plane,
  markers: Labels,
  options: WatershedOptions,
): Required<Omit<WatershedOptions, 'mask'>> {
  const { width, height } = image;
  const connectivity = options.connectivity ?? 1;
  const compactness = options.compactness ?? 0;
  if (connectivity !== 1 && connectivity !== 2) {
    throw new InvalidArgumentError(`connectivity must be 1 or 2, got ${String(connectivity)}`);
  }
  if (!(compactness >= 0 && compactness < Infinity)) {
    throw new InvalidArgumentError(`compactness must be finite and ≥ 0, got ${compactness}`);
  }
  checkImage(image, 'image');
  for (const [name, other] of [
    ['markers', markers],
    ['mask', options.mask],
  ] as const) {
    if (other === undefined) continue;
    if (other.width !== width || other.height !== height || other.data.length !== width * height) {
      throw new InvalidArgumentError(
        `${name} are ${other.width} × ${other.height}, the image ${width} × ${height}`,
      );
    }
  }
  return { connectivity, compactness, watershedLine: options.watershedLine ?? false };
}

/** Marker labels inside the mask, numbered 1…n internally in raster order of first pixel. */
interface MarkerLabels {
  /** Internal number → the caller's label (0 → 0). */
  labelOf: number[];
  /** The caller's label → internal number. */
  internal: Map<number, number>;
}

function markerLabels(markers: Uint32Array, mask: Uint8Array | undefined): MarkerLabels {
  const labelOf = [0];
  const internal = new Map<number, number>();
  for (let i = 0, last = 0; i < markers.length; i++) {
    const label = markers[i];
    if (label === 0 || label === last || (mask !== undefined && mask[i] === 0)) continue;
    if (!internal.has(label)) internal.set(label, labelOf.push(label) - 1);
    last = label;
  }
  return { labelOf, internal };
}

/**
 * Flood state on a one-pixel frame, as skimage pads: `outside` (frame, not in mask, later also
 * line), 0 = not reached yet, k = internal label k. One array answers both "in mask?" and
 * "labelled?", and 2 bytes a pixel where the labels allow it keep the working set in cache.
 */
function framedState(
  width: number,
  height: number,
  markers: Uint32Array,
  mask: Uint8Array | undefined,
  { labelOf, internal }: MarkerLabels,
): { state: Uint16Array | Uint32Array; outside: number; stride: number } {
  const stride = width + 2;
  const wide = labelOf.length > 0xfffe;
  const outside = wide ? 0xffffffff : 0xffff;
  const size = stride * (height + 2);
  const state = (wide ? new Uint32Array(size) : new Uint16Array(size)).fill(outside);
  for (let r = 0, last = 0, lastInternal = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      if (mask !== undefined && mask[i] === 0) continue;
      const label = markers[i];
      if (label !== 0 && label !== last) {
        lastInternal = internal.get(label) as number;
        last = label;
      }
      state[(r + 1) * stride + c + 1] = label === 0 ? 0 : lastInternal;
    }
  }
  return { state, outside, stride };
}

/**
 * The rank of every pixel's value among the distinct values in the mask (0 elsewhere), or
 * undefined when there are more than 65,535 of them.
 */
function rankValues(
  values: ArrayLike<number>,
  mask: Uint8Array | undefined,
): Uint16Array | undefined {
  const limit = 65535;
  const index = new ValueIndex(1024);
  const distinct: number[] = [];
  const ids = new Uint16Array(values.length);
  let last = NaN;
  let lastId = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask !== undefined && mask[i] === 0) continue;
    const v = values[i];
    if (v !== last) {
      lastId = index.get(v);
      if (lastId === -1) {
        if (distinct.length === limit) return undefined;
        lastId = distinct.push(v) - 1;
        index.set(v, lastId);
      }
      last = v;
    }
    ids[i] = lastId;
  }
  const order = Array.from(distinct.keys()).sort((a, b) => distinct[a] - distinct[b]);
  const rankOf = new Uint16Array(distinct.length);
  // -0 and 0 are one value to the index already, so neighbours in `order` are never equal
  order.forEach((id, rank) => (rankOf[id] = rank));
  for (let i = 0; i < ids.length; i++) ids[i] = rankOf[ids[i]];
  return ids;
}

interface Flood {
  /** `outside`, 0 (not reached) or an internal label, on the framed grid. */
  state: Uint16Array | Uint32Array;
  /** Frame pixels, pixels outside the mask and watershed-line pixels: never flooded. */
  outside: number;
  /** The caller's image, unframed. */
  values: ArrayLike<number>;
  /** Neighbour steps on the framed grid… */
  offsets: Int32Array;
  /** …and the same steps on the unframed image. */
  steps: Int32Array;
  stride: number;
}

/** Unframed index of framed pixel `p`. */
function unframed(p: number, stride: number): number {
  const row = (p / stride) | 0;
  return p - 2 * row - stride + 1;
}

/**
 * Classic flooding: a pixel is labelled when pushed, since nothing can reach it more cheaply later
 * (skimage gh-2636). Only for images `floodClassic` declines (NaN, too many distinct values).
 */
function floodOnPush(queue: FloodQueue, { state, values, offsets, steps, stride }: Flood): void {
  // `outside` is non-zero, so one test skips both outside and labelled pixels
  let age = 1;
  while (queue.length > 0) {
    const p = queue.pop();
    const i = unframed(p, stride);
    const label = state[p];
    for (let k = 0; k < offsets.length; k++) {
      const q = p + offsets[k];
      if (state[q] !== 0) continue;
      state[q] = label;
      queue.push(values[i + steps[k]], ++age, q, 0);
    }
  }
}

/**
 * Compact and/or watershed-line flooding: a pixel may be pushed more than once and is labelled
 * as it leaves the queue. Returns the markers that became line: they keep their label (skimage
 * only takes them out of its mask) but flood nothing.
 */
function floodOnPop(
  queue: FloodQueue,
  { state, outside, values, offsets, steps, stride }: Flood,
  compactness: number,
  watershedLine: boolean,
): number[] {
  const lineMarkers: number[] = [];
  // Lowest priority queued so far per pixel: a later push at no lower priority would leave after
  // that one and find the pixel settled, so it is left out once the queue's shape stops mattering
  // (the ages of the rest keep their order, so nothing else changes). Without compactness every
  // push of a pixel has the same priority and a flag does.
  const compact = compactness > 0;
  const lowest = new Float64Array(compact ? state.length : 0).fill(Infinity);
  const queued = new Uint8Array(compact ? 0 : state.length);
  let age = 1;
  while (queue.length > 0) {
    const p = queue.pop();
    const from = queue.poppedSource;
    const current = state[p];
    // line already, or labelled by an earlier push (markers come off as their own source)
    if (current === outside || (current !== 0 && p !== from)) continue;
    if (watershedLine && onLine(p, state, outside, offsets)) {
      if (current !== 0) lineMarkers.push(p);
      state[p] = outside;
      continue;
    }
    state[p] = state[from];
    const i = unframed(p, stride);
    const fromRow = (from / stride) | 0;
    const fromCol = from - fromRow * stride;
    for (let k = 0; k < offsets.length; k++) {
      const q = p + offsets[k];
      if (state[q] !== 0) continue;
      age++;
      let value = values[i + steps[k]];
      if (compact) {
        const row = (q / stride) | 0;
        const dr = row - fromRow;
        const dc = q - row * stride - fromCol;
        value += compactness * Math.sqrt(dr * dr + dc * dc);
      }
      const fresh = compact ? value < lowest[q] : queued[q] === 0;
      if (fresh) {
        if (compact) lowest[q] = value;
        else queued[q] = 1;
      } else if (!queue.shapeMatters) continue;
      queue.push(value, age, q, from);
    }
  }
  return lineMarkers;
}

/** skimage `_diff_neighbors`: the flooded neighbours of `p` carry two different labels. */
function onLine(
  p: number,
  state: Uint16Array | Uint32Array,
  outside: number,
  offsets: Int32Array,
): boolean {
  let first = 0;
  for (let k = 0; k < offsets.length; k++) {
    const label = state[p + offsets[k]];
    if (label === 0 || label === outside) continue;
    if (first === 0) first = label;
    else if (label !== first) return true;
  }
  return false;
}
