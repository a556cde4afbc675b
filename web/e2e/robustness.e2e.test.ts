// The app under load and under bad input: a 2048² 3-channel uint16 image must leave pan and zoom
// free of long main-thread tasks; a corrupt file must show a readable error, and the app go on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTiff } from '../../src/io/tiff/write.js';
import { syntheticCells } from '../../src/synth/cells.js';
import {
  HAS_CHROMIUM,
  openImage,
  openPage,
  segment,
  startApp,
  type AppSession,
} from './browser.js';

const SCREENSHOT = new URL('./output/large-2048.png', import.meta.url).pathname;

interface LongTask {
  start: number;
  duration: number;
}

const longTasks = (page: Page): Promise<LongTask[]> =>
  page.evaluate(() => [
    ...(window as unknown as { cellscope: { longTasks: LongTask[] } }).cellscope.longTasks,
  ]);

describe.skipIf(!HAS_CHROMIUM)('the app with a large image and with bad files', () => {
  let session: AppSession;
  const work = mkdtempSync(join(tmpdir(), 'cellscope-e2e-'));
  const large = join(work, 'large_2048.tif');
  const small = join(work, 'small.tif');
  const other = join(work, 'other.tif');
  beforeAll(async () => {
    writeFileSync(
      large,
      encodeTiff(syntheticCells({ width: 2048, height: 2048, cells: 600, seed: 7 }).stack),
    );
    writeFileSync(
      small,
      encodeTiff(syntheticCells({ width: 256, height: 256, cells: 12, seed: 3 }).stack),
    );
    writeFileSync(
      other,
      encodeTiff(syntheticCells({ width: 320, height: 240, cells: 10, seed: 4 }).stack),
    );
    session = await startApp();
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps the main thread free while panning and zooming a 2048×2048 3-channel uint16 image', async () => {
    const { page, errors } = await openPage(session);
    const beforeOpen = (await longTasks(page)).length;
    const opened = performance.now();
    expect(await openImage(page, [large])).toContain('2048 × 2048 · uint16');
    const openSeconds = (performance.now() - opened) / 1000;
    await page.waitForTimeout(500);
    const duringOpen = (await longTasks(page)).slice(beforeOpen);

    const box = (await page.locator('[data-testid=viewer]').boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const started = await page.evaluate(() => performance.now());
    await page.mouse.move(centre.x, centre.y);
    for (let i = 0; i < 12; i++) {
      await page.mouse.wheel(0, i < 8 ? -240 : 240); // zoom in to 1:1 and beyond, then out
      await page.waitForTimeout(30);
    }
    for (let i = 0; i < 6; i++) {
      await page.mouse.move(centre.x, centre.y);
      await page.mouse.down();
      await page.mouse.move(centre.x + 120, centre.y + 60, { steps: 12 });
      await page.mouse.up();
    }
    await page.waitForTimeout(300);
    const during = (await longTasks(page)).filter((t) => t.start >= started);
    const longest = (tasks: LongTask[]) => Math.max(0, ...tasks.map((t) => t.duration));
    console.log(
      `2048² uint16 ×3: opened in ${openSeconds.toFixed(2)} s, main-thread long tasks while opening ${duringOpen.length} (longest ${longest(duringOpen).toFixed(0)} ms), while panning/zooming ${during.length} (longest ${longest(during).toFixed(0)} ms)`,
    );
    expect(during).toEqual([]);
    await page.screenshot({ path: SCREENSHOT });

    // Cancel stops a segmentation at once; the next one runs.
    await page.click('[data-testid=segment]');
    await page.click('[data-testid=cancel]');
    await expect.poll(() => page.textContent('[data-testid=progress-text]')).toBe('cancelled');
    expect(await page.isDisabled('[data-testid=segment]')).toBe(false);
    expect(await page.locator('[data-testid=error]').isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('opens the images `cellscope view` was given', async () => {
    const served = await startApp([small]);
    try {
      const { page, errors } = await openPage(served);
      await expect
        .poll(() => page.textContent('[data-testid=image-info]'), { timeout: 30_000 })
        .toContain('256 × 256 · uint16');
      expect(errors).toEqual([]);
    } finally {
      await served.close();
    }
  }, 120_000);

  it('shows a readable error for a corrupt file and keeps working', async () => {
    const { page, errors } = await openPage(session);
    await openImage(page, [small]);
    const before = await page.textContent('[data-testid=image-info]');

    const corrupt = join(work, 'corrupt.tif');
    const bytes = new Uint8Array(4096).map((_, i) => (i * 37) & 255);
    bytes.set([0x49, 0x49, 0x2a, 0x00, 0xf0, 0xff, 0xff, 0x00]); // TIFF magic, IFD far past the end
    writeFileSync(corrupt, bytes);
    await page.setInputFiles('[data-testid=open-image-input]', corrupt);
    const error = page.locator('[data-testid=error]');
    await expect.poll(() => error.isVisible()).toBe(true);
    const message = (await error.textContent()) ?? '';
    expect(message).toMatch(/^corrupt\.tif: /);
    expect(message.length).toBeLessThan(300);
    expect(await page.textContent('[data-testid=image-info]')).toBe(before);

    const notAnImage = join(work, 'notes.png');
    writeFileSync(notAnImage, 'these are not pixels');
    await page.setInputFiles('[data-testid=open-image-input]', notAnImage);
    await expect
      .poll(() => error.textContent())
      .toContain('notes.png: is not a TIFF, PNG, JPEG or .npy image');

    // The app still segments what is open, and opens the next good file.
    const { nuclei } = await segment(page);
    expect(nuclei).toBeGreaterThan(5);
    expect(await openImage(page, [other])).toContain('320 × 240');
    expect(await error.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
