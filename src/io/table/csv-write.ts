import { InvalidArgumentError } from '../../errors.js';
import type { Table } from '../../table/table.js';

export interface TableToCsvOptions {
  /**
   * Significant digits to keep (1–17). Without it every number is written as the shortest decimal
   * that reads back to the same double, so the file round-trips exactly.
   * @default undefined (exact)
   */
  precision?: number;
}

/**
 * Writes a table as CSV (RFC 4180 quoting, `,` and `\n`, header row of column names) in the form
 * pandas `to_csv` writes and `read_csv` reads.
 *
 * Numbers: the shortest decimal that round-trips (JS `String(x)`, so integers have no decimal
 * point; from 2^63 on in exponent form, so no reader takes them for int64), `-0` as `-0`, NaN as
 * an empty field (pandas' convention), ±Infinity as `inf`/`-inf`. pandas reads every value back
 * exactly with `read_csv(path, float_precision='round_trip')`; its default parser can be one unit
 * in the last place off. Text is quoted only where needed (delimiter, quote, line break, byte
 * order mark, leading or trailing space), as papaparse's `unparse` decides.
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
  // A one-column row holding an empty field would be a blank line, which readers skip.
  const quoteEmpty = names.length === 1;
  const columns = names.map((name) => table.columns[name]);
  const lines = new Array<string>(table.rowCount + 2);
  lines[0] = names.map((name) => csvField(name, quoteEmpty)).join(',');
  for (let r = 0; r < table.rowCount; r++) {
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c];
      // Numbers never hold a delimiter, quote, line break or space.
      const field =
        column instanceof Float64Array
          ? numberField(column[r], precision, quoteEmpty)
          : csvField(column[r], quoteEmpty);
      line = c === 0 ? field : `${line},${field}`;
    }
    lines[r + 1] = line;
  }
  lines[table.rowCount + 1] = '';
  return lines.join('\n');
}

function numberField(x: number, precision: number | undefined, quoteEmpty: boolean): string {
  const text = formatCsvNumber(x, precision);
  return quoteEmpty && text === '' ? '""' : text;
}

/** papaparse's `safe`: double the quotes; quote on a delimiter, quote, line break, BOM or edge space. */
function csvField(text: string, quoteEmpty: boolean): string {
  const escaped = text.includes('"') ? text.replaceAll('"', '""') : text;
  const quote =
    (quoteEmpty && text === '') ||
    /[",\r\n\ufeff]/.test(text) ||
    text.startsWith(' ') ||
    text.endsWith(' ');
  return quote ? `"${escaped}"` : escaped;
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
