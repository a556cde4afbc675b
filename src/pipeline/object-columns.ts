import { channelIndex } from '../image/stack.js';
import type { Stack } from '../image/types.js';
import { createTable, type Table } from '../table/table.js';
import type { AnalysisConfig } from './config.js';

/** The regionprops of the per-object tables (nuclei.csv, cells.csv). */
export const OBJECT_PROPERTIES = [
  'label',
  'area',
  'perimeter',
  'centroid',
  'intensity_mean',
  'feret_diameter_max',
];

/** The plane indices measured: nuclei, cytoplasm, then the others (each once). */
export function measuredChannels(stack: Stack, config: AnalysisConfig): number[] {
  return [
    channelIndex(stack, config.channels.nuclei),
    channelIndex(stack, config.channels.cytoplasm),
    ...config.channels.others.map((c) => channelIndex(stack, c)),
  ].filter((c, i, all) => all.indexOf(c) === i);
}

/** `intensity_mean-<k>` (or a lone `intensity_mean`) → `intensity_mean_<suffix k>`. */
export function nameIntensityColumns(table: Table, suffixes: readonly string[]): Table {
  const rename = (name: string): string => {
    if (name === 'intensity_mean' && suffixes.length === 1) return `intensity_mean_${suffixes[0]}`;
    const k = /^intensity_mean-(\d+)$/.exec(name)?.[1];
    return k === undefined ? name : `intensity_mean_${suffixes[Number(k)]}`;
  };
  const units = table.metadata.units ?? {};
  return createTable(
    Object.fromEntries(Object.entries(table.columns).map(([name, c]) => [rename(name), c])),
    {
      ...table.metadata,
      units: Object.fromEntries(Object.entries(units).map(([name, u]) => [rename(name), u])),
    },
  );
}
