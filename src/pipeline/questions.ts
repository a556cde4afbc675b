import type { TopLevelSpec } from 'vega-lite';
import type { Table } from '../table/table.js';
import { distributionSpec } from '../plot/distribution-spec.js';
import { histogramKdeSpec } from '../plot/histogram-kde-spec.js';
import { scatterRegressionSpec } from '../plot/scatter-regression-spec.js';
import { correlationMatrixSpec } from '../plot/correlation-matrix-spec.js';
import { describeSample, type Description } from '../stats/describe.js';
import { gaussianKde } from '../stats/gaussian-kde.js';
import { linearRegression } from '../stats/linear-regression.js';
import { pearson } from '../stats/pearson.js';
import { regressionBand } from '../stats/regression-band.js';

/** Which column suffixes (`DNA`, or `ch<k>` by index) hold which stain, from the config's channels. */
export interface ChannelRoles {
  nuclei: string;
  cytoplasm: string;
  /** The first further channel (the notebook's channel 3), if any. */
  signal?: string;
}

/** One of the notebook's questions, answered: numbers for the report and summary, and plots. */
export interface Answer {
  id: string;
  title: string;
  /** Lines for the report, `label: value`. */
  lines: string[];
  /** The same numbers for summary.json. */
  numbers: Record<string, number | null>;
  plots: { name: string; caption: string; spec: TopLevelSpec }[];
}

const finite = (values: ArrayLike<number>): number[] =>
  Array.from(values).filter((v) => Number.isFinite(v));

/** describeSample(), or NaN statistics when there is nothing to describe (no cells, no nuclei). */
function summarize(values: number[]): Description {
  if (values.length > 0) return describeSample(values);
  return {
    n: 0,
    nMissing: 0,
    mean: NaN,
    sd: NaN,
    median: NaN,
    q1: NaN,
    q3: NaN,
    min: NaN,
    max: NaN,
  };
}

const fmt = (value: number): string =>
  Number.isFinite(value) ? String(Number(value.toPrecision(4))) : 'n/a';

/** Finite (x, y) pairs of two columns. */
function pairs(x: ArrayLike<number>, y: ArrayLike<number>): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  return [xs, ys];
}

function densityCurve(values: number[]): { x: number[]; y: number[] } | undefined {
  if (values.length < 2 || Math.min(...values) === Math.max(...values)) return undefined;
  const kde = gaussianKde(values);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  // seaborn's kdeplot extends the curve 3 kernel sds past the data (cut = 3).
  const reach = 3 * kde.kernelSd;
  const x = Array.from({ length: 200 }, (_, i) => lo - reach + ((hi - lo + 2 * reach) * i) / 199);
  return { x, y: Array.from(kde.evaluate(x)) };
}

/** A scatter with regression line, analytic 95% band and Pearson r in the title. */
function correlation(
  id: string,
  title: string,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xTitle: string,
  yTitle: string,
): Answer {
  const [xs, ys] = pairs(x, y);
  const numbers: Record<string, number | null> = { n: xs.length, r: null, p: null, slope: null };
  const lines = [`n: ${xs.length}`];
  const plots: Answer['plots'] = [];
  if (xs.length >= 3 && new Set(xs).size > 1 && new Set(ys).size > 1) {
    const { r, p } = pearson(xs, ys);
    const fit = linearRegression(xs, ys);
    const band = regressionBand(xs, ys);
    Object.assign(numbers, { r, p, slope: fit.slope, intercept: fit.intercept });
    lines.push(`Pearson r: ${fmt(r)} (p = ${fmt(p)})`, `slope: ${fmt(fit.slope)}`);
    plots.push({
      name: id,
      caption: title,
      spec: scatterRegressionSpec({
        x: xs,
        y: ys,
        line: { x: band.x, y: band.y },
        band,
        xTitle,
        yTitle,
        title: `${title} (r = ${fmt(r)}, p = ${fmt(p)})`,
      }),
    });
  } else {
    lines.push('too few cells with both values for a correlation');
  }
  return { id, title, lines, numbers, plots };
}

/**
 * The notebook's questions A–F on the matched per-cell table (`measureCells`): area
 * distributions, area ratios, compartment intensities, and three correlations.
 */
export function answerQuestions(matched: Table, roles: ChannelRoles, areaUnit: string): Answer[] {
  const column = (name: string): Float64Array => {
    const found = matched.columns[name];
    return found instanceof Float64Array ? found : new Float64Array(matched.rowCount).fill(NaN);
  };
  const answers: Answer[] = [];

  // A: nucleus vs cell area.
  const nucleusArea = finite(column('nuclei_area'));
  const cellArea = finite(column('cell_area'));
  const a = summarize(nucleusArea);
  const c = summarize(cellArea);
  answers.push({
    id: 'A',
    title: 'A. Nucleus and cell areas',
    lines: [
      `nuclei: n = ${a.n}, mean = ${fmt(a.mean)} ${areaUnit}, median = ${fmt(a.median)}`,
      `cells: n = ${c.n}, mean = ${fmt(c.mean)} ${areaUnit}, median = ${fmt(c.median)}`,
    ],
    numbers: { nucleiN: a.n, nucleiMeanArea: a.mean, cellsN: c.n, cellsMeanArea: c.mean },
    plots: [
      {
        name: 'A_areas',
        caption: 'Nucleus and cell area distributions',
        spec: histogramKdeSpec({
          groups: [
            { name: 'Nuclei', values: nucleusArea, kde: densityCurve(nucleusArea) },
            { name: 'Cells', values: cellArea, kde: densityCurve(cellArea) },
          ],
          xTitle: `Area (${areaUnit})`,
          title: 'Nucleus vs cell area',
        }),
      },
    ],
  });

  // B: area ratios, and how the cell/nucleus ratio changes with cell size.
  const cellNuc = finite(column('cell_nuc_ratio'));
  const cytoNuc = finite(column('cyto_nuc_ratio'));
  const [cellNucMedian, cytoNucMedian] = [summarize(cellNuc).median, summarize(cytoNuc).median];
  const rb = correlation(
    'B_ratio_vs_area',
    'Cell/nucleus area ratio vs cell area',
    column('cell_area'),
    column('cell_nuc_ratio'),
    `Cell area (${areaUnit})`,
    'Cell / nucleus area',
  );
  answers.push({
    id: 'B',
    title: 'B. Area ratios',
    lines: [
      `median cell/nucleus ratio: ${fmt(cellNucMedian)} (n = ${cellNuc.length})`,
      `median cytoplasm/nucleus ratio: ${fmt(cytoNucMedian)}`,
      ...rb.lines.map((l) => `ratio vs cell area, ${l}`),
    ],
    numbers: {
      medianCellNucRatio: cellNucMedian,
      medianCytoNucRatio: cytoNucMedian,
      ratioVsAreaR: rb.numbers.r,
    },
    plots: [
      {
        name: 'B_ratios',
        caption: 'Area ratio distributions with medians',
        spec: distributionSpec({
          groups: [
            { name: 'Cell / nucleus', values: cellNuc, kde: densityCurve(cellNuc) },
            { name: 'Cytoplasm / nucleus', values: cytoNuc, kde: densityCurve(cytoNuc) },
          ],
          xTitle: 'Area ratio (relative to the nucleus)',
          title: 'Area ratios',
        }),
      },
      ...rb.plots,
    ],
  });

  // C: intensity per compartment.
  const groups = [
    { name: `Nucleus (${roles.nuclei})`, column: `nuclei_intensity_mean_${roles.nuclei}` },
    { name: `Cell (${roles.cytoplasm})`, column: `cell_intensity_mean_${roles.cytoplasm}` },
    {
      name: `Cytoplasm (${roles.cytoplasm})`,
      column: `cytoplasm_intensity_mean_${roles.cytoplasm}`,
    },
  ].map((g) => {
    const values = finite(column(g.column));
    return { ...g, values, stats: summarize(values) };
  });
  answers.push({
    id: 'C',
    title: 'C. Mean intensity per compartment',
    lines: groups.map(
      ({ name, stats: d }) =>
        `${name}: n = ${d.n}, mean = ${fmt(d.mean)}, median = ${fmt(d.median)}`,
    ),
    numbers: Object.fromEntries(groups.map((g) => [g.column, g.stats.mean])),
    plots: [
      {
        name: 'C_intensities',
        caption: 'Mean intensity distributions per compartment',
        spec: histogramKdeSpec({
          groups: groups.map((g) => ({
            name: g.name,
            values: g.values,
            kde: densityCurve(g.values),
          })),
          xTitle: 'Mean intensity (a.u.)',
          title: 'Mean intensities',
        }),
      },
    ],
  });

  // D–F: correlations.
  if (roles.signal) {
    answers.push(
      correlation(
        'D',
        `D. Nucleus/cell area ratio vs ${roles.signal} intensity`,
        column('nuc_cell_area_ratio'),
        column(`cell_intensity_mean_${roles.signal}`),
        'Nucleus / cell area',
        `Cell mean intensity ${roles.signal} (a.u.)`,
      ),
    );
  }
  answers.push(
    correlation(
      'E',
      `E. Nucleus ${roles.nuclei} vs cell ${roles.cytoplasm} intensity`,
      column(`nuclei_intensity_mean_${roles.nuclei}`),
      column(`cell_intensity_mean_${roles.cytoplasm}`),
      `Nucleus mean intensity ${roles.nuclei} (a.u.)`,
      `Cell mean intensity ${roles.cytoplasm} (a.u.)`,
    ),
    correlation(
      'F',
      `F. Circularity vs ${roles.cytoplasm} intensity`,
      column('circularity'),
      column(`cell_intensity_mean_${roles.cytoplasm}`),
      'Circularity 4πA/P²',
      `Cell mean intensity ${roles.cytoplasm} (a.u.)`,
    ),
  );

  // Summary: the key measures described, and how they correlate.
  const measures = [
    ['cell_area', 'cell area'],
    ['nuclei_area', 'nucleus area'],
    ['cell_nuc_ratio', 'cell/nucleus'],
    ['circularity', 'circularity'],
    [`nuclei_intensity_mean_${roles.nuclei}`, `nucleus ${roles.nuclei}`],
    [`cell_intensity_mean_${roles.cytoplasm}`, `cell ${roles.cytoplasm}`],
    ...(roles.signal ? [[`cell_intensity_mean_${roles.signal}`, `cell ${roles.signal}`]] : []),
  ].filter(([name]) => finite(column(name)).length >= 3);
  const described = measures.map(([name]) => describeSample(finite(column(name))));
  const matrix = measures.map(([a]) =>
    measures.map(([b]) => {
      const [xs, ys] = pairs(column(a), column(b));
      return xs.length >= 3 && new Set(xs).size > 1 && new Set(ys).size > 1
        ? pearson(xs, ys).r
        : NaN;
    }),
  );
  answers.push({
    id: 'summary',
    title: 'Summary',
    lines: measures.map(([, label], k) => {
      const d = described[k];
      return `${label}: n = ${d.n}, mean = ${fmt(d.mean)}, sd = ${fmt(d.sd)}, median = ${fmt(d.median)} (IQR ${fmt(d.q1)}–${fmt(d.q3)})`;
    }),
    numbers: Object.fromEntries(
      measures.map(([name], k) => [`${name}_median`, described[k].median]),
    ),
    plots:
      measures.length >= 2
        ? [
            {
              name: 'summary_correlations',
              caption: 'Pearson correlations between the per-cell measures',
              spec: correlationMatrixSpec({
                names: measures.map(([, label]) => label),
                matrix,
                legendTitle: 'Pearson r',
                title: 'Correlations',
              }),
            },
          ]
        : [],
  });
  return answers;
}
