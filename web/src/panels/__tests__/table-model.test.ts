import type { Table } from 'cellscope/browser';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ALL_ROWS,
  FilterError,
  formatValue,
  naturalRowOrder,
  parseFilter,
  rowLabels,
  sortedRowOrder,
  type TableLike,
  visibleRows,
} from '../table-model.js';

// Five cells; row 3 lacks a nucleus (NaN), rows 0/2 and 1/4 tie on cell_area.
const table: TableLike = {
  rowCount: 5,
  columns: {
    cell_label: Float64Array.from([1, 2, 3, 4, 5]),
    cell_area: Float64Array.from([500, 300, 500, NaN, 300]),
    circularity: Float64Array.from([0.9, 0.7, 0.8, 0.5, NaN]),
    'centroid-0': Float64Array.from([-2.5, 10, 1e3, 0, -1e-3]),
    condition: ['treated', 'control', 'Control', '', 'treated'],
  },
};
const names = Object.keys(table.columns);

function rowsPassing(text: string): number[] {
  return Array.from(visibleRows(table, parseFilter(text, names), undefined));
}

describe('parseFilter', () => {
  it('keeps every row for empty or blank text', () => {
    expect(parseFilter('', names)).toBe(ALL_ROWS);
    expect(rowsPassing('   ')).toEqual([0, 1, 2, 3, 4]);
  });

  it('applies each comparison operator', () => {
    expect(rowsPassing('cell_area > 300')).toEqual([0, 2]);
    expect(rowsPassing('cell_area >= 300')).toEqual([0, 1, 2, 4]);
    expect(rowsPassing('cell_area < 500')).toEqual([1, 4]);
    expect(rowsPassing('cell_area <= 500')).toEqual([0, 1, 2, 4]);
    expect(rowsPassing('cell_area == 300')).toEqual([1, 4]);
    expect(rowsPassing('cell_area = 300')).toEqual([1, 4]);
  });

  it('lets NaN pass only !=', () => {
    expect(rowsPassing('circularity != 0.8')).toEqual([0, 1, 3, 4]);
    expect(rowsPassing('cell_area != 500')).toEqual([1, 3, 4]);
    expect(rowsPassing('cell_area < 1e9')).not.toContain(3);
    expect(rowsPassing('cell_area > -1e9')).not.toContain(3);
  });

  it('joins conditions with and / && / AND', () => {
    expect(rowsPassing('cell_area > 400 and circularity <= 0.8')).toEqual([2]);
    expect(rowsPassing('cell_area>=300&&circularity<0.85')).toEqual([1, 2]);
    expect(rowsPassing('cell_area >= 300 AND circularity < 0.85 and cell_label != 2')).toEqual([2]);
  });

  it('reads negative, decimal and scientific numbers', () => {
    expect(rowsPassing('centroid-0 < -1')).toEqual([0]);
    expect(rowsPassing('centroid-0 >= -1e-3 and centroid-0 < .5')).toEqual([3, 4]);
    expect(rowsPassing('centroid-0 == 1E3')).toEqual([2]);
    expect(rowsPassing('centroid-0 > +9.5')).toEqual([1, 2]);
  });

  it('matches column names case-insensitively, quoted names too', () => {
    expect(rowsPassing('CELL_Area > 400')).toEqual([0, 2]);
    expect(rowsPassing('"cell_area" > 400 and `Circularity` > 0.85')).toEqual([0]);
  });

  it('compares text cells as numbers, so only != passes', () => {
    expect(rowsPassing('condition > 0')).toEqual([]);
    expect(rowsPassing('condition != 0')).toEqual([0, 1, 2, 4]); // Number('') is 0
  });

  it('names an unknown column and suggests close ones', () => {
    expect(() => parseFilter('cel_area > 5', names)).toThrow(FilterError);
    expect(() => parseFilter('cel_area > 5', names)).toThrow(
      /unknown column "cel_area"; did you mean cell_area/,
    );
    expect(() => parseFilter('circ > 0.5', names)).toThrow(/did you mean circularity/);
    expect(() => parseFilter('cell_area > 1 and zzzzzzzzzz < 2', names)).toThrow(
      /unknown column "zzzzzzzzzz"; the columns are cell_label, cell_area, circularity/,
    );
  });

  it('explains syntax errors', () => {
    expect(() => parseFilter('cell_area 500', names)).toThrow(/expected one of < <= > >= == !=/);
    expect(() => parseFilter('cell_area >', names)).toThrow(/expected a number .* at the end/);
    expect(() => parseFilter('cell_area > big', names)).toThrow(/expected a number .*"big"/);
    expect(() => parseFilter('cell_area > 5 circularity < 1', names)).toThrow(/expected "and"/);
    expect(() => parseFilter('cell_area > 5 and', names)).toThrow(/after the last "and"/);
    expect(() => parseFilter('500 < cell_area', names)).toThrow(/expected a column name/);
    expect(() => parseFilter('cell_area > 5 or circularity < 1', names)).toThrow(FilterError);
    expect(() => parseFilter('cell_area ~ 5', names)).toThrow(/unexpected "~ 5"/);
  });
});

describe('sortedRowOrder', () => {
  it('sorts ascending and descending, stably', () => {
    // Ties (0, 2) and (1, 4) keep their row order in both directions.
    expect(Array.from(sortedRowOrder(table, 'cell_area', 'asc'))).toEqual([1, 4, 0, 2, 3]);
    expect(Array.from(sortedRowOrder(table, 'cell_area', 'desc'))).toEqual([0, 2, 1, 4, 3]);
  });

  it('puts NaN last in both directions', () => {
    expect(Array.from(sortedRowOrder(table, 'circularity', 'asc'))).toEqual([3, 1, 2, 0, 4]);
    expect(Array.from(sortedRowOrder(table, 'circularity', 'desc'))).toEqual([0, 2, 1, 3, 4]);
  });

  it('keeps several NaN in row order and is stable on a large table', () => {
    const n = 5000;
    const values = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : i % 10));
    const big: TableLike = { rowCount: n, columns: { v: values } };
    for (const direction of ['asc', 'desc'] as const) {
      const order = sortedRowOrder(big, 'v', direction);
      expect(order.length).toBe(n);
      for (let k = 1; k < n; k++) {
        const a = values[order[k - 1]];
        const b = values[order[k]];
        if (Number.isNaN(a)) expect(Number.isNaN(b)).toBe(true);
        else if (!Number.isNaN(b)) {
          expect(direction === 'asc' ? a <= b : a >= b).toBe(true);
          if (a === b) expect(order[k - 1]).toBeLessThan(order[k]);
        }
        if (Number.isNaN(a) && Number.isNaN(b)) expect(order[k - 1]).toBeLessThan(order[k]);
      }
    }
  });

  it('compares text with localeCompare, empty text last', () => {
    const asc = Array.from(sortedRowOrder(table, 'condition', 'asc'));
    const text = table.columns.condition as string[];
    const expected = [0, 1, 2, 4].sort((a, b) => text[a].localeCompare(text[b]) || a - b);
    expect(asc).toEqual([...expected, 3]);
    expect(asc.slice(-3)).toEqual([0, 4, 3]); // "treated" ties keep row order, "" last
    const desc = Array.from(sortedRowOrder(table, 'condition', 'desc'));
    expect(desc.slice(0, 2)).toEqual([0, 4]);
    expect(desc[4]).toBe(3);
  });

  it('sorts plain number arrays and other typed arrays', () => {
    const mixed: TableLike = {
      rowCount: 4,
      columns: { a: [3, 1, 2, 1], b: Int32Array.from([-1, 5, 0, -7]) },
    };
    expect(Array.from(sortedRowOrder(mixed, 'a', 'asc'))).toEqual([1, 3, 2, 0]);
    expect(Array.from(sortedRowOrder(mixed, 'b', 'desc'))).toEqual([1, 2, 0, 3]);
  });

  it('rejects an unknown column', () => {
    expect(() => sortedRowOrder(table, 'volume', 'asc')).toThrow(RangeError);
  });
});

describe('visibleRows', () => {
  it('filters in the given order', () => {
    const order = sortedRowOrder(table, 'circularity', 'desc');
    const predicate = parseFilter('cell_area >= 300', names);
    expect(Array.from(visibleRows(table, predicate, order))).toEqual([0, 2, 1, 4]);
  });

  it('returns the natural order without a sort, and a copy for the empty filter', () => {
    const order = naturalRowOrder(5);
    const rows = visibleRows(table, ALL_ROWS, order);
    expect(Array.from(rows)).toEqual([0, 1, 2, 3, 4]);
    expect(rows).not.toBe(order);
    expect(visibleRows(table, parseFilter('cell_area > 1e6', names), undefined).length).toBe(0);
  });
});

describe('rowLabels', () => {
  it('reads numeric and text labels, and numbers rows without a label column', () => {
    const text: TableLike = { rowCount: 2, columns: { id: ['7', '8'], v: [1, 2] } };
    expect(Array.from(rowLabels(text, 'id'))).toEqual([7, 8]);
    expect(Array.from(rowLabels(table, 'cell_label'))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(rowLabels(text, 'label'))).toEqual([1, 2]);
  });
});

describe('formatValue', () => {
  it.each([
    [42, '42'],
    [-7, '-7'],
    [0, '0'],
    [-0, '0'],
    [123456789, '123456789'],
    [0.0001234, '0.0001234'],
    [0.00012346, '0.0001235'],
    [12345.678, '12346'],
    [1234.5, '1235'],
    [3.14159, '3.142'],
    [0.5, '0.5'],
    [-0.25, '-0.25'],
    [999.96, '1000'],
    [1.5e-9, '1.5e-9'],
    [NaN, '–'],
    [Infinity, '∞'],
    [-Infinity, '−∞'],
    ['treated', 'treated'],
  ])('%s → %s', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });
});

it('accepts a cellscope Table', () => {
  expectTypeOf<Table>().toExtend<TableLike>();
});
