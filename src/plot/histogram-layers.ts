import { InvalidArgumentError } from '../errors.js';
import { finiteValues, PLOT_PALETTE, type VlLayer } from './theme.js';

/** A density curve evaluated by the caller (e.g. a Gaussian KDE), as probability density. */
export interface DensityCurve {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** One group of a histogram: its values, and optionally its density curve and colour. */
export interface HistogramGroup {
  name: string;
  values: ArrayLike<number>;
  /** Density (integrating to 1); drawn scaled to counts, `density · n · binWidth`. */
  kde?: DensityCurve;
  /** CSS colour. @default the next colour of PLOT_PALETTE */
  color?: string;
}

export interface GroupSummary {
  name: string;
  n: number;
  mean: number;
  median: number;
  color: string;
}

export interface HistogramLayers {
  layers: VlLayer[];
  summaries: GroupSummary[];
  /** Legend label of each group, in order. */
  labels: string[];
  /** The colour encoding the layers share (field `group`), for extra layers. */
  color: ColorByGroup;
  binWidth: number;
}

export interface ColorByGroup {
  field: 'group';
  type: 'nominal';
  scale: { domain: string[]; range: string[] };
  legend: Record<string, unknown> & { title: null };
}

/**
 * Bins every group on the same edges (numpy `histogram` over all groups' range, as seaborn's
 * `common_bins`) and returns bar and density layers coloured by `legendLabel(summary)`.
 */
export function histogramLayers(
  groups: readonly HistogramGroup[],
  bins: number,
  legendLabel: (summary: GroupSummary) => string,
  axes: { xTitle: string; yTitle: string; opacity: number },
): HistogramLayers {
  if (groups.length === 0) throw new InvalidArgumentError('a histogram needs at least one group');
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  }
  const values = groups.map((g) => finiteValues(g.values));
  let lo = Infinity;
  let hi = -Infinity;
  for (const vs of values) {
    for (const v of vs) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo === Infinity) [lo, hi] = [0, 1];
  // numpy widens an empty range to ±0.5 around the value.
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const binWidth = (hi - lo) / bins;
  const edge = (i: number): number => (i === bins ? hi : lo + i * binWidth);

  const summaries: GroupSummary[] = groups.map((g, k) => {
    const vs = values[k];
    const sorted = Float64Array.from(vs).sort();
    const n = sorted.length;
    const median = n === 0 ? NaN : (sorted[(n - 1) >> 1] + sorted[n >> 1]) / 2;
    const mean = n === 0 ? NaN : vs.reduce((a, b) => a + b, 0) / n;
    return {
      name: g.name,
      n,
      mean,
      median,
      color: g.color ?? PLOT_PALETTE[k % PLOT_PALETTE.length],
    };
  });
  const labels = summaries.map(legendLabel);

  const barRows: { group: string; x: number; x2: number; count: number }[] = [];
  const curveRows: { group: string; x: number; count: number }[] = [];
  groups.forEach((g, k) => {
    const counts = new Array<number>(bins).fill(0);
    for (const v of values[k]) {
      let i = Math.min(bins - 1, Math.floor((v - lo) / binWidth));
      if (i > 0 && v < edge(i)) i--;
      else if (i < bins - 1 && v >= edge(i + 1)) i++;
      counts[i]++;
    }
    counts.forEach((count, i) => {
      if (count > 0) barRows.push({ group: labels[k], x: edge(i), x2: edge(i + 1), count });
    });
    if (g.kde) {
      if (g.kde.x.length !== g.kde.y.length) {
        throw new InvalidArgumentError(
          `${g.name}: kde has ${g.kde.x.length} x but ${g.kde.y.length} y values`,
        );
      }
      const scale = summaries[k].n * binWidth;
      for (let i = 0; i < g.kde.x.length; i++) {
        const x = g.kde.x[i];
        const y = g.kde.y[i] * scale;
        if (Number.isFinite(x) && Number.isFinite(y))
          curveRows.push({ group: labels[k], x, count: y });
      }
    }
  });

  const color: ColorByGroup = {
    field: 'group',
    type: 'nominal',
    scale: { domain: labels, range: summaries.map((s) => s.color) },
    legend: {
      title: null,
      orient: 'top',
      direction: 'vertical',
      symbolOpacity: 0.8,
      labelLimit: 0,
    },
  };
  const layers: VlLayer[] = [
    {
      data: { values: barRows },
      mark: { type: 'rect', opacity: axes.opacity, stroke: 'white', strokeWidth: 0.6 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: axes.xTitle, scale: { zero: false } },
        x2: { field: 'x2' },
        y: {
          field: 'count',
          type: 'quantitative',
          title: axes.yTitle,
          axis: { tickMinStep: 1 },
        },
        y2: { datum: 0 },
        color,
      },
    },
  ];
  if (curveRows.length > 0) {
    layers.push({
      data: { values: curveRows },
      mark: { type: 'line', strokeWidth: 2.2, clip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: axes.xTitle },
        y: {
          field: 'count',
          type: 'quantitative',
          title: axes.yTitle,
          axis: { tickMinStep: 1 },
        },
        color,
      },
    });
  }
  return { layers, summaries, labels, color, binWidth };
}
