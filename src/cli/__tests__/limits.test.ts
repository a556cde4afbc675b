import { spawn } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zlibSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchZipEntry, pthZip, tensorPickle } from '../../cellpose/weights/__tests__/craft-pth.js';
import { createStack } from '../../image/stack.js';
import { craftTiff, headerForStripAt, zlibZeros } from '../../io/tiff/__tests__/craft.js';
import { writeTiffFile } from '../../io/tiff/write-file.js';
import { ExitCode } from '../exit-codes.js';

// Issue 15 end to end: the CLI in a child process with a small V8 heap, and its peak resident
// memory read at exit. Bombs must stay under 300 MB (tsx alone takes about 160 MB) and every
// failure must be one line with its exit code, never a stack trace.

const MAIN = resolve(import.meta.dirname, '..', 'main.ts');
const MAX_RSS_MB = 300;
const dir = mkdtempSync(join(tmpdir(), 'cellscope-limits-'));
const probe = join(dir, 'rss-probe.mjs');

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the CLI process, MB. */
  peakMb: number;
}

/** Runs `cellscope …` under --max-old-space-size=256 and reads its peak RSS when it exits. */
function cellscope(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=256', '--import', 'tsx', '--import', probe, MAIN, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => {
      const peak = /maxRSS=(\d+)\n/.exec(stderr);
      done({
        status: status ?? -1,
        stdout,
        stderr: stderr.replace(/maxRSS=\d+\n/, ''),
        peakMb: peak ? Number(peak[1]) / 1024 : Infinity,
      });
    });
  });
}

/** One line naming what failed, no stack trace. */
function expectOneLine(run: Run, pattern: RegExp): void {
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

const junk = (n: number): Uint8Array => new Uint8Array(n).fill(0xff);
const path = (name: string): string => join(dir, name);

beforeAll(async () => {
  writeFileSync(
    probe,
    "process.on('exit', () => process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\\n`));\n",
  );
  // 16 × 16 page, one 65520² deflate tile: a valid stream of 4.3 GB of zeros in 27 MB.
  const tile = 65520;
  writeFileSync(
    path('tile-bomb.tif'),
    craftTiff(
      [zlibZeros(tile * tile)],
      [{ width: 16, height: 16, compression: 8, tile: { width: tile, height: tile }, chunks: [0] }],
    ),
  );
  // 1,000 pages of 1000² over one ~1 KB deflate strip.
  const strip = zlibSync(new Uint8Array(1000 * 1000), { level: 9 });
  const pages = Array.from({ length: 1000 }, () => ({
    width: 1000,
    height: 1000,
    compression: 8,
    chunks: [0],
  }));
  writeFileSync(path('shared-strip.tif'), craftTiff([strip], pages));
  // 40000² in 1.5 MB.
  writeFileSync(
    path('huge.tif'),
    craftTiff([junk(1_500_000)], [{ width: 40000, height: 40000, compression: 8, chunks: [0] }]),
  );
  // A small legal two-channel image with two round nuclei.
  const width = 64;
  const nuclei = new Uint16Array(width * width);
  for (let i = 0; i < nuclei.length; i++) {
    const [y, x] = [Math.floor(i / width), i % width];
    nuclei[i] = (x - 20) ** 2 + (y - 20) ** 2 < 49 || (x - 44) ** 2 + (y - 40) ** 2 < 49 ? 900 : 50;
  }
  const cytoplasm = nuclei.map((v) => v / 2 + 100);
  const stack = createStack([
    { width, height: width, data: nuclei },
    { width, height: width, data: cytoplasm },
  ]);
  await writeTiffFile(path('small.tif'), stack);
  await writeTiffFile(path('small2.tif'), stack);
  writeFileSync(path('notes.txt'), 'a regular file');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('memory bombs stay under 300 MB', () => {
  it('info reads a 16 × 16 page with one 65520² tile', async () => {
    const run = await cellscope('info', '--json', path('tile-bomb.tif'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(ExitCode.Ok);
    expect(JSON.parse(run.stdout)).toMatchObject({
      shape: [16, 16],
      channels: [{ min: 0, max: 0 }],
    });
    expect(run.peakMb).toBeLessThan(MAX_RSS_MB);
  });

  it('info reads a 3 GiB sparse TIFF through the handle, not into memory', async () => {
    // The header at 0 and one 16 × 8 strip 3 GiB later: 3 GiB on paper, a few KB on disk.
    const fd = openSync(path('sparse.tif'), 'w');
    const header = headerForStripAt(16, 8, 3 * 1024 ** 3);
    writeSync(fd, header, 0, header.length, 0);
    writeSync(fd, new Uint8Array(128).fill(9), 0, 128, 3 * 1024 ** 3);
    closeSync(fd);
    const run = await cellscope('info', '--json', path('sparse.tif'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(ExitCode.Ok);
    expect(JSON.parse(run.stdout)).toMatchObject({
      shape: [8, 16],
      channels: [{ min: 9, max: 9 }],
    });
    expect(run.peakMb).toBeLessThan(MAX_RSS_MB);
  });

  it('segment --method cellpose refuses the three .pth bombs before reading them', async () => {
    const one = new Uint8Array(Float32Array.of(1).buffer);
    const tensor = { name: 'w', key: '0', numel: 1, shape: [32768, 32768], stride: [0, 0] };
    // 435 bytes asking for 4.3 GB; an expanded tensor asking for 1 GB; a 1 GiB unused entry.
    writeFileSync(path('stride0.pth'), pthZip(tensorPickle([tensor]), { '0': one }));
    const expanded = { ...tensor, numel: 4096, shape: [65536, 4096], stride: [0, 1] };
    writeFileSync(
      path('expanded.pth'),
      pthZip(tensorPickle([expanded]), { '0': new Uint8Array(16384) }),
    );
    const zeros = zlibZeros(2 ** 30);
    const unused = pthZip(tensorPickle([{ ...tensor, shape: [1], stride: [1] }]), {
      '0': one,
      unused: zeros.subarray(2, zeros.length - 4), // raw deflate, as zip stores it
    });
    writeFileSync(
      path('unused.pth'),
      patchZipEntry(unused, 'archive/data/unused', { size: 2 ** 30, deflated: true }),
    );
    // The CLI checks the names and shapes against CPnet's before reading any tensor, so each is
    // refused there; bombs.test.ts checks the reader's own refusals of the same files.
    for (const name of ['stride0.pth', 'expanded.pth', 'unused.pth']) {
      const run = await cellscope(
        'segment',
        '--method',
        'cellpose',
        '--model',
        path(name),
        '--out',
        path('m.tif'),
        path('small.tif'),
      );
      expect(run.status, name).toBe(ExitCode.ModelFormat);
      expectOneLine(run, new RegExp(`${name}: not a Cellpose CPnet: the weights lack `));
      expect(run.peakMb).toBeLessThan(MAX_RSS_MB);
    }
  });

  it('info and segment refuse 1,000 pages over one 1 KB strip', async () => {
    for (const args of [['info'], ['segment', '--out', path('o.tif')]]) {
      const run = await cellscope(...args, path('shared-strip.tif'));
      expect(run.status).toBe(ExitCode.ImageFormat);
      expectOneLine(run, /1000 pages declare 953\.7 MiB of pixels but share only \d+ distinct/);
      expect(run.peakMb).toBeLessThan(MAX_RSS_MB);
    }
  });

  it('segment refuses a 40000² image by its pixel limit, and --max-pixels is applied', async () => {
    const run = await cellscope('segment', path('huge.tif'), '--out', path('o.tif'));
    expect(run.status).toBe(ExitCode.Unsupported);
    expectOneLine(run, /huge\.tif: image has 1\.60 G pixels \(40000 × 40000\), over the limit/);
    expect(run.peakMb).toBeLessThan(MAX_RSS_MB);
    const lowered = await cellscope('info', path('small.tif'), '--max-pixels', '4096');
    expect(lowered.status).toBe(ExitCode.Unsupported);
    expectOneLine(lowered, /image has 8192 pixels \(64 × 64 × 2 planes\), over the limit of 4096/);
  });
});

describe('crashes that became clear errors', () => {
  it('segment --diameter 1e5 and --method cellpose --diameter 0.01 exit 2 at once', async () => {
    const classical = await cellscope(
      'segment',
      path('small.tif'),
      '--out',
      path('o.tif'),
      '--diameter',
      '1e5',
    );
    expect(classical.status).toBe(ExitCode.InvalidArgument);
    expectOneLine(classical, /diameter 100000 px does not fit the 64 × 64 image/);
    expect(classical.peakMb).toBeLessThan(MAX_RSS_MB);
    const cellpose = await cellscope(
      'segment',
      path('small.tif'),
      '--method',
      'cellpose',
      '--out',
      path('o.tif'),
      '--diameter',
      '0.01',
    );
    expect(cellpose.status).toBe(ExitCode.InvalidArgument);
    expectOneLine(cellpose, /diameter 0\.01 px does not fit the 64 × 64 image/);
  });

  it('--out under a regular file exits 3 in segment, measure and demo', async () => {
    const under = (name: string): string => join(path('notes.txt'), name);
    const segment = await cellscope('segment', path('small.tif'), '--out', under('o.tif'));
    expect(segment.status).toBe(ExitCode.FileAccess);
    expectOneLine(
      segment,
      /notes\.txt\/o\.tif: could not write \(a part of the output path is a file/,
    );
    const labels = path('labels.tif');
    expect((await cellscope('segment', path('small.tif'), '--out', labels)).status).toBe(0);
    const measure = await cellscope('measure', labels, '--out', under('t.csv'));
    expect(measure.status).toBe(ExitCode.FileAccess);
    expectOneLine(measure, /notes\.txt\/t\.csv: could not write/);
    const demo = await cellscope('demo', '--out', under('demo'));
    expect(demo.status).toBe(ExitCode.FileAccess);
    expectOneLine(demo, /notes\.txt\/demo\/composite\.png: could not write/);
  });

  it('analyze records a bad config diameter per image in failures.csv and caps --workers', async () => {
    const config = path('config.json');
    writeFileSync(
      config,
      JSON.stringify({
        channels: { nuclei: 0, cytoplasm: 1 },
        nuclei: { method: 'classical', diameter: 1e5 },
        cells: { method: 'from-nuclei' },
      }),
    );
    const out = path('res');
    const run = await cellscope(
      'analyze',
      path('small.tif'),
      path('small2.tif'),
      '--config',
      config,
      '--out',
      out,
      '--workers',
      '64',
    );
    expect(run.stdout).toMatch(/--workers 64 capped at 2 \(2 images, \d+ cores?\)|capped at 1/);
    expect(run.status).toBe(ExitCode.PartialFailure);
    const failures = readFileSync(join(out, 'failures.csv'), 'utf8');
    expect(failures.trim().split('\n')).toHaveLength(3);
    expect(failures).toMatch(/diameter 100000 px does not fit the 64 × 64 image/);
    const notDir = await cellscope(
      'analyze',
      path('small.tif'),
      '--out',
      join(path('notes.txt'), 'res'),
    );
    expect(notDir.status).toBe(ExitCode.FileAccess);
    expect(notDir.stderr).not.toMatch(/\n\s+at /);
  });

  it('info refuses a .tif linked to /dev/zero in one line', async () => {
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/dev/zero', path('zero.tif'));
    const run = await cellscope('info', path('zero.tif'));
    expect(run.status).toBe(ExitCode.FileAccess);
    expectOneLine(run, /zero\.tif: is not a regular file/);
    expect(run.peakMb).toBeLessThan(MAX_RSS_MB);
  });
});
