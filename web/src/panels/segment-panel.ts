// Segmentation settings as an analysis config (the same JSON `cellscope analyze --config` runs),
// the Cellpose weights the page holds, and the run/cancel controls with progress.
import {
  BUILT_IN_MODEL_NAMES,
  DEFAULT_MODELS,
  PACKAGED_MODEL_NAMES,
  THRESHOLD_METHODS,
  parseAnalysisConfig,
  type AnalysisConfigInput,
} from 'cellscope/browser';
import { withUsedDiameters } from '../config-diameters.js';
import type { EngineClient } from '../engine/client.js';
import type {
  ImageInfo,
  Measurements,
  ModelFile,
  RunControl,
  RunSteps,
  UsedDiameters,
} from '../engine/protocol.js';
import { ModelSource } from '../engine/model-source.js';
import { fileInput, h } from '../ui/dom.js';
import { shortChannelNames } from '../names.js';
import { chooseChannels } from '../channel-roles.js';

export interface SegmentPanelCallbacks {
  onRun(config: AnalysisConfigInput, models: ModelFile[]): void;
  /** The steps the next run does (models only for those are loaded); both by default. */
  runSteps?(): RunSteps;
  onCancel(): void;
  onError(error: unknown): void;
}

type Target = 'nuclei' | 'cells';

/** The library's defaults, as `cellscope analyze` without a config: cellscope's own models. */
const DEFAULTS = parseAnalysisConfig({ channels: { nuclei: 0, cytoplasm: 1 } });

export class SegmentPanel {
  private info?: ImageInfo;
  private readonly models = new ModelSource();
  private readonly form: {
    nucleiChannel: HTMLSelectElement;
    cytoplasmChannel: HTMLSelectElement;
    nucleiMethod: HTMLSelectElement;
    nucleiDiameter: HTMLInputElement;
    nucleiThreshold: HTMLSelectElement;
    nucleiModel: HTMLSelectElement;
    cellsMethod: HTMLSelectElement;
    cellsDiameter: HTMLInputElement;
    cellsModel: HTMLSelectElement;
    pixelSize: HTMLInputElement;
    tablesInUm: HTMLInputElement;
  };
  private readonly runButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly progressBar: HTMLProgressElement;
  private readonly progressText: HTMLElement;
  private readonly modelList: HTMLElement;
  private readonly roleNote: HTMLElement;

  constructor(
    container: HTMLElement,
    private readonly callbacks: SegmentPanelCallbacks,
  ) {
    const select = (testid: string, options: [string, string][] = []) =>
      h(
        'select',
        { testid, onchange: () => this.syncVisibility() },
        ...options.map(([v, t]) => h('option', { value: v }, t)),
      );
    this.form = {
      nucleiChannel: select('nuclei-channel'),
      cytoplasmChannel: select('cytoplasm-channel'),
      nucleiMethod: select('nuclei-method', [
        ['classical', 'classical (threshold + watershed)'],
        ['cellpose', 'Cellpose'],
      ]),
      nucleiDiameter: h('input', {
        type: 'number',
        min: 1,
        step: 0.1,
        placeholder: 'auto',
        testid: 'nuclei-diameter',
      }),
      nucleiThreshold: select(
        'nuclei-threshold',
        THRESHOLD_METHODS.map((m) => [m, m]),
      ),
      nucleiModel: select('nuclei-model'),
      cellsMethod: select('cells-method', [
        ['from-nuclei', 'grown from nuclei'],
        ['cellpose', 'Cellpose (cytoplasm + nuclei)'],
      ]),
      cellsDiameter: h('input', {
        type: 'number',
        min: 1,
        step: 0.1,
        placeholder: 'auto',
        testid: 'cells-diameter',
      }),
      cellsModel: select('cells-model'),
      pixelSize: h('input', {
        type: 'number',
        min: 0,
        step: 0.001,
        placeholder: 'unknown',
        testid: 'pixel-size',
      }),
      tablesInUm: h('input', { type: 'checkbox', testid: 'tables-in-um' }),
    };
    const f = this.form;
    this.runButton = h(
      'button',
      { class: 'primary', testid: 'segment', onclick: () => void this.run() },
      'Segment',
    );
    this.cancelButton = h(
      'button',
      { testid: 'cancel', disabled: true, onclick: () => callbacks.onCancel() },
      'Cancel',
    );
    this.progressBar = h('progress', { max: 1, value: 0, testid: 'progress' });
    this.progressText = h('div', { class: 'muted progress-text', testid: 'progress-text' });
    this.modelList = h('div', { class: 'muted model-list' });
    this.roleNote = h('div', { class: 'muted role-note', testid: 'channel-roles' });
    const row = (label: string, control: HTMLElement, cls = '') =>
      h('label', { class: `row ${cls}` }, h('span', {}, label), control);
    container.append(
      row('nuclei', f.nucleiChannel),
      row('cytoplasm', f.cytoplasmChannel),
      this.roleNote,
      h('div', { class: 'subhead' }, 'Nuclei'),
      row('method', f.nucleiMethod),
      row('diameter (px)', f.nucleiDiameter),
      row('threshold', f.nucleiThreshold, 'classical-only'),
      row('model', f.nucleiModel, 'nuclei-cellpose-only'),
      h('div', { class: 'subhead' }, 'Cells'),
      row('method', f.cellsMethod),
      row('diameter (px)', f.cellsDiameter, 'cells-cellpose-only'),
      row('model', f.cellsModel, 'cells-cellpose-only'),
      h(
        'div',
        { class: 'row cellpose-weights' },
        h('span', {}, 'weights'),
        h(
          'button',
          {
            class: 'small',
            testid: 'choose-weights',
            onclick: () => weights.click(),
            title:
              'a Cellpose .pth state_dict (cyto3, nuclei or your own) or an .onnx from cellscope models convert',
          },
          'Choose .pth/.onnx…',
        ),
      ),
      this.modelList,
      h('div', { class: 'subhead' }, 'Units'),
      row('pixel size (µm)', f.pixelSize),
      h('label', { class: 'row check' }, f.tablesInUm, h('span', {}, 'tables in µm / µm²')),
      h('div', { class: 'buttons' }, this.runButton, this.cancelButton),
      this.progressBar,
      this.progressText,
    );
    const weights = fileInput(
      'weights-input',
      '.pth,.pt,.onnx',
      true,
      (files) => void this.addModels(files),
    );
    container.append(weights);
    f.nucleiMethod.value = DEFAULTS.nuclei.method;
    f.cellsMethod.value = DEFAULTS.cells.method;
    this.refreshModels();
    this.syncVisibility();
    void this.models.refresh().then(() => this.refreshModels());
  }

  setImage(info: ImageInfo): void {
    this.info = info;
    const shortNames = shortChannelNames(info.channelNames);
    const options = info.channelNames.map((name, c) =>
      h('option', { value: String(c), title: name }, `${c + 1}: ${shortNames[c]}`),
    );
    this.form.nucleiChannel.replaceChildren(...options.map((o) => o.cloneNode(true)));
    this.form.cytoplasmChannel.replaceChildren(...options);
    const choice = chooseChannels(info.channelNames);
    this.form.nucleiChannel.value = String(choice.nuclei);
    this.form.cytoplasmChannel.value = String(choice.cytoplasm);
    this.roleNote.textContent = choice.note;
    this.roleNote.classList.toggle('ask', !choice.guessed);
    // TIFF stores the resolution as a ratio: 0.65 comes back as 0.6499999999999.
    this.form.pixelSize.value = info.pixelSizeUm
      ? String(Number(info.pixelSizeUm.x.toPrecision(6)))
      : '';
    this.setProgress('', 0, 1);
    this.showUsedDiameters({});
  }

  /**
   * Shows in each 'auto' diameter field the value the last run estimated ("auto: 23.4 px"); the
   * field stays auto, so the next image gets its own estimate.
   */
  showUsedDiameters(used: UsedDiameters): void {
    for (const [input, value] of [
      [this.form.nucleiDiameter, used.nuclei],
      [this.form.cellsDiameter, used.cells],
    ] as const) {
      const estimated = value !== undefined && value > 0 && !(Number(input.value) > 0);
      input.placeholder = estimated ? `auto: ${value.toFixed(1)} px` : 'auto';
      input.title = estimated ? 'estimated by the last run; type a number to fix it' : '';
      if (estimated) input.dataset.estimated = String(value);
      else delete input.dataset.estimated;
    }
  }

  /** The pixel size the user gave (µm), if any. */
  get pixelSizeUm(): number | undefined {
    const value = Number(this.form.pixelSize.value);
    return value > 0 ? value : undefined;
  }

  onPixelSizeChange(listener: (um: number | undefined) => void): void {
    this.form.pixelSize.addEventListener('change', () => listener(this.pixelSizeUm));
  }

  /** Uses a measured length as the diameter of nuclei or cells. */
  setDiameter(target: Target, px: number): void {
    const input = target === 'nuclei' ? this.form.nucleiDiameter : this.form.cellsDiameter;
    input.value = px.toFixed(1);
    input.classList.add('flash');
    setTimeout(() => input.classList.remove('flash'), 800);
  }

  /** The settings as an analysis config (channels by name when names are unique). */
  config(): AnalysisConfigInput {
    const f = this.form;
    const names = this.info?.channelNames ?? [];
    const unique = new Set(names).size === names.length;
    const channel = (index: number): number | string => (unique ? names[index] : index);
    const nucleiIndex = Number(f.nucleiChannel.value);
    const cytoplasmIndex = Number(f.cytoplasmChannel.value);
    const others = names.map((_, c) => c).filter((c) => c !== nucleiIndex && c !== cytoplasmIndex);
    const diameter = (input: HTMLInputElement): number | 'auto' =>
      Number(input.value) > 0 ? Number(input.value) : 'auto';
    const config: AnalysisConfigInput = {
      channels: {
        nuclei: channel(nucleiIndex),
        cytoplasm: channel(cytoplasmIndex),
        others: others.map(channel),
      },
      nuclei:
        f.nucleiMethod.value === 'cellpose'
          ? { method: 'cellpose', model: f.nucleiModel.value, diameter: diameter(f.nucleiDiameter) }
          : {
              method: 'classical',
              diameter: diameter(f.nucleiDiameter),
              threshold: f.nucleiThreshold.value as (typeof THRESHOLD_METHODS)[number],
            },
      cells:
        f.cellsMethod.value === 'cellpose'
          ? {
              method: 'cellpose',
              model: f.cellsModel.value,
              diameter: diameter(f.cellsDiameter),
              useNuclearChannel: true,
            }
          : { method: 'from-nuclei' },
    };
    if (f.tablesInUm.checked && this.pixelSizeUm) config.pixelSizeUm = this.pixelSizeUm;
    return config;
  }

  /** Applies a saved config (from Save → config JSON or `cellscope analyze`). */
  applyConfig(config: AnalysisConfigInput): void {
    const f = this.form;
    const names = this.info?.channelNames ?? [];
    const index = (c: number | string): string =>
      String(
        typeof c === 'number'
          ? c
          : Math.max(
              0,
              names.findIndex((n) => n.toLowerCase() === c.toLowerCase()),
            ),
      );
    f.nucleiChannel.value = index(config.channels.nuclei);
    f.cytoplasmChannel.value = index(config.channels.cytoplasm);
    const nuclei = config.nuclei ?? DEFAULTS.nuclei;
    f.nucleiMethod.value = nuclei.method;
    f.nucleiDiameter.value = typeof nuclei.diameter === 'number' ? String(nuclei.diameter) : '';
    if (nuclei.method === 'classical' && typeof nuclei.threshold === 'string')
      f.nucleiThreshold.value = nuclei.threshold;
    if (nuclei.method === 'cellpose' && nuclei.model) f.nucleiModel.value = nuclei.model;
    const cells = config.cells ?? DEFAULTS.cells;
    f.cellsMethod.value = cells.method;
    if (cells.method === 'cellpose') {
      f.cellsDiameter.value = typeof cells.diameter === 'number' ? String(cells.diameter) : '';
      if (cells.model) f.cellsModel.value = cells.model;
    }
    if (config.pixelSizeUm) {
      f.pixelSize.value = String(config.pixelSizeUm);
      f.tablesInUm.checked = true;
    }
    this.syncVisibility();
  }

  /**
   * Runs a segmentation in the engine with its progress on the bar. Returns the tables and the
   * config they were measured with, undefined when the user cancelled; failures throw.
   */
  async runIn(
    engine: EngineClient,
    config: AnalysisConfigInput,
    models: ModelFile[],
    run?: RunControl,
  ): Promise<
    | { measurements: Measurements; measuredConfig: AnalysisConfigInput; previous: boolean }
    | undefined
  > {
    this.setRunning(true);
    this.setProgress('starting', 0, 1);
    try {
      const result = await engine.request(
        'segment',
        { config, models, run },
        {
          progress: (step, done, total) => this.setProgress(step, done, total),
          transfer: models.map((m) => m.bytes),
        },
      );
      this.showUsedDiameters(result.diameters);
      const { counts } = result.measurements;
      const seconds = result.seconds.toFixed(1);
      const on = result.backend ? ` on ${result.backend}` : '';
      this.setProgress(`${counts.nuclei} nuclei, ${counts.cells} cells in ${seconds} s${on}`, 1, 1);
      // The saved config carries the diameters used, so a rerun reuses rather than re-estimates.
      const measuredConfig = withUsedDiameters(config, result.diameters);
      return { measurements: result.measurements, measuredConfig, previous: result.previous };
    } catch (error) {
      const cancelled = (error as Error).name === 'AbortError';
      this.setProgress(cancelled ? 'cancelled' : 'failed', 0, 1);
      if (!cancelled) throw error;
      return undefined;
    } finally {
      this.setRunning(false);
    }
  }

  setRunning(running: boolean): void {
    this.runButton.disabled = running;
    this.cancelButton.disabled = !running;
  }

  setProgress(step: string, done: number, total: number): void {
    this.progressBar.max = Math.max(1, total);
    this.progressBar.value = done;
    this.progressText.textContent = step;
  }

  private async run(): Promise<void> {
    const config = this.config();
    const steps = this.callbacks.runSteps?.() ?? 'both';
    const run = [steps !== 'cells' && config.nuclei, steps !== 'nuclei' && config.cells];
    const needed = run.flatMap((step) =>
      step && step.method === 'cellpose' && step.model ? [step.model] : [],
    );
    try {
      const models: ModelFile[] = [];
      for (const name of new Set(needed)) {
        models.push(await this.models.get(name, (text) => this.setProgress(text, 0, 1)));
      }
      this.refreshModels();
      this.callbacks.onRun(config, models);
    } catch (error) {
      this.setProgress('', 0, 1);
      this.callbacks.onError(error);
    }
  }

  private async addModels(files: File[]): Promise<void> {
    try {
      for (const file of files) this.models.add(modelName(file.name), await file.arrayBuffer());
      this.refreshModels();
      const last = modelName(files[files.length - 1].name);
      if (this.form.nucleiMethod.value === 'cellpose') this.form.nucleiModel.value = last;
      if (this.form.cellsMethod.value === 'cellpose') this.form.cellsModel.value = last;
    } catch (error) {
      this.callbacks.onError(error);
    }
  }

  private refreshModels(): void {
    const names = [
      ...new Set([...this.models.localNames, ...PACKAGED_MODEL_NAMES, ...BUILT_IN_MODEL_NAMES]),
    ];
    // cellscope's own models ship with the app: the defaults, as they need no download.
    for (const [target, select] of [
      ['nuclei', this.form.nucleiModel],
      ['cells', this.form.cellsModel],
    ] as const) {
      const previous = select.value;
      select.replaceChildren(
        ...names.map((name) =>
          h('option', { value: name }, `${name} (${this.models.status(name)})`),
        ),
      );
      select.value = names.includes(previous) ? previous : DEFAULT_MODELS[target];
    }
    const local = this.models.localNames;
    this.modelList.textContent = local.length
      ? `in the page: ${local.join(', ')}`
      : 'official models come from the model cache of "cellscope view", or choose a file';
  }

  private syncVisibility(): void {
    const f = this.form;
    const root = f.nucleiMethod.closest('.section-body') ?? document;
    const show = (selector: string, visible: boolean) =>
      root.querySelectorAll<HTMLElement>(selector).forEach((e) => (e.hidden = !visible));
    const nucleiCellpose = f.nucleiMethod.value === 'cellpose';
    const cellsCellpose = f.cellsMethod.value === 'cellpose';
    show('.classical-only', !nucleiCellpose);
    show('.nuclei-cellpose-only', nucleiCellpose);
    show('.cells-cellpose-only', cellsCellpose);
    show('.cellpose-weights', nucleiCellpose || cellsCellpose);
    this.modelList.hidden = !(nucleiCellpose || cellsCellpose);
  }
}

/** A weight file's model name: built-in names keep theirs (cyto3.pth → cyto3), others their file name. */
function modelName(fileName: string): string {
  const stem = fileName.replace(/\.(pth|pt)$/i, '');
  const builtIn = BUILT_IN_MODEL_NAMES.find(
    (name) => stem === name || stem.startsWith(`${name}torch`),
  );
  return builtIn ?? fileName;
}
