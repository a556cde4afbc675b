// The app end to end in Chromium: open the CellProfiler example channels, measure a diameter,
// segment, compare with the CLI, select, delete, download; Cellpose in the page against Node.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCellposeModel, loadCellposeModel } from '../../src/cellpose/model.js';
import { segmentCellpose } from '../../src/cellpose/segment-cellpose.js';
import { decodeStateDict } from '../../src/cellpose/weights/state-dict.js';
import { createStack } from '../../src/image/stack.js';
import { readChannels } from '../../src/io/read-image.js';
import { csvToTable } from '../../src/io/table/csv.js';
import { decodeNpy } from '../../src/io/npy.js';
import { decodeTiff } from '../../src/io/tiff/read.js';
import { regionprops } from '../../src/measure/regionprops.js';
import { segmentNucleiClassical } from '../../src/segment/nuclei.js';
import { HAS_SHARED, sharedPath } from '../../test/shared.js';
import {
  counts,
  dragInImage,
  imageToPage,
  pixelAt,
  HAS_CHROMIUM,
  openImage,
  openPage,
  saveFile,
  segment,
  startApp,
  type AppSession,
} from './browser.js';

const EXAMPLE = ['d0', 'd1', 'd2'].map((s) =>
  sharedPath(`data/examplehuman/AS_09125_050116030001_D03f00${s}.tif`),
);
const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const SCREENSHOTS = new URL('./output/', import.meta.url).pathname;

describe.skipIf(!HAS_CHROMIUM || !HAS_SHARED)(
  'the app on the CellProfiler example (examplehuman)',
  () => {
    let session: AppSession;
    let page: Page;
    let errors: string[];
    const work = mkdtempSync(join(tmpdir(), 'cellscope-e2e-'));
    beforeAll(async () => {
      session = await startApp();
      ({ page, errors } = await openPage(session));
    }, 120_000);
    afterAll(async () => {
      await session?.close();
      rmSync(work, { recursive: true, force: true });
    });

    it('opens the three channel files as one image', async () => {
      const info = await openImage(page, EXAMPLE);
      expect(info).toContain('512 × 512 · uint8 · axes CYX');
      expect(info).toContain('3 channels');
      expect(await page.locator('.channel-name').allTextContents()).toEqual(['d0', 'd1', 'd2']);
    });

    it('measures a nucleus diameter with the line tool and uses it', async () => {
      // A nucleus found in Node: the line goes across it through its centroid.
      const stack = await readChannels(EXAMPLE);
      const { labels } = segmentNucleiClassical(stack.planes[0]);
      const table = regionprops(labels, { properties: ['label', 'area', 'centroid', 'bbox'] });
      const areas = table.columns.area as Float64Array;
      const median = [...areas].sort((a, b) => a - b)[areas.length >> 1];
      const row = [...areas.keys()].find((i) => areas[i] === median)!;
      const y = (table.columns['centroid-0'] as Float64Array)[row] + 0.5;
      const x0 = (table.columns['bbox-1'] as Float64Array)[row];
      const x1 = (table.columns['bbox-3'] as Float64Array)[row];

      await page.click('[data-testid=tool-line]');
      const scale = await page.evaluate(
        () =>
          (window as unknown as { cellscope: { app: { viewTransform: { scale: number } } } })
            .cellscope.app.viewTransform.scale,
      );
      await dragInImage(page, { x: x0, y }, { x: x1, y });
      const measured = Number(await page.getAttribute('[data-testid=line-length]', 'data-px'));
      // Mouse positions are whole CSS pixels: the length is right to a screen pixel.
      expect(Math.abs(measured - (x1 - x0))).toBeLessThanOrEqual(1.5 / scale);
      await page.click('[data-testid=use-nuclei-diameter]');
      expect(Number(await page.inputValue('[data-testid=nuclei-diameter]'))).toBeCloseTo(
        measured,
        1,
      );
      await page.click('[data-testid=tool-select]');
    });

    let cliCells: ReturnType<typeof csvToTable>;
    let cliOutputs: string;
    let appCounts: { nuclei: number; cells: number };

    it('segments nuclei and cells in the page with the same counts as the CLI on the same config', async () => {
      await page.selectOption('[data-testid=cytoplasm-channel]', '2'); // d2: actin
      appCounts = await segment(page);
      expect(appCounts.nuclei).toBeGreaterThan(250);
      expect(appCounts.cells).toBeGreaterThan(250);

      const config = await saveFile(page, 'config.json');
      const configFile = join(work, 'config.json');
      writeFileSync(configFile, config.bytes);
      const parsed = JSON.parse(config.bytes.toString('utf8'));
      expect(parsed.channels.cytoplasm).toBe('AS_09125_050116030001_D03f00d2');
      expect(parsed.nuclei.diameter).toBeGreaterThan(5);
      // By default the page runs cellscope's own models, which ship with it.
      expect(parsed.nuclei).toMatchObject({ method: 'cellpose', model: 'cellscope-nuclei' });
      expect(parsed.cells).toMatchObject({ method: 'cellpose', model: 'cellscope-cells' });

      const out = join(work, 'cli');
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          CLI,
          'analyze',
          ...EXAMPLE,
          '--channel-suffixes',
          'd0,d1,d2',
          '--config',
          configFile,
          '--out',
          out,
        ],
        { encoding: 'utf8' },
      );
      expect(run.status, run.stderr).toBe(0);
      const [image] = readdirSync(out).filter((n) => !n.includes('.'));
      const summary = JSON.parse(readFileSync(join(out, image, 'summary.json'), 'utf8'));
      expect(appCounts).toEqual({ nuclei: summary.nuclei, cells: summary.cells });
      cliOutputs = join(out, image);
      cliCells = csvToTable(readFileSync(join(cliOutputs, 'cells_matched.csv'), 'utf8'));
      expect(await page.textContent('[data-testid=object-count]')).toBe(
        `${summary.cells} of ${summary.cells} objects`,
      );
    }, 180_000);

    it('highlights the object of a clicked table row in the image', async () => {
      const row = page.locator('[data-testid=objects-table] .row').nth(5);
      const label = Number(await row.getAttribute('data-label'));
      // Nothing selected before: an earlier pick's highlight would count as this one's.
      await page.keyboard.press('Escape');
      await expect
        .poll(() => page.getAttribute('[data-testid=viewer-area]', 'data-highlighted'))
        .toBeFalsy();
      await page.click('[data-testid=fit]');
      const before = await highlightPixels(page);
      await row.click();
      await expect
        .poll(() => page.getAttribute('[data-testid=viewer-area]', 'data-highlighted'))
        .toBe(String(label));
      // The pick centres the view on the object; compare at the same (whole-image) view.
      await page.click('[data-testid=fit]');
      await expect.poll(() => highlightPixels(page)).toBeGreaterThan(before + 10);
      expect(await row.getAttribute('class')).toContain('selected');
    });

    it('selects the table row of an object clicked in the image', async () => {
      // A table pick centres the view on its object: back to the whole image first.
      await page.click('[data-testid=fit]');
      const target = cliCells.rowCount >> 1;
      const label = (cliCells.columns.cell_label as ArrayLike<number>)[target];
      const [row, col] = ['cell_centroid_row', 'cell_centroid_col'].map(
        (c) => (cliCells.columns[c] as ArrayLike<number>)[target],
      );
      // The centroid of a convex-ish cell lies inside it; the engine says which cell is there.
      const hit = await pixelAt(page, col + 0.5, row + 0.5);
      expect(hit?.cell).toBeGreaterThan(0);
      const at = await imageToPage(page, col + 0.5, row + 0.5);
      await page.mouse.click(at.x, at.y);
      await expect
        .poll(() => page.getAttribute('[data-testid=viewer-area]', 'data-highlighted'))
        .toBe(String(hit!.cell));
      await expect
        .poll(() =>
          page.locator('[data-testid=objects-table] .row.selected').getAttribute('data-label'),
        )
        .toBe(String(hit!.cell));
      expect(hit!.cell).toBe(label);
    });

    it('brushes points in the plot and highlights their objects in the image', async () => {
      await page.click('[data-testid=tab-plot]');
      const plot = page.locator('[data-testid=plot-view] svg');
      await plot.waitFor();
      const box = (await plot.boundingBox())!;
      // A brush over the middle of the plotting area.
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7, { steps: 10 });
      await page.mouse.up();
      await expect
        .poll(
          async () =>
            ((await page.getAttribute('[data-testid=viewer-area]', 'data-highlighted')) ?? '')
              .split(',')
              .filter(Boolean).length,
        )
        .toBeGreaterThan(3);
      await page.screenshot({ path: join(SCREENSHOTS, 'examplehuman-brush.png') });
      await page.dblclick('[data-testid=plot-view] svg', {
        position: { x: box.width * 0.5, y: box.height * 0.5 },
      });
      await page.click('[data-testid=tab-objects]');
      await page.keyboard.press('Escape');
      await expect
        .poll(() => page.getAttribute('[data-testid=viewer-area]', 'data-highlighted'))
        .toBe('');
    });

    it('deletes the selected object: counts and table drop by one, and the CSV download has the rows', async () => {
      await scrollTableToTop(page);
      const label = Number(
        await page.locator('[data-testid=objects-table] .row').nth(5).getAttribute('data-label'),
      );
      // Rows are recycled as the table scrolls: find the row by its label, not its position.
      await page.locator(`[data-testid=objects-table] .row[data-label="${label}"]`).click();
      await page.click('[data-testid=delete]');
      await expect.poll(async () => (await counts(page)).cells).toBe(appCounts.cells - 1);
      expect(await page.textContent('[data-testid=object-count]')).toBe(
        `${appCounts.cells - 1} of ${appCounts.cells - 1} objects`,
      );

      const csv = await saveFile(page, 'cells_matched.csv');
      expect(csv.name).toMatch(/cells_matched\.csv$/);
      const table = csvToTable(csv.bytes.toString('utf8'));
      expect(table.rowCount).toBe(appCounts.cells - 1);
      const labels = Array.from(table.columns.cell_label as ArrayLike<number>);
      expect(labels).not.toContain(label);
      // Every other cell is measured exactly as the CLI measured it.
      const cliLabels = Array.from(cliCells.columns.cell_label as ArrayLike<number>);
      expect(cliLabels.filter((l) => l !== label)).toEqual(labels);
      const kept = cliLabels.map((l, i) => (l === label ? -1 : i)).filter((i) => i >= 0);
      for (const column of ['cell_area', 'nuclei_area', 'circularity', 'cell_intensity_mean_d2']) {
        const expected = kept.map((i) => (cliCells.columns[column] as ArrayLike<number>)[i]);
        expect(Array.from(table.columns[column] as ArrayLike<number>), column).toEqual(expected);
      }
    });

    it('merges two cells, paints a new one with the brush, and undoes each edit', async () => {
      const before = (await counts(page)).cells;
      await scrollTableToTop(page);
      const rows = page.locator('[data-testid=objects-table] .row');
      const [a, b] = [
        Number(await rows.nth(0).getAttribute('data-label')),
        Number(await rows.nth(1).getAttribute('data-label')),
      ];
      const area = (label: number) =>
        page.evaluate((l) => {
          const { matched } = (
            window as unknown as {
              cellscope: {
                app: { measurements: { matched: { columns: Record<string, ArrayLike<number>> } } };
              };
            }
          ).cellscope.app.measurements;
          return matched.columns.cell_area[
            Array.prototype.indexOf.call(matched.columns.cell_label, l)
          ];
        }, label);
      const [areaA, areaB] = [await area(a), await area(b)];
      const rowOf = (label: number) =>
        page.locator(`[data-testid=objects-table] .row[data-label="${label}"]`);
      await rowOf(a).click();
      await rowOf(b).click({ modifiers: ['Control'] });
      await page.click('[data-testid=merge]');
      await expect.poll(async () => (await counts(page)).cells).toBe(before - 1);
      expect(await area(Math.min(a, b))).toBe(areaA + areaB);
      await page.click('[data-testid=undo]');
      await expect.poll(async () => (await counts(page)).cells).toBe(before);
      expect(await area(a)).toBe(areaA);

      // A new object painted over background (the image's empty top-right middle), then undone.
      await page.keyboard.press('Escape');
      await page.click('[data-testid=tool-brush]');
      // Background in the CLI's label images, 12 px from any nucleus or cell.
      const [cells, nuclei] = ['cells.tif', 'nuclei.tif'].map(
        (f) => decodeTiff(readFileSync(join(cliOutputs, f))).planes[0],
      );
      const empty = (x: number, y: number) =>
        [
          [0, 0],
          [-12, 0],
          [12, 0],
          [0, -12],
          [0, 12],
        ].every(([dx, dy]) => {
          const i = (y + dy) * cells.width + (x + dx);
          return cells.data[i] === 0 && nuclei.data[i] === 0;
        });
      let background: { x: number; y: number } | undefined;
      for (let y = 150; y < 350 && !background; y += 4) {
        for (let x = 250; x < 400 && !background; x += 4) if (empty(x, y)) background = { x, y };
      }
      expect(background).toBeDefined();
      await dragInImage(
        page,
        { x: background!.x - 4, y: background!.y },
        { x: background!.x + 4, y: background!.y },
        6,
      );
      await expect.poll(async () => (await counts(page)).cells).toBe(before + 1);
      await page.click('[data-testid=undo]');
      await expect.poll(async () => (await counts(page)).cells).toBe(before);
      await page.click('[data-testid=tool-select]');
    });

    it("opens the CLI's label image and table", async () => {
      await page.setInputFiles('[data-testid=open-labels-input]', join(cliOutputs, 'cells.tif'));
      await page.click('[data-testid=layer-choice-cells]'); // the name suggests cells
      await expect.poll(async () => (await counts(page)).cells).toBe(cliCells.rowCount);
      await page.setInputFiles(
        '[data-testid=open-table-input]',
        join(cliOutputs, 'cells_matched.csv'),
      );
      await expect
        .poll(() => page.textContent('[data-testid=object-count]'))
        .toBe(`${cliCells.rowCount} of ${cliCells.rowCount} objects`);
      await page.click('[data-testid=table-cells]');
    });

    it('looks clean at 1280×800 (screenshot)', async () => {
      await page.click('[data-testid=tab-plot]');
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SCREENSHOTS, 'examplehuman-plot.png') });
      await page.click('[data-testid=tab-objects]');
      // The first listed cell that has a nucleus (a few lobes found by the cells model have none).
      const nucleusOf = new Map(
        Array.from(cliCells.columns.cell_label as ArrayLike<number>, (label, i) => [
          label,
          (cliCells.columns.matched_nucleus_label as ArrayLike<number>)[i],
        ]),
      );
      const rows = page.locator('[data-testid=objects-table] .row');
      let row = 0;
      while (!(nucleusOf.get(Number(await rows.nth(row).getAttribute('data-label')))! > 0)) row++;
      await rows.nth(row).click();
      await page.click('[data-testid=tab-relation]');
      await expect
        .poll(() => page.textContent('[data-testid=relation-title]'))
        .toMatch(/^Cell \d+ with nucleus \d+$/);
      await page.screenshot({ path: join(SCREENSHOTS, 'examplehuman-relation.png') });
      await page.click('[data-testid=tab-objects]');
      await page.screenshot({ path: join(SCREENSHOTS, 'examplehuman.png') });
      expect(errors).toEqual([]);
    });
  },
);

async function scrollTableToTop(page: Page): Promise<void> {
  await page.locator('[data-testid=objects-table]').evaluate((element) => (element.scrollTop = 0));
  await page.waitForTimeout(50);
}

/** Pixels of the viewer canvas in the highlight colour (255, 212, 0). */
function highlightPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=viewer]')!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    // Label colours keep blue ≥ 38 (saturation 0.85), so only the highlight has none.
    for (let i = 0; i < data.length; i += 4)
      if (data[i] > 245 && data[i + 1] > 200 && data[i + 1] < 225 && data[i + 2] < 10) n++;
    return n;
  });
}

describe.skipIf(!HAS_CHROMIUM || !HAS_SHARED)('Cellpose in the page (onnxruntime-web)', () => {
  const imageFile = sharedPath('fixtures/cellpose/e2e/image_cyx.npy');
  const weightsFile = sharedPath('fixtures/cellpose/e2e/cpnet_small_trained.pth');
  const cache = mkdtempSync(join(tmpdir(), 'cellscope-models-'));
  let session: AppSession;
  let inNode: Uint32Array;
  beforeAll(async () => {
    // A model cache holding the fixture network as "cyto3", as `cellscope view` serves one.
    copyFileSync(weightsFile, join(cache, 'cyto3'));
    session = await startApp([], { cacheDir: cache, allowDownload: false });
    const array = decodeNpy(readFileSync(imageFile));
    const [channels, height, width] = array.shape;
    const data = array.data as Uint16Array;
    const stack = createStack(
      Array.from({ length: channels }, (_, c) => ({
        width,
        height,
        data: data.slice(c * width * height, (c + 1) * width * height),
      })),
    );
    const model = await createCellposeModel(decodeStateDict(readFileSync(weightsFile)), {
      threads: 2,
    });
    inNode = (await segmentCellpose(stack, { model, channels: [2, 1], diameter: 30 })).masks.data;
    await model.release();
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    rmSync(cache, { recursive: true, force: true });
  });

  /** Segments the fixture image with the given cells model at diameter 30, channels [2, 1]. */
  async function cellsInPage(choose: (page: Page) => Promise<string>): Promise<Uint32Array> {
    const { page, errors } = await openPage(session);
    expect(await openImage(page, [imageFile])).toContain('3 channels');
    await page.selectOption('[data-testid=cells-method]', 'cellpose');
    await page.selectOption('[data-testid=cells-model]', await choose(page));
    await page.fill('[data-testid=cells-diameter]', '30');
    await page.selectOption('[data-testid=nuclei-channel]', '0');
    await page.selectOption('[data-testid=cytoplasm-channel]', '1'); // Cellpose channels [2, 1]
    await segment(page);
    const saved = await saveFile(page, 'cells.tif');
    expect(errors).toEqual([]);
    await page.close();
    return Uint32Array.from(decodeTiff(new Uint8Array(saved.bytes)).planes[0].data);
  }

  const differing = (a: Uint32Array, b: Uint32Array) =>
    a.reduce((n, v, i) => n + (v === b[i] ? 0 : 1), 0);

  it('gives the same masks as Node from the .pth weights', async () => {
    const masks = await cellsInPage(async (page) => {
      await page.setInputFiles('[data-testid=weights-input]', weightsFile);
      return 'cpnet_small_trained.pth';
    });
    expect(Math.max(...masks)).toBe(Math.max(...inNode));
    expect(differing(masks, inNode)).toBe(0);
  }, 120_000);

  it("gives the same masks from PyTorch's ONNX export of that network", async () => {
    const masks = await cellsInPage(async (page) => {
      await page.setInputFiles(
        '[data-testid=weights-input]',
        sharedPath('fixtures/cellpose/e2e/cpnet_small_trained.onnx'),
      );
      return 'cpnet_small_trained.onnx';
    });
    expect(Math.max(...masks)).toBe(Math.max(...inNode));
    expect(differing(masks, inNode)).toBe(0);
  }, 120_000);

  it('offers cellscope-nuclei by default (it ships with the app) and gives the masks Node gives', async () => {
    const dna = EXAMPLE[0];
    const { page, errors } = await openPage(session);
    await openImage(page, [dna]);
    expect(await page.inputValue('[data-testid=nuclei-method]')).toBe('cellpose');
    expect(await page.inputValue('[data-testid=nuclei-model]')).toBe('cellscope-nuclei');
    expect(
      await page.textContent('[data-testid=nuclei-model] option[value=cellscope-nuclei]'),
    ).toBe('cellscope-nuclei (ships with cellscope)');
    await page.fill('[data-testid=nuclei-diameter]', '11');
    await segment(page);
    const saved = await saveFile(page, 'nuclei.tif');
    const inPage = Uint32Array.from(decodeTiff(new Uint8Array(saved.bytes)).planes[0].data);
    const model = await loadCellposeModel('cellscope-nuclei', { threads: 2 });
    const stack = await readChannels([dna]);
    const inNode = (await segmentCellpose(stack, { model, channels: [0, 0], diameter: 11 })).masks
      .data;
    await model.release();
    const max = (a: Uint32Array) => a.reduce((m, v) => Math.max(m, v), 0);
    expect(max(inPage)).toBe(max(inNode));
    expect(max(inPage)).toBeGreaterThan(250);
    expect(differing(inPage, inNode)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("runs an official model name from the view server's model cache", async () => {
    const masks = await cellsInPage(async (page) => {
      await expect
        .poll(() => page.textContent('[data-testid=cells-model] option[value=cyto3]'))
        .toBe('cyto3 (model cache)');
      return 'cyto3';
    });
    expect(differing(masks, inNode)).toBe(0);
  }, 120_000);
});
