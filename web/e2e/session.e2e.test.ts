// Nothing lost (issue 16): a reload mid-session offers the autosaved session back with its
// image, label layers, edits and settings; a saved project opens in a fresh page, and its
// config runs `cellscope analyze`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTiff } from '../../src/io/tiff/write.js';
import { syntheticCells } from '../../src/synth/cells.js';
import {
  counts,
  dragInImage,
  HAS_CHROMIUM,
  openImage,
  openPage,
  pixelAt,
  saveFile,
  segment,
  startApp,
  type AppSession,
} from './browser.js';

const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;
/** Where screenshots go when a person wants to look at them (never in CI). */
const SCREENS = process.env.CELLSCOPE_SCREENS;
const POLL = { timeout: 30_000 };

/** What the engine's snapshot request sends back (typed arrays become plain arrays below). */
interface SnapshotReply {
  layers: { nuclei?: Uint32Array; cells?: Uint32Array };
  history: unknown[];
}

interface Snapshot {
  layers: { nuclei?: number[]; cells?: number[] };
  history: number;
}

/** The engine's label layers and undo depth, as plain arrays. */
function labelState(page: Page): Promise<Snapshot> {
  return page.evaluate(async () => {
    const app = (
      window as unknown as {
        cellscope: {
          app: { engine: { request(type: 'snapshot', args: object): Promise<SnapshotReply> } };
        };
      }
    ).cellscope.app;
    const state = await app.engine.request('snapshot', {});
    return {
      layers: {
        nuclei: state?.layers.nuclei && Array.from(state.layers.nuclei),
        cells: state?.layers.cells && Array.from(state.layers.cells),
      },
      history: state?.history.length ?? 0,
    };
  });
}

/** Waits until the autosave has written the page as it is now. */
async function autosaved(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.autosave === 'saved', null, POLL);
}

describe.skipIf(!HAS_CHROMIUM)('the session survives a reload; projects reopen', () => {
  let session: AppSession;
  let page: Page;
  let errors: string[];
  const work = mkdtempSync(join(tmpdir(), 'cellscope-e2e-'));
  const path = (name: string) => join(work, name);
  const field = syntheticCells({ width: 256, height: 256, cells: 12, seed: 5 });
  let segmented: { nuclei: number; cells: number };
  let edited: Snapshot;
  /** A background point the brush paints a new object at. */
  const painted = { x: 0, y: 0 };

  beforeAll(async () => {
    writeFileSync(path('field.tif'), encodeTiff(field.stack));
    for (let i = 0; i < field.cellLabels.data.length; i++) {
      const [x, y] = [i % 256, Math.floor(i / 256)];
      if (x > 12 && y > 12 && x < 243 && y < 243 && !field.cellLabels.data[i]) {
        // The middle of a 9×9 background square, clear of every cell.
        let clear = true;
        for (let dy = -4; dy <= 4 && clear; dy++)
          for (let dx = -4; dx <= 4; dx++)
            if (field.cellLabels.data[i + dy * 256 + dx]) clear = false;
        if (clear) Object.assign(painted, { x: x + 0.5, y: y + 0.5 });
        if (clear) break;
      }
    }
    if (SCREENS) mkdirSync(SCREENS, { recursive: true });
    session = await startApp();
    ({ page, errors } = await openPage(session));
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('reloads mid-session and restores the image, layers, edits and settings', async () => {
    await openImage(page, [path('field.tif')]);
    await page.selectOption('[data-testid=nuclei-method]', 'classical');
    await page.selectOption('[data-testid=cells-method]', 'from-nuclei');
    await page.fill('[data-testid=nuclei-diameter]', '21');
    segmented = await segment(page);
    expect(segmented.cells).toBeGreaterThan(5);

    // Edits: delete the first cell of the table, then paint a new object on the background.
    const row = page.locator('[data-testid=objects-table] .row').nth(0);
    const deleted = Number(await row.getAttribute('data-label'));
    await row.click();
    await page.click('[data-testid=delete]');
    await expect.poll(async () => (await counts(page)).cells, POLL).toBe(segmented.cells - 1);
    await page.click('[data-testid=tool-brush]');
    await page.fill('.brush-size', '3');
    await page.dispatchEvent('.brush-size', 'change');
    await dragInImage(page, painted, { x: painted.x + 1, y: painted.y });
    await expect
      .poll(async () => (await pixelAt(page, painted.x, painted.y))?.cell, POLL)
      .toBeGreaterThan(0);
    const newLabel = (await pixelAt(page, painted.x, painted.y))!.cell;
    // Settings: filled cells, a channel hidden.
    await page.selectOption('[data-testid=overlay-cells]', 'filled');
    await page.locator('.channel input[type=checkbox]').nth(2).uncheck();
    await autosaved(page);
    edited = await labelState(page);
    expect(edited.history).toBe(2);
    expect(edited.layers.cells!.includes(deleted)).toBe(false);
    expect(edited.layers.cells!.filter((v) => v === newLabel).length).toBeGreaterThan(20);

    // Unsaved edits: the page asks before it goes.
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await page.reload();
    expect(dialogs).toEqual(['beforeunload']);
    const prompt = page.locator('[data-testid=restore-prompt]');
    await prompt.waitFor(POLL);
    expect(await prompt.textContent()).toMatch(/field · \d+ nuclei, \d+ cells · 2 edits to undo/);
    if (SCREENS) await page.screenshot({ path: join(SCREENS, 'restore-prompt.png') });
    await page.click('[data-testid=restore-session]');
    await expect.poll(async () => (await counts(page)).cells, POLL).toBe(segmented.cells);
    const restored = await labelState(page);
    expect(restored).toEqual(edited);
    expect(await page.textContent('[data-testid=image-info]')).toContain('256 × 256');
    expect(await page.inputValue('[data-testid=overlay-cells]')).toBe('filled');
    expect(await page.inputValue('[data-testid=nuclei-method]')).toBe('classical');
    expect(await page.inputValue('[data-testid=nuclei-diameter]')).toBe('21');
    expect(await page.inputValue('.brush-size')).toBe('3');
    expect(await page.locator('.channel input[type=checkbox]').nth(2).isChecked()).toBe(false);
    expect(await page.getAttribute('[data-testid=viewer-area]', 'data-tool')).toBe('brush');
    // The restored history undoes the stroke, then the delete.
    await page.click('[data-testid=undo]');
    await expect.poll(async () => (await pixelAt(page, painted.x, painted.y))?.cell, POLL).toBe(0);
    await page.click('[data-testid=undo]');
    await expect.poll(async () => (await counts(page)).cells, POLL).toBe(segmented.cells);
    await page.click('[data-testid=redo]');
    await page.click('[data-testid=redo]');
    await expect.poll(async () => (await labelState(page)).layers, POLL).toEqual(edited.layers);
    expect(errors).toEqual([]);
  }, 240_000);

  it('saves a project that a fresh page opens and whose config cellscope analyze runs', async () => {
    const project = await saveFile(page, 'project');
    expect(project.name).toBe('field.cellscope.zip');
    const entries = unzipSync(new Uint8Array(project.bytes));
    expect(Object.keys(entries).sort()).toEqual(
      [
        'cells.tif',
        'cells_matched.csv',
        'config.json',
        'image/field.tif',
        'nuclei.csv',
        'nuclei.tif',
        'project.json',
      ].sort(),
    );
    writeFileSync(path('field.cellscope.zip'), project.bytes);

    const fresh = await openPage(session);
    try {
      await fresh.page.setInputFiles(
        '[data-testid=open-project-input]',
        path('field.cellscope.zip'),
      );
      await expect.poll(async () => (await counts(fresh.page)).cells, POLL).toBe(segmented.cells);
      expect((await labelState(fresh.page)).layers).toEqual(edited.layers);
      expect(await fresh.page.inputValue('[data-testid=overlay-cells]')).toBe('filled');
      expect(await fresh.page.inputValue('[data-testid=nuclei-diameter]')).toBe('21');
      expect(fresh.errors).toEqual([]);
    } finally {
      await fresh.page.close();
    }

    // The CLI reads the project's own files: its config on its image gives the page's first run.
    mkdirSync(path('project'));
    for (const name of ['config.json', 'image/field.tif']) {
      writeFileSync(path(`project/${name.replace('image/', '')}`), entries[name]);
    }
    const config = JSON.parse(strFromU8(entries['config.json']));
    expect(config.nuclei).toMatchObject({ method: 'classical', diameter: 21 });
    const out = path('cli');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        CLI,
        'analyze',
        path('project/field.tif'),
        '--config',
        path('project/config.json'),
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'field', 'summary.json'), 'utf8'));
    expect({ nuclei: summary.nuclei, cells: summary.cells }).toEqual(segmented);
  }, 180_000);
});
