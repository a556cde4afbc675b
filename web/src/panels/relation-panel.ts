// The relation view: one cell with its matched nucleus, drawn and measured side by side.
import type { Table } from 'cellscope/browser';
import { h } from '../ui/dom.js';
import { formatValue } from './table-model.js';

/** The matched-table columns shown first, when present. */
const KEY_COLUMNS = [
  'cell_area',
  'nuclei_area',
  'cytoplasm_area',
  'nuc_cell_area_ratio',
  'cell_nuc_ratio',
  'circularity',
  'cell_perimeter',
  'cell_feret_diameter_max',
];

export class RelationPanel {
  private readonly canvas: HTMLCanvasElement;
  private readonly title: HTMLElement;
  private readonly list: HTMLElement;

  constructor(container: HTMLElement) {
    this.title = h(
      'div',
      { class: 'relation-title', testid: 'relation-title' },
      'Select a cell to see it with its nucleus.',
    );
    this.canvas = h('canvas', { class: 'relation-canvas', width: 240, height: 240 });
    this.list = h('dl', { class: 'relation-values' });
    container.append(this.title, h('div', { class: 'relation-view' }, this.canvas), this.list);
  }

  clear(): void {
    this.title.textContent = 'Select a cell to see it with its nucleus.';
    this.canvas.getContext('2d')!.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.list.replaceChildren();
  }

  show(cell: number, matched: Table, crop: { bitmap: ImageBitmap; nucleus: number } | null): void {
    const labels = matched.columns.cell_label as ArrayLike<number>;
    const row = Array.prototype.indexOf.call(labels, cell) as number;
    if (row < 0 || !crop) {
      this.clear();
      return;
    }
    this.title.textContent = crop.nucleus
      ? `Cell ${cell} with nucleus ${crop.nucleus}`
      : `Cell ${cell} — no nucleus matched`;
    const context = this.canvas.getContext('2d')!;
    const { width, height } = this.canvas;
    context.fillStyle = '#0b0c0f';
    context.fillRect(0, 0, width, height);
    const scale = Math.min(width / crop.bitmap.width, height / crop.bitmap.height);
    context.imageSmoothingEnabled = scale < 1;
    const [w, h2] = [crop.bitmap.width * scale, crop.bitmap.height * scale];
    context.drawImage(crop.bitmap, (width - w) / 2, (height - h2) / 2, w, h2);
    crop.bitmap.close();
    const names = Object.keys(matched.columns);
    const shown = [
      ...KEY_COLUMNS.filter((c) => names.includes(c)),
      ...names.filter((c) => c.includes('intensity_mean')),
    ];
    this.list.replaceChildren(
      ...shown.flatMap((column) => {
        const value = (matched.columns[column] as ArrayLike<number | string>)[row];
        return [h('dt', {}, column), h('dd', {}, formatValue(value as number))];
      }),
    );
  }
}
