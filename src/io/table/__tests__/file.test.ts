import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAccessError, ImageFormatError, InvalidArgumentError } from '../../../errors.js';
import { createTable } from '../../../table/table.js';
import * as tableIo from '../index.js';
import { readTableFile, writeTableFile } from '../index.js';

const table = createTable(
  { label: [1, 2], area: [12.5, NaN], condition: ['control', 'a, "b"\n'] },
  { units: { area: 'px²' } },
);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cellscope-table-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeTableFile / readTableFile', () => {
  it.each(['cells.csv', 'cells.parquet', 'cells.json', 'CELLS.JSON'])(
    'writes and reads %s, the format chosen by the extension',
    async (name) => {
      const path = join(dir, name);
      await writeTableFile(path, table);
      const read = await readTableFile(path);
      expect(read.columns).toEqual(table.columns);
      expect(read.metadata).toEqual(name.endsWith('.csv') ? {} : table.metadata);
    },
  );

  it('writes the same bytes as the in-memory encoders', async () => {
    await writeTableFile(join(dir, 'same.csv'), table);
    expect(await readFile(join(dir, 'same.csv'), 'utf8')).toBe(tableIo.tableToCsv(table));
    await writeTableFile(join(dir, 'same.parquet'), table);
    expect(new Uint8Array(await readFile(join(dir, 'same.parquet')))).toEqual(
      tableIo.tableToParquet(table),
    );
  });

  it('refuses an unknown extension, listing the formats', async () => {
    for (const name of ['cells.xlsx', 'cells']) {
      const error = await writeTableFile(join(dir, name), table).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).hint).toBe('use one of .csv, .parquet, .json');
    }
    await expect(readTableFile(join(dir, 'cells.tsv'))).rejects.toThrow(InvalidArgumentError);
  });

  it('refuses a protected path, leaving the file as it was and no temp file', async () => {
    const sub = join(dir, 'protected');
    await mkdir(sub);
    const input = join(sub, 'input.csv');
    await writeFile(input, 'x\n1\n');
    await expect(writeTableFile(input, table, { protect: [input] })).rejects.toThrow(
      /refusing to overwrite an input file/,
    );
    expect(await readFile(input, 'utf8')).toBe('x\n1\n');
    expect(await readdir(sub)).toEqual(['input.csv']);
  });

  it('leaves no temp file when the write fails', async () => {
    const sub = join(dir, 'failing');
    await mkdir(join(sub, 'cells.parquet'), { recursive: true });
    // The target is a directory, so the final rename fails.
    await expect(writeTableFile(join(sub, 'cells.parquet'), table)).rejects.toThrow(
      FileAccessError,
    );
    expect(await readdir(sub)).toEqual(['cells.parquet']);
  });

  it('names the file in read errors', async () => {
    const missing = join(dir, 'missing.csv');
    await expect(readTableFile(missing)).rejects.toMatchObject({
      code: 'FileAccessError',
      file: missing,
    });
    const corrupt = join(dir, 'corrupt.parquet');
    await writeFile(corrupt, 'not parquet at all');
    await expect(readTableFile(corrupt)).rejects.toMatchObject({
      code: 'ImageFormatError',
      file: corrupt,
      message: expect.stringMatching(/^the Parquet file is corrupt/),
    });
    const latin1 = join(dir, 'latin1.csv');
    await writeFile(latin1, Uint8Array.of(0x78, 0x0a, 0xb5, 0x6d, 0x0a));
    const error = await readTableFile(latin1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageFormatError);
    expect((error as ImageFormatError).describe()).toBe(
      `${latin1}: the file is not UTF-8 text (save it as UTF-8)`,
    );
    const badJson = join(dir, 'bad.json');
    await writeFile(badJson, '{"schema":');
    await expect(readTableFile(badJson)).rejects.toMatchObject({
      code: 'ImageFormatError',
      file: badJson,
    });
  });

  it('strips a byte order mark from CSV files', async () => {
    const path = join(dir, 'excel.csv');
    await writeFile(path, '\ufeffx,y\r\n1,a\r\n');
    expect((await readTableFile(path)).columns).toEqual({ x: Float64Array.of(1), y: ['a'] });
  });
});

describe('public API', () => {
  it('exports these names', () => {
    expect(Object.keys(tableIo).sort()).toEqual([
      'PARQUET_METADATA_KEY',
      'TABLE_FORMATS',
      'csvToTable',
      'jsonToTable',
      'parquetToTable',
      'readTableFile',
      'tableFormatOf',
      'tableToCsv',
      'tableToJson',
      'tableToParquet',
      'writeTableFile',
    ]);
  });
});
