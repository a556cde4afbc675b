import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { writeTiffFile } from '../src/io/tiff/write-file.js';
import { buildCli } from './build-cli.js';
import { fluorescenceStack } from './tiff-fixtures.js';

// Cold start of the built CLI, whole process each: `--help` (target ≤ 0.25 s) and `info` on a
// 3-channel 1011 × 1557 uint16 TIFF (target ≤ 0.35 s), against `node -e 1`, the floor.
// The CLI is built fresh with tsup (code splitting on) under node_modules/.cache, so the
// numbers are never a stale dist/'s. `npm run bench -- cli-startup`

const { dir: out, cli } = buildCli('cellscope-bench-cli');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-startup-bench-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});
const image = join(dir, 'image.tif');
await writeTiffFile(image, fluorescenceStack(), { compression: 'deflate', predictor: true });

function run(...args: string[]): void {
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr}`);
}

describe('cold start, whole process', () => {
  bench('node -e 1 (the floor)', () => run('-e', '1'), { iterations: 10 });
  bench('cellscope --help', () => run(cli, '--help'), { iterations: 10 });
  bench('cellscope info (1011 × 1557 × 3 uint16, deflate)', () => run(cli, 'info', image), {
    iterations: 10,
  });
});
