import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { startAppServer } from '../server/serve-app.js';

export interface ViewCommandOptions {
  port: number;
  host: string;
  /** False with `--no-open`. */
  open: boolean;
  /** False with `--no-download`: the app may use cached models only. */
  download?: boolean;
  appDir?: string;
}

/** Parses `--port`: an integer 0–65535, 0 meaning any free port. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CommanderInvalidArgument('expected a port number 0–65535 (0: any free port)');
  }
  return port;
}

/**
 * Where `vite build` put the web app: `./web/` next to the running CLI file (`dist/web` for
 * `dist/cli.js`, also from tsup's chunks, which sit in `dist/` too), else `<repo>/dist/web` when
 * the CLI runs from `src/cli/` under tsx. The first that holds an `index.html` wins; when neither
 * does, the one that fits how the CLI runs, so the "not built" error names the right folder.
 */
export function defaultAppDir(): string {
  const besideCli = fileURLToPath(new URL('./web/', import.meta.url));
  const repoDist = fileURLToPath(new URL('../../dist/web/', import.meta.url));
  const candidates = [besideCli, repoDist];
  const built = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (built) return built;
  return import.meta.url.endsWith('.ts') ? repoDist : besideCli;
}

/** Opens `url` in the system browser; a missing opener (a headless server) is not an error. */
export function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // The URL is printed anyway.
  }
}

/**
 * `cellscope view`: serves the web app and the given images until SIGINT or SIGTERM, then
 * closes the server and returns.
 */
export async function runView(
  images: string[],
  options: ViewCommandOptions,
  log: (line: string) => void,
): Promise<void> {
  // startAppServer checks the images exist before it checks the app or listens.
  const server = await startAppServer({
    appDir: options.appDir ?? defaultAppDir(),
    files: images,
    host: options.host,
    port: options.port,
    models: { allowDownload: options.download !== false },
  });
  log(`cellscope view: serving ${server.url} (Ctrl+C to stop)`);
  if (options.open) openBrowser(server.url);
  await untilStopped();
  await server.close();
}

function untilStopped(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
