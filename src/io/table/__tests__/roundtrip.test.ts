import { describe, expect, it } from 'vitest';
import type { Column, Table } from '../../../table/table.js';
import {
  csvToTable,
  jsonToTable,
  parquetToTable,
  tableToCsv,
  tableToJson,
  tableToParquet,
} from '../index.js';
import { seededRandom as seeded } from '../../../synth/random.js';

const SPECIALS = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  5e-324,
  -5e-324,
  Number.MAX_VALUE,
  -Number.MIN_VALUE,
];
const TEXT_PIECES = [
  'control',
  'a, b',
  'say "hi"',
  '"',
  'line\nbreak',
  'crlf\r\nbreak',
  'µm²',
  '细胞核',
  '🧫 petri',
  'e\u0301',
  ' padded ',
  '',
  '1.5',
  'nan',
  'NA',
  '=SUM(A1)',
  '\t',
];

/** 100,000 rows: ten numeric columns covering the awkward doubles, and one awkward text column. */
function awkwardTable(rowCount = 100_000): Table {
  const random = seeded(20240611);
  const bits = new DataView(new ArrayBuffer(8));
  const make = (f: (i: number) => number): Float64Array =>
    Float64Array.from({ length: rowCount }, (_, i) => f(i));
  const columns: Record<string, Column> = {
    label: make((i) => i + 1),
    uniform: make(() => random() * 2 - 1),
    tiny: make(() => (random() - 0.5) * 10 ** -Math.floor(random() * 324)),
    huge: make(() => (random() - 0.5) * 10 ** Math.floor(random() * 309)),
    'big-integer': make(() => Math.round((random() - 0.5) * 2 ** 54)),
    decimal: make(() => Math.round((random() - 0.5) * 1e6) / 1000),
    float32: make(() => Math.fround(random() * 1e3)),
    specials: make((i) => (i % 3 === 0 ? SPECIALS[(i / 3) % SPECIALS.length] : random())),
    // Any bit pattern; NaNs made canonical, since no text format keeps a NaN's payload.
    'raw-bits': make(() => {
      bits.setUint32(0, Math.floor(random() * 2 ** 32));
      bits.setUint32(4, Math.floor(random() * 2 ** 32));
      const x = bits.getFloat64(0);
      return Number.isNaN(x) ? NaN : x;
    }),
    'centroid-0': make(() => (random() < 0.05 ? NaN : random() * 2048)),
    condition: Array.from({ length: rowCount }, () => {
      const n = 1 + Math.floor(random() * 3);
      return Array.from(
        { length: n },
        () => TEXT_PIECES[Math.floor(random() * TEXT_PIECES.length)],
      ).join('');
    }),
  };
  return {
    columns,
    rowCount,
    metadata: { units: { 'centroid-0': 'px', tiny: 'µm²' }, source: 'synthetic' },
  };
}

/** Same names in the same order, and every double bit for bit (so -0 ≠ 0, NaN = NaN). */
function expectSameColumns(actual: Table, expected: Table): void {
  expect(Object.keys(actual.columns)).toEqual(Object.keys(expected.columns));
  expect(actual.rowCount).toBe(expected.rowCount);
  for (const [name, column] of Object.entries(expected.columns)) {
    const read = actual.columns[name];
    if (column instanceof Float64Array) {
      expect(read, name).toBeInstanceOf(Float64Array);
      const want = new BigUint64Array(column.buffer, column.byteOffset, column.length);
      const got = new BigUint64Array((read as Float64Array).slice().buffer);
      const first = want.findIndex((bitsWanted, i) => bitsWanted !== got[i]);
      expect(
        first === -1
          ? 'all equal'
          : `row ${first}: ${(read as Float64Array)[first]} ≠ ${column[first]}`,
        name,
      ).toBe('all equal');
    } else {
      expect(Array.isArray(read), name).toBe(true);
      const first = column.findIndex((value, i) => value !== (read as string[])[i]);
      expect(
        first === -1 ? 'all equal' : `row ${first}: ${JSON.stringify((read as string[])[first])}`,
        name,
      ).toBe('all equal');
    }
  }
}

describe('a 100,000-row table of awkward values', () => {
  const table = awkwardTable();

  it('has every special value it claims', () => {
    const specials = table.columns.specials as Float64Array;
    expect(specials.some((x) => Object.is(x, -0))).toBe(true);
    expect(specials.some(Number.isNaN)).toBe(true);
    expect(specials.includes(-Infinity)).toBe(true);
    expect(
      (table.columns.tiny as Float64Array).some(
        (x) => x !== 0 && Math.abs(x) < 2.2250738585072014e-308,
      ),
    ).toBe(true);
    expect((table.columns['big-integer'] as Float64Array).some((x) => Math.abs(x) > 2 ** 31)).toBe(
      true,
    );
  });

  it('round-trips through CSV exactly (values; CSV keeps no metadata)', () => {
    const read = csvToTable(tableToCsv(table));
    expectSameColumns(read, table);
    expect(read.metadata).toEqual({});
  });

  it('round-trips through Parquet exactly, metadata included', async () => {
    const read = await parquetToTable(tableToParquet(table));
    expectSameColumns(read, table);
    expect(read.metadata).toEqual(table.metadata);
  });

  it('round-trips through JSON exactly, metadata included', () => {
    const read = jsonToTable(tableToJson(table));
    expectSameColumns(read, table);
    expect(read.metadata).toEqual(table.metadata);
  });
});

describe('small tables', () => {
  const cases: [string, Table][] = [
    [
      'one numeric column with NaN rows',
      { columns: { a: Float64Array.of(NaN, 1, NaN) }, rowCount: 3, metadata: {} },
    ],
    [
      'one text column with empty strings',
      { columns: { s: ['', 'x', ''] }, rowCount: 3, metadata: {} },
    ],
    [
      'a column named __proto__',
      {
        columns: Object.fromEntries([['__proto__', Float64Array.of(1)]]),
        rowCount: 1,
        metadata: {},
      },
    ],
    [
      'odd column names',
      {
        columns: { 'a,b': Float64Array.of(1), 'say "x"': ['q'], 'µm²\nline': Float64Array.of(-0) },
        rowCount: 1,
        metadata: {},
      },
    ],
  ];
  for (const [what, table] of cases) {
    it(`${what}: CSV, Parquet and JSON`, async () => {
      expectSameColumns(csvToTable(tableToCsv(table)), table);
      expectSameColumns(await parquetToTable(tableToParquet(table)), table);
      expectSameColumns(jsonToTable(tableToJson(table)), table);
    });
  }

  it('keeps text columns of a table without rows in Parquet and JSON, not CSV', async () => {
    const table: Table = { columns: { n: new Float64Array(0), s: [] }, rowCount: 0, metadata: {} };
    expectSameColumns(await parquetToTable(tableToParquet(table)), table);
    expectSameColumns(jsonToTable(tableToJson(table)), table);
    // CSV has only a header left, from which no column can be told to be text.
    const csv = csvToTable(tableToCsv(table));
    expect(csv.rowCount).toBe(0);
    expect(csv.columns.s).toBeInstanceOf(Float64Array);
  });
});
