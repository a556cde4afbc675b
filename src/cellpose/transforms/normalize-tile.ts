import { InvalidArgumentError } from '../../errors.js';
import { gaussianFilter } from '../../image/gaussian.js';
import { numpyPercentiles } from '../../image/numpy-percentile.js';
import { resizeLinearData } from './resize.js';
import { linspaceStarts } from './tiles.js';
import type { Float32Plane } from './types.js';

export interface Normalize99TileOptions {
  /** Block edge in pixels (capped at the image size). @default 100 */
  blocksize?: number;
  /** Percentile mapped to 0. @default 1 */
  lower?: number;
  /** Percentile mapped to 1. @default 99 */
  upper?: number;
  /** Block overlap as a fraction, clamped to [0.05, 0.5]. @default 0.1 */
  tileOverlap?: number;
}

/**
 * Cellpose 3.1.1.3 `transforms.normalize99_tile` for a 2-D image (channel planes of one size):
 *
 * 1. blocks of `blocksize` pixels laid out like network tiles (`ceil((1 + 2·overlap)·L/blocksize)`
 *    per axis, starts from a truncated linspace), and the `lower`/`upper` percentiles of each
 *    block and channel (NumPy linear, float64);
 * 2. blocks whose spread is below 1e-3 copy the nearest other block (squared grid distance, first
 *    in raster order on ties); if every block is flat the bounds become 0 and 1;
 * 3. the block grid is smoothed with scipy's `gaussian_filter1d(σ = 1)` over the (single) z axis
 *    and twice over the block-row axis, never over block columns: Cellpose's loop variable bug,
 *    reproduced on purpose;
 * 4. low and high maps are resized to the image with OpenCV bilinear in float64; then, because
 *    Cellpose indexes the 2-D maps with `[0]` as if they had a z axis, only their **first row**
 *    is used, for every row: pixel (y, x) becomes `f32(f32(x − low[0, x]) / (high[0, x] −
 *    low[0, x]))`. Reproduced on purpose, so block statistics vary across columns only.
 *
 * Values are not clipped. Returns new float32 planes.
 */
export function normalize99Tile(
  planes: readonly Float32Plane[],
  options: Normalize99TileOptions = {},
): Float32Plane[] {
  const blocksize = options.blocksize ?? 100;
  const lower = options.lower ?? 1;
  const upper = options.upper ?? 99;
  if (!(blocksize >= 1)) throw new InvalidArgumentError(`blocksize must be ≥ 1, got ${blocksize}`);
  if (planes.length === 0)
    throw new InvalidArgumentError('normalize99Tile needs at least one channel');
  const { width, height } = planes[0];
  const channels = planes.length;
  const overlap = Math.min(0.5, Math.max(0.05, options.tileOverlap ?? 0.1));
  const blockY = Math.trunc(Math.min(blocksize, height));
  const blockX = Math.trunc(Math.min(blocksize, width));
  const ny = height <= blocksize ? 1 : Math.ceil(((1 + 2 * overlap) * height) / blocksize);
  const nx = width <= blocksize ? 1 : Math.ceil(((1 + 2 * overlap) * width) / blocksize);
  const ystarts = linspaceStarts(height - blockY, ny);
  const xstarts = linspaceStarts(width - blockX, nx);

  // Bounds grid, channels last: index ((j · nx) + i) · channels + c.
  const lows = new Float64Array(ny * nx * channels);
  const highs = new Float64Array(ny * nx * channels);
  const block = new Float32Array(blockY * blockX);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      for (let c = 0; c < channels; c++) {
        const data = planes[c].data;
        let k = 0;
        for (let y = ystarts[j]; y < ystarts[j] + blockY; y++) {
          const row = y * width;
          for (let x = xstarts[i]; x < xstarts[i] + blockX; x++) block[k++] = data[row + x];
        }
        const g = (j * nx + i) * channels + c;
        [lows[g], highs[g]] = numpyPercentiles(block, [lower, upper], { float32Difference: true });
      }
    }
  }
  for (let c = 0; c < channels; c++) fillFlatBlocks(lows, highs, ny, nx, channels, c);

  // gaussian_filter1d(σ=1) on axis 0 (z, length 1), axis 1, then axis 1 again (the loop variable).
  const smooth = (grid: Float64Array): Float64Array => {
    let out = gaussianFilter(
      { width: grid.length, height: 1, data: grid },
      { sigma: [1, 0], mode: 'reflect' },
    ).data;
    for (let pass = 0; pass < 2; pass++) {
      out = gaussianFilter(
        { width: nx * channels, height: ny, data: out },
        { sigma: [1, 0], mode: 'reflect' },
      ).data;
    }
    return out;
  };
  const lowGrid = smooth(lows);
  const highGrid = smooth(highs);

  return planes.map((plane, c) => {
    const low = resizeLinearData(channelOf(lowGrid, channels, c), ny, nx, height, width);
    const high = resizeLinearData(channelOf(highGrid, channels, c), ny, nx, height, width);
    const out = new Float32Array(width * height);
    const data = plane.data;
    // normalize99_tile's `x01[0]` on a 2-D map keeps row 0, which then broadcasts over all rows.
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        out[p] = Math.fround(data[p] - low[x]) / (high[x] - low[x]);
      }
    }
    return { width, height, data: out };
  });
}

/** normalize99_tile's fill of flat blocks (spread < 1e-3) from the nearest non-flat block. */
function fillFlatBlocks(
  lows: Float64Array,
  highs: Float64Array,
  ny: number,
  nx: number,
  channels: number,
  c: number,
): void {
  const flat: number[] = [];
  const good: number[] = [];
  for (let b = 0; b < ny * nx; b++) {
    const g = b * channels + c;
    (highs[g] - lows[g] < 1e-3 ? flat : good).push(b);
  }
  if (flat.length === 0) return;
  if (good.length === 0) {
    for (const b of flat) {
      lows[b * channels + c] = 0;
      highs[b * channels + c] = 1;
    }
    return;
  }
  for (const b of flat) {
    const by = Math.floor(b / nx);
    const bx = b % nx;
    let best = good[0];
    let bestDistance = Infinity;
    for (const n of good) {
      const dy = Math.floor(n / nx) - by;
      const dx = (n % nx) - bx;
      const distance = dy * dy + dx * dx;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = n;
      }
    }
    lows[b * channels + c] = lows[best * channels + c];
    highs[b * channels + c] = highs[best * channels + c];
  }
}

function channelOf(grid: Float64Array, channels: number, c: number): Float64Array {
  const out = new Float64Array(grid.length / channels);
  for (let k = 0; k < out.length; k++) out[k] = grid[k * channels + c];
  return out;
}
