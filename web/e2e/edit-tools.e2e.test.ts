// Drawing and run control at the Cellpose GUI's and napari's level (issue 16): the polygon/lasso
// tool, splitting an object along a line, nuclei-only and cells-only runs, the visible region,
// the "previous" layer and undo across a re-segmentation. Every check reads the engine's labels.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabels } from '../../src/image/plane.js';
import { encodeTiff } from '../../src/io/tiff/write.js';
import { syntheticCells } from '../../src/synth/cells.js';
import { splitAlongLine } from '../src/engine/split.js';
import {
  canvasPixel,
  counts,
  dragInImage,
  HAS_CHROMIUM,
  imageToPage,
  openImage,
  openPage,
  segment,
  startApp,
  type AppSession,
} from './browser.js';

const SCREENS = process.env.CELLSCOPE_SCREENS;
const POLL = { timeout: 30_000 };
/** Each test polls the engine's labels many times; a loaded machine needs minutes. */
const TEST_TIMEOUT = 180_000;
const W = 256;

interface Layers {
  nuclei: number[];
  cells: number[];
  /** Undo steps held (a run's two layers are two linked steps). */
  history: number;
}

type Engine = { request(type: string, args: object): Promise<unknown> };
type AppHandle = {
  engine: Engine;
  viewer: {
    zoom(f: number): void;
    centreOn(x: number, y: number): void;
    visibleRegion(): { x: number; y: number; width: number; height: number };
  };
};
const app = (page: Page) =>
  page.evaluateHandle(() => (window as unknown as { cellscope: { app: AppHandle } }).cellscope.app);

/** Both label layers as the engine holds them. */
function layers(page: Page): Promise<Layers> {
  return page.evaluate(async () => {
    const { engine } = (window as unknown as { cellscope: { app: AppHandle } }).cellscope.app;
    const state = (await engine.request('snapshot', {})) as {
      layers: { nuclei: Uint32Array; cells: Uint32Array };
      history: unknown[];
    };
    return {
      nuclei: Array.from(state.layers.nuclei),
      cells: Array.from(state.layers.cells),
      history: state.history.length,
    };
  });
}

const count = (data: number[], label: number) => data.filter((v) => v === label).length;
const labelsIn = (data: number[]) => new Set(data.filter((v) => v !== 0));

describe.skipIf(!HAS_CHROMIUM)('drawing tools and run control', () => {
  let session: AppSession;
  let page: Page;
  let errors: string[];
  const work = mkdtempSync(join(tmpdir(), 'cellscope-e2e-'));
  const field = syntheticCells({ width: W, height: W, cells: 10, seed: 5 });
  /** The labels after the first segmentation in the page (the other tests start from them). */
  let segmented: Layers;

  const at = async (x: number, y: number) => imageToPage(page, x, y);
  const tool = (name: string) => page.click(`[data-testid=tool-${name}]`);
  const undoTo = async (expected: Layers) => {
    await page.click('[data-testid=undo]');
    await expect.poll(async () => (await layers(page)).cells, POLL).toEqual(expected.cells);
    expect((await layers(page)).nuclei).toEqual(expected.nuclei);
  };
  /** A w × h rectangle of background (no cell) at least `margin` px from any cell. */
  const emptyRect = (data: number[], w: number, h: number, margin = 2) => {
    for (let y = margin; y + h + margin < W; y += 2)
      for (let x = margin; x + w + margin < W; x += 2) {
        let free = true;
        for (let dy = -margin; dy < h + margin && free; dy++)
          for (let dx = -margin; dx < w + margin && free; dx++)
            if (data[(y + dy) * W + x + dx]) free = false;
        if (free) return { x, y };
      }
    throw new Error(`no empty ${w}×${h} rectangle`);
  };

  beforeAll(async () => {
    writeFileSync(join(work, 'field.tif'), encodeTiff(field.stack));
    if (SCREENS) mkdirSync(SCREENS, { recursive: true });
    session = await startApp();
    ({ page, errors } = await openPage(session));
    await openImage(page, [join(work, 'field.tif')]);
    await page.selectOption('[data-testid=nuclei-method]', 'classical');
    await page.selectOption('[data-testid=cells-method]', 'from-nuclei');
    await segment(page);
    segmented = await layers(page);
    // The first run on an image has nothing to undo to.
    expect(segmented.history).toBe(0);
    expect(labelsIn(segmented.cells).size).toBeGreaterThan(5);
    await page.click('[data-testid=table-cells]');
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it(
    'draws a lasso as a new object: every pixel whose centre it holds',
    async () => {
      const before = await layers(page);
      const { x, y } = emptyRect(before.cells, 14, 10);
      await tool('polygon');
      // Corners on pixel edges: the 14 × 10 pixels inside, none on the outline.
      const corners = [
        [x, y],
        [x + 14, y],
        [x + 14, y + 10],
        [x, y + 10],
      ];
      const first = await at(corners[0][0], corners[0][1]);
      await page.mouse.move(first.x, first.y);
      await page.mouse.down();
      for (const [cx, cy] of [...corners.slice(1), corners[0]]) {
        const p = await at(cx, cy);
        await page.mouse.move(p.x, p.y, { steps: 6 });
      }
      await page.mouse.up();
      await expect
        .poll(async () => labelsIn((await layers(page)).cells).size, POLL)
        .toBe(labelsIn(before.cells).size + 1);
      const after = await layers(page);
      const drawn = Math.max(...labelsIn(after.cells));
      expect(count(after.cells, drawn)).toBe(140);
      for (let dy = 0; dy < 10; dy++)
        for (let dx = 0; dx < 14; dx++) expect(after.cells[(y + dy) * W + x + dx]).toBe(drawn);
      await undoTo(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'draws a clicked polygon, closed by Enter or a double-click, with or without preserving others',
    async () => {
      const before = await layers(page);
      // A 12 × 12 square half over the right edge of a cell's bounding box.
      const cell = [...labelsIn(before.cells)][0];
      let [x1, ys, n] = [0, 0, 0];
      for (let i = 0; i < before.cells.length; i++)
        if (before.cells[i] === cell)
          [x1, ys, n] = [Math.max(x1, i % W), ys + Math.floor(i / W), n + 1];
      const [x, y] = [x1 - 5, Math.round(ys / n) - 6];
      const square = [
        [x, y],
        [x + 12, y],
        [x + 12, y + 12],
        [x, y + 12],
      ];
      let taken = 0;
      for (let dy = 0; dy < 12; dy++)
        for (let dx = 0; dx < 12; dx++) if (before.cells[(y + dy) * W + x + dx]) taken++;
      expect(taken).toBeGreaterThan(0);
      await page.keyboard.press('Escape'); // no selection: the polygon makes a new object
      await tool('polygon');
      for (const [cx, cy] of square) {
        const p = await at(cx, cy);
        await page.mouse.click(p.x, p.y);
      }
      if (SCREENS) {
        await page.screenshot({ path: join(SCREENS, 'polygon-drawing-fit.png') });
        const handle = await app(page);
        await handle.evaluate(
          (a, c) => {
            a.viewer.zoom(4);
            a.viewer.centreOn(c[0], c[1]);
          },
          [x + 6, y + 6],
        );
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(SCREENS, 'polygon-drawing-4x.png') });
        await page.click('[data-testid=fit]');
      }
      await page.keyboard.press('Enter');
      // Preserve others (the default): the cell keeps its pixels, the new object takes the rest.
      await expect
        .poll(async () => labelsIn((await layers(page)).cells).size, POLL)
        .toBe(labelsIn(before.cells).size + 1);
      let after = await layers(page);
      let drawn = Math.max(...labelsIn(after.cells));
      expect(count(after.cells, drawn)).toBe(144 - taken);
      expect(count(after.cells, cell)).toBe(count(before.cells, cell));
      await undoTo(before);

      // Without preserving others, closed by a double-click: the whole square is the new object.
      await page.uncheck('[data-testid=preserve-others]');
      for (const [k, [cx, cy]] of square.entries()) {
        const p = await at(cx, cy);
        if (k < 3) await page.mouse.click(p.x, p.y);
        else await page.mouse.dblclick(p.x, p.y);
      }
      await expect
        .poll(async () => labelsIn((await layers(page)).cells).size, POLL)
        .toBeGreaterThan(labelsIn(before.cells).size);
      after = await layers(page);
      drawn = Math.max(...labelsIn(after.cells));
      expect(count(after.cells, drawn)).toBe(144);
      expect(count(after.cells, cell)).toBeLessThan(count(before.cells, cell));
      await page.check('[data-testid=preserve-others]');
      await undoTo(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'splits a cell along a line drawn across it, as splitAlongLine does',
    async () => {
      const before = await layers(page);
      const labels = createLabels(W, W, Uint32Array.from(before.cells));
      // A cell a vertical line through its middle column cuts in two.
      let found: { column: number; top: number; bottom: number } | undefined;
      for (const cell of labelsIn(before.cells)) {
        let [x0, x1, y0, y1] = [W, 0, W, 0];
        for (let i = 0; i < before.cells.length; i++)
          if (before.cells[i] === cell) {
            [x0, x1] = [Math.min(x0, i % W), Math.max(x1, i % W)];
            [y0, y1] = [Math.min(y0, Math.floor(i / W)), Math.max(y1, Math.floor(i / W))];
          }
        const column = Math.round((x0 + x1) / 2);
        const [top, bottom] = [Math.max(0, y0 - 3), Math.min(W - 1, y1 + 3)];
        const line = [
          { x: column + 0.5, y: top + 0.5 },
          { x: column + 0.5, y: bottom + 0.5 },
        ];
        if (splitAlongLine(labels, line).split.length === 1 && !before.cells[top * W + column]) {
          found = { column, top, bottom };
          break;
        }
      }
      const { column, top, bottom } = found!;
      const expected = splitAlongLine(labels, [
        { x: column + 0.5, y: top + 0.5 },
        { x: column + 0.5, y: bottom + 0.5 },
      ]);
      await tool('split');
      await dragInImage(
        page,
        { x: column + 0.5, y: top + 0.5 },
        { x: column + 0.5, y: bottom + 0.5 },
        12,
      );
      await expect
        .poll(async () => (await layers(page)).cells, POLL)
        .toEqual(Array.from(expected.labels.data));
      if (SCREENS) {
        await page.screenshot({ path: join(SCREENS, 'split-after-fit.png') });
        const handle = await app(page);
        await handle.evaluate(
          (a, c) => {
            a.viewer.zoom(4);
            a.viewer.centreOn(c[0], c[1]);
          },
          [column, (top + bottom) / 2],
        );
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(SCREENS, 'split-after-4x.png') });
        await page.click('[data-testid=fit]');
      }
      await undoTo(before);
      // A line through background only: a clear message, nothing changes.
      const empty = emptyRect(before.cells, 4, 12);
      await dragInImage(page, { x: empty.x + 1, y: empty.y }, { x: empty.x + 1, y: empty.y + 10 });
      await expect
        .poll(() => page.textContent('[data-testid=error]'), POLL)
        .toContain('the line cut no object in two');
      expect((await layers(page)).cells).toEqual(before.cells);
      await page.click('[data-testid=error] button');
      await tool('select');
    },
    TEST_TIMEOUT,
  );

  it(
    're-runs nuclei only and cells only (keeping edited nuclei); undo takes a run back whole',
    async () => {
      // Delete the first nucleus of the table.
      await page.click('[data-testid=table-nuclei]');
      const row = page.locator('[data-testid=objects-table] .row').nth(0);
      const nucleus = Number(await row.getAttribute('data-label'));
      await row.click();
      await page.click('[data-testid=delete]');
      await expect.poll(async () => count((await layers(page)).nuclei, nucleus), POLL).toBe(0);
      const edited = await layers(page);
      const history = edited.history;

      // Cells only, keeping the edited nuclei: one cell fewer, the nuclei exactly as edited.
      await page.selectOption('[data-testid=run-steps]', 'cells');
      await page.check('[data-testid=keep-previous]');
      await segment(page);
      const cellsOnly = await layers(page);
      expect(cellsOnly.nuclei).toEqual(edited.nuclei);
      expect(labelsIn(cellsOnly.cells).size).toBe(labelsIn(segmented.cells).size - 1);
      expect((await counts(page)).cells).toBe((await counts(page)).nuclei);
      expect(cellsOnly.history).toBe(history + 1);

      // The previous cells show as white outlines where the lost cell was.
      expect(await page.isVisible('[data-testid=previous-layer]')).toBe(true);
      // A pixel on an outline of the cells before that is no outline now (the lost cell's area
      // went to its neighbours).
      const now = cellsOnly.cells;
      const outlineNow = (i: number) =>
        now[i] !== 0 && [i - 1, i + 1, i - W, i + W].some((n) => now[n] !== now[i]);
      let edge = -1;
      for (let i = W; i < W * (W - 1) && edge < 0; i++)
        if (edited.cells[i] && edited.cells[i - W] !== edited.cells[i] && !outlineNow(i)) edge = i;
      expect(edge).toBeGreaterThan(0);
      await page.selectOption('[data-testid=overlay-nuclei]', 'off');
      await page.click('[data-testid=fit]'); // the table click centred the view on the nucleus
      const [ex, ey] = [(edge % W) + 0.5, Math.floor(edge / W) + 0.5];
      await expect.poll(() => canvasPixel(page, ex, ey), POLL).toEqual([255, 255, 255]);
      if (SCREENS) await page.screenshot({ path: join(SCREENS, 'previous-layer-fit.png') });
      await page.uncheck('[data-testid=show-previous]');
      await expect.poll(() => canvasPixel(page, ex, ey), POLL).not.toEqual([255, 255, 255]);

      // Undo takes the run back (cells as before it), redo brings it again.
      await undoTo(edited);
      await page.click('[data-testid=redo]');
      await expect.poll(async () => (await layers(page)).cells, POLL).toEqual(cellsOnly.cells);

      // Nuclei only: the deleted nucleus is found again, the cells stay as they are.
      await page.selectOption('[data-testid=run-steps]', 'nuclei');
      await segment(page);
      const nucleiOnly = await layers(page);
      expect(nucleiOnly.nuclei).toEqual(segmented.nuclei);
      expect(nucleiOnly.cells).toEqual(cellsOnly.cells);
      await page.check('[data-testid=show-previous]');
      await page.click('[data-testid=delete-previous]');
      await expect.poll(() => page.isVisible('[data-testid=previous-layer]'), POLL).toBe(false);
      await page.uncheck('[data-testid=keep-previous]');
      await page.selectOption('[data-testid=overlay-nuclei]', 'contours');
      await page.click('[data-testid=table-cells]');
    },
    TEST_TIMEOUT,
  );

  it(
    'segments the visible region only, keeping objects its edge cuts',
    async () => {
      await page.selectOption('[data-testid=run-steps]', 'both');
      const before = await layers(page);
      const handle = await app(page);
      await handle.evaluate((a) => {
        a.viewer.zoom(2.5);
        a.viewer.centreOn(128, 128);
      });
      await page.waitForTimeout(300);
      const region = await handle.evaluate((a) => a.viewer.visibleRegion());
      expect(region.width).toBeLessThan(W);
      const inRegion = (i: number) => {
        const [x, y] = [i % W, Math.floor(i / W)];
        return (
          x >= region.x &&
          y >= region.y &&
          x < region.x + region.width &&
          y < region.y + region.height
        );
      };
      // Delete the cells wholly inside the region: the run finds them again.
      const crossing = new Set<number>();
      const inside = new Set<number>();
      before.cells.forEach((v, i) => v && (inRegion(i) ? inside : crossing).add(v));
      const wholly = [...inside].filter((v) => !crossing.has(v));
      expect(wholly.length).toBeGreaterThan(0);
      const emptied = before.cells.map((v) => (wholly.includes(v) ? 0 : v));
      await page.selectOption('[data-testid=run-where]', 'view');
      await segment(page);
      const after = await layers(page);
      // Outside the region nothing changed; cells its edge cuts are kept whole.
      for (let i = 0; i < W * W; i++)
        if (!inRegion(i)) expect(after.cells[i]).toBe(before.cells[i]);
      for (const v of crossing) expect(count(after.cells, v)).toBe(count(before.cells, v));
      // Every wholly-inside cell's centre is covered by a cell again, none of them touching an
      // inner edge of the region.
      expect(emptied.some((v, i) => v !== before.cells[i])).toBe(true);
      const added = [...labelsIn(after.cells)].filter((v) => !crossing.has(v));
      expect(added.length).toBeGreaterThanOrEqual(wholly.length - 1);
      for (const v of added)
        after.cells.forEach((w, i) => {
          if (w !== v) return;
          const [x, y] = [i % W, Math.floor(i / W)];
          const onInnerEdge =
            (x === region.x && x > 0) ||
            (y === region.y && y > 0) ||
            (x === region.x + region.width - 1 && x < W - 1) ||
            (y === region.y + region.height - 1 && y < W - 1);
          expect(onInnerEdge).toBe(false);
        });
      if (SCREENS) await page.screenshot({ path: join(SCREENS, 'region-run-2.5x.png') });
      // One undo step takes the region run back.
      await undoTo(before);
      await page.selectOption('[data-testid=run-where]', 'image');
      await page.click('[data-testid=fit]');
    },
    TEST_TIMEOUT,
  );

  it(
    'lists the new tools in the shortcut help',
    async () => {
      await page.keyboard.press('?');
      const help = page.locator('[data-testid=shortcut-help]');
      expect(await help.textContent()).toContain('polygon: drag a lasso, or click vertices');
      expect(await help.textContent()).toContain('split: drag a line across objects');
      if (SCREENS) await page.screenshot({ path: join(SCREENS, 'shortcuts-tools.png') });
      await page.keyboard.press('Escape');
      await page.keyboard.press('p');
      expect(await page.getAttribute('[data-testid=viewer-area]', 'data-tool')).toBe('polygon');
      await page.keyboard.press('k');
      expect(await page.getAttribute('[data-testid=viewer-area]', 'data-tool')).toBe('split');
      expect(errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});
