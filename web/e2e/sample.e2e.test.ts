// The empty page: it says what to do, and "Try a sample image" opens the ExampleHuman field that
// ships with the app, its channel roles guessed from the channel names.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, openPage, startApp, type AppSession } from './browser.js';

describe.skipIf(!HAS_CHROMIUM)('the empty page and the sample image', () => {
  let session: AppSession;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    session = await startApp();
    ({ page, errors } = await openPage(session));
  }, 240_000);
  afterAll(async () => {
    await session?.close();
  });

  it('explains what to do and offers the sample', async () => {
    const welcome = page.locator('[data-testid=welcome]');
    expect(await welcome.isVisible()).toBe(true);
    const text = (await welcome.textContent()) ?? '';
    expect(text).toMatch(/Open or drop a fluorescence image/);
    expect(text).toMatch(/press Segment/);
    expect(await page.textContent('[data-testid=try-sample]')).toBe('Try a sample image');
  });

  it('opens the packaged ExampleHuman field with three named channels and their roles', async () => {
    await page.click('[data-testid=try-sample]');
    await page.waitForFunction(
      () => /channel/.test(document.querySelector('[data-testid=image-info]')?.textContent ?? ''),
      null,
      { timeout: 60_000 },
    );
    expect(await page.textContent('[data-testid=image-info]')).toMatch(/512 × 512.*3 channels/s);
    const names = await page.locator('[data-testid^=channel-] .channel-name').allTextContents();
    expect(names).toEqual(['DNA', 'PH3', 'phalloidin']);
    // Roles from the names: nuclei DNA (0), cytoplasm phalloidin (2).
    expect(await page.inputValue('[data-testid=nuclei-channel]')).toBe('0');
    expect(await page.inputValue('[data-testid=cytoplasm-channel]')).toBe('2');
    expect(await page.textContent('[data-testid=channel-roles]')).toBe(
      'nuclei DNA, cytoplasm phalloidin: guessed from the channel names.',
    );
    expect(await page.locator('[data-testid=welcome]').isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });
});
