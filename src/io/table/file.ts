import { extname } from 'node:path';
import { CellscopeError, ImageFormatError, InvalidArgumentError, withFile } from '../../errors.js';
import type { Table } from '../../table/table.js';
import { assertNotProtected, readFileBytes, writeFileAtomic } from '../files.js';
import type { WriteOptions } from '../files.js';
import { jsonToTable, tableToJson } from './json.js';

// The CSV and Parquet codecs (papaparse, hyparquet) load with the first file of their format;
// writing CSV needs no parser.
const csvCodec = () => import('./csv.js');
const csvWriter = () => import('./csv-write.js');
const parquetCodec = () => import('./parquet.js');

/** The table file formats, by file extension. */
export const TABLE_FORMATS = { '.csv': 'csv', '.parquet': 'parquet', '.json': 'json' } as const;
export type TableFormat = (typeof TABLE_FORMATS)[keyof typeof TABLE_FORMATS];

/** The format a path's extension names (case-insensitive), or an error listing those there are. */
export function tableFormatOf(path: string): TableFormat {
  const extension = extname(path).toLowerCase();
  const format = (TABLE_FORMATS as Record<string, TableFormat | undefined>)[extension];
  if (format === undefined) {
    throw new InvalidArgumentError(
      `cannot tell the table format from the extension "${extension}"`,
      { file: path, hint: `use one of ${Object.keys(TABLE_FORMATS).join(', ')}` },
    );
  }
  return format;
}

/**
 * Writes a table to `path` as CSV, Parquet or JSON, chosen by the extension. The file appears
 * whole or not at all (temp file + rename); a path listed in `protect` is refused before any work.
 * CSV keeps no metadata (see {@link tableToCsv}).
 */
export async function writeTableFile(
  path: string,
  table: Table,
  options: WriteOptions = {},
): Promise<void> {
  const format = tableFormatOf(path);
  assertNotProtected(path, options.protect);
  const data =
    format === 'csv'
      ? (await csvWriter()).tableToCsv(table)
      : format === 'json'
        ? tableToJson(table)
        : (await parquetCodec()).tableToParquet(table);
  await writeFileAtomic(path, data, options);
}

/** Reads a CSV, Parquet or JSON table file, chosen by the extension; errors name the file. */
export async function readTableFile(path: string): Promise<Table> {
  const format = tableFormatOf(path);
  const bytes = await readFileBytes(path);
  try {
    if (format === 'parquet')
      return await (await parquetCodec()).parquetToTable(bytes, { file: path });
    const text = decodeUtf8(bytes, path);
    if (format === 'json') return jsonToTable(text, { file: path });
    return (await csvCodec()).csvToTable(text, { file: path });
  } catch (error) {
    throw error instanceof CellscopeError ? withFile(error, path) : error;
  }
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    // Strips a leading byte order mark, as spreadsheet programs write one.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ImageFormatError('the file is not UTF-8 text', {
      file,
      hint: 'save it as UTF-8',
      cause,
    });
  }
}
