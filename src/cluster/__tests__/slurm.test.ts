// Issue 19: the scripts `cellscope slurm` writes, run by a real (one-node) Slurm cluster.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { readTableFile } from '../../io/table/file.js';
import { analyzeBatch, collectImages, readConditions } from '../../pipeline/batch.js';
import { QUICK_CONFIG, writeBatchFixture, type BatchFixture } from './batch-fixture.js';
import { startSlurmCluster, type SlurmCluster } from './slurm-cluster.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-slurm-'));
// This checkout's CLI in one file, as an installed cellscope is (tsx would compile it anew in
// every array task); its packages come from the checkout's node_modules.
const CLI = join(dir, 'bin', 'cli.mjs');
let cluster: SlurmCluster | undefined;
let skipped = '';
let fixture: BatchFixture;
const single = join(dir, 'single');

beforeAll(async () => {
  const started = await startSlurmCluster(mkdtempSync(join(dir, 'cluster-')));
  if ('skipped' in started) {
    skipped = started.skipped;
    console.warn(`Slurm tests skipped: ${skipped}`);
    return;
  }
  cluster = started;
  mkdirSync(join(dir, 'bin'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'bin', 'node_modules'));
  await build({
    entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
    outfile: CLI,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  // img6 is large, so that its shard is still at work when the test cancels it.
  fixture = await writeBatchFixture(dir, { large: ['img6'] });
  const images = await collectImages([fixture.inputs]);
  const conditions = await readConditions(fixture.conditions);
  await analyzeBatch(images, QUICK_CONFIG, { outDir: single, conditions });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function needCluster(context: TestContext): SlurmCluster {
  if (!cluster) context.skip(skipped);
  return cluster!;
}

/** `cellscope slurm … --submit`; returns the array and merge job ids it printed. */
async function submit(
  slurm: SlurmCluster,
  out: string,
  extra: string[] = [],
): Promise<{ array: string; merge: string; stdout: string }> {
  // No --cellscope: the tasks start cellscope as this process was started (node + CLI).
  const args = [
    CLI,
    'slurm',
    fixture.inputs,
    '--out',
    out,
    '--shards',
    '4',
    '--config',
    fixture.config,
    '--conditions',
    fixture.conditions,
    '--submit',
    ...extra,
  ];
  const child = spawn(process.execPath, args, { env: slurm.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  clearTimeout(timer);
  expect(code, `${stdout}${stderr}`).toBe(0);
  const match = /submitted array job (\d+) .* and merge job (\d+)/.exec(stdout);
  expect(match, stdout).not.toBeNull();
  return { array: match![1], merge: match![2], stdout };
}

const read = (root: string, file: string): string => readFileSync(join(root, file), 'utf8');

/** The merged outputs equal the one-machine run's, and every image's cells are there once. */
async function expectSameAsOneMachine(out: string): Promise<void> {
  for (const file of ['cells_matched.csv', 'failures.csv', 'summary.json']) {
    expect(read(out, file), file).toBe(read(single, file));
  }
  const [a, b] = await Promise.all(
    [single, out].map((root) => readTableFile(join(root, 'cells_matched.parquet'))),
  );
  expect(b.rowCount).toBe(a.rowCount);
  for (const name of Object.keys(a.columns)) {
    expect([...b.columns[name]], name).toEqual([...a.columns[name]]);
  }
  const rows = b.columns.image as string[];
  for (const name of fixture.names.filter((n) => n !== 'img5')) {
    const own = await readTableFile(join(out, name, 'cells_matched.csv'));
    expect(rows.filter((r) => r === name).length, name).toBe(own.rowCount);
  }
}

function files(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(folder, e.name)) : [join(folder, e.name)],
  );
}

describe('cellscope slurm on a one-node Slurm cluster', () => {
  it('runs 4 shards as an array job and merges them into the one-machine result', async (context) => {
    const slurm = needCluster(context);
    const out = join(dir, 'out');
    const { array, merge } = await submit(slurm, out);
    const script = read(join(out, 'slurm'), 'analyze.sbatch');
    expect(script).toMatch(/^#SBATCH --array=0-3$/m);
    expect(script).toContain(`CELLSCOPE=(${process.execPath} ${CLI})`);
    const merged = await slurm.waitForJob(merge, 90_000);
    // The corrupt image makes the batch a partial failure (exit 7), as analyze would.
    expect(merged.ExitCode, slurm.logs()).toBe('7:0');
    for (let task = 0; task < 4; task++) {
      expect((await slurm.job(`${array}_${task}`))?.JobState).toMatch(/COMPLETED|FAILED/);
    }
    expect(read(join(out, 'slurm', 'logs'), `merge-${merge}.out`)).toMatch(
      /merged 4 shards: 7 of 8 images analysed \(\d+ cells\), 1 failed/,
    );
    await expectSameAsOneMachine(out);
  }, 150_000);

  it('reruns a cancelled array task with --resume: nothing lost, nothing twice', async (context) => {
    const slurm = needCluster(context);
    const out = join(dir, 'out-cancel');
    const first = await submit(slurm, out);
    // Shard 2 holds img2 (small) then img6 (large): cancel it once img2 is complete.
    const deadline = Date.now() + 90_000;
    while (!existsSync(join(out, 'img2', 'summary.json'))) {
      expect(Date.now() < deadline, `img2 never finished\n${slurm.logs()}`).toBe(true);
      await new Promise((r) => setTimeout(r, 20));
    }
    const cancel = await slurm.run('scancel', [`${first.array}_2`]);
    expect(cancel.code, cancel.stderr).toBe(0);
    const merge = await slurm.waitForJob(first.merge, 90_000);
    expect((await slurm.job(`${first.array}_2`))?.JobState).toBe('CANCELLED');
    expect(existsSync(join(out, 'img6', 'summary.json'))).toBe(false);
    expect(existsSync(join(out, 'shards', 'shard-2-of-4.json'))).toBe(false);
    // The merge job still ran (afterany) and named what is missing.
    expect(merge.ExitCode).not.toBe('0:0');
    expect(read(join(out, 'slurm', 'logs'), `merge-${first.merge}.out`)).toContain(
      'cannot merge: 2 of 8 images are missing (img2, img6): shard 2/4 did not finish (no manifest)',
    );
    expect(existsSync(join(out, 'cells_matched.csv'))).toBe(false);

    const again = await submit(slurm, out, ['--resume']);
    // Shard 1 holds the corrupt image, which --resume retries; 0 and 3 are complete.
    expect(again.stdout).toMatch(/resuming shards 1-2 of 4/);
    expect(read(join(out, 'slurm'), 'analyze.sbatch')).toMatch(/^#SBATCH --array=1-2$/m);
    const merged = await slurm.waitForJob(again.merge, 90_000);
    expect(merged.ExitCode, slurm.logs()).toBe('7:0');
    const manifest = JSON.parse(read(join(out, 'shards'), 'shard-2-of-4.json')) as {
      images: { name: string; status: string; resumed?: boolean }[];
    };
    expect(manifest.images).toEqual([
      { name: 'img2', status: 'done', cells: expect.any(Number), resumed: true },
      { name: 'img6', status: 'done', cells: expect.any(Number), resumed: false },
    ]);
    await expectSameAsOneMachine(out);
    expect(files(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 240_000);
});
