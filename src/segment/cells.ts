import { InvalidArgumentError } from '../errors.js';
import { gaussianFilter } from '../image/gaussian.js';
import { checkLength } from './check-size.js';
import { sobel } from '../image/sobel.js';
import type { Labels, Mask, Plane } from '../image/types.js';
import { expandLabels } from './labels/expand-labels.js';
import { threshold, type ThresholdMethod } from './threshold/index.js';
import { MinHeap } from './heap.js';
import { watershed } from './watershed/watershed.js';

/** How a nucleus grows into its cell (CellProfiler IdentifySecondaryObjects methods). */
export const CELL_METHODS = [
  'propagation',
  'watershed-gradient',
  'watershed-intensity',
  'distance',
] as const;
export type CellMethod = (typeof CELL_METHODS)[number];

export interface CellsFromNucleiOptions {
  /**
   * `propagation`: shortest paths from each nucleus where a step costs its local intensity
   * change plus λ × its length (Jones et al. 2005, CellProfiler's default);
   * `watershed-gradient`: watershed of the Sobel gradient; `watershed-intensity`: watershed of the
   * inverted intensity; `distance`: grow each nucleus by `maxDistancePx`, ignoring the image.
   * @default 'propagation'
   */
  method?: CellMethod;
  /**
   * Threshold of the cytoplasm channel that bounds the cells. Minimum cross-entropy (Li), as
   * CellProfiler defaults to: Otsu splits off only the brightest cells on typical stains.
   * @default 'li'
   */
  threshold?: ThresholdMethod | number;
  /** Gaussian σ (px) applied to the cytoplasm channel first; 0 = none. @default 1 */
  smoothingSigma?: number;
  /** Propagation's λ: higher values favour distance over intensity edges. @default 0.05 */
  regularization?: number;
  /** Cells reach at most this far (px) from their nucleus; required for `distance`. */
  maxDistancePx?: number;
  /** Fill holes enclosed by a single cell. @default true */
  fillHoles?: boolean;
}

export interface CellsFromNucleiResult {
  /** Cell `k` grew from nucleus `k` and contains it. */
  labels: Labels;
  /** The threshold applied to the (smoothed) cytoplasm channel (NaN for `distance`). */
  threshold: number;
}

/**
 * Grows every nucleus into its cell over a cytoplasm channel, limited to the channel's
 * foreground: the second step of CellProfiler's IdentifyPrimary/SecondaryObjects. Every cell
 * keeps its nucleus's label and contains its whole nucleus; parts of a cell only one pixel
 * wide are trimmed, and a cell never breaks into pieces away from its nucleus.
 */
export function segmentCellsFromNuclei(
  nucleusLabels: Labels,
  cytoplasm: Plane,
  options: CellsFromNucleiOptions = {},
): CellsFromNucleiResult {
  const { width, height } = nucleusLabels;
  if (cytoplasm.width !== width || cytoplasm.height !== height) {
    throw new InvalidArgumentError(
      `nucleus labels are ${width}×${height} but the cytoplasm channel is ${cytoplasm.width}×${cytoplasm.height}`,
    );
  }
  const method = options.method ?? 'propagation';
  if (!CELL_METHODS.includes(method)) {
    throw new InvalidArgumentError(
      `unknown cell method "${method}"; use one of ${CELL_METHODS.join(', ')}`,
    );
  }
  const maxDistance = options.maxDistancePx;
  if (method === 'distance') {
    if (!(maxDistance !== undefined && maxDistance >= 0)) {
      throw new InvalidArgumentError('method "distance" needs maxDistancePx ≥ 0');
    }
    return { labels: expandLabels(nucleusLabels, { distance: maxDistance }), threshold: NaN };
  }
  const sigma = checkLength(options.smoothingSigma ?? 1, width, height, 'smoothing σ');
  const smoothed =
    sigma > 0 ? gaussianFilter(cytoplasm, { sigma, preserveRange: true }) : cytoplasm;
  const chosen = options.threshold ?? 'li';
  const level = typeof chosen === 'number' ? chosen : threshold(smoothed, { method: chosen });
  const foreground = new Uint8Array(width * height);
  for (let i = 0; i < foreground.length; i++) {
    foreground[i] = smoothed.data[i] > level || nucleusLabels.data[i] !== 0 ? 1 : 0;
  }
  if (maxDistance !== undefined) {
    const reach = expandLabels(nucleusLabels, { distance: maxDistance }).data;
    for (let i = 0; i < foreground.length; i++) if (reach[i] === 0) foreground[i] = 0;
  }
  const mask: Mask = { width, height, data: foreground };
  let grown: Labels;
  if (method === 'propagation') {
    grown = propagate(nucleusLabels, smoothed, mask, options.regularization ?? 0.05);
  } else {
    const image = method === 'watershed-gradient' ? sobel(smoothed) : negate(smoothed);
    // The strong edge right around a nucleus (a cytoplasm stain stops there) belongs to its seed.
    const seeds =
      method === 'watershed-gradient'
        ? expandLabels(nucleusLabels, { distance: 2 })
        : nucleusLabels;
    grown = watershed(imposeMinima(image, seeds), seeds, { mask });
  }
  return { labels: tidyCells(grown, nucleusLabels, options.fillHoles ?? true), threshold: level };
}

/**
 * Lowers every nucleus pixel below the rest of the image, so all nuclei start flooding at once:
 * otherwise the first nucleus to leave the queue floods its neighbours' cytoplasm before their
 * own (dim) nuclei are reached.
 */
function imposeMinima(image: Plane<Float64Array>, markers: Labels): Plane<Float64Array> {
  let min = Infinity;
  for (const v of image.data) if (v < min) min = v;
  const data = image.data;
  for (let i = 0; i < data.length; i++) if (markers.data[i] !== 0) data[i] = min - 1;
  return image;
}

function negate(plane: Plane): Plane<Float64Array> {
  const data = new Float64Array(plane.data.length);
  for (let i = 0; i < data.length; i++) data[i] = -plane.data[i];
  return { width: plane.width, height: plane.height, data };
}

const NEIGHBOURS_8: readonly [number, number][] = [
  [-1, 0],
  [0, -1],
  [0, 1],
  [1, 0],
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
];

/**
 * Dijkstra from every nucleus pixel over the mask. A step p→q costs √(Δ² + λ·|pq|²), where Δ is
 * the summed absolute difference of the 3×3 neighbourhoods around p and q, with the image
 * scaled to [0, 1] (the distance of CellProfiler's propagate, Jones et al. 2005).
 */
function propagate(seeds: Labels, image: Plane, mask: Mask, lambda: number): Labels {
  const { width, height } = seeds;
  const n = width * height;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!mask.data[i]) continue;
    const v = image.data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? 1 / (hi - lo) : 0;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = (image.data[i] - lo) * scale;

  const cost = new Float64Array(n).fill(Infinity);
  const done = new Uint8Array(n);
  const out = new Uint32Array(n);
  const heap = new MinHeap();
  let age = 0;
  for (let i = 0; i < n; i++) {
    if (seeds.data[i] === 0) continue;
    cost[i] = 0;
    out[i] = seeds.data[i];
    heap.push(0, age++, i);
  }
  const at = (y: number, x: number): number =>
    values[
      (y < 0 ? 0 : y >= height ? height - 1 : y) * width + (x < 0 ? 0 : x >= width ? width - 1 : x)
    ];
  while (heap.length > 0) {
    const p = heap.pop();
    if (done[p]) continue;
    done[p] = 1;
    const py = Math.floor(p / width);
    const px = p - py * width;
    for (const [dy, dx] of NEIGHBOURS_8) {
      const qy = py + dy;
      const qx = px + dx;
      if (qy < 0 || qy >= height || qx < 0 || qx >= width) continue;
      const q = qy * width + qx;
      if (done[q] || !mask.data[q]) continue;
      let delta = 0;
      for (let oy = -1; oy <= 1; oy++) {
        for (let ox = -1; ox <= 1; ox++)
          delta += Math.abs(at(py + oy, px + ox) - at(qy + oy, qx + ox));
      }
      const candidate = cost[p] + Math.sqrt(delta * delta + lambda * (dy * dy + dx * dx));
      if (candidate < cost[q]) {
        cost[q] = candidate;
        out[q] = out[p];
        heap.push(candidate, age++, q);
      }
    }
  }
  return { width, height, data: out };
}

/**
 * Makes cells tidy: trims parts one pixel wide (a per-label opening with the 3×3 cross), puts
 * every nucleus pixel back in its cell, keeps only the piece of each cell that holds its
 * nucleus, and fills holes enclosed by one cell.
 */
function tidyCells(cells: Labels, nuclei: Labels, fill: boolean): Labels {
  const { width, height } = cells;
  const n = width * height;
  const src = cells.data;
  const sameAs = (i: number, y: number, x: number): boolean =>
    y < 0 || y >= height || x < 0 || x >= width || src[y * width + x] === src[i];
  // Erosion then dilation per label (outside the image counts as the same label, as skimage's erosion).
  const core = new Uint8Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (
        src[i] !== 0 &&
        sameAs(i, y - 1, x) &&
        sameAs(i, y + 1, x) &&
        sameAs(i, y, x - 1) &&
        sameAs(i, y, x + 1)
      ) {
        core[i] = 1;
      }
    }
  }
  const opened = new Uint32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = src[i];
      if (v === 0) continue;
      const keep =
        core[i] ||
        (y > 0 && core[i - width] && src[i - width] === v) ||
        (y < height - 1 && core[i + width] && src[i + width] === v) ||
        (x > 0 && core[i - 1] && src[i - 1] === v) ||
        (x < width - 1 && core[i + 1] && src[i + 1] === v);
      if (keep) opened[i] = v;
    }
  }
  for (let i = 0; i < n; i++) if (nuclei.data[i] !== 0) opened[i] = nuclei.data[i];

  const kept = keepNucleusPieces(opened, nuclei.data, width);
  return { width, height, data: fill ? fillEnclosedHoles(kept, width, height) : kept };
}

/** Flood fills each cell from its nucleus pixels (4-connected); pixels not reached are dropped. */
function keepNucleusPieces(cells: Uint32Array, nuclei: Uint32Array, width: number): Uint32Array {
  const out = new Uint32Array(cells.length);
  const stack: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    if (nuclei[i] === 0 || out[i] !== 0) continue;
    const v = cells[i];
    out[i] = v;
    stack.push(i);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      const x = p % width;
      const visit = (q: number): void => {
        if (out[q] === 0 && cells[q] === v) {
          out[q] = v;
          stack.push(q);
        }
      };
      if (p >= width) visit(p - width);
      if (p < cells.length - width) visit(p + width);
      if (x > 0) visit(p - 1);
      if (x < width - 1) visit(p + 1);
    }
  }
  return out;
}

/** Background regions (4-connected) that touch no border and only one label join that label. */
function fillEnclosedHoles(cells: Uint32Array, width: number, height: number): Uint32Array {
  const out = cells.slice();
  const seen = new Uint8Array(cells.length);
  const region: number[] = [];
  for (let start = 0; start < cells.length; start++) {
    if (cells[start] !== 0 || seen[start]) continue;
    region.length = 0;
    region.push(start);
    seen[start] = 1;
    let owner = -1; // −1: none yet, 0: open (border or two labels)
    for (let k = 0; k < region.length; k++) {
      const p = region[k];
      const y = Math.floor(p / width);
      const x = p - y * width;
      if (y === 0 || x === 0 || y === height - 1 || x === width - 1) owner = 0;
      for (const q of [p - width, p + width, p - 1, p + 1]) {
        if (
          (q === p - 1 && x === 0) ||
          (q === p + 1 && x === width - 1) ||
          q < 0 ||
          q >= cells.length
        )
          continue;
        const v = cells[q];
        if (v === 0) {
          if (!seen[q]) {
            seen[q] = 1;
            region.push(q);
          }
        } else if (owner === -1) owner = v;
        else if (owner !== v) owner = 0;
      }
    }
    if (owner > 0) for (const p of region) out[p] = owner;
  }
  return out;
}
