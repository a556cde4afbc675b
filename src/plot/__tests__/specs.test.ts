import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { boxByGroupSpec } from '../box-by-group-spec.js';
import { correlationMatrixSpec } from '../correlation-matrix-spec.js';
import { distributionSpec } from '../distribution-spec.js';
import { histogramKdeSpec } from '../histogram-kde-spec.js';
import { rasterizeSvg, renderSpec } from '../render-spec.js';
import { scatterRegressionSpec } from '../scatter-regression-spec.js';

// Deterministic, roughly normal samples (sum of 4 uniforms from an LCG).
function sample(n: number, mean: number, sd: number, seed: number): number[] {
  let s = seed;
  const uniform = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, () => {
    const z = (uniform() + uniform() + uniform() + uniform() - 2) * Math.sqrt(3);
    return mean + sd * z;
  });
}

/** A Gaussian KDE (Scott's rule) on a grid, as a caller would pass it in. */
function density(values: number[]): { x: number[]; y: number[] } {
  const n = values.length;
  const m = values.reduce((a, b) => a + b) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  const h = sd * n ** -0.2;
  const lo = Math.min(...values) - 3 * h;
  const hi = Math.max(...values) + 3 * h;
  const x = Array.from({ length: 100 }, (_, i) => lo + (i * (hi - lo)) / 99);
  const y = x.map(
    (xi) =>
      values.reduce((a, v) => a + Math.exp(-0.5 * ((xi - v) / h) ** 2), 0) /
      (n * h * Math.sqrt(2 * Math.PI)),
  );
  return { x, y };
}

const nuclei = sample(20, 11100, 1500, 1);
const cells = sample(20, 23600, 5000, 2);
const ratio = cells.map((c, i) => c / nuclei[i]);

const specs: Record<string, { spec: TopLevelSpec; title: string }> = {
  histogramKde: {
    title: 'Distribution of nuclei and cell areas',
    spec: histogramKdeSpec({
      title: 'Distribution of nuclei and cell areas',
      groups: [
        { name: 'Nucleus', values: nuclei, kde: density(nuclei) },
        { name: 'Cell', values: cells, kde: density(cells) },
      ],
      bins: 30,
      xTitle: 'Area (px²)',
    }),
  },
  distribution: {
    title: 'Area ratios (relative to nucleus)',
    spec: distributionSpec({
      title: 'Area ratios (relative to nucleus)',
      groups: [
        { name: 'Cell / nucleus', values: ratio, kde: density(ratio) },
        { name: 'Cytoplasm / nucleus', values: ratio.map((r) => r - 1) },
      ],
      xTitle: 'Area ratio',
    }),
  },
  scatterRegression: {
    title: 'r = 0.52, p = 0.003',
    spec: scatterRegressionSpec({
      title: 'r = 0.52, p = 0.003',
      x: nuclei,
      y: cells,
      line: { x: [8000, 14000], y: [20000, 27000] },
      band: { x: [8000, 11000, 14000], lower: [17000, 23000, 24000], upper: [23000, 24500, 30000] },
      xTitle: 'Nucleus area (px²)',
      yTitle: 'Cell area (px²)',
    }),
  },
  boxByGroup: {
    title: 'Cell area by condition',
    spec: boxByGroupSpec({
      title: 'Cell area by condition',
      groups: [
        { name: 'control', values: cells },
        { name: 'treated', values: sample(15, 26000, 4000, 3) },
      ],
      yTitle: 'Cell area (px²)',
    }),
  },
  violinByGroup: {
    title: 'Cell area by condition (violin)',
    spec: boxByGroupSpec({
      kind: 'violin',
      title: 'Cell area by condition (violin)',
      groups: [
        { name: 'control', values: cells },
        { name: 'treated', values: sample(15, 26000, 4000, 3) },
      ],
      yTitle: 'Cell area (px²)',
      xTitle: 'Condition',
    }),
  },
  correlationMatrix: {
    title: 'Feature correlations',
    spec: correlationMatrixSpec({
      title: 'Feature correlations',
      names: ['cell_area', 'nuclei_area', 'circularity'],
      matrix: [
        [1, 0.62, -0.38],
        [0.62, 1, NaN],
        [-0.38, NaN, 1],
      ],
      legendTitle: 'Pearson r',
    }),
  },
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): [number, number] {
  expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
  const view = new DataView(png.buffer, png.byteOffset);
  return [view.getUint32(16), view.getUint32(20)];
}

function svgSize(svg: string): [number, number] {
  const match = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  expect(match).not.toBeNull();
  return [Number(match![1]), Number(match![2])];
}

describe.each(Object.entries(specs))('%s', (_name, { spec, title }) => {
  it('renders to SVG with its title, without warnings, the same every time', async () => {
    const warnings: string[] = [];
    const svg = await renderSpec(spec, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(title.replace('&', '&amp;'));
    expect(svg).toContain('DejaVu Sans');
    expect(await renderSpec(spec)).toBe(svg);
  });

  it('renders to a PNG of the SVG size × scale that decodes', async () => {
    const [w, h] = svgSize(await renderSpec(spec));
    const png = await renderSpec(spec, { format: 'png', scale: 2 });
    expect(pngSize(png)).toEqual([Math.round(w * 2), Math.round(h * 2)]);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([Math.round(w * 2), Math.round(h * 2)]);
    // White background, drawn marks: both white and clearly non-white pixels.
    let white = 0;
    let dark = 0;
    for (let i = 0; i < data.length; i += info.channels) {
      const sum = data[i] + data[i + 1] + data[i + 2];
      if (sum === 765) white++;
      else if (sum < 400) dark++;
    }
    expect(white / (info.width * info.height)).toBeGreaterThan(0.3);
    expect(dark).toBeGreaterThan(500);
    expect(Buffer.from(await renderSpec(spec, { format: 'png', scale: 2 }))).toEqual(
      Buffer.from(png),
    );
    // Rasterising the SVG already laid out gives the same bytes.
    const svg = await renderSpec(spec);
    expect(Buffer.from(await rasterizeSvg(svg, { scale: 2 }))).toEqual(Buffer.from(png));
  });
});

describe('spec data', () => {
  it('bins all groups on common edges and scales the density to counts', () => {
    const spec = histogramKdeSpec({
      groups: [
        { name: 'a', values: [0, 1, 2, 3, NaN], kde: { x: [0, 4], y: [0.25, 0.25] } },
        { name: 'b', values: [4] },
      ],
      bins: 4,
      xTitle: 'x',
    }) as unknown as { layer: { data: { values: Record<string, number | string>[] } }[] };
    const bars = spec.layer[0].data.values;
    const a = bars.filter((r) => String(r.group).startsWith('a'));
    // Range [0, 4] in 4 bins of width 1; the last edge belongs to the last bin.
    expect(a.map((r) => [r.x, r.x2, r.count])).toEqual([
      [0, 1, 1],
      [1, 2, 1],
      [2, 3, 1],
      [3, 4, 1],
    ]);
    expect(bars.find((r) => String(r.group).startsWith('b'))).toMatchObject({ x: 3, count: 1 });
    expect(a[0].group).toBe('a (n = 4, mean = 1.50)');
    // density 0.25 × n 4 × bin width 1
    expect(spec.layer[1].data.values.map((r) => r.count)).toEqual([1, 1]);
  });

  it('draws a rule at each median', () => {
    const spec = distributionSpec({
      groups: [{ name: 'r', values: [1, 2, 10, 3] }],
      xTitle: 'Ratio',
    }) as unknown as { layer: { mark: { type: string }; data: { values: unknown[] } }[] };
    const rule = spec.layer.find((l) => l.mark.type === 'rule')!;
    expect(rule.data.values).toEqual([{ group: 'r (n = 4, median = 2.50)', x: 2.5 }]);
  });

  it('rejects mismatched inputs', () => {
    expect(() => scatterRegressionSpec({ x: [1, 2], y: [1], xTitle: 'x', yTitle: 'y' })).toThrow(
      /differ in length/,
    );
    expect(() => correlationMatrixSpec({ names: ['a', 'b'], matrix: [[1]] })).toThrow(/2×2/);
    expect(() => histogramKdeSpec({ groups: [], xTitle: 'x' })).toThrow(/at least one/);
  });
});

describe('scatter plots of many points', () => {
  // Distinct x values, so each drawn point names its row.
  const x = Array.from({ length: 12_000 }, (_, i) => i / 100);
  const y = x.map((v, i) => 2 * v + (i % 7));
  const pointsOf = (spec: TopLevelSpec): { x: number; y: number }[] => {
    const layers = (spec as { layer: { mark: { type: string }; data: { values: [] } }[] }).layer;
    return layers.find((l) => l.mark.type === 'circle')!.data.values;
  };

  it('draws a fixed random sample of maxPoints, in order, and says so in the subtitle', () => {
    const options = { x, y, xTitle: 'x', yTitle: 'y', title: 'r = 1' };
    const spec = scatterRegressionSpec({ ...options, maxPoints: 5000 });
    const drawn = pointsOf(spec);
    expect(drawn).toHaveLength(5000);
    // Every drawn point is one of the data's, each once, in the data's order.
    const index = new Map(x.map((v, i) => [v, i]));
    const at = drawn.map((p) => index.get(p.x)!);
    expect(at.every((i, k) => y[i] === drawn[k].y && (k === 0 || i > at[k - 1]))).toBe(true);
    // Spread over the whole data, not its first 5000 rows.
    expect(at[at.length - 1]).toBeGreaterThan(11_000);
    expect((spec as { title: { subtitle: string } }).title.subtitle).toBe(
      '5,000 of 12,000 points drawn at random; the fit uses all',
    );
    // The same sample on every run.
    expect(pointsOf(scatterRegressionSpec({ ...options, maxPoints: 5000 }))).toEqual(drawn);
    // At or under the limit every point is drawn and the subtitle is the caller's.
    const all = scatterRegressionSpec({ ...options, subtitle: 's', maxPoints: 12_000 });
    expect(pointsOf(all)).toHaveLength(12_000);
    expect((all as { title: { subtitle: string } }).title.subtitle).toBe('s');
  });

  it('keeps the SVG of 60,000 points small by default', async () => {
    const many = sample(60_000, 100, 10, 9);
    const spec = scatterRegressionSpec({ x: many, y: many, xTitle: 'x', yTitle: 'y' });
    expect(pointsOf(spec)).toHaveLength(5000);
    const svg = await renderSpec(spec, { format: 'svg' });
    expect(svg.length).toBeLessThan(2_000_000);
  });
});
