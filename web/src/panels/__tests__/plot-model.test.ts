import { changeset, parse, View } from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import {
  BRUSH_PARAM,
  brushedLabels,
  correlationSubtitle,
  DARK_PLOT_THEME,
  defaultPlotColumns,
  numericColumnNames,
  paddedExtent,
  POINTS_DATASET,
  scatterPoints,
  scatterSpec,
  type ScatterSpecOptions,
} from '../plot-model.js';
import type { TableLike } from '../table-model.js';

// Labels 10…15; row 4 (label 14) lacks a nucleus.
const table: TableLike = {
  rowCount: 6,
  columns: {
    cell_label: Float64Array.from([10, 11, 12, 13, 14, 15]),
    condition: ['a', 'b', 'a', 'b', 'a', 'b'],
    cell_area: Float64Array.from([100, 200, 300, 400, 500, 600]),
    nuclei_area: Float64Array.from([10, 50, 30, 40, NaN, 60]),
    circularity: Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]),
  },
};

describe('default columns', () => {
  it('lists numeric columns without the label column', () => {
    expect(numericColumnNames(table, 'cell_label')).toEqual([
      'cell_area',
      'nuclei_area',
      'circularity',
    ]);
  });

  it('prefers nuclei_area, cell_area, area, circularity in that order', () => {
    expect(defaultPlotColumns(table, 'cell_label')).toEqual({ x: 'nuclei_area', y: 'cell_area' });
    const noNuclei: TableLike = {
      rowCount: 1,
      columns: { label: [1], eccentricity: [0.2], circularity: [1], area: [5] },
    };
    expect(defaultPlotColumns(noNuclei, 'label')).toEqual({ x: 'area', y: 'circularity' });
  });

  it('falls back to the first numeric non-label columns', () => {
    const other: TableLike = {
      rowCount: 1,
      columns: { label: [1], nuclei_label: [3], name: ['x'], 'centroid-0': [2], 'centroid-1': [4] },
    };
    expect(defaultPlotColumns(other, 'label')).toEqual({ x: 'centroid-0', y: 'centroid-1' });
    const single: TableLike = { rowCount: 1, columns: { label: [1], 'centroid-0': [2] } };
    expect(defaultPlotColumns(single, 'label')).toEqual({ x: 'centroid-0', y: 'centroid-0' });
    const textOnly: TableLike = { rowCount: 1, columns: { label: [1], name: ['x'] } };
    expect(defaultPlotColumns(textOnly, 'label')).toBeUndefined();
  });
});

describe('points and brushes', () => {
  it('keeps rows with finite x and y and marks the highlighted labels', () => {
    const points = scatterPoints(table, 'cell_label', 'nuclei_area', 'cell_area', new Set([11]));
    expect(points.map((p) => p.label)).toEqual([10, 11, 12, 13, 15]);
    expect(points[1]).toEqual({ label: 11, x: 50, y: 200, highlight: true });
    expect(points.filter((p) => p.highlight).length).toBe(1);
  });

  it('gives the labels inside a brush, edges included, in either drag direction', () => {
    const ranges = { x: [30, 50], y: [150, 600] };
    expect(brushedLabels(table, 'cell_label', 'nuclei_area', 'cell_area', ranges)).toEqual([
      11, 12, 13,
    ]);
    const reversed = { x: [50, 30], y: [600, 150] };
    expect(brushedLabels(table, 'cell_label', 'nuclei_area', 'cell_area', reversed)).toEqual([
      11, 12, 13,
    ]);
  });

  it('never puts a NaN row in a brush, and gives [] for a brush around nothing', () => {
    const all = { x: [-1e9, 1e9], y: [-1e9, 1e9] };
    expect(brushedLabels(table, 'cell_label', 'nuclei_area', 'cell_area', all)).toEqual([
      10, 11, 12, 13, 15,
    ]);
    const none = { x: [1000, 2000], y: [0, 1] };
    expect(brushedLabels(table, 'cell_label', 'nuclei_area', 'cell_area', none)).toEqual([]);
  });

  it('treats an empty or zero-area brush as no brush', () => {
    const brush = (ranges: Parameters<typeof brushedLabels>[4]) =>
      brushedLabels(table, 'cell_label', 'cell_area', 'circularity', ranges);
    expect(brush({})).toBeUndefined();
    expect(brush(null)).toBeUndefined();
    expect(brush({ x: [100, 300] })).toBeUndefined();
    expect(brush({ x: [200, 200], y: [0, 1] })).toBeUndefined();
  });
});

describe('paddedExtent', () => {
  it('spans the values, widens a single value and has a default', () => {
    expect(paddedExtent([3, -2, 7])).toEqual([-2, 7]);
    expect(paddedExtent([100, 100])).toEqual([95, 105]);
    expect(paddedExtent([0])).toEqual([-0.5, 0.5]);
    expect(paddedExtent([])).toEqual([0, 1]);
  });
});

describe('correlationSubtitle', () => {
  it('shows r to three decimals with n, or why there is none', () => {
    expect(correlationSubtitle({ r: 0.52345, n: 2950 })).toBe('Pearson r = 0.523 (n = 2950)');
    expect(correlationSubtitle({ r: -1, n: 2 })).toBe('Pearson r = -1.000 (n = 2)');
    expect(correlationSubtitle({ r: NaN, n: 4 })).toMatch(/constant/);
    expect(correlationSubtitle(undefined)).toMatch(/fewer than 2/);
  });
});

function options(overrides: Partial<ScatterSpecOptions> = {}): ScatterSpecOptions {
  return {
    points: scatterPoints(table, 'cell_label', 'nuclei_area', 'cell_area', new Set([12])),
    labelColumn: 'cell_label',
    xTitle: 'nuclei_area',
    yTitle: 'cell_area (µm²)',
    regression: false,
    subtitle: 'Pearson r = 0.900 (n = 5)',
    width: 360,
    height: 280,
    ...overrides,
  };
}

describe('scatterSpec', () => {
  it('has the brush over x and y, the points dataset, the theme and the titles', () => {
    const spec = scatterSpec(options()) as Record<string, unknown> & { layer: unknown[] };
    expect(spec.layer).toHaveLength(2);
    expect(spec.layer[0]).toMatchObject({
      params: [{ name: BRUSH_PARAM, select: { type: 'interval', encodings: ['x', 'y'] } }],
      mark: { type: 'circle', color: DARK_PLOT_THEME.accent },
      encoding: {
        x: { field: 'x', title: 'nuclei_area', scale: { domain: [10, 60] } },
        y: { field: 'y', title: 'cell_area (µm²)', scale: { domain: [100, 600] } },
      },
    });
    // Highlighted points: a layer drawn last, so they stay on top.
    expect(spec.layer[1]).toMatchObject({
      transform: [{ filter: 'datum.highlight' }],
      mark: { type: 'circle', color: DARK_PLOT_THEME.highlight },
    });
    expect(spec.data).toEqual({ name: POINTS_DATASET });
    expect((spec.datasets as Record<string, unknown[]>)[POINTS_DATASET]).toHaveLength(5);
    expect(spec.background).toBe('transparent');
    expect(spec.title).toEqual({
      text: 'cell_area (µm²) vs nuclei_area',
      subtitle: 'Pearson r = 0.900 (n = 5)',
    });
    expect(JSON.stringify(spec.layer[0])).toContain('"tooltip"');
  });

  it('adds a regression layer on request, under the highlighted points', () => {
    const spec = scatterSpec(options({ regression: true })) as { layer: unknown[] };
    expect(spec.layer).toHaveLength(3);
    expect(spec.layer[1]).toMatchObject({
      transform: [{ regression: 'y', on: 'x' }],
      mark: { type: 'line' },
    });
  });

  it('compiles and runs in Vega: highlight changes restyle points, a brush selects labels', async () => {
    const warnings: unknown[] = [];
    const logger = {
      level: () => logger,
      warn: (...args: unknown[]) => warnings.push(args),
      info: () => logger,
      debug: () => logger,
      error: (...args: unknown[]) => warnings.push(args),
    };
    const { spec } = compile(scatterSpec(options({ regression: true })), {
      logger: logger as unknown as NonNullable<Parameters<typeof compile>[1]>['logger'],
    });
    expect(warnings).toEqual([]);
    const view = new View(parse(spec), { renderer: 'none' });
    await view.runAsync();
    const highlightedLabels = () =>
      symbolItems(view)
        .filter((i) => i.fill === DARK_PLOT_THEME.highlight)
        .map((i) => i.datum.label);
    expect(symbolItems(view)).toHaveLength(5 + 1);
    expect(highlightedLabels()).toEqual([12]);

    // What PlotPanel.setHighlight does.
    const highlight = new Set([11]);
    view.change(
      POINTS_DATASET,
      changeset().modify(
        (t: { label: number; highlight: boolean }) => t.highlight !== highlight.has(t.label),
        'highlight',
        (t: { label: number }) => highlight.has(t.label),
      ),
    );
    await view.runAsync();
    expect(highlightedLabels()).toEqual([11]);
    expect(symbolItems(view)).toHaveLength(5 + 1);

    // Drag a brush in pixels through Vega-Lite's signals, read it back as the panel does.
    const brushValues: unknown[] = [];
    view.addSignalListener(BRUSH_PARAM, (_name, value) => brushValues.push(value));
    const xScale = view.scale('x') as (v: number) => number;
    const yScale = view.scale('y') as (v: number) => number;
    view.signal('brush_x_1', [xScale(25), xScale(55)]);
    view.signal('brush_y_1', [yScale(150), yScale(650)]);
    await view.runAsync();
    const last = brushValues.at(-1) as { x: number[]; y: number[] };
    expect(last.x[0]).toBeCloseTo(25);
    expect(last.x[1]).toBeCloseTo(55);
    expect(brushedLabels(table, 'cell_label', 'nuclei_area', 'cell_area', last)).toEqual([
      11, 12, 13,
    ]);
    view.finalize();
  });
});

interface SymbolItem {
  datum: { label: number };
  fill: string;
}

interface SceneNode {
  marktype?: string;
  items?: SceneNode[];
}

function symbolItems(view: View): SymbolItem[] {
  const found: SymbolItem[] = [];
  const visit = (node: SceneNode): void => {
    if (node.marktype === 'symbol') found.push(...(node.items as unknown as SymbolItem[]));
    else for (const item of node.items ?? []) visit(item);
  };
  visit((view.scenegraph() as unknown as { root: SceneNode }).root);
  return found;
}
