import { ImageFormatError } from '../../errors.js';
import type { Column, Table, TableMetadata } from '../../table/table.js';

export interface JsonToTableOptions {
  /** The file the text came from, named in errors. */
  file?: string;
}

/**
 * Writes a table as JSON in the Table Schema layout pandas writes with `to_json(orient='table')`,
 * plus the metadata:
 *
 * ```json
 * {"schema":{"fields":[{"name":"label","type":"number"},{"name":"condition","type":"string"}]},
 *  "metadata":{"units":{"area":"px²"}},
 *  "data":[
 *   {"label":1,"condition":"control"},
 *   …]}
 * ```
 *
 * `pd.read_json(path, orient='table')` reads it with the column order and types, and `data` alone
 * is a records array (`pd.DataFrame(json.load(f)['data'])`). Numbers are written as the shortest
 * decimal that round-trips (exponent form from 2^63 on), `-0` as `-0.0`, NaN as `null`, ±Infinity
 * as the strings `"INF"` / `"-INF"` (Table Schema's spelling, which pandas' float conversion
 * accepts). pandas reads the numbers exactly only with `precise_float=True` (which rejects
 * subnormals below 2.2e-308); Python's `json` module reads them all exactly. `table.metadata` goes
 * under `metadata` verbatim, so it must be JSON-serialisable.
 */
export function tableToJson(table: Table): string {
  const names = Object.keys(table.columns);
  const fields = names.map((name) => ({
    name,
    type: table.columns[name] instanceof Float64Array ? 'number' : 'string',
  }));
  const keys = names.map((name) => `${JSON.stringify(name)}:`);
  const columns = names.map((name) => table.columns[name]);
  const out: string[] = [
    `{"schema":${JSON.stringify({ fields })},\n"metadata":${JSON.stringify(table.metadata)},\n"data":[`,
  ];
  for (let r = 0; r < table.rowCount; r++) {
    const cells = new Array<string>(columns.length);
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c];
      cells[c] =
        keys[c] +
        (column instanceof Float64Array ? formatJsonNumber(column[r]) : JSON.stringify(column[r]));
    }
    out.push(`${r === 0 ? '\n' : ',\n'}{${cells.join(',')}}`);
  }
  out.push(']}\n');
  return out.join('');
}

function formatJsonNumber(x: number): string {
  if (Number.isNaN(x)) return 'null';
  if (x === Infinity) return '"INF"';
  if (x === -Infinity) return '"-INF"';
  // `-0.0`, not `-0`: Python's json and pandas read an integer literal as int 0.
  if (Object.is(x, -0)) return '-0.0';
  // Whole numbers past int64 in exponent form: pandas' JSON parser fails on such integers.
  return Math.abs(x) >= 2 ** 63 ? x.toExponential() : String(x);
}

/**
 * Reads JSON written by {@link tableToJson} or by pandas: a Table Schema object
 * (`{"schema":{"fields":[…]},"data":[records]}`, as `to_json(orient='table')`, whose `index`
 * field becomes a column) or a bare records array (`to_json(orient='records')`).
 *
 * `number` and `integer` fields become `Float64Array` (`null` → NaN; the strings `NaN`, `INF`,
 * `-INF`, `Infinity`, `-Infinity` in any case are accepted), other fields `string[]` (`null` →
 * `''`, numbers and booleans as their JSON text). In a records array a column of numbers and nulls
 * is numeric, any other text; columns follow the order keys first appear. Metadata comes from
 * `metadata` (empty when absent). Anything else throws an {@link ImageFormatError}.
 */
export function jsonToTable(text: string, options: JsonToTableOptions = {}): Table {
  const { file } = options;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    throw new ImageFormatError(`the JSON text is malformed (${(cause as Error).message})`, {
      file,
      cause,
    });
  }
  const malformed = (what: string): ImageFormatError =>
    new ImageFormatError(`the JSON text is not a table: ${what}`, {
      file,
      hint: 'expected {"schema":{"fields":[…]},"data":[…]} or an array of records',
    });

  let fields: { name: string; numeric: boolean }[];
  let records: unknown[];
  let metadata: TableMetadata = {};
  if (Array.isArray(document)) {
    records = document;
    fields = inferFields(records, malformed);
  } else if (isObject(document)) {
    const { schema, data } = document;
    if (!isObject(schema) || !Array.isArray(schema.fields)) throw malformed('no "schema.fields"');
    if (!Array.isArray(data)) throw malformed('no "data" array');
    records = data;
    fields = schema.fields.map((field: unknown, i: number) => {
      if (!isObject(field) || typeof field.name !== 'string') {
        throw malformed(`schema field ${i} has no name`);
      }
      return { name: field.name, numeric: field.type === 'number' || field.type === 'integer' };
    });
    if (document.metadata !== undefined) {
      if (!isObject(document.metadata)) throw malformed('"metadata" is not an object');
      metadata = document.metadata as TableMetadata;
    }
  } else {
    throw malformed('neither an object nor an array');
  }

  const seen = new Set<string>();
  for (const { name } of fields) {
    if (seen.has(name)) throw malformed(`column "${name}" appears twice`);
    seen.add(name);
  }
  records.forEach((record, r) => {
    if (!isObject(record)) throw malformed(`row ${r + 1} is not an object`);
  });
  const rows = records as Record<string, unknown>[];
  const columns: Record<string, Column> = Object.fromEntries(
    fields.map(({ name, numeric }) => [
      name,
      numeric
        ? Float64Array.from(rows, (row, r) => {
            const value = toNumber(own(row, name));
            if (value === undefined) {
              throw malformed(
                `row ${r + 1} of number column "${name}" holds ${JSON.stringify(own(row, name))}`,
              );
            }
            return value;
          })
        : rows.map((row) => toText(own(row, name))),
    ]),
  );
  return { columns, rowCount: rows.length, metadata };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A record's own value, so a missing `constructor` key is not Object's constructor. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return NaN;
  if (typeof value !== 'string') return undefined;
  const special = SPECIAL.exec(value);
  if (!special) return undefined;
  if (special[2].toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function inferFields(
  records: unknown[],
  malformed: (what: string) => ImageFormatError,
): { name: string; numeric: boolean }[] {
  const numeric = new Map<string, boolean>();
  records.forEach((record, r) => {
    if (!isObject(record)) throw malformed(`row ${r + 1} is not an object`);
    for (const [name, value] of Object.entries(record)) {
      const isNumber = typeof value === 'number' || value === null;
      numeric.set(name, (numeric.get(name) ?? true) && isNumber);
    }
  });
  return [...numeric].map(([name, isNumber]) => ({ name, numeric: isNumber }));
}
