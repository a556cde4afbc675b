import { pearson, type Table } from 'cellscope/browser';
import embed, { type Result, vega } from 'vega-embed';
import './plot-panel.css';
import {
  BRUSH_PARAM,
  brushedLabels,
  type BrushRanges,
  correlationSubtitle,
  DARK_PLOT_THEME,
  defaultPlotColumns,
  numericColumnNames,
  type PlotTheme,
  POINTS_DATASET,
  scatterPoints,
  scatterSpec,
} from './plot-model.js';
import { element } from '../ui/dom.js';

export interface PlotPanelCallbacks {
  /** Labels inside the brush, in row order; undefined when the brush is cleared. */
  onBrush(labels: number[] | undefined): void;
  /** A point was clicked. */
  onSelect(label: number): void;
}

/** Height of the plot (axes and titles included); the panel is ~600 px tall, shared with the table. */
const PLOT_HEIGHT = 300;

/** A pointer that moves farther than this between press and release dragged, not clicked. */
const CLICK_TOLERANCE_PX = 4;

/**
 * Scatter plot of two numeric columns for the side panel (Vega-Lite through vega-embed): pick x
 * and y, optionally a regression line, Pearson's r in the subtitle. Dragging a brush reports the
 * labels inside it, clicking a point reports its label, {@link setHighlight} marks labels.
 */
export class PlotPanel {
  private readonly root: HTMLDivElement;
  private readonly xSelect: HTMLSelectElement;
  private readonly ySelect: HTMLSelectElement;
  private readonly regressionBox: HTMLInputElement;
  private readonly plotElement: HTMLDivElement;
  private readonly message: HTMLDivElement;
  private readonly listeners = new AbortController();
  private readonly resizeObserver: ResizeObserver | undefined;

  private table: Table | undefined;
  private labelColumn = '';
  private highlight = new Set<number>();
  private result: Result | undefined;
  private renderedWidth = 0;
  /** Incremented by each render, so a slow embed that was overtaken is thrown away. */
  private generation = 0;
  private brushFrame = 0;
  private pendingBrush: BrushRanges | undefined;
  /** What onBrush last reported, to report changes only. */
  private lastBrush: number[] | undefined;
  private pressedAt: { x: number; y: number } | undefined;
  private disposed = false;

  constructor(
    container: HTMLElement,
    private readonly callbacks: PlotPanelCallbacks,
  ) {
    const doc = container.ownerDocument;
    this.root = element(doc, 'div', 'plot-panel');
    const controls = element(doc, 'div', 'pp-controls');
    this.xSelect = element(doc, 'select', 'pp-select');
    this.xSelect.dataset.testid = 'plot-x';
    this.ySelect = element(doc, 'select', 'pp-select');
    this.ySelect.dataset.testid = 'plot-y';
    this.regressionBox = element(doc, 'input', 'pp-checkbox');
    this.regressionBox.type = 'checkbox';
    this.regressionBox.dataset.testid = 'plot-regression';
    controls.append(
      labelled(doc, 'x', this.xSelect, 'pp-field'),
      labelled(doc, 'y', this.ySelect, 'pp-field'),
      labelled(doc, 'regression line', this.regressionBox, 'pp-toggle', true),
    );
    this.plotElement = element(doc, 'div', 'pp-plot');
    this.plotElement.dataset.testid = 'plot-view';
    this.message = element(doc, 'div', 'pp-message');
    this.root.append(controls, this.plotElement, this.message);
    container.append(this.root);

    const signal = this.listeners.signal;
    for (const control of [this.xSelect, this.ySelect, this.regressionBox]) {
      control.addEventListener('change', () => void this.render(), { signal });
    }
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => this.onResize());
      this.resizeObserver.observe(this.plotElement);
    }
    this.showMessage('No objects yet.');
  }

  /**
   * Plots a table (undefined: none) whose rows are identified by `labelColumn`. The chosen axes
   * stay when the new table has them. Resolves once the plot is drawn.
   */
  async setTable(table: Table | undefined, labelColumn: string): Promise<void> {
    this.table = table;
    this.labelColumn = labelColumn;
    const numeric = table === undefined ? [] : numericColumnNames(table, labelColumn);
    const defaults = table === undefined ? undefined : defaultPlotColumns(table, labelColumn);
    fillSelect(this.xSelect, numeric, pick(this.xSelect.value, numeric, defaults?.x));
    fillSelect(this.ySelect, numeric, pick(this.ySelect.value, numeric, defaults?.y));
    await this.render();
  }

  /** Draws the points of `labels` in the highlight colour, bigger and on top. */
  setHighlight(labels: ReadonlySet<number>): void {
    this.highlight = new Set(labels);
    const view = this.result?.view;
    if (view === undefined) return;
    const highlight = this.highlight;
    // Only the points whose state changes are touched; scales and regression stay as they are.
    const changes = vega.changeset().modify(
      (point: { label: number; highlight: boolean }) =>
        point.highlight !== highlight.has(point.label),
      'highlight',
      (point: { label: number }) => highlight.has(point.label),
    );
    view
      .change(POINTS_DATASET, changes)
      .runAsync()
      .catch((error) => this.showMessage(`Cannot update the plot: ${error}`));
  }

  /** Removes the plot and every listener it set. */
  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.listeners.abort();
    this.resizeObserver?.disconnect();
    cancelAnimationFrame(this.brushFrame);
    this.result?.finalize();
    this.result = undefined;
    this.root.remove();
  }

  private async render(): Promise<void> {
    const generation = ++this.generation;
    const table = this.table;
    const x = this.xSelect.value;
    const y = this.ySelect.value;
    const points =
      table && x && y ? scatterPoints(table, this.labelColumn, x, y, this.highlight) : [];
    if (table === undefined || points.length === 0) {
      this.clearPlot();
      this.showMessage(
        table === undefined
          ? 'No objects yet.'
          : x === '' || y === ''
            ? 'The table has no numeric columns to plot.'
            : `No object has both ${x} and ${y}.`,
      );
      return;
    }
    const width = Math.max(200, Math.floor(this.plotElement.clientWidth || 360));
    const spec = scatterSpec({
      points,
      labelColumn: this.labelColumn,
      xTitle: withUnit(table, x),
      yTitle: withUnit(table, y),
      regression: this.regressionBox.checked,
      subtitle: correlationSubtitle(
        points.length < 2
          ? undefined
          : pearson(
              points.map((p) => p.x),
              points.map((p) => p.y),
            ),
      ),
      width,
      height: PLOT_HEIGHT,
      theme: readTheme(this.root),
    });
    // A fresh element per plot: the old plot stays until the new one is drawn, and an embed
    // that was overtaken never touches the element of the newer one.
    const host = element(this.root.ownerDocument, 'div', 'pp-host');
    let result: Result;
    try {
      result = await embed(host, spec, {
        actions: false,
        renderer: 'svg',
        tooltip: { theme: 'dark' },
      });
    } catch (error) {
      if (generation === this.generation) {
        this.clearPlot();
        this.showMessage(`Cannot draw the plot: ${error}`);
      }
      return;
    }
    if (generation !== this.generation) {
      result.finalize();
      return;
    }
    this.clearPlot();
    this.showMessage('');
    this.plotElement.append(host);
    this.result = result;
    this.renderedWidth = width;
    this.listenTo(result, table, x, y);
    // Observing anew reports the current size on the next frame, so a plot drawn while hidden
    // (width unknown) fits once it shows.
    this.resizeObserver?.unobserve(this.plotElement);
    this.resizeObserver?.observe(this.plotElement);
    // setHighlight calls made while the plot was being drawn.
    this.setHighlight(this.highlight);
  }

  private listenTo(result: Result, table: Table, x: string, y: string): void {
    const { view } = result;
    view.addSignalListener(BRUSH_PARAM, (_name, value: BrushRanges) => {
      // A drag fires this per pointer move; the labels are worked out once per frame.
      this.pendingBrush = value;
      if (this.brushFrame !== 0) return;
      this.brushFrame = requestAnimationFrame(() => {
        this.brushFrame = 0;
        if (this.result !== result) return;
        const labels = brushedLabels(table, this.labelColumn, x, y, this.pendingBrush);
        this.reportBrush(labels);
      });
    });
    view.addEventListener('pointerdown', (event) => {
      const pointer = event as PointerEvent;
      this.pressedAt = { x: pointer.clientX, y: pointer.clientY };
    });
    view.addEventListener('click', (event, item) => {
      const pointer = event as MouseEvent;
      const pressed = this.pressedAt;
      this.pressedAt = undefined;
      if (
        pressed !== undefined &&
        Math.hypot(pointer.clientX - pressed.x, pointer.clientY - pressed.y) > CLICK_TOLERANCE_PX
      ) {
        return;
      }
      const label = (item?.datum as { label?: unknown } | undefined)?.label;
      if (item?.mark.marktype === 'symbol' && typeof label === 'number') {
        this.callbacks.onSelect(label);
      }
    });
  }

  private reportBrush(labels: number[] | undefined): void {
    if (sameLabels(labels, this.lastBrush)) return;
    this.lastBrush = labels;
    this.callbacks.onBrush(labels);
  }

  /** Removes the current plot; a brush it had is reported cleared. */
  private clearPlot(): void {
    cancelAnimationFrame(this.brushFrame);
    this.brushFrame = 0;
    this.result?.finalize();
    this.result = undefined;
    this.plotElement.replaceChildren();
    if (!this.disposed) this.reportBrush(undefined);
  }

  private showMessage(text: string): void {
    this.message.textContent = text;
    this.message.hidden = text === '';
  }

  private onResize(): void {
    const view = this.result?.view;
    const width = Math.floor(this.plotElement.clientWidth);
    if (view === undefined || width < 200 || Math.abs(width - this.renderedWidth) < 4) return;
    this.renderedWidth = width;
    view
      .width(width)
      .runAsync()
      .catch((error) => this.showMessage(`Cannot resize the plot: ${error}`));
  }
}

/** The previous choice if the new table has it, else the default. */
function pick(previous: string, options: readonly string[], fallback: string | undefined): string {
  return options.includes(previous) ? previous : (fallback ?? '');
}

function fillSelect(select: HTMLSelectElement, options: readonly string[], value: string): void {
  const doc = select.ownerDocument;
  select.replaceChildren(
    ...options.map((name) => {
      const option = doc.createElement('option');
      option.value = name;
      option.textContent = name;
      return option;
    }),
  );
  select.value = value;
  select.disabled = options.length === 0;
}

function withUnit(table: Table, column: string): string {
  const unit = table.metadata.units?.[column];
  return unit ? `${column} (${unit})` : column;
}

function sameLabels(a: number[] | undefined, b: number[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((label, i) => label === b[i]);
}

/** The app's theme colours (CSS custom properties), falling back to the built-in dark theme. */
function readTheme(element: HTMLElement): PlotTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', DARK_PLOT_THEME.text),
    muted: read('--muted', DARK_PLOT_THEME.muted),
    border: read('--border', DARK_PLOT_THEME.border),
    grid: read('--panel-2', DARK_PLOT_THEME.grid),
    accent: read('--accent', DARK_PLOT_THEME.accent),
    highlight: read('--highlight', DARK_PLOT_THEME.highlight),
  };
}

function labelled(
  doc: Document,
  text: string,
  control: HTMLElement,
  className: string,
  after = false,
): HTMLLabelElement {
  const label = element(doc, 'label', className);
  const caption = element(doc, 'span', 'pp-caption');
  caption.textContent = text;
  if (after) label.append(control, caption);
  else label.append(caption, control);
  return label;
}
