import type { CellscopeErrorCode } from '../errors.js';

/** Exit codes of the `cellscope` command, one per kind of failure so scripts can tell them apart. */
export const ExitCode = {
  Ok: 0,
  /** A bug in cellscope: please report it. */
  Internal: 1,
  /** Wrong flags or values on the command line. */
  InvalidArgument: 2,
  /** A file could not be read or written. */
  FileAccess: 3,
  /** An input file is corrupt or not the format it claims. */
  ImageFormat: 4,
  /** A valid input uses a feature cellscope does not support. */
  Unsupported: 5,
  /** A model or weight file is corrupt, not a model, or unsafe to load. */
  ModelFormat: 6,
  /** Some images of a batch failed (the others' results are written; see failures.csv). */
  PartialFailure: 7,
} as const;

export function exitCodeFor(code: CellscopeErrorCode): number {
  switch (code) {
    case 'InvalidArgumentError':
      return ExitCode.InvalidArgument;
    case 'FileAccessError':
      return ExitCode.FileAccess;
    case 'ImageFormatError':
      return ExitCode.ImageFormat;
    case 'UnsupportedError':
      return ExitCode.Unsupported;
    case 'ModelFormatError':
      return ExitCode.ModelFormat;
  }
}
