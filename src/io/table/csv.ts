import Papa from 'papaparse';
import { ImageFormatError } from '../../errors.js';
import type { Column, Table } from '../../table/table.js';

// Writing needs no parser: the writer lives apart, so `cellscope measure` never loads papaparse.
export { tableToCsv, type TableToCsvOptions } from './csv-write.js';

export interface CsvToTableOptions {
  /** The file the text came from, named in errors. */
  file?: string;
}

/** pandas `read_csv`'s default missing-value markers (`STR_NA_VALUES`). */
const MISSING = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITE = /^([+-]?)(?:inf|infinity)$/i;

/**
 * Reads CSV text (header row of column names, `,`-separated, any line ending, optional BOM).
 *
 * A column whose every value is a number or a missing marker becomes a `Float64Array` (missing →
 * NaN), every other column a `string[]` holding the text as written. The markers are pandas'
 * defaults (empty, `NaN`, `nan`, `NA`, `null`, …); `inf`, `-inf`, `Infinity` read as ±Infinity.
 * Hence text that only ever looks like numbers (or is empty) comes back as numbers, and the
 * columns of a table without rows come back numeric. Blank lines are skipped, as pandas does.
 * The table has no metadata. Malformed text (unclosed quote, duplicate column name, a row with
 * the wrong number of fields) throws an {@link ImageFormatError}.
 */
export function csvToTable(text: string, options: CsvToTableOptions = {}): Table {
  const { file } = options;
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.trim() === '') {
    throw new ImageFormatError('the CSV text is empty: it has no header row', { file });
  }
  const parsed = Papa.parse<string[]>(source, { delimiter: ',', header: false });
  const quoteError = parsed.errors.find((error) => error.type === 'Quotes');
  if (quoteError) {
    throw new ImageFormatError(
      `the CSV text is malformed: ${quoteError.message.toLowerCase()} in row ${(quoteError.row ?? 0) + 1}`,
      { file, hint: 'quotes inside a field must be doubled and the field quoted' },
    );
  }
  const [names, ...records] = parsed.data;
  // The final line break leaves one empty record behind.
  if (/[\r\n]$/.test(source) && isBlank(records[records.length - 1])) records.pop();
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new ImageFormatError(`the CSV header names column "${name}" twice`, { file });
    }
    seen.add(name);
  }
  // With one column an empty field is a value (written quoted, `""`), so only wider tables skip.
  const rows = names.length === 1 ? records : records.filter((row) => !isBlank(row));
  rows.forEach((row, r) => {
    if (row.length !== names.length) {
      throw new ImageFormatError(
        `row ${r + 1} of the CSV text has ${row.length} fields, the header ${names.length}`,
        { file },
      );
    }
  });
  // fromEntries, not assignment, so a column named `__proto__` stays a column.
  const columns: Record<string, Column> = Object.fromEntries(
    names.map((name, c) => {
      const values = rows.map((row) => row[c]);
      return [
        name,
        values.every(isNumberOrMissing) ? Float64Array.from(values, parseNumber) : values,
      ];
    }),
  );
  return { columns, rowCount: rows.length, metadata: {} };
}

function isBlank(row: string[] | undefined): boolean {
  return row !== undefined && row.length === 1 && row[0] === '';
}

function isNumberOrMissing(value: string): boolean {
  if (MISSING.has(value)) return true;
  const trimmed = value.trim();
  return DECIMAL.test(trimmed) || INFINITE.test(trimmed);
}

function parseNumber(value: string): number {
  if (MISSING.has(value)) return NaN;
  const trimmed = value.trim();
  const infinite = INFINITE.exec(trimmed);
  if (infinite) return infinite[1] === '-' ? -Infinity : Infinity;
  return Number(trimmed);
}
