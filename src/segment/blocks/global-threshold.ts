import { allocatePixels, dtypeOf } from '../../image/dtype.js';
import { gaussianFilter } from '../../image/gaussian.js';
import type { Region, RegionSource } from '../../image/region.js';
import type { PixelArray, Plane } from '../../image/types.js';
import { threshold, type ThresholdMethod } from '../threshold/index.js';
import { planBlocks } from './plan.js';

/** Up to 2²⁴ values (a 4096² image whole) decide a block-wise threshold; larger images are strided. */
export const MAX_THRESHOLD_SAMPLES = 2 ** 24;

/** Pixels a block needs around its core for a Gaussian of σ to match the whole-image filter. */
export function smoothingMargin(sigma: number): number {
  // scipy's kernel reaches int(4σ + 0.5) px each side.
  return sigma > 0 ? Math.trunc(4 * sigma + 0.5) : 0;
}

/** The core's pixels of a (smoothed) padded plane, as the whole-image filter would give them. */
export function smoothedCore(plane: Plane, padded: Region, core: Region, sigma: number): Plane {
  const smoothed = sigma > 0 ? gaussianFilter(plane, { sigma, preserveRange: true }) : plane;
  const data = allocatePixels(dtypeOf(smoothed.data), core.width * core.height) as PixelArray;
  for (let r = 0; r < core.height; r++) {
    const start = (core.y - padded.y + r) * padded.width + (core.x - padded.x);
    data.set(smoothed.data.subarray(start, start + core.width), r * core.width);
  }
  return { width: core.width, height: core.height, data };
}

/**
 * A global threshold computed block by block: the (smoothed) pixels of every core, every
 * `⌈pixels / 2²⁴⌉`-th one, gathered into one sample that the method reads as it would the whole
 * image. Up to 4096² pixels the sample is the image, so the value is the one-shot threshold.
 */
export async function blockwiseThreshold(
  source: RegionSource,
  channel: number,
  options: { method: ThresholdMethod; smoothingSigma?: number; blockSize: number },
): Promise<number> {
  const sigma = options.smoothingSigma ?? 0;
  const margin = smoothingMargin(sigma);
  const stride = Math.ceil((source.width * source.height) / MAX_THRESHOLD_SAMPLES);
  let sample: PixelArray | undefined;
  let taken = 0;
  let seen = 0;
  const blocks = planBlocks(source.width, source.height, {
    blockSize: options.blockSize,
    overlap: margin,
  });
  for (const { core, padded } of blocks) {
    const stack = await source.read(padded, [channel]);
    const values = smoothedCore(stack.planes[0], padded, core, sigma).data;
    sample ??= allocatePixels(
      dtypeOf(values),
      Math.ceil((source.width * source.height) / stride),
    ) as PixelArray;
    // A global stride keeps the sample an even lattice over the image, whatever the blocks.
    for (let i = (stride - (seen % stride)) % stride; i < values.length; i += stride) {
      sample[taken++] = values[i];
    }
    seen += values.length;
  }
  const plane = { width: taken, height: 1, data: (sample as PixelArray).subarray(0, taken) };
  return threshold(plane, { method: options.method });
}
