import type { TopLevelSpec } from 'vega-lite';
import { isTextColumn, rowLabels, type TableLike } from './table-model.js';

/** The Vega dataset that holds the points; {@link PlotPanel} updates it with changesets. */
export const POINTS_DATASET = 'points';

/** The interval selection; its signal's value is `{ x: [lo, hi], y: [lo, hi] }`, `{}` when empty. */
export const BRUSH_PARAM = 'brush';

/** Columns plotted by default, first two present win: the questions biologists ask first. */
export const PREFERRED_PLOT_COLUMNS: readonly string[] = [
  'nuclei_area',
  'cell_area',
  'area',
  'circularity',
  'cytoplasm_area',
  'cell_perimeter',
  'perimeter',
  'eccentricity',
  'solidity',
];

/** One point of the scatter plot, with the fixed field names the spec reads. */
export interface ScatterPoint {
  label: number;
  x: number;
  y: number;
  highlight: boolean;
}

/** The data extent of a brush, per field; a field is absent when the brush is empty. */
export interface BrushRanges {
  x?: readonly number[];
  y?: readonly number[];
}

/** Colours of the dark app theme (the app's CSS custom properties, as hex for SVG attributes). */
export interface PlotTheme {
  text: string;
  muted: string;
  border: string;
  grid: string;
  accent: string;
  highlight: string;
}

/** The app's defaults: `--text`, `--muted`, `--border`, `--panel-2` (grid), `--accent`, `--highlight`. */
export const DARK_PLOT_THEME: PlotTheme = {
  text: '#e6e8ee',
  muted: '#9aa1b2',
  border: '#343946',
  grid: '#252932',
  accent: '#4c9dff',
  highlight: '#ffd400',
};

/** The numeric columns other than the label column, in table order: what the axes may show. */
export function numericColumnNames(table: TableLike, labelColumn: string): string[] {
  return Object.entries(table.columns)
    .filter(([name, values]) => name !== labelColumn && !isTextColumn(values))
    .map(([name]) => name);
}

/**
 * The default axes: the first two of {@link PREFERRED_PLOT_COLUMNS} in the table, else its first
 * numeric columns that are not labels (`label`, `*_label`). One numeric column plots against
 * itself; undefined when there is none.
 */
export function defaultPlotColumns(
  table: TableLike,
  labelColumn: string,
): { x: string; y: string } | undefined {
  const numeric = numericColumnNames(table, labelColumn);
  const preferred = PREFERRED_PLOT_COLUMNS.filter((name) => numeric.includes(name));
  const others = numeric.filter((name) => !isLabelName(name) && !preferred.includes(name));
  const labels = numeric.filter(isLabelName);
  const [x, y] = [...preferred, ...others, ...labels];
  if (x === undefined) return undefined;
  return { x, y: y ?? x };
}

function isLabelName(name: string): boolean {
  return /(^|_)label$/i.test(name);
}

/** The rows with finite x and y (Vega-Lite drops the others) as points. */
export function scatterPoints(
  table: TableLike,
  labelColumn: string,
  xColumn: string,
  yColumn: string,
  highlight: ReadonlySet<number> = new Set(),
): ScatterPoint[] {
  const labels = rowLabels(table, labelColumn);
  const xs = numericValues(table, xColumn);
  const ys = numericValues(table, yColumn);
  const points: ScatterPoint[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    const x = xs[i];
    const y = ys[i];
    if (Number.isFinite(x) && Number.isFinite(y)) {
      points.push({ label: labels[i], x, y, highlight: highlight.has(labels[i]) });
    }
  }
  return points;
}

function numericValues(table: TableLike, column: string): ArrayLike<number> {
  const values = table.columns[column];
  if (values === undefined || isTextColumn(values)) {
    throw new RangeError(`no numeric column "${column}"`);
  }
  return values as ArrayLike<number>;
}

/**
 * Labels of the rows inside a brush (edges included), in row order; undefined when the brush is
 * empty or has no area (a click without drag gives a zero-width brush).
 */
export function brushedLabels(
  table: TableLike,
  labelColumn: string,
  xColumn: string,
  yColumn: string,
  ranges: BrushRanges | null | undefined,
): number[] | undefined {
  const xRange = extent(ranges?.x);
  const yRange = extent(ranges?.y);
  if (xRange === undefined || yRange === undefined) return undefined;
  const labels = rowLabels(table, labelColumn);
  const xs = numericValues(table, xColumn);
  const ys = numericValues(table, yColumn);
  const inside: number[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    const x = xs[i];
    const y = ys[i];
    if (x >= xRange[0] && x <= xRange[1] && y >= yRange[0] && y <= yRange[1]) {
      inside.push(labels[i]);
    }
  }
  return inside;
}

/** [min, max] of a two-value range (Vega gives them in drag order), undefined if degenerate. */
function extent(range: readonly number[] | undefined): [number, number] | undefined {
  if (range === undefined || range.length < 2) return undefined;
  const lo = Math.min(range[0], range[1]);
  const hi = Math.max(range[0], range[1]);
  return Number.isFinite(lo) && Number.isFinite(hi) && lo < hi ? [lo, hi] : undefined;
}

/** Subtitle with Pearson's r, e.g. `Pearson r = 0.523 (n = 2950)`; says why when there is none. */
export function correlationSubtitle(result: { r: number; n: number } | undefined): string {
  if (result === undefined) return 'Pearson r: fewer than 2 points';
  if (Number.isNaN(result.r)) return `Pearson r: undefined, a constant axis (n = ${result.n})`;
  return `Pearson r = ${result.r.toFixed(3)} (n = ${result.n})`;
}

export interface ScatterSpecOptions {
  /** Data points; they also set the axis ranges. */
  points: readonly ScatterPoint[];
  /** Column of the label, for the tooltip. */
  labelColumn: string;
  /** Axis titles, e.g. `cell_area (µm²)`. */
  xTitle: string;
  yTitle: string;
  /** Draw a least-squares line (Vega-Lite's regression transform). */
  regression: boolean;
  /** Second title line, e.g. from {@link correlationSubtitle}. */
  subtitle?: string;
  /** Total size in pixels, axes and titles included. */
  width: number;
  height: number;
  /** @default DARK_PLOT_THEME */
  theme?: PlotTheme;
}

/**
 * Vega-Lite scatter plot for the side panel: points, those whose `highlight` field is true drawn
 * again on top in the highlight colour, an interval selection {@link BRUSH_PARAM} over x and y,
 * a tooltip with label, x and y, and optionally a regression line; transparent background, app
 * theme colours.
 */
export function scatterSpec(options: ScatterSpecOptions): TopLevelSpec {
  const theme = options.theme ?? DARK_PLOT_THEME;
  // Fixed domains: highlight changes then never rescale, and the (often empty) highlight layer
  // adds no infinite extent to the shared scales.
  const x = {
    field: 'x',
    type: 'quantitative',
    title: options.xTitle,
    // About one tick per 60 px keeps 4-digit labels apart in a narrow panel.
    axis: { tickCount: Math.max(3, Math.round(options.width / 60)) },
    scale: { zero: false, nice: true, domain: paddedExtent(options.points.map((p) => p.x)) },
  } as const;
  const y = {
    field: 'y',
    type: 'quantitative',
    title: options.yTitle,
    scale: { zero: false, nice: true, domain: paddedExtent(options.points.map((p) => p.y)) },
  } as const;
  const quantitative = 'quantitative' as const;
  const tooltip = [
    { field: 'label', type: quantitative, title: options.labelColumn },
    { field: 'x', type: quantitative, title: options.xTitle, format: '.4~g' },
    { field: 'y', type: quantitative, title: options.yTitle, format: '.4~g' },
  ];
  const points: PlotLayer = {
    params: [
      {
        name: BRUSH_PARAM,
        select: {
          type: 'interval',
          encodings: ['x', 'y'],
          mark: { fill: theme.accent, fillOpacity: 0.12, stroke: theme.accent, strokeWidth: 1 },
        },
      },
    ],
    mark: { type: 'circle', cursor: 'pointer', color: theme.accent, size: 20 },
    encoding: {
      x,
      y,
      opacity: { condition: { param: BRUSH_PARAM, empty: true, value: 0.7 }, value: 0.2 },
      tooltip,
    },
  };
  // A layer of its own draws highlighted points on top: Vega's SVG renderer keeps the DOM order
  // of items when a changeset only modifies their `highlight` field.
  const highlighted: PlotLayer = {
    transform: [{ filter: 'datum.highlight' }],
    mark: {
      type: 'circle',
      cursor: 'pointer',
      color: theme.highlight,
      size: 70,
      opacity: 1,
      stroke: '#000000',
      strokeOpacity: 0.5,
      strokeWidth: 0.5,
    },
    encoding: { x, y, tooltip },
  };
  const regression: PlotLayer = {
    transform: [{ regression: 'y', on: 'x' }],
    mark: { type: 'line', color: theme.text, strokeWidth: 1.5, opacity: 0.8 },
    encoding: { x, y },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: options.width,
    height: options.height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 4,
    background: 'transparent',
    title: {
      text: `${options.yTitle} vs ${options.xTitle}`,
      ...(options.subtitle === undefined ? {} : { subtitle: options.subtitle }),
    },
    datasets: { [POINTS_DATASET]: options.points.map((p) => ({ ...p })) },
    data: { name: POINTS_DATASET },
    layer: options.regression ? [points, regression, highlighted] : [points, highlighted],
    config: darkConfig(theme, options.width),
  };
}

/** [min, max] of finite values, widened around a single value; [0, 1] when there is none. */
export function paddedExtent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return [0, 1];
  if (lo === hi) {
    const half = lo === 0 ? 0.5 : Math.abs(lo) * 0.05;
    return [lo - half, hi + half];
  }
  return [lo, hi];
}

type PlotLayer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

function darkConfig(theme: PlotTheme, width: number): TopLevelSpec['config'] {
  return {
    font: 'system-ui, -apple-system, "Segoe UI", sans-serif',
    view: { stroke: theme.border },
    title: {
      anchor: 'start',
      color: theme.text,
      fontSize: 12,
      fontWeight: 'normal',
      subtitleColor: theme.muted,
      subtitleFontSize: 11,
      limit: width - 8,
      offset: 6,
    },
    axis: {
      labelColor: theme.muted,
      labelFontSize: 10,
      titleColor: theme.text,
      titleFontSize: 11,
      titleFontWeight: 'normal',
      titleLimit: width - 60,
      gridColor: theme.grid,
      domainColor: theme.border,
      tickColor: theme.border,
    },
  };
}
