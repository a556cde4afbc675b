// The page's fixed structure: toolbar, sidebar sections, the viewer column and the right-hand
// tabs. It only builds elements and names them; the app fills them and decides what they do.
import { SAMPLE_CAPTION } from './sample.js';
import { h } from './ui/dom.js';
import { buildToolbar, type ToolbarActions } from './ui/toolbar.js';

export type TableView = 'cells' | 'nuclei' | 'opened';
export type TabName = 'Objects' | 'Plot' | 'Relation';

export interface LayoutActions {
  toolbar: ToolbarActions;
  /** Opens the sample image that ships with the app. */
  trySample(): void;
  setTableView(view: TableView): void;
  showTab(name: TabName): void;
}

/** Every element the app writes to after start-up. */
export interface Layout {
  saveMenu: HTMLElement;
  editLayer: HTMLSelectElement;
  brushSize: HTMLInputElement;
  imageInfo: HTMLElement;
  channels: HTMLElement;
  segment: HTMLElement;
  overlay: HTMLElement;
  viewer: HTMLElement;
  error: HTMLElement;
  /** Banners above the viewer, such as the offer to restore the last session. */
  notice: HTMLElement;
  /** What to do, on the empty page; hidden once an image is open. */
  welcome: HTMLElement;
  readout: HTMLElement;
  lineInfo: HTMLElement;
  drop: HTMLElement;
  tableHost: HTMLElement;
  plotHost: HTMLElement;
  relationHost: HTMLElement;
  tableSwitch: HTMLElement;
  tabs: HTMLElement;
  counts: HTMLElement;
}

export function buildLayout(root: HTMLElement, actions: LayoutActions): Layout {
  const toolbar = buildToolbar(actions.toolbar);
  const section = (title: string, body: HTMLElement) => h('section', {}, h('h2', {}, title), body);
  const body = () => h('div', { class: 'section-body' });
  const layout: Layout = {
    saveMenu: toolbar.saveMenu,
    editLayer: toolbar.editLayer,
    brushSize: toolbar.brushSize,
    imageInfo: h(
      'div',
      { class: 'image-info muted', testid: 'image-info' },
      'Open or drop an image.',
    ),
    channels: body(),
    segment: body(),
    overlay: body(),
    viewer: h('div', { class: 'viewer', testid: 'viewer-area' }),
    error: h('div', { class: 'error', testid: 'error', hidden: true }),
    notice: h('div', { class: 'notice', testid: 'notice', hidden: true }),
    welcome: h(
      'div',
      { class: 'welcome', testid: 'welcome' },
      h(
        'p',
        {},
        'Open or drop a fluorescence image: TIFF, OME-TIFF, PNG, JPEG or .npy; several ' +
          'one-channel files become the channels of one image.',
      ),
      h(
        'p',
        {},
        'Check which channels show nuclei and cytoplasm, press Segment, then explore the ' +
          'objects, plots and downloads on the right.',
      ),
      h(
        'button',
        { class: 'primary', testid: 'try-sample', onclick: () => actions.trySample() },
        'Try a sample image',
      ),
      h('p', { class: 'muted' }, SAMPLE_CAPTION),
    ),
    readout: h('div', { class: 'readout', testid: 'readout' }),
    lineInfo: h('div', { class: 'line-info', hidden: true, testid: 'line-info' }),
    drop: h('div', { class: 'drop-hint', hidden: true }, 'Drop to open'),
    tableHost: h('div', { class: 'tab-body' }),
    plotHost: h('div', { class: 'tab-body', hidden: true }),
    relationHost: h('div', { class: 'tab-body', hidden: true }),
    tableSwitch: h(
      'div',
      { class: 'segmented' },
      ...(['cells', 'nuclei', 'opened'] as const).map((view) =>
        h(
          'button',
          {
            'data-view': view,
            testid: `table-${view}`,
            hidden: view === 'opened',
            onclick: () => actions.setTableView(view),
          },
          view === 'opened' ? 'opened table' : view,
        ),
      ),
    ),
    tabs: h(
      'nav',
      { class: 'tabs' },
      ...(['Objects', 'Plot', 'Relation'] as const).map((name) =>
        h(
          'button',
          {
            'data-tab': name,
            testid: `tab-${name.toLowerCase()}`,
            onclick: () => actions.showTab(name),
          },
          name,
        ),
      ),
    ),
    counts: h('div', { class: 'counts', testid: 'counts' }),
  };
  const l = layout;
  const sidebar = h(
    'aside',
    { class: 'sidebar' },
    section('Image', l.imageInfo),
    section('Channels', l.channels),
    section('Segmentation', l.segment),
    section('Overlay', l.overlay),
  );
  const centre = h(
    'main',
    { class: 'centre' },
    l.notice,
    l.viewer,
    l.welcome,
    l.error,
    l.lineInfo,
    l.drop,
    h('footer', { class: 'statusbar' }, l.readout),
  );
  const right = h(
    'aside',
    { class: 'right' },
    h('div', { class: 'right-head' }, l.tableSwitch, l.counts),
    l.tabs,
    l.tableHost,
    l.plotHost,
    l.relationHost,
  );
  root.append(toolbar.element, h('div', { class: 'body' }, sidebar, centre, right));
  return layout;
}
