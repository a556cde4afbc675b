// How a failed command ends: one line on stderr and the exit code that matches.
import { CellscopeError } from '../errors.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';

export /** Prints one line per failure and returns the exit code it deserves. */
function report(error: unknown): number {
  if (error instanceof CellscopeError) {
    process.stderr.write(`cellscope: ${error.describe()}\n`);
    return exitCodeFor(error.code);
  }
  const known = describeUntyped(error);
  if (known) {
    process.stderr.write(`cellscope: ${known.line}\n`);
    return known.exitCode;
  }
  process.stderr.write(`cellscope: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.Internal;
}

/**
 * A file-system or allocation failure that escaped a typed check: still one line and a meaningful
 * exit code, never a stack trace.
 */
function describeUntyped(error: unknown): { line: string; exitCode: number } | undefined {
  const { code, path, message } = (error ?? {}) as NodeJS.ErrnoException;
  const fileCodes: Record<string, string> = {
    ENOTDIR: 'a part of the path is a file, not a folder',
    EEXIST: 'already exists and is not a folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'the disk is full',
    ENOENT: 'no such file or folder',
    EROFS: 'the file system is read-only',
  };
  if (code && code in fileCodes) {
    return { line: `${path ? `${path}: ` : ''}${fileCodes[code]}`, exitCode: ExitCode.FileAccess };
  }
  if (
    error instanceof RangeError &&
    /Array buffer allocation failed|Invalid typed array length|Invalid array length/.test(message)
  ) {
    return {
      line: `out of memory (${message}) (use a smaller image or region, or lower --max-pixels)`,
      exitCode: ExitCode.Unsupported,
    };
  }
  return undefined;
}
