import type { TopLevelSpec } from 'vega-lite';
import { InvalidArgumentError } from '../errors.js';
import { seededRandom } from '../synth/random.js';
import {
  PLOT_CONFIG,
  PLOT_PALETTE,
  type PlotSize,
  type PlotTitle,
  titleOf,
  type VlLayer,
} from './theme.js';

/** The fitted line, evaluated by the caller at a few x values. */
export interface RegressionLine {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** A confidence band around the line, evaluated by the caller. */
export interface ConfidenceBand {
  x: ArrayLike<number>;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
}

/** One set of points with its fit. */
export interface ScatterSeries {
  /** Legend entry; a plot of one unnamed series has no legend. */
  name?: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  line?: RegressionLine;
  band?: ConfidenceBand;
  /** Point and band colour. @default the next colour of PLOT_PALETTE */
  color?: string;
  /** Line colour, e.g. a darker shade of `color`. @default color */
  lineColor?: string;
}

interface ScatterCommon extends PlotSize, PlotTitle {
  /** x-axis title with units, e.g. `Nucleus / cell area ratio`. */
  xTitle: string;
  /** y-axis title with units, e.g. `Ch3 mean intensity (a.u.)`. */
  yTitle: string;
  /** Point opacity. @default 0.55 */
  pointOpacity?: number;
  /**
   * Most points drawn: above it a fixed random sample is drawn and the subtitle says so (the fit
   * and statistics, computed by the caller, still use every point). seaborn draws all; 60,000
   * points make a 20 MB SVG that a report cannot carry. @default 5000
   */
  maxPoints?: number;
}

/** One series given inline, or several (`series`) on the same axes. */
export type ScatterRegressionOptions = ScatterCommon &
  (ScatterSeries | { series: readonly ScatterSeries[] });

/**
 * Vega-Lite spec of a scatter plot with a regression line and confidence band (seaborn
 * `regplot`). The fit is computed by the caller; put the statistics in `title`, e.g.
 * `r = 0.52, p = 0.003`. Points with a non-finite coordinate are left out.
 */
export function scatterRegressionSpec(options: ScatterRegressionOptions): TopLevelSpec {
  const series = 'series' in options ? options.series : [options];
  if (series.length === 0) throw new InvalidArgumentError('a scatter plot needs a series');
  const { xTitle, yTitle } = options;
  const names = series.map((s, k) => s.name ?? (series.length === 1 ? '' : `Series ${k + 1}`));
  const colors = series.map((s, k) => s.color ?? PLOT_PALETTE[k % PLOT_PALETTE.length]);
  const showLegend = series.length > 1 || series[0].name !== undefined;

  // Padding keeps points at the extremes off the axes.
  const x = {
    field: 'x',
    type: 'quantitative',
    title: xTitle,
    scale: { zero: false, padding: 10 },
  } as const;
  const bands: VlLayer[] = [];
  const lines: VlLayer[] = [];
  const points: { series: string; x: number; y: number }[] = [];
  series.forEach((s, k) => {
    checkLengths(`${names[k] || 'series'} points`, s.x, s.y);
    for (let i = 0; i < s.x.length; i++) {
      if (Number.isFinite(s.x[i]) && Number.isFinite(s.y[i])) {
        points.push({ series: names[k], x: s.x[i], y: s.y[i] });
      }
    }
    if (s.band) {
      checkLengths(`${names[k] || 'series'} band`, s.band.x, s.band.lower, s.band.upper);
      const rows = Array.from({ length: s.band.x.length }, (_, i) => ({
        x: s.band!.x[i],
        lower: s.band!.lower[i],
        upper: s.band!.upper[i],
      }));
      bands.push({
        data: { values: rows },
        mark: { type: 'area', color: colors[k], opacity: 0.18 },
        encoding: {
          x,
          y: {
            field: 'lower',
            type: 'quantitative',
            title: yTitle,
            scale: { zero: false, padding: 10 },
          },
          y2: { field: 'upper' },
        },
      });
    }
    if (s.line) {
      checkLengths(`${names[k] || 'series'} line`, s.line.x, s.line.y);
      const rows = Array.from({ length: s.line.x.length }, (_, i) => ({
        x: s.line!.x[i],
        y: s.line!.y[i],
      }));
      lines.push({
        data: { values: rows },
        mark: { type: 'line', color: s.lineColor ?? colors[k], strokeWidth: 2.5 },
        encoding: {
          x,
          y: {
            field: 'y',
            type: 'quantitative',
            title: yTitle,
            scale: { zero: false, padding: 10 },
          },
        },
      });
    }
  });

  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const drawn = points.length > maxPoints ? samplePoints(points, maxPoints) : points;
  const pointLayer: VlLayer = {
    data: { values: drawn },
    mark: { type: 'circle', size: 48, opacity: options.pointOpacity ?? 0.55 },
    encoding: {
      x,
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false, padding: 10 } },
      color: {
        field: 'series',
        type: 'nominal',
        scale: { domain: names, range: colors },
        legend: showLegend
          ? { title: null, orient: 'top', direction: 'horizontal', labelLimit: 0, symbolOpacity: 1 }
          : null,
      },
    },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...titleOf({ ...options, subtitle: sampledSubtitle(options.subtitle, drawn, points) }),
    width: options.width ?? 560,
    height: options.height ?? 320,
    config: PLOT_CONFIG,
    layer: [...bands, pointLayer, ...lines],
  };
}

const DEFAULT_MAX_POINTS = 5000;

/** `count` of `points`, chosen at random with a fixed seed (the same plot on every run), in order. */
function samplePoints<T>(points: readonly T[], count: number): T[] {
  const random = seededRandom(points.length);
  const order = Uint32Array.from({ length: points.length }, (_, i) => i);
  // A partial Fisher–Yates shuffle: the first `count` entries are a uniform sample.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (points.length - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return Array.from(order.subarray(0, count).sort(), (i) => points[i]);
}

function sampledSubtitle(
  subtitle: string | undefined,
  drawn: readonly unknown[],
  points: readonly unknown[],
): string | undefined {
  if (drawn.length === points.length) return subtitle;
  const note = `${drawn.length.toLocaleString('en-US')} of ${points.length.toLocaleString('en-US')} points drawn at random; the fit uses all`;
  return subtitle ? `${subtitle} · ${note}` : note;
}

function checkLengths(what: string, ...arrays: ArrayLike<number>[]): void {
  if (arrays.some((a) => a.length !== arrays[0].length)) {
    throw new InvalidArgumentError(
      `${what}: coordinate arrays differ in length (${arrays.map((a) => a.length).join(', ')})`,
    );
  }
}
