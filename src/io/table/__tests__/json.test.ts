import { describe, expect, it } from 'vitest';
import { ImageFormatError } from '../../../errors.js';
import { createTable } from '../../../table/table.js';
import { jsonToTable, tableToJson } from '../json.js';

const table = createTable(
  { label: [1, 2], area: [12.5, NaN], 'centroid-0': [-0, Infinity], condition: ['a "b"', 'µm²'] },
  { units: { area: 'px²' }, source: 'cells.tif' },
);

describe('tableToJson', () => {
  it("writes pandas' orient='table' layout with records, metadata and Table Schema special numbers", () => {
    expect(tableToJson(table)).toBe(
      '{"schema":{"fields":[{"name":"label","type":"number"},{"name":"area","type":"number"},' +
        '{"name":"centroid-0","type":"number"},{"name":"condition","type":"string"}]},\n' +
        '"metadata":{"units":{"area":"px²"},"source":"cells.tif"},\n' +
        '"data":[\n' +
        '{"label":1,"area":12.5,"centroid-0":-0.0,"condition":"a \\"b\\""},\n' +
        '{"label":2,"area":null,"centroid-0":"INF","condition":"µm²"}]}\n',
    );
  });

  it('writes whole numbers past int64 in exponent form', () => {
    const text = tableToJson(createTable({ x: [-14589574657487215000, 2 ** 53, -Infinity] }));
    expect(text).toContain('{"x":-1.4589574657487215e+19},\n{"x":9007199254740992},\n{"x":"-INF"}');
  });

  it('is valid JSON for a table without rows or columns', () => {
    expect(JSON.parse(tableToJson(createTable({})))).toEqual({
      schema: { fields: [] },
      metadata: {},
      data: [],
    });
  });
});

describe('jsonToTable', () => {
  it('reads back values, column order and metadata', () => {
    const read = jsonToTable(tableToJson(table));
    expect(Object.keys(read.columns)).toEqual(Object.keys(table.columns));
    expect(read.columns.area).toEqual(Float64Array.of(12.5, NaN));
    expect(Object.is((read.columns['centroid-0'] as Float64Array)[0], -0)).toBe(true);
    expect(read.columns.condition).toEqual(['a "b"', 'µm²']);
    expect(read.metadata).toEqual(table.metadata);
  });

  it("reads pandas' to_json(orient='table') output, index included", () => {
    // pandas 1.5.3: DataFrame({'label': [1, 2, 3], 'area': [12.5, nan, inf],
    // 'condition': ['control', None, 'µm²']}).to_json(orient='table')
    const pandas =
      '{"schema":{"fields":[{"name":"index","type":"integer"},{"name":"label","type":"integer"},' +
      '{"name":"area","type":"number"},{"name":"condition","type":"string"}],"primaryKey":["index"],' +
      '"pandas_version":"1.4.0"},"data":[{"index":0,"label":1,"area":12.5,"condition":"control"},' +
      '{"index":1,"label":2,"area":null,"condition":null},' +
      '{"index":2,"label":3,"area":null,"condition":"\\u00b5m\\u00b2"}]}';
    const read = jsonToTable(pandas);
    expect(Object.keys(read.columns)).toEqual(['index', 'label', 'area', 'condition']);
    expect(read.columns.label).toEqual(Float64Array.of(1, 2, 3));
    // pandas writes inf as null.
    expect(read.columns.area).toEqual(Float64Array.of(12.5, NaN, NaN));
    expect(read.columns.condition).toEqual(['control', '', 'µm²']);
    expect(read.metadata).toEqual({});
  });

  it("reads a records array (pandas' orient='records'), inferring the column kinds", () => {
    const read = jsonToTable(
      '[{"label":1,"area":12.5,"condition":"control"},{"label":2,"area":null,"condition":null},' +
        '{"label":3,"area":null,"condition":"\\u00b5m\\u00b2","extra":true}]',
    );
    expect(Object.keys(read.columns)).toEqual(['label', 'area', 'condition', 'extra']);
    expect(read.columns.area).toEqual(Float64Array.of(12.5, NaN, NaN));
    expect(read.columns.condition).toEqual(['control', '', 'µm²']);
    expect(read.columns.extra).toEqual(['', '', 'true']);
  });

  it('accepts NaN and Infinity spellings in number fields, and keys such as "constructor"', () => {
    const read = jsonToTable(
      '{"schema":{"fields":[{"name":"x","type":"number"},{"name":"constructor","type":"number"}]},' +
        '"data":[{"x":"nan"},{"x":"-Infinity"},{"x":"inf"},{"x":-0.0}]}',
    );
    expect(read.columns.x).toEqual(Float64Array.of(NaN, -Infinity, Infinity, -0));
    expect(read.columns.constructor).toEqual(Float64Array.of(NaN, NaN, NaN, NaN));
  });

  it('gives typed errors, naming the file, for JSON that is not a table', () => {
    const bad: [string, RegExp][] = [
      ['', /malformed/],
      ['{"schema":', /malformed/],
      ['42', /neither an object nor an array/],
      ['{"data":[]}', /schema.fields/],
      ['{"schema":{"fields":[]}}', /"data" array/],
      ['{"schema":{"fields":[{"type":"number"}]},"data":[]}', /field 0 has no name/],
      ['{"schema":{"fields":[{"name":"a"},{"name":"a"}]},"data":[]}', /"a" appears twice/],
      ['{"schema":{"fields":[{"name":"a","type":"number"}]},"data":[{"a":"12"}]}', /row 1 .* "12"/],
      ['{"schema":{"fields":[{"name":"a"}]},"data":[[1]]}', /row 1 is not an object/],
      ['{"schema":{"fields":[]},"data":[],"metadata":[]}', /"metadata" is not an object/],
      ['[1, 2]', /row 1 is not an object/],
    ];
    for (const [text, message] of bad) {
      let error: unknown;
      try {
        jsonToTable(text, { file: 'cells.json' });
      } catch (caught) {
        error = caught;
      }
      expect(error, text).toBeInstanceOf(ImageFormatError);
      expect((error as ImageFormatError).message, text).toMatch(message);
      expect((error as ImageFormatError).file, text).toBe('cells.json');
    }
  });
});
