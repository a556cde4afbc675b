// The app's file handlers: label images, tables and configs opened (by menu or drop) and the
// downloads the Save menu writes. The app keeps the state; this turns files into calls on it.
import { parseAnalysisConfigText, type AnalysisConfigInput } from 'cellscope/browser';
import type { EngineClient } from './engine/client.js';
import type { ExportKind, ImageInfo, Layer, Measurements } from './engine/protocol.js';
import type { TableView } from './layout.js';
import { layerFromFileName } from './labels-file.js';
import { fitsAsLabels, openDroppedFiles } from './open-dropped.js';
import type { SegmentPanel } from './panels/segment-panel.js';
import { readTableFile, type TablesPanel } from './panels/tables-panel.js';
import type { SessionKeeper } from './session/keeper.js';
import { download } from './ui/dom.js';
import { askLabelDestination } from './ui/layer-dialog.js';

export interface FileHost {
  readonly engine: EngineClient;
  readonly keeper: SessionKeeper;
  readonly segment: SegmentPanel;
  readonly tables: TablesPanel;
  /** The open image; undefined before one is open. */
  info(): ImageInfo | undefined;
  /** The layer of the shown table: where a label file goes unless the user says otherwise. */
  layer(): Layer;
  /** The config tables are measured with; undefined before there are labels. */
  measuredConfig(): AnalysisConfigInput | undefined;
  /** New tables for a label file, measured with `config`; its labels replace the layer's. */
  labelsOpened(measurements: Measurements, config: AnalysisConfigInput): void;
  openImage(files: File[]): Promise<boolean>;
  setTableView(view: TableView): void;
  showError(error: unknown): void;
  hideError(): void;
}

export class FileActions {
  constructor(private readonly host: FileHost) {}

  /** Asks which layer a label file goes to (its name suggests one), then opens it there. */
  async openLabels(file: File): Promise<void> {
    if (!this.host.info())
      return this.host.showError(new Error('open the image before its labels'));
    const layer = await askLabelDestination({
      fileName: file.name,
      suggested: layerFromFileName(file.name) ?? this.host.layer(),
      offerImage: false,
    });
    if (layer && layer !== 'image') await this.openLabelsAs(file, layer);
  }

  async openLabelsAs(file: File, layer: Layer): Promise<void> {
    const host = this.host;
    host.hideError();
    try {
      const config = host.measuredConfig() ?? host.segment.config();
      const measurements = await host.engine.request('openLabels', {
        layer,
        name: file.name,
        bytes: await file.arrayBuffer(),
        config,
      });
      host.labelsOpened(measurements, config);
      if (host.tables.view !== layer) host.setTableView(layer);
    } catch (error) {
      host.showError(error);
    }
  }

  async openTable(file: File): Promise<void> {
    this.host.hideError();
    try {
      this.host.tables.setOpenedTable(await readTableFile(file), file.name);
      this.host.setTableView('opened');
    } catch (error) {
      this.host.showError(error);
    }
  }

  async openConfig(file: File): Promise<void> {
    try {
      this.host.segment.applyConfig(parseAnalysisConfigText(await file.text(), file.name));
    } catch (error) {
      this.host.showError(error);
    }
  }

  async save(what: ExportKind | 'config.json' | 'project'): Promise<void> {
    const host = this.host;
    host.hideError();
    try {
      if (what === 'project') {
        const project = await host.keeper.saveProject();
        download(project.bytes, project.name, 'application/zip');
        return;
      }
      if (what === 'config.json') {
        const config = host.measuredConfig() ?? host.segment.config();
        const base = host.info()?.name ?? 'cellscope';
        download(`${JSON.stringify(config, null, 2)}\n`, `${base}_config.json`, 'application/json');
        return;
      }
      const file = await host.engine.request('export', { what });
      download(file.bytes, file.name, file.mime);
    } catch (error) {
      host.showError(error);
    }
  }

  /** Dropped files: see `openDroppedFiles`; label images are offered as layers, never as the image. */
  openDropped(files: File[]): Promise<void> {
    const host = this.host;
    return openDroppedFiles(files, {
      imageOpen: () => host.info() !== undefined,
      fitsAsLabels: (file) => fitsAsLabels(host.engine, host.info(), file),
      ask: (file) =>
        askLabelDestination({
          fileName: file.name,
          suggested: layerFromFileName(file.name) ?? host.layer(),
          offerImage: true,
        }),
      openImage: async (images) => void (await host.openImage(images)),
      openLabels: (file, layer) => this.openLabelsAs(file, layer),
      openTable: (file) => this.openTable(file),
      openProject: (file) => host.keeper.openProject(file),
    });
  }
}
