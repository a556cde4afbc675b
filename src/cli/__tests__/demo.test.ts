import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readImage } from '../../io/read-image.js';
import { readTableFile } from '../../io/table/file.js';
import { numericColumn } from '../../table/table.js';
import { ExitCode } from '../exit-codes.js';
import { cellscope } from './run-cli.js';

describe('cellscope demo', () => {
  it('demo runs the whole workflow on the packaged ExampleHuman sample', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cellscope-demo-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const { status, stdout, stderr } = cellscope('demo', '--out', out);
    expect(stderr).toBe('');
    expect(status).toBe(ExitCode.Ok);
    expect(stdout).toContain('512 × 512, channels DNA, PH3, phalloidin');
    expect(stdout).toContain(
      'channel roles from their names: nuclei DNA, cytoplasm phalloidin, also measured PH3',
    );
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      sample: { licence: string };
      analysis: { nuclei: number; cells: number; cellsWithNucleus: number };
    };
    expect(summary.sample.licence).toBe('CC0-1.0');
    // 336 nuclei and 320 cells, 312 of them with a nucleus, with nuclei and cells v5 (v4: 318
    // cells, 310 with a nucleus; v3: 305, as v4 added cells the image border cuts; the 8 others
    // are small nucleus-free masks in gaps that merge-fragments does not glue onto a neighbour);
    // ±1 % leaves room for other CPUs' float rounding, yet catches a model change (v1: 339 nuclei).
    const { nuclei, cells, cellsWithNucleus } = summary.analysis;
    expect(Math.abs(nuclei - 336)).toBeLessThanOrEqual(3);
    expect(Math.abs(cells - 320)).toBeLessThanOrEqual(3);
    expect(Math.abs(cellsWithNucleus - 312)).toBeLessThanOrEqual(3);
    expect(cellsWithNucleus).toBeLessThan(cells);
    expect(stdout).toContain(`${nuclei} nuclei and ${cells} cells`);
    const analysis = join(out, 'analysis');
    const nucleiTable = await readTableFile(join(analysis, 'nuclei.csv'));
    const cellsTable = await readTableFile(join(analysis, 'cells.csv'));
    const matched = await readTableFile(join(analysis, 'cells_matched.csv'));
    expect([nucleiTable.rowCount, cellsTable.rowCount, matched.rowCount]).toEqual([
      nuclei,
      cells,
      cells,
    ]);
    // One column scheme, by channel name, in all three tables.
    for (const table of [nucleiTable, cellsTable]) {
      expect(Object.keys(table.columns).filter((c) => c.startsWith('intensity_mean'))).toEqual([
        'intensity_mean_DNA',
        'intensity_mean_phalloidin',
        'intensity_mean_PH3',
      ]);
    }
    // PH3 marks the few mitotic cells: far brighter than the median cell.
    const ph3 = Array.from(numericColumn(matched, 'cell_intensity_mean_PH3')).sort((a, b) => a - b);
    expect(ph3[ph3.length - 1]).toBeGreaterThan(3 * ph3[ph3.length >> 1]);
    for (const name of ['composite.png', 'channel_phalloidin.png', 'analysis/report.html']) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
  }, 180_000);

  it('demo --synthetic writes a 3-channel image with its ground truth and scores against it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cellscope-demo-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const { status, stdout, stderr } = cellscope('demo', '--synthetic', '--out', out);
    expect(stderr).toBe('');
    expect(status).toBe(ExitCode.Ok);
    expect(stdout).toMatch(/shape +3 × 512 × 512/);
    for (const name of [
      'synthetic.tif',
      'truth_nuclei.tif',
      'truth_cells.tif',
      'composite.png',
      'summary.json',
    ]) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
    const image = await readImage(join(out, 'synthetic.tif'));
    expect(image.channelNames).toEqual(['DNA', 'cytoplasm', 'signal']);
    expect(image.pixelSizeUm?.x).toBeCloseTo(0.65, 6);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      outputs: string[];
      groundTruth: Record<'nuclei' | 'cells', { f1: number }>;
    };
    expect(summary.outputs).toContain('composite.png');
    expect(summary.outputs).toContain('analysis/report.html');
    expect(summary.outputs).toContain('analysis/cells_matched.csv');
    // The default models find the dim nuclei (25–40 % brightness) that a global Otsu threshold
    // misses (the classical workflow scores F1 0.92 for nuclei and 0.89 for cells here).
    expect(summary.groundTruth.nuclei.f1).toBeGreaterThanOrEqual(0.97);
    expect(summary.groundTruth.cells.f1).toBeGreaterThanOrEqual(0.97);
    expect(stdout).toContain('(cellscope-nuclei and cellscope-cells)');
    expect(stdout).toMatch(/report: .*analysis\/report\.html/);
    const matched = await readTableFile(join(out, 'analysis', 'cells_matched.csv'));
    expect(Object.keys(matched.columns)).toContain('cytoplasm_intensity_mean_signal');
  }, 180_000);
});
