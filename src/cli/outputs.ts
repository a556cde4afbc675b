import { resolve } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { assertNotProtected } from '../io/files.js';

/** One file a command will write, and the flag (or rule) that named it. */
export interface PlannedOutput {
  /** e.g. `--overlay`, or `--save-flows (<out>_flows.tif)` for a derived path. */
  flag: string;
  path: string | undefined;
}

// macOS and Windows file systems ignore case: X.tif and x.tif are one file there.
const FOLD_CASE = process.platform === 'darwin' || process.platform === 'win32';

/**
 * Throws before any work when two outputs are one file (the second write would silently replace
 * the first, e.g. `--overlay x.tif --out x.tif` leaves a PNG named x.tif) or an output is an input.
 */
export function assertDistinctOutputs(
  outputs: readonly PlannedOutput[],
  inputs: readonly string[],
): void {
  const seen = new Map<string, PlannedOutput>();
  for (const output of outputs) {
    if (output.path === undefined) continue;
    assertNotProtected(output.path, inputs);
    const resolved = resolve(output.path);
    const key = FOLD_CASE ? resolved.toLowerCase() : resolved;
    const earlier = seen.get(key);
    if (earlier) {
      throw new InvalidArgumentError(
        `${earlier.flag} and ${output.flag} would both write ${output.path}`,
        { hint: 'give each output its own path' },
      );
    }
    seen.set(key, output);
  }
}
