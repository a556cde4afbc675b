import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The environment variables {@link modelCacheDir} reads. */
export interface ModelCacheEnv {
  readonly CELLSCOPE_MODELS?: string;
  readonly XDG_CACHE_HOME?: string;
  readonly [name: string]: string | undefined;
}

/**
 * The folder where Cellpose weights are downloaded and looked for, first match wins:
 * 1. `$CELLSCOPE_MODELS`, used as given;
 * 2. `$XDG_CACHE_HOME/cellscope/models` when `XDG_CACHE_HOME` is an absolute path (the XDG
 *    spec says to ignore a relative one);
 * 3. `~/.cache/cellscope/models` (`os.homedir()`).
 *
 * Empty variables count as unset. Nothing is created on disk.
 * @param env the environment to read. @default process.env
 */
export function modelCacheDir(env: ModelCacheEnv = process.env): string {
  if (env.CELLSCOPE_MODELS) return env.CELLSCOPE_MODELS;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'cellscope', 'models');
  return join(homedir(), '.cache', 'cellscope', 'models');
}
