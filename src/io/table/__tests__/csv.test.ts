import { describe, expect, it } from 'vitest';
import { ImageFormatError, InvalidArgumentError } from '../../../errors.js';
import { createTable } from '../../../table/table.js';
import { csvToTable, tableToCsv } from '../csv.js';

describe('tableToCsv', () => {
  it('writes what pandas to_csv writes: NaN empty, inf, integers without a point', () => {
    const table = createTable({
      label: [1, 2, 3],
      area: [12.5, NaN, Infinity],
      condition: ['control', '', 'µm²'],
    });
    // pandas 1.5.3: df.to_csv(index=False), with label int64 and area 12.5 / nan / inf.
    expect(tableToCsv(table)).toBe('label,area,condition\n1,12.5,control\n2,,\n3,inf,µm²\n');
  });

  it('writes -0, -inf, shortest round-trip decimals and exponent form past 2^63', () => {
    const table = createTable({ x: [-0, -Infinity, 0.1, 1 / 3, 1e21, 2 ** 63, 2 ** 62, 5e-324] });
    expect(tableToCsv(table).split('\n')).toEqual([
      'x',
      '-0',
      '-inf',
      '0.1',
      '0.3333333333333333',
      '1e+21',
      '9.223372036854776e+18',
      '4611686018427388000',
      '5e-324',
      '',
    ]);
  });

  it('quotes text only where needed, and a lone empty field so the line is not blank', () => {
    const table = createTable({ s: ['plain', 'a,b', 'say "hi"', 'two\nlines', ' pad', 'x'] });
    expect(tableToCsv(table)).toBe('s\nplain\n"a,b"\n"say ""hi"""\n"two\nlines"\n" pad"\nx\n');
    expect(tableToCsv(createTable({ x: [NaN, 1] }))).toBe('x\n""\n1\n');
  });

  it('rounds to `precision` significant digits', () => {
    const table = createTable({ x: [1 / 3, 123456.789, -0.000123456, -1e-30, NaN] });
    expect(tableToCsv(table, { precision: 3 })).toBe('x\n0.333\n123000\n-0.000123\n-1e-30\n""\n');
    expect(() => tableToCsv(table, { precision: 0 })).toThrow(InvalidArgumentError);
    expect(() => tableToCsv(table, { precision: 2.5 })).toThrow(InvalidArgumentError);
  });

  it('writes nothing for a table without columns', () => {
    expect(tableToCsv(createTable({}))).toBe('');
  });
});

describe('csvToTable', () => {
  it('reads pandas output: NaN markers and inf', () => {
    const table = csvToTable('label,area,condition\n1,12.5,control\n2,,\n3,inf,µm²\n');
    expect(table.rowCount).toBe(3);
    expect(table.columns.label).toEqual(Float64Array.of(1, 2, 3));
    expect(table.columns.area).toEqual(Float64Array.of(12.5, NaN, Infinity));
    expect(table.columns.condition).toEqual(['control', '', 'µm²']);
    expect(table.metadata).toEqual({});
  });

  it("accepts pandas' missing markers, Infinity spellings, CRLF, a BOM and no final newline", () => {
    const table = csvToTable('\ufeffx,y\r\nNA,-Infinity\r\nnull,+inf\r\n N/A ,1e3\r\n1.#QNAN,  2 ');
    expect(Array.from(table.columns.y as Float64Array)).toEqual([-Infinity, Infinity, 1000, 2]);
    // ' N/A ' is not a marker (pandas matches them exactly), so x is text.
    expect(table.columns.x).toEqual(['NA', 'null', ' N/A ', '1.#QNAN']);
  });

  it('skips blank lines in wider tables, as pandas does', () => {
    expect(csvToTable('a,b\n1,2\n\n3,4\n').columns.a).toEqual(Float64Array.of(1, 3));
  });

  it('reads text that only looks numeric as numbers (CSV does not say which columns are text)', () => {
    const table = csvToTable('id,empty\n007,\n1.50,\n');
    expect(table.columns.id).toEqual(Float64Array.of(7, 1.5));
    expect(table.columns.empty).toEqual(Float64Array.of(NaN, NaN));
  });

  it('gives typed errors, naming the file, for text that is not a table', () => {
    const bad: [string, RegExp][] = [
      ['', /empty/],
      ['  \n', /empty/],
      ['a,b\n"open,1\n', /malformed/],
      ['a,b\n1,2,3\n', /row 1 .* 3 fields, the header 2/],
      ['a,b\n1\n', /row 1 .* 1 fields/],
      ['a,a\n1,2\n', /column "a" twice/],
    ];
    for (const [text, message] of bad) {
      let error: unknown;
      try {
        csvToTable(text, { file: 'cells.csv' });
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(text)).toBeInstanceOf(ImageFormatError);
      expect((error as ImageFormatError).message).toMatch(message);
      expect((error as ImageFormatError).file).toBe('cells.csv');
    }
  });
});
