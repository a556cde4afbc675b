// Models are resolved once, before the shards run; the shards' config never downloads.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAccessError } from '../../errors.js';
import { parseAnalysisConfig } from '../../pipeline/config.js';
import { resolveConfigModels } from '../resolve-models.js';
import { analyzeShard } from '../run-shard.js';

const dir = mkdtempSync(join(tmpdir(), 'cellscope-resolve-models-'));
const saved = process.env.CELLSCOPE_MODELS;
afterAll(() => {
  if (saved === undefined) delete process.env.CELLSCOPE_MODELS;
  else process.env.CELLSCOPE_MODELS = saved;
  rmSync(dir, { recursive: true, force: true });
});

const channels = { nuclei: 0, cytoplasm: 1 };

describe('resolveConfigModels', () => {
  it('keeps packaged models, points the shards at the cache and forbids downloads', async () => {
    const cache = join(dir, 'cache');
    mkdirSync(cache);
    writeFileSync(join(cache, 'cyto3'), 'weights');
    writeFileSync(join(cache, 'size_cyto3.npy'), 'size model');
    process.env.CELLSCOPE_MODELS = cache;
    const custom = join(dir, 'my-nuclei.pth');
    writeFileSync(custom, 'weights');
    const config = parseAnalysisConfig({
      channels,
      nuclei: { method: 'cellpose', model: relative(process.cwd(), custom) },
      cells: { method: 'cellpose', model: 'cyto3' },
      downloadModels: true,
    });
    const resolved = await resolveConfigModels(config);
    expect(resolved.cacheDir).toBe(cache);
    expect(resolved.config.downloadModels).toBe(false);
    expect(resolved.config.nuclei.method === 'cellpose' && resolved.config.nuclei.model).toBe(
      custom,
    );
    expect(resolved.config.cells.method === 'cellpose' && resolved.config.cells.model).toBe(
      'cyto3',
    );
    expect(resolved.lines).toEqual([
      `model ${relative(process.cwd(), custom)}: ${custom}`,
      `model cyto3: ${join(cache, 'cyto3')} (the nodes must see this folder)`,
    ]);
    // The input config is left as it was.
    expect(config.downloadModels).toBe(true);

    const packaged = await resolveConfigModels(parseAnalysisConfig({ channels }));
    expect(packaged.cacheDir).toBeUndefined();
    expect(packaged.lines).toEqual([
      'model cellscope-nuclei: ships with cellscope',
      'model cellscope-cells: ships with cellscope',
    ]);
  });

  it('fails before any shard runs when an official model is not downloaded', async () => {
    process.env.CELLSCOPE_MODELS = join(dir, 'empty-cache');
    const config = parseAnalysisConfig({
      channels,
      cells: { method: 'cellpose', model: 'nuclei' },
    });
    const error = await resolveConfigModels(config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileAccessError);
    expect((error as FileAccessError).hint).toMatch(/cellscope models download nuclei/);
  });

  it('makes a shard fail before any image, even where the config allows downloads', async () => {
    process.env.CELLSCOPE_MODELS = join(dir, 'empty-cache');
    const config = parseAnalysisConfig({
      channels,
      cells: { method: 'cellpose', model: 'cyto3' },
      downloadModels: true,
    });
    const out = join(dir, 'shard-out');
    const images = [{ name: 'a', files: [join(dir, 'a.tif')] }];
    const error = await analyzeShard(images, config, {
      outDir: out,
      shard: { index: 0, count: 1 },
    }).catch((e: unknown) => e);
    expect((error as FileAccessError).message).toMatch(/model "cyto3" is not downloaded/);
    expect(existsSync(out)).toBe(false);
  });
});
