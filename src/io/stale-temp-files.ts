import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

// The names writeFileAtomic (files.ts) gives its temp files: `<target>.tmp-<pid>-<8 hex digits>`.
const TEMP_FILE = /\.tmp-(\d+)-[0-9a-f]{8}$/;

/** The pid of the process that wrote a temp file, or undefined when `name` is not one. */
export function tempFileWriter(name: string): number | undefined {
  const match = TEMP_FILE.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Signal 0 checks that a process exists; EPERM means it exists but belongs to another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StaleTempOptions {
  /** Folder levels to look into below `folder` (the batch writes `<out>/<image>/plots/`). @default 3 */
  depth?: number;
  /** Whether a pid is running (tests inject one). @default isProcessAlive */
  isAlive?: (pid: number) => boolean;
}

/**
 * Removes the temp files that writers killed mid-write (`kill -9`, power loss) left under
 * `folder`, and returns their paths. A file whose writer still runs is kept, so a run beside
 * this one loses nothing; symbolic links are neither followed nor removed.
 */
export async function removeStaleTempFiles(
  folder: string,
  options: StaleTempOptions = {},
): Promise<string[]> {
  const { depth = 3, isAlive = isProcessAlive } = options;
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() && depth > 0) {
      removed.push(...(await removeStaleTempFiles(path, { depth: depth - 1, isAlive })));
      continue;
    }
    const pid = entry.isFile() ? tempFileWriter(entry.name) : undefined;
    if (pid === undefined || pid === process.pid || isAlive(pid)) continue;
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}
