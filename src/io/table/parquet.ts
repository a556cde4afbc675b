import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import type { ColumnData, FileMetaData } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer';
import { ImageFormatError, UnsupportedError } from '../../errors.js';
import type { Column, Table, TableMetadata } from '../../table/table.js';

/** The key-value metadata entry that holds `table.metadata` as JSON. */
export const PARQUET_METADATA_KEY = 'cellscope';

export interface ParquetToTableOptions {
  /** The file the bytes came from, named in errors. */
  file?: string;
}

/**
 * Encodes a table as a Parquet file (snappy-compressed), columns in the table's order: numeric
 * columns as required `DOUBLE`, text columns as required UTF-8 `BYTE_ARRAY`. `table.metadata` is
 * stored as JSON under the key-value metadata key `cellscope`, so it must be JSON-serialisable.
 * Every double (-0, NaN, ±Infinity included) and every string reads back exactly.
 */
export function tableToParquet(table: Table): Uint8Array {
  const columnData: ColumnSource[] = Object.entries(table.columns).map(([name, column]) =>
    column instanceof Float64Array
      ? {
          name,
          data: column,
          type: 'DOUBLE',
          nullable: false,
          // hyparquet-writer's dictionary encoding keys a Map, where 0 and -0 are one value.
          ...(column.some((x) => Object.is(x, -0)) ? { encoding: 'PLAIN' as const } : {}),
        }
      : { name, data: column, type: 'STRING', nullable: false },
  );
  const buffer = parquetWriteBuffer({
    columnData,
    kvMetadata: [{ key: PARQUET_METADATA_KEY, value: JSON.stringify(table.metadata) }],
  });
  return new Uint8Array(buffer);
}

/**
 * Reads a Parquet file into a table, top-level columns in file order. Numbers (any integer or
 * floating type, booleans as 0/1) become `Float64Array` with nulls as NaN; everything else
 * becomes `string[]` (text, bytes as UTF-8, dates as ISO 8601, JSON values as JSON) with nulls as
 * `''`. Metadata comes from the `cellscope` key-value entry (empty for other writers' files).
 * 64-bit integers beyond ±2^53 lose precision. Corrupt bytes throw an {@link ImageFormatError},
 * nested columns (lists, structs, maps) an {@link UnsupportedError}.
 */
export async function parquetToTable(
  bytes: Uint8Array,
  options: ParquetToTableOptions = {},
): Promise<Table> {
  const { file } = options;
  const buffer = exactArrayBuffer(bytes);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(buffer);
  } catch (cause) {
    throw corrupt(cause, file);
  }
  const fields = parquetSchema(metadata).children;
  for (const field of fields) {
    if (field.children.length > 0 || field.element.repetition_type === 'REPEATED') {
      throw new UnsupportedError(
        `column "${field.element.name}" is nested (a list, struct or map); only flat columns are read`,
        { file },
      );
    }
  }
  const rowCount = Number(metadata.num_rows);
  const chunks = new Map<string, ColumnData[]>(fields.map((field) => [field.element.name, []]));
  try {
    await parquetRead({
      file: buffer,
      metadata,
      onChunk: (chunk) => chunks.get(chunk.columnName)?.push(chunk),
    });
  } catch (cause) {
    throw corrupt(cause, file);
  }
  const columns: Record<string, Column> = Object.fromEntries(
    fields.map(({ element: { name, type } }) => {
      const parts = chunks.get(name) ?? [];
      if (parts.reduce((n, part) => n + part.rowEnd - part.rowStart, 0) !== rowCount) {
        throw corrupt(new Error(`column "${name}" does not hold ${rowCount} rows`), file);
      }
      return [name, isText(parts, type) ? toText(parts, rowCount) : toNumbers(parts, rowCount)];
    }),
  );
  return { columns, rowCount, metadata: readTableMetadata(metadata, file) };
}

/** hyparquet reads an ArrayBuffer; a Uint8Array may be a window onto a larger one. */
function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) {
    return buffer;
  }
  return bytes.slice().buffer;
}

/** Text when the values say so (strings, bytes, dates), else by physical type for empty columns. */
function isText(parts: ColumnData[], type: string | undefined): boolean {
  for (const { columnData } of parts) {
    if (!Array.isArray(columnData)) return false;
    for (const value of columnData as unknown[]) {
      if (value === null || value === undefined) continue;
      return !(
        typeof value === 'number' ||
        typeof value === 'bigint' ||
        typeof value === 'boolean'
      );
    }
  }
  return type === 'BYTE_ARRAY' || type === 'FIXED_LEN_BYTE_ARRAY' || type === 'INT96';
}

function toNumbers(parts: ColumnData[], rowCount: number): Float64Array {
  const out = new Float64Array(rowCount);
  for (const { columnData, rowStart, rowEnd } of parts) {
    const n = rowEnd - rowStart;
    if (columnData instanceof Float64Array) {
      out.set(columnData.subarray(0, n), rowStart);
      continue;
    }
    for (let i = 0; i < n; i++) {
      const value: unknown = columnData[i];
      out[rowStart + i] = value === null || value === undefined ? NaN : Number(value);
    }
  }
  return out;
}

function toText(parts: ColumnData[], rowCount: number): string[] {
  const out = new Array<string>(rowCount).fill('');
  const utf8 = new TextDecoder();
  for (const { columnData, rowStart, rowEnd } of parts) {
    for (let i = 0; i < rowEnd - rowStart; i++) {
      const value: unknown = columnData[i];
      if (value === null || value === undefined) continue;
      out[rowStart + i] =
        value instanceof Uint8Array
          ? utf8.decode(value)
          : value instanceof Date
            ? value.toISOString()
            : typeof value === 'object'
              ? JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))
              : String(value);
    }
  }
  return out;
}

function readTableMetadata(metadata: FileMetaData, file: string | undefined): TableMetadata {
  const entry = metadata.key_value_metadata?.find((kv) => kv.key === PARQUET_METADATA_KEY);
  if (entry?.value === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(entry.value);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as TableMetadata;
    }
  } catch {
    // Reported below with the other malformed values.
  }
  throw new ImageFormatError(
    `the Parquet file is corrupt: its "${PARQUET_METADATA_KEY}" metadata is not a JSON object`,
    { file },
  );
}

function corrupt(cause: unknown, file: string | undefined): ImageFormatError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ImageFormatError(`the Parquet file is corrupt (${reason})`, { file, cause });
}
