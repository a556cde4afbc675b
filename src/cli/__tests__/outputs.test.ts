// Issue 15 §2 through the CLI: two outputs of one path are refused before any work, and a batch
// says where the outputs of images that share a name went.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTiffFile } from '../../io/tiff/write-file.js';
import { syntheticCells } from '../../synth/cells.js';
import { ExitCode } from '../exit-codes.js';

const MAIN = resolve(import.meta.dirname, '..', 'main.ts');
const TSX = import.meta.resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-outputs-'));
const image = join(dir, 'img.tif');
beforeAll(async () => {
  // Classical and tables only: quick, and no model needed.
  const config = {
    channels: { nuclei: 0, cytoplasm: 1 },
    nuclei: { method: 'classical', diameter: 18 },
    cells: { method: 'from-nuclei' },
    outputs: { tables: ['csv'], plots: [], overlay: false, report: false },
  };
  writeFileSync(join(dir, 'quick.json'), JSON.stringify(config));
  await writeTiffFile(image, syntheticCells({ width: 128, height: 128, cells: 4, seed: 5 }).stack);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cellscope(...args: string[]): { status: number; stdout: string; stderr: string } {
  // tsx by its URL: the run's folder (cwd) has no node_modules.
  const result = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], {
    encoding: 'utf8',
    cwd: dir,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('cellscope segment refuses two outputs of one path', () => {
  it.each([
    [['--overlay', 'x.tif', '--out', 'x.tif'], '--out and --overlay would both write x.tif'],
    [
      ['--out', 'x.tif', '--nuclei-out', './x.tif'],
      '--out and --nuclei-out would both write ./x.tif',
    ],
    [
      ['--out', 'c.tif', '--cells-from-nuclei', '--cell-channel', '1', '--overlay', 'c_nuclei.tif'],
      "--out's nuclei (<out>_nuclei.tif) and --overlay would both write c_nuclei.tif",
    ],
    [
      ['--method', 'cellpose', '--model', 'no-such-model', '--save-flows', '--out', 'm.tif'],
      '--save-flows (<out>_flows.tif) and --overlay would both write m_flows.tif',
      ['--overlay', 'm_flows.tif'],
    ],
  ])('%j', (args, message, extra: string[] = []) => {
    const { status, stdout, stderr } = cellscope('segment', image, ...args, ...extra);
    expect(stderr).toContain(message);
    expect(stderr).toContain('give each output its own path');
    expect(status).toBe(ExitCode.InvalidArgument);
    expect(stdout).toBe('');
    for (const file of ['x.tif', 'c.tif', 'c_nuclei.tif', 'm.tif', 'm_flows.tif']) {
      expect(existsSync(join(dir, file)), file).toBe(false);
    }
  });

  it('refuses an output that is the input, before segmenting', () => {
    const { status, stdout, stderr } = cellscope(
      'segment',
      image,
      '--out',
      'l.tif',
      '--overlay',
      'img.tif',
    );
    expect(status).toBe(ExitCode.InvalidArgument);
    expect(stderr).toContain('img.tif: refusing to overwrite an input file');
    expect(stdout).toBe('');
    expect(existsSync(join(dir, 'l.tif'))).toBe(false);
  });
});

describe('cellscope analyze with one file name in two folders', () => {
  it('analyses both into their own folders and says so', async () => {
    await writeTiffFile(
      join(dir, 'd1', 'x.tif'),
      syntheticCells({ width: 128, height: 128, cells: 3, seed: 6 }).stack,
    );
    await writeTiffFile(
      join(dir, 'd2', 'x.tif'),
      syntheticCells({ width: 128, height: 128, cells: 6, seed: 7 }).stack,
    );
    const { status, stdout, stderr } = cellscope(
      'analyze',
      'd1',
      'd2',
      '--config',
      'quick.json',
      '--out',
      'res',
    );
    expect(stderr).toBe('');
    expect(status).toBe(ExitCode.Ok);
    expect(stdout).toContain(
      `${join('d1', 'x.tif')}: outputs in ${join('res', 'd1_x')}/, not x/ (another input has that name too)`,
    );
    expect(stdout).toContain(
      `${join('d2', 'x.tif')}: outputs in ${join('res', 'd2_x')}/, not x/ (another input has that name too)`,
    );
    expect(stdout).toMatch(/^2 analysed/m);
    expect(existsSync(join(dir, 'res', 'd1_x', 'summary.json'))).toBe(true);
    expect(existsSync(join(dir, 'res', 'd2_x', 'summary.json'))).toBe(true);
    expect(existsSync(join(dir, 'res', 'x'))).toBe(false);
  });
});

describe('cellscope analyze --resume', () => {
  it('removes the temp files a killed run left, and says so', async () => {
    await writeTiffFile(
      join(dir, 'r', 'y.tif'),
      syntheticCells({ width: 128, height: 128, cells: 3, seed: 8 }).stack,
    );
    // The pid of a run that is gone, as after kill -9.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const leftover = join(dir, 'res-r', 'y', `cells.tif.tmp-${dead}-0a1b2c3d`);
    mkdirSync(dirname(leftover), { recursive: true });
    writeFileSync(leftover, 'half a file');
    const { status, stdout } = cellscope(
      'analyze',
      'r',
      '--config',
      'quick.json',
      '--out',
      'res-r',
      '--resume',
    );
    expect(status).toBe(ExitCode.Ok);
    expect(stdout).toContain('removed 1 temp files that interrupted runs left in res-r/');
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(join(dir, 'res-r', 'y', 'cells.tif'))).toBe(true);
  });
});
