import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTableFile } from '../../io/table/file.js';
import { writeTiffFile } from '../../io/tiff/write-file.js';
import { readLabels } from '../../io/read-labels.js';
import { numericColumn } from '../../table/table.js';
import { syntheticCells } from '../../synth/cells.js';
import { createStack } from '../../image/stack.js';
import { analyzeImage, type ImageSummary } from '../analyze-image.js';
import { analyzeBatch, collectImages, readConditions } from '../batch.js';
import { parseAnalysisConfig } from '../config.js';

const dir = mkdtempSync(join(tmpdir(), 'cellscope-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = parseAnalysisConfig({
  channels: { nuclei: 'DNA', cytoplasm: 'cytoplasm', others: ['signal'] },
  nuclei: { method: 'classical', diameter: 18 },
  cells: { method: 'from-nuclei' },
});

/** Every file under a folder, relative, sorted. */
function listFiles(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? listFiles(join(folder, e.name), `${prefix}${e.name}/`)
        : [`${prefix}${e.name}`],
    )
    .sort();
}

describe('analyzeImage', () => {
  it('writes every output of the workflow for a generated image, every cell with its own nucleus', async () => {
    const { stack } = syntheticCells({ width: 256, height: 256, cells: 12, seed: 3 });
    const out = join(dir, 'one');
    const summary = await analyzeImage(stack, config, { outDir: out, name: 'synthetic' });
    expect(summary.cells).toBeGreaterThanOrEqual(10);
    expect(summary.cellsWithNucleus).toBe(summary.cells);
    expect(summary.conflicts).toEqual({
      sharedNuclei: 0,
      multinucleateCells: 0,
      nucleiOutsideCells: 0,
    });
    const files = listFiles(out);
    for (const expected of [
      'cells.csv',
      'cells.parquet',
      'cells.tif',
      'cells_matched.csv',
      'cells_matched.parquet',
      'nuclei.csv',
      'nuclei.parquet',
      'nuclei.tif',
      'overlay.png',
      'plots/A_areas.png',
      'plots/A_areas.svg',
      'plots/D.png',
      'plots/F.svg',
      'plots/summary_correlations.png',
      'report.html',
      'summary.json',
    ]) {
      expect(files).toContain(expected);
    }
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    const matched = await readTableFile(join(out, 'cells_matched.csv'));
    expect(matched.rowCount).toBe(summary.cells);
    expect(Array.from(numericColumn(matched, 'matched_nucleus_label')).every((l) => l > 0)).toBe(
      true,
    );
    const cells = await readLabels(join(out, 'cells.tif'));
    expect(Math.max(...cells.data)).toBe(summary.cells);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('data:image/png;base64,');
    expect(html).toMatch(/Pearson r: -?\d/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});

describe('analyzeImage on an image without cells', () => {
  it('writes its outputs with zero cells and n/a numbers instead of failing', async () => {
    const blank = () => ({ width: 64, height: 64, data: new Uint16Array(64 * 64).fill(100) });
    const stack = createStack([blank(), blank(), blank()]);
    const out = join(dir, 'blank');
    const summary = await analyzeImage(
      stack,
      parseAnalysisConfig({ channels: { nuclei: 0, cytoplasm: 1, others: [2] } }),
      {
        outDir: out,
      },
    );
    expect([summary.nuclei, summary.cells]).toEqual([0, 0]);
    expect(summary.answers.A.nucleiN).toBe(0);
    expect(summary.answers.B.medianCellNucRatio).toBeNaN();
    const written = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as ImageSummary;
    expect(written.answers.B.medianCellNucRatio).toBeNull(); // JSON has no NaN
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('n = 0, mean = n/a');
  });
});

describe('analyzeBatch', () => {
  const quick = {
    ...config,
    outputs: { tables: ['csv' as const], plots: [], overlay: false, report: false },
  };

  it('completes the good images, records the corrupt one, and resumes without redoing work', async () => {
    const inputs = join(dir, 'inputs');
    for (let k = 0; k < 5; k++) {
      const { stack } = syntheticCells({ width: 160, height: 160, cells: 6, seed: 10 + k });
      await writeTiffFile(join(inputs, `img${k}.tif`), stack);
    }
    writeFileSync(join(inputs, 'img5.tif'), 'II*\0 this is not a TIFF');
    const conditionsCsv = join(dir, 'conditions.csv');
    const rows = Array.from({ length: 6 }, (_, k) => `img${k},${k % 2 ? 'treated' : 'control'}`);
    writeFileSync(conditionsCsv, `image,condition\n${rows.join('\n')}\n`);
    const conditions = await readConditions(conditionsCsv);
    const images = await collectImages([inputs]);
    expect(images.map((i) => i.name)).toEqual(['img0', 'img1', 'img2', 'img3', 'img4', 'img5']);
    const out = join(dir, 'batch');

    const first = await analyzeBatch(images, quick, { outDir: out, conditions });
    expect(first.done.map((d) => d.image)).toEqual(['img0', 'img1', 'img2', 'img3', 'img4']);
    expect(first.failures.map((f) => f.image)).toEqual(['img5']);
    expect(first.failures[0].reason).toMatch(/img5\.tif/);
    expect(readFileSync(join(out, 'failures.csv'), 'utf8')).toMatch(
      /^image,files,reason\r?\nimg5,/,
    );
    const combined = await readTableFile(join(out, 'cells_matched.csv'));
    const total = first.done.reduce((n, d) => n + d.cells, 0);
    expect(combined.rowCount).toBe(total);
    expect(new Set(combined.columns.image as string[])).toEqual(
      new Set(['img0', 'img1', 'img2', 'img3', 'img4']),
    );
    expect((combined.columns.condition as string[])[0]).toBe('control');

    const batchSummary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      comparisons: {
        measure: string;
        groups: { condition: string; n: number }[];
        tests: { mannWhitneyP: number }[];
      }[];
    };
    const area = batchSummary.comparisons.find((c) => c.measure === 'cell_area');
    expect(area?.groups.map((g) => g.condition)).toEqual(['control', 'treated']);
    expect(area!.groups[0].n + area!.groups[1].n).toBe(total);
    expect(area!.tests[0].mannWhitneyP).toBeGreaterThan(0);
    expect(area!.tests[0].mannWhitneyP).toBeLessThanOrEqual(1);

    const stamp = readFileSync(join(out, 'img0', 'summary.json'), 'utf8');
    const again = await analyzeBatch(images, quick, { outDir: out, conditions, resume: true });
    expect(again.skipped).toEqual(['img0', 'img1', 'img2', 'img3', 'img4']);
    expect(again.done).toEqual([]);
    expect(readFileSync(join(out, 'img0', 'summary.json'), 'utf8')).toBe(stamp);
    expect((await readTableFile(join(out, 'cells_matched.csv'))).rowCount).toBe(total);
  });

  it('gives the same results with two worker threads, the corrupt image still recorded', async () => {
    const images = await collectImages([join(dir, 'inputs')]);
    const out = join(dir, 'workers');
    const result = await analyzeBatch(images, quick, { outDir: out, workers: 2 });
    expect(result.done.map((d) => d.image)).toEqual(['img0', 'img1', 'img2', 'img3', 'img4']);
    expect(result.failures.map((f) => f.image)).toEqual(['img5']);
    for (const image of ['img0', 'img3']) {
      expect(readFileSync(join(out, image, 'cells_matched.csv'), 'utf8')).toBe(
        readFileSync(join(dir, 'batch', image, 'cells_matched.csv'), 'utf8'),
      );
    }
  });

  it('stops on abort between images and leaves no half-written file', async () => {
    const images = await collectImages([join(dir, 'inputs')]);
    const out = join(dir, 'aborted');
    const controller = new AbortController();
    await expect(
      analyzeBatch(images, quick, {
        outDir: out,
        signal: controller.signal,
        onImage: ({ status }) => {
          if (status === 'done') controller.abort(new Error('stopped by the user'));
        },
      }),
    ).rejects.toThrow(/stopped by the user/);
    expect(existsSync(join(out, 'img0', 'summary.json'))).toBe(true);
    expect(existsSync(join(out, 'img1'))).toBe(false);
    expect(listFiles(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
