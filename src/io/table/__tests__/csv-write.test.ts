import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../synth/random.js';
import type { Column, Table } from '../../../table/table.js';
import { csvToTable, tableToCsv } from '../csv.js';

// The CSV writer quotes as papaparse's `unparse` does, without loading papaparse: checked here
// against `unparse` itself on random text full of delimiters, quotes, line breaks, byte order
// marks and edge spaces, and on numbers of every kind.

/** What tableToCsv wrote with papaparse: numbers formatted, then `unparse` with our settings. */
function papaparseCsv(table: Table): string {
  const names = Object.keys(table.columns);
  if (names.length === 0) return '';
  const text = (column: Column, r: number): string => {
    if (!(column instanceof Float64Array)) return column[r];
    const x = column[r];
    if (Number.isNaN(x)) return '';
    if (Math.abs(x) === Infinity) return x > 0 ? 'inf' : '-inf';
    if (Object.is(x, -0)) return '-0';
    return Math.abs(x) >= 2 ** 63 ? x.toExponential() : String(x);
  };
  const rows = [names];
  for (let r = 0; r < table.rowCount; r++) {
    rows.push(names.map((name) => text(table.columns[name], r)));
  }
  const body = Papa.unparse(rows, {
    delimiter: ',',
    newline: '\n',
    quotes: names.length === 1 ? (value: unknown) => value === '' : false,
  });
  return `${body}\n`;
}

const PIECES = ['a', 'é', ' ', ',', '"', '\n', '\r', '\ufeff', '1', '-', '.', 'x y', '""', ''];
const NUMBERS = [
  0,
  -0,
  1,
  -2.5,
  0.1 + 0.2,
  1e21,
  2 ** 63,
  -(2 ** 64),
  1e-7,
  NaN,
  Infinity,
  -Infinity,
];

function randomTable(seed: number, columns: number, rows: number): Table {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const word = () => Array.from({ length: Math.floor(next() * 4) }, () => pick(PIECES)).join('');
  const table: Record<string, Column> = {};
  for (let c = 0; c < columns; c++) {
    const name = c === 0 ? word() || 'first' : `${word()}-${c}`;
    table[name] =
      next() < 0.5
        ? Float64Array.from({ length: rows }, () => pick(NUMBERS))
        : Array.from({ length: rows }, word);
  }
  return { columns: table, rowCount: rows, metadata: {} };
}

describe('tableToCsv quotes as papaparse does', () => {
  const cases = Array.from({ length: 40 }, (_, seed) =>
    randomTable(seed + 1, 1 + (seed % 4), seed % 7),
  );
  it.each(cases.map((table, i) => [i, table] as const))('random table %i', (_i, table) => {
    expect(tableToCsv(table)).toBe(papaparseCsv(table));
  });
  expect(cases).toHaveLength(40);

  it('reads back what it wrote', () => {
    const table = randomTable(99, 3, 20);
    const back = csvToTable(tableToCsv(table));
    expect(Object.keys(back.columns)).toEqual(Object.keys(table.columns));
    expect(back.rowCount).toBe(20);
  });
});
