import { InvalidArgumentError } from '../../errors.js';

export interface DefaultNiterOptions {
  /** `diam_mean / diameter`: how much the image was scaled for the network. */
  rescale: number;
  /**
   * Whether the flows were resized back to the original image before the dynamics (Cellpose's
   * `resample`). Without it the dynamics run at network scale and need the base 200 steps.
   * @default true
   */
  resample?: boolean;
}

/**
 * The Euler step count Cellpose 3.1 `CellposeModel.eval` uses when `niter` is not given:
 * `uint32(1 / rescale * 200)` with `resample`, else 200. One step moves about one original pixel,
 * so objects `1 / rescale` times larger need that many times more steps (2000 for nuclei at
 * diameter 170, `rescale` 0.1). Computed as Cellpose does, `(1 / rescale) · 200` in float64 then
 * truncated, which can differ by one from `200 / rescale`.
 *
 * @throws InvalidArgumentError unless `rescale` is a positive finite number giving at most 2³² − 1.
 */
export function defaultNiter(options: DefaultNiterOptions): number {
  const { rescale, resample = true } = options;
  if (!resample) return 200;
  const niter = (1 / rescale) * 200;
  if (typeof rescale !== 'number' || !(rescale > 0) || !(niter <= 0xffffffff)) {
    throw new InvalidArgumentError(
      `rescale must be a positive number (niter = 200 / rescale ≤ 2^32 − 1), got ${String(rescale)}`,
    );
  }
  return Math.trunc(niter);
}
