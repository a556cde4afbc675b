import type { TopLevelSpec } from 'vega-lite';
import { InvalidArgumentError } from '../errors.js';
import {
  finiteValues,
  PLOT_CONFIG,
  PLOT_PALETTE,
  type PlotTitle,
  titleOf,
  type VlLayer,
} from './theme.js';

/** One box (or violin): a condition and its values. */
export interface BoxGroup {
  name: string;
  values: ArrayLike<number>;
  /** CSS colour. @default the next colour of PLOT_PALETTE */
  color?: string;
}

export interface BoxByGroupOptions extends PlotTitle {
  groups: readonly BoxGroup[];
  /** y-axis title with units, e.g. `Cell mean intensity Ch2 (a.u.)`. */
  yTitle: string;
  /** x-axis title, e.g. `Condition`; none by default. */
  xTitle?: string;
  /**
   * `box`: Tukey box plot (whiskers at 1.5 IQR, as seaborn `boxplot`); `violin`: a Gaussian
   * density (Scott's bandwidth) mirrored about the group's axis, with a line at the median.
   * @default 'box'
   */
  kind?: 'box' | 'violin';
  /** Draw every value as a jittered point (in a fixed pattern, so renders repeat). @default true */
  points?: boolean;
  /** Width given to each group, in pixels. @default 110 */
  groupWidth?: number;
  /** @default 320 */
  height?: number;
}

/**
 * Vega-Lite spec of values by group (condition) as box plots or violins, with the points over
 * them. Non-finite values are left out.
 */
export function boxByGroupSpec(options: BoxByGroupOptions): TopLevelSpec {
  const { groups, yTitle } = options;
  if (groups.length === 0) throw new InvalidArgumentError('a box plot needs at least one group');
  const names = groups.map((g) => g.name);
  if (new Set(names).size !== names.length) {
    throw new InvalidArgumentError('group names must differ');
  }
  const colors = groups.map((g, k) => g.color ?? PLOT_PALETTE[k % PLOT_PALETTE.length]);
  const rows: { group: string; value: number; jitter: number }[] = [];
  groups.forEach((g) => {
    finiteValues(g.values).forEach((value, i) => {
      // Golden-ratio sequence: even, repeatable spread across the box.
      rows.push({ group: g.name, value, jitter: ((i * 0.6180339887498949 + 0.5) % 1) - 0.5 });
    });
  });
  const step = options.groupWidth ?? 110;
  const height = options.height ?? 320;
  const showPoints = options.points ?? true;
  const color = {
    field: 'group',
    type: 'nominal',
    scale: { domain: names, range: colors },
    legend: null,
  } as const;
  const y = {
    field: 'value',
    type: 'quantitative',
    title: yTitle,
    scale: { zero: false },
  } as const;
  const pointMark = {
    type: 'circle',
    size: 30,
    opacity: 0.7,
    stroke: 'white',
    strokeWidth: 0.5,
  } as const;

  if ((options.kind ?? 'box') === 'box') {
    const x = {
      field: 'group',
      type: 'nominal',
      sort: names,
      title: options.xTitle ?? null,
      axis: { labelAngle: 0, labelLimit: step - 4 },
    } as const;
    const layers: VlLayer[] = [
      {
        mark: {
          type: 'boxplot',
          extent: 1.5,
          size: Math.round(step * 0.5),
          opacity: 0.45,
          median: { color: '#1a1a1a', strokeWidth: 2 },
          outliers: showPoints ? false : { size: 30 },
          rule: { color: '#555555' },
        },
        encoding: { x, y, color },
      },
    ];
    if (showPoints) {
      layers.push({
        mark: pointMark,
        encoding: {
          x,
          xOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-1.6, 1.6] } },
          y,
          color,
        },
      });
    }
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      ...titleOf(options),
      width: { step },
      height,
      config: PLOT_CONFIG,
      data: { values: rows },
      layer: layers,
    };
  }

  // Violins: one facet column per group, the density mirrored about the column's centre.
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.min(lo, r.value);
    hi = Math.max(hi, r.value);
  }
  const pad = 0.2 * (hi - lo);
  const layers: VlLayer[] = [
    {
      transform: [
        {
          density: 'value',
          groupby: ['group'],
          // Past the data a little, so the tails close instead of ending flat.
          ...(lo < hi ? { extent: [lo - pad, hi + pad] as [number, number] } : {}),
          as: ['value', 'density'],
        },
        // The extent is shared by all groups: trim each group's near-zero tails.
        { joinaggregate: [{ op: 'max', field: 'density', as: 'peak' }], groupby: ['group'] },
        { filter: 'datum.density >= 0.01 * datum.peak' },
      ],
      mark: { type: 'area', orient: 'horizontal', fillOpacity: 0.45, strokeWidth: 1.2 },
      encoding: {
        y,
        x: {
          field: 'density',
          type: 'quantitative',
          stack: 'center',
          impute: null,
          title: null,
          axis: null,
        },
        color,
        stroke: color,
      },
    },
    {
      mark: { type: 'tick', color: '#1a1a1a', thickness: 2, size: Math.round(step * 0.35) },
      encoding: { y: { ...y, aggregate: 'median' } },
    },
  ];
  if (showPoints) {
    layers.push({
      mark: pointMark,
      encoding: {
        y,
        x: { field: 'jitter', type: 'quantitative', scale: { domain: [-1.6, 1.6] }, axis: null },
        color,
      },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...titleOf(options),
    config: { ...PLOT_CONFIG, view: { stroke: null } },
    data: { values: rows },
    facet: {
      column: {
        field: 'group',
        type: 'nominal',
        sort: names,
        title: options.xTitle ?? null,
        header: {
          labelOrient: 'bottom',
          titleOrient: 'bottom',
          labelFontSize: 11,
          labelColor: '#333333',
          titleFontSize: 12,
          titleFontWeight: 'normal',
          labelPadding: 6,
        },
      },
    },
    spacing: 0,
    // The violins share one density scale (equal areas, as seaborn); the points have their own.
    spec: { width: step, height, layer: layers, resolve: { scale: { x: 'independent' } } },
  };
}
