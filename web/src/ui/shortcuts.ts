// Keyboard shortcuts and the help overlay that lists them (press ?). One table serves both,
// so the help can never disagree with the keys.
import type { Tool } from '../viewer/viewer.js';
import { h } from './dom.js';
import './shortcuts.css';

export interface Shortcut {
  keys: string;
  does: string;
  matches(event: KeyboardEvent): boolean;
  run(): void;
}

const ctrl = (event: KeyboardEvent) => event.ctrlKey || event.metaKey;
const plain = (key: string) => (event: KeyboardEvent) => event.key === key && !ctrl(event);

export interface ShortcutActions {
  undo(): void;
  redo(): void;
  deleteSelection(): void;
  /** Esc: drops the polygon being drawn, else clears the selection. */
  escape(): void;
  /** Enter: closes the polygon being drawn. */
  closePolygon(): void;
  /** Whether a polygon is being drawn (only then is Enter taken from buttons). */
  drawingPolygon(): boolean;
  tool(name: Tool): void;
  fit(): void;
}

export function shortcuts(a: ShortcutActions): Shortcut[] {
  return [
    {
      keys: 'Ctrl+Z',
      does: 'undo',
      matches: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === 'z',
      run: a.undo,
    },
    {
      keys: 'Ctrl+Shift+Z, Ctrl+Y',
      does: 'redo',
      matches: (e) => ctrl(e) && ((e.shiftKey && e.key.toLowerCase() === 'z') || e.key === 'y'),
      run: a.redo,
    },
    {
      keys: 'Delete',
      does: 'delete the selected objects',
      matches: (e) => e.key === 'Delete' || e.key === 'Backspace',
      run: a.deleteSelection,
    },
    {
      keys: 'Esc',
      does: 'drop the polygon being drawn, else clear the selection',
      matches: plain('Escape'),
      run: a.escape,
    },
    { keys: 'S', does: 'select and pan', matches: plain('s'), run: () => a.tool('select') },
    { keys: 'L', does: 'measure a line', matches: plain('l'), run: () => a.tool('line') },
    { keys: 'B', does: 'brush', matches: plain('b'), run: () => a.tool('brush') },
    { keys: 'E', does: 'eraser', matches: plain('e'), run: () => a.tool('erase') },
    { keys: 'G', does: 'fill (bucket)', matches: plain('g'), run: () => a.tool('fill') },
    { keys: 'I', does: 'pick a label', matches: plain('i'), run: () => a.tool('pick') },
    {
      keys: 'P',
      does: 'polygon: drag a lasso, or click vertices',
      matches: plain('p'),
      run: () => a.tool('polygon'),
    },
    {
      keys: 'Enter, double-click',
      does: 'close the polygon',
      matches: (e) => plain('Enter')(e) && a.drawingPolygon(),
      run: a.closePolygon,
    },
    {
      keys: 'K',
      does: 'split: drag a line across objects',
      matches: plain('k'),
      run: () => a.tool('split'),
    },
    { keys: 'F', does: 'fit the image', matches: plain('f'), run: a.fit },
  ];
}

const TYPING =
  'select, textarea, input:not([type=checkbox], [type=radio], [type=range], [type=color])';

/** Runs the shortcuts (not while typing in a field) and shows their list on ?. */
export function listenForShortcuts(list: Shortcut[], host: HTMLElement): void {
  const help = h(
    'div',
    { class: 'shortcut-help', testid: 'shortcut-help', hidden: true },
    h('h2', {}, 'Keyboard shortcuts'),
    h(
      'table',
      {},
      ...list.map((s) => h('tr', {}, h('td', {}, h('kbd', {}, s.keys)), h('td', {}, s.does))),
      h('tr', {}, h('td', {}, h('kbd', {}, '?')), h('td', {}, 'this list')),
      h('tr', {}, h('td', {}, h('kbd', {}, 'wheel, drag')), h('td', {}, 'zoom, pan')),
    ),
  );
  host.append(help);
  window.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    // Keys go to fields that take text; a focused checkbox or slider does not keep them.
    if (target.matches(TYPING)) return;
    if (event.key === '?') {
      help.hidden = !help.hidden;
      return;
    }
    if (event.key === 'Escape' && !help.hidden) {
      help.hidden = true;
      return;
    }
    const shortcut = list.find((s) => s.matches(event));
    if (!shortcut) return;
    event.preventDefault();
    shortcut.run();
  });
}
