import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabels } from '../../io/read-labels.js';
import { readTableFile } from '../../io/table/file.js';
import { writeTiffFile } from '../../io/tiff/write-file.js';
import { syntheticCells } from '../../synth/cells.js';

const MAIN = resolve(import.meta.dirname, '..', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(folder, e.name)) : [join(folder, e.name)],
  );
}

/** Reads an output back with the format's own reader: a half-written file fails here. */
async function checkComplete(file: string): Promise<void> {
  const bytes = readFileSync(file);
  switch (extname(file)) {
    case '.tif':
      await readLabels(file);
      break;
    case '.csv':
    case '.parquet':
      await readTableFile(file);
      break;
    case '.png':
      // The IEND chunk closes every PNG.
      expect(bytes.subarray(-8).toString('latin1'), file).toBe('IEND\xae\x42\x60\x82');
      break;
    case '.html':
      expect(bytes.toString('utf8').trimEnd().endsWith('</html>'), file).toBe(true);
      break;
    case '.json':
    case '.svg':
      if (extname(file) === '.json') JSON.parse(bytes.toString('utf8'));
      else expect(bytes.toString('utf8').trimEnd().endsWith('</svg>'), file).toBe(true);
      break;
  }
}

describe('cellscope analyze killed midway', () => {
  it('leaves only complete output files, and --resume finishes the rest', async () => {
    const inputs = join(dir, 'inputs');
    for (let k = 0; k < 4; k++) {
      await writeTiffFile(join(inputs, `img${k}.tif`), syntheticCells({ seed: 20 + k }).stack);
    }
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      MAIN,
      'analyze',
      inputs,
      '--out',
      out,
    ]);
    // Kill it hard once the first image is complete, while the second is being written.
    await new Promise<void>((done, fail) => {
      const timer = setInterval(() => {
        if (existsSync(join(out, 'img1', 'nuclei.tif'))) {
          clearInterval(timer);
          child.kill('SIGKILL');
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(timer);
        done();
      });
      child.on('error', fail);
    });
    expect(existsSync(join(out, 'img0', 'summary.json'))).toBe(true);
    expect(existsSync(join(out, 'img3', 'summary.json'))).toBe(false);
    for (const file of files(out).filter((f) => !f.includes('.tmp-'))) await checkComplete(file);

    const resumed = spawn(process.execPath, [
      '--import',
      'tsx',
      MAIN,
      'analyze',
      inputs,
      '--out',
      out,
      '--resume',
    ]);
    let stdout = '';
    resumed.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((done) => resumed.on('exit', done));
    expect(code).toBe(0);
    expect(stdout).toMatch(/img0: skipped/);
    expect(stdout).toMatch(/, 0 failed/);
    for (let k = 0; k < 4; k++) expect(existsSync(join(out, `img${k}`, 'summary.json'))).toBe(true);
  }, 120_000);
});
