// Commander's option parsers: each turns one value into a number or a list, or rejects it.
import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import type { CellscopeError } from '../errors.js';
import { parseExportFormats, type ExportFormat } from '../export/formats.js';

export function thresholdList(value: string): number[] {
  const list = value.split(',').map(Number);
  if (list.some((t) => !(t > 0 && t <= 1))) {
    throw new CommanderInvalidArgument('expected IoU thresholds in (0, 1], e.g. 0.5,0.75');
  }
  return list;
}

export function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new CommanderInvalidArgument('expected a number > 0');
  return n;
}

export function diameterValue(value: string): number | 'auto' {
  return value === 'auto' ? 'auto' : positive(value);
}

export function finite(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new CommanderInvalidArgument('expected a number');
  return n;
}

export function nonNegative(value: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new CommanderInvalidArgument('expected a number ≥ 0');
  return n;
}

export function exportFormats(value: string): ExportFormat[] {
  try {
    return parseExportFormats(value);
  } catch (error) {
    throw new CommanderInvalidArgument((error as CellscopeError).describe());
  }
}

export function threadCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CommanderInvalidArgument('expected an integer ≥ 1');
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CommanderInvalidArgument('expected an integer');
  return n;
}

/** Sets the pixel limit every image read in this process (and its worker threads) obeys. */
export function maxPixelsValue(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new CommanderInvalidArgument('expected a whole number of pixels ≥ 1, e.g. 4e9');
  }
  return n;
}
