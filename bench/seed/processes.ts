import { spawnSync } from 'node:child_process';

/** One whole-process run: wall and CPU (user + sys of the process and its children) seconds. */
export interface ProcessRun {
  wallS: number;
  cpuS: number;
  stdout: string;
}

/**
 * Runs a command to its end through `sh`, whose `times` reports the CPU the command used (threads
 * and children included): on a shared machine the CPU seconds drift less than the wall seconds.
 */
export function timeProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ProcessRun {
  const start = performance.now();
  const result = spawnSync('sh', ['-c', '"$@"; s=$?; times >&2; exit $s', 'sh', command, ...args], {
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallS = (performance.now() - start) / 1000;
  const lines = result.stderr.trimEnd().split('\n');
  if (result.status !== 0) {
    const said = lines.slice(-12, -2).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${said}`);
  }
  // `times` prints the shell's user/sys, then its children's: "0m11.549s 0m0.591s".
  const children = lines[lines.length - 1].match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  if (!children) throw new Error(`no CPU times from sh: ${lines[lines.length - 1]}`);
  const [, um, us, sm, ss] = children.map(Number);
  return { wallS, cpuS: um * 60 + us + sm * 60 + ss, stdout: result.stdout };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** "median (min–max)" in seconds. */
export function spread(values: readonly number[]): string {
  const digits = median(values) < 10 ? 2 : 1;
  return `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}
