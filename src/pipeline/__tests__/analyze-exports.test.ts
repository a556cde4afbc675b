import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { readLabels } from '../../io/read-labels.js';
import { syntheticCells } from '../../synth/cells.js';
import { analyzeImage } from '../analyze-image.js';
import { parseAnalysisConfig } from '../config.js';

const dir = mkdtempSync(join(tmpdir(), 'cellscope-analyze-exports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = {
  channels: { nuclei: 0, cytoplasm: 1 },
  nuclei: { method: 'classical', diameter: 18 },
  cells: { method: 'from-nuclei' },
};

describe('analyze outputs.exports', () => {
  it('is empty unless asked for, and names the bad format and the good ones', () => {
    expect(parseAnalysisConfig(base).outputs.exports).toBeUndefined();
    expect(
      parseAnalysisConfig({ ...base, outputs: { exports: ['geojson', 'roi-zip'] } }).outputs
        .exports,
    ).toEqual(['geojson', 'roi-zip']);
    const bad = (): unknown =>
      parseAnalysisConfig({ ...base, outputs: { exports: ['geojson', 'shapefile'] } }, 'run.yaml');
    expect(bad).toThrow(InvalidArgumentError);
    expect(bad).toThrow(/outputs\.exports\.1: .*"roi-zip".*"geojson".*"ome-zarr".*"tiff"/);
    expect(() => parseAnalysisConfig({ ...base, outputs: { exports: 'geojson' } })).toThrow(
      /outputs\.exports: /,
    );
  });

  it('writes the exports beside cells.tif and nuclei.tif, cells with their nucleus', async () => {
    const { stack } = syntheticCells({ width: 160, height: 160, cells: 6, seed: 3 });
    const config = parseAnalysisConfig({
      ...base,
      outputs: {
        tables: ['csv'],
        plots: [],
        overlay: false,
        report: false,
        exports: ['roi-zip', 'geojson', 'ome-zarr', 'tiff'],
      },
    });
    const out = join(dir, 'image');
    const summary = await analyzeImage(stack, config, { outDir: out });
    const cells = await readLabels(join(out, 'cells.tif'));
    const labels = [...new Set(cells.data)].filter((v) => v !== 0).sort((a, b) => a - b);
    expect(labels.length).toBeGreaterThan(0);
    const geojson = JSON.parse(readFileSync(join(out, 'cells.geojson'), 'utf8'));
    expect(geojson.features).toHaveLength(labels.length);
    expect(geojson.features.every((f: { nucleusGeometry?: unknown }) => f.nucleusGeometry)).toBe(
      true,
    );
    expect(geojson.features[0].properties.objectType).toBe('cell');
    // The cells_matched row: the cell's label and its nucleus by maximum overlap.
    expect(geojson.features[0].properties.measurements.cell_label).toBe(labels[0]);
    expect(geojson.features[0].properties.measurements.matched_nucleus_label).toBeGreaterThan(0);
    expect(Object.keys(unzipSync(readFileSync(join(out, 'cells_rois.zip'))))).toEqual(
      labels.map((v) => `${v}.roi`),
    );
    expect(
      JSON.parse(readFileSync(join(out, 'cells.ome.zarr', 'labels', '.zattrs'), 'utf8')).labels,
    ).toEqual(['cells', 'nuclei']);
    expect(summary.outputs).toEqual(
      expect.arrayContaining([
        'cells_rois.zip',
        'cells.geojson',
        'cells.ome.zarr',
        'cells_tiled.tif',
        'nuclei_rois.zip',
        'nuclei_tiled.tif',
      ]),
    );
  });
});
