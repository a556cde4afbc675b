// The app: wires the engine worker, the viewer and the panels. State lives here; the engine
// holds the pixels; panels render what they are given and report what the user did.
import {
  csvToTable,
  parquetToTable,
  parseAnalysisConfigText,
  type AnalysisConfigInput,
  type Table,
} from 'cellscope/browser';
import { EngineClient } from './engine/client.js';
import type {
  ExportKind,
  ImageInfo,
  Layer,
  LabelEdit,
  Measurements,
  ModelFile,
  OverlaySettings,
} from './engine/protocol.js';
import { withUsedDiameters } from './config-diameters.js';
import { buildLayout, type Layout, type TabName, type TableView } from './layout.js';
import { isLabelImageFor, layerFromFileName } from './labels-file.js';
import { openDroppedFiles } from './open-dropped.js';
import { ChannelsPanel } from './panels/channels-panel.js';
import { ObjectsTable } from './panels/objects-table.js';
import { OverlayPanel } from './panels/overlay-panel.js';
import { PlotPanel } from './panels/plot-panel.js';
import { RelationPanel } from './panels/relation-panel.js';
import { SegmentPanel } from './panels/segment-panel.js';
import type { AppSettings } from './session/record.js';
import { SessionKeeper } from './session/keeper.js';
import { describeError, describeImage } from './ui/describe.js';
import { download, h, readFiles } from './ui/dom.js';
import { listenForDrops } from './ui/drop-zone.js';
import { askLabelDestination } from './ui/layer-dialog.js';
import { renderReadout } from './ui/readout.js';
import { Viewer, type Line, type Tool } from './viewer/viewer.js';

export class App {
  private readonly engine = new EngineClient();
  private readonly viewer: Viewer;
  private readonly channels: ChannelsPanel;
  private readonly segment: SegmentPanel;
  private readonly table: ObjectsTable;
  private readonly plot: PlotPanel;
  private readonly relation: RelationPanel;
  private readonly overlay: OverlayPanel;
  private readonly elements: Layout;
  private readonly keeper: SessionKeeper;
  /** The open image's files, as the user gave them (the autosave and projects keep them). */
  private files?: File[];
  private info?: ImageInfo;
  private measurements?: Measurements;
  private openedTable?: Table;
  private tableView: TableView = 'cells';
  private selection = new Set<number>();
  private hovered?: number;
  private brushed?: Set<number>;
  /** The config the current tables were measured with (edits re-measure with it). */
  private measuredConfig?: AnalysisConfigInput;

  constructor(root: HTMLElement) {
    const e = (this.elements = buildLayout(root, {
      toolbar: {
        openImage: (files) => void this.openImage(files),
        openLabels: (file) => void this.openLabels(file),
        openTable: (file) => void this.openTable(file),
        openConfig: (file) => void this.openConfig(file),
        openProject: (file) => void this.keeper.openProject(file),
        setTool: (tool) => this.setTool(tool),
        setBrushRadius: (radius) => {
          this.viewer.brushRadius = radius;
          this.keeper.changed();
        },
        setEditLayer: (layer) => this.setTableView(layer),
        edit: (kind) =>
          void (kind === 'undo' || kind === 'redo' ? this.undo(kind) : this.editSelection(kind)),
        fit: () => this.viewer.fit(),
        save: (what) => void this.save(what),
      },
      setTableView: (view) => this.setTableView(view),
      showTab: (name) => this.showTab(name),
    }));
    this.overlay = new OverlayPanel(e.overlay, () => {
      void this.renderOverlay();
      this.keeper.changed();
    });
    this.keeper = new SessionKeeper({
      engine: this.engine,
      notice: e.notice,
      image: () =>
        this.info && this.files ? { name: this.info.name, files: this.files } : undefined,
      settings: () => this.settings(),
      counts: () =>
        this.measurements && {
          nuclei: this.measurements.counts.nuclei,
          cells: this.measurements.counts.cells,
        },
      openImage: (files) => this.openImage(files),
      restored: (settings, measurements) => this.restored(settings, measurements),
      showError: (error) => this.showError(error),
    });
    this.viewer = new Viewer(e.viewer, {
      onHover: (point) => void this.hover(point),
      onClick: (point, event) => void this.clickImage(point, event),
      onLine: (line) => this.showLine(line),
      onStroke: (points, tool) => void this.stroke(points, tool),
    });
    this.channels = new ChannelsPanel(e.channels, () => {
      void this.renderComposite();
      this.keeper.changed();
    });
    this.segment = new SegmentPanel(e.segment, {
      onRun: (config, models) => void this.runSegmentation(config, models),
      onCancel: () => this.engine.cancelSegmentation(),
      onError: (error) => this.showError(error),
    });
    this.segment.onPixelSizeChange((um) => this.viewer.setPixelSize(um));
    this.table = new ObjectsTable(e.tableHost, {
      onHover: (label) => {
        this.hovered = label;
        void this.renderOverlay();
      },
      onSelect: (labels, mode) => this.select(labels, mode, true),
    });
    this.plot = new PlotPanel(e.plotHost, {
      onBrush: (labels) => {
        this.brushed = labels ? new Set(labels) : undefined;
        void this.renderOverlay();
      },
      onSelect: (label) => this.select([label], 'replace', true),
    });
    this.relation = new RelationPanel(e.relationHost);
    this.setTool('select');
    this.showTab('Objects');
    this.setTableView('cells');
    listenForDrops(root, e.drop, (files) => void this.openDropped(files));
    this.listenForKeys();
  }

  /** The viewer's current image → screen transform (CSS pixels), for tests and scripts. */
  get viewTransform(): { scale: number; offsetX: number; offsetY: number } {
    return { ...this.viewer.transform };
  }

  /**
   * Opens the images `cellscope view` was given, if the page is served by it. The server's
   * cookie (set when the page was opened from the URL with `?token=`) authorises the calls.
   */
  async openServedFiles(): Promise<void> {
    let listing: { files: { name: string; url: string }[] };
    try {
      const response = await fetch('api/files');
      if (response.status === 403) {
        // The view server without its token: say how to open the page instead of showing nothing.
        const body = (await response.json().catch(() => ({}))) as { error?: string; hint?: string };
        const message = `cellscope view refused the page: ${body.error ?? 'forbidden'}`;
        return this.showError(Object.assign(new Error(message), { hint: body.hint }));
      }
      if (!response.ok) return;
      listing = await response.json();
    } catch {
      return; // a static host without the view server
    }
    if (!listing.files?.length) return;
    const files = await Promise.all(
      listing.files.map(
        async (f) =>
          new File([await (await fetch(f.url.replace(/^\//, ''))).arrayBuffer()], f.name),
      ),
    );
    await this.openImage(files);
  }

  /** Offers the autosaved session back, then opens what `cellscope view` serves. */
  async start(): Promise<void> {
    await this.keeper.offerRestore();
    await this.openServedFiles();
  }

  /** The user's choices now, for the autosave and project files. */
  settings(): AppSettings {
    return structuredClone({
      channels: this.channels.current,
      overlay: this.overlay.current,
      segment: this.segment.config(),
      measuredConfig: this.measuredConfig,
      layer: this.layer,
      selection: [...this.selection],
      tool: this.viewer.tool,
      brushRadius: this.viewer.brushRadius,
    });
  }

  /** Shows a restored session's settings and the tables of its labels. */
  private async restored(settings: AppSettings, measurements: Measurements | null): Promise<void> {
    this.channels.apply(settings.channels);
    this.overlay.apply(settings.overlay);
    this.segment.applyConfig(settings.segment);
    this.measuredConfig = settings.measuredConfig;
    this.setTool(settings.tool);
    this.viewer.brushRadius = settings.brushRadius;
    this.elements.brushSize.value = String(settings.brushRadius);
    this.setTableView(settings.layer);
    await this.renderComposite();
    if (measurements) this.setMeasurements(measurements, { labelsReplaced: true });
    this.select(settings.selection, 'replace', false);
  }

  /** Opens image files; false when that failed (the error is shown). */
  async openImage(files: File[]): Promise<boolean> {
    this.hideError();
    this.setBusy(`opening ${files.map((f) => f.name).join(', ')}`);
    try {
      const payload = await readFiles(files);
      const info = await this.engine.request(
        'open',
        { files: payload },
        { transfer: payload.map((p) => p.bytes) },
      );
      this.info = info;
      this.files = [...files];
      this.measurements = undefined;
      this.measuredConfig = undefined;
      this.forgetOpenedTable();
      this.selection.clear();
      this.brushed = undefined;
      this.elements.imageInfo.replaceChildren(...describeImage(info));
      this.viewer.setImage(info.width, info.height, info.pixelSizeUm?.x);
      this.segment.setImage(info);
      this.channels.setImage(info);
      await this.renderComposite();
      this.refreshTables();
      this.relation.clear();
      this.setBusy('');
      this.keeper.changed();
      return true;
    } catch (error) {
      this.setBusy('');
      this.showError(error);
      return false;
    }
  }

  private async runSegmentation(config: AnalysisConfigInput, models: ModelFile[]): Promise<void> {
    if (!this.info) return this.showError(new Error('open an image first'));
    this.hideError();
    this.segment.setRunning(true);
    this.segment.setProgress('starting', 0, 1);
    try {
      const result = await this.engine.request(
        'segment',
        { config, models },
        {
          progress: (step, done, total) => this.segment.setProgress(step, done, total),
          transfer: models.map((m) => m.bytes),
        },
      );
      // The saved config carries the diameters used, so a rerun reuses rather than re-estimates.
      this.measuredConfig = withUsedDiameters(config, result.diameters);
      this.segment.showUsedDiameters(result.diameters);
      this.setMeasurements(result.measurements, { labelsReplaced: true });
      this.keeper.changed();
      const { counts } = result.measurements;
      this.segment.setProgress(
        `${counts.nuclei} nuclei, ${counts.cells} cells in ${result.seconds.toFixed(1)} s`,
        1,
        1,
      );
    } catch (error) {
      const cancelled = (error as Error).name === 'AbortError';
      this.segment.setProgress(cancelled ? 'cancelled' : 'failed', 0, 1);
      if (!cancelled) this.showError(error);
    } finally {
      this.segment.setRunning(false);
    }
  }

  /**
   * New tables for the labels. `labelsReplaced`: a new segmentation or label file, whose label
   * numbers name other objects, so the selection goes; after an edit, surviving labels stay.
   */
  private setMeasurements(measurements: Measurements, { labelsReplaced = false } = {}): void {
    this.measurements = measurements;
    const live = new Set(this.currentLabels());
    this.selection = labelsReplaced
      ? new Set()
      : new Set([...this.selection].filter((l) => live.has(l)));
    this.brushed = undefined;
    this.refreshTables();
    void this.renderOverlay();
    void this.showRelation();
  }

  private refreshTables(): void {
    const m = this.measurements;
    const counts = this.elements.counts;
    counts.textContent = m
      ? `${m.counts.nuclei} nuclei · ${m.counts.cells} cells · ${m.counts.cellsWithNucleus} with nucleus`
      : '';
    counts.dataset.nuclei = String(m?.counts.nuclei ?? 0);
    counts.dataset.cells = String(m?.counts.cells ?? 0);
    const { table, labelColumn } = this.shownTable();
    this.table.setTable(table, labelColumn);
    this.table.setSelection(this.selection);
    void this.plot.setTable(table, labelColumn).then(() => this.plot.setHighlight(this.selection));
  }

  private shownTable(): { table: Table | undefined; labelColumn: string } {
    if (this.tableView === 'opened') {
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
    if (this.tableView === 'nuclei')
      return { table: this.measurements?.nuclei, labelColumn: 'label' };
    return { table: this.measurements?.matched, labelColumn: 'cell_label' };
  }

  /** The layer the shown table, the selection and edits refer to. */
  private get layer(): Layer {
    return this.tableView === 'nuclei' ? 'nuclei' : 'cells';
  }

  private currentLabels(): number[] {
    const table = this.layer === 'nuclei' ? this.measurements?.nuclei : this.measurements?.cells;
    return table ? Array.from(table.columns.label as ArrayLike<number>) : [];
  }

  private setTableView(view: TableView): void {
    this.tableView = view;
    for (const button of this.elements.tableSwitch.querySelectorAll<HTMLElement>('button')) {
      button.classList.toggle('active', button.dataset.view === view);
    }
    if (view !== 'opened') this.elements.editLayer.value = view;
    this.selection.clear();
    this.brushed = undefined;
    this.refreshTables();
    void this.renderOverlay();
    this.keeper.changed();
  }

  private showTab(name: TabName): void {
    const e = this.elements;
    e.tableHost.hidden = name !== 'Objects';
    e.plotHost.hidden = name !== 'Plot';
    e.relationHost.hidden = name !== 'Relation';
    e.tabs
      .querySelectorAll<HTMLElement>('button')
      .forEach((b) => b.classList.toggle('active', b.dataset.tab === name));
    if (name === 'Relation') void this.showRelation();
  }

  private select(labels: number[], mode: 'replace' | 'toggle', fromList: boolean): void {
    if (mode === 'replace') this.selection = new Set(labels);
    else for (const label of labels) if (!this.selection.delete(label)) this.selection.add(label);
    this.table.setSelection(this.selection, !fromList);
    this.plot.setHighlight(this.selection);
    void this.renderOverlay();
    void this.showRelation();
    this.keeper.changed();
  }

  private async showRelation(): Promise<void> {
    if (this.elements.relationHost.hidden) return;
    const cell = this.layer === 'cells' ? [...this.selection][0] : undefined;
    if (!cell || !this.measurements) return this.relation.clear();
    const crop = await this.engine.request('relation', { cell, size: 240 });
    this.relation.show(cell, this.measurements.matched, crop);
  }

  private async renderComposite(): Promise<void> {
    try {
      const bitmap = await this.engine.requestLatest('composite', {
        channels: this.channels.current,
      });
      if (bitmap) this.viewer.setComposite(bitmap);
    } catch (error) {
      this.showError(error);
    }
  }

  private async renderOverlay(): Promise<void> {
    if (!this.info) return;
    const highlight = new Set([...this.selection, ...(this.brushed ?? [])]);
    if (this.hovered !== undefined) highlight.add(this.hovered);
    const { modes, opacity } = this.overlay.current;
    const settings: OverlaySettings = {
      ...modes,
      opacity,
      highlight: { layer: this.layer, labels: [...highlight] },
    };
    const viewer = this.elements.viewer;
    viewer.dataset.highlighted = [...highlight].sort((a, b) => a - b).join(',');
    try {
      const bitmap = await this.engine.requestLatest('overlay', settings);
      if (bitmap !== undefined) this.viewer.setOverlay(bitmap);
    } catch (error) {
      this.showError(error);
    }
  }

  private async hover(point: { x: number; y: number } | undefined): Promise<void> {
    const readout = this.elements.readout;
    if (!point || !this.info) {
      readout.textContent = '';
      return;
    }
    const value = await this.engine.requestLatest('pixel', point);
    if (!value) return;
    renderReadout(readout, {
      ...point,
      channelNames: this.info.channelNames,
      values: value.values,
      labels: this.measurements ? value : undefined,
    });
  }

  private async clickImage(point: { x: number; y: number }, event: PointerEvent): Promise<void> {
    if (!this.measurements) return;
    const value = await this.engine.request('pixel', point);
    const label = value ? (this.layer === 'nuclei' ? value.nucleus : value.cell) : 0;
    if (label === 0) {
      if (!(event.ctrlKey || event.metaKey || event.shiftKey)) this.select([], 'replace', false);
      return;
    }
    this.select(
      [label],
      event.ctrlKey || event.metaKey || event.shiftKey ? 'toggle' : 'replace',
      false,
    );
  }

  private showLine(line: Line | undefined): void {
    const box = this.elements.lineInfo;
    box.hidden = !line;
    if (!line) return;
    const px = Math.hypot(line.x1 - line.x0, line.y1 - line.y0);
    const um = this.segment.pixelSizeUm;
    box.replaceChildren(
      h(
        'span',
        { testid: 'line-length', 'data-px': px.toFixed(3) },
        `${px.toFixed(1)} px` + (um ? ` = ${(px * um).toFixed(2)} µm` : ''),
      ),
      h(
        'button',
        {
          class: 'small',
          testid: 'use-nuclei-diameter',
          onclick: () => this.segment.setDiameter('nuclei', px),
        },
        'use as nucleus diameter',
      ),
      h(
        'button',
        {
          class: 'small',
          testid: 'use-cells-diameter',
          onclick: () => this.segment.setDiameter('cells', px),
        },
        'use as cell diameter',
      ),
      h(
        'button',
        { class: 'small', title: 'clear the line', onclick: () => this.viewer.clearLine() },
        '✕',
      ),
    );
  }

  private async editSelection(kind: 'delete' | 'merge'): Promise<void> {
    const labels = [...this.selection];
    if (labels.length === 0)
      return this.showError(
        new Error(
          `select the ${this.layer} to ${kind} first (click them in the image or the table)`,
        ),
      );
    if (kind === 'merge' && labels.length < 2)
      return this.showError(new Error('select at least two objects to merge (ctrl/shift-click)'));
    await this.edit({ kind, labels });
  }

  private async stroke(points: { x: number; y: number }[], tool: 'brush' | 'erase'): Promise<void> {
    if (!this.measurements)
      return this.showError(new Error('segment or open labels before painting'));
    const selected = [...this.selection];
    const value =
      tool === 'brush'
        ? selected.length === 1
          ? selected[0]
          : 0
        : selected.length === 1
          ? selected[0]
          : 0;
    await this.edit({
      kind: 'paint',
      points,
      radius: this.viewer.brushRadius,
      value,
      mode: tool === 'brush' ? 'paint' : 'erase',
    });
  }

  private async edit(edit: LabelEdit): Promise<void> {
    if (!this.measuredConfig) return;
    this.hideError();
    try {
      const result = await this.engine.request('edit', {
        layer: this.layer,
        edit,
        config: this.measuredConfig,
      });
      if (result.changedLabel) this.selection = new Set([result.changedLabel]);
      this.setMeasurements(result.measurements);
      this.keeper.changed({ edit: true });
      this.table.setSelection(this.selection);
      this.plot.setHighlight(this.selection);
    } catch (error) {
      this.showError(error);
    }
  }

  private async undo(direction: 'undo' | 'redo' = 'undo'): Promise<void> {
    if (!this.measuredConfig) return;
    try {
      const result = await this.engine.request(direction, { config: this.measuredConfig });
      if (!result) return;
      this.setMeasurements(result.measurements);
      this.keeper.changed({ edit: true });
    } catch (error) {
      this.showError(error);
    }
  }

  /** Asks which layer a label file goes to (its name suggests one), then opens it there. */
  private async openLabels(file: File): Promise<void> {
    if (!this.info) return this.showError(new Error('open the image before its labels'));
    const layer = await askLabelDestination({
      fileName: file.name,
      suggested: layerFromFileName(file.name) ?? this.layer,
      offerImage: false,
    });
    if (layer && layer !== 'image') await this.openLabelsAs(file, layer);
  }

  private async openLabelsAs(file: File, layer: Layer): Promise<void> {
    this.hideError();
    try {
      const config = this.measuredConfig ?? this.segment.config();
      const measurements = await this.engine.request('openLabels', {
        layer,
        name: file.name,
        bytes: await file.arrayBuffer(),
        config,
      });
      this.measuredConfig = config;
      this.setMeasurements(measurements, { labelsReplaced: true });
      this.keeper.changed();
      if (this.tableView !== layer) this.setTableView(layer);
    } catch (error) {
      this.showError(error);
    }
  }

  /** The opened table belongs to the image it was opened with. */
  private forgetOpenedTable(): void {
    this.openedTable = undefined;
    this.elements.tableSwitch.querySelector<HTMLElement>('[data-view="opened"]')!.hidden = true;
    if (this.tableView === 'opened') this.setTableView('cells');
  }

  private async openTable(file: File): Promise<void> {
    this.hideError();
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const table = /\.parquet$/i.test(file.name)
        ? await parquetToTable(bytes)
        : csvToTable(new TextDecoder().decode(bytes));
      this.openedTable = table;
      const button = this.elements.tableSwitch.querySelector<HTMLElement>('[data-view="opened"]')!;
      button.hidden = false;
      button.title = file.name;
      this.setTableView('opened');
    } catch (error) {
      this.showError(
        Object.assign(error as Error, { file: (error as { file?: string }).file ?? file.name }),
      );
    }
  }

  private async openConfig(file: File): Promise<void> {
    try {
      this.segment.applyConfig(parseAnalysisConfigText(await file.text(), file.name));
    } catch (error) {
      this.showError(error);
    }
  }

  private async save(what: ExportKind | 'config.json' | 'project'): Promise<void> {
    this.hideError();
    try {
      if (what === 'project') {
        const project = await this.keeper.saveProject();
        download(project.bytes, project.name, 'application/zip');
        return;
      }
      if (what === 'config.json') {
        const config = this.measuredConfig ?? this.segment.config();
        const base = this.info?.name ?? 'cellscope';
        download(`${JSON.stringify(config, null, 2)}\n`, `${base}_config.json`, 'application/json');
        return;
      }
      const file = await this.engine.request('export', { what });
      download(file.bytes, file.name, file.mime);
    } catch (error) {
      this.showError(error);
    }
  }

  private setTool(tool: Tool): void {
    this.viewer.tool = tool;
    document
      .querySelectorAll<HTMLElement>('.tool')
      .forEach((b) => b.classList.toggle('active', b.dataset.tool === tool));
    this.elements.viewer.dataset.tool = tool;
  }

  private setBusy(text: string): void {
    this.elements.readout.textContent = text;
    document.body.classList.toggle('busy', text !== '');
  }

  showError(error: unknown): void {
    const box = this.elements.error;
    const text = describeError(error);
    box.replaceChildren(
      h('span', { class: 'error-text' }, text),
      h('button', { class: 'small', title: 'dismiss', onclick: () => this.hideError() }, '✕'),
    );
    box.hidden = false;
  }

  private hideError(): void {
    this.elements.error.hidden = true;
  }

  /** Dropped files: see `openDroppedFiles`; label images are offered as layers, never as the image. */
  private openDropped(files: File[]): Promise<void> {
    return openDroppedFiles(files, {
      imageOpen: () => this.info !== undefined,
      fitsAsLabels: (file) => this.fitsAsLabels(file),
      ask: (file) =>
        askLabelDestination({
          fileName: file.name,
          suggested: layerFromFileName(file.name) ?? this.layer,
          offerImage: true,
        }),
      openImage: async (images) => void (await this.openImage(images)),
      openLabels: (file, layer) => this.openLabelsAs(file, layer),
      openTable: (file) => this.openTable(file),
    });
  }

  private async fitsAsLabels(file: File): Promise<boolean> {
    const image = this.info;
    // A label image takes at most 8 bytes a pixel (+ headers): larger files are images.
    if (!image || file.size > image.width * image.height * 8 + 65536) return false;
    try {
      const probe = await this.engine.request('probeLabels', { bytes: await file.arrayBuffer() });
      return isLabelImageFor(file.name, probe, image);
    } catch {
      return false;
    }
  }

  private listenForKeys(): void {
    window.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement;
      if (target.matches('input, select, textarea')) return;
      const ctrl = event.ctrlKey || event.metaKey;
      if (ctrl && (event.key === 'y' || event.key.toLowerCase() === 'z'))
        void this.undo(event.key === 'y' || event.shiftKey ? 'redo' : 'undo');
      else if (event.key === 'Delete' || event.key === 'Backspace')
        void this.editSelection('delete');
      else if (event.key === 'Escape') this.select([], 'replace', false);
      else if (event.key === 'l') this.setTool('line');
      else if (event.key === 'b') this.setTool('brush');
      else if (event.key === 'e') this.setTool('erase');
      else if (event.key === 's' && !event.ctrlKey && !event.metaKey) this.setTool('select');
      else if (event.key === 'f') this.viewer.fit();
    });
  }
}
