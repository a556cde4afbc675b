import type { TopLevelSpec } from 'vega-lite';
import { histogramLayers, type HistogramGroup } from './histogram-layers.js';
import { formatNumber, PLOT_CONFIG, type PlotSize, type PlotTitle, titleOf } from './theme.js';

export type { DensityCurve, HistogramGroup } from './histogram-layers.js';

export interface HistogramKdeOptions extends PlotSize, PlotTitle {
  /** The groups, overlaid in this order (e.g. nuclei and cells). */
  groups: readonly HistogramGroup[];
  /** Number of equal bins over the range of all groups together. @default 30 */
  bins?: number;
  /** x-axis title with units, e.g. `Area (px²)`. */
  xTitle: string;
  /** @default 'Count' */
  yTitle?: string;
  /** Bar opacity, so overlapping groups stay visible. @default 0.55 */
  opacity?: number;
  /** Formats n's companions in the legend. @default 4–5 significant figures */
  format?: (value: number) => string;
}

/**
 * Vega-Lite spec of overlaid histograms by group with density curves scaled to counts (seaborn
 * `histplot(hue=…, kde=True)`); the legend gives each group's n and mean.
 */
export function histogramKdeSpec(options: HistogramKdeOptions): TopLevelSpec {
  const format = options.format ?? formatNumber;
  const { layers } = histogramLayers(
    options.groups,
    options.bins ?? 30,
    (s) => `${s.name} (n = ${s.n}, mean = ${format(s.mean)})`,
    { xTitle: options.xTitle, yTitle: options.yTitle ?? 'Count', opacity: options.opacity ?? 0.55 },
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...titleOf(options),
    width: options.width ?? 560,
    height: options.height ?? 320,
    config: PLOT_CONFIG,
    layer: layers,
  };
}
