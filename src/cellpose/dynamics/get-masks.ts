import { InvalidArgumentError } from '../../errors.js';
import type { Labels } from '../../image/types.js';
import { renumberByFirstAppearance } from './label-table.js';
import type { FlowPositions } from './types.js';
import { checkSize } from '../../image/validate.js';

export interface GetMasksOptions {
  /**
   * Masks with more pixels than this fraction of the image are removed (set to 0) before
   * renumbering. `Infinity` keeps everything.
   * @default 0.4
   */
  maxSizeFraction?: number;
}

/** Histogram padding on every side (`rpad` in get_masks_torch). */
const PAD = 20;
/** Seed growth window (11 × 11) half-width. */
const HALF = 5;

/**
 * Groups pixels by where their flows converged, as Cellpose 3.1 `dynamics.get_masks_torch`, bit
 * for bit: a histogram of truncated final positions (padded by 20), seeds at its 5 × 5 local maxima
 * that hold more than 10 pixels, each grown five times by 3 × 3 dilation inside an 11 × 11 window,
 * keeping histogram bins above 2. Seeds are painted in ascending order of their count (raster
 * order on ties), so bigger seeds overwrite smaller ones. Every pixel takes the label of the bin
 * it converged to (0 when none).
 *
 * Labels holding more than `maxSizeFraction` of the image are removed, then labels are
 * renumbered 1..N in order of first appearance in a raster scan (fastremap.renumber).
 *
 * @param positions Output of `followFlows`.
 * @returns raw masks, before flow-error QC and size filtering; all zero when there is no seed.
 * @throws InvalidArgumentError for arrays of different lengths, a pixel index outside the image
 * or a negative or NaN `maxSizeFraction`.
 */
export function getMasks(positions: FlowPositions, options: GetMasksOptions = {}): Labels {
  const { width, height, pixels, y, x } = positions;
  checkSize('positions', width, height, 1);
  const maxSizeFraction = options.maxSizeFraction ?? 0.4;
  if (typeof maxSizeFraction !== 'number' || !(maxSizeFraction >= 0)) {
    throw new InvalidArgumentError(
      `maxSizeFraction must be a number ≥ 0, got ${String(maxSizeFraction)}`,
    );
  }
  const count = pixels.length;
  if (y.length !== count || x.length !== count) {
    throw new InvalidArgumentError(
      `positions have ${count} pixels but ${y.length} y and ${x.length} x coordinates`,
    );
  }
  const n = width * height;
  for (let k = 0; k < count; k++) {
    if (pixels[k] >= n) {
      throw new InvalidArgumentError(
        `pixel index ${pixels[k]} is outside the ${width} × ${height} image`,
      );
    }
  }
  const labels = new Uint32Array(n);
  if (count === 0) return { width, height, data: labels };

  const paddedWidth = width + 2 * PAD;
  const paddedHeight = height + 2 * PAD;
  const histogram = new Int32Array(paddedWidth * paddedHeight);
  const bin = new Int32Array(count);
  const candidates: number[] = [];
  for (let k = 0; k < count; k++) {
    // torch `.int()` truncates; then +rpad and clamp to [0, L + rpad − 1].
    const by = clamp(Math.trunc(y[k]) + PAD, 0, height + PAD - 1);
    const bx = clamp(Math.trunc(x[k]) + PAD, 0, width + PAD - 1);
    const b = by * paddedWidth + bx;
    bin[k] = b;
    if (++histogram[b] === 11) candidates.push(b);
  }

  // Seeds: h > 10 and h ≥ its 5 × 5 (in-bounds) maximum, in raster order, then stably by count.
  candidates.sort((a, b) => a - b);
  const seeds = candidates.filter((b) => isLocalMaximum(histogram, paddedWidth, paddedHeight, b));
  if (seeds.length === 0) return { width, height, data: labels };
  seeds.sort((a, b) => histogram[a] - histogram[b]);

  const painted = new Uint32Array(paddedWidth * paddedHeight);
  const side = 2 * HALF + 1;
  const window = new Int32Array(side * side);
  const grown = new Uint8Array(side * side);
  const scratch = new Uint8Array(side * side);
  for (let k = 0; k < seeds.length; k++) {
    const sy = Math.floor(seeds[k] / paddedWidth);
    const sx = seeds[k] - sy * paddedWidth;
    for (let wy = 0; wy < side; wy++) {
      const py = sy + wy - HALF;
      for (let wx = 0; wx < side; wx++) {
        const px = sx + wx - HALF;
        const inside = py >= 0 && py < paddedHeight && px >= 0 && px < paddedWidth;
        window[wy * side + wx] = inside ? histogram[py * paddedWidth + px] : 0;
      }
    }
    grown.fill(0);
    grown[HALF * side + HALF] = 1;
    for (let iteration = 0; iteration < 5; iteration++) {
      // max_pool_nd(kernel 3): along rows, then along columns, clipped to the window.
      for (let wy = 0; wy < side; wy++) {
        for (let wx = 0; wx < side; wx++) {
          const i = wy * side + wx;
          scratch[i] =
            grown[i] | (wy > 0 ? grown[i - side] : 0) | (wy < side - 1 ? grown[i + side] : 0);
        }
      }
      for (let wy = 0; wy < side; wy++) {
        for (let wx = 0; wx < side; wx++) {
          const i = wy * side + wx;
          const dilated =
            scratch[i] | (wx > 0 ? scratch[i - 1] : 0) | (wx < side - 1 ? scratch[i + 1] : 0);
          grown[i] = dilated && window[i] > 2 ? 1 : 0;
        }
      }
    }
    for (let wy = 0; wy < side; wy++) {
      for (let wx = 0; wx < side; wx++) {
        if (grown[wy * side + wx]) {
          painted[(sy + wy - HALF) * paddedWidth + (sx + wx - HALF)] = k + 1;
        }
      }
    }
  }

  const sizes = new Float64Array(seeds.length + 1);
  for (let k = 0; k < count; k++) {
    const label = painted[bin[k]];
    labels[pixels[k]] = label;
    sizes[label]++;
  }
  // Remove big masks (fastremap.mask of labels with count > H·W·max_size_fraction).
  const big = n * maxSizeFraction;
  const remove = new Uint8Array(seeds.length + 1);
  let any = false;
  for (let label = 1; label <= seeds.length; label++) {
    if (sizes[label] > big) {
      remove[label] = 1;
      any = true;
    }
  }
  if (any) for (let i = 0; i < n; i++) if (remove[labels[i]]) labels[i] = 0;
  renumberByFirstAppearance(labels);
  return { width, height, data: labels };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** max_pool_nd(kernel 5) compares only with in-bounds neighbours. */
function isLocalMaximum(histogram: Int32Array, width: number, height: number, b: number): boolean {
  const h = histogram[b];
  const cy = Math.floor(b / width);
  const cx = b - cy * width;
  for (let y = Math.max(0, cy - 2); y <= Math.min(height - 1, cy + 2); y++) {
    for (let x = Math.max(0, cx - 2); x <= Math.min(width - 1, cx + 2); x++) {
      if (histogram[y * width + x] > h) return false;
    }
  }
  return true;
}
