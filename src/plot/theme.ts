import type { Config } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { LayerSpec } from 'vega-lite/types_unstable/spec/index.js';

/** The font every plot asks for; {@link renderSpec} draws PNGs with the bundled DejaVu Sans files. */
export const PLOT_FONT = 'DejaVu Sans';

/**
 * Group colours, in order: steel blue, sea green, orchid, dark orange, brick, slate, gold, teal
 * (the notebook's seaborn palettes first).
 */
export const PLOT_PALETTE: readonly string[] = [
  '#4682b4',
  '#2e8b57',
  '#ba55d3',
  '#e07b16',
  '#c0392b',
  '#5d6d7e',
  '#c9a227',
  '#17a2a2',
];

/** Shared look: white background, light grid, DejaVu Sans, left-aligned titles. */
export const PLOT_CONFIG: Config = {
  background: 'white',
  font: PLOT_FONT,
  padding: 12,
  view: { stroke: '#cfcfcf' },
  range: { category: [...PLOT_PALETTE] },
  title: {
    fontSize: 15,
    fontWeight: 'bold',
    anchor: 'start',
    color: '#1a1a1a',
    subtitleFontSize: 12,
    subtitleColor: '#555555',
    offset: 10,
  },
  axis: {
    labelFontSize: 11,
    labelColor: '#333333',
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: '#1a1a1a',
    titlePadding: 8,
    gridColor: '#e6e6e6',
    domainColor: '#888888',
    tickColor: '#888888',
  },
  legend: {
    labelFontSize: 11,
    labelColor: '#333333',
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: '#1a1a1a',
    symbolStrokeWidth: 2,
  },
};

/** Plot size in pixels (the data area, without axes and legend). */
export interface PlotSize {
  /** @default 560 */
  width?: number;
  /** @default 320 */
  height?: number;
}

/** Title above the plot, with an optional second line in grey. */
export interface PlotTitle {
  title?: string;
  subtitle?: string;
}

export function titleOf(options: PlotTitle): { title?: { text: string; subtitle?: string } } {
  if (options.title === undefined && options.subtitle === undefined) return {};
  return {
    title: {
      text: options.title ?? '',
      ...(options.subtitle === undefined ? {} : { subtitle: options.subtitle }),
    },
  };
}

/** A short, locale-free number for legends: 4–5 significant figures, no exponent below 1e6. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e6 || (abs > 0 && abs < 1e-3)) return value.toExponential(2);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Finite values of an array, as numbers. */
export function finiteValues(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return out;
}

/** One layer of a Vega-Lite layered spec. */
export type VlLayer = LayerSpec<Field>['layer'][number];
