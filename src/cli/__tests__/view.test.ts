import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { ExitCode } from '../exit-codes.js';

const MAIN = resolve(import.meta.dirname, '..', 'main.ts');
const CELLSCOPE = [process.execPath, ['--import', 'tsx', MAIN]] as const;

const dir = mkdtempSync(join(tmpdir(), 'cellscope-view-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>cellscope</title>');
const image = join(dir, 'cells.tif');
writeFileSync(image, new Uint8Array([1, 2, 3, 4, 5]));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cellscope view', () => {
  it('serves the app and the image until SIGTERM, then exits 0', async () => {
    const [node, args] = CELLSCOPE;
    const child = spawn(node, [
      ...args,
      'view',
      '--no-open',
      '--port',
      '0',
      '--app-dir',
      dir,
      image,
    ]);
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^cellscope view: serving (http:\/\/\S+) \(Ctrl\+C to stop\)$/m.exec(stdout);
        if (match) done(match[1]);
      });
      void exited.then((code) => fail(new Error(`exited with ${code} before serving: ${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const response = await fetch(new URL('api/files', url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      files: [{ name: 'cells.tif', url: '/api/files/0', size: 5 }],
    });
    expect((await fetch(url)).headers.get('cross-origin-embedder-policy')).toBe('require-corp');

    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(ExitCode.Ok);
  });

  it('exits with the file-access code, before serving, when an image is missing', () => {
    const [node, args] = CELLSCOPE;
    const missing = join(dir, 'no-such-image.tif');
    const result = spawnSync(
      node,
      [...args, 'view', '--no-open', '--port', '0', '--app-dir', dir, image, missing],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(result.status).toBe(ExitCode.FileAccess);
    expect(result.stdout).not.toMatch(/serving/);
    expect(result.stderr).toMatch(/no-such-image\.tif: file not found/);
  });

  it('rejects a port out of range as an invalid argument', () => {
    const [node, args] = CELLSCOPE;
    const result = spawnSync(node, [...args, 'view', '--no-open', '--port', '70000'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(ExitCode.InvalidArgument);
    expect(result.stderr).toMatch(/port number 0–65535/);
  });
});
