import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/**
 * Builds the CLI fresh with tsup (code splitting on) under node_modules/.cache/<name>, so a
 * bench never times a stale dist/. Inside the repository, so the chunks resolve node_modules as
 * dist/ does. Returns the folder and its cli.js; remove the folder when done.
 */
export function buildCli(name: string): { dir: string; cli: string } {
  const dir = join(root, 'node_modules', '.cache', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const build = spawnSync('npx', ['tsup', '--out-dir', dir, '--no-dts', '--silent'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`tsup failed: ${build.stderr}`);
  return { dir, cli: join(dir, 'cli.js') };
}
