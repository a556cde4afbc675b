import { InvalidArgumentError } from '../../errors.js';
import type { Plane } from '../../image/types.js';
import { checkImage } from '../../image/validate.js';

/** What {@link euclideanFeatureTransform} fills in; each array is `width × height`, row-major. */
export interface FeatureTransformOutput {
  /** Squared distance to the nearest zero pixel, scaled by the sampling. */
  squared?: Float64Array;
  /** Linear index (`row × width + col`) of the nearest zero pixel; -1 when there is none. */
  nearest?: Int32Array;
}

/** The plane's pixels as bytes, 0 where the pixel is 0 (as `numpy.where(input, 1, 0)`). */
export function maskBytes(mask: Plane): Uint8Array {
  checkImage(mask, 'mask');
  const { data } = mask;
  if (data instanceof Uint8Array) return data;
  const bytes = new Uint8Array(data.length);
  // NaN counts as foreground, as numpy's truth test does.
  for (let i = 0; i < data.length; i++) bytes[i] = data[i] === 0 ? 0 : 1;
  return bytes;
}

/** Checks a `[rowSpacing, colSpacing]` pair and returns it; `[1, 1]` when absent. */
export function checkSampling(sampling: readonly number[] | undefined): [number, number] {
  if (sampling === undefined) return [1, 1];
  if (sampling.length !== 2 || !sampling.every((s) => Number.isFinite(s) && s > 0)) {
    throw new InvalidArgumentError(
      `sampling must be two positive finite spacings [row, col], got [${sampling.join(', ')}]`,
    );
  }
  return [sampling[0], sampling[1]];
}

/**
 * Exact Euclidean feature transform of a 2-D image: for every pixel, the nearest pixel whose
 * value is 0, chosen exactly as `scipy.ndimage.distance_transform_edt(..., return_indices=True)`
 * chooses it (SciPy 1.10, `ni_morphology.c`).
 *
 * Two separable passes after Maurer, Qi & Raghavan (IEEE PAMI 25:265, 2003): the nearest zero
 * pixel within each column, then per row the lower envelope of the column candidates, both O(n).
 * Ties go where SciPy sends them: to the smaller row in the column pass, to the earlier column
 * of the envelope in the row pass, and the envelope keeps a candidate whose cell shrank to a
 * single point (Maurer's removal test must be strictly positive). All arithmetic repeats
 * SciPy's double-precision expressions term by term, so the squared distances are bit-identical.
 *
 * Without any zero pixel SciPy leaves every feature at row -1, column 0 (a phantom background
 * pixel above the top-left corner); `nearest` is then -1 and `squared` measures to that point.
 */
export function euclideanFeatureTransform(
  data: Uint8Array,
  width: number,
  height: number,
  sampling: readonly [number, number],
  output: FeatureTransformOutput,
): void {
  const n = width * height;
  if (n === 0) return;
  const [rowSpacing, colSpacing] = sampling;
  const { squared, nearest } = output;

  // Pass 1, row-major so memory is read in order: the nearest zero row in each pixel's column.
  const columnSite = new Int32Array(n);
  const above = new Int32Array(width).fill(-1);
  for (let r = 0, base = 0; r < height; r++, base += width) {
    for (let c = 0; c < width; c++) {
      if (data[base + c] === 0) above[c] = r;
      columnSite[base + c] = above[c];
    }
  }
  let anySite = false;
  const below = new Int32Array(width).fill(-1);
  for (let r = height - 1, base = r * width; r >= 0; r--, base -= width) {
    for (let c = 0; c < width; c++) {
      const i = base + c;
      if (data[i] === 0) {
        below[c] = r;
        anySite = true;
        continue;
      }
      const b = below[c];
      if (b < 0) continue;
      const a = columnSite[i];
      // Equal distances keep the upper row, as SciPy's `delta1 <= delta2` does.
      if (a < 0 || b - r < r - a) columnSite[i] = b;
    }
  }

  if (!anySite) {
    for (let r = 0, i = 0; r < height; r++) {
      const dr = (-1 - r) * rowSpacing;
      for (let c = 0; c < width; c++, i++) {
        const dc = -c * colSpacing;
        if (squared) squared[i] = dr * dr + dc * dc;
        if (nearest) nearest[i] = -1;
      }
    }
    return;
  }

  // Pass 2: per row, the lower envelope of the parabolas (x - c)² + h_c² of the column sites.
  const heightSq = new Float64Array(width);
  const envelope = new Int32Array(width);
  for (let r = 0, base = 0; r < height; r++, base += width) {
    let top = -1;
    for (let c = 0; c < width; c++) {
      const siteRow = columnSite[base + c];
      if (siteRow < 0) continue;
      const t = (siteRow - r) * rowSpacing;
      const w = t * t;
      heightSq[c] = w;
      while (top >= 1) {
        const v = envelope[top];
        const u = envelope[top - 1];
        const a = (v - u) * colSpacing;
        const b = (c - v) * colSpacing;
        const ab = a + b;
        // Maurer's removeFT test, in SciPy's operation order (<= 0 keeps v).
        if (ab * heightSq[v] - b * heightSq[u] - a * w - a * b * ab <= 0) break;
        top--;
      }
      envelope[++top] = c;
    }

    let k = 0;
    for (let c = 0; c < width; c++) {
      let site = envelope[k];
      let t = (site - c) * colSpacing;
      let best = heightSq[site] + t * t;
      while (k < top) {
        const next = envelope[k + 1];
        t = (next - c) * colSpacing;
        const d = heightSq[next] + t * t;
        if (best <= d) break;
        best = d;
        site = next;
        k++;
      }
      if (squared) squared[base + c] = best;
      if (nearest) nearest[base + c] = columnSite[base + site] * width + site;
    }
  }
}
