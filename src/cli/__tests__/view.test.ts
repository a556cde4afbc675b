import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
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

/** Starts `cellscope view` and resolves once it prints its URL. */
async function startView(...extra: string[]) {
  const [node, args] = CELLSCOPE;
  const child = spawn(node, [
    ...args,
    'view',
    '--no-open',
    '--port',
    '0',
    '--app-dir',
    dir,
    ...extra,
  ]);
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  let stdout = '';
  const output = { stderr: '' };
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const url = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^cellscope view: serving (http:\/\/\S+) \(Ctrl\+C to stop\)$/m.exec(stdout);
      if (match) done(match[1]);
    });
    void exited.then((code) =>
      fail(new Error(`exited with ${code} before serving: ${output.stderr}`)),
    );
  });
  return { child, exited, url, output };
}

describe('cellscope view', () => {
  it('serves the app and the image until SIGTERM, then exits 0', async () => {
    const { child, exited, url, output } = await startView(image);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    expect(output.stderr).toBe('');

    // The printed URL carries the token; the page keeps it in a cookie for the /api calls.
    const page = await fetch(url);
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const cookie = page.headers.get('set-cookie')!.split(';')[0];
    const response = await fetch(new URL('api/files', url), { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      files: [{ name: 'cells.tif', url: '/api/files/0', size: 5 }],
    });
    expect((await fetch(new URL('api/files/0', url))).status).toBe(403);

    child.kill('SIGTERM');
    expect(await exited, output.stderr).toBe(ExitCode.Ok);
  });

  it('warns loudly, and still needs the token, when it listens beyond loopback', async () => {
    const { child, exited, url, output } = await startView('--host', '0.0.0.0', image);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    const port = new URL(url).port;
    expect(output.stderr).toContain(
      `WARNING: cellscope view listens on 0.0.0.0:${port}, which other machines can reach.`,
    );
    expect(output.stderr).toContain('--allow-host <name>');
    expect((await fetch(new URL('api/files/0', url))).status).toBe(403);
    expect((await fetch(new URL(`api/files/0${new URL(url).search}`, url))).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(ExitCode.Ok);
  });

  it('lets the names given with --allow-host reach it', async () => {
    const { child, exited, url } = await startView('--allow-host', 'microscope.lab,lab-pc', image);
    const port = Number(new URL(url).port);
    const token = new URL(url).searchParams.get('token');
    const status = (host: string) =>
      new Promise<number>((done, fail) => {
        const options = {
          port,
          path: '/api/files',
          headers: { host, authorization: `Bearer ${token}` },
        };
        request({ host: '127.0.0.1', ...options }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        })
          .on('error', fail)
          .end();
      });
    expect(await status(`microscope.lab:${port}`)).toBe(200);
    expect(await status(`lab-pc:${port}`)).toBe(200);
    expect(await status(`attacker.example:${port}`)).toBe(403);
    child.kill('SIGTERM');
    expect(await exited).toBe(ExitCode.Ok);
  });

  it('says in one line that an invalid --host is invalid, without a stack trace', () => {
    const [node, args] = CELLSCOPE;
    const result = spawnSync(
      node,
      [...args, 'view', '--no-open', '--host', '999.1.1.1', '--app-dir', dir, image],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(result.status).toBe(ExitCode.InvalidArgument);
    expect(result.stdout).not.toMatch(/serving/);
    expect(result.stderr).toMatch(
      /cannot listen on --host 999\.1\.1\.1: not a valid address or known host name \(E[A-Z_]+\)/,
    );
    expect(result.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
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
