import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CellscopeError, InvalidArgumentError } from '../../errors.js';
import { runSlurm } from '../../cli/slurm.js';
import { CELLSCOPE_VERSION } from '../manifest.js';
import { parseShard, shardImages } from '../shard.js';
import { arraySpec, shellQuote, slurmScripts, type SlurmScriptOptions } from '../slurm-script.js';
import { writeBatchFixture } from './batch-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'cellscope-slurm-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base: SlurmScriptOptions = {
  cellscope: 'cellscope',
  inputs: ['/data/plate 1'],
  outDir: '/scratch/out',
  config: '/scratch/out/slurm/config.json',
  conditions: '/scratch/out/slurm/conditions.csv',
  shards: 4,
  tasks: [0, 1, 2, 3],
  images: 8,
  time: '2:00:00',
  mem: '8G',
  cpus: 2,
  partition: 'short',
  logDir: '/scratch/out/slurm/logs',
  written: '2026-12-06T18:00:00Z',
};

describe('slurmScripts', () => {
  it('writes an array job of N shards and a merge job after any of its tasks', () => {
    const { analyze, merge, submit } = slurmScripts(base);
    expect(analyze.split('\n').filter((l) => l.startsWith('#SBATCH'))).toEqual([
      '#SBATCH --job-name=cellscope',
      '#SBATCH --array=0-3',
      '#SBATCH --output=/scratch/out/slurm/logs/analyze-%A_%a.out',
      '#SBATCH --cpus-per-task=2',
      '#SBATCH --time=2:00:00',
      '#SBATCH --mem=8G',
      '#SBATCH --partition=short',
    ]);
    expect(analyze).toContain(`  '/data/plate 1' \\\n  --out /scratch/out \\\n`);
    expect(analyze).toContain('--shard "${SLURM_ARRAY_TASK_ID}/4"');
    expect(analyze).toContain('--workers "${SLURM_CPUS_PER_TASK:-1}"');
    expect(analyze).not.toContain('--resume \\');
    expect(merge).toContain('"${CELLSCOPE[@]}" merge /scratch/out');
    expect(merge).toMatch(/^#SBATCH --output=\/scratch\/out\/slurm\/logs\/merge-%j\.out$/m);
    expect(submit).toContain('sbatch --parsable --dependency=afterany:"$array" merge.sbatch');
    expect(slurmScripts({ ...base, tasks: [1, 2], resume: true }).analyze).toMatch(
      /^#SBATCH --array=1-2$[\s\S]*--resume \\$/m,
    );
  });

  it('refuses values that would break the script', () => {
    const cases: [Partial<SlurmScriptOptions>, RegExp][] = [
      [{ time: '1:00:00\n#SBATCH --x' }, /--time .* holds characters sbatch would misread/],
      [{ mem: '8 G' }, /--mem "8 G"/],
      [{ shards: 0 }, /number of shards must be a whole number ≥ 1, got 0/],
      [{ tasks: [4] }, /shard index 4 is out of range for 4 shards/],
      [{ tasks: [] }, /no shard tasks/],
      [{ cpus: 0 }, /--cpus must be a whole number ≥ 1/],
      [{ logDir: '/my out/logs' }, /holds a space/],
    ];
    for (const [change, message] of cases) {
      expect(() => slurmScripts({ ...base, ...change })).toThrow(message);
    }
    expect(cases).toHaveLength(7);
  });

  it('folds task ids into Slurm ranges and quotes words for bash', () => {
    expect(arraySpec([0, 1, 2, 3])).toBe('0-3');
    expect(arraySpec([6, 0, 2, 3, 4])).toBe('0,2-4,6');
    expect(arraySpec([5])).toBe('5');
    expect(shellQuote('/a/b-c_d.tif')).toBe('/a/b-c_d.tif');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(shellQuote('$HOME')).toBe(`'$HOME'`);
  });
});

describe('shards', () => {
  it('parses i/N and refuses what is not a shard', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    const bad: [string, RegExp][] = [
      ['4/4', /shard index 4 is out of range for 4 shards/],
      ['0/0', /number of shards must be a whole number ≥ 1, got 0/],
      ['-1/4', /--shard expects i\/N/],
      ['1', /--shard expects i\/N/],
      ['a/b', /--shard expects i\/N/],
    ];
    for (const [text, message] of bad) expect(() => parseShard(text), text).toThrow(message);
    expect(bad).toHaveLength(5);
  });

  it('deals images round-robin, so the shards cover the batch once', () => {
    const images = Array.from({ length: 10 }, (_, k) => k);
    const shards = [0, 1, 2].map((index) => shardImages(images, { index, count: 3 }));
    expect(shards).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ]);
    expect(shardImages([1, 2], { index: 4, count: 5 })).toEqual([]);
  });

  it('records the version package.json gives', () => {
    const pkg = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(CELLSCOPE_VERSION).toBe(pkg.version);
  });
});

describe('cellscope slurm', () => {
  it('writes the scripts and a config snapshot, and refuses bad batches', async () => {
    const fixture = await writeBatchFixture(dir);
    const out = join(dir, 'out');
    const lines: string[] = [];
    const options = { out, shards: 4, config: fixture.config, conditions: fixture.conditions };
    expect(await runSlurm([fixture.inputs], options, (l) => lines.push(l))).toBe(0);
    const script = readFileSync(join(out, 'slurm', 'analyze.sbatch'), 'utf8');
    expect(script).toMatch(/^#SBATCH --array=0-3$/m);
    expect(script).toContain(`--conditions ${join(out, 'slurm', 'conditions.csv')}`);
    const snapshot = JSON.parse(readFileSync(join(out, 'slurm', 'config.json'), 'utf8')) as {
      downloadModels: boolean;
    };
    expect(snapshot.downloadModels).toBe(false);
    expect(lines.at(-1)).toBe(`submit them with: bash ${join(out, 'slurm', 'submit.sh')}`);

    const bad: [string[], Partial<typeof options>, RegExp][] = [
      [[join(dir, 'nowhere')], {}, /nowhere: no such file or folder/],
      [[join(dir, 'out', 'slurm', 'logs')], {}, /no images found in/],
      [[fixture.inputs], { shards: 0 }, /--shards must be a whole number ≥ 1, got 0/],
      [[fixture.inputs], { shards: 9 }, /--shards 9 is more than the 8 images/],
    ];
    for (const [inputs, change, message] of bad) {
      const error = await runSlurm(
        inputs,
        { ...options, out: join(dir, 'other'), ...change },
        () => undefined,
      ).catch((e: unknown) => e);
      expect((error as CellscopeError).describe()).toMatch(message);
    }
    expect(bad).toHaveLength(4);
  });

  it('refuses to start over where shards of an earlier run are', async () => {
    const out = join(dir, 'earlier');
    const fixture = await writeBatchFixture(join(dir, 'earlier-data'));
    const { analyzeShard } = await import('../run-shard.js');
    const { collectImages } = await import('../../pipeline/batch.js');
    const { QUICK_CONFIG } = await import('./batch-fixture.js');
    const images = await collectImages([fixture.inputs]);
    await analyzeShard(images, QUICK_CONFIG, { outDir: out, shard: { index: 0, count: 2 } });
    const error = await runSlurm(
      [fixture.inputs],
      { out, shards: 2, config: fixture.config },
      () => undefined,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).hint).toMatch(/add --resume/);
  });
});
