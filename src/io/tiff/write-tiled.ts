import { InvalidArgumentError } from '../../errors.js';
import type { Labels, PixelSize } from '../../image/types.js';
import { memorySink, tiledOmeXml, writeTiledTiff } from './write-tiled-stream.js';

export interface WriteTiledLabelsOptions {
  /** Tile edge in pixels, a multiple of 16 (TIFF 6.0 §15). @default 512 */
  tileSize?: number;
  /**
   * Reduced levels (nearest neighbour, each half the last) as SubIFDs of the full image, with
   * an OME-XML description: a pyramidal OME-TIFF that QuPath, napari and tifffile open by level.
   * @default false
   */
  pyramid?: boolean;
  /** Stop the pyramid once a level fits in this many pixels per side. @default 512 */
  smallestLevel?: number;
  /** Pixel size to record (OME-XML PhysicalSize in a pyramid; resolution tags always). */
  pixelSizeUm?: PixelSize;
}

/**
 * Encodes a label image as a tiled, deflate-compressed little-endian BigTIFF (no 4 GiB limit),
 * uint16 when every label fits, else uint32; optionally a pyramidal OME-TIFF. Readers fetch
 * only the tiles they show, so whole-slide label images open without loading the plane.
 */
export function encodeTiledLabelsTiff(
  labels: Labels,
  options: WriteTiledLabelsOptions = {},
): Uint8Array {
  const { tileSize = 512, pyramid = false, smallestLevel = 512, pixelSizeUm } = options;
  if (!Number.isInteger(tileSize) || tileSize < 16 || tileSize % 16 !== 0) {
    throw new InvalidArgumentError(`tileSize must be a positive multiple of 16, not ${tileSize}`);
  }
  let max = 0;
  for (let i = 0; i < labels.data.length; i++) if (labels.data[i] > max) max = labels.data[i];
  const bytesPerSample = max <= 0xffff ? 2 : 4;

  // The levels are halved in memory (the labels are there already); tiles are cut as asked.
  const planes = [labels];
  for (let last = labels; pyramid && Math.max(last.width, last.height) > smallestLevel;) {
    last = halve(last);
    planes.push(last);
  }
  const description = pyramid
    ? tiledOmeXml({
        name: 'labels',
        width: labels.width,
        height: labels.height,
        bytesPerSample,
        channelNames: ['labels'],
        pixelSizeUm,
      })
    : undefined;
  const tile =
    bytesPerSample === 2
      ? new Uint16Array(tileSize * tileSize)
      : new Uint32Array(tileSize * tileSize);
  const sink = memorySink();
  const length = writeTiledTiff(
    sink,
    {
      width: labels.width,
      height: labels.height,
      bytesPerSample,
      tileSize,
      levels: planes.length,
      description,
      pixelSizeUm,
    },
    ({ level, row, col }) => cutTile(planes[level], tile, tileSize, row, col),
  );
  return sink.bytes(length);
}

/** Tile (row, col) of `labels` into `tile` (edge tiles padded with 0). */
function cutTile(
  labels: Labels,
  tile: Uint16Array | Uint32Array,
  tileSize: number,
  row: number,
  col: number,
): Uint16Array | Uint32Array {
  const { width, height, data } = labels;
  const [tx, ty] = [col * tileSize, row * tileSize];
  tile.fill(0);
  const rows = Math.min(tileSize, height - ty);
  const cols = Math.min(tileSize, width - tx);
  for (let y = 0; y < rows; y++) {
    const from = (ty + y) * width + tx;
    tile.set(data.subarray(from, from + cols), y * tileSize);
  }
  return tile;
}

/** Half the size, each pixel the label under its centre's nearest source pixel (never averaged). */
function halve(labels: Labels): Labels {
  const width = Math.ceil(labels.width / 2);
  const height = Math.ceil(labels.height / 2);
  const data = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = labels.data[2 * y * labels.width + 2 * x];
  }
  return { width, height, data };
}
