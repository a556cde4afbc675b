// The objects table's row elements: few in the DOM, reused as rows scroll through them.
import { element } from '../ui/dom.js';

/** A row element in the DOM, reused for whichever table row scrolls into its place. */
export interface RowView {
  element: HTMLDivElement;
  /** Cell elements; a row holds only the label cell and the columns in view. */
  cells: HTMLDivElement[];
  /** The text node of each cell. */
  texts: Text[];
  /** The column each cell shows, -1 before the first use. */
  columns: number[];
  /** The label shown, NaN before the first use. */
  label: number;
}

export function createRowView(doc: Document): RowView {
  const row = element(doc, 'div', 'row');
  row.setAttribute('role', 'row');
  return { element: row, cells: [], texts: [], columns: [], label: NaN };
}

/** Gives a row one cell per column to render, each on its grid track. */
export function placeCells(
  view: RowView,
  columns: readonly number[],
  textColumns: readonly boolean[],
): void {
  const doc = view.element.ownerDocument;
  while (view.cells.length < columns.length) {
    const cell = element(doc, 'div', 'ot-cell');
    cell.setAttribute('role', 'gridcell');
    const text = doc.createTextNode('');
    cell.append(text);
    view.element.append(cell);
    view.cells.push(cell);
    view.texts.push(text);
    view.columns.push(-1);
  }
  while (view.cells.length > columns.length) {
    view.cells.pop()!.remove();
    view.texts.pop();
    view.columns.pop();
  }
  for (let j = 0; j < columns.length; j++) {
    const c = columns[j];
    if (view.columns[j] === c) continue;
    view.columns[j] = c;
    const cell = view.cells[j];
    cell.style.gridColumn = String(c + 1);
    cell.classList.toggle('ot-label-cell', c === 0);
    cell.classList.toggle('ot-text', textColumns[c]);
  }
}

/** The label of the row an event landed in, if any. */
export function labelOfTarget(target: EventTarget | null): number | undefined {
  const row = target instanceof Element ? target.closest<HTMLElement>('.row') : null;
  const label = row?.dataset.label;
  return label === undefined ? undefined : Number(label);
}
