import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import { pythonHas, runPython } from '../../../export/__tests__/python.js';
import { tiffPyramid } from '../region.js';
import {
  levelSize,
  memorySink,
  tiledOmeXml,
  writeTiledTiff,
  type TileIndex,
} from '../write-tiled-stream.js';

const hasTifffile = pythonHas(['tifffile', 'numpy'], 'python3-tifffile');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every pixel known in closed form: level k holds level 0's pixel (x·2^k, y·2^k), per channel.
const [W, H, TILE, LEVELS] = [300, 200, 64, 3];
const CHANNELS = ['DNA', 'actin', 'signal'];
const value = (c: number, x: number, y: number): number => (x * 7 + y * 13 + c * 1000) % 65536;

function patternTile({ level, channel, row, col }: TileIndex): Uint16Array {
  const tile = new Uint16Array(TILE * TILE);
  const step = 2 ** level;
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      tile[y * TILE + x] = value(channel, (col * TILE + x) * step, (row * TILE + y) * step);
    }
  }
  return tile;
}

const layout = {
  width: W,
  height: H,
  bytesPerSample: 2,
  channels: CHANNELS.length,
  tileSize: TILE,
  levels: LEVELS,
  pixelSizeUm: { x: 0.325, y: 0.65 },
  description: tiledOmeXml({
    name: 'stream',
    width: W,
    height: H,
    bytesPerSample: 2,
    channelNames: CHANNELS,
  }),
} as const;

describe('writeTiledTiff: a pyramidal OME-TIFF streamed tile by tile', () => {
  const asked: string[] = [];
  const sink = memorySink();
  const length = writeTiledTiff(sink, layout, (index) => {
    asked.push(`${index.level}/${index.channel}/${index.row}/${index.col}`);
    return patternTile(index);
  });
  const file = sink.bytes(length);

  it('asks for each tile once, level by level, channel by channel, row-major', () => {
    const expected: string[] = [];
    for (let k = 0; k < LEVELS; k++) {
      for (let c = 0; c < CHANNELS.length; c++) {
        const [across, down] = [levelSize(W, k), levelSize(H, k)].map((s) => Math.ceil(s / TILE));
        for (let r = 0; r < down; r++)
          for (let q = 0; q < across; q++) expected.push(`${k}/${c}/${r}/${q}`);
      }
    }
    expect(asked).toEqual(expected);
  });

  it('reads back level by level, channel by channel, with the OME-XML names', async () => {
    const levels = tiffPyramid(file);
    expect(levels.map((l) => [l.width, l.height])).toEqual([
      [300, 200],
      [150, 100],
      [75, 50],
    ]);
    expect(levels[0].channelNames).toEqual(CHANNELS);
    for (const [k, level] of levels.entries()) {
      const region = { x: 0, y: 0, width: level.width, height: level.height };
      const stack = await level.read(region);
      let wrong = 0;
      stack.planes.forEach((plane, c) => {
        for (let y = 0; y < level.height; y++) {
          for (let x = 0; x < level.width; x++) {
            if (plane.data[y * level.width + x] !== value(c, x * 2 ** k, y * 2 ** k)) wrong++;
          }
        }
      });
      expect(wrong, `level ${k}`).toBe(0);
    }
  });

  it('streams to a file at positions, never holding the file', () => {
    const path = join(dir, 'streamed.ome.tif');
    const fd = openSync(path, 'w');
    let largest = 0;
    const written = writeTiledTiff(
      {
        write(bytes, position) {
          largest = Math.max(largest, bytes.length);
          writeSync(fd, bytes, 0, bytes.length, position);
        },
      },
      layout,
      patternTile,
    );
    closeSync(fd);
    expect(written).toBe(length);
    // Each write is one deflated tile or one directory: never more than a raw tile.
    expect(largest).toBeLessThan(TILE * TILE * 2);
  });

  it('refuses a tile of the wrong size or type', () => {
    expect(() => writeTiledTiff(memorySink(), layout, () => new Uint16Array(10))).toThrow(
      InvalidArgumentError,
    );
    expect(() => writeTiledTiff(memorySink(), layout, () => new Uint32Array(TILE * TILE))).toThrow(
      InvalidArgumentError,
    );
  });

  it.runIf(hasTifffile)('tifffile reads the channels and every level', () => {
    const path = join(dir, 'memory.ome.tif');
    writeFileSync(path, file);
    const report = runPython<{
      bigtiff: boolean;
      ome: boolean;
      axes: string;
      levels: { shape: number[]; dtype: string; values: number[]; perCm: number[] }[];
    }>(
      `
import json, sys, tifffile
with tifffile.TiffFile(sys.argv[1]) as tif:
    series = tif.series[0]
    levels = []
    for level in series.levels:
        a = level.asarray()
        tags = level.keyframe.tags
        assert tags["ResolutionUnit"].value == 3  # centimetre
        per_cm = [n / d for n, d in (tags["XResolution"].value, tags["YResolution"].value)]
        levels.append({"shape": list(a.shape), "dtype": str(a.dtype),
                       "values": [int(a[c, 17, 41]) for c in range(a.shape[0])],
                       "perCm": per_cm})
    print(json.dumps({"bigtiff": tif.is_bigtiff, "ome": tif.is_ome, "axes": series.axes,
                      "levels": levels}))
`,
      [path],
    );
    expect(report).toMatchObject({ bigtiff: true, ome: true, axes: 'CYX' });
    expect(report.levels).toEqual(
      [0, 1, 2].map((k) => ({
        shape: [3, levelSize(H, k), levelSize(W, k)],
        dtype: 'uint16',
        values: [0, 1, 2].map((c) => value(c, 41 * 2 ** k, 17 * 2 ** k)),
        perCm: [
          expect.closeTo(1e4 / (0.325 * 2 ** k), 9),
          expect.closeTo(1e4 / (0.65 * 2 ** k), 9),
        ],
      })),
    );
  });
});
