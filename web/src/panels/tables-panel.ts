// The right-hand side: which table shows (cells, nuclei or an opened one), the counts, and the
// Objects, Plot and Relation tabs. It shows what the app gives it and reports what the user did.
import { csvToTable, parquetToTable, type Table } from 'cellscope/browser';
import type { EngineClient } from '../engine/client.js';
import type { Measurements } from '../engine/protocol.js';
import type { Layout, TabName, TableView } from '../layout.js';
import { ObjectsTable } from './objects-table.js';
import { PlotPanel } from './plot-panel.js';
import { RelationPanel } from './relation-panel.js';

export interface TablesCallbacks {
  onHover(label: number | undefined): void;
  onSelect(labels: number[], mode: 'replace' | 'toggle'): void;
  /** Labels brushed in the plot (undefined: the brush was cleared). */
  onBrush(labels: number[] | undefined): void;
}

export class TablesPanel {
  private readonly table: ObjectsTable;
  private readonly plot: PlotPanel;
  private readonly relation: RelationPanel;
  private openedTable?: Table;
  view: TableView = 'cells';

  constructor(
    private readonly elements: Layout,
    private readonly engine: EngineClient,
    callbacks: TablesCallbacks,
  ) {
    this.table = new ObjectsTable(elements.tableHost, {
      onHover: (label) => callbacks.onHover(label),
      onSelect: (labels, mode) => callbacks.onSelect(labels, mode),
    });
    this.plot = new PlotPanel(elements.plotHost, {
      onBrush: (labels) => callbacks.onBrush(labels ?? undefined),
      onSelect: (label) => callbacks.onSelect([label], 'replace'),
    });
    this.relation = new RelationPanel(elements.relationHost);
  }

  setView(view: TableView): void {
    this.view = view;
    for (const button of this.elements.tableSwitch.querySelectorAll<HTMLElement>('button')) {
      button.classList.toggle('active', button.dataset.view === view);
    }
  }

  /** Shows the tables and counts of `measurements` (none: empty) with the selection. */
  refresh(measurements: Measurements | undefined, selection: Set<number>): void {
    const m = measurements;
    const counts = this.elements.counts;
    counts.textContent = m
      ? `${m.counts.nuclei} nuclei · ${m.counts.cells} cells · ${m.counts.cellsWithNucleus} with nucleus`
      : '';
    counts.dataset.nuclei = String(m?.counts.nuclei ?? 0);
    counts.dataset.cells = String(m?.counts.cells ?? 0);
    const { table, labelColumn } = this.shownTable(m);
    this.table.setTable(table, labelColumn);
    this.table.setSelection(selection);
    void this.plot.setTable(table, labelColumn).then(() => this.plot.setHighlight(selection));
  }

  /** `scroll`: bring the first selected row into view (the selection came from elsewhere). */
  setSelection(selection: Set<number>, scroll = false): void {
    this.table.setSelection(selection, scroll);
    this.plot.setHighlight(selection);
  }

  /** A table the user opened; it shows until the next image. */
  setOpenedTable(table: Table | undefined, fileName = ''): void {
    this.openedTable = table;
    const button = this.elements.tableSwitch.querySelector<HTMLElement>('[data-view="opened"]')!;
    button.hidden = !table;
    button.title = fileName;
  }

  showTab(name: TabName): void {
    const e = this.elements;
    e.tableHost.hidden = name !== 'Objects';
    e.plotHost.hidden = name !== 'Plot';
    e.relationHost.hidden = name !== 'Relation';
    e.tabs
      .querySelectorAll<HTMLElement>('button')
      .forEach((b) => b.classList.toggle('active', b.dataset.tab === name));
  }

  /** The relation view of a cell (when that tab shows); no cell clears it. */
  async showRelation(
    cell: number | undefined,
    measurements: Measurements | undefined,
  ): Promise<void> {
    if (this.elements.relationHost.hidden) return;
    if (!cell || !measurements) return this.relation.clear();
    const crop = await this.engine.request('relation', { cell, size: 240 });
    this.relation.show(cell, measurements.matched, crop);
  }

  private shownTable(m: Measurements | undefined): {
    table: Table | undefined;
    labelColumn: string;
  } {
    if (this.view === 'opened') {
      const table = this.openedTable;
      const names = table ? Object.keys(table.columns) : [];
      return {
        table,
        labelColumn:
          ['cell_label', 'label', 'nuclei_label'].find((c) => names.includes(c)) ??
          names[0] ??
          'label',
      };
    }
    if (this.view === 'nuclei') return { table: m?.nuclei, labelColumn: 'label' };
    return { table: m?.matched, labelColumn: 'cell_label' };
  }
}

/** A CSV or Parquet table the user opened; errors name the file. */
export async function readTableFile(file: File): Promise<Table> {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return /\.parquet$/i.test(file.name)
      ? await parquetToTable(bytes)
      : csvToTable(new TextDecoder().decode(bytes));
  } catch (error) {
    throw Object.assign(error as Error, { file: (error as { file?: string }).file ?? file.name });
  }
}

/** The image point (pixel units) at an object's centroid in its regionprops table. */
export function objectCentre(
  table: Table,
  label: number,
  pixelSizeUm = 1,
): { x: number; y: number } | undefined {
  const labels = table.columns.label as ArrayLike<number> | undefined;
  const i = labels ? Array.prototype.indexOf.call(labels, label) : -1;
  if (i < 0) return undefined;
  // Tables measured with a pixel size hold centroids in µm; pixel centres sit at +0.5.
  const [row, col] = ['centroid-0', 'centroid-1'].map(
    (c) => (table.columns[c] as ArrayLike<number>)[i] / pixelSizeUm,
  );
  return { x: col + 0.5, y: row + 0.5 };
}
