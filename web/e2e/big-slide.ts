// The e2e tests' whole-slide image: a 16384² 2-channel uint16 pattern known in closed form, so
// that any tile of any level is computed on its own, and written tile by tile (never a plane in
// memory) as a pyramidal OME-TIFF and as an OME-Zarr folder.
import FileSystemStore from '@zarrita/storage/fs';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as zarr from 'zarrita';
import {
  tiledOmeXml,
  writeTiledTiff,
  type TileIndex,
} from '../../src/io/tiff/write-tiled-stream.js';

export const SIZE = 16384;
export const TILE = 512;
/** 16384² down to 512²: six levels, each half the last. */
export const LEVELS = 6;
export const CHANNELS = ['DNA', 'actin'];
/** Nuclei: discs of radius 9 every 64 px, centres at 32 + 64k. */
export const SPACING = 64;
export const RADIUS = 9;
/** Cytoplasm: discs of radius 24 around the nuclei, apart from their neighbours'. */
export const CELL_RADIUS = 24;
/** A one-pixel checkerboard at full resolution; every reduced level sees only its dark squares. */
export const CHECKER = { x: 12000, y: 9000, size: 64 };
export const [DARK, BRIGHT, NUCLEUS] = [1000, 40000, 20000];

export function inChecker(x: number, y: number): boolean {
  return (
    x >= CHECKER.x && x < CHECKER.x + CHECKER.size && y >= CHECKER.y && y < CHECKER.y + CHECKER.size
  );
}

/** Full-resolution DNA: background, discs, the checkerboard over them. */
export function dna(x: number, y: number): number {
  if (inChecker(x, y)) return (x + y) & 1 ? BRIGHT : DARK;
  const [dx, dy] = [(x & (SPACING - 1)) - SPACING / 2, (y & (SPACING - 1)) - SPACING / 2];
  return dx * dx + dy * dy <= RADIUS * RADIUS ? NUCLEUS : DARK;
}

/**
 * Full-resolution actin: the cytoplasm discs (so that "grown from nuclei" finds one cell per
 * nucleus) over a ramp in x and y, so that tiles differ and a misplaced one shows.
 */
export function actin(x: number, y: number): number {
  const [dx, dy] = [(x & (SPACING - 1)) - SPACING / 2, (y & (SPACING - 1)) - SPACING / 2];
  return (dx * dx + dy * dy <= CELL_RADIUS * CELL_RADIUS ? 3000 : 500) + (x >> 5) + (y >> 5);
}

/**
 * Tile (row, col) of a level: level k holds full-resolution pixel (x·2^k, y·2^k), the
 * nearest-neighbour halving pyramid writers use.
 */
export function slideTile(
  { level, channel, row, col }: TileIndex,
  out = new Uint16Array(TILE * TILE),
): Uint16Array {
  const step = 2 ** level;
  const [x0, y0] = [col * TILE * step, row * TILE * step];
  const checker = boxesMeet(x0, y0, TILE * step, CHECKER);
  for (let y = 0; y < TILE; y++) {
    const sy = y0 + y * step;
    const line = out.subarray(y * TILE, (y + 1) * TILE);
    const dy = (sy & (SPACING - 1)) - SPACING / 2;
    if (channel === 1) {
      for (let x = 0; x < TILE; x++) line[x] = actin(x0 + x * step, sy);
    } else if (dy * dy > RADIUS * RADIUS && !checker) {
      line.fill(DARK); // no disc crosses this row: the common case, filled at once
    } else {
      for (let x = 0; x < TILE; x++) line[x] = dna(x0 + x * step, sy);
    }
  }
  return out;
}

/** Whether a square of `side` at (x, y) meets `box`. */
function boxesMeet(x: number, y: number, side: number, box: typeof CHECKER): boolean {
  return x < box.x + box.size && box.x < x + side && y < box.y + box.size && box.y < y + side;
}

/** The slide as a pyramidal OME-TIFF (BigTIFF, 512² deflated tiles, levels as SubIFDs). */
export function writeSlideTiff(path: string): number {
  const fd = openSync(path, 'w');
  const tile = new Uint16Array(TILE * TILE);
  try {
    return writeTiledTiff(
      { write: (bytes, position) => void writeSync(fd, bytes, 0, bytes.length, position) },
      {
        width: SIZE,
        height: SIZE,
        bytesPerSample: 2,
        channels: CHANNELS.length,
        tileSize: TILE,
        levels: LEVELS,
        deflateLevel: 1,
        description: tiledOmeXml({
          name: 'slide',
          width: SIZE,
          height: SIZE,
          bytesPerSample: 2,
          channelNames: CHANNELS,
          pixelSizeUm: { x: 0.5, y: 0.5 },
        }),
        pixelSizeUm: { x: 0.5, y: 0.5 },
      },
      (index) => slideTile(index, tile),
    );
  } finally {
    closeSync(fd);
  }
}

/**
 * The slide as an NGFF 0.5 (Zarr v3) image, 1 × 512 × 512 gzip chunks, every chunk written
 * (none left to the fill value), one at a time. zarrita writes the metadata; it cannot encode
 * gzip, so the chunks are gzipped here under Zarr v3's default keys (`c/<c>/<row>/<col>`).
 */
export async function writeSlideZarr(folder: string): Promise<void> {
  const root = zarr.root(new FileSystemStore(folder));
  await zarr.create(root, {
    attributes: {
      ome: {
        version: '0.5',
        multiscales: [
          {
            axes: [
              { name: 'c', type: 'channel' },
              { name: 'y', type: 'space', unit: 'micrometer' },
              { name: 'x', type: 'space', unit: 'micrometer' },
            ],
            datasets: Array.from({ length: LEVELS }, (_, k) => ({
              path: String(k),
              coordinateTransformations: [
                { type: 'scale', scale: [1, 0.5 * 2 ** k, 0.5 * 2 ** k] },
              ],
            })),
          },
        ],
        omero: { channels: CHANNELS.map((label) => ({ label })) },
      },
    },
  });
  const tile = new Uint16Array(TILE * TILE);
  // This machine's byte order, as the `bytes` codec says: little-endian on every host we run on.
  const bytes = new Uint8Array(tile.buffer);
  for (let level = 0; level < LEVELS; level++) {
    const size = SIZE / 2 ** level;
    await zarr.create(root.resolve(String(level)), {
      shape: [CHANNELS.length, size, size],
      chunkShape: [1, TILE, TILE],
      dtype: 'uint16',
      codecs: [
        { name: 'bytes', configuration: { endian: 'little' } },
        { name: 'gzip', configuration: { level: 1 } },
      ],
      fillValue: 0,
      dimensionNames: ['c', 'y', 'x'],
    });
    for (let channel = 0; channel < CHANNELS.length; channel++) {
      for (let row = 0; row < size / TILE; row++) {
        const dir = join(folder, String(level), 'c', String(channel), String(row));
        mkdirSync(dir, { recursive: true });
        for (let col = 0; col < size / TILE; col++) {
          slideTile({ level, channel, row, col }, tile);
          writeFileSync(join(dir, String(col)), gzipSync(bytes, { level: 1 }));
        }
      }
    }
  }
}
