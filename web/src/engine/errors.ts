import { CellscopeError } from 'cellscope/browser';
import type { ErrorInfo } from './protocol.js';

/** Any error as plain data that crosses postMessage: cellscope's file and hint survive. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof CellscopeError) {
    return { name: error.name, message: error.message, file: error.file, hint: error.hint };
  }
  const e = error as { name?: string; message?: string; file?: string; hint?: string } | undefined;
  return {
    name: e?.name ?? 'Error',
    message: e?.message ?? String(error),
    file: e?.file,
    hint: e?.hint,
  };
}
