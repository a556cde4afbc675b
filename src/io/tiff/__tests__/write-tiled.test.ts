import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import { pythonHas, runPython } from '../../../export/__tests__/python.js';
import { randomLabels } from '../../../measure/contours/__tests__/fill.js';
import { decodeTiffArray } from '../read.js';
import { encodeTiledLabelsTiff } from '../write-tiled.js';

const hasTifffile = pythonHas(['tifffile', 'numpy'], 'python3-tifffile');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-tiled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// tifffile's view: BigTIFF, tiling, compression, series levels and a sample of every level.
const READ_TIFF = `
import json, sys, tifffile, numpy as np
with tifffile.TiffFile(sys.argv[1]) as tif:
    page = tif.pages[0]
    series = tif.series[0]
    levels = []
    for level in series.levels:
        a = level.asarray()
        levels.append({"shape": list(a.shape), "dtype": str(a.dtype), "sum": int(a.astype(np.uint64).sum()),
                       "row": [int(v) for v in a[1, :8]]})
    full = series.levels[0].asarray().reshape(-1)
    print(json.dumps({"bigtiff": tif.is_bigtiff, "ome": tif.is_ome, "tiled": page.is_tiled,
                      "tile": list(page.tile or []), "compression": int(page.compression),
                      "levels": levels, "sample": [int(v) for v in full[::89]]}))
`;

interface TiffReport {
  bigtiff: boolean;
  ome: boolean;
  tiled: boolean;
  tile: number[];
  compression: number;
  levels: { shape: number[]; dtype: string; sum: number; row: number[] }[];
  sample: number[];
}

function sum(data: Uint32Array): number {
  let total = 0;
  for (const v of data) total += v;
  return total;
}

describe('tiled BigTIFF labels', () => {
  it('reads back pixel for pixel with cellscope’s own reader', () => {
    const labels = randomLabels(300, 200, 30, 51);
    const array = decodeTiffArray(encodeTiledLabelsTiff(labels, { tileSize: 128 }));
    expect([array.axes, array.shape, array.dtype]).toEqual(['YX', [200, 300], 'uint16']);
    expect(Uint32Array.from(array.data)).toEqual(labels.data);
  });

  it('writes uint32 once a label passes 65535', () => {
    const labels = randomLabels(40, 30, 3, 52);
    labels.data[5] = 70000;
    const array = decodeTiffArray(encodeTiledLabelsTiff(labels, { tileSize: 16 }));
    expect(array.dtype).toBe('uint32');
    expect(array.data).toEqual(labels.data);
  });

  it('refuses a tile size that is not a multiple of 16', () => {
    expect(() => encodeTiledLabelsTiff(randomLabels(8, 8, 1, 1), { tileSize: 100 })).toThrow(
      InvalidArgumentError,
    );
  });

  it.runIf(hasTifffile)('tifffile reads a tiled, deflated BigTIFF with the same pixels', () => {
    const labels = randomLabels(700, 500, 50, 53);
    const path = join(dir, 'labels.tif');
    writeFileSync(path, encodeTiledLabelsTiff(labels, { tileSize: 256 }));
    const report = runPython<TiffReport>(READ_TIFF, [path]);
    expect(report).toMatchObject({ bigtiff: true, tiled: true, compression: 8 });
    expect(report.tile).toEqual([256, 256]);
    expect(report.levels).toEqual([
      {
        shape: [500, 700],
        dtype: 'uint16',
        sum: sum(labels.data),
        row: [...labels.data.subarray(700, 708)],
      },
    ]);
    expect(report.sample).toEqual([...labels.data].filter((_, i) => i % 89 === 0));
  });

  it.runIf(hasTifffile)('tifffile reads the pyramidal OME-TIFF level by level', () => {
    const labels = randomLabels(1100, 600, 40, 54);
    const path = join(dir, 'pyramid.ome.tif');
    writeFileSync(
      path,
      encodeTiledLabelsTiff(labels, {
        pyramid: true,
        smallestLevel: 300,
        pixelSizeUm: { x: 0.25, y: 0.25 },
      }),
    );
    const report = runPython<TiffReport>(READ_TIFF, [path]);
    expect(report.ome).toBe(true);
    expect(report.levels.map((l) => [l.shape, l.dtype])).toEqual([
      [[600, 1100], 'uint16'],
      [[300, 550], 'uint16'],
      [[150, 275], 'uint16'],
    ]);
    expect(report.levels[0].sum).toBe(sum(labels.data));
    // Level 1 row 1 is level 0 row 2, every second pixel.
    expect(report.levels[1].row).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((x) => labels.data[2 * 1100 + 2 * x]),
    );
    expect(report.sample).toEqual([...labels.data].filter((_, i) => i % 89 === 0));
  });
});
