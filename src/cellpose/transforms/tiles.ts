import { InvalidArgumentError } from '../../errors.js';
import { numpyExp64 } from '../../image/numpy-float.js';
import type { Float32Plane } from './types.js';

/** Zero padding on each side of an image, in pixels. */
export interface PadSizes {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Cellpose's `transforms.get_pad_yx(Ly, Lx, div=16, extra=1)`: pads each axis to a multiple of
 * 16 plus 8 pixels on each side, the odd pixel going after: `Lpad = 16·⌈L/16⌉ − L`,
 * before `8 + ⌊Lpad/2⌋`, after `8 + Lpad − ⌊Lpad/2⌋`. E.g. 1011 → 14 and 15.
 */
export function padSizes(height: number, width: number): PadSizes {
  assertSize(height, width);
  const padY = 16 * Math.ceil(height / 16) - height;
  const padX = 16 * Math.ceil(width / 16) - width;
  return {
    top: 8 + Math.floor(padY / 2),
    bottom: 8 + padY - Math.floor(padY / 2),
    left: 8 + Math.floor(padX / 2),
    right: 8 + padX - Math.floor(padX / 2),
  };
}

export interface TileLayoutOptions {
  /** Tile edge in pixels (the network needs multiples of 8). @default 224 */
  bsize?: number;
  /**
   * Cellpose's test-time augmentation: tiles of `bsize` overlapping by about half, alternate
   * tiles flipped. @default false
   */
  augment?: boolean;
  /** Overlap as a fraction of the tile, clamped to [0.05, 0.5]; ignored with `augment`. @default 0.1 */
  tileOverlap?: number;
}

/** Where the network tiles of one (padded) image lie; tile k = (j, i) is row-major, k = j·nx + i. */
export interface TileLayout {
  /** Rows of the tiled image: the padded height, or `bsize` if smaller and `augment`. */
  readonly height: number;
  /** Columns of the tiled image: the padded width, or `bsize` if smaller and `augment`. */
  readonly width: number;
  readonly tileHeight: number;
  readonly tileWidth: number;
  /** Tile rows and columns. */
  readonly ny: number;
  readonly nx: number;
  /** First row of each tile row and first column of each tile column. */
  readonly yStarts: readonly number[];
  readonly xStarts: readonly number[];
  readonly augment: boolean;
}

/**
 * Cellpose's `transforms.make_tiles` geometry for a padded image of `height × width`:
 *
 * - default: tiles of `min(bsize, L)` per axis, `n = 1` if `L ≤ bsize`, else
 *   `⌈(1 + 2·overlap)·L / bsize⌉`;
 * - `augment`: the image is first zero-extended at the bottom/right to at least `bsize`, tiles
 *   are `bsize`, `n = max(2, ⌈2·L / bsize⌉)`.
 *
 * Starts are NumPy's `linspace(0, L − tile, n)` truncated to integers, the last one exactly
 * `L − tile`.
 */
export function tileLayout(
  height: number,
  width: number,
  options: TileLayoutOptions = {},
): TileLayout {
  assertSize(height, width);
  const bsize = options.bsize ?? 224;
  if (!Number.isInteger(bsize) || bsize < 1) {
    throw new InvalidArgumentError(`bsize must be a positive integer, got ${bsize}`);
  }
  const augment = options.augment ?? false;
  if (augment) {
    const tiledHeight = Math.max(height, bsize);
    const tiledWidth = Math.max(width, bsize);
    const ny = Math.max(2, Math.ceil((2 * tiledHeight) / bsize));
    const nx = Math.max(2, Math.ceil((2 * tiledWidth) / bsize));
    return {
      height: tiledHeight,
      width: tiledWidth,
      tileHeight: bsize,
      tileWidth: bsize,
      ny,
      nx,
      yStarts: linspaceStarts(tiledHeight - bsize, ny),
      xStarts: linspaceStarts(tiledWidth - bsize, nx),
      augment,
    };
  }
  const overlap = Math.min(0.5, Math.max(0.05, options.tileOverlap ?? 0.1));
  const tileHeight = Math.min(bsize, height);
  const tileWidth = Math.min(bsize, width);
  const ny = height <= bsize ? 1 : Math.ceil(((1 + 2 * overlap) * height) / bsize);
  const nx = width <= bsize ? 1 : Math.ceil(((1 + 2 * overlap) * width) / bsize);
  return {
    height,
    width,
    tileHeight,
    tileWidth,
    ny,
    nx,
    yStarts: linspaceStarts(height - tileHeight, ny),
    xStarts: linspaceStarts(width - tileWidth, nx),
    augment,
  };
}

/** `np.linspace(0, span, count).astype(int)`: `trunc(k·(span/(count−1)))`, the last exactly `span`. */
export function linspaceStarts(span: number, count: number): number[] {
  if (count === 1) return [0];
  const step = span / (count - 1);
  const starts: number[] = [];
  for (let k = 0; k < count - 1; k++) starts.push(Math.trunc(k * step));
  starts.push(span);
  return starts;
}

/**
 * Cellpose's `transforms._taper_mask`: the blending weight of one tile, row-major
 * `tileHeight × tileWidth` float64. With `b = max(224, tileHeight, tileWidth)`,
 * `m(i) = 1 / (1 + exp((|i − (b−1)/2| − (b/2 − 20)) / 7.5))` for `i < b`, the mask is
 * `m(row)·m(col)` cropped to the centred `tileHeight × tileWidth` window (for odd sizes the
 * extra row/column is after the centre). `exp` is NumPy's (AVX-512 SVML) so it matches bit for bit.
 */
export function taperMask(tileHeight: number, tileWidth: number): Float64Array {
  assertSize(tileHeight, tileWidth);
  const b = Math.max(224, tileHeight, tileWidth);
  const centre = (b - 1) / 2;
  const m = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    m[i] = 1 / (1 + numpyExp64((Math.abs(i - centre) - (b / 2 - 20)) / 7.5));
  }
  const y0 = Math.floor(b / 2) - Math.floor(tileHeight / 2);
  const x0 = Math.floor(b / 2) - Math.floor(tileWidth / 2);
  const mask = new Float64Array(tileHeight * tileWidth);
  for (let y = 0; y < tileHeight; y++) {
    for (let x = 0; x < tileWidth; x++) mask[y * tileWidth + x] = m[x0 + x] * m[y0 + y];
  }
  return mask;
}

/** Whether tile (j, i) is flipped vertically and/or horizontally under `augment`. */
function tileFlips(layout: TileLayout, tile: number): [boolean, boolean] {
  if (!layout.augment) return [false, false];
  const j = Math.floor(tile / layout.nx);
  const i = tile % layout.nx;
  // make_tiles: j even & i odd → rows flipped, j odd & i even → columns, both odd → both.
  return [i % 2 === 1, j % 2 === 1];
}

/**
 * Cuts tiles `first … first + count − 1` out of an image of channel planes, as `make_tiles` does
 * after `np.pad`: the planes sit at `(pads.top, pads.left)` inside the zero-padded
 * `layout.height × layout.width` canvas, and `augment` tiles are flipped as Cellpose flips them.
 * Returns `count × channels × tileHeight × tileWidth` float32 (the network's NCHW batch).
 */
export function extractTiles(
  planes: readonly Float32Plane[],
  pads: Pick<PadSizes, 'top' | 'left'>,
  layout: TileLayout,
  first = 0,
  count = layout.ny * layout.nx - first,
): Float32Array {
  const { tileHeight: th, tileWidth: tw } = layout;
  const channels = planes.length;
  const out = new Float32Array(count * channels * th * tw);
  for (let t = 0; t < count; t++) {
    const tile = first + t;
    const y0 = layout.yStarts[Math.floor(tile / layout.nx)] - pads.top;
    const x0 = layout.xStarts[tile % layout.nx] - pads.left;
    const [flipRows, flipCols] = tileFlips(layout, tile);
    for (let c = 0; c < channels; c++) {
      const { width, height, data } = planes[c];
      const base = (t * channels + c) * th * tw;
      for (let ty = 0; ty < th; ty++) {
        const y = y0 + ty;
        if (y < 0 || y >= height) continue;
        const row = base + (flipRows ? th - 1 - ty : ty) * tw;
        for (let tx = 0; tx < tw; tx++) {
          const x = x0 + tx;
          if (x < 0 || x >= width) continue;
          out[row + (flipCols ? tw - 1 - tx : tx)] = data[y * width + x];
        }
      }
    }
  }
  return out;
}

/**
 * Cellpose's `transforms.unaugment_tiles` for one tile's network output
 * (`channels × tileHeight × tileWidth` at `offset`), in place: undoes the flip of tile `tile`
 * and negates dY (channel 0) after a vertical flip and dX (channel 1) after a horizontal one.
 * Does nothing without `layout.augment`.
 */
export function unaugmentTile(
  output: Float32Array,
  offset: number,
  channels: number,
  layout: TileLayout,
  tile: number,
): void {
  const [flipRows, flipCols] = tileFlips(layout, tile);
  if (!flipRows && !flipCols) return;
  const { tileHeight: th, tileWidth: tw } = layout;
  const scratch = new Float32Array(th * tw);
  for (let c = 0; c < channels; c++) {
    const base = offset + c * th * tw;
    scratch.set(output.subarray(base, base + th * tw));
    const sign = (c === 0 && flipRows) || (c === 1 && flipCols) ? -1 : 1;
    for (let y = 0; y < th; y++) {
      const sy = flipRows ? th - 1 - y : y;
      for (let x = 0; x < tw; x++) {
        const sx = flipCols ? tw - 1 - x : x;
        output[base + y * tw + x] = sign * scratch[sy * tw + sx];
      }
    }
  }
}

/** Accumulates tile outputs in order, as `transforms.average_tiles` does in one go. */
export interface TileAverager {
  /** Adds tile `tile`'s output (`channels × tileHeight × tileWidth` at `offset`). */
  add(tile: number, output: Float32Array, offset: number): void;
  /** `channels × layout.height × layout.width`: the taper-weighted mean. */
  result(): Float32Array;
}

/**
 * An accumulator with `average_tiles` numerics: each tile is multiplied by the taper mask in
 * float64 and added to a float32 sum (`f32(sum + y·m)`), the weights are summed in float64, and
 * the result is `f32(sum / weights)`. Add tiles in the order Cellpose does (k = 0, 1, …) for a
 * bit-identical result.
 */
export function createTileAverager(layout: TileLayout, channels: number): TileAverager {
  const { height, width, tileHeight: th, tileWidth: tw } = layout;
  const mask = taperMask(th, tw);
  const sum = new Float32Array(channels * height * width);
  const weights = new Float64Array(height * width);
  return {
    add(tile, output, offset) {
      const y0 = layout.yStarts[Math.floor(tile / layout.nx)];
      const x0 = layout.xStarts[tile % layout.nx];
      for (let c = 0; c < channels; c++) {
        const src = offset + c * th * tw;
        const dst = c * height * width;
        for (let y = 0; y < th; y++) {
          const row = dst + (y0 + y) * width + x0;
          for (let x = 0; x < tw; x++) {
            sum[row + x] += output[src + y * tw + x] * mask[y * tw + x];
          }
        }
      }
      for (let y = 0; y < th; y++) {
        const row = (y0 + y) * width + x0;
        for (let x = 0; x < tw; x++) weights[row + x] += mask[y * tw + x];
      }
    },
    result() {
      const out = new Float32Array(sum.length);
      for (let c = 0; c < channels; c++) {
        const base = c * height * width;
        for (let p = 0; p < height * width; p++) out[base + p] = sum[base + p] / weights[p];
      }
      return out;
    },
  };
}

/**
 * Cellpose's `transforms.average_tiles`: all tile outputs (`ntiles × channels × tileHeight ×
 * tileWidth`, row-major tile order, already un-augmented) blended with the taper mask into
 * `channels × layout.height × layout.width` float32.
 */
export function averageTiles(
  tiles: Float32Array,
  layout: TileLayout,
  channels: number,
): Float32Array {
  const count = layout.ny * layout.nx;
  const size = channels * layout.tileHeight * layout.tileWidth;
  if (tiles.length !== count * size) {
    throw new InvalidArgumentError(
      `expected ${count} tiles of ${channels} × ${layout.tileHeight} × ${layout.tileWidth} values (${count * size}), got ${tiles.length}`,
    );
  }
  const averager = createTileAverager(layout, channels);
  for (let t = 0; t < count; t++) averager.add(t, tiles, t * size);
  return averager.result();
}

function assertSize(height: number, width: number): void {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new InvalidArgumentError(
      `image size must be positive integers, got ${height} × ${width} (height × width)`,
    );
  }
}
