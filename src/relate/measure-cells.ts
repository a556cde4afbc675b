import type { Labels, Stack } from '../image/types.js';
import { createTable, type Table } from '../table/table.js';
import { checkSameSize } from './check.js';
import { compartments } from './compartments.js';
import {
  channelColumns,
  checkStackSize,
  measureObjects,
  rowIn,
  type ChannelColumn,
  type MeasuredObjects,
} from './measure-objects.js';
import { relate, type Relation } from './relate.js';

export interface MeasureCellsOptions {
  /**
   * `[row, col]` pixel size in µm, passed to `regionprops`: areas then come in µm², centroids,
   * perimeters and Feret diameters in µm (`table.metadata.units` says which). Perimeter, hence
   * circularity, needs isotropic spacing. The stack's `pixelSizeUm` is not used on its own.
   * @default undefined (every unit is the pixel, as the notebook)
   */
  spacing?: readonly [number, number];
  /**
   * Channels to measure, by 0-based plane index or by name (as `channelIndex`).
   * @default every channel of the stack
   */
  channels?: readonly (number | string)[];
  /**
   * How intensity columns are suffixed. `'index'`: `ch1`, `ch2`, … by the channel's position in
   * the stack, 1-based as the notebook (`img[0]` → `ch1`), also when only some are measured.
   * `'stack'`: the stack's `channelNames`, with every run of characters other than letters,
   * digits and `_` turned into one `_` (`"GFP (488)"` → `GFP_488`); two channels that end up
   * with one name are refused. `'auto'` (what `analyze` and the app write): the stack's names
   * made safe as `'stack'`, less a prefix all names share (file stems `…D03f00d0`,
   * `…D03f00d1` → `d0`, `d1`), and `'index'` for every channel when the names are the readers'
   * defaults (`C0`, `C1`, …) or would come out empty or alike.
   * @default 'index'
   */
  channelNames?: 'index' | 'stack' | 'auto';
  /** The {@link relate} result for these label images, when already computed. */
  relation?: Relation;
}

/**
 * The per-cell table of the notebook's "Match nuclei to cells" and derived columns: one row per
 * cell (ascending label), each with its matched nucleus ({@link relate}: most overlapping
 * pixels, ties to the smaller label) and its cytoplasm ({@link compartments}).
 *
 * Columns, `<ch>` per measured channel (see {@link MeasureCellsOptions.channelNames}):
 * - `cell_label`, `cell_area`, `cell_centroid_row`, `cell_centroid_col`, `cell_perimeter`,
 *   `cell_feret_diameter_max`, `cell_intensity_mean_<ch>`: regionprops of the cell (skimage's
 *   definitions: perimeter = 4-connectivity contour length with corner weights).
 * - `matched_nucleus_label`: the matched nucleus, 0 when none.
 * - `nuclei_label`, `nuclei_area`, `nuclei_centroid_row`, `nuclei_centroid_col`,
 *   `nuclei_perimeter`, `nuclei_intensity_mean_<ch>`: regionprops of the *whole* matched
 *   nucleus, pixels outside the cell included, as the notebook; NaN when the cell has none.
 *   A nucleus straddling two cells appears in both rows.
 * - `cytoplasm_area` = `cell_area − nuclei_area`, the notebook's definition (NaN without a
 *   nucleus). Where the nucleus pokes out of its cell this undercounts the cytoplasm, and can
 *   even go negative.
 * - `cytoplasm_compartment_area`: area of the cytoplasm compartment, the cell's pixels outside
 *   its matched nucleus; equals `cytoplasm_area` whenever the nucleus lies wholly inside the
 *   cell, is the whole `cell_area` for a cell without nucleus.
 * - `cytoplasm_intensity_mean_<ch>`: mean over the cytoplasm compartment; NaN when the nucleus
 *   covers the whole cell.
 * - `cell_nuc_ratio` = cell_area / nuclei_area, `cyto_nuc_ratio` = cytoplasm_area / nuclei_area,
 *   `nuc_cell_area_ratio` = nuclei_area / cell_area: NaN without a nucleus.
 * - `circularity` = 4π·cell_area / cell_perimeter² (the notebook's "roundness"; ImageJ's
 *   circularity); 1 for a disc, though skimage's perimeter of small objects can push it above 1;
 *   NaN when the perimeter is 0 (a one-pixel cell).
 *
 * `table.metadata`: `units` per column, `channels` (suffix, plane index and stack name of each
 * measured channel), `spacing` when given, and `conflicts`: how many shared nuclei,
 * multinucleate cells, nuclei outside cells and cells without nucleus {@link relate} found.
 *
 * @throws InvalidArgumentError when the stack and label images differ in size, a channel does
 *   not exist or is measured twice, or the spacing is invalid (anisotropic included)
 */
export function measureCells(
  stack: Stack,
  nucleusLabels: Labels,
  cellLabels: Labels,
  options: MeasureCellsOptions = {},
): Table {
  checkSameSize(nucleusLabels, cellLabels);
  checkStackSize(stack, cellLabels);
  const channels = channelColumns(stack, options);
  const relation = options.relation ?? relate(nucleusLabels, cellLabels);
  const { cytoplasm } = compartments(nucleusLabels, cellLabels, relation);
  const { spacing } = options;

  const cell = measureObjects(
    cellLabels,
    stack,
    channels,
    ['label', 'area', 'centroid', 'perimeter', 'feret_diameter_max'],
    spacing,
  );
  const nucleus = measureObjects(
    nucleusLabels,
    stack,
    channels,
    ['label', 'area', 'centroid', 'perimeter'],
    spacing,
  );
  const cyto = measureObjects(cytoplasm, stack, channels, ['label', 'area'], spacing);
  return matchedCellsTable({ relation, cell, nucleus, cyto, channels, spacing });
}

/** The measurements {@link matchedCellsTable} combines, each looked up by label. */
export interface MatchedCellsParts {
  relation: Relation;
  /** Cells: label, area, centroid, perimeter, feret_diameter_max and the channel means. */
  cell: MeasuredObjects;
  /** Nuclei: label, area, centroid, perimeter and the channel means. */
  nucleus: MeasuredObjects;
  /** Cytoplasm compartments, by cell label: area and the channel means. */
  cyto: MeasuredObjects;
  channels: readonly ChannelColumn[];
  spacing?: readonly [number, number];
}

/**
 * The cells_matched table from per-object measurements: {@link measureCells} measures them on
 * whole label images, block-wise analyses gather them block by block.
 */
export function matchedCellsTable(parts: MatchedCellsParts): Table {
  const { relation, cell, nucleus, cyto, channels, spacing } = parts;

  const rows = relation.cells.label.length;
  const column = () => new Float64Array(rows);
  const out = {
    cell_label: column(),
    cell_area: column(),
    cell_centroid_row: column(),
    cell_centroid_col: column(),
    cell_perimeter: column(),
    cell_feret_diameter_max: column(),
    cellMeans: channels.map(column),
    matched_nucleus_label: column(),
    nuclei_label: column(),
    nuclei_area: column(),
    nuclei_centroid_row: column(),
    nuclei_centroid_col: column(),
    nuclei_perimeter: column(),
    nucleusMeans: channels.map(column),
    cytoplasm_area: column(),
    cytoplasm_compartment_area: column(),
    cytoplasmMeans: channels.map(column),
    cell_nuc_ratio: column(),
    cyto_nuc_ratio: column(),
    nuc_cell_area_ratio: column(),
    circularity: column(),
  };

  const cellArea = cell.column('area');
  const cellRow0 = cell.column('centroid-0');
  const cellCol0 = cell.column('centroid-1');
  const cellPerimeter = cell.column('perimeter');
  const cellFeret = cell.column('feret_diameter_max');
  const nucleusArea = nucleus.column('area');
  const nucleusRow0 = nucleus.column('centroid-0');
  const nucleusCol0 = nucleus.column('centroid-1');
  const nucleusPerimeter = nucleus.column('perimeter');
  const cytoArea = cyto.column('area');

  for (let k = 0; k < rows; k++) {
    const label = relation.cells.label[k];
    const r = rowIn(cell.rowOf, label, 'cell');
    out.cell_label[k] = label;
    out.cell_area[k] = cellArea[r];
    out.cell_centroid_row[k] = cellRow0[r];
    out.cell_centroid_col[k] = cellCol0[r];
    out.cell_perimeter[k] = cellPerimeter[r];
    out.cell_feret_diameter_max[k] = cellFeret[r];
    channels.forEach((_, c) => (out.cellMeans[c][k] = cell.means[c][r]));

    const matched = relation.cells.nucleus[k];
    out.matched_nucleus_label[k] = matched;
    const n = matched === 0 ? -1 : rowIn(nucleus.rowOf, matched, 'nucleus');
    out.nuclei_label[k] = n < 0 ? NaN : matched;
    out.nuclei_area[k] = n < 0 ? NaN : nucleusArea[n];
    out.nuclei_centroid_row[k] = n < 0 ? NaN : nucleusRow0[n];
    out.nuclei_centroid_col[k] = n < 0 ? NaN : nucleusCol0[n];
    out.nuclei_perimeter[k] = n < 0 ? NaN : nucleusPerimeter[n];
    channels.forEach((_, c) => (out.nucleusMeans[c][k] = n < 0 ? NaN : nucleus.means[c][n]));

    // The cytoplasm compartment is empty where the nucleus covers the whole cell.
    const y = cyto.rowOf.get(label);
    out.cytoplasm_area[k] = out.cell_area[k] - out.nuclei_area[k];
    out.cytoplasm_compartment_area[k] = y === undefined ? 0 : cytoArea[y];
    channels.forEach(
      (_, c) => (out.cytoplasmMeans[c][k] = y === undefined ? NaN : cyto.means[c][y]),
    );

    out.cell_nuc_ratio[k] = out.cell_area[k] / out.nuclei_area[k];
    out.cyto_nuc_ratio[k] = out.cytoplasm_area[k] / out.nuclei_area[k];
    out.nuc_cell_area_ratio[k] = out.nuclei_area[k] / out.cell_area[k];
    const perimeter = out.cell_perimeter[k];
    out.circularity[k] = perimeter > 0 ? (4 * Math.PI * out.cell_area[k]) / perimeter ** 2 : NaN;
  }

  const perChannel = (prefix: string, values: Float64Array[]) =>
    Object.fromEntries(channels.map((c, i) => [`${prefix}_${c.suffix}`, values[i]]));
  const columns: Record<string, Float64Array> = {
    cell_label: out.cell_label,
    cell_area: out.cell_area,
    cell_centroid_row: out.cell_centroid_row,
    cell_centroid_col: out.cell_centroid_col,
    cell_perimeter: out.cell_perimeter,
    cell_feret_diameter_max: out.cell_feret_diameter_max,
    ...perChannel('cell_intensity_mean', out.cellMeans),
    matched_nucleus_label: out.matched_nucleus_label,
    nuclei_label: out.nuclei_label,
    nuclei_area: out.nuclei_area,
    nuclei_centroid_row: out.nuclei_centroid_row,
    nuclei_centroid_col: out.nuclei_centroid_col,
    nuclei_perimeter: out.nuclei_perimeter,
    ...perChannel('nuclei_intensity_mean', out.nucleusMeans),
    cytoplasm_area: out.cytoplasm_area,
    cytoplasm_compartment_area: out.cytoplasm_compartment_area,
    ...perChannel('cytoplasm_intensity_mean', out.cytoplasmMeans),
    cell_nuc_ratio: out.cell_nuc_ratio,
    cyto_nuc_ratio: out.cyto_nuc_ratio,
    nuc_cell_area_ratio: out.nuc_cell_area_ratio,
    circularity: out.circularity,
  };

  const units: Record<string, string> = {};
  const unit = (name: string, from: Record<string, string>, key: string) => {
    if (from[key] !== undefined) units[name] = from[key];
  };
  for (const [prefix, source] of [
    ['cell', cell.units],
    ['nuclei', nucleus.units],
  ] as const) {
    unit(`${prefix}_area`, source, 'area');
    unit(`${prefix}_centroid_row`, source, 'centroid-0');
    unit(`${prefix}_centroid_col`, source, 'centroid-1');
    unit(`${prefix}_perimeter`, source, 'perimeter');
  }
  unit('cell_feret_diameter_max', cell.units, 'feret_diameter_max');
  unit('cytoplasm_area', cell.units, 'area');
  unit('cytoplasm_compartment_area', cell.units, 'area');

  const { conflicts } = relation;
  return createTable(columns, {
    units,
    channels: channels.map(({ suffix, index, name }) => ({ suffix, index, name })),
    ...(spacing ? { spacing: [spacing[0], spacing[1]] } : {}),
    conflicts: {
      sharedNuclei: conflicts.sharedNuclei.length,
      multinucleateCells: conflicts.multinucleateCells.length,
      nucleiOutsideCells: conflicts.nucleiOutsideCells.length,
      cellsWithoutNucleus: conflicts.cellsWithoutNucleus.length,
    },
  });
}
