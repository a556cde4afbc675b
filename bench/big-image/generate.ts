import FileSystemStore from '@zarrita/storage/fs';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as zarr from 'zarrita';
import { syntheticCells } from '../../src/synth/cells.js';
import { tiledOmeXml, writeTiledTiff } from '../../src/io/tiff/write-tiled-stream.js';

/** Generated 512² fields, reused round-robin: generating 16k² afresh would take an hour on 2 cores. */
const TILE = 512;

function fields(distinct: number): Uint16Array[][] {
  return Array.from({ length: distinct }, (_, k) => {
    const field = syntheticCells({ width: TILE, height: TILE, cells: 60, seed: 9_100 + k });
    return field.stack.planes.map((p) => p.data as Uint16Array);
  });
}

/**
 * A `size`² 3-channel uint16 slide (DNA, cytoplasm, signal) as a tiled deflate OME-TIFF and an
 * OME-Zarr (NGFF 0.5, chunks of 1 × 512 × 512), both written tile by tile.
 */
export async function generateSlide(
  size: number,
  paths: { tiff: string; zarr: string },
  distinct = 8,
): Promise<void> {
  const tiles = fields(distinct);
  const pick = (row: number, col: number): Uint16Array[] =>
    tiles[(row * 7 + col * 3) % tiles.length];
  writeSlideTiff(paths.tiff, size, pick);
  rmSync(paths.zarr, { recursive: true, force: true });
  const root = zarr.root(new FileSystemStore(paths.zarr));
  const axes = [
    { name: 'c', type: 'channel' },
    { name: 'y', type: 'space', unit: 'micrometer' },
    { name: 'x', type: 'space', unit: 'micrometer' },
  ];
  await zarr.create(root, {
    attributes: {
      ome: {
        version: '0.5',
        multiscales: [
          {
            axes,
            datasets: [
              { path: '0', coordinateTransformations: [{ type: 'scale', scale: [1, 0.65, 0.65] }] },
            ],
          },
        ],
        omero: { channels: [{ label: 'DNA' }, { label: 'cytoplasm' }, { label: 'signal' }] },
      },
    },
  });
  const array = await zarr.create(root.resolve('0'), {
    shape: [3, size, size],
    chunkShape: [1, TILE, TILE],
    dtype: 'uint16',
  });
  for (let row = 0; row < size / TILE; row++) {
    for (let col = 0; col < size / TILE; col++) {
      const planes = pick(row, col);
      for (let c = 0; c < 3; c++) {
        await zarr.set(
          array,
          [c, zarr.slice(row * TILE, (row + 1) * TILE), zarr.slice(col * TILE, (col + 1) * TILE)],
          { data: planes[c], shape: [TILE, TILE], stride: [TILE, 1] },
        );
      }
    }
  }
}

/** The slide as a tiled, deflated OME-TIFF (BigTIFF), one page per channel, through a temp file. */
function writeSlideTiff(
  path: string,
  size: number,
  pick: (row: number, col: number) => Uint16Array[],
): void {
  const temp = `${path}.part`;
  const fd = openSync(temp, 'w');
  try {
    writeTiledTiff(
      { write: (bytes, position) => void writeSync(fd, bytes, 0, bytes.length, position) },
      {
        width: size,
        height: size,
        bytesPerSample: 2,
        channels: 3,
        tileSize: TILE,
        description: tiledOmeXml({
          name: 'slide',
          width: size,
          height: size,
          bytesPerSample: 2,
          channelNames: ['DNA', 'cytoplasm', 'signal'],
        }),
      },
      ({ channel, row, col }) => pick(row, col)[channel],
    );
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
