import type { Labels, Stack } from '../image/types.js';
import { regionprops } from '../measure/regionprops.js';
import type { Table } from '../table/table.js';
import { channelColumns } from '../relate/measure-objects.js';
import { measureCells } from '../relate/measure-cells.js';
import { relate, type Relation } from '../relate/relate.js';
import type { AnalysisConfig } from './config.js';
import { measuredChannels, nameIntensityColumns, OBJECT_PROPERTIES } from './object-columns.js';

/** The tables of one segmented image, as `cellscope analyze` writes them and the app shows them. */
export interface MeasuredImage {
  /** Plane indices measured: nuclei, cytoplasm, then the others (each once). */
  channels: number[];
  /** Each measured channel's column suffix, in `channels` order (`DNA`, or `ch1` by index). */
  suffixes: string[];
  spacing?: [number, number];
  nuclei: Table;
  cells: Table;
  /** One row per cell with its matched nucleus and cytoplasm (cells_matched). */
  matched: Table;
  relation: Relation;
}

/**
 * Measures nuclei, cells and matched cells the way the config asks (channels, pixel size):
 * the one definition shared by `analyzeImage` and the browser app, so both give the same rows.
 *
 * All three tables name intensity columns one way, by channel name where the image has names
 * (`intensity_mean_DNA` in nuclei and cells, `cell_intensity_mean_DNA` in matched), else by
 * 1-based index (`intensity_mean_ch1`); see `measureCells`' `channelNames: 'auto'`. The other
 * columns of nuclei and cells keep `regionprops_table`'s names (`centroid-0`).
 */
export function measureSegmented(
  stack: Stack,
  config: AnalysisConfig,
  nucleusLabels: Labels,
  cellLabels: Labels,
): MeasuredImage {
  const channels = measuredChannels(stack, config);
  const suffixes = channelColumns(stack, { channels, channelNames: 'auto' }).map((c) => c.suffix);
  const pixelSize = config.pixelSizeUm;
  const spacing: [number, number] | undefined = pixelSize ? [pixelSize, pixelSize] : undefined;
  const intensity = {
    ...stack,
    planes: channels.map((c) => stack.planes[c]),
    channelNames: channels.map((c) => stack.channelNames[c]),
  };
  const properties = OBJECT_PROPERTIES;
  const measure = (labels: Labels): Table =>
    nameIntensityColumns(regionprops(labels, { intensity, properties, spacing }), suffixes);
  const relation = relate(nucleusLabels, cellLabels);
  const matched = measureCells(stack, nucleusLabels, cellLabels, {
    spacing,
    channels,
    channelNames: 'auto',
    relation,
  });
  return {
    channels,
    suffixes,
    spacing,
    nuclei: measure(nucleusLabels),
    cells: measure(cellLabels),
    matched,
    relation,
  };
}
