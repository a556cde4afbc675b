// Big images in the app (issue 18): a 16384² pyramidal tiled OME-TIFF and a 16384² OME-Zarr
// folder, both written tile by tile, open lazily at the level that fits, zooming in draws
// full-resolution pixels from tiles, the tile cache stays inside its memory limit while
// panning, and Segment runs block-wise on the visible region.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actin,
  BRIGHT,
  CHECKER,
  DARK,
  inChecker,
  LEVELS,
  NUCLEUS,
  RADIUS,
  SIZE as N,
  SPACING,
  writeSlideTiff,
  writeSlideZarr,
} from './big-slide.js';
import {
  canvasPixel,
  HAS_CHROMIUM,
  imageToPage,
  openImage,
  openPage,
  pixelAt,
  startApp,
  type AppSession,
} from './browser.js';

const SCREENS = process.env.CELLSCOPE_SCREENS;
const POLL = { timeout: 60_000 };
const LEVEL_SIZES = Array.from({ length: LEVELS }, (_, k) => `${N >> k}x${N >> k}`).join(',');
/** The checkerboard's centre, and a bright (x + y odd) pixel beside a dark one. */
const [CX, CY] = [CHECKER.x + CHECKER.size / 2, CHECKER.y + CHECKER.size / 2];
const [BX, BY] = [CHECKER.x + 11, CHECKER.y + 10];
/** The DNA channel's colour is blue (the library's nuclei colour), actin's green. */
const BLUE = 2;

const viewerData = (page: Page, name: string): Promise<string | null> =>
  page.getAttribute('[data-testid=viewer-area]', `data-${name}`);

/** Waits until every tile the view needs has arrived. */
async function tilesSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const data = document.querySelector<HTMLElement>('[data-testid=viewer-area]')!.dataset;
      return data.tilesPending === '0';
    },
    null,
    POLL,
  );
}

const viewScale = (page: Page): Promise<number> =>
  page.evaluate(
    () =>
      (window as unknown as { cellscope: { app: { viewTransform: { scale: number } } } }).cellscope
        .app.viewTransform.scale,
  );

/** Drags the view, a bounded step at a time, until an image point sits at the viewer's centre. */
async function centreOn(page: Page, x: number, y: number): Promise<void> {
  const area = (await page.locator('[data-testid=viewer-area]').boundingBox())!;
  const [cx, cy] = [area.x + area.width / 2, area.y + area.height / 2];
  for (let i = 0; i < 40; i++) {
    const at = await imageToPage(page, x, y);
    const [dx, dy] = [cx - at.x, cy - at.y];
    if (Math.hypot(dx, dy) < 2) return;
    // Each drag starts and ends inside the viewer.
    const step = (d: number, size: number) => Math.max(-0.4 * size, Math.min(0.4 * size, d));
    const [sx, sy] = [step(dx, area.width), step(dy, area.height)];
    await page.mouse.move(cx - sx / 2, cy - sy / 2);
    await page.mouse.down();
    await page.mouse.move(cx + sx / 2, cy + sy / 2, { steps: 4 });
    await page.mouse.up();
  }
}

/** Zooms with the mouse wheel at the viewer's centre to `target`, with (x, y) centred. */
async function zoomTo(page: Page, x: number, y: number, target: number): Promise<void> {
  // Zooming in, centre first (the point stays put); zooming out, centre after (fewer drags).
  if (target > (await viewScale(page))) await centreOn(page, x, y);
  const area = (await page.locator('[data-testid=viewer-area]').boundingBox())!;
  await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
  for (let i = 0; i < 40; i++) {
    const scale = await viewScale(page);
    if (Math.abs(Math.log(scale / target)) < 0.08) break;
    // The viewer zooms by exp(-deltaY · 0.0015): one step of at most ×1.57.
    const delta = Math.log(target / scale) / 0.0015;
    await page.mouse.wheel(0, -Math.sign(delta) * Math.min(300, Math.abs(delta)));
    await page.waitForTimeout(30);
  }
  await centreOn(page, x, y);
}

describe.skipIf(!HAS_CHROMIUM)(
  'big images: overview, tiles, bounded cache, region segmentation',
  () => {
    let session: AppSession;
    let page: Page;
    let errors: string[];
    const work = mkdtempSync(join(tmpdir(), 'cellscope-big-'));
    const tiff = join(work, 'slide.ome.tif');
    const zarrFolder = join(work, 'slide.zarr');

    beforeAll(async () => {
      // Tile by tile, a 512² tile in memory at a time: ~2.5 s CPU each, ~110 MB of disk in all.
      writeSlideTiff(tiff);
      await writeSlideZarr(zarrFolder);
      if (SCREENS) mkdirSync(SCREENS, { recursive: true });
      session = await startApp();
      ({ page, errors } = await openPage(session));
      // A 16 MB tile cache, so that panning over ~30 full-resolution tiles must evict.
      await page.goto(`${session.server.tokenUrl}&tileCacheMb=16`);
      await page.waitForSelector('[data-testid=open-image]');
    }, 180_000);
    afterAll(async () => {
      await session?.close();
      rmSync(work, { recursive: true, force: true });
    });

    it('opens the pyramidal TIFF at the level that fits: 1024² for a ~700 px view', async () => {
      const info = await openImage(page, [tiff]);
      expect(info).toContain(`${N}`);
      expect(info).toContain('2 channels');
      expect(await viewerData(page, 'big-levels')).toBe(LEVEL_SIZES);
      const area = (await page.locator('[data-testid=viewer-area]').boundingBox())!;
      // The fitted view shows 16384 px in min(width, height) CSS px: the first level at least that big.
      const fit = Math.min(area.width, area.height) / N;
      const expected =
        Array.from({ length: LEVELS }, (_, k) => 2 ** k).filter((d) => d <= 1.01 / fit).length - 1;
      expect(expected).toBe(4);
      expect(await viewerData(page, 'overview-level')).toBe(String(expected));
      expect(await viewerData(page, 'overview-source')).toBe('level');
      expect(await viewerData(page, 'tile-level')).toBe('overview');
      // At fit zoom the checkerboard shows the overview's dark squares only: no DNA blue.
      expect((await canvasPixel(page, BX + 0.5, BY + 0.5))[BLUE]).toBeLessThan(40);
      if (SCREENS) await page.screenshot({ path: join(SCREENS, 'big-tiff-fit.png') });
    });

    it('zoomed in 8× draws full-resolution pixels from level-0 tiles', async () => {
      await zoomTo(page, CX, CY, 8);
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLElement>('[data-testid=viewer-area]')!.dataset.tileLevel ===
          '0',
        null,
        POLL,
      );
      await tilesSettled(page);
      if (SCREENS) await page.screenshot({ path: join(SCREENS, 'big-tiff-zoomed.png') });
      // The readout reads level 0 too: one tile per channel, never the plane.
      expect((await pixelAt(page, BX, BY))?.values).toEqual([BRIGHT, actin(BX, BY)]);
      expect((await pixelAt(page, BX - 1, BY))?.values).toEqual([DARK, actin(BX - 1, BY)]);
      // The far corner: the last tile of each channel, 1 GiB into the uncompressed image.
      const corner = N - 1;
      expect((await pixelAt(page, corner, corner))?.values).toEqual([DARK, actin(corner, corner)]);
      // (x + y) odd is bright, even is dark, pixel by pixel, as only level 0 holds it.
      for (const [x, y] of [
        [BX - 1, BY],
        [BX, BY],
        [BX + 20, BY + 23],
        [BX + 21, BY + 23],
      ]) {
        const blue = (await canvasPixel(page, x + 0.5, y + 0.5))[BLUE];
        if ((x + y) & 1) expect(blue, `(${x}, ${y}) bright`).toBeGreaterThan(200);
        else expect(blue, `(${x}, ${y}) dark`).toBeLessThan(40);
      }
    });

    it('panning at full resolution keeps the tile cache inside its memory limit', async () => {
      await zoomTo(page, N / 2, N / 2, 1);
      await tilesSettled(page);
      const area = (await page.locator('[data-testid=viewer-area]').boundingBox())!;
      // Drag the view across the image in a serpentine: every full-resolution tile comes into view.
      const [cx, cy] = [area.x + area.width / 2, area.y + area.height / 2];
      const drag = async (dx: number, dy: number) => {
        await page.mouse.move(cx - dx / 2, cy - dy / 2);
        await page.mouse.down();
        await page.mouse.move(cx + dx / 2, cy + dy / 2, { steps: 4 });
        await page.mouse.up();
        await tilesSettled(page);
      };
      const [dx, dy] = [area.width * 0.9, area.height * 0.9];
      const moves = [
        [-1, 0],
        [-1, 0],
        [0, -1],
        [1, 0],
        [1, 0],
        [1, 0],
        [1, 0],
        [0, -1],
        [-1, 0],
        [-1, 0],
      ];
      for (const [sx, sy] of moves) await drag(sx * dx, sy * dy);
      const number = async (name: string) => Number(await viewerData(page, name));
      const [count, bytes, limit, loaded, evicted] = [
        await number('tile-count'),
        await number('tile-bytes'),
        await number('tile-cache-limit'),
        await number('tiles-loaded'),
        await number('tiles-evicted'),
      ];
      // 512² RGBA tiles are 1 MiB; the limit is 16 MiB or twice the tiles in view, if more.
      expect(limit).toBeGreaterThanOrEqual(16 * 2 ** 20);
      expect(limit).toBeLessThan(40 * 2 ** 20);
      expect(bytes).toBeLessThanOrEqual(limit);
      expect(count).toBe(bytes / 2 ** 20);
      expect(loaded).toBeGreaterThan(count);
      expect(evicted).toBe(loaded - count);
    });

    it('segments the visible region block by block and counts its discs', async () => {
      await zoomTo(page, N / 2, N / 2, 0.6);
      await tilesSettled(page);
      // Classical nuclei and cells grown from them: no model to fetch.
      await page.selectOption('[data-testid=nuclei-method]', 'classical');
      await page.selectOption('[data-testid=cells-method]', 'from-nuclei');
      await page.click('[data-testid=segment]');
      await page.waitForFunction(
        () =>
          /cells in|failed|cancelled/.test(
            document.querySelector('[data-testid=progress-text]')?.textContent ?? '',
          ),
        null,
        { timeout: 120_000 },
      );
      expect(await page.locator('[data-testid=error]').isVisible()).toBe(false);
      const [x, y, w, h] = (await viewerData(page, 'region-rect'))!.split(',').map(Number);
      const nuclei = Number(await viewerData(page, 'region-nuclei'));
      // Discs wholly inside the region, and discs touching it (cut ones may be kept or dropped).
      let whole = 0;
      let touching = 0;
      for (let cy = SPACING / 2; cy < N; cy += SPACING) {
        for (let cx = SPACING / 2; cx < N; cx += SPACING) {
          if (inChecker(cx, cy)) continue;
          if (cx - RADIUS >= x && cx + RADIUS < x + w && cy - RADIUS >= y && cy + RADIUS < y + h)
            whole++;
          if (cx + RADIUS >= x && cx - RADIUS < x + w && cy + RADIUS >= y && cy - RADIUS < y + h)
            touching++;
        }
      }
      expect(w * h).toBeGreaterThan(1024 * 1024);
      expect(nuclei).toBeGreaterThanOrEqual(whole);
      expect(nuclei).toBeLessThanOrEqual(touching + 4);
      expect(Number(await viewerData(page, 'region-blocks'))).toBe(
        Math.ceil(w / 1024) * Math.ceil(h / 1024),
      );
      if (SCREENS) await page.screenshot({ path: join(SCREENS, 'big-tiff-segmented.png') });
      // Zoomed in, a disc's rightmost pixel is its nucleus outline (magenta over the tiles).
      const cx = SPACING / 2 + SPACING * Math.ceil((x + w / 2 - SPACING / 2) / SPACING);
      const cy = SPACING / 2 + SPACING * Math.ceil((y + h / 2 - SPACING / 2) / SPACING);
      await zoomTo(page, cx, cy, 6);
      await tilesSettled(page);
      const [r, g, b] = await canvasPixel(page, cx + RADIUS + 0.5, cy + 0.5);
      const under = await pixelAt(page, cx, cy);
      expect(under?.values).toEqual([NUCLEUS, actin(cx, cy)]);
      expect(under?.nucleus).toBeGreaterThan(0);
      expect(under?.cell).toBeGreaterThan(0);
      expect(r).toBeGreaterThan(200);
      expect(g).toBeLessThan(120);
      expect(b).toBeGreaterThan(180);
      if (SCREENS) await page.screenshot({ path: join(SCREENS, 'big-tiff-segmented-zoomed.png') });
    }, 180_000);

    it('opens the OME-Zarr folder through the folder input at the level that fits', async () => {
      await page.setInputFiles('[data-testid=open-folder-input]', zarrFolder);
      await page.waitForFunction(
        () =>
          (document.querySelector('[data-testid=image-info]')?.textContent ?? '').includes(
            '2 channels',
          ),
        null,
        POLL,
      );
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLElement>('[data-testid=viewer-area]')!.dataset
            .overviewSource !== undefined,
        null,
        POLL,
      );
      expect(await viewerData(page, 'big-levels')).toBe(LEVEL_SIZES);
      expect(await viewerData(page, 'overview-level')).toBe('4');
      if (SCREENS) await page.screenshot({ path: join(SCREENS, 'big-zarr-fit.png') });
      await zoomTo(page, CX, CY, 8);
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLElement>('[data-testid=viewer-area]')!.dataset.tileLevel ===
          '0',
        null,
        POLL,
      );
      await tilesSettled(page);
      if (SCREENS) await page.screenshot({ path: join(SCREENS, 'big-zarr-zoomed.png') });
      const bright = await canvasPixel(page, BX + 0.5, BY + 0.5);
      const dark = await canvasPixel(page, BX - 0.5, BY + 0.5);
      // The DNA channel's colour: its checkerboard, over the actin ramp both neighbours share.
      expect(bright[BLUE] - dark[BLUE]).toBeGreaterThan(200);
      expect((await pixelAt(page, BX, BY))?.values).toEqual([BRIGHT, actin(BX, BY)]);
      const corner = N - 1;
      expect((await pixelAt(page, corner, corner))?.values).toEqual([DARK, actin(corner, corner)]);
      expect(errors).toEqual([]);
    });
  },
);
