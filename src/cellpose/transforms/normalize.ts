import { InvalidArgumentError } from '../../errors.js';
import { numpyPercentiles } from '../../image/numpy-percentile.js';
import type { Plane } from '../../image/types.js';
import { normalize99Tile } from './normalize-tile.js';
import type { Float32Plane } from './types.js';

/** Images with more pixels than this (224³) take their percentiles from a strided subsample. */
const DOWNSAMPLE_ABOVE = 224 ** 3;

export interface Normalize99Options {
  /** Percentile mapped to 0, in [0, 100]. @default 1 */
  lower?: number;
  /** Percentile mapped to 1, in [0, 100]. @default 99 */
  upper?: number;
  /**
   * For planes of more than 224³ (≈ 11.2 M) pixels, take the percentiles from every
   * `⌊H/224⌋`-th row and `⌊W/224⌋`-th column. @default false
   */
  downsample?: boolean;
}

/**
 * Cellpose's `transforms.normalize99`: maps the `lower` percentile to 0 and the `upper` one to 1,
 * without clipping. Percentiles follow NumPy 1.24 (`linear`, the difference of the two order
 * statistics rounded to the data's precision); then `x = f32(x − f32(p_lo))` and
 * `x = f32(x / f32(p_hi − p_lo))`. When `p_hi − p_lo ≤ 1e-3` (or a value is NaN) the plane
 * becomes all zeros.
 *
 * Integer and float32 planes give float32, as Cellpose casts them; a float64 plane stays float64
 * and is computed in float64, as Cellpose does for float64 arrays. The input is not modified.
 */
export function normalize99(
  plane: Plane<Float64Array>,
  options?: Normalize99Options,
): Plane<Float64Array>;
export function normalize99(plane: Plane, options?: Normalize99Options): Float32Plane;
export function normalize99(
  plane: Plane,
  options: Normalize99Options = {},
): Float32Plane | Plane<Float64Array> {
  const lower = options.lower ?? 1;
  const upper = options.upper ?? 99;
  for (const q of [lower, upper]) {
    if (!(q >= 0 && q <= 100)) {
      throw new InvalidArgumentError(`percentiles must be between 0 and 100, got ${q}`);
    }
  }
  const { width, height } = plane;
  const data =
    plane.data instanceof Float64Array
      ? Float64Array.from(plane.data)
      : Float32Array.from(plane.data);
  normalize99InPlace(data, width, height, lower, upper, options.downsample ?? false);
  return data instanceof Float64Array ? { width, height, data } : { width, height, data };
}

/** `normalize99` on raw row-major data, overwriting it. */
export function normalize99InPlace(
  data: Float32Array | Float64Array,
  width: number,
  height: number,
  lower: number,
  upper: number,
  downsample: boolean,
): void {
  const float32 = data instanceof Float32Array;
  const sample = downsample && data.length > DOWNSAMPLE_ABOVE ? strided(data, width, height) : data;
  const [low, high] = numpyPercentiles(sample, [lower, upper], { float32Difference: float32 });
  if (high - low > 1e-3) {
    if (float32) {
      // NumPy casts the float64 scalars to float32 for an in-place float32 operation.
      const offset = Math.fround(low);
      const range = Math.fround(high - low);
      for (let i = 0; i < data.length; i++) data[i] = Math.fround(data[i] - offset) / range;
    } else {
      const range = high - low;
      for (let i = 0; i < data.length; i++) data[i] = (data[i] - low) / range;
    }
  } else {
    data.fill(0);
  }
}

/** `X[::⌊H/224⌋, ::⌊W/224⌋]` (each step at least 1), as normalize99 subsamples large planes. */
function strided(data: Float32Array | Float64Array, width: number, height: number) {
  const stepY = Math.max(1, Math.floor(height / 224));
  const stepX = Math.max(1, Math.floor(width / 224));
  const rows = Math.ceil(height / stepY);
  const cols = Math.ceil(width / stepX);
  const out =
    data instanceof Float32Array ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  let k = 0;
  for (let y = 0; y < height; y += stepY) {
    for (let x = 0; x < width; x += stepX) out[k++] = data[y * width + x];
  }
  return out;
}

export interface NormalizeImageOptions {
  /** Percentile normalisation of each channel; false leaves values alone (unless `lowhigh`). @default true */
  normalize?: boolean;
  /** Lower and upper percentile, `0 ≤ lower < upper ≤ 100`. @default [1, 99] */
  percentile?: readonly [number, number];
  /**
   * Map `1 − x` after normalising; only channels that were normalised (not constant ones, and
   * none under tile normalisation, as in Cellpose). Needs `normalize`, `lowhigh` or
   * `tileNormBlocksize`. @default false
   */
  invert?: boolean;
  /**
   * Fixed bounds instead of percentiles: `[low, high]` for every channel, or one pair per
   * channel; `x = f32(x − low) / f32(high − low)`, constant channels included.
   */
  lowhigh?: readonly [number, number] | readonly (readonly [number, number])[];
  /**
   * Block size in pixels for Cellpose's tiled normalisation (`normalize99_tile`): percentiles
   * per block, smoothed and interpolated to every pixel; 0 turns it off. @default 0
   */
  tileNormBlocksize?: number;
}

/**
 * Cellpose 3.1.1.3 `transforms.normalize_img` for a 2-D image given as channel planes (all the
 * same size): per channel whose value range is not zero, `normalize99` with the given
 * percentiles (subsampled above 224³ pixels); constant channels such as the zero nuclear channel
 * are returned unchanged. Then `invert`. With `lowhigh` or `tileNormBlocksize` the other
 * recipes run instead (see their options). Always returns new float32 planes.
 *
 * @throws InvalidArgumentError for bad percentiles, a `lowhigh` that does not match the channel
 *   count, `invert` without any normalisation, or planes of different sizes.
 */
export function normalizeImage(
  planes: readonly Plane[],
  options: NormalizeImageOptions = {},
): Float32Plane[] {
  if (planes.length === 0)
    throw new InvalidArgumentError('normalizeImage needs at least one channel');
  const { width, height } = planes[0];
  for (const plane of planes) {
    if (plane.width !== width || plane.height !== height) {
      throw new InvalidArgumentError(
        `all channels must have the same size, got ${width} × ${height} and ${plane.width} × ${plane.height}`,
      );
    }
  }
  const [lower, upper] = options.percentile ?? [1, 99];
  if (!(lower >= 0 && lower < upper && upper <= 100)) {
    throw new InvalidArgumentError(
      `percentile must satisfy 0 ≤ lower < upper ≤ 100, got [${lower}, ${upper}]`,
    );
  }
  const normalize = options.normalize ?? true;
  const blocksize = options.tileNormBlocksize ?? 0;
  if (!(blocksize >= 0)) {
    throw new InvalidArgumentError(`tileNormBlocksize must be ≥ 0, got ${blocksize}`);
  }
  const bounds =
    options.lowhigh === undefined ? undefined : perChannelBounds(options.lowhigh, planes.length);
  if (options.invert && bounds === undefined && blocksize === 0 && !normalize) {
    throw new InvalidArgumentError('cannot invert an image without normalising it');
  }

  const out: Float32Plane[] = planes.map((p) => ({
    width,
    height,
    data: Float32Array.from(p.data),
  }));
  const normalised = new Array<boolean>(planes.length).fill(false);
  if (bounds !== undefined) {
    out.forEach((plane, c) => {
      const [low, high] = bounds[c];
      const offset = Math.fround(low);
      const range = Math.fround(high - low);
      const data = plane.data;
      for (let i = 0; i < data.length; i++) data[i] = Math.fround(data[i] - offset) / range;
      normalised[c] = true;
    });
  } else if (blocksize > 0) {
    const tiled = normalize99Tile(out, { blocksize, lower, upper });
    tiled.forEach((plane, c) => out[c].data.set(plane.data));
  } else if (normalize) {
    out.forEach((plane, c) => {
      if (!(valueRange(plane.data) > 0)) return;
      normalize99InPlace(plane.data, width, height, lower, upper, true);
      normalised[c] = true;
    });
  }
  if (options.invert) {
    out.forEach((plane, c) => {
      if (!normalised[c]) return;
      const data = plane.data;
      for (let i = 0; i < data.length; i++) data[i] = 1 - data[i];
    });
  }
  return out;
}

/** `np.ptp` in float32; NaN when the channel holds a NaN. */
function valueRange(data: Float32Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v) return NaN;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Math.fround(max - min);
}

function perChannelBounds(
  lowhigh: NonNullable<NormalizeImageOptions['lowhigh']>,
  channels: number,
): (readonly [number, number])[] {
  if (lowhigh.length === 2 && typeof lowhigh[0] === 'number' && typeof lowhigh[1] === 'number') {
    const pair = lowhigh as readonly [number, number];
    return new Array(channels).fill(pair);
  }
  const pairs = lowhigh as readonly (readonly [number, number])[];
  if (pairs.length !== channels || pairs.some((p) => !Array.isArray(p) || p.length !== 2)) {
    throw new InvalidArgumentError(
      `lowhigh must be [low, high] or one [low, high] per channel (${channels} channels)`,
    );
  }
  return [...pairs];
}
