import { parquetMetadata, parquetSchema } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { ImageFormatError, UnsupportedError } from '../../../errors.js';
import { createTable } from '../../../table/table.js';
import { PARQUET_METADATA_KEY, parquetToTable, tableToParquet } from '../parquet.js';

const table = createTable(
  { label: [1, 2, 3], 'area-µm²': [12.5, NaN, -Infinity], condition: ['control', '', '细胞核'] },
  { units: { 'area-µm²': 'µm²' }, pixelSizeUm: 0.325, channels: ['DAPI', 'GFP'] },
);

describe('tableToParquet', () => {
  it('writes DOUBLE and UTF-8 columns in order, and the metadata as JSON under "cellscope"', () => {
    const metadata = parquetMetadata(tableToParquet(table));
    expect(Number(metadata.num_rows)).toBe(3);
    const columns = parquetSchema(metadata).children.map(({ element }) => [
      element.name,
      element.type,
      element.converted_type,
      element.repetition_type,
    ]);
    expect(columns).toEqual([
      ['label', 'DOUBLE', undefined, 'REQUIRED'],
      ['area-µm²', 'DOUBLE', undefined, 'REQUIRED'],
      ['condition', 'BYTE_ARRAY', 'UTF8', 'REQUIRED'],
    ]);
    const entry = metadata.key_value_metadata?.find((kv) => kv.key === PARQUET_METADATA_KEY);
    expect(JSON.parse(entry?.value ?? 'null')).toEqual(table.metadata);
  });
});

describe('parquetToTable', () => {
  it('reads back columns, values and metadata', async () => {
    const read = await parquetToTable(tableToParquet(table));
    expect(Object.keys(read.columns)).toEqual(['label', 'area-µm²', 'condition']);
    expect(read.columns.label).toEqual(Float64Array.of(1, 2, 3));
    expect(read.columns['area-µm²']).toEqual(Float64Array.of(12.5, NaN, -Infinity));
    expect(read.columns.condition).toEqual(['control', '', '细胞核']);
    expect(read.metadata).toEqual(table.metadata);
  });

  it('keeps -0 apart from 0 in a column repetitive enough to tempt dictionary encoding', async () => {
    const zeros = Float64Array.from({ length: 5000 }, (_, i) => (i % 2 ? -0 : 0));
    const read = await parquetToTable(tableToParquet(createTable({ zeros })));
    const signs = Array.from(read.columns.zeros as Float64Array, (x) => Object.is(x, -0));
    expect(signs).toEqual(Array.from(zeros, (x) => Object.is(x, -0)));
  });

  it('reads bytes that are a window onto a larger buffer', async () => {
    const bytes = tableToParquet(table);
    const padded = new Uint8Array(bytes.length + 16);
    padded.set(bytes, 7);
    const read = await parquetToTable(padded.subarray(7, 7 + bytes.length));
    expect(read.columns.condition).toEqual(table.columns.condition);
  });

  it("reads other writers' nullable, integer, boolean, timestamp and JSON columns", async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'i32', data: [1, null, 3], type: 'INT32' },
        { name: 'i64', data: [2n ** 40n, null, -5n], type: 'INT64' },
        { name: 'flag', data: [true, false, null], type: 'BOOLEAN' },
        { name: 'f32', data: [1.5, null, 0.25], type: 'FLOAT' },
        { name: 'text', data: ['x', null, 'z'], type: 'STRING' },
        { name: 'when', data: [new Date(0), null, new Date(86_400_000)], type: 'TIMESTAMP' },
        { name: 'json', data: [{ a: 1 }, null, [1, 2]], type: 'JSON' },
      ],
    });
    const read = await parquetToTable(new Uint8Array(bytes));
    expect(read.rowCount).toBe(3);
    expect(read.columns.i32).toEqual(Float64Array.of(1, NaN, 3));
    expect(read.columns.i64).toEqual(Float64Array.of(2 ** 40, NaN, -5));
    expect(read.columns.flag).toEqual(Float64Array.of(1, 0, NaN));
    expect(read.columns.f32).toEqual(Float64Array.of(1.5, NaN, 0.25));
    expect(read.columns.text).toEqual(['x', '', 'z']);
    expect(read.columns.when).toEqual(['1970-01-01T00:00:00.000Z', '', '1970-01-02T00:00:00.000Z']);
    expect(read.columns.json).toEqual(['{"a":1}', '', '[1,2]']);
    expect(read.metadata).toEqual({});
  });

  it('refuses nested columns with an UnsupportedError', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [{ name: 'spots', data: [[1, 2], [3]] }],
      schema: [
        { name: 'root', num_children: 1 },
        { name: 'spots', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'INT32', repetition_type: 'OPTIONAL' },
      ],
    });
    await expect(parquetToTable(new Uint8Array(bytes))).rejects.toThrow(UnsupportedError);
  });

  it('says the Parquet file is corrupt, as an ImageFormatError naming the file', async () => {
    const good = tableToParquet(table);
    const flipped = good.slice();
    // Wreck the footer length, so the metadata cannot be where it says.
    flipped[good.length - 6] ^= 0xff;
    const broken: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['CSV text', new TextEncoder().encode('a,b\n1,2\n')],
      ['truncated', good.subarray(0, good.length - 20)],
      ['cut in the middle', good.subarray(0, good.length >> 1)],
      ['footer length wrecked', flipped],
    ];
    for (const [what, bytes] of broken) {
      const error = await parquetToTable(bytes, { file: 'cells.parquet' }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, what).toBeInstanceOf(ImageFormatError);
      expect((error as ImageFormatError).message, what).toMatch(/^the Parquet file is corrupt/);
      expect((error as ImageFormatError).file, what).toBe('cells.parquet');
    }
  });

  it('says so when the cellscope metadata is not a JSON object', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [{ name: 'x', data: [1], type: 'DOUBLE' }],
      kvMetadata: [{ key: PARQUET_METADATA_KEY, value: '{"units":' }],
    });
    await expect(parquetToTable(new Uint8Array(bytes))).rejects.toThrow(/corrupt.*cellscope/);
  });
});
