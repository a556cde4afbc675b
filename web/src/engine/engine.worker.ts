/// <reference lib="webworker" />
// The engine: owns the image, the label images and the tables; renders bitmaps for the page,
// measures, edits and exports (state.ts, edits.ts, views.ts, export.ts). Segmentation runs in a worker of its own so that cancel can stop
// it at once (terminate) without losing the image.
import {
  type CellposeStage,
  createLabels,
  parseAnalysisConfig,
  percentile,
  stackDtype,
  minMax,
} from 'cellscope/browser';
import { bigImageHandlers, bigImagePixel, closeBigImage } from '../big-image/engine-side.js';
import { imageName } from '../names.js';
import { decodeFiles } from './decode.js';
import { errorInfo } from './errors.js';
import { editLayer, stepHistory } from './edits.js';
import { exportFile } from './export.js';
import { decodeLabelImage, restoreLabels, snapshotLabels } from './label-layers.js';
import type { RequestMessage, Requests, ResponseMessage } from './protocol.js';
import { compositeChannels } from './render.js';
import { measure, other, requireStack, setLayer, state } from './state.js';
import { overlayBitmap, relationCrop } from './views.js';
import { overallProgress, segmentationPasses } from './overall-progress.js';
import { probeLabels } from './probe-labels.js';
import { applyRun, runInput } from './run.js';
import type { RunControl } from './protocol.js';
import type { SegmentRequest, SegmentResponse, SegmentResult } from './segment.worker.js';
import { runWorkerJob } from './worker-job.js';

declare const self: DedicatedWorkerGlobalScope;

const WHOLE_RUN: RunControl = { steps: 'both', keepPrevious: false };

/** Whether a run has a progress pass (nuclei, cells, measuring) at all. */
function runsPass(run: RunControl, pass: string): boolean {
  return (
    !(run.steps === 'nuclei' && pass === 'cells') && !(run.steps === 'cells' && pass === 'nuclei')
  );
}

type Handlers = {
  [K in keyof Requests]: (
    args: Requests[K]['args'],
    progress: (step: string, done: number, total: number) => void,
  ) => Promise<Requests[K]['result']> | Requests[K]['result'];
};

const handlers: Handlers = {
  ...bigImageHandlers,

  async open({ files }) {
    closeBigImage();
    const stack = await decodeFiles(
      files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) })),
    );
    state.stack = stack;
    state.layers = {};
    state.previous = undefined;
    state.history = [];
    state.future = [];
    const { width, height } = stack.planes[0];
    const names = files.map((f) => f.name);
    state.info = {
      name: imageName(names),
      files: names,
      width,
      height,
      dtype: stackDtype(stack),
      axes: stack.sourceAxes,
      channelNames: [...stack.channelNames],
      pixelSizeUm: stack.pixelSizeUm
        ? { x: stack.pixelSizeUm.x, y: stack.pixelSizeUm.y }
        : undefined,
      ranges: stack.planes.map((plane) => {
        const [min, max] = minMax(plane);
        const [autoMin, autoMax] = percentile(plane, [0.35, 99.8]);
        return { min, max, autoMin, autoMax: autoMax > autoMin ? autoMax : max };
      }),
    };
    return state.info;
  },

  async composite({ channels }) {
    const stack = requireStack();
    const { width, height } = stack.planes[0];
    state.composite = compositeChannels(stack.planes, channels);
    return createImageBitmap(new ImageData(state.composite, width, height));
  },

  async overlay(settings) {
    state.overlay = settings;
    return overlayBitmap(settings);
  },

  pixel({ x, y }) {
    const stack = state.stack;
    if (!stack) return bigImagePixel({ x, y });
    const { width, height } = stack.planes[0];
    const [px, py] = [Math.floor(x), Math.floor(y)];
    if (px < 0 || py < 0 || px >= width || py >= height) return null;
    const i = py * width + px;
    return {
      values: stack.planes.map((p) => p.data[i]),
      nucleus: state.layers.nuclei?.labels.data[i] ?? 0,
      cell: state.layers.cells?.labels.data[i] ?? 0,
    };
  },

  probeLabels({ bytes }) {
    const { width, height } = requireStack().planes[0];
    return probeLabels(new Uint8Array(bytes), width * height);
  },

  async segment({ config, models, run = WHOLE_RUN }, progress) {
    const parsed = parseAnalysisConfig(config);
    const input = runInput(run);
    const started = performance.now();
    const passes = segmentationPasses(parsed).filter((p) => runsPass(run, p.name));
    const overall = overallProgress(passes, progress);
    let backend = '';
    const result = await runSegmenter(
      { ...input, config, models },
      (pass, done, total, stage) =>
        overall(
          pass,
          `segmenting ${pass}${total > 1 ? `, tile ${done}/${total}` : ''}${backend}`,
          done,
          total,
          stage,
        ),
      (name) => (backend = ` on ${name}`),
    );
    const notes = applyRun(result, run);
    overall('measuring', 'measuring', 0, 1);
    const measurements = measure(parsed);
    return {
      measurements,
      steps: [...result.steps, ...notes],
      seconds: (performance.now() - started) / 1000,
      diameters: { nuclei: result.nucleusDiameterPx, cells: result.cellDiameterPx },
      previous: state.previous !== undefined,
      backend: result.backend,
    };
  },

  dropPrevious() {
    state.previous = undefined;
    return null;
  },

  openLabels({ layer, name, bytes, config }) {
    setLayer(layer, decodeLabelImage(name, bytes));
    state.history = [];
    state.future = [];
    const labels = state.layers[layer]!.labels;
    if (!state.layers[other(layer)])
      setLayer(other(layer), createLabels(labels.width, labels.height));
    return measure(parseAnalysisConfig(config));
  },

  snapshot() {
    return snapshotLabels();
  },

  restore(args) {
    return restoreLabels(args);
  },

  edit({ layer, edit, config }) {
    return editLayer(layer, edit, config);
  },

  undo({ config }) {
    return stepHistory('undo', config);
  },

  redo({ config }) {
    return stepHistory('redo', config);
  },

  async relation({ cell, size }) {
    const stack = requireStack();
    const cells = state.layers.cells?.labels;
    const nuclei = state.layers.nuclei?.labels;
    if (!cells || !nuclei || !state.composite) return null;
    return relationCrop(stack, cells, nuclei, cell, size);
  },

  async export({ what }) {
    return exportFile(what);
  },
};

/** Runs segmentation in a fresh worker; `cancel` terminates it. */
async function runSegmenter(
  request: SegmentRequest,
  progress: (pass: 'nuclei' | 'cells', done: number, total: number, stage?: CellposeStage) => void,
  onBackend: (name: string) => void,
): Promise<SegmentResult> {
  const worker = new Worker(new URL('./segment.worker.ts', import.meta.url), { type: 'module' });
  const done = await runWorkerJob<SegmentResponse>(
    worker,
    (w) => w.postMessage(request),
    (message) => {
      if (message.kind === 'progress')
        progress(message.pass, message.done, message.total, message.stage);
      else if (message.kind === 'backend') onBackend(message.name);
    },
  );
  return done.result;
}

self.onmessage = async (event: MessageEvent<RequestMessage | { type: 'cancel' }>) => {
  const message = event.data;
  if (message.type === 'cancel') {
    state.cancelSegment?.();
    return;
  }
  const post = (response: ResponseMessage, transfer: Transferable[] = []): void =>
    self.postMessage(response, transfer);
  try {
    const handler = handlers[message.type] as (
      args: unknown,
      progress: (step: string, done: number, total: number) => void,
    ) => unknown;
    const result = await handler(message.args, (step, done, total) =>
      post({ id: message.id, kind: 'progress', step, done, total }),
    );
    post({ id: message.id, kind: 'result', result }, transferables(result));
  } catch (error) {
    post({ id: message.id, kind: 'error', error: errorInfo(error) });
  }
};

function transferables(result: unknown): Transferable[] {
  if (result instanceof ImageBitmap) return [result];
  if (result && typeof result === 'object') {
    const found: Transferable[] = [];
    for (const value of Object.values(result)) {
      if (value instanceof ImageBitmap || value instanceof ArrayBuffer) found.push(value);
    }
    return found;
  }
  return [];
}
