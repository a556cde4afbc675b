// Issue 15 §2: batches that silently lost results (shared file names, a file named `...tif`,
// channel files of two folders) and temp files that killed runs left behind.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStack, selectChannel } from '../../image/stack.js';
import { readTableFile } from '../../io/table/file.js';
import { writeTiffFile } from '../../io/tiff/write-file.js';
import { syntheticCells } from '../../synth/cells.js';
import { analyzeBatch, collectImages } from '../batch.js';
import { parseAnalysisConfig } from '../config.js';

const dir = mkdtempSync(join(tmpdir(), 'cellscope-batch-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quick = parseAnalysisConfig({
  channels: { nuclei: 0, cytoplasm: 1 },
  nuclei: { method: 'classical', diameter: 18 },
  cells: { method: 'from-nuclei' },
  outputs: { tables: ['csv'], plots: [], overlay: false, report: false },
});

async function writeCells(path: string, seed: number, cells: number): Promise<void> {
  await writeTiffFile(path, syntheticCells({ width: 160, height: 160, cells, seed }).stack);
}

describe('a batch keeps every image', () => {
  it('when two folders hold an x.tif: one output folder each, and every cell in the table', async () => {
    const inputs = join(dir, 'same-name');
    await writeCells(join(inputs, 'd1', 'x.tif'), 31, 4);
    await writeCells(join(inputs, 'd2', 'x.tif'), 32, 9);
    const images = await collectImages([join(inputs, 'd1'), join(inputs, 'd2')]);
    expect(images.map((i) => [i.name, i.renamed?.from])).toEqual([
      ['d1_x', 'x'],
      ['d2_x', 'x'],
    ]);
    const out = join(dir, 'same-name-out');
    const result = await analyzeBatch(images, quick, { outDir: out });
    const [first, second] = result.done;
    expect([first.image, second.image]).toEqual(['d1_x', 'd2_x']);
    expect(first.cells).not.toBe(second.cells);
    expect(readdirSync(out).sort()).toEqual([
      'cells_matched.csv',
      'd1_x',
      'd2_x',
      'failures.csv',
      'summary.json',
    ]);
    const combined = await readTableFile(join(out, 'cells_matched.csv'));
    const rows = combined.columns.image as string[];
    expect(rows.filter((r) => r === 'd1_x')).toHaveLength(first.cells);
    expect(rows.filter((r) => r === 'd2_x')).toHaveLength(second.cells);
    // Each image's own table, not one image's rows twice.
    const own = await readTableFile(join(out, 'd1_x', 'cells_matched.csv'));
    const area = combined.columns.cell_area as Float64Array;
    expect(Array.from(area.subarray(0, own.rowCount))).toEqual(
      Array.from(own.columns.cell_area as Float64Array),
    );
  });

  it('when a file is named ...tif: nothing is written beside the results folder', async () => {
    const inputs = join(dir, 'dots');
    await writeCells(join(inputs, '...tif'), 33, 5);
    const parent = join(dir, 'dots-parent');
    mkdirSync(parent);
    writeFileSync(join(parent, 'summary.json'), '{"mine": true}\n');
    const out = join(parent, 'res');
    const images = await collectImages([inputs]);
    expect(images.map((i) => i.name)).toEqual(['__']);
    const result = await analyzeBatch(images, quick, { outDir: out });
    expect(result.done).toHaveLength(1);
    expect(readFileSync(join(parent, 'summary.json'), 'utf8')).toBe('{"mine": true}\n');
    expect(readdirSync(parent).sort()).toEqual(['res', 'summary.json']);
    expect(existsSync(join(out, '__', 'summary.json'))).toBe(true);
  });

  it('refuses, before any work, names that would leave or share the results folder', async () => {
    const out = join(dir, 'refused');
    const file = join(dir, 'same-name', 'd1', 'x.tif');
    for (const images of [
      [{ name: '..', files: [file] }],
      [{ name: 'a/../../b', files: [file] }],
      [
        { name: 'x', files: [file] },
        { name: 'X', files: [join(dir, 'same-name', 'd2', 'x.tif')] },
      ],
      [{ name: 'summary.json', files: [file] }],
    ]) {
      await expect(analyzeBatch(images, quick, { outDir: out })).rejects.toThrow(
        /would (not be one folder inside|go to)/,
      );
    }
    expect(existsSync(out)).toBe(false);
  });

  it('when channel files of two folders share names: two images with their own channels', async () => {
    const inputs = join(dir, 'channels');
    for (const [folder, seed] of [
      ['d1', 34],
      ['d2', 35],
    ] as const) {
      const { stack } = syntheticCells({ width: 160, height: 160, cells: 5, seed });
      await writeTiffFile(join(inputs, folder, 'x_d0.tif'), createStack([selectChannel(stack, 0)]));
      await writeTiffFile(join(inputs, folder, 'x_d1.tif'), createStack([selectChannel(stack, 1)]));
    }
    const images = await collectImages([join(inputs, 'd1'), join(inputs, 'd2')], {
      channelSuffixes: ['d0', 'd1'],
    });
    expect(images.map((i) => ({ name: i.name, files: i.files }))).toEqual([
      { name: 'd1_x_', files: [join(inputs, 'd1', 'x_d0.tif'), join(inputs, 'd1', 'x_d1.tif')] },
      { name: 'd2_x_', files: [join(inputs, 'd2', 'x_d0.tif'), join(inputs, 'd2', 'x_d1.tif')] },
    ]);
  });

  it('refuses one file given twice', async () => {
    const file = join(dir, 'same-name', 'd1', 'x.tif');
    await expect(collectImages([file, join(dir, 'same-name', 'd1')])).rejects.toThrow(
      'is given twice',
    );
  });
});

describe('analyzeBatch with resume', () => {
  it('removes the temp files of dead runs, and only those', async () => {
    const inputs = join(dir, 'resume');
    await writeCells(join(inputs, 'a.tif'), 36, 4);
    const out = join(dir, 'resume-out');
    mkdirSync(join(out, 'a'), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = join(out, 'a', `cells.tif.tmp-${dead}-0123abcd`);
    const live = join(out, `summary.json.tmp-${process.ppid}-0123abcd`);
    writeFileSync(stale, 'half a file');
    writeFileSync(live, 'a running writer');
    const images = await collectImages([inputs]);
    const result = await analyzeBatch(images, quick, { outDir: out, resume: true });
    expect(result.removedTempFiles).toEqual([stale]);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(result.done.map((d) => d.image)).toEqual(['a']);
    // Without resume nothing is removed: another run may be writing there.
    writeFileSync(stale, 'half a file');
    const fresh = await analyzeBatch(images, quick, { outDir: out });
    expect(fresh.removedTempFiles).toEqual([]);
    expect(existsSync(stale)).toBe(true);
  });
});
