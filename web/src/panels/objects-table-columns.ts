// Column geometry of the objects table: how wide each column is and which ones are in view.
import type { Table } from 'cellscope/browser';
import { formatValue } from './table-model.js';

/** Pixels of columns rendered left and right of the visible ones. */
const OVERSCAN_PX = 160;

/** Pixels for a column: its header or its widest value among the first rows, within bounds. */
export function columnWidth(table: Table, name: string, c: number): number {
  const values = table.columns[name];
  const sampled = Math.min(table.rowCount, 300);
  let chars = name.length + 2;
  for (let i = 0; i < sampled; i++) chars = Math.max(chars, formatValue(values[i]).length);
  const max = c === 0 ? 90 : 150;
  return Math.round(Math.min(max, Math.max(44, chars * 7 + 14)));
}

/**
 * Column indices to render: the label column, then those overlapping the visible width.
 * `lefts` and `widths` are the columns' pixel positions, one per column.
 */
export function columnsInView(
  lefts: readonly number[],
  widths: readonly number[],
  scrollLeft: number,
  clientWidth: number,
): number[] {
  if (widths.length === 0) return [];
  const left = scrollLeft - OVERSCAN_PX;
  const right = scrollLeft + clientWidth + OVERSCAN_PX;
  const columns = [0];
  for (let c = 1; c < widths.length; c++) {
    const cellLeft = lefts[c];
    if (cellLeft + widths[c] > left && cellLeft < right) columns.push(c);
  }
  return columns;
}
