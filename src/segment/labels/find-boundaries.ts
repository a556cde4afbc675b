import { InvalidArgumentError } from '../../errors.js';
import type { Labels, Mask } from '../../image/types.js';
import { checkImage } from '../../image/validate.js';

/** How {@link findBoundaries} marks a boundary; see `mode` there. */
export const BOUNDARY_MODES = ['thick', 'inner', 'outer', 'subpixel'] as const;
export type BoundaryMode = (typeof BOUNDARY_MODES)[number];

export interface FindBoundariesOptions {
  /**
   * - `thick`: every pixel with a neighbour of another value (background included), so a
   *   boundary between two objects is 2 px wide;
   * - `inner`: the `thick` pixels that belong to an object (not background);
   * - `outer`: the `thick` pixels in the background, plus object pixels that touch another
   *   object (8-neighbourhood);
   * - `subpixel`: a (2H−1) × (2W−1) image with the original pixels at even positions and the
   *   positions between pixels marked where they separate different values.
   * @default 'thick'
   */
  mode?: BoundaryMode;
  /**
   * Neighbours: 1 = the 4 sharing an edge, 2 = the 8 sharing an edge or a corner. `subpixel`
   * ignores it.
   * @default 1
   */
  connectivity?: 1 | 2;
  /** Value of the background, for `inner` and `outer`. @default 0 */
  background?: number;
}

/** `np.iinfo(uint32).max`: what scikit-image puts in place of background and between pixels. */
const MAX_LABEL = 0xffffffff;

/**
 * Marks the pixels on the boundaries between labelled regions, as
 * `skimage.segmentation.find_boundaries` (scikit-image 0.19): a pixel is a boundary where the
 * grey dilation and erosion of the label image over the connectivity footprint differ. Pixels
 * outside the image do not count as neighbours (SciPy's `reflect` border for those filters).
 */
export function findBoundaries(labels: Labels, options: FindBoundariesOptions = {}): Mask {
  const mode = options.mode ?? 'thick';
  const connectivity = options.connectivity ?? 1;
  const background = options.background ?? 0;
  if (!BOUNDARY_MODES.includes(mode)) {
    throw new InvalidArgumentError(
      `boundary mode must be one of ${BOUNDARY_MODES.join(', ')}, got ${mode}`,
    );
  }
  if (connectivity !== 1 && connectivity !== 2) {
    throw new InvalidArgumentError(`connectivity must be 1 or 2, got ${connectivity}`);
  }
  checkImage(labels, 'label image');
  if (mode === 'subpixel') return subpixelBoundaries(labels);

  const { width, height, data } = labels;
  const out = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    const r0 = r > 0 ? r - 1 : r;
    const r1 = r < height - 1 ? r + 1 : r;
    for (let c = 0; c < width; c++) {
      const c0 = c > 0 ? c - 1 : c;
      const c1 = c < width - 1 ? c + 1 : c;
      const i = r * width + c;
      const v = data[i];
      const thick =
        connectivity === 1
          ? data[r0 * width + c] !== v ||
            data[r1 * width + c] !== v ||
            data[i - c + c0] !== v ||
            data[i - c + c1] !== v
          : windowDiffers(data, width, r0, r1, c0, c1, v);
      if (!thick) continue;
      if (mode === 'thick') out[i] = 1;
      else if (mode === 'inner') out[i] = v !== background ? 1 : 0;
      else
        out[i] =
          v === background || touchesOtherObject(data, width, r0, r1, c0, c1, background) ? 1 : 0;
    }
  }
  return { width, height, data: out };
}

function windowDiffers(
  data: Uint32Array,
  width: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  v: number,
): boolean {
  for (let y = r0; y <= r1; y++) {
    for (let x = c0; x <= c1; x++) if (data[y * width + x] !== v) return true;
  }
  return false;
}

/** scikit-image's `dilation(labels) != erosion(labels with background → max)` over the 3 × 3 square. */
function touchesOtherObject(
  data: Uint32Array,
  width: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  background: number,
): boolean {
  let max = 0;
  let min = MAX_LABEL;
  for (let y = r0; y <= r1; y++) {
    for (let x = c0; x <= c1; x++) {
      const w = data[y * width + x];
      if (w > max) max = w;
      const inverted = w === background ? MAX_LABEL : w;
      if (inverted < min) min = inverted;
    }
  }
  return max !== min;
}

/**
 * scikit-image's subpixel mode: a position between pixels is a boundary when the original pixels
 * in its 3 × 3 window (edge-padded) hold two or more values other than the filler `MAX_LABEL`.
 */
function subpixelBoundaries(labels: Labels): Mask {
  const { width, height, data } = labels;
  const outWidth = Math.max(0, 2 * width - 1);
  const outHeight = Math.max(0, 2 * height - 1);
  const out = new Uint8Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const r = y >> 1;
    const oddRow = (y & 1) === 1;
    for (let x = 0; x < outWidth; x++) {
      const c = x >> 1;
      const oddCol = (x & 1) === 1;
      if (!oddRow && !oddCol) continue;
      const a = data[r * width + c];
      let differs: boolean;
      if (!oddRow) differs = twoValues(a, data[r * width + c + 1]);
      else if (!oddCol) differs = twoValues(a, data[(r + 1) * width + c]);
      else {
        const b = data[r * width + c + 1];
        const d = data[(r + 1) * width + c];
        const e = data[(r + 1) * width + c + 1];
        differs =
          twoValues(a, b) ||
          twoValues(a, d) ||
          twoValues(a, e) ||
          twoValues(b, d) ||
          twoValues(b, e) ||
          twoValues(d, e);
      }
      if (differs) out[y * outWidth + x] = 1;
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}

/** Two different values, neither the filler (`len(np.unique(window)) > 2` in scikit-image). */
function twoValues(a: number, b: number): boolean {
  return a !== b && a !== MAX_LABEL && b !== MAX_LABEL;
}
