import { channelIndex } from '../image/stack.js';
import type { Labels, Stack } from '../image/types.js';
import { regionprops } from '../measure/regionprops.js';
import type { Table } from '../table/table.js';
import { measureCells } from '../relate/measure-cells.js';
import { relate, type Relation } from '../relate/relate.js';
import { OBJECT_PROPERTIES } from './blocks/measure-blocks.js';
import type { AnalysisConfig } from './config.js';

/** The tables of one segmented image, as `cellscope analyze` writes them and the app shows them. */
export interface MeasuredImage {
  /** Plane indices measured: nuclei, cytoplasm, then the others (each once). */
  channels: number[];
  spacing?: [number, number];
  nuclei: Table;
  cells: Table;
  /** One row per cell with its matched nucleus and cytoplasm (cells_matched). */
  matched: Table;
  relation: Relation;
}

/** The plane indices measured: nuclei, cytoplasm, then the others (each once). */
export function measuredChannels(stack: Stack, config: AnalysisConfig): number[] {
  return [
    channelIndex(stack, config.channels.nuclei),
    channelIndex(stack, config.channels.cytoplasm),
    ...config.channels.others.map((c) => channelIndex(stack, c)),
  ].filter((c, i, all) => all.indexOf(c) === i);
}

/**
 * Measures nuclei, cells and matched cells the way the config asks (channels, pixel size):
 * the one definition shared by `analyzeImage` and the browser app, so both give the same rows.
 */
export function measureSegmented(
  stack: Stack,
  config: AnalysisConfig,
  nucleusLabels: Labels,
  cellLabels: Labels,
): MeasuredImage {
  const channels = measuredChannels(stack, config);
  const pixelSize = config.pixelSizeUm;
  const spacing: [number, number] | undefined = pixelSize ? [pixelSize, pixelSize] : undefined;
  const intensity = {
    ...stack,
    planes: channels.map((c) => stack.planes[c]),
    channelNames: channels.map((c) => stack.channelNames[c]),
  };
  const properties = OBJECT_PROPERTIES;
  const nuclei = regionprops(nucleusLabels, { intensity, properties, spacing });
  const cells = regionprops(cellLabels, { intensity, properties, spacing });
  const relation = relate(nucleusLabels, cellLabels);
  const matched = measureCells(stack, nucleusLabels, cellLabels, { spacing, channels, relation });
  return { channels, spacing, nuclei, cells, matched, relation };
}
