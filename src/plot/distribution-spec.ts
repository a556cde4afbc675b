import type { TopLevelSpec } from 'vega-lite';
import { histogramLayers, type HistogramGroup } from './histogram-layers.js';
import {
  formatNumber,
  PLOT_CONFIG,
  type PlotSize,
  type PlotTitle,
  titleOf,
  type VlLayer,
} from './theme.js';

export interface DistributionOptions extends PlotSize, PlotTitle {
  /** The distributions, e.g. cell/nucleus and cytoplasm/nucleus area ratios. */
  groups: readonly HistogramGroup[];
  /** Number of equal bins over the range of all groups together. @default 30 */
  bins?: number;
  /** x-axis title, e.g. `Area ratio (relative to nucleus)`. */
  xTitle: string;
  /** @default 'Frequency' */
  yTitle?: string;
  /** Bar opacity. @default 0.5 */
  opacity?: number;
  /** Formats the medians in the legend. @default 4–5 significant figures */
  format?: (value: number) => string;
}

/**
 * Vega-Lite spec of overlaid distributions (histogram, optional density curve) with a dashed
 * line at each group's median, given with n in the legend (the notebook's area-ratio plot).
 */
export function distributionSpec(options: DistributionOptions): TopLevelSpec {
  const format = options.format ?? formatNumber;
  const xTitle = options.xTitle;
  const { layers, summaries, labels, color } = histogramLayers(
    options.groups,
    options.bins ?? 30,
    (s) => `${s.name} (n = ${s.n}, median = ${format(s.median)})`,
    { xTitle, yTitle: options.yTitle ?? 'Frequency', opacity: options.opacity ?? 0.5 },
  );
  const medians = summaries
    .map((s, k) => ({ group: labels[k], x: s.median }))
    .filter((row) => Number.isFinite(row.x));
  const rule: VlLayer = {
    data: { values: medians },
    mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle },
      color,
    },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...titleOf(options),
    width: options.width ?? 560,
    height: options.height ?? 320,
    config: PLOT_CONFIG,
    layer: [...layers, rule],
  };
}
