import { spawnSync } from 'node:child_process';

/** Debian's Python, where python3-shapely, python3-zarr and python3-tifffile install. */
const PYTHON = '/usr/bin/python3';

/**
 * Whether Debian's Python imports every module. Locally a missing package skips the round
 * trip with a message; in CI (`CI=true`, where .ci/run installs them) it fails the file.
 */
export function pythonHas(modules: readonly string[], debianPackages: string): boolean {
  const probe = spawnSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  const message = `${PYTHON} cannot import ${modules.join(', ')}: apt-get install -y ${debianPackages}`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping the Python round trip: ${message}`);
  return false;
}

/** Runs a Python script with arguments and returns its stdout parsed as JSON. */
export function runPython<T = unknown>(script: string, args: readonly string[] = []): T {
  const run = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python failed (${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
