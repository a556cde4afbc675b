import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import { modelCacheDir } from '../cache.js';
import { listModels } from '../list-models.js';
import { BUILT_IN_MODEL_NAMES, getBuiltInModel } from '../registry.js';

describe('built-in model registry', () => {
  it('names files and URLs as cellpose v3.1.1.3 models.py does', () => {
    expect(BUILT_IN_MODEL_NAMES).toEqual(['cyto3', 'nuclei', 'cyto2', 'cyto']);
    expect(getBuiltInModel('cyto3')).toMatchObject({
      weightsFile: 'cyto3',
      sizeModelFile: 'size_cyto3.npy',
      weightsUrl: 'https://www.cellpose.org/models/cyto3',
      sizeModelUrl: 'https://www.cellpose.org/models/size_cyto3.npy',
      diamMean: 30,
    });
    expect(getBuiltInModel('nuclei')).toMatchObject({
      weightsFile: 'nucleitorch_0',
      sizeModelFile: 'size_nucleitorch_0.npy',
      diamMean: 17,
    });
    expect(getBuiltInModel('cyto2').weightsFile).toBe('cyto2torch_0');
    expect(getBuiltInModel('cyto').sizeModelFile).toBe('size_cytotorch_0.npy');
  });

  it('lists the valid names for an unknown one', () => {
    expect(() => getBuiltInModel('toString')).toThrow(InvalidArgumentError);
    expect(() => getBuiltInModel('cyto4')).toThrow('cyto3, nuclei, cyto2, cyto');
  });
});

describe('modelCacheDir', () => {
  it('prefers CELLSCOPE_MODELS, then an absolute XDG_CACHE_HOME, then ~/.cache', () => {
    expect(modelCacheDir({ CELLSCOPE_MODELS: '/m', XDG_CACHE_HOME: '/x' })).toBe('/m');
    expect(modelCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(join('/x', 'cellscope', 'models'));
    const home = join(homedir(), '.cache', 'cellscope', 'models');
    expect(modelCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(home);
    expect(modelCacheDir({ CELLSCOPE_MODELS: '' })).toBe(home);
    expect(modelCacheDir({})).toBe(home);
  });
});

describe('listModels', () => {
  it('reports which built-ins are cached and their size on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cellscope-list-'));
    try {
      writeFileSync(join(dir, 'cyto3'), new Uint8Array(1000));
      writeFileSync(join(dir, 'size_cyto3.npy'), new Uint8Array(24));
      writeFileSync(join(dir, 'nucleitorch_0'), new Uint8Array(500));
      const listed = await listModels(dir);
      expect(listed.map((m) => [m.name, m.cached, m.bytes])).toEqual([
        ['cyto3', true, 1024],
        ['nuclei', false, 500],
        ['cyto2', false, 0],
        ['cyto', false, 0],
      ]);
      expect(listed[0].weightsPath).toBe(join(dir, 'cyto3'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
