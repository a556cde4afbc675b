import { InvalidArgumentError } from '../../errors.js';
import type { Plane } from '../../image/types.js';
import { thresholdValues, type ThresholdValues } from './values.js';

const F32 = Math.fround;

/** Integer images get one bin per value; past this many the histogram would not fit in memory. */
export const MAX_INTEGER_BINS = 2 ** 24;

export interface SkimageHistogramOptions {
  /** Number of equal-width bins for float images; integer images ignore it. @default 256 */
  nbins?: number;
}

export interface SkimageHistogram {
  /** Pixels per bin. */
  counts: Float64Array;
  /**
   * Bin centres: every integer from the minimum to the maximum for integer images; for float32
   * images the float32 centres scikit-image computes, widened exactly to float64.
   */
  binCenters: Float64Array;
}

/**
 * The histogram scikit-image's global thresholds see (`skimage.exposure.histogram(image.ravel(),
 * nbins, source_range='image')`, 0.19.3): integer images have one bin per integer from the
 * image minimum to its maximum (so the bin centres are integers); float images have `nbins`
 * equal bins over [min, max] with NumPy's bin edges and skimage's centres, in the image's own
 * precision. Non-finite pixels are left out (skimage raises on them); without a finite pixel
 * the histogram is empty.
 */
export function skimageHistogram(
  plane: Plane,
  options: SkimageHistogramOptions = {},
): SkimageHistogram {
  const hist = binnedHistogram(thresholdValues(plane), options.nbins ?? 256);
  const n = hist.counts.length;
  const binCenters = new Float64Array(n);
  for (let i = 0; i < n; i++) binCenters[i] = binCenter(hist, i);
  return { counts: Float64Array.from(hist.counts), binCenters };
}

/** A histogram as the thresholds use it. Internal to the threshold module. */
export interface BinnedHistogram {
  readonly counts: Uint32Array;
  /** Integer images: centre of bin i is `firstCenter + i`. */
  readonly firstCenter: number;
  /** Float images: the centres; empty for integer images. */
  readonly centers: Float64Array;
  readonly kind: ThresholdValues['kind'];
}

export function binCenter(hist: BinnedHistogram, index: number): number {
  return hist.kind === 'integer' ? hist.firstCenter + index : hist.centers[index];
}

export function binnedHistogram(input: ThresholdValues, nbins: number): BinnedHistogram {
  const { kind, values, min, max } = input;
  if (values.length === 0) {
    return { counts: new Uint32Array(0), firstCenter: 0, centers: new Float64Array(0), kind };
  }
  if (kind === 'integer') {
    const size = max - min + 1;
    if (size > MAX_INTEGER_BINS) {
      throw new InvalidArgumentError(
        `integer image spans ${size} values; a one-bin-per-value histogram is limited to ${MAX_INTEGER_BINS}`,
        { hint: 'convert the image to float32 to threshold it with equal-width bins' },
      );
    }
    const counts = input.valueCounts
      ? input.valueCounts.slice(min, max + 1)
      : new Uint32Array(size);
    if (!input.valueCounts) for (let i = 0; i < values.length; i++) counts[values[i] - min]++;
    return { counts, firstCenter: min, centers: new Float64Array(0), kind };
  }
  if (!Number.isInteger(nbins) || nbins < 1) {
    throw new InvalidArgumentError(`nbins must be a positive integer, got ${nbins}`);
  }
  return floatHistogram(input, nbins);
}

/**
 * numpy.histogram(a, bins=nbins) of NumPy 1.24 with its float32 type rules: float32 edges come
 * from a float64 linspace, bin indices from float32 arithmetic, then a ±1 correction against
 * the edges. A constant image gets the range [v − 0.5, v + 0.5], in float64.
 */
function floatHistogram(input: ThresholdValues, nbins: number): BinnedHistogram {
  const { values, min, max, kind } = input;
  const f32 = kind === 'float32';
  const round = f32 ? F32 : (x: number): number => x;
  const constant = min === max;
  const first = constant ? min - 0.5 : min;
  const last = constant ? max + 0.5 : max;
  // numpy.linspace computes in float64 and casts the edges to the image's type.
  const step = (last - first) / nbins;
  const edges = new Float64Array(nbins + 1);
  for (let i = 0; i < nbins; i++) edges[i] = round(i * step + first);
  edges[nbins] = round(last);
  // Scalars meet a float32 array in float32: the float64 edges of a constant image are rounded.
  const firstInArrayType = round(first);
  const span = constant ? last - first : round(last - first);
  const norm = round(nbins / span);
  const counts = new Uint32Array(nbins);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let index = Math.trunc(round(round(v - firstInArrayType) * norm));
    if (index === nbins) index--;
    if (v < edges[index]) index--;
    else if (index !== nbins - 1 && v >= edges[index + 1]) index++;
    counts[index]++;
  }
  const centers = new Float64Array(nbins);
  for (let i = 0; i < nbins; i++) centers[i] = round(edges[i] + edges[i + 1]) / 2;
  return { counts, firstCenter: 0, centers, kind };
}
