/** Every error cellscope raises on purpose: the CLI maps `code` to a message and an exit code. */
export type CellscopeErrorCode =
  | 'ImageFormatError'
  | 'ModelFormatError'
  | 'UnsupportedError'
  | 'InvalidArgumentError'
  | 'FileAccessError';

export interface CellscopeErrorOptions {
  /** The file the problem is about, when there is one. */
  file?: string;
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
}

export class CellscopeError extends Error {
  readonly code: CellscopeErrorCode = 'InvalidArgumentError';
  readonly file?: string;
  readonly hint?: string;

  constructor(message: string, options: CellscopeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.file = options.file;
    this.hint = options.hint;
  }

  /** One line for a person: the file, what is wrong, and what to do. */
  describe(): string {
    const where = this.file ? `${this.file}: ` : '';
    const hint = this.hint ? ` (${this.hint})` : '';
    return `${where}${this.message}${hint}`;
  }
}

/** The bytes are not a valid file of the claimed format (corrupt, truncated, wrong magic). */
export class ImageFormatError extends CellscopeError {
  override readonly code = 'ImageFormatError';
}

/**
 * A model or weight file is corrupt, truncated, not a model, or unsafe to load (a pickle that
 * asks for anything beyond plain tensors and arrays).
 */
export class ModelFormatError extends CellscopeError {
  override readonly code = 'ModelFormatError';
}

/** A valid file that uses a feature cellscope does not read (yet). */
export class UnsupportedError extends CellscopeError {
  override readonly code = 'UnsupportedError';
}

/** A caller passed an option or value that cannot work. */
export class InvalidArgumentError extends CellscopeError {
  override readonly code = 'InvalidArgumentError';
}

/** A file could not be read or written (missing, permissions, disk full). */
export class FileAccessError extends CellscopeError {
  override readonly code = 'FileAccessError';
}

export function isCellscopeError(value: unknown): value is CellscopeError {
  return value instanceof CellscopeError;
}

/** Attaches a file name to a cellscope error raised by code that only saw bytes. */
export function withFile<T extends CellscopeError>(error: T, file: string): T {
  if (error.file === undefined) (error as { file?: string }).file = file;
  return error;
}
