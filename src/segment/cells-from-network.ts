import { foregroundThreshold } from '../cellpose/dynamics/foreground.js';
import { InvalidArgumentError } from '../errors.js';
import type { Labels, Mask, Plane } from '../image/types.js';
import { watershed } from './watershed/watershed.js';
import { CELLPOSE_DEFAULTS } from '../cellpose/defaults.js';

/** What the flood climbs between the nuclei: where it is high, two cells meet. */
export const NETWORK_LANDSCAPES = ['flows', 'cellprob'] as const;
export type NetworkLandscape = (typeof NETWORK_LANDSCAPES)[number];

/** A cell network's output at the image size (Cellpose's `flows` with `resample`). */
export interface CellNetworkOutput {
  /** Cell probability logits (Cellpose's `flows[2]`). */
  cellprob: Plane<Float32Array>;
  /** Flows towards the cell centres (Cellpose's `dY`, `dX`); needed for landscape `flows`. */
  dY?: Plane<Float32Array>;
  dX?: Plane<Float32Array>;
  /** The network's own masks: foreground no nucleus reaches keeps these as cells. */
  masks?: Labels;
}

export interface CellsFromNetworkOptions {
  /** Foreground is `cellprob > cellprobThreshold` (logit, Cellpose's `cellprob_threshold`). @default 0 */
  cellprobThreshold?: number;
  /**
   * `flows`: the divergence of the flow field, which peaks where flows part, i.e. on the border
   * between two cells (and is lowest at each cell's centre); `cellprob`: the negated logit.
   * @default 'flows'
   */
  landscape?: NetworkLandscape;
  /**
   * Every cell has a nucleus: drop the network's masks that no nucleus reaches instead of
   * keeping them as cells.
   * @default false
   */
  dropCellsWithoutNucleus?: boolean;
}

export interface CellsFromNetworkResult {
  /**
   * Cell `k` grew from nucleus `k` and holds all of it; the network's masks no nucleus reaches
   * follow as the largest nucleus label + 1, + 2, … (in ascending order of their mask label).
   */
  labels: Labels;
  /** How many of the network's masks no nucleus reaches were kept as cells. */
  cellsWithoutNucleus: number;
}

/**
 * Cells seeded by the nuclei, shaped by a cell network: a marker-controlled watershed from the
 * nucleus labels over the network's landscape, limited to its foreground (`cellprob` above the
 * threshold, the network's masks, which include their filled holes, and the nuclei). Every
 * nucleus grows one connected cell and the network decides where it ends, so a large cell the
 * network cut into a nucleus piece and nucleus-free lobes comes back whole: each lobe goes to
 * the nucleus whose flood crosses the lowest border into it.
 *
 * A network mask none of whose pixels a nucleus reaches (a foreground region with no nucleus) is
 * kept as a cell of its own, unless `dropCellsWithoutNucleus`; foreground outside every mask
 * that no nucleus reaches stays background.
 *
 * @throws InvalidArgumentError when the planes differ in size, or landscape `flows` lacks them.
 */
export function cellsFromNucleiAndNetwork(
  nucleusLabels: Labels,
  network: CellNetworkOutput,
  options: CellsFromNetworkOptions = {},
): CellsFromNetworkResult {
  const { width, height } = nucleusLabels;
  const n = width * height;
  const landscape = options.landscape ?? 'flows';
  if (!NETWORK_LANDSCAPES.includes(landscape)) {
    throw new InvalidArgumentError(
      `unknown landscape "${landscape}"; use one of ${NETWORK_LANDSCAPES.join(', ')}`,
    );
  }
  if (landscape === 'flows' && (!network.dY || !network.dX)) {
    throw new InvalidArgumentError("landscape 'flows' needs the network's dY and dX");
  }
  for (const [name, plane] of Object.entries(network) as [string, Plane | undefined][]) {
    if (plane && (plane.width !== width || plane.height !== height)) {
      throw new InvalidArgumentError(
        `nucleus labels are ${width}×${height} but the network's ${name} is ${plane.width}×${plane.height}`,
        { hint: 'run the network with resample on, so its output has the image size' },
      );
    }
  }

  const threshold = foregroundThreshold(
    options.cellprobThreshold ?? CELLPOSE_DEFAULTS.cellprobThreshold,
  );
  const cellprob = network.cellprob.data;
  const masks = network.masks?.data;
  const nuclei = nucleusLabels.data;
  const foreground = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    foreground[i] = cellprob[i] > threshold || nuclei[i] !== 0 || (masks && masks[i] !== 0) ? 1 : 0;
  }
  const image =
    landscape === 'flows'
      ? flowDivergence(network.dY as Plane<Float32Array>, network.dX as Plane<Float32Array>)
      : Float64Array.from(cellprob, (v) => -v);
  // All nuclei start flooding together, whatever the landscape under them.
  let min = Infinity;
  for (const v of image) if (v < min) min = v;
  for (let i = 0; i < n; i++) if (nuclei[i] !== 0) image[i] = min - 1;
  const mask: Mask = { width, height, data: foreground };
  const grown = watershed({ width, height, data: image }, nucleusLabels, { mask }).data;

  let kept = 0;
  if (masks && !options.dropCellsWithoutNucleus) kept = keepUnreachedMasks(grown, masks, nuclei);
  return { labels: { width, height, data: grown }, cellsWithoutNucleus: kept };
}

/** ∂dX/∂x + ∂dY/∂y by central differences (one-sided at the image edge), as `numpy.gradient`. */
export function flowDivergence(dY: Plane<Float32Array>, dX: Plane<Float32Array>): Float64Array {
  const { width, height } = dY;
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const left = x > 0 ? i - 1 : i;
      const right = x < width - 1 ? i + 1 : i;
      const up = y > 0 ? i - width : i;
      const down = y < height - 1 ? i + width : i;
      const gx = right - left > 0 ? (dX.data[right] - dX.data[left]) / (right - left) : 0;
      const gy = down - up > 0 ? (dY.data[down] - dY.data[up]) / ((down - up) / width) : 0;
      out[i] = gx + gy;
    }
  }
  return out;
}

/** Gives each mask no flood reached the next free label; returns how many it kept. */
function keepUnreachedMasks(cells: Uint32Array, masks: Uint32Array, nuclei: Uint32Array): number {
  const reached = new Set<number>();
  const present = new Set<number>();
  for (let i = 0; i < masks.length; i++) {
    const m = masks[i];
    if (m === 0) continue;
    present.add(m);
    if (cells[i] !== 0) reached.add(m);
  }
  let next = 0;
  for (const v of nuclei) if (v > next) next = v;
  const label = new Map<number, number>();
  for (const m of [...present].sort((a, b) => a - b)) if (!reached.has(m)) label.set(m, ++next);
  for (let i = 0; i < masks.length; i++) {
    const v = label.get(masks[i]);
    if (v !== undefined) cells[i] = v;
  }
  return label.size;
}
