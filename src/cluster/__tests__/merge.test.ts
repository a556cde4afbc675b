// Issue 19: a batch run as 4 shards one after another, then merged, equals one analyze run.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileAccessError, InvalidArgumentError } from '../../errors.js';
import { readTableFile } from '../../io/table/file.js';
import {
  analyzeBatch,
  collectImages,
  readConditions,
  type BatchImage,
} from '../../pipeline/batch.js';
import { parseAnalysisConfig } from '../../pipeline/config.js';
import { main } from '../../cli/program.js';
import { readManifests } from '../manifest.js';
import { mergeShards } from '../merge.js';
import { analyzeShard } from '../run-shard.js';
import { CORRUPT, QUICK_CONFIG, writeBatchFixture } from './batch-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'cellscope-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fixture: Awaited<ReturnType<typeof writeBatchFixture>>;
let images: BatchImage[];
let conditions: Map<string, string>;
const single = join(dir, 'single');
const sharded = join(dir, 'sharded');

beforeAll(async () => {
  fixture = await writeBatchFixture(dir);
  images = await collectImages([fixture.inputs]);
  conditions = await readConditions(fixture.conditions);
  await analyzeBatch(images, QUICK_CONFIG, { outDir: single, conditions });
}, 120_000);

const read = (root: string, file: string): string => readFileSync(join(root, file), 'utf8');

describe('merge of 4 shards run one after another', () => {
  it('writes the tables, statistics and failures.csv of one analyze run, row for row', async () => {
    for (let index = 0; index < 4; index++) {
      const result = await analyzeShard(images, QUICK_CONFIG, {
        outDir: sharded,
        conditions,
        shard: { index, count: 4 },
      });
      // Round-robin: image k goes to shard k mod 4.
      expect(result.images.map((i) => i.name)).toEqual([`img${index}`, `img${index + 4}`]);
      // A shard writes no batch-level output: only merge does.
      expect(existsSync(join(sharded, 'cells_matched.csv'))).toBe(false);
    }
    const manifests = await readManifests(sharded);
    expect(manifests.map((m) => m.manifest.images.map((i) => `${i.name}:${i.status}`))).toEqual([
      ['img0:done', 'img4:done'],
      ['img1:done', 'img5:failed'],
      ['img2:done', 'img6:done'],
      ['img3:done', 'img7:done'],
    ]);

    const merged = await mergeShards(sharded);
    expect(merged.shards).toBe(4);
    expect(merged.done.map((d) => d.image)).toEqual(
      images.map((i) => i.name).filter((n) => n !== CORRUPT),
    );
    for (const file of ['cells_matched.csv', 'failures.csv', 'summary.json']) {
      expect(read(sharded, file), file).toBe(read(single, file));
    }
    expect(read(sharded, 'failures.csv')).toMatch(/^image,files,reason\r?\nimg5,.*img5\.tif/);
    // Parquet: the same table read back, column for column.
    const [a, b] = await Promise.all(
      [single, sharded].map((root) => readTableFile(join(root, 'cells_matched.parquet'))),
    );
    expect(b.rowCount).toBe(a.rowCount);
    expect(Object.keys(b.columns)).toEqual(Object.keys(a.columns));
    for (const name of Object.keys(a.columns)) {
      expect([...b.columns[name]], name).toEqual([...a.columns[name]]);
    }
    // The statistics are the merged cells', not averages of shards: every cell counted once.
    const summary = JSON.parse(read(sharded, 'summary.json')) as {
      comparisons: { measure: string; groups: { condition: string; n: number }[] }[];
    };
    const area = summary.comparisons.find((c) => c.measure === 'cell_area');
    const cells = merged.done.reduce((n, d) => n + d.cells, 0);
    expect(area?.groups.map((g) => g.condition)).toEqual(['control', 'treated']);
    expect(area!.groups[0].n + area!.groups[1].n).toBe(cells);
    expect(a.rowCount).toBe(cells);
    // Each image's own folder is byte for byte the one analyze wrote.
    for (const name of ['img0', 'img6']) {
      for (const file of readdirSync(join(single, name))) {
        expect(read(join(sharded, name), file), `${name}/${file}`).toBe(
          read(join(single, name), file),
        );
      }
    }
  });

  it('resumes a shard: complete images are kept and marked resumed', async () => {
    rmSync(join(sharded, 'img6', 'summary.json'));
    const result = await analyzeShard(images, QUICK_CONFIG, {
      outDir: sharded,
      conditions,
      resume: true,
      shard: { index: 2, count: 4 },
    });
    expect(result.skipped).toEqual(['img2']);
    expect(result.done.map((d) => d.image)).toEqual(['img6']);
    expect(result.manifest.images.map((i) => i.status === 'done' && i.resumed)).toEqual([
      true,
      false,
    ]);
    await mergeShards(sharded);
    expect(read(sharded, 'cells_matched.csv')).toBe(read(single, 'cells_matched.csv'));
  });
});

describe('cellscope analyze --shard and cellscope merge', () => {
  it('exit 0 for a shard without failures, 7 for one with, and 7 for the merged batch', async () => {
    const out = join(dir, 'cli');
    const common = ['--out', out, '--config', fixture.config, '--conditions', fixture.conditions];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      // Shard 0 of 2 holds img0, 2, 4, 6; shard 1 holds img5, the corrupt one.
      expect(await main(['analyze', fixture.inputs, ...common, '--shard', '0/2'])).toBe(0);
      expect(await main(['analyze', fixture.inputs, ...common, '--shard', '1/2'])).toBe(7);
      expect(await main(['merge', out])).toBe(7);
      expect(await main(['analyze', fixture.inputs, ...common, '--shard', '2/2'])).toBe(2);
    } finally {
      vi.restoreAllMocks();
      process.exitCode = undefined;
    }
    expect(read(out, 'cells_matched.csv')).toBe(read(single, 'cells_matched.csv'));
  });
});

describe('merge refuses what it cannot combine exactly', () => {
  it('says which images are missing when a shard did not finish', async () => {
    const out = join(dir, 'missing');
    for (const index of [0, 1, 3]) {
      await analyzeShard(images, QUICK_CONFIG, {
        outDir: out,
        conditions,
        shard: { index, count: 4 },
      });
    }
    const error = await mergeShards(out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileAccessError);
    expect((error as Error).message).toBe(
      'cannot merge: 2 of 8 images are missing (img2, img6): shard 2/4 did not finish (no manifest)',
    );
    expect((error as FileAccessError).hint).toMatch(/--shard i\/4 --resume/);
    expect(existsSync(join(out, 'cells_matched.csv'))).toBe(false);
  });

  it('refuses shards run with different configs', async () => {
    const out = join(dir, 'configs');
    const other = parseAnalysisConfig({ ...QUICK_CONFIG, pixelSizeUm: 0.5 });
    await analyzeShard(images, QUICK_CONFIG, {
      outDir: out,
      conditions,
      shard: { index: 0, count: 2 },
    });
    await analyzeShard(images, other, { outDir: out, conditions, shard: { index: 1, count: 2 } });
    await expect(mergeShards(out)).rejects.toThrow(
      /shard-0-of-2\.json and .*shard-1-of-2\.json ran different configs/,
    );
    // Resuming next to them would mix the two configs' results: refused too.
    await expect(
      analyzeShard(images, other, {
        outDir: out,
        conditions,
        resume: true,
        shard: { index: 0, count: 2 },
      }),
    ).rejects.toThrow(/cannot resume: this shard and .*shard-0-of-2\.json ran different configs/);
  });

  it('refuses manifests of different shard counts, versions or batches', async () => {
    const out = join(dir, 'counts');
    await analyzeShard(images, QUICK_CONFIG, {
      outDir: out,
      conditions,
      shard: { index: 0, count: 4 },
    });
    const path = join(out, 'shards', 'shard-0-of-4.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'shard-1-of-3.json',
        { shard: { index: 1, count: 3 } },
        /split the batch into 3 and 4 shards/,
      ],
      [
        'shard-1-of-4.json',
        { shard: { index: 1, count: 4 }, versions: { cellscope: '0.0.9', node: process.version } },
        /ran different versions \(cellscope 0\.1\.0 on Node v[\d.]+, cellscope 0\.0\.9/,
      ],
      [
        'shard-1-of-4.json',
        { shard: { index: 1, count: 4 }, batchHash: 'sha256:0' },
        /saw different images or conditions/,
      ],
    ];
    for (const [name, change, message] of cases) {
      const file = join(out, 'shards', name);
      writeFileSync(file, JSON.stringify({ ...manifest, ...change }));
      await expect(mergeShards(out), name).rejects.toThrow(message);
      rmSync(file);
    }
    expect(cases).toHaveLength(3);
  });

  it('finds nothing to merge in a folder without shards', async () => {
    await expect(mergeShards(single)).rejects.toThrow(
      /no shard manifests \(shard-<i>-of-<N>\.json\) to merge/,
    );
    await expect(
      analyzeShard([], QUICK_CONFIG, { outDir: join(dir, 'empty'), shard: { index: 0, count: 1 } }),
    ).rejects.toThrow(InvalidArgumentError);
  });
});
