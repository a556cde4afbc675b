// The column table every layer passes on: measure builds it, io reads and writes it.
import { InvalidArgumentError } from '../errors.js';

/** One column: numbers (NaN for missing) or text. */
export type Column = Float64Array | string[];

/** What a table says about itself: units per column (e.g. `µm²`), where it came from, … */
export interface TableMetadata {
  /** Unit of each column that has one, by column name. */
  units?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * A small column table, tidy like `regionprops_table`'s output: one row per object, columns in
 * insertion order, every column `rowCount` long.
 */
export interface Table {
  readonly columns: Readonly<Record<string, Column>>;
  readonly rowCount: number;
  readonly metadata: TableMetadata;
}

/** Builds a table after checking that every column has the same length. */
export function createTable(
  columns: Record<string, Column | ArrayLike<number>>,
  metadata: TableMetadata = {},
): Table {
  const normalised: Record<string, Column> = {};
  let rowCount: number | undefined;
  for (const [name, column] of Object.entries(columns)) {
    const values: Column =
      Array.isArray(column) && typeof column[0] === 'string'
        ? (column as string[])
        : toFloat64(column);
    if (rowCount === undefined) rowCount = values.length;
    else if (values.length !== rowCount) {
      throw new InvalidArgumentError(
        `column "${name}" has ${values.length} rows, the others ${rowCount}`,
      );
    }
    normalised[name] = values;
  }
  return { columns: normalised, rowCount: rowCount ?? 0, metadata };
}

function toFloat64(column: Column | ArrayLike<number>): Float64Array {
  return column instanceof Float64Array ? column : Float64Array.from(column as ArrayLike<number>);
}

export function columnNames(table: Table): string[] {
  return Object.keys(table.columns);
}

/** A numeric column by name, with an error that lists the columns there are. */
export function numericColumn(table: Table, name: string): Float64Array {
  const column = table.columns[name];
  if (!(column instanceof Float64Array)) {
    throw new InvalidArgumentError(
      column === undefined
        ? `no column "${name}"; the columns are ${columnNames(table).join(', ')}`
        : `column "${name}" holds text, not numbers`,
    );
  }
  return column;
}
