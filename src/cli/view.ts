import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';

export interface ViewCommandOptions {
  port: number;
  host: string;
  /** False with `--no-open`. */
  open: boolean;
  /** False with `--no-download`: the app may use cached models only. */
  download?: boolean;
  /** `--allow-host`: names (or `name:port`) other machines reach this one by. */
  allowHost?: string[];
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

/** Collects `--allow-host a,b --allow-host c` into `[a, b, c]`; each a host name or `name:port`. */
export function parseAllowedHosts(value: string, previous: string[] = []): string[] {
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.:-]+)$/i.test(name)) {
      throw new CommanderInvalidArgument(
        `expected a host name such as microscope.lab, got "${name}"`,
      );
    }
  }
  return [...previous, ...names];
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
  warn: (line: string) => void = log,
): Promise<void> {
  // The server's modules load only when `view` runs, not with every command.
  const { startAppServer } = await import('../server/serve-app.js');
  // startAppServer checks the images exist before it checks the app or listens.
  const server = await startAppServer({
    appDir: options.appDir ?? defaultAppDir(),
    files: images,
    host: options.host,
    port: options.port,
    models: { allowDownload: options.download !== false },
    allowedHosts: options.allowHost,
  });
  if (!server.loopbackOnly) warn(exposureWarning(options.host, server.url));
  log(`cellscope view: serving ${server.tokenUrl} (Ctrl+C to stop)`);
  if (options.open) openBrowser(server.tokenUrl);
  await untilStopped();
  await server.close();
}

/** The loud notice for `--host` beyond loopback: who can connect, and what they need. */
export function exposureWarning(host: string, url: string): string {
  const port = new URL(url).port;
  return [
    `WARNING: cellscope view listens on ${host}:${port}, which other machines can reach.`,
    '  Anyone with the URL below (its token) can read the images given here and make this',
    '  machine download models; the connection is not encrypted (http).',
    "  Other machines must use a name allowed with --allow-host <name> (this machine's name",
    '  or address); on this machine, open the URL below.',
  ].join('\n');
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
