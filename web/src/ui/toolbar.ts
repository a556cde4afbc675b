// The toolbar: open files, tools, edits, fit and the Save menu. It only reports what was asked.
import type { DetachedPieces } from '../engine/detached.js';
import type { ExportKind, Layer } from '../engine/protocol.js';
import type { Tool } from '../viewer/viewer.js';
import { fileInput, h } from './dom.js';

export interface ToolbarActions {
  openImage(files: File[]): void;
  openLabels(file: File): void;
  openTable(file: File): void;
  openConfig(file: File): void;
  openProject(file: File): void;
  setTool(tool: Tool): void;
  setBrushRadius(radius: number): void;
  setPreserveOthers(preserve: boolean): void;
  setDetached(pieces: DetachedPieces): void;
  setEditLayer(layer: Layer): void;
  edit(kind: 'delete' | 'merge' | 'undo' | 'redo'): void;
  fit(): void;
  save(what: ExportKind | 'config.json' | 'project'): void;
}

const SAVE_ITEMS: [ExportKind | 'config.json' | 'project', string][] = [
  ['project', 'Project (image, labels, tables, config; zip)'],
  ['cells_matched.csv', 'Cells table (CSV)'],
  ['nuclei.csv', 'Nuclei table (CSV)'],
  ['cells_matched.parquet', 'Cells table (Parquet)'],
  ['nuclei.parquet', 'Nuclei table (Parquet)'],
  ['nuclei.tif', 'Nuclei labels (TIFF)'],
  ['cells.tif', 'Cells labels (TIFF)'],
  ['overlay.png', 'Overlay (PNG)'],
  ['cells_rois.zip', 'Cells as ImageJ ROIs (Fiji ROI Manager; zip)'],
  ['nuclei_rois.zip', 'Nuclei as ImageJ ROIs (Fiji ROI Manager; zip)'],
  ['cells.geojson', 'Cells with nuclei (QuPath GeoJSON)'],
  ['config.json', 'Config (JSON)'],
];

export function buildToolbar(actions: ToolbarActions): {
  element: HTMLElement;
  saveMenu: HTMLElement;
  editLayer: HTMLSelectElement;
  brushSize: HTMLInputElement;
  preserve: HTMLInputElement;
} {
  const inputs = [
    fileInput('open-image-input', '.tif,.tiff,.png,.jpg,.jpeg,.npy', true, actions.openImage),
    fileInput('open-labels-input', '.tif,.tiff', false, (f) => actions.openLabels(f[0])),
    fileInput('open-table-input', '.csv,.parquet', false, (f) => actions.openTable(f[0])),
    fileInput('open-config-input', '.json,.yaml,.yml', false, (f) => actions.openConfig(f[0])),
    fileInput('open-project-input', '.zip', false, (f) => actions.openProject(f[0])),
  ];
  const [imageInput, labelsInput, tableInput, configInput, projectInput] = inputs;
  const button = (testid: string, text: string, title: string, onclick: () => void) =>
    h('button', { testid, title, onclick }, text);
  const toolButton = (tool: Tool, text: string, title: string) =>
    h(
      'button',
      {
        class: 'tool',
        'data-tool': tool,
        testid: `tool-${tool}`,
        title,
        onclick: () => actions.setTool(tool),
      },
      text,
    );
  const saveMenu = h(
    'div',
    { class: 'menu', hidden: true },
    ...SAVE_ITEMS.map(([what, text]) =>
      h(
        'button',
        {
          class: 'menu-item',
          testid: `save-${what}`,
          onclick: () => {
            saveMenu.hidden = true;
            actions.save(what);
          },
        },
        text,
      ),
    ),
  );
  const editLayer = h(
    'select',
    {
      testid: 'edit-layer',
      title: 'the labels edits apply to',
      onchange: () => actions.setEditLayer(editLayer.value as Layer),
    },
    h('option', { value: 'cells' }, 'cells'),
    h('option', { value: 'nuclei' }, 'nuclei'),
  );
  const brushSize = h('input', {
    type: 'number',
    min: 0,
    max: 100,
    value: 6,
    class: 'brush-size',
    title: 'brush radius (px)',
    onchange: () => actions.setBrushRadius(Number(brushSize.value)),
  });
  const preserve = h('input', {
    type: 'checkbox',
    testid: 'preserve-others',
    checked: true,
    onchange: () => actions.setPreserveOthers(preserve.checked),
  });
  const element = h(
    'header',
    { class: 'toolbar' },
    h('span', { class: 'brand' }, 'cellscope'),
    button(
      'open-image',
      'Open image…',
      'TIFF, OME-TIFF, PNG, JPEG or .npy; several single-channel files become channels',
      () => imageInput.click(),
    ),
    button(
      'open-labels',
      'Open labels…',
      'a label TIFF saved before; asks whether it holds cells or nuclei',
      () => labelsInput.click(),
    ),
    button('open-table', 'Open table…', 'a CSV or Parquet table, e.g. from cellscope analyze', () =>
      tableInput.click(),
    ),
    button('open-config', 'Open config…', 'a config JSON/YAML', () => configInput.click()),
    button('open-project', 'Open project…', 'a project saved with Save ▾ → Project', () =>
      projectInput.click(),
    ),
    h('span', { class: 'separator' }),
    toolButton('select', 'Select', 'click: select an object · drag: pan · wheel: zoom'),
    toolButton('line', 'Line', 'measure a length (e.g. a nucleus diameter)'),
    toolButton('brush', 'Brush', 'paint the selected object, or a new one (B)'),
    toolButton('erase', 'Erase', 'erase labels (E)'),
    toolButton('fill', 'Fill', 'fill the clicked object or background with the selected label (G)'),
    toolButton('pick', 'Pick', 'pick the clicked object as the brush label (I)'),
    toolButton(
      'polygon',
      'Polygon',
      'draw an object: drag a lasso, or click vertices and double-click / Enter to close (P)',
    ),
    toolButton('split', 'Split', 'drag a line across objects to split them in two (K)'),
    brushSize,
    h(
      'label',
      {
        class: 'toggle',
        title: 'brush and eraser leave other objects alone (as napari’s “preserve labels”)',
      },
      preserve,
      'preserve others',
    ),
    h(
      'select',
      {
        testid: 'detached-pieces',
        title: 'pieces an erase cuts off an object',
        onchange: (event: Event) =>
          actions.setDetached((event.target as HTMLSelectElement).value as DetachedPieces),
      },
      h('option', { value: 'relabel' }, 'cut-off pieces: new objects'),
      h('option', { value: 'drop' }, 'cut-off pieces: drop'),
      h('option', { value: 'keep' }, 'cut-off pieces: keep'),
    ),
    h('span', { class: 'separator' }),
    editLayer,
    button('delete', 'Delete', 'delete the selected objects (Delete)', () =>
      actions.edit('delete'),
    ),
    button('merge', 'Merge', 'merge the selected objects into one', () => actions.edit('merge')),
    button('undo', 'Undo', 'undo the last edit (Ctrl+Z)', () => actions.edit('undo')),
    button('redo', 'Redo', 'redo what was undone (Ctrl+Shift+Z, Ctrl+Y)', () =>
      actions.edit('redo'),
    ),
    h('span', { class: 'spacer' }),
    button('fit', 'Fit', 'fit the image in the view', actions.fit),
    h(
      'div',
      { class: 'menu-anchor' },
      button(
        'save',
        'Save ▾',
        'save labels, tables, the overlay or the config',
        () => (saveMenu.hidden = !saveMenu.hidden),
      ),
      saveMenu,
    ),
    ...inputs,
  );
  return { element, saveMenu, editLayer, brushSize, preserve };
}
