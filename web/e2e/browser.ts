/// <reference lib="dom" />
// Shared set-up of the end-to-end tests: the built app, served as `cellscope view` serves it,
// and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import type { ModelsApiOptions } from '../../src/server/models-api.js';
import { startAppServer, type AppServer } from '../../src/server/serve-app.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
}

// The flags ../shared/ARCHITECTURE.md asks for: no sandbox as root, no GPU, no background traffic.
// playwright adds --headless and a fresh --user-data-dir of its own to every launch.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface AppSession {
  server: AppServer;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the app into a new temporary folder, as `npm run build` builds dist/web. */
export async function buildApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'cellscope-web-'));
  await build({
    configFile: new URL('../vite.config.ts', import.meta.url).pathname,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** Debian's Chromium with the flags above and any `extra` ones. */
export function launchChromium(extra: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS, ...extra] });
}

/** Builds the app into a temporary folder, serves it and starts Chromium. */
export async function startApp(
  files: readonly string[] = [],
  models?: ModelsApiOptions,
): Promise<AppSession> {
  const outDir = await buildApp();
  // Never the user's model cache: a temporary one unless the test gives its own.
  const server = await startAppServer({
    appDir: outDir,
    files,
    models: models ?? { cacheDir: join(outDir, 'models'), allowDownload: false },
  });
  const browser = await launchChromium();
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** A fresh 1280×800 page on the app (opened with its token, as the CLI opens it), errors collected. */
export async function openPage(session: AppSession): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.newPage({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(session.server.tokenUrl);
  await page.waitForSelector('[data-testid=open-image]');
  return { page, errors };
}

/** Opens image files through the page's file input and waits for the image to show. */
export async function openImage(page: Page, files: readonly string[]): Promise<string> {
  const before = await page.textContent('[data-testid=image-info]');
  await page.setInputFiles('[data-testid=open-image-input]', [...files]);
  await page.waitForFunction(
    (previous) => {
      const text = document.querySelector('[data-testid=image-info]')?.textContent ?? '';
      return text !== previous && text.includes('channel');
    },
    before,
    { timeout: 60_000 },
  );
  return (await page.textContent('[data-testid=image-info]')) ?? '';
}

/**
 * Clicks Segment and waits for the run to finish (up to `timeoutMs`); returns the nuclei and
 * cell counts.
 */
export async function segment(
  page: Page,
  timeoutMs = 120_000,
): Promise<{ nuclei: number; cells: number }> {
  await page.click('[data-testid=segment]');
  await page.waitForFunction(
    () =>
      /cells in|failed|cancelled/.test(
        document.querySelector('[data-testid=progress-text]')?.textContent ?? '',
      ),
    null,
    // Polled 4× a second, not every frame: a frame-rate check would take CPU from the run.
    { timeout: timeoutMs, polling: 250 },
  );
  const error = await page.locator('[data-testid=error]');
  if (await error.isVisible())
    throw new Error(`segmentation failed in the page: ${await error.textContent()}`);
  return counts(page);
}

export async function counts(page: Page): Promise<{ nuclei: number; cells: number }> {
  const element = page.locator('[data-testid=counts]');
  return {
    nuclei: Number(await element.getAttribute('data-nuclei')),
    cells: Number(await element.getAttribute('data-cells')),
  };
}

/** Saves one of the Save menu's files and returns its bytes. */
export async function saveFile(page: Page, what: string): Promise<{ name: string; bytes: Buffer }> {
  await page.click('[data-testid=save]');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`[data-testid="save-${what}"]`),
  ]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

interface AppHandle {
  viewTransform: { scale: number; offsetX: number; offsetY: number };
  engine: { request(type: 'pixel', args: { x: number; y: number }): Promise<PixelReadout | null> };
}

export interface PixelReadout {
  values: number[];
  nucleus: number;
  cell: number;
}

/** Page coordinates (CSS px) of an image point under the viewer's current pan and zoom. */
export async function imageToPage(
  page: Page,
  x: number,
  y: number,
): Promise<{ x: number; y: number }> {
  const view = await page.evaluate(
    () => (window as unknown as { cellscope: { app: AppHandle } }).cellscope.app.viewTransform,
  );
  const box = (await page.locator('[data-testid=viewer]').boundingBox())!;
  return { x: box.x + x * view.scale + view.offsetX, y: box.y + y * view.scale + view.offsetY };
}

/** What the engine reads at an image point: channel values and the nucleus and cell there. */
export function pixelAt(page: Page, x: number, y: number): Promise<PixelReadout | null> {
  return page.evaluate(
    (point) =>
      (window as unknown as { cellscope: { app: AppHandle } }).cellscope.app.engine.request(
        'pixel',
        point,
      ),
    { x, y },
  );
}

/** Drags the mouse in the viewer from one image point to another. */
export async function dragInImage(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
  steps = 8,
): Promise<void> {
  const [a, b] = [await imageToPage(page, from.x, from.y), await imageToPage(page, to.x, to.y)];
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

/** The viewer canvas's RGB at an image point (under the current pan and zoom). */
export async function canvasPixel(page: Page, x: number, y: number): Promise<number[]> {
  const at = await imageToPage(page, x, y);
  return page.evaluate(({ x, y }) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=viewer]')!;
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / box.width;
    const context = canvas.getContext('2d')!;
    const [rx, ry] = [Math.round((x - box.left) * scale), Math.round((y - box.top) * scale)];
    return [...context.getImageData(rx, ry, 1, 1).data.slice(0, 3)];
  }, at);
}
