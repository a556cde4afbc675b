// Keeps the session: autosaves it to IndexedDB shortly after each change, offers it back after
// a reload, warns before a page with unsaved edits closes, and saves and opens project files.
import type { EngineClient } from '../engine/client.js';
import type { ExportKind, Layer, Measurements } from '../engine/protocol.js';
import { h } from '../ui/dom.js';
import './session.css';
import { decodeProject, encodeProject } from './project.js';
import type { AppSettings, SessionRecord } from './record.js';
import { clearSession, loadSession, saveSession } from './store.js';

/** What the keeper needs of the app. */
export interface SessionHost {
  readonly engine: EngineClient;
  /** Where the restore prompt shows. */
  readonly notice: HTMLElement;
  image(): { name: string; files: File[] } | undefined;
  settings(): AppSettings;
  counts(): { nuclei: number; cells: number } | undefined;
  /** Opens image files as the user would; false when that failed (the app showed why). */
  openImage(files: File[]): Promise<boolean>;
  /** Shows restored settings and the tables of the restored labels (null: none). */
  restored(settings: AppSettings, measurements: Measurements | null): Promise<void>;
  showError(error: unknown): void;
}

/** Quiet time after a change before the autosave runs (a brush stroke, a slider drag). */
const AUTOSAVE_DELAY_MS = 400;
/** Undo steps kept by the autosave; 2048² labels are 16 MB a step. */
const AUTOSAVE_UNDO_STEPS = 5;
const PROJECT_OUTPUTS: ExportKind[] = [
  'nuclei.tif',
  'cells.tif',
  'nuclei.csv',
  'cells_matched.csv',
];

export class SessionKeeper {
  private timer?: ReturnType<typeof setTimeout>;
  private saving: Promise<void> = Promise.resolve();
  /** While a session is being restored, its own autosaves would overwrite what it restores. */
  private restoring = false;
  /** Edits since the last project save: closing the page asks first. */
  private unsavedEdits = false;

  constructor(private readonly host: SessionHost) {
    window.addEventListener('beforeunload', (event) => {
      if (!this.unsavedEdits) return;
      event.preventDefault();
      event.returnValue = ''; // Chromium still asks for it
    });
  }

  /** Something worth keeping changed; `edit`: the labels were edited by hand. */
  changed({ edit = false } = {}): void {
    if (edit) this.unsavedEdits = true;
    if (this.restoring) return;
    this.setStatus('pending');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.saveNow(), AUTOSAVE_DELAY_MS);
  }

  /** Saves at once (after any save under way). */
  saveNow(): Promise<void> {
    clearTimeout(this.timer);
    this.saving = this.saving.then(() => this.write());
    return this.saving;
  }

  private async write(): Promise<void> {
    const image = this.host.image();
    if (!image) return;
    try {
      const labels = await this.host.engine.request('snapshot', {});
      if (labels) {
        labels.history = labels.history.slice(-AUTOSAVE_UNDO_STEPS);
        labels.future = labels.future.slice(-AUTOSAVE_UNDO_STEPS);
      }
      const record: SessionRecord = {
        version: 1,
        savedAt: Date.now(),
        image,
        labels: labels ?? undefined,
        settings: this.host.settings(),
        counts: this.host.counts(),
      };
      await saveSession(record);
      this.setStatus('saved');
    } catch (error) {
      // A full disk or a private window: the page still works, it only cannot autosave.
      this.setStatus('failed');
      console.warn('autosave failed', error);
    }
  }

  /** Offers the last autosaved session, if there is one, in the notice bar. */
  async offerRestore(): Promise<void> {
    let record: SessionRecord | undefined;
    try {
      record = await loadSession();
    } catch {
      return; // no IndexedDB: nothing to offer
    }
    if (!record) return;
    const notice = this.host.notice;
    const counts = record.counts
      ? ` · ${record.counts.nuclei} nuclei, ${record.counts.cells} cells`
      : '';
    // A run's two layers are one step to undo.
    const edits = record.labels?.history.filter((step) => !step.linked).length ?? 0;
    const when = new Date(record.savedAt).toLocaleString();
    const close = () => {
      notice.hidden = true;
      notice.replaceChildren();
    };
    notice.replaceChildren(
      h(
        'div',
        { class: 'restore-prompt', testid: 'restore-prompt' },
        h(
          'span',
          {},
          'Restore the last session? ',
          h('b', {}, record.image.name),
          `${counts}${edits ? ` · ${edits} edit${edits > 1 ? 's' : ''} to undo` : ''} · saved ${when}`,
        ),
        h(
          'button',
          {
            class: 'small primary',
            testid: 'restore-session',
            onclick: () => {
              close();
              void this.restore(record);
            },
          },
          'Restore',
        ),
        h(
          'button',
          {
            class: 'small',
            testid: 'discard-session',
            onclick: () => {
              close();
              void clearSession();
            },
          },
          'Discard',
        ),
      ),
    );
    notice.hidden = false;
  }

  private async restore(record: SessionRecord): Promise<void> {
    const { settings, labels } = record;
    await this.restoreWith(record.image.files, settings, () =>
      labels
        ? this.host.engine.request('restore', {
            layers: labels.layers,
            history: labels.history,
            future: labels.future,
            config: settings.measuredConfig ?? settings.segment,
          })
        : Promise.resolve(null),
    );
  }

  private async restoreWith(
    files: File[],
    settings: AppSettings,
    labels: () => Promise<Measurements | null>,
  ): Promise<void> {
    this.restoring = true;
    try {
      if (!(await this.host.openImage(files))) return;
      await this.host.restored(settings, await labels());
    } catch (error) {
      this.host.showError(error);
    } finally {
      this.restoring = false;
    }
    this.changed();
  }

  /** The project file of the page as it is now. */
  async saveProject(): Promise<{ name: string; bytes: Uint8Array }> {
    const image = this.host.image();
    if (!image) throw new Error('open an image before saving a project');
    const settings = this.host.settings();
    const outputs: Record<string, Uint8Array> = {};
    if (settings.measuredConfig) {
      for (const what of PROJECT_OUTPUTS) {
        const file = await this.host.engine.request('export', { what });
        outputs[what] = new Uint8Array(file.bytes);
      }
    }
    const bytes = await encodeProject({
      name: image.name,
      files: image.files,
      settings,
      config: settings.measuredConfig ?? settings.segment,
      outputs,
    });
    this.unsavedEdits = false;
    return { name: `${image.name}.cellscope.zip`, bytes };
  }

  async openProject(file: File): Promise<void> {
    let project;
    try {
      project = decodeProject(new Uint8Array(await file.arrayBuffer()), file.name);
    } catch (error) {
      return this.host.showError(error);
    }
    const { settings, labels, files } = project;
    const layers: Partial<Record<Layer, { name: string; tiff: ArrayBuffer }>> = {};
    for (const layer of ['nuclei', 'cells'] as const) {
      const tiff = labels[layer];
      if (tiff) layers[layer] = { name: `${file.name}: ${layer}.tif`, tiff: copy(tiff) };
    }
    await this.restoreWith(
      files,
      { ...settings, measuredConfig: settings.measuredConfig && project.config },
      () =>
        Object.keys(layers).length
          ? this.host.engine.request('restore', { layers, config: project.config })
          : Promise.resolve(null),
    );
    this.unsavedEdits = false;
  }

  private setStatus(status: 'pending' | 'saved' | 'failed'): void {
    document.body.dataset.autosave = status;
  }
}

function copy(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
