// The seven bugs of issue 16 in Chromium, on a generated 3-channel field with long channel
// names: label files join the image as a layer the user confirms, tables and selections do not
// outlive what they describe, the readout fits at 1440 px, diameters are shown and saved,
// progress only grows, and RGB PNGs keep their colours.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeLabelsTiff, encodeTiff } from '../../src/io/tiff/write.js';
import { syntheticCells } from '../../src/synth/cells.js';
import {
  counts,
  HAS_CHROMIUM,
  imageToPage,
  openImage,
  openPage,
  pixelAt,
  saveFile,
  segment,
  startApp,
  type AppSession,
} from './browser.js';

// Channel names as microscope software writes them into OME-TIFF.
const CHANNEL_NAMES = [
  'Hoechst 33342 nuclear stain (405 nm excitation)',
  'Phalloidin-Alexa Fluor 488 actin cytoskeleton',
  'MitoTracker Deep Red FM mitochondria (640 nm)',
];

/** The page works in workers: give them time on a loaded machine. */
const POLL = { timeout: 30_000 };

const distinct = (data: ArrayLike<number>) => new Set(Array.from(data).filter((v) => v)).size;

/** Drops files onto the page as a user would, through a DataTransfer. */
async function dropFiles(page: Page, paths: readonly string[]): Promise<void> {
  const files = paths.map((p) => ({
    name: basename(p),
    base64: readFileSync(p).toString('base64'),
  }));
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const { name, base64 } of list) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], name));
    }
    const target = document.querySelector('[data-testid=viewer-area]')!;
    for (const type of ['dragenter', 'dragover', 'drop'])
      target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true }));
  }, files);
}

describe.skipIf(!HAS_CHROMIUM)('opening, re-running and reading out (issue 16 bugs)', () => {
  let session: AppSession;
  let page: Page;
  let errors: string[];
  const work = mkdtempSync(join(tmpdir(), 'cellscope-e2e-'));
  const path = (name: string) => join(work, name);
  const field = syntheticCells({ width: 256, height: 256, cells: 12, seed: 3 });
  const truth = {
    cells: distinct(field.cellLabels.data),
    nuclei: distinct(field.nucleusLabels.data),
  };

  beforeAll(async () => {
    writeFileSync(path('field.tif'), encodeTiff({ ...field.stack, channelNames: CHANNEL_NAMES }));
    writeFileSync(path('field_cells.tif'), encodeLabelsTiff(field.cellLabels));
    writeFileSync(path('field_nuclei.tif'), encodeLabelsTiff(field.nucleusLabels));
    writeFileSync(path('field_cells_matched.csv'), 'cell_label,cell_area\n1,10\n2,20\n3,30\n');
    const other = syntheticCells({ width: 200, height: 160, cells: 6, seed: 4 });
    writeFileSync(path('other.tif'), encodeTiff(other.stack));
    // Thirds of pure red, green and blue.
    const rgb = new Uint8Array(48 * 16 * 3);
    for (let i = 0; i < 48 * 16; i++) rgb[i * 3 + Math.floor((i % 48) / 16)] = 255;
    writeFileSync(path('thirds.png'), encodePng({ width: 48, height: 16, data: rgb, channels: 3 }));
    session = await startApp();
    ({ page, errors } = await openPage(session));
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('bug 7: shows an RGB PNG in red, green and blue', async () => {
    expect(await openImage(page, [path('thirds.png')])).toContain('48 × 16 · uint8');
    const colours = await page
      .locator('.channel input[type=color]')
      .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(colours).toEqual(['#ff0000', '#00ff00', '#0000ff']);
    const canvasAt = async (x: number, y: number) => {
      const at = await imageToPage(page, x, y);
      return page.evaluate(({ x, y }) => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=viewer]')!;
        const box = canvas.getBoundingClientRect();
        const scale = canvas.width / box.width;
        const context = canvas.getContext('2d')!;
        const rx = Math.round((x - box.left) * scale);
        const ry = Math.round((y - box.top) * scale);
        return [...context.getImageData(rx, ry, 1, 1).data.slice(0, 3)];
      }, at);
    };
    await expect.poll(() => canvasAt(8, 8), POLL).toEqual([255, 0, 0]);
    expect(await canvasAt(24, 8)).toEqual([0, 255, 0]);
    expect(await canvasAt(40, 8)).toEqual([0, 0, 255]);
  });

  it("bug 5: the readout shows every channel's value at 1440 px, with long channel names", async () => {
    expect(await openImage(page, [path('field.tif')])).toContain('256 × 256 · uint16');
    const at = await imageToPage(page, 128.5, 128.5);
    await page.mouse.move(at.x, at.y);
    const pixel = (await pixelAt(page, 128.5, 128.5))!;
    await expect
      .poll(() => page.textContent('[data-testid=readout]'), POLL)
      .toContain('x 128, y 128');
    const bar = (await page.locator('.statusbar').boundingBox())!;
    const readout = page.locator('[data-testid=readout]');
    const readoutBox = (await readout.boundingBox())!;
    expect(readoutBox.x + readoutBox.width).toBeLessThanOrEqual(bar.x + bar.width);
    expect(await readout.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    for (let c = 0; c < 3; c++) {
      const value = page.locator(`[data-testid=readout-value-${c}]`);
      expect(await value.textContent()).toBe(String(pixel.values[c]));
      const box = (await value.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(bar.x + bar.width);
    }
  });

  it('bug 1: a dropped label TIFF (with its table) joins the image as the layer confirmed', async () => {
    const info = await page.textContent('[data-testid=image-info]');
    expect(info).toContain('256 × 256 · uint16');
    await dropFiles(page, [path('field_cells.tif'), path('field_cells_matched.csv')]);
    const dialog = page.locator('[data-testid=layer-dialog]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('field_cells.tif');
    // The name says cells: that answer is the suggested one.
    expect(await page.getAttribute('[data-testid=layer-choice-cells]', 'class')).toContain(
      'primary',
    );
    await page.click('[data-testid=layer-choice-cells]');
    await expect.poll(async () => (await counts(page)).cells, POLL).toBe(truth.cells);
    expect(await page.textContent('[data-testid=image-info]')).toBe(info);
    await expect
      .poll(() => page.textContent('[data-testid=object-count]'), POLL)
      .toBe('3 of 3 objects'); // the table dropped with the labels
    await page.click('[data-testid=table-cells]');
  });

  it('bug 2: Open labels… asks for the layer (suggesting the one the name says)', async () => {
    await page.setInputFiles('[data-testid=open-labels-input]', path('field_nuclei.tif'));
    await page.locator('[data-testid=layer-dialog]').waitFor();
    expect(await page.getAttribute('[data-testid=layer-choice-nuclei]', 'class')).toContain(
      'primary',
    );
    await page.click('[data-testid=layer-choice-nuclei]');
    await expect.poll(async () => (await counts(page)).nuclei, POLL).toBe(truth.nuclei);
    expect((await counts(page)).cells).toBe(truth.cells); // the cells layer is untouched
  });

  it('bug 6: shows the estimated diameter and saves it in the config', async () => {
    await page.selectOption('[data-testid=nuclei-method]', 'classical');
    await page.selectOption('[data-testid=cells-method]', 'from-nuclei');
    await segment(page);
    const estimated = Number(
      await page.getAttribute('[data-testid=nuclei-diameter]', 'data-estimated'),
    );
    expect(estimated).toBeGreaterThan(5);
    expect(await page.getAttribute('[data-testid=nuclei-diameter]', 'placeholder')).toBe(
      `auto: ${estimated.toFixed(1)} px`,
    );
    expect(await page.inputValue('[data-testid=nuclei-diameter]')).toBe(''); // still auto
    const config = JSON.parse((await saveFile(page, 'config.json')).bytes.toString('utf8'));
    expect(config.nuclei).toMatchObject({ method: 'classical', diameter: estimated });
  });

  it('bug 4: a new segmentation clears the selection (its label numbers name other cells)', async () => {
    const row = page.locator('[data-testid=objects-table] .row').nth(0);
    const label = await row.getAttribute('data-label');
    await row.click();
    await expect
      .poll(() => page.getAttribute('[data-testid=viewer-area]', 'data-highlighted'), POLL)
      .toBe(label);
    const estimated = Number(
      await page.getAttribute('[data-testid=nuclei-diameter]', 'data-estimated'),
    );
    await page.fill('[data-testid=nuclei-diameter]', (estimated * 1.4).toFixed(1));
    await segment(page);
    expect(await page.getAttribute('[data-testid=viewer-area]', 'data-highlighted')).toBe('');
    expect(await page.locator('[data-testid=objects-table] .row.selected').count()).toBe(0);
  });

  it('bug 6: the progress bar never goes back across the nuclei and cells passes', async () => {
    // Cellpose nuclei report their tiles (one at this scale: 256 px × 17/24); then the cells pass
    // starts again at 0.
    await page.selectOption('[data-testid=nuclei-method]', 'cellpose');
    await page.selectOption('[data-testid=nuclei-model]', 'cellscope-nuclei');
    await page.fill('[data-testid=nuclei-diameter]', '24');
    await page.evaluate(() => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid=progress]')!;
      const seen: number[] = [];
      new MutationObserver(() => seen.push(bar.value / bar.max)).observe(bar, {
        attributes: true,
      });
      Object.assign(window, { progressSeen: seen });
    });
    // Cellpose in a page on a loaded 2-core machine may take longer than segment()'s 2 minutes.
    await segment(page, 400_000);
    // The last line names what ran the network: headless Chromium has no WebGPU adapter, so
    // cellscope's WebAssembly kernels, with relaxed SIMD as Chrome has it since version 114.
    expect(await page.textContent('[data-testid=progress-text]')).toMatch(
      /cells in [\d.]+ s on WebAssembly SIMD \(relaxed\), \d+ threads?$/,
    );
    const seen = await page.evaluate(
      () => (window as unknown as { progressSeen: number[] }).progressSeen,
    );
    // From the first report of the run on ('starting' resets the bar to 0 first).
    const run = seen.slice(seen.indexOf(0));
    expect(run.filter((f) => f > 0 && f < 1).length).toBeGreaterThan(0);
    for (let i = 1; i < run.length; i++) expect(run[i]).toBeGreaterThanOrEqual(run[i - 1]);
    expect(run[run.length - 1]).toBe(1);
  }, 420_000);

  it('bug 3: a table opened for one image is gone when the next image opens', async () => {
    await page.click('[data-testid=table-opened]');
    await expect
      .poll(() => page.textContent('[data-testid=object-count]'), POLL)
      .toBe('3 of 3 objects');
    expect(await openImage(page, [path('other.tif')])).toContain('200 × 160');
    expect(await page.locator('[data-testid=table-opened]').isHidden()).toBe(true);
    expect(await page.getAttribute('[data-testid=table-cells]', 'class')).toContain('active');
    expect(await page.textContent('[data-testid=object-count]')).not.toBe('3 of 3 objects');
    expect(errors).toEqual([]);
  });
});
