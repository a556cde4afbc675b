import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabels } from '../../io/read-labels.js';
import { decodeTiffArray } from '../../io/tiff/read.js';
import { writeTiffFile } from '../../io/tiff/write-file.js';
import { syntheticCells } from '../../synth/cells.js';
import { ExitCode } from '../exit-codes.js';

const MAIN = resolve(import.meta.dirname, '..', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-export-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cellscope(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('segment --export', () => {
  it('writes every export beside --out, from the labels it wrote', async () => {
    const { stack } = syntheticCells({ width: 160, height: 128, cells: 8, seed: 7 });
    const image = join(dir, 'cells.tif');
    await writeTiffFile(image, stack);
    const out = join(dir, 'nuclei.tif');
    const run = cellscope(
      'segment',
      image,
      '--out',
      out,
      '--export',
      'roi-zip,geojson,ome-zarr,tiff',
    );
    expect(run.status, run.stderr).toBe(ExitCode.Ok);
    const labels = await readLabels(out);
    const present = [...new Set(labels.data)].filter((v) => v !== 0).sort((a, b) => a - b);
    expect(present.length).toBeGreaterThan(0);

    const zip = unzipSync(readFileSync(join(dir, 'nuclei_rois.zip')));
    expect(Object.keys(zip)).toEqual(present.map((v) => `${v}.roi`));
    const geojson = JSON.parse(readFileSync(join(dir, 'nuclei.geojson'), 'utf8'));
    expect(
      geojson.features.map((f: { properties: { name: string } }) => f.properties.name),
    ).toEqual(present.map(String));
    expect(geojson.features[0].properties.objectType).toBe('detection');
    expect(geojson.features[0].properties.measurements.area).toBeGreaterThan(0);
    expect(
      JSON.parse(readFileSync(join(dir, 'nuclei.ome.zarr', 'labels', '.zattrs'), 'utf8')),
    ).toEqual({
      labels: ['nuclei'],
    });
    const tiled = decodeTiffArray(readFileSync(join(dir, 'nuclei_tiled.tif')));
    expect(Uint32Array.from(tiled.data)).toEqual(labels.data);
    expect(run.stdout).toContain('nuclei_rois.zip');
  });

  it('refuses an unknown format before any work, with the known ones', () => {
    const out = join(dir, 'never.tif');
    const run = cellscope(
      'segment',
      join(dir, 'missing.tif'),
      '--out',
      out,
      '--export',
      'roi-zip,shp',
    );
    expect(run.status).toBe(ExitCode.InvalidArgument);
    expect(run.stderr).toContain('unknown format "shp"');
    expect(run.stderr).toContain('roi-zip, geojson, ome-zarr, tiff');
    expect(existsSync(out)).toBe(false);
  });
});
