export { csvToTable, tableToCsv } from './csv.js';
export type { CsvToTableOptions, TableToCsvOptions } from './csv.js';
export { jsonToTable, tableToJson } from './json.js';
export type { JsonToTableOptions } from './json.js';
export { PARQUET_METADATA_KEY, parquetToTable, tableToParquet } from './parquet.js';
export type { ParquetToTableOptions } from './parquet.js';
export { readTableFile, TABLE_FORMATS, tableFormatOf, writeTableFile } from './file.js';
export type { TableFormat } from './file.js';
