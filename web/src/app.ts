// The app: wires the engine worker, the viewer and the panels. State lives here; the engine
// holds the pixels; panels render what they are given and report what the user did.
import type { AnalysisConfigInput } from 'cellscope/browser';
import { BigImageView } from './big-image/big-image-view.js';
import { openFolderButton } from './big-image/open-folder.js';
import { EngineClient } from './engine/client.js';
import type { DetachedPieces } from './engine/detached.js';
import type { ImageInfo, Layer, Measurements, ModelFile } from './engine/protocol.js';
import { FileActions } from './file-actions.js';
import { ImageOpener } from './image-opening.js';
import { LayerRenderer } from './layer-rendering.js';
import { buildLayout, type Layout, type TabName, type TableView } from './layout.js';
import { ChannelsPanel } from './panels/channels-panel.js';
import { OverlayPanel } from './panels/overlay-panel.js';
import { RunControlPanel } from './panels/run-control.js';
import { SegmentPanel } from './panels/segment-panel.js';
import { objectCentre, TablesPanel } from './panels/tables-panel.js';
import type { AppSettings } from './session/record.js';
import { SessionKeeper } from './session/keeper.js';
import { LabelEditor } from './editing.js';
import { showLineInfo } from './ui/line-info.js';
import { listenForShortcuts, shortcuts } from './ui/shortcuts.js';
import { describeError, describeImage } from './ui/describe.js';
import { h } from './ui/dom.js';
import { listenForDrops } from './ui/drop-zone.js';
import { renderReadout } from './ui/readout.js';
import { Viewer, type Line, type Tool } from './viewer/viewer.js';

export class App {
  private readonly engine = new EngineClient();
  private readonly viewer: Viewer;
  private readonly channels: ChannelsPanel;
  private readonly segment: SegmentPanel;
  private readonly runControl: RunControlPanel;
  private readonly tables: TablesPanel;
  private readonly overlay: OverlayPanel;
  private readonly elements: Layout;
  private readonly keeper: SessionKeeper;
  private readonly editor: LabelEditor;
  private readonly fileActions: FileActions;
  private readonly opener: ImageOpener;
  private readonly renderer: LayerRenderer;
  /** A big image (tiled TIFF, OME-Zarr) drawn as overview + tiles; inactive for small ones. */
  private readonly bigImage: BigImageView;
  private preserveOthers = true;
  private detached: DetachedPieces = 'relabel';
  /** The open image's files, as the user gave them (the autosave and projects keep them). */
  private files?: File[];
  private info?: ImageInfo;
  private measurements?: Measurements;
  private selection = new Set<number>();
  private hovered?: number;
  private brushed?: Set<number>;
  /** The config the current tables were measured with (edits re-measure with it). */
  private measuredConfig?: AnalysisConfigInput;

  constructor(root: HTMLElement) {
    const e = (this.elements = buildLayout(root, {
      toolbar: {
        openImage: (files) => void this.openImage(files),
        openLabels: (file) => void this.fileActions.openLabels(file),
        openTable: (file) => void this.fileActions.openTable(file),
        openConfig: (file) => void this.fileActions.openConfig(file),
        openProject: (file) => void this.keeper.openProject(file),
        setTool: (tool) => this.setTool(tool),
        setBrushRadius: (radius) => {
          this.viewer.brushRadius = radius;
          this.keeper.changed();
        },
        setEditLayer: (layer) => this.setTableView(layer),
        setPreserveOthers: (preserve) => (this.preserveOthers = preserve),
        setDetached: (pieces) => (this.detached = pieces),
        edit: (kind) =>
          void (kind === 'undo' || kind === 'redo'
            ? this.editor.step(kind)
            : this.editor.editSelection(kind)),
        fit: () => this.viewer.fit(),
        save: (what) => void this.fileActions.save(what),
      },
      trySample: () => void this.opener.openSample(),
      setTableView: (view) => this.setTableView(view),
      showTab: (name) => this.showTab(name),
    }));
    this.overlay = new OverlayPanel(e.overlay, () => {
      void this.renderer.renderOverlay();
      this.keeper.changed();
    });
    this.editor = new LabelEditor({
      engine: this.engine,
      layer: () => this.layer,
      selection: () => [...this.selection],
      measuredConfig: () => this.measuredConfig,
      brushRadius: () => this.viewer.brushRadius,
      preserveOthers: () => this.preserveOthers,
      detached: () => this.detached,
      edited: (measurements, selected) => {
        if (selected) this.selection = new Set([selected]);
        this.setMeasurements(measurements);
        this.keeper.changed({ edit: true });
      },
      select: (labels) => this.select(labels, 'replace', false),
      setTool: (tool) => this.setTool(tool),
      showError: (error) => this.showError(error),
      hideError: () => this.hideError(),
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
      onStroke: (points, tool) => void this.editor.stroke(points, tool),
      onPolygon: (points) => void this.editor.polygon(points),
      onCut: (points) => void this.editor.split(points),
      onZoom: () => this.renderer.zoomed(),
    });
    this.bigImage = new BigImageView({
      engine: this.engine,
      redraw: () => this.viewer.redraw(),
      element: e.viewer,
    });
    root
      .querySelector('[data-testid=open-image]')
      ?.after(...openFolderButton((folder) => void this.opener.openFolder(folder)));
    this.channels = new ChannelsPanel(e.channels, () => {
      void this.renderer.renderComposite();
      this.keeper.changed();
    });
    this.segment = new SegmentPanel(e.segment, {
      onRun: (config, models) => void this.runSegmentation(config, models),
      onCancel: () => this.engine.cancelSegmentation(),
      onError: (error) => this.showError(error),
      runSteps: () => this.runControl.current.steps,
    });
    this.runControl = new RunControlPanel({
      showPrevious: () => void this.renderer.renderOverlay(),
      dropPrevious: () => void this.dropPrevious(),
    });
    e.segment.querySelector('.buttons')?.before(this.runControl.element);
    this.renderer = new LayerRenderer({
      engine: this.engine,
      viewer: this.viewer,
      bigImage: this.bigImage,
      channels: this.channels,
      overlay: this.overlay,
      runControl: this.runControl,
      viewArea: e.viewer,
      hasImage: () => this.info !== undefined,
      highlighted: () => {
        const labels = new Set([...this.selection, ...(this.brushed ?? [])]);
        if (this.hovered !== undefined) labels.add(this.hovered);
        return { layer: this.layer, labels };
      },
      showError: (error) => this.showError(error),
    });
    this.segment.onPixelSizeChange((um) => this.viewer.setPixelSize(um));
    this.tables = new TablesPanel(e, this.engine, {
      onHover: (label) => {
        this.hovered = label;
        void this.renderer.renderOverlay();
      },
      onSelect: (labels, mode) => this.select(labels, mode, true),
      onBrush: (labels) => {
        this.brushed = labels ? new Set(labels) : undefined;
        void this.renderer.renderOverlay();
      },
    });
    this.fileActions = new FileActions({
      engine: this.engine,
      keeper: this.keeper,
      segment: this.segment,
      tables: this.tables,
      info: () => this.info,
      layer: () => this.layer,
      measuredConfig: () => this.measuredConfig,
      labelsOpened: (measurements, config) => {
        this.measuredConfig = config;
        this.setMeasurements(measurements, { labelsReplaced: true });
        this.keeper.changed();
      },
      openImage: (files) => this.openImage(files),
      setTableView: (view) => this.setTableView(view),
      showError: (error) => this.showError(error),
      hideError: () => this.hideError(),
    });
    this.opener = new ImageOpener({
      engine: this.engine,
      keeper: this.keeper,
      viewer: this.viewer,
      bigImage: this.bigImage,
      viewArea: e.viewer,
      readout: e.readout,
      opened: (info, files) => this.opened(info, files),
      showError: (error) => this.showError(error),
      hideError: () => this.hideError(),
    });
    this.setTool('select');
    this.showTab('Objects');
    this.setTableView('cells');
    listenForDrops(
      root,
      e.drop,
      (files) => void this.fileActions.openDropped(files),
      (event) => this.opener.openDroppedFolder(event),
    );
    listenForShortcuts(
      shortcuts({
        undo: () => void this.editor.step('undo'),
        redo: () => void this.editor.step('redo'),
        deleteSelection: () => void this.editor.editSelection('delete'),
        escape: () =>
          this.viewer.drawingShape ? this.viewer.cancelShape() : this.select([], 'replace', false),
        closePolygon: () => this.viewer.finishShape(),
        drawingPolygon: () => this.viewer.drawingShape,
        tool: (tool) => this.setTool(tool),
        fit: () => this.viewer.fit(),
      }),
      e.viewer,
    );
  }

  /** The viewer's current image → screen transform (CSS pixels), for tests and scripts. */
  get viewTransform(): { scale: number; offsetX: number; offsetY: number } {
    return { ...this.viewer.transform };
  }

  /**
   * Offers the autosaved session back, then opens the images `cellscope view` was given, if the
   * page is served by it (its cookie, set by `?token=`, authorises the calls).
   */
  async start(): Promise<void> {
    await this.keeper.offerRestore();
    await this.opener.openServed();
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
    this.runControl.setPrevious(false);
    this.setTool(settings.tool);
    this.viewer.brushRadius = settings.brushRadius;
    this.elements.brushSize.value = String(settings.brushRadius);
    this.setTableView(settings.layer);
    await this.renderer.renderComposite();
    if (measurements) this.setMeasurements(measurements, { labelsReplaced: true });
    this.select(settings.selection, 'replace', false);
  }

  /** Opens image files; false when that failed (the error is shown). */
  openImage(files: File[]): Promise<boolean> {
    return this.opener.openImage(files);
  }

  /** Shows a newly opened image: what belonged to the previous one goes. */
  private async opened(info: ImageInfo, files: File[] | undefined): Promise<void> {
    this.info = info;
    this.files = files;
    this.measurements = undefined;
    this.measuredConfig = undefined;
    this.forgetOpenedTable();
    this.runControl.setPrevious(false);
    this.selection.clear();
    this.brushed = undefined;
    this.elements.imageInfo.replaceChildren(...describeImage(info));
    this.elements.welcome.hidden = true;
    this.viewer.setImage(info.width, info.height, info.pixelSizeUm?.x);
    this.segment.setImage(info);
    this.channels.setImage(info);
    await this.renderer.renderComposite();
    this.refreshTables();
    void this.tables.showRelation(undefined, undefined);
  }

  private async runSegmentation(config: AnalysisConfigInput, models: ModelFile[]): Promise<void> {
    if (!this.info) return this.showError(new Error('open an image first'));
    this.hideError();
    if (this.bigImage.active) {
      return this.bigImage
        .segmentVisible(config, models, this.segment)
        .catch((error: unknown) => this.showError(error));
    }
    const choice = this.runControl.current;
    const region = choice.where === 'view' ? this.viewer.visibleRegion() : undefined;
    if (choice.where === 'view' && !region)
      return this.showError(new Error('no part of the image is in view: press Fit'));
    const run = { steps: choice.steps, region, keepPrevious: choice.keepPrevious };
    try {
      const result = await this.segment.runIn(this.engine, config, models, run);
      if (!result) return;
      this.runControl.setPrevious(result.previous);
      this.measuredConfig = result.measuredConfig;
      this.setMeasurements(result.measurements, { labelsReplaced: true });
      this.keeper.changed();
    } catch (error) {
      this.showError(error);
    }
  }

  private async dropPrevious(): Promise<void> {
    await this.engine.request('dropPrevious', {});
    this.runControl.setPrevious(false);
    void this.renderer.renderOverlay();
  }

  /**
   * New tables for the labels. `labelsReplaced`: a new segmentation or label file, whose label
   * numbers name other objects, so the selection goes; after an edit, surviving labels stay.
   */
  private setMeasurements(measurements: Measurements, { labelsReplaced = false } = {}): void {
    this.measurements = measurements;
    this.overlay.setTables({ nuclei: measurements.nuclei, cells: measurements.cells });
    const live = new Set(this.currentLabels());
    this.selection = labelsReplaced
      ? new Set()
      : new Set([...this.selection].filter((l) => live.has(l)));
    this.brushed = undefined;
    this.refreshTables();
    void this.renderer.renderOverlay();
    void this.showRelation();
  }

  private refreshTables(): void {
    this.tables.refresh(this.measurements, this.selection);
  }

  /** The layer the shown table, the selection and edits refer to. */
  private get layer(): Layer {
    return this.tables.view === 'nuclei' ? 'nuclei' : 'cells';
  }

  private currentLabels(): number[] {
    const table = this.layer === 'nuclei' ? this.measurements?.nuclei : this.measurements?.cells;
    return table ? Array.from(table.columns.label as ArrayLike<number>) : [];
  }

  private setTableView(view: TableView): void {
    this.tables.setView(view);
    if (view !== 'opened') this.elements.editLayer.value = view;
    this.selection.clear();
    this.brushed = undefined;
    this.refreshTables();
    void this.renderer.renderOverlay();
    this.keeper.changed();
  }

  private showTab(name: TabName): void {
    this.tables.showTab(name);
    if (name === 'Relation') void this.showRelation();
  }

  private select(labels: number[], mode: 'replace' | 'toggle', fromList: boolean): void {
    if (mode === 'replace') this.selection = new Set(labels);
    else for (const label of labels) if (!this.selection.delete(label)) this.selection.add(label);
    this.tables.setSelection(this.selection, !fromList);
    if (fromList && labels.length === 1) this.centreOnObject(labels[0]);
    void this.renderer.renderOverlay();
    void this.showRelation();
    this.keeper.changed();
  }

  /** Centres the view on an object picked in the table or the plot, as QuPath does. */
  private centreOnObject(label: number): void {
    const table = this.layer === 'nuclei' ? this.measurements?.nuclei : this.measurements?.cells;
    const at = table && objectCentre(table, label, this.measuredConfig?.pixelSizeUm);
    if (at) this.viewer.centreOn(at.x, at.y);
  }

  private showRelation(): Promise<void> {
    const cell = this.layer === 'cells' ? [...this.selection][0] : undefined;
    return this.tables.showRelation(cell, this.measurements);
  }

  private async hover(point: { x: number; y: number } | undefined): Promise<void> {
    const value = point && this.info && (await this.engine.requestLatest('pixel', point));
    if (!point || !this.info) this.elements.readout.textContent = '';
    else if (value)
      renderReadout(this.elements.readout, {
        ...point,
        channelNames: this.info.channelNames,
        values: value.values,
        labels: this.measurements ? value : undefined,
      });
  }

  private async clickImage(point: { x: number; y: number }, event: PointerEvent): Promise<void> {
    if (!this.measurements) return;
    if (this.viewer.tool === 'fill') return this.editor.fill(point);
    if (this.viewer.tool === 'pick') return this.editor.pick(point);
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
    showLineInfo(this.elements.lineInfo, line, this.segment.pixelSizeUm, {
      useAsDiameter: (target, px) => this.segment.setDiameter(target, px),
      clear: () => this.viewer.clearLine(),
    });
  }

  /** The opened table belongs to the image it was opened with. */
  private forgetOpenedTable(): void {
    this.tables.setOpenedTable(undefined);
    if (this.tables.view === 'opened') this.setTableView('cells');
  }

  private setTool(tool: Tool): void {
    if (tool !== 'polygon') this.viewer.cancelShape();
    this.viewer.tool = tool;
    document
      .querySelectorAll<HTMLElement>('.tool')
      .forEach((b) => b.classList.toggle('active', b.dataset.tool === tool));
    this.elements.viewer.dataset.tool = tool;
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
}
