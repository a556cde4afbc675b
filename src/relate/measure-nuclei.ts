import type { Labels, Stack } from '../image/types.js';
import { createTable, type Table } from '../table/table.js';
import { checkSameSize } from './check.js';
import type { MeasureCellsOptions } from './measure-cells.js';
import { channelColumns, checkStackSize, measureObjects, rowIn } from './measure-objects.js';
import { relate } from './relate.js';

/** The options of {@link measureCells}: spacing, channels, channel naming, a precomputed relation. */
export type MeasureNucleiOptions = MeasureCellsOptions;

/**
 * The per-nucleus table: one row per nucleus (ascending label) with its regionprops and its cell.
 *
 * Columns, `<ch>` per measured channel (named as in {@link measureCells}):
 * `nuclei_label`, `nuclei_area`, `nuclei_centroid_row`, `nuclei_centroid_col`,
 * `nuclei_perimeter`, `nuclei_feret_diameter_max`, `nuclei_intensity_mean_<ch>` (the whole
 * nucleus, as in the notebook's `props_nuclei`); `cell_label`: the cell holding most of the
 * nucleus's pixels ({@link relate}'s `nuclei.cell`), 0 when it lies outside every cell;
 * `nuclei_area_in_cell`: the area of the nucleus inside that cell (0 outside every cell), in
 * `nuclei_area`'s unit.
 *
 * A nucleus's `cell_label` need not be a cell that matched it: a cell holding two nuclei matches
 * only the one with the larger overlap. `table.metadata` holds `units`, `channels` and `spacing`
 * as {@link measureCells}.
 *
 * @throws InvalidArgumentError as {@link measureCells}
 */
export function measureNuclei(
  stack: Stack,
  nucleusLabels: Labels,
  cellLabels: Labels,
  options: MeasureNucleiOptions = {},
): Table {
  checkSameSize(nucleusLabels, cellLabels);
  checkStackSize(stack, nucleusLabels);
  const channels = channelColumns(stack, options);
  const relation = options.relation ?? relate(nucleusLabels, cellLabels);
  const { spacing } = options;
  const nucleus = measureObjects(
    nucleusLabels,
    stack,
    channels,
    ['label', 'area', 'centroid', 'perimeter', 'feret_diameter_max'],
    spacing,
  );

  const { label, cell, overlap } = relation.nuclei;
  const rows = Array.from(label, (l) => rowIn(nucleus.rowOf, l, 'nucleus'));
  const take = (name: string) => {
    const values = nucleus.column(name);
    return Float64Array.from(rows, (r) => values[r]);
  };
  // Pixel counts → the table's area unit.
  const pixelArea = spacing ? spacing[0] * spacing[1] : 1;
  const columns: Record<string, Float64Array> = {
    nuclei_label: Float64Array.from(label),
    nuclei_area: take('area'),
    nuclei_centroid_row: take('centroid-0'),
    nuclei_centroid_col: take('centroid-1'),
    nuclei_perimeter: take('perimeter'),
    nuclei_feret_diameter_max: take('feret_diameter_max'),
    ...Object.fromEntries(
      channels.map((c, i) => [
        `nuclei_intensity_mean_${c.suffix}`,
        Float64Array.from(rows, (r) => nucleus.means[i][r]),
      ]),
    ),
    cell_label: Float64Array.from(cell),
    nuclei_area_in_cell: Float64Array.from(overlap, (n) => n * pixelArea),
  };

  const units: Record<string, string> = {};
  for (const [name, key] of [
    ['nuclei_area', 'area'],
    ['nuclei_centroid_row', 'centroid-0'],
    ['nuclei_centroid_col', 'centroid-1'],
    ['nuclei_perimeter', 'perimeter'],
    ['nuclei_feret_diameter_max', 'feret_diameter_max'],
    ['nuclei_area_in_cell', 'area'],
  ]) {
    if (nucleus.units[key] !== undefined) units[name] = nucleus.units[key];
  }
  return createTable(columns, {
    units,
    channels: channels.map(({ suffix, index, name }) => ({ suffix, index, name })),
    ...(spacing ? { spacing: [spacing[0], spacing[1]] } : {}),
  });
}
