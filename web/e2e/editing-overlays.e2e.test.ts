// Editing and overlays at napari's level (issue 16): bucket fill, pick, brush with and without
// "preserve others", undo and redo; per-layer colouring (one colour, by measurement with a
// legend), opacity, contour width and "selected only"; the shortcut list.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeLabelsTiff, encodeTiff } from '../../src/io/tiff/write.js';
import { syntheticCells } from '../../src/synth/cells.js';
import { viridis } from '../src/engine/colormap.js';
import {
  canvasPixel,
  dragInImage,
  HAS_CHROMIUM,
  imageToPage,
  openImage,
  openPage,
  startApp,
  type AppSession,
} from './browser.js';

const SCREENS = process.env.CELLSCOPE_SCREENS;
const POLL = { timeout: 30_000 };
const W = 256;

type Engine = { request(type: string, args: object): Promise<unknown> };

interface LayerSummary {
  /** FNV-1a over every pixel: equal layers, equal hashes. */
  hash: number;
  /** Pixels per label. */
  counts: Record<number, number>;
}

/** The cells layer as the engine holds it, summarised in the page (no 65k-element diffs). */
function cellLayer(page: Page): Promise<LayerSummary> {
  return page.evaluate(async () => {
    const app = (window as unknown as { cellscope: { app: { engine: Engine } } }).cellscope.app;
    const state = (await app.engine.request('snapshot', {})) as {
      layers: { cells: Uint32Array };
    };
    let hash = 2166136261;
    const counts: Record<number, number> = {};
    for (const v of state.layers.cells) {
      hash = Math.imul(hash ^ v, 16777619) >>> 0;
      counts[v] = (counts[v] ?? 0) + 1;
    }
    return { hash, counts };
  });
}

const countOf = (layer: LayerSummary, label: number): number => layer.counts[label] ?? 0;

function pixelsOf(data: ArrayLike<number>, label: number): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === label) n++;
  return n;
}

describe.skipIf(!HAS_CHROMIUM)('editing tools and overlays', () => {
  let session: AppSession;
  let page: Page;
  let errors: string[];
  const work = mkdtempSync(join(tmpdir(), 'cellscope-e2e-'));
  const path = (name: string) => join(work, name);
  const field = syntheticCells({ width: W, height: W, cells: 12, seed: 3 });
  const cells = field.cellLabels.data;
  const nuclei = field.nucleusLabels.data;
  /** A pixel of each cell whose 7×7 neighbourhood is that cell and no nucleus. */
  const inside = new Map<number, { x: number; y: number }>();
  /** Two touching cells: c ends at (x, y), d starts at (x + 1, y), each ≥ 5 px deep. */
  let touch: { c: number; d: number; x: number; y: number } | undefined;

  const click = async (p: { x: number; y: number }) => {
    const at = await imageToPage(page, p.x + 0.5, p.y + 0.5);
    await page.mouse.click(at.x, at.y);
  };
  const highlighted = () => page.getAttribute('[data-testid=viewer-area]', 'data-highlighted');

  beforeAll(async () => {
    for (let y = 3; y < W - 3; y++) {
      for (let x = 3; x < W - 3; x++) {
        const v = cells[y * W + x];
        if (!v || inside.has(v)) continue;
        let ok = true;
        for (let dy = -3; dy <= 3 && ok; dy++)
          for (let dx = -3; dx <= 3; dx++) {
            const i = (y + dy) * W + x + dx;
            if (cells[i] !== v || nuclei[i]) ok = false;
          }
        if (ok) inside.set(v, { x, y });
      }
    }
    for (let y = 0; y < W && !touch; y++) {
      for (let x = 5; x < W - 6 && !touch; x++) {
        const [c, d] = [cells[y * W + x], cells[y * W + x + 1]];
        if (!c || !d || c === d) continue;
        let deep = true;
        for (let k = 0; k < 5; k++)
          if (cells[y * W + x - k] !== c || cells[y * W + x + 1 + k] !== d) deep = false;
        if (deep) touch = { c, d, x, y };
      }
    }
    writeFileSync(path('field.tif'), encodeTiff(field.stack));
    writeFileSync(path('field_cells.tif'), encodeLabelsTiff(field.cellLabels));
    writeFileSync(path('field_nuclei.tif'), encodeLabelsTiff(field.nucleusLabels));
    if (SCREENS) mkdirSync(SCREENS, { recursive: true });
    session = await startApp();
    ({ page, errors } = await openPage(session));
    await openImage(page, [path('field.tif')]);
    for (const layer of ['cells', 'nuclei']) {
      await page.setInputFiles('[data-testid=open-labels-input]', path(`field_${layer}.tif`));
      await page.click(`[data-testid=layer-choice-${layer}]`);
    }
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=counts]')?.getAttribute('data-nuclei')) > 5,
      null,
      POLL,
    );
    await page.click('[data-testid=table-cells]');
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('fills a cell with the selected label; undo and redo step through it', async () => {
    const [a, b] = [...inside.keys()];
    const before = await cellLayer(page);
    await click(inside.get(a)!);
    await expect.poll(highlighted, POLL).toBe(String(a));
    await page.click('[data-testid=tool-fill]');
    await click(inside.get(b)!);
    await expect.poll(async () => countOf(await cellLayer(page), b), POLL).toBe(0);
    const filled = await cellLayer(page);
    expect(countOf(filled, a)).toBe(countOf(before, a) + countOf(before, b));
    await page.keyboard.press('Control+z');
    await expect.poll(() => cellLayer(page), POLL).toEqual(before);
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => cellLayer(page), POLL).toEqual(filled);
    await page.click('[data-testid=undo]');
    await expect.poll(() => cellLayer(page), POLL).toEqual(before);
  });

  it('picks a label for the brush, which keeps other cells unless told otherwise', async () => {
    const { c, d, x, y } = touch!;
    await page.click('[data-testid=tool-pick]');
    await click({ x: x - 3, y });
    await expect.poll(highlighted, POLL).toBe(String(c));
    expect(await page.getAttribute('[data-testid=viewer-area]', 'data-tool')).toBe('brush');
    await page.fill('.brush-size', '2');
    await page.dispatchEvent('.brush-size', 'change');
    const before = await cellLayer(page);
    const stroke = async () => {
      await dragInImage(page, { x: x - 2.5, y: y + 0.5 }, { x: x + 4.5, y: y + 0.5 });
    };
    await stroke(); // preserve others (the default): d keeps every pixel
    await expect
      .poll(async () => countOf(await cellLayer(page), c), POLL)
      .toBeGreaterThanOrEqual(countOf(before, c));
    expect(countOf(await cellLayer(page), d)).toBe(countOf(before, d));
    await page.uncheck('[data-testid=preserve-others]');
    await stroke();
    await expect
      .poll(async () => countOf(await cellLayer(page), d), POLL)
      .toBeLessThan(countOf(before, d) - 10);
    if (SCREENS) await page.screenshot({ path: join(SCREENS, 'editing-brush.png') });
    await page.check('[data-testid=preserve-others]');
    await page.click('[data-testid=undo]');
    await page.click('[data-testid=undo]');
    await expect.poll(() => cellLayer(page), POLL).toEqual(before);
    await page.click('[data-testid=tool-select]');
    await page.keyboard.press('Escape');
  });

  it('erases across a cell and makes the piece cut off an object of its own', async () => {
    const [, , a] = [...inside.keys()];
    const { y } = inside.get(a)!;
    let [x0, x1] = [W, -1];
    for (let x = 0; x < W; x++)
      if (cells[y * W + x] === a) [x0, x1] = [Math.min(x0, x), Math.max(x1, x)];
    const before = await cellLayer(page);
    await click(inside.get(a)!); // selected: the eraser takes only its pixels
    await expect.poll(highlighted, POLL).toBe(String(a));
    await page.click('[data-testid=tool-erase]');
    expect(await page.inputValue('[data-testid=detached-pieces]')).toBe('relabel');
    await dragInImage(page, { x: x0 - 3, y: y + 0.5 }, { x: x1 + 4, y: y + 0.5 }, 16);
    await expect
      .poll(async () => countOf(await cellLayer(page), a), POLL)
      .toBeLessThan(countOf(before, a));
    const after = await cellLayer(page);
    const added = Object.keys(after.counts).filter((l) => !(l in before.counts));
    expect(added.length).toBeGreaterThanOrEqual(1);
    // Every other cell is untouched; the cut-off piece is smaller than what kept the label.
    for (const l of Object.keys(before.counts).map(Number))
      if (l !== a && l !== 0) expect(countOf(after, l)).toBe(countOf(before, l));
    for (const l of added) expect(countOf(after, Number(l))).toBeLessThanOrEqual(countOf(after, a));
    await page.click('[data-testid=undo]');
    await expect.poll(() => cellLayer(page), POLL).toEqual(before);
    await page.click('[data-testid=tool-select]');
    await page.keyboard.press('Escape');
  });

  it('draws cells in one colour at full opacity, or coloured by area with a legend', async () => {
    const [a] = [...inside.keys()];
    const p = { x: inside.get(a)!.x + 0.5, y: inside.get(a)!.y + 0.5 };
    await page.selectOption('[data-testid=overlay-nuclei]', 'off');
    await page.selectOption('[data-testid=overlay-cells]', 'filled');
    await page.selectOption('[data-testid=overlay-cells-colouring]', 'single');
    await page.fill('[data-testid=overlay-cells-colour]', '#00ff00');
    await page.fill('[data-testid=overlay-cells-opacity]', '1');
    await expect.poll(() => canvasPixel(page, p.x, p.y), POLL).toEqual([0, 255, 0]);

    await page.selectOption('[data-testid=overlay-cells-colouring]', 'measurement');
    await page.selectOption('[data-testid=overlay-cells-measurement]', 'area');
    const areas = [...new Set(cells)].filter((v) => v).map((v) => pixelsOf(cells, v));
    const [min, max] = [Math.min(...areas), Math.max(...areas)];
    const legend = page.locator('[data-testid=overlay-cells-legend]');
    expect(await legend.textContent()).toBe(`${min}${max}`);
    const expected = viridis((pixelsOf(cells, a) - min) / (max - min));
    await expect.poll(() => canvasPixel(page, p.x, p.y), POLL).toEqual(expected);
    if (SCREENS) {
      await page.click('[data-testid=fit]');
      await page.screenshot({ path: join(SCREENS, 'overlay-measurement-fit.png') });
    }
  });

  it('shows only the selected cell when asked', async () => {
    const [a, b] = [...inside.keys()];
    await page.selectOption('[data-testid=overlay-cells-colouring]', 'single');
    await page.check('[data-testid=overlay-selected-only]');
    await click(inside.get(a)!);
    await expect.poll(highlighted, POLL).toBe(String(a));
    const pb = inside.get(b)!;
    await expect
      .poll(() => canvasPixel(page, pb.x + 0.5, pb.y + 0.5), POLL)
      .not.toEqual([0, 255, 0]);
    await page.uncheck('[data-testid=overlay-selected-only]');
    await expect.poll(() => canvasPixel(page, pb.x + 0.5, pb.y + 0.5), POLL).toEqual([0, 255, 0]);
    // The checkbox has the focus: Esc still clears the selection.
    await page.keyboard.press('Escape');
    await expect.poll(highlighted, POLL).toBe('');
  });

  it('widens contours in screen pixels, and keeps them at 4× zoom', async () => {
    await page.selectOption('[data-testid=overlay-cells]', 'contours');
    const green = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=viewer]')!;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4)
          if (data[i] === 0 && data[i + 1] === 255 && data[i + 2] === 0) n++;
        return n;
      });
    await page.click('[data-testid=fit]');
    const scale = await page.evaluate(
      () =>
        (window as unknown as { cellscope: { app: { viewTransform: { scale: number } } } })
          .cellscope.app.viewTransform.scale,
    );
    await page.fill('[data-testid=overlay-cells-width]', String(Math.ceil(scale)));
    await page.dispatchEvent('[data-testid=overlay-cells-width]', 'change');
    await expect.poll(green, POLL).toBeGreaterThan(0);
    const thin = await green();
    await page.fill('[data-testid=overlay-cells-width]', String(Math.ceil(scale) * 3));
    await page.dispatchEvent('[data-testid=overlay-cells-width]', 'change');
    // Three image pixels wide instead of one: well over twice the screen pixels.
    await expect.poll(green, POLL).toBeGreaterThan(thin * 2);
    const widths = () => page.getAttribute('[data-testid=viewer-area]', 'data-contour-widths');
    const wide = `1,${Math.round((Math.ceil(scale) * 3) / scale)}`;
    expect(await widths()).toBe(wide);
    // At 4× the same screen width is one image pixel: the overlay is redrawn thinner.
    await page.evaluate(() => {
      type Viewer = { zoom(f: number): void };
      const app = (window as unknown as { cellscope: { app: { viewer: Viewer } } }).cellscope.app;
      app.viewer.zoom(4);
    });
    await expect.poll(widths, POLL).toBe('1,1');
    await page.click('[data-testid=fit]');
    await expect.poll(widths, POLL).toBe(wide);
    if (SCREENS) {
      await page.screenshot({ path: join(SCREENS, 'overlay-contours-fit.png') });
      await page.selectOption('[data-testid=overlay-cells-colouring]', 'random');
      await page.selectOption('[data-testid=overlay-nuclei]', 'contours');
      await page.evaluate(() => {
        const app = (
          window as unknown as { cellscope: { app: { viewer: { zoom(f: number): void } } } }
        ).cellscope.app;
        app.viewer.zoom(4);
      });
      const { x, y } = touch!;
      await page.evaluate(
        ([x, y]) => {
          type Viewer = { centreOn(x: number, y: number): void };
          const app = (window as unknown as { cellscope: { app: { viewer: Viewer } } }).cellscope
            .app;
          app.viewer.centreOn(x, y);
        },
        [x, y],
      );
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SCREENS, 'overlay-contours-4x.png') });
      await page.selectOption('[data-testid=overlay-cells]', 'filled');
      await page.fill('[data-testid=overlay-cells-opacity]', '0.4');
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SCREENS, 'overlay-filled-4x.png') });
      await page.click('[data-testid=fit]');
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SCREENS, 'overlay-filled-fit.png') });
    }
  });

  it('centres the view on an object clicked in the table', async () => {
    await page.evaluate(() => {
      type Viewer = { zoom(f: number): void };
      const app = (window as unknown as { cellscope: { app: { viewer: Viewer } } }).cellscope.app;
      app.viewer.zoom(4);
    });
    const row = page.locator('[data-testid=objects-table] .row').nth(3);
    const label = Number(await row.getAttribute('data-label'));
    await row.click();
    await expect.poll(highlighted, POLL).toBe(String(label));
    // The viewer's centre now shows that cell's centroid pixel.
    const box = (await page.locator('[data-testid=viewer]').boundingBox())!;
    const view = await page.evaluate(
      () =>
        (
          window as unknown as {
            cellscope: {
              app: { viewTransform: { scale: number; offsetX: number; offsetY: number } };
            };
          }
        ).cellscope.app.viewTransform,
    );
    const centre = {
      x: (box.width / 2 - view.offsetX) / view.scale,
      y: (box.height / 2 - view.offsetY) / view.scale,
    };
    let [sx, sy, n] = [0, 0, 0];
    for (let i = 0; i < cells.length; i++)
      if (cells[i] === label) [sx, sy, n] = [sx + (i % W), sy + Math.floor(i / W), n + 1];
    expect(centre.x).toBeCloseTo(sx / n + 0.5, 1);
    expect(centre.y).toBeCloseTo(sy / n + 0.5, 1);
    await page.keyboard.press('Escape');
    await page.click('[data-testid=fit]');
  });

  it('lists the keyboard shortcuts on ?', async () => {
    const help = page.locator('[data-testid=shortcut-help]');
    expect(await help.isHidden()).toBe(true);
    await page.keyboard.press('?');
    expect(await help.isVisible()).toBe(true);
    expect(await help.textContent()).toContain('fill (bucket)');
    if (SCREENS) await page.screenshot({ path: join(SCREENS, 'shortcuts.png') });
    await page.keyboard.press('Escape');
    expect(await help.isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });
});
