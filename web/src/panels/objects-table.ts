import type { Table } from 'cellscope/browser';
import './objects-table.css';
import {
  ALL_ROWS,
  formatValue,
  isTextColumn,
  parseFilter,
  type RowPredicate,
  rowLabels,
  sortedRowOrder,
  type SortDirection,
  visibleRows,
} from './table-model.js';
import { element } from '../ui/dom.js';
import { columnsInView, columnWidth } from './objects-table-columns.js';
import { createRowView, labelOfTarget, placeCells, type RowView } from './objects-table-rows.js';

/** Row height in pixels; the CSS uses the same value. */
export const ROW_HEIGHT = 22;

/** Rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN_ROWS = 8;

export type SelectMode = 'replace' | 'toggle';

export interface ObjectsTableCallbacks {
  /** The pointer entered the row of `label`; undefined when it left the table. */
  onHover(label: number | undefined): void;
  /** A click (`replace`), a ctrl/meta/shift-click (`toggle`) or an arrow key (`replace`). */
  onSelect(labels: number[], mode: SelectMode): void;
}

interface SortState {
  column: string;
  direction: SortDirection;
}

/**
 * The objects table of the side panel: one row per object, the label column first and pinned,
 * a filter box (`cell_area > 500 and circularity < 0.8`), sort by header click, and virtual
 * scrolling (only the rows and columns in view are in the DOM). The container needs a
 * definite height.
 *
 * Clicks and arrow keys show the new selection at once and report it through `onSelect`;
 * {@link setSelection} from the app always wins.
 */
export class ObjectsTable {
  private readonly root: HTMLDivElement;
  private readonly filterInput: HTMLInputElement;
  private readonly filterError: HTMLDivElement;
  private readonly countElement: HTMLSpanElement;
  private readonly scroller: HTMLDivElement;
  private readonly head: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly emptyMessage: HTMLDivElement;
  private readonly listeners = new AbortController();
  private readonly resizeObserver: ResizeObserver | undefined;

  private table: Table | undefined;
  private columns: string[] = [];
  private textColumns: boolean[] = [];
  private columnLefts: number[] = [];
  private columnWidths: number[] = [];
  /** Columns in each rendered row: the label column, then those in view. */
  private renderedColumns: number[] = [];
  private labels: Float64Array = new Float64Array(0);
  private predicate: RowPredicate = ALL_ROWS;
  private sort: SortState | undefined;
  private order: Uint32Array | undefined;
  private rows: Uint32Array = new Uint32Array(0);
  private positionOfLabel = new Map<number, number>();
  private selection = new Set<number>();
  private cursorLabel: number | undefined;
  private hoveredLabel: number | undefined;
  private pointer: { x: number; y: number } | undefined;
  private rowViews: RowView[] = [];
  private renderedStart = -1;
  private renderedEnd = -1;
  private frame = 0;

  constructor(
    container: HTMLElement,
    private readonly callbacks: ObjectsTableCallbacks,
  ) {
    const doc = container.ownerDocument;
    this.root = element(doc, 'div', 'objects-table');

    const header = element(doc, 'div', 'ot-header');
    this.filterInput = element(doc, 'input', 'ot-filter');
    this.filterInput.type = 'text';
    this.filterInput.spellcheck = false;
    this.filterInput.autocomplete = 'off';
    this.filterInput.placeholder = 'filter: cell_area > 500 and circularity < 0.8';
    this.filterInput.dataset.testid = 'table-filter';
    this.filterInput.setAttribute('aria-label', 'Filter objects');
    this.countElement = element(doc, 'span', 'ot-count');
    this.countElement.dataset.testid = 'object-count';
    this.countElement.setAttribute('aria-live', 'polite');
    header.append(this.filterInput, this.countElement);

    this.filterError = element(doc, 'div', 'ot-filter-error');
    this.filterError.hidden = true;
    this.filterError.setAttribute('role', 'alert');

    this.scroller = element(doc, 'div', 'ot-scroll');
    this.scroller.tabIndex = 0;
    this.scroller.dataset.testid = 'objects-table';
    this.scroller.setAttribute('role', 'grid');
    this.head = element(doc, 'div', 'ot-head');
    this.head.setAttribute('role', 'row');
    this.body = element(doc, 'div', 'ot-body');
    this.body.setAttribute('role', 'rowgroup');
    this.emptyMessage = element(doc, 'div', 'ot-empty');
    this.scroller.append(this.head, this.body, this.emptyMessage);

    this.root.append(header, this.filterError, this.scroller);
    container.append(this.root);

    const signal = this.listeners.signal;
    this.filterInput.addEventListener('input', () => this.applyFilter(), { signal });
    this.filterInput.addEventListener('keydown', (e) => this.onFilterKey(e), { signal });
    this.head.addEventListener('click', (e) => this.onHeaderClick(e), { signal });
    this.body.addEventListener('click', (e) => this.onRowClick(e), { signal });
    this.scroller.addEventListener('pointermove', (e) => this.onPointerMove(e), { signal });
    this.scroller.addEventListener('pointerleave', () => this.onPointerLeave(), { signal });
    this.scroller.addEventListener('scroll', () => this.scheduleRender(), { signal });
    this.scroller.addEventListener('keydown', (e) => this.onKey(e), { signal });
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => this.scheduleRender());
      this.resizeObserver.observe(this.scroller);
    }
    this.setTable(undefined, '');
  }

  /** Rows that pass the filter. */
  get shownRowCount(): number {
    return this.rows.length;
  }

  /** Rows of the table. */
  get totalRowCount(): number {
    return this.table?.rowCount ?? 0;
  }

  /**
   * Shows a table (undefined: none) whose rows are identified by `labelColumn` (row numbers 1, 2, …
   * when it has no such column). The filter text stays and is applied again; the sort stays if its
   * column still exists.
   */
  setTable(table: Table | undefined, labelColumn: string): void {
    this.table = table;
    const names = table === undefined ? [] : Object.keys(table.columns);
    // The label column first, where it stays pinned.
    this.columns = names.includes(labelColumn)
      ? [labelColumn, ...names.filter((n) => n !== labelColumn)]
      : names;
    this.textColumns = this.columns.map((name) => isTextColumn(table!.columns[name]));
    this.labels = table === undefined ? new Float64Array(0) : rowLabels(table, labelColumn);
    if (this.sort !== undefined && !this.columns.includes(this.sort.column)) this.sort = undefined;
    this.order = this.sort && table && sortedRowOrder(table, this.sort.column, this.sort.direction);
    this.predicate = ALL_ROWS;
    // The labels may mean other objects now; render() finds the row under the pointer again.
    this.setHovered(undefined);

    this.clearRowViews();
    this.buildHeader();
    this.applyFilter();
  }

  /** Marks the rows of `labels` selected; with `scrollIntoView`, scrolls to the first of them. */
  setSelection(labels: ReadonlySet<number>, scrollIntoView = false): void {
    this.selection = new Set(labels);
    if (this.cursorLabel === undefined || !this.selection.has(this.cursorLabel)) {
      const first = this.firstSelectedPosition();
      this.cursorLabel = first === undefined ? undefined : this.labels[this.rows[first]];
    }
    this.updateSelectionClasses();
    if (scrollIntoView) {
      const first = this.firstSelectedPosition();
      if (first !== undefined) this.scrollToPosition(first, 'center');
    }
  }

  /** Removes the table from its container and every listener it set. */
  dispose(): void {
    this.listeners.abort();
    this.resizeObserver?.disconnect();
    cancelAnimationFrame(this.frame);
    this.root.remove();
    this.table = undefined;
    this.rowViews = [];
  }

  private buildHeader(): void {
    const doc = this.root.ownerDocument;
    const widths = this.columns.map((name, c) => columnWidth(this.table!, name, c));
    this.columnWidths = widths;
    this.columnLefts = [];
    let left = 0;
    for (const width of widths) {
      this.columnLefts.push(left);
      left += width;
    }
    // Every row is a grid on these tracks, so header and cells line up.
    this.scroller.style.setProperty('--ot-columns', widths.map((w) => `${w}px`).join(' '));
    this.scroller.style.setProperty('--ot-width', `${left}px`);
    const units = (this.table?.metadata.units ?? {}) as Record<string, string>;
    this.head.replaceChildren(
      ...this.columns.map((name, c) => {
        const cell = element(doc, 'div', 'ot-cell ot-head-cell');
        cell.classList.toggle('ot-label-cell', c === 0);
        cell.classList.toggle('ot-text', this.textColumns[c]);
        cell.dataset.column = name;
        cell.setAttribute('role', 'columnheader');
        cell.title = units[name]
          ? `${name} (${units[name]}): click to sort`
          : `${name}: click to sort`;
        const title = element(doc, 'span', 'ot-head-title');
        title.textContent = name;
        const arrow = element(doc, 'span', 'ot-sort-arrow');
        cell.append(title, arrow);
        return cell;
      }),
    );
    this.updateSortIndicator();
  }

  private updateSortIndicator(): void {
    for (const cell of this.head.children as HTMLCollectionOf<HTMLElement>) {
      const sorted = this.sort?.column === cell.dataset.column;
      const direction = sorted ? this.sort!.direction : undefined;
      cell.classList.toggle('sorted', sorted);
      cell.setAttribute(
        'aria-sort',
        direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none',
      );
      cell.lastElementChild!.textContent =
        direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : '';
    }
  }

  private applyFilter(): void {
    // Without a table there is nothing to check the column names against.
    const text = this.table === undefined ? '' : this.filterInput.value;
    try {
      this.predicate = parseFilter(text, this.columns);
      this.filterInput.classList.remove('invalid');
      this.filterInput.removeAttribute('aria-invalid');
      this.filterError.hidden = true;
      this.filterError.textContent = '';
    } catch (error) {
      // Keep the last valid filter, so the rows do not flicker while the user types.
      this.filterInput.classList.add('invalid');
      this.filterInput.setAttribute('aria-invalid', 'true');
      this.filterError.hidden = false;
      this.filterError.textContent = error instanceof Error ? error.message : String(error);
    }
    this.refreshRows();
  }

  private refreshRows(): void {
    const table = this.table;
    this.rows =
      table === undefined ? new Uint32Array(0) : visibleRows(table, this.predicate, this.order);
    this.positionOfLabel = new Map();
    this.rows.forEach((row, position) => this.positionOfLabel.set(this.labels[row], position));
    this.countElement.textContent = `${this.rows.length} of ${this.totalRowCount} objects`;
    this.body.style.height = `${this.rows.length * ROW_HEIGHT}px`;
    this.emptyMessage.hidden = this.rows.length > 0;
    this.emptyMessage.textContent =
      table === undefined
        ? 'No objects yet.'
        : table.rowCount === 0
          ? 'The table has no rows.'
          : 'No objects match the filter.';
    this.renderedStart = this.renderedEnd = -1;
    this.render();
    // Layout may be in flux (a tab just shown); a check on the next frame costs nothing.
    this.scheduleRender();
  }

  private scheduleRender(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Puts the rows and columns in view (plus overscan) into the DOM, reusing elements. */
  private render(): void {
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight;
    const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN_ROWS);
    const end = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN_ROWS);
    const columns = columnsInView(
      this.columnLefts,
      this.columnWidths,
      this.scroller.scrollLeft,
      this.scroller.clientWidth,
    );
    if (
      start === this.renderedStart &&
      end === this.renderedEnd &&
      sameNumbers(columns, this.renderedColumns)
    ) {
      return;
    }
    this.renderedStart = start;
    this.renderedEnd = end;
    this.renderedColumns = columns;
    this.body.style.paddingTop = `${start * ROW_HEIGHT}px`;

    const count = Math.max(0, end - start);
    while (this.rowViews.length < count) {
      const view = createRowView(this.root.ownerDocument);
      this.rowViews.push(view);
      this.body.append(view.element);
    }
    while (this.rowViews.length > count) this.rowViews.pop()!.element.remove();

    const table = this.table;
    if (table === undefined) return;
    const columnValues = columns.map((c) => table.columns[this.columns[c]]);
    for (let k = 0; k < count; k++) {
      const position = start + k;
      const tableRow = this.rows[position];
      const label = this.labels[tableRow];
      const view = this.rowViews[k];
      const row = view.element;
      if (view.label !== label) {
        view.label = label;
        row.dataset.label = String(label);
      }
      row.classList.toggle('odd', position % 2 === 1);
      row.classList.toggle('selected', this.selection.has(label));
      row.ariaRowIndex = String(position + 1);
      placeCells(view, columns, this.textColumns);
      // Text nodes are updated in place: cheaper than textContent, which replaces the node.
      for (let j = 0; j < columns.length; j++) {
        const text = formatValue(columnValues[j][tableRow]);
        if (view.texts[j].data !== text) view.texts[j].data = text;
      }
    }
    this.refreshHover();
  }

  private clearRowViews(): void {
    for (const view of this.rowViews) view.element.remove();
    this.rowViews = [];
    this.renderedStart = this.renderedEnd = -1;
  }

  private updateSelectionClasses(): void {
    for (const view of this.rowViews) {
      view.element.classList.toggle('selected', this.selection.has(view.label));
    }
  }

  private firstSelectedPosition(): number | undefined {
    if (this.selection.size === 0) return undefined;
    let first: number | undefined;
    for (const label of this.selection) {
      const position = this.positionOfLabel.get(label);
      if (position !== undefined && (first === undefined || position < first)) first = position;
    }
    return first;
  }

  /** Scrolls so that row `position` is in view: at the nearest edge, or centred. */
  private scrollToPosition(position: number, align: 'nearest' | 'center'): void {
    const headHeight = this.head.offsetHeight;
    const viewHeight = Math.max(ROW_HEIGHT, this.scroller.clientHeight - headHeight);
    const rowTop = position * ROW_HEIGHT;
    const top = this.scroller.scrollTop;
    if (rowTop >= top && rowTop + ROW_HEIGHT <= top + viewHeight) return;
    this.scroller.scrollTop =
      align === 'center'
        ? rowTop - (viewHeight - ROW_HEIGHT) / 2
        : rowTop < top
          ? rowTop
          : rowTop + ROW_HEIGHT - viewHeight;
    this.render();
  }

  private onHeaderClick(event: MouseEvent): void {
    const cell = (event.target as Element).closest<HTMLElement>('.ot-head-cell');
    const column = cell?.dataset.column;
    if (column === undefined || this.table === undefined) return;
    const direction: SortDirection =
      this.sort?.column === column && this.sort.direction === 'asc' ? 'desc' : 'asc';
    this.sort = { column, direction };
    this.order = sortedRowOrder(this.table, column, direction);
    this.updateSortIndicator();
    this.refreshRows();
  }

  private onRowClick(event: MouseEvent): void {
    const label = labelOfTarget(event.target);
    if (label === undefined) return;
    const mode: SelectMode =
      event.ctrlKey || event.metaKey || event.shiftKey ? 'toggle' : 'replace';
    if (mode === 'replace') this.selection = new Set([label]);
    else if (!this.selection.delete(label)) this.selection.add(label);
    this.cursorLabel = label;
    this.updateSelectionClasses();
    this.callbacks.onSelect([label], mode);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    if (this.rows.length === 0) return;
    const cursor =
      this.cursorLabel !== undefined && this.selection.has(this.cursorLabel)
        ? this.positionOfLabel.get(this.cursorLabel)
        : this.firstSelectedPosition();
    const step = event.key === 'ArrowDown' ? 1 : -1;
    const next =
      cursor === undefined ? 0 : Math.min(this.rows.length - 1, Math.max(0, cursor + step));
    const label = this.labels[this.rows[next]];
    if (next === cursor && this.selection.size === 1) return;
    this.selection = new Set([label]);
    this.cursorLabel = label;
    this.updateSelectionClasses();
    this.scrollToPosition(next, 'nearest');
    this.callbacks.onSelect([label], 'replace');
  }

  private onFilterKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.filterInput.value === '') return;
    this.filterInput.value = '';
    this.applyFilter();
  }

  private onPointerMove(event: PointerEvent): void {
    this.pointer = { x: event.clientX, y: event.clientY };
    this.setHovered(labelOfTarget(event.target));
  }

  private onPointerLeave(): void {
    this.pointer = undefined;
    this.setHovered(undefined);
  }

  /** After a scroll, the row under a still pointer shows another object. */
  private refreshHover(): void {
    if (this.pointer === undefined) return;
    const target = this.root.ownerDocument.elementFromPoint(this.pointer.x, this.pointer.y);
    this.setHovered(
      target !== null && this.body.contains(target) ? labelOfTarget(target) : undefined,
    );
  }

  private setHovered(label: number | undefined): void {
    if (label === this.hoveredLabel) return;
    this.hoveredLabel = label;
    this.callbacks.onHover(label);
  }
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
