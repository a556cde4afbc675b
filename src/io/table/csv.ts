import Papa from 'papaparse';
import { ImageFormatError, InvalidArgumentError } from '../../errors.js';
import type { Column, Table } from '../../table/table.js';

export interface TableToCsvOptions {
  /**
   * Significant digits to keep (1–17). Without it every number is written as the shortest decimal
   * that reads back to the same double, so the file round-trips exactly.
   * @default undefined (exact)
   */
  precision?: number;
}

export interface CsvToTableOptions {
  /** The file the text came from, named in errors. */
  file?: string;
}

/**
 * Writes a table as CSV (RFC 4180 quoting, `,` and `\n`, header row of column names) in the form
 * pandas `to_csv` writes and `read_csv` reads.
 *
 * Numbers: the shortest decimal that round-trips (JS `String(x)`, so integers have no decimal
 * point; from 2^63 on in exponent form, so no reader takes them for int64), `-0` as `-0`, NaN as
 * an empty field (pandas' convention), ±Infinity as `inf`/`-inf`. pandas reads every value back
 * exactly with `read_csv(path, float_precision='round_trip')`; its default parser can be one unit
 * in the last place off. Text is quoted only where needed (delimiter, quote, line break, leading or
 * trailing space).
 *
 * CSV keeps no metadata: units and the rest of `table.metadata` are not written; use Parquet or
 * JSON to keep them. Column types are not written either: {@link csvToTable} infers them.
 */
export function tableToCsv(table: Table, options: TableToCsvOptions = {}): string {
  const { precision } = options;
  if (
    precision !== undefined &&
    !(Number.isInteger(precision) && precision >= 1 && precision <= 17)
  ) {
    throw new InvalidArgumentError(`precision must be an integer from 1 to 17, not ${precision}`);
  }
  const names = Object.keys(table.columns);
  if (names.length === 0) return '';
  const columns = names.map((name) => {
    const column = table.columns[name];
    if (!(column instanceof Float64Array)) return column;
    const text = new Array<string>(column.length);
    for (let i = 0; i < column.length; i++) text[i] = formatCsvNumber(column[i], precision);
    return text;
  });
  const rows: string[][] = [names];
  for (let r = 0; r < table.rowCount; r++) {
    const row = new Array<string>(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = columns[c][r];
    rows.push(row);
  }
  const body = Papa.unparse(rows, {
    delimiter: ',',
    newline: '\n',
    // A one-column row holding an empty field would be a blank line, which readers skip.
    quotes: names.length === 1 ? (value: unknown) => value === '' : false,
  });
  return `${body}\n`;
}

function formatCsvNumber(x: number, precision: number | undefined): string {
  if (Number.isNaN(x)) return '';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  const rounded = precision === undefined ? x : Number(x.toPrecision(precision));
  if (Object.is(rounded, -0)) return '-0';
  // Whole numbers past int64 in exponent form, or readers parse them as overflowing integers.
  return Math.abs(rounded) >= 2 ** 63 ? rounded.toExponential() : String(rounded);
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
