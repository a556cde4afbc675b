// `cellscope view` end to end: the real CLI serves the built app, Chromium opens the URL it
// prints (with the token), and a page without the token, or under a rebound host name, gets
// nothing from /api.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTiff } from '../../src/io/tiff/write.js';
import { syntheticCells } from '../../src/synth/cells.js';
import { buildApp, HAS_CHROMIUM, launchChromium } from './browser.js';

const MAIN = resolve(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

describe.skipIf(!HAS_CHROMIUM)('cellscope view in Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'cellscope-view-e2e-'));
  const image = join(work, 'served.tif');
  let appDir: string;
  let child: ChildProcess;
  let printed: URL;
  let browser: Browser;

  beforeAll(async () => {
    writeFileSync(image, encodeTiff(syntheticCells({ width: 192, height: 160, seed: 4 }).stack));
    appDir = await buildApp();
    child = spawn(process.execPath, [
      '--import',
      'tsx',
      MAIN,
      'view',
      '--no-open',
      '--port',
      '0',
      '--app-dir',
      appDir,
      image,
    ]);
    let stdout = '';
    printed = await new Promise<URL>((done, fail) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /serving (http:\/\/\S+) \(Ctrl\+C to stop\)/.exec(stdout);
        if (match) done(new URL(match[1]));
      });
      child.on('exit', (code) => fail(new Error(`cellscope view exited with ${code}`)));
    });
    // attacker.example resolves to this machine, as a DNS-rebinding attacker arranges it.
    browser = await launchChromium(['--host-resolver-rules=MAP attacker.example 127.0.0.1']);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    child?.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
    if (appDir) rmSync(appDir, { recursive: true, force: true });
  });

  const imageInfo = '[data-testid=image-info]';

  it('opens the given image from the printed URL, and again after a reload without the token', async () => {
    expect(printed.searchParams.get('token')).toMatch(/^[\w-]{43}$/);
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(printed.href);
    await expect
      .poll(() => page.textContent(imageInfo), { timeout: 30_000 })
      .toContain('192 × 160');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // The cookie carries the token now: the bare URL works in this browser.
    await page.goto(new URL('/', printed).href);
    await expect
      .poll(() => page.textContent(imageInfo), { timeout: 30_000 })
      .toContain('192 × 160');
    expect(await page.locator('[data-testid=error]').isVisible()).toBe(false);
    // ... and so does the other loopback name, opened from the printed URL with it.
    const localhost = new URL(printed.href);
    localhost.hostname = 'localhost';
    const second = await context.newPage();
    await second.goto(localhost.href);
    await expect
      .poll(() => second.textContent(imageInfo), { timeout: 30_000 })
      .toContain('192 × 160');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows why, and no image, when the page is opened without the token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('/', printed).href);
    const error = page.locator('[data-testid=error]');
    await expect.poll(() => error.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await error.textContent()).toContain(
      'cellscope view refused the page: this request has no token (open the URL that "cellscope view" printed',
    );
    expect(await page.textContent(imageInfo)).not.toContain('192 × 160');
    await context.close();
  }, 120_000);

  it('refuses a page under a rebound host name, even one that knows the token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const rebound = new URL(printed.href);
    rebound.hostname = 'attacker.example';
    const answer = await page.goto(rebound.href);
    expect(answer?.status()).toBe(403);
    // The attacker's page asks the API from its own origin: refused, nothing read.
    const api = await page.evaluate(async () => {
      const response = await fetch('/api/files/0');
      return { status: response.status, size: (await response.arrayBuffer()).byteLength };
    });
    expect(api.status).toBe(403);
    expect(api.size).toBeLessThan(400);
    await context.close();
  }, 120_000);
});
