/** One column: numbers (NaN for missing; any typed array) or text. */
export type ColumnValues = ArrayLike<number> | readonly string[];

/** What the panels read of a table: its columns, all `rowCount` long; cellscope's `Table` is one. */
export interface TableLike {
  readonly columns: Readonly<Record<string, ColumnValues>>;
  readonly rowCount: number;
}

/** Whether row `row` of `table` passes a filter. */
export type RowPredicate = (table: TableLike, row: number) => boolean;

export type SortDirection = 'asc' | 'desc';

/** A filter text that does not parse or names a column the table lacks. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
}

type Comparison = '<' | '<=' | '>' | '>=' | '==' | '!=';

interface Condition {
  column: string;
  comparison: Comparison;
  value: number;
}

/** Every row passes: the predicate of an empty filter. */
export const ALL_ROWS: RowPredicate = () => true;

/**
 * Parses a filter such as `cell_area > 500 and circularity <= 0.8`: comparisons of a column with
 * a number (`<`, `<=`, `>`, `>=`, `==`, `!=`; `=` reads as `==`) joined by `and` or `&&`.
 * Column names match case-insensitively; quote a name with spaces ("mean intensity" > 5).
 * A NaN value fails every comparison but `!=`; text cells compare as `Number(text)`.
 * Empty text gives {@link ALL_ROWS}.
 *
 * @throws FilterError naming the unknown column (with close names) or the unexpected token
 */
export function parseFilter(text: string, columnNames: readonly string[]): RowPredicate {
  const tokens = tokenize(text);
  if (tokens.length === 0) return ALL_ROWS;
  const conditions: Condition[] = [];
  let i = 0;
  while (true) {
    const columnToken = tokens[i];
    if (columnToken?.kind !== 'name') {
      throw new FilterError(`expected a column name ${where(tokens, i)}`);
    }
    const column = resolveColumn(columnToken.text, columnNames);
    const operatorToken = tokens[i + 1];
    if (operatorToken?.kind !== 'operator') {
      throw new FilterError(
        `expected one of < <= > >= == != after "${columnToken.text}" ${where(tokens, i + 1)}`,
      );
    }
    const valueToken = tokens[i + 2];
    if (valueToken?.kind !== 'number') {
      throw new FilterError(
        `expected a number after "${columnToken.text} ${operatorToken.text}" ${where(tokens, i + 2)}`,
      );
    }
    const comparison = operatorToken.text === '=' ? '==' : (operatorToken.text as Comparison);
    conditions.push({ column, comparison, value: Number(valueToken.text) });
    i += 3;
    if (i === tokens.length) break;
    if (tokens[i].kind !== 'and') {
      throw new FilterError(`expected "and" ${where(tokens, i)}`);
    }
    i++;
    if (i === tokens.length) throw new FilterError('expected a comparison after the last "and"');
  }
  return (table, row) => conditions.every((c) => compare(cellNumber(table, c.column, row), c));
}

function compare(value: number, { comparison, value: threshold }: Condition): boolean {
  switch (comparison) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      // NaN !== anything, so a missing value passes `!=` only.
      return value !== threshold;
  }
}

function cellNumber(table: TableLike, column: string, row: number): number {
  const values = table.columns[column];
  if (values === undefined) return NaN;
  const value = values[row];
  return typeof value === 'number' ? value : Number(value);
}

type TokenKind = 'name' | 'number' | 'operator' | 'and';

interface Token {
  kind: TokenKind;
  text: string;
  position: number;
}

// Order matters: `and`/`&&` before names, numbers before names would not matter (names start
// with a letter), two-character operators before one-character ones.
const TOKEN_PATTERNS: readonly [TokenKind, RegExp][] = [
  ['and', /(?:and\b|&&)/iy],
  ['number', /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/iy],
  ['operator', /(?:<=|>=|==|!=|<|>|=)/y],
  // regionprops names hold hyphens and dots (`centroid-0`, `intensity_mean-1`).
  ['name', /[A-Za-z_µ][\w.\-µ²]*/y],
  ['name', /"[^"]*"|`[^`]*`|'[^']*'/y],
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    if (/\s/.test(text[position])) {
      position++;
      continue;
    }
    const token = matchToken(text, position);
    if (token === undefined) {
      throw new FilterError(`unexpected "${text.slice(position, position + 12)}"`);
    }
    tokens.push(token);
    position += token.text.length;
  }
  return tokens.map((t) =>
    t.kind === 'name' && /^["`']/.test(t.text) ? { ...t, text: t.text.slice(1, -1) } : t,
  );
}

function matchToken(text: string, position: number): Token | undefined {
  for (const [kind, pattern] of TOKEN_PATTERNS) {
    pattern.lastIndex = position;
    const match = pattern.exec(text);
    if (match) return { kind, text: match[0], position };
  }
  return undefined;
}

function where(tokens: readonly Token[], i: number): string {
  return i < tokens.length ? `at "${tokens[i].text}"` : 'at the end';
}

/** The table's spelling of `name`, matched case-insensitively. */
function resolveColumn(name: string, columnNames: readonly string[]): string {
  if (columnNames.includes(name)) return name;
  const lower = name.toLowerCase();
  const match = columnNames.find((c) => c.toLowerCase() === lower);
  if (match !== undefined) return match;
  const close = closeNames(lower, columnNames);
  const hint =
    close.length > 0
      ? `; did you mean ${close.join(', ')}?`
      : `; the columns are ${columnNames.slice(0, 5).join(', ')}${columnNames.length > 5 ? ', …' : ''}`;
  throw new FilterError(`unknown column "${name}"${hint}`);
}

/** Up to three names within a few edits of `name`, or containing it, closest first. */
function closeNames(name: string, columnNames: readonly string[]): string[] {
  const scored = columnNames.map((column) => {
    const lower = column.toLowerCase();
    const distance = editDistance(name, lower);
    const contains = lower.includes(name) || name.includes(lower);
    return { column, score: contains ? Math.min(distance, 2) : distance };
  });
  const limit = Math.max(2, Math.floor(name.length / 3));
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map((s) => s.column);
}

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The label of each row, as numbers (text through `Number`); 1, 2, … (the row number) when the
 * table has no column `labelColumn`, so a table without labels still shows.
 */
export function rowLabels(table: TableLike, labelColumn: string): Float64Array {
  const values = table.columns[labelColumn];
  return Float64Array.from({ length: table.rowCount }, (_, i) =>
    values === undefined ? i + 1 : Number(values[i]),
  );
}

/** Whether a column holds text rather than numbers. */
export function isTextColumn(values: ColumnValues): values is readonly string[] {
  return Array.isArray(values) && values.some((v) => typeof v === 'string');
}

const collator = new Intl.Collator();

/**
 * Row indices sorted by `column`, stable (equal values keep their row order), with NaN (or empty
 * text) last in both directions. Text compares as `localeCompare`.
 *
 * @throws RangeError when the table has no such column
 */
export function sortedRowOrder(
  table: TableLike,
  column: string,
  direction: SortDirection,
): Uint32Array {
  const values = table.columns[column];
  if (values === undefined) {
    throw new RangeError(
      `no column "${column}"; the columns are ${Object.keys(table.columns).join(', ')}`,
    );
  }
  const sign = direction === 'asc' ? 1 : -1;
  const order = naturalRowOrder(table.rowCount);
  if (isTextColumn(values)) {
    const text = values as readonly string[];
    order.sort((a, b) => {
      const missingA = text[a] === undefined || text[a] === '';
      const missingB = text[b] === undefined || text[b] === '';
      if (missingA || missingB) return missingA === missingB ? a - b : missingA ? 1 : -1;
      return sign * collator.compare(text[a], text[b]) || a - b;
    });
  } else {
    const numbers = values as ArrayLike<number>;
    order.sort((a, b) => {
      const x = numbers[a];
      const y = numbers[b];
      const nanX = x !== x;
      const nanY = y !== y;
      if (nanX || nanY) return nanX === nanY ? a - b : nanX ? 1 : -1;
      // The index tie-break makes the sort stable whatever the engine does.
      return x < y ? -sign : x > y ? sign : a - b;
    });
  }
  return order;
}

/** 0, 1, …, rowCount − 1: the table's own order. */
export function naturalRowOrder(rowCount: number): Uint32Array {
  const order = new Uint32Array(rowCount);
  for (let i = 0; i < rowCount; i++) order[i] = i;
  return order;
}

/** The rows that pass `predicate`, in `order` (the table's own order when undefined). */
export function visibleRows(
  table: TableLike,
  predicate: RowPredicate,
  order: Uint32Array | undefined,
): Uint32Array {
  const rows = order ?? naturalRowOrder(table.rowCount);
  if (predicate === ALL_ROWS) return rows.slice();
  const kept = new Uint32Array(rows.length);
  let n = 0;
  for (const row of rows) if (predicate(table, row)) kept[n++] = row;
  return kept.slice(0, n);
}

/**
 * A cell as text: integers in full, other numbers to 4 significant digits without trailing zeros
 * (numbers of 1000 or more rounded to an integer, never in exponent form), NaN as "–".
 */
export function formatValue(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return '–';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  if (Number.isInteger(value)) return Object.is(value, -0) ? '0' : String(value);
  if (Math.abs(value) >= 1000) return String(Math.round(value));
  const text = value.toPrecision(4);
  // toPrecision pads with zeros (0.5 → "0.5000"); keep the exponent of tiny numbers.
  const [mantissa, exponent] = text.split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}
