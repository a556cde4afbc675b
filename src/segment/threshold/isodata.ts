import type { Plane } from '../../image/types.js';
import { binCenter, binnedHistogram, type BinnedHistogram } from './histogram.js';
import { degenerateThreshold, thresholdValues } from './values.js';

const F32 = Math.fround;

export interface IsodataOptions {
  /** Bins of the histogram of a float image; integer images ignore it. @default 256 */
  nbins?: number;
}

/**
 * The ISODATA (Ridler–Calvard, inter-means) threshold, exactly as
 * `skimage.filters.threshold_isodata` (0.19.3): the lowest bin centre t with
 * `0 <= (mean(≤ t) + mean(> t)) / 2 − t < bin width`. Foreground is `pixel > threshold`.
 *
 * Non-finite pixels are ignored. A constant image gives its value (skimage raises for a constant
 * float image), an image without a finite pixel gives 0, a single-bin histogram its centre.
 */
export function thresholdIsodata(plane: Plane, options: IsodataOptions = {}): number {
  return thresholdIsodataAll(plane, options)[0];
}

/**
 * Every bin centre that satisfies the ISODATA condition, lowest first
 * (`threshold_isodata(..., return_all=True)`). Never empty: degenerate images give the one value
 * {@link thresholdIsodata} returns, and should rounding leave no centre inside the condition
 * (which cannot happen on integer images) the centre nearest to it is returned.
 */
export function thresholdIsodataAll(plane: Plane, options: IsodataOptions = {}): number[] {
  const input = thresholdValues(plane);
  const degenerate = degenerateThreshold(input);
  if (degenerate !== undefined) return [degenerate];
  const hist = binnedHistogram(input, options.nbins ?? 256);
  if (hist.counts.length === 1) return [binCenter(hist, 0)];
  return isodataCenters(hist);
}

function isodataCenters(hist: BinnedHistogram): number[] {
  const { counts } = hist;
  const n = counts.length;
  // skimage casts the counts to float32; products with integer (int64) or float64 centres are
  // float64, with float32 centres float32.
  const f32 = hist.kind === 'float32';
  const round = f32 ? F32 : (x: number): number => x;
  const lowCount = new Float32Array(n);
  const lowIntensity = new Float64Array(n);
  let count = 0;
  let intensity = 0;
  for (let i = 0; i < n; i++) {
    const c = F32(counts[i]);
    count = F32(count + c);
    intensity = round(intensity + round(c * binCenter(hist, i)));
    lowCount[i] = count;
    lowIntensity[i] = intensity;
  }
  const totalCount = lowCount[n - 1];
  const totalIntensity = lowIntensity[n - 1];
  const binWidth = round(binCenter(hist, 1) - binCenter(hist, 0));
  const found: number[] = [];
  let nearest = 0;
  let nearestGap = Infinity;
  for (let i = 0; i < n - 1; i++) {
    const lower = round(lowIntensity[i] / lowCount[i]);
    const higher = round(round(totalIntensity - lowIntensity[i]) / F32(totalCount - lowCount[i]));
    const allMean = round(lower + higher) / 2;
    const center = binCenter(hist, i);
    const distance = round(allMean - center);
    if (distance >= 0 && distance < binWidth) found.push(center);
    const gap = Math.abs(distance - binWidth / 2);
    if (gap < nearestGap) {
      nearestGap = gap;
      nearest = center;
    }
  }
  return found.length > 0 ? found : [nearest];
}
