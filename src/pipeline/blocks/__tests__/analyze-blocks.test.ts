import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Labels } from '../../../image/types.js';
import { openRegionSource } from '../../../io/open-region-source.js';
import { readLabels } from '../../../io/read-labels.js';
import { readChannels } from '../../../io/read-image.js';
import { tableToCsv } from '../../../io/table/csv.js';
import { readTableFile } from '../../../io/table/file.js';
import { writeTiffFile } from '../../../io/tiff/write-file.js';
import { syntheticCells } from '../../../synth/cells.js';
import type { Table } from '../../../table/table.js';
import { analyzeFiles } from '../../analyze-files.js';
import { parseAnalysisConfig } from '../../config.js';
import { measureSegmented } from '../../measure-segmented.js';
import { analyzeImageBlocks } from '../analyze-blocks.js';

/** Per label of `a`: the label of `b` with exactly the same pixels, when there is one. */
function samePixels(a: Labels, b: Labels): Map<number, number> {
  const size = (labels: Labels) => {
    const count = new Map<number, number>();
    for (const v of labels.data) if (v) count.set(v, (count.get(v) ?? 0) + 1);
    return count;
  };
  const sizeA = size(a);
  const sizeB = size(b);
  const partner = new Map<number, number>();
  const mixed = new Set<number>();
  for (let i = 0; i < a.data.length; i++) {
    const la = a.data[i];
    if (la === 0 || mixed.has(la)) continue;
    const lb = b.data[i];
    const seen = partner.get(la);
    if (lb === 0 || (seen !== undefined && seen !== lb)) mixed.add(la);
    else partner.set(la, lb);
  }
  for (const [la, lb] of partner) {
    if (mixed.has(la) || sizeA.get(la) !== sizeB.get(lb)) partner.delete(la);
  }
  return partner;
}

/** Rows of `table` by the value of its label column. */
function rowsByLabel(table: Table, labelColumn: string): Map<number, Record<string, number>> {
  const rows = new Map<number, Record<string, number>>();
  const labels = table.columns[labelColumn] as Float64Array;
  labels.forEach((label, r) => {
    const row: Record<string, number> = {};
    for (const [name, column] of Object.entries(table.columns)) row[name] = Number(column[r]);
    rows.set(label, row);
  });
  return rows;
}

describe('analyze block-wise against one-shot (classical nuclei, cells grown from them)', () => {
  let dir: string;
  const config = parseAnalysisConfig({
    channels: { nuclei: 0, cytoplasm: 1, others: [2] },
    nuclei: { method: 'classical' },
    cells: { method: 'from-nuclei' },
    outputs: { tables: ['csv'], plots: [], overlay: false, report: false },
  });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cellscope-analyze-blocks-'));
    const generated = syntheticCells({
      seed: 18,
      width: 512,
      height: 512,
      cells: 160,
      nucleusDiameterPx: 12,
    });
    await writeTiffFile(join(dir, 'image.tif'), generated.stack);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the same rows, up to label numbering, for every object both runs segment alike', async () => {
    const image = join(dir, 'image.tif');
    const oneShot = await analyzeFiles(
      [image],
      { ...config, blockSize: 'off' },
      {
        outDir: join(dir, 'one-shot'),
      },
    );
    const source = await openRegionSource([image]);
    const blocks = await analyzeImageBlocks(source, config, 192, {
      outDir: join(dir, 'blocks'),
    }).finally(() => source.close());
    expect(blocks.steps[0]).toMatch(/^block-wise: 9 blocks of 192 px/);
    expect((await readdir(join(dir, 'blocks'))).sort()).toEqual([
      'cells.csv',
      'cells.tif',
      'cells_matched.csv',
      'nuclei.csv',
      'nuclei.tif',
      'summary.json',
    ]);

    const read = async (run: string) => ({
      nucleusLabels: await readLabels(join(dir, run, 'nuclei.tif')),
      cellLabels: await readLabels(join(dir, run, 'cells.tif')),
      nuclei: rowsByLabel(await readTableFile(join(dir, run, 'nuclei.csv')), 'label'),
      cells: rowsByLabel(await readTableFile(join(dir, run, 'cells.csv')), 'label'),
      matched: rowsByLabel(await readTableFile(join(dir, run, 'cells_matched.csv')), 'cell_label'),
    });
    const a = await read('blocks');
    const b = await read('one-shot');
    const nucleusPartner = samePixels(a.nucleusLabels, b.nucleusLabels);
    const cellPartner = samePixels(a.cellLabels, b.cellLabels);
    // Nuclei come out pixel for pixel; cells grown by propagation may not: where two cells meet,
    // the flood breaks ties in the order pixels enter its queue, which a block changes.
    console.info(
      `512², 9 blocks of 192 px: ${nucleusPartner.size} of ${a.nuclei.size} nuclei and ` +
        `${cellPartner.size} of ${a.cells.size} cells have the one-shot run's pixels`,
    );
    expect(a.nuclei.size).toBe(b.nuclei.size);
    expect(a.cells.size).toBe(b.cells.size);
    expect(a.nuclei.size).toBeGreaterThan(120);
    expect(nucleusPartner.size).toBe(a.nuclei.size);
    expect(cellPartner.size).toBeGreaterThanOrEqual(70);

    // Objects with the same pixels have the same row, value for value (an integer image: exact).
    const relabel = (row: Record<string, number>, label: string, partner: Map<number, number>) => ({
      ...row,
      [label]: partner.get(row[label]) ?? -1,
    });
    for (const [la, lb] of nucleusPartner) {
      expect(relabel(a.nuclei.get(la)!, 'label', nucleusPartner)).toEqual(b.nuclei.get(lb));
    }
    let matchedCompared = 0;
    for (const [la, lb] of cellPartner) {
      expect(relabel(a.cells.get(la)!, 'label', cellPartner)).toEqual(b.cells.get(lb));
      // The matched row also depends on the nucleus: compare where it is alike too.
      const row = a.matched.get(la)!;
      const nucleus = row.matched_nucleus_label;
      if (nucleus !== 0 && !nucleusPartner.has(nucleus)) continue;
      const mapped = { ...relabel(row, 'cell_label', cellPartner) };
      if (nucleus !== 0) {
        mapped.matched_nucleus_label = nucleusPartner.get(nucleus)!;
        mapped.nuclei_label = mapped.matched_nucleus_label;
      }
      expect(mapped).toEqual(b.matched.get(lb));
      matchedCompared++;
    }
    expect(matchedCompared).toBe(cellPartner.size);
    expect(blocks.cellsWithNucleus).toBe(oneShot.cellsWithNucleus);
  }, 180_000);

  it('writes, for every object, the rows measureSegmented gives on its own label TIFFs', async () => {
    const stack = await readChannels([join(dir, 'image.tif')]);
    const nucleusLabels = await readLabels(join(dir, 'blocks', 'nuclei.tif'));
    const cellLabels = await readLabels(join(dir, 'blocks', 'cells.tif'));
    const expected = measureSegmented(stack, config, nucleusLabels, cellLabels);
    for (const [file, table] of [
      ['nuclei.csv', expected.nuclei],
      ['cells.csv', expected.cells],
      ['cells_matched.csv', expected.matched],
    ] as const) {
      const text = new TextDecoder().decode(await readFile(join(dir, 'blocks', file)));
      expect([file, text]).toEqual([file, tableToCsv(table)]);
    }
    expect(expected.matched.rowCount).toBeGreaterThan(120);
  });

  it('runs the default config, opening our packaged Cellpose models itself', async () => {
    const defaults = parseAnalysisConfig({
      channels: { nuclei: 0, cytoplasm: 1, others: [2] },
      outputs: { tables: ['csv'], plots: [], overlay: false, report: false },
    });
    expect([defaults.nuclei.method, defaults.cells.method]).toEqual(['cellpose', 'cellpose']);
    const image = join(dir, 'image.tif');
    const oneShot = await analyzeFiles(
      [image],
      { ...defaults, blockSize: 'off' },
      {
        outDir: join(dir, 'default-one-shot'),
      },
    );
    const source = await openRegionSource([image]);
    const blocks = await analyzeImageBlocks(source, defaults, 256, {
      outDir: join(dir, 'default-blocks'),
    }).finally(() => source.close());
    expect(blocks.steps[0]).toMatch(/^block-wise: 4 blocks of 256 px/);
    const count = async (run: string, file: string) =>
      (await readTableFile(join(dir, run, file))).rowCount;
    const [nucleiOneShot, nucleiBlocks] = [
      await count('default-one-shot', 'nuclei.csv'),
      await count('default-blocks', 'nuclei.csv'),
    ];
    console.info(
      `default models, 512²: ${nucleiBlocks} nuclei block-wise, ${nucleiOneShot} one-shot`,
    );
    expect(nucleiOneShot).toBeGreaterThan(120);
    expect(Math.abs(nucleiBlocks - nucleiOneShot)).toBeLessThanOrEqual(0.03 * nucleiOneShot);
    expect(Math.abs(blocks.cellsWithNucleus - oneShot.cellsWithNucleus)).toBeLessThanOrEqual(
      0.03 * oneShot.cellsWithNucleus,
    );
  }, 180_000);

  it('refuses label exports, which need the whole label image', async () => {
    const source = await openRegionSource([join(dir, 'image.tif')]);
    const withExports = {
      ...config,
      outputs: { ...config.outputs, exports: ['geojson' as const] },
    };
    await expect(
      analyzeImageBlocks(source, withExports, 256, { outDir: join(dir, 'refused') }),
    ).rejects.toThrow(/outputs\.exports \(geojson\) need the whole label image/);
    await source.close();
  });
});
