import type { TopLevelSpec } from 'vega-lite';
import { InvalidArgumentError } from '../errors.js';
import { PLOT_CONFIG, type PlotTitle, titleOf } from './theme.js';

export interface CorrelationMatrixOptions extends PlotTitle {
  /** Variable names, in matrix order. */
  names: readonly string[];
  /** Square matrix of coefficients in [−1, 1]; `matrix[i][j]` pairs names i and j. NaN cells show “n/a”. */
  matrix: ArrayLike<ArrayLike<number>>;
  /** Side of one cell in pixels. @default 64 */
  cellSize?: number;
  /** Colour legend title, e.g. `Pearson r` or `Spearman ρ`. @default 'r' */
  legendTitle?: string;
  /** Decimals of the printed values. @default 2 */
  decimals?: number;
}

/**
 * Vega-Lite spec of a correlation heatmap with the value in each cell: a diverging blue–red
 * scale fixed to [−1, 1], so colours compare across plots.
 */
export function correlationMatrixSpec(options: CorrelationMatrixOptions): TopLevelSpec {
  const { names, matrix } = options;
  const n = names.length;
  if (n === 0) throw new InvalidArgumentError('a correlation matrix needs at least one variable');
  if (matrix.length !== n || Array.from(matrix).some((row) => row.length !== n)) {
    throw new InvalidArgumentError(`the matrix must be ${n}×${n}, one row and column per name`);
  }
  const decimals = options.decimals ?? 2;
  const rows: { row: string; col: string; r: number | null; label: string }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const r = matrix[i][j];
      const finite = Number.isFinite(r);
      rows.push({
        row: names[i],
        col: names[j],
        r: finite ? r : null,
        // −0.00 reads as a sign error: print zero plainly.
        label: finite ? (Object.is(+r.toFixed(decimals), -0) ? 0 : r).toFixed(decimals) : 'n/a',
      });
    }
  }
  const step = options.cellSize ?? 64;
  const axis = { title: null, domain: false, ticks: false, labelPadding: 6, labelLimit: 220 };
  const x = {
    field: 'col',
    type: 'nominal',
    sort: [...names],
    axis: { ...axis, orient: 'top', labelAngle: -35, labelAlign: 'left' },
  } as const;
  const y = { field: 'row', type: 'nominal', sort: [...names], axis } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...titleOf(options),
    width: { step },
    height: { step },
    config: { ...PLOT_CONFIG, view: { stroke: null } },
    data: { values: rows },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1.5 },
        encoding: {
          x,
          y,
          color: {
            field: 'r',
            type: 'quantitative',
            scale: { domain: [-1, 1], scheme: 'redblue', reverse: true },
            legend: {
              title: options.legendTitle ?? 'r',
              gradientLength: Math.max(100, step * n - 24),
            },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: Math.min(13, Math.max(9, step / 5)) },
        encoding: {
          x,
          y,
          text: { field: 'label' },
          color: {
            condition: { test: 'datum.r != null && abs(datum.r) > 0.6', value: 'white' },
            value: '#1a1a1a',
          },
        },
      },
    ],
  };
}
