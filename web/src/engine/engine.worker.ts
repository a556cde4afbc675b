/// <reference lib="webworker" />
// The engine: owns the image, the label images and the tables; renders bitmaps for the page,
// measures, edits and exports. Segmentation runs in a worker of its own so that cancel can stop
// it at once (terminate) without losing the image.
import {
  CellscopeError,
  createLabels,
  decodeTiff,
  deleteLabels,
  encodeLabelsTiff,
  InvalidArgumentError,
  mergeLabels,
  nextFreeLabel,
  paintStroke,
  parseAnalysisConfig,
  percentile,
  stackDtype,
  minMax,
  tableToCsv,
  tableToParquet,
  measureSegmented,
  type AnalysisConfig,
  type Labels,
  type Stack,
} from 'cellscope/browser';
import { imageName } from '../names.js';
import { decodeFiles } from './decode.js';
import { errorInfo } from './errors.js';
import type {
  ExportKind,
  ImageInfo,
  Layer,
  LabelEdit,
  Measurements,
  OverlaySettings,
  RequestMessage,
  Requests,
  ResponseMessage,
} from './protocol.js';
import { compositeChannels, innerBoundaries, renderOverlay } from './render.js';
import { overallProgress, segmentationPasses } from './overall-progress.js';
import { probeLabels } from './probe-labels.js';
import type { SegmentRequest, SegmentResponse, SegmentResult } from './segment.worker.js';

declare const self: DedicatedWorkerGlobalScope;

interface LabelLayer {
  labels: Labels;
  boundaries: Uint8Array;
}

const state: {
  stack?: Stack;
  info?: ImageInfo;
  layers: Partial<Record<Layer, LabelLayer>>;
  composite?: Uint8ClampedArray<ArrayBuffer>;
  overlay?: OverlaySettings;
  /** Label images before each edit, newest last (they are never mutated, so no copies). */
  history: { layer: Layer; labels: Labels }[];
  cancelSegment?: () => void;
} = { layers: {}, history: [] };

/** Edits that can be undone; 2048² uint32 labels are 16 MB each. */
const UNDO_DEPTH = 20;

type Handlers = {
  [K in keyof Requests]: (
    args: Requests[K]['args'],
    progress: (step: string, done: number, total: number) => void,
  ) => Promise<Requests[K]['result']> | Requests[K]['result'];
};

const handlers: Handlers = {
  async open({ files }) {
    const stack = await decodeFiles(
      files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) })),
    );
    state.stack = stack;
    state.layers = {};
    state.history = [];
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
    if (!stack) return null;
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

  async segment({ config, models }, progress) {
    const stack = requireStack();
    const parsed = parseAnalysisConfig(config);
    const started = performance.now();
    const overall = overallProgress(segmentationPasses(parsed), progress);
    const result = await runSegmenter({ stack, config, models }, (pass, done, total) =>
      overall(pass, `segmenting ${pass}${total > 1 ? ` ${done}/${total}` : ''}`, done, total),
    );
    setLayer('nuclei', result.nucleusLabels);
    setLayer('cells', result.cellLabels);
    state.history = [];
    overall('measuring', 'measuring', 0, 1);
    const measurements = measure(parsed);
    return {
      measurements,
      steps: result.steps,
      seconds: (performance.now() - started) / 1000,
      diameters: { nuclei: result.nucleusDiameterPx, cells: result.cellDiameterPx },
    };
  },

  openLabels({ layer, name, bytes, config }) {
    const stack = requireStack();
    let labels: Labels;
    try {
      const decoded = decodeTiff(new Uint8Array(bytes));
      const plane = decoded.planes[0];
      if (decoded.planes.length !== 1) {
        throw new InvalidArgumentError(
          `a label image has one channel, this file has ${decoded.planes.length}`,
        );
      }
      const { width, height } = stack.planes[0];
      if (plane.width !== width || plane.height !== height) {
        throw new InvalidArgumentError(
          `is ${plane.width}×${plane.height} but the image is ${width}×${height}`,
          { hint: 'open the label image saved for this image' },
        );
      }
      labels = createLabels(
        width,
        height,
        Uint32Array.from(plane.data, (v) => Math.max(0, Math.round(v))),
      );
    } catch (error) {
      if (error instanceof CellscopeError && !error.file) (error as { file?: string }).file = name;
      throw error;
    }
    setLayer(layer, labels);
    state.history = [];
    if (!state.layers[other(layer)])
      setLayer(other(layer), createLabels(labels.width, labels.height));
    return measure(parseAnalysisConfig(config));
  },

  edit({ layer, edit, config }) {
    const current = state.layers[layer];
    if (!current)
      throw new InvalidArgumentError(`there are no ${layer} to edit yet`, {
        hint: 'segment first',
      });
    const { labels, changedLabel } = applyEdit(current.labels, edit);
    state.history.push({ layer, labels: current.labels });
    if (state.history.length > UNDO_DEPTH) state.history.shift();
    setLayer(layer, labels);
    return { measurements: measure(parseAnalysisConfig(config)), changedLabel };
  },

  undo({ config }) {
    const previous = state.history.pop();
    if (!previous) return null;
    setLayer(previous.layer, previous.labels);
    return { measurements: measure(parseAnalysisConfig(config)), layer: previous.layer };
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

function requireStack(): Stack {
  if (!state.stack)
    throw new InvalidArgumentError('no image is open', { hint: 'open an image first' });
  return state.stack;
}

function other(layer: Layer): Layer {
  return layer === 'nuclei' ? 'cells' : 'nuclei';
}

function setLayer(layer: Layer, labels: Labels): void {
  state.layers[layer] = { labels, boundaries: innerBoundaries(labels) };
}

let lastMeasured: ReturnType<typeof measureSegmented> | undefined;

function measure(config: AnalysisConfig): Measurements {
  const stack = requireStack();
  const nuclei = state.layers.nuclei!.labels;
  const cells = state.layers.cells!.labels;
  const measured = measureSegmented(stack, config, nuclei, cells);
  lastMeasured = measured;
  const { relation } = measured;
  return {
    nuclei: measured.nuclei,
    cells: measured.cells,
    matched: measured.matched,
    counts: {
      nuclei: relation.nuclei.label.length,
      cells: relation.cells.label.length,
      cellsWithNucleus: relation.cells.nucleus.filter((n) => n !== 0).length,
    },
  };
}

function applyEdit(labels: Labels, edit: LabelEdit): { labels: Labels; changedLabel?: number } {
  switch (edit.kind) {
    case 'delete':
      return { labels: deleteLabels(labels, edit.labels).labels };
    case 'merge': {
      const merged = mergeLabels(labels, edit.labels);
      return { labels: merged.labels, changedLabel: merged.into };
    }
    case 'paint': {
      const value = edit.mode === 'paint' && edit.value === 0 ? nextFreeLabel(labels) : edit.value;
      const painted = paintStroke(labels, edit.points, {
        radius: edit.radius,
        value,
        mode: edit.mode,
      });
      return { labels: painted.labels, changedLabel: value };
    }
  }
}

async function overlayBitmap(settings: OverlaySettings): Promise<ImageBitmap | null> {
  const stack = state.stack;
  if (!stack) return null;
  const { width, height } = stack.planes[0];
  const highlight = new Set(settings.highlight.labels);
  const layers = (['cells', 'nuclei'] as const).flatMap((name) => {
    const layer = state.layers[name];
    if (!layer) return [];
    return [
      {
        labels: layer.labels,
        boundaries: layer.boundaries,
        mode: settings[name],
        highlight: settings.highlight.layer === name ? highlight : undefined,
      },
    ];
  });
  const rgba = renderOverlay(layers, width, height, settings.opacity);
  return rgba ? createImageBitmap(new ImageData(rgba, width, height)) : null;
}

/** The cell's neighbourhood with its contour (cell colour) and its nucleus's (white). */
async function relationCrop(
  stack: Stack,
  cells: Labels,
  nuclei: Labels,
  cell: number,
  size: number,
): Promise<{ bitmap: ImageBitmap; nucleus: number } | null> {
  const { width, height } = stack.planes[0];
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let i = 0; i < cells.data.length; i++) {
    if (cells.data[i] !== cell) continue;
    const x = i % width;
    const y = (i - x) / width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (x1 < 0) return null;
  const nucleus =
    lastMeasured?.relation.cells.nucleus[lastMeasured.relation.cells.label.indexOf(cell)] ?? 0;
  const margin = Math.max(4, Math.round(0.15 * Math.max(x1 - x0, y1 - y0)));
  [x0, y0] = [Math.max(0, x0 - margin), Math.max(0, y0 - margin)];
  [x1, y1] = [Math.min(width - 1, x1 + margin), Math.min(height - 1, y1 + margin)];
  const [w, h] = [x1 - x0 + 1, y1 - y0 + 1];
  const rgba = new Uint8ClampedArray(w * h * 4);
  const composite = state.composite!;
  const cellEdges = state.layers.cells!.boundaries;
  const nucleusEdges = state.layers.nuclei!.boundaries;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y + y0) * width + (x + x0);
      const o = (y * w + x) * 4;
      let [r, g, b] = [composite[i * 4], composite[i * 4 + 1], composite[i * 4 + 2]];
      if (cells.data[i] === cell && cellEdges[i]) [r, g, b] = [255, 212, 0];
      else if (nucleus !== 0 && nuclei.data[i] === nucleus && nucleusEdges[i])
        [r, g, b] = [255, 255, 255];
      else if (cells.data[i] !== cell) [r, g, b] = [r * 0.45, g * 0.45, b * 0.45];
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = 255;
    }
  }
  const scale = Math.max(1, Math.floor(size / Math.max(w, h)));
  const canvas = new OffscreenCanvas(w * scale, h * scale);
  const context = canvas.getContext('2d')!;
  context.imageSmoothingEnabled = false;
  context.drawImage(await createImageBitmap(new ImageData(rgba, w, h)), 0, 0, w * scale, h * scale);
  return { bitmap: canvas.transferToImageBitmap(), nucleus };
}

async function exportFile(
  what: ExportKind,
): Promise<{ name: string; mime: string; bytes: ArrayBuffer }> {
  const stack = requireStack();
  const base = state.info?.name ?? 'image';
  const name = `${base}_${what}`;
  const table = (kind: 'matched' | 'nuclei') => {
    if (!lastMeasured)
      throw new InvalidArgumentError('there is nothing measured yet', { hint: 'segment first' });
    return lastMeasured[kind];
  };
  const layerLabels = (layer: Layer) => {
    const found = state.layers[layer];
    if (!found)
      throw new InvalidArgumentError(`there are no ${layer} yet`, { hint: 'segment first' });
    return found.labels;
  };
  const bytes = (data: Uint8Array | string): ArrayBuffer => {
    const array = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    return array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength) as ArrayBuffer;
  };
  switch (what) {
    case 'nuclei.tif':
    case 'cells.tif': {
      const labels = layerLabels(what === 'nuclei.tif' ? 'nuclei' : 'cells');
      return {
        name,
        mime: 'image/tiff',
        bytes: bytes(encodeLabelsTiff(labels, { pixelSizeUm: stack.pixelSizeUm })),
      };
    }
    case 'cells_matched.csv':
    case 'nuclei.csv':
      return {
        name,
        mime: 'text/csv',
        bytes: bytes(tableToCsv(table(what === 'nuclei.csv' ? 'nuclei' : 'matched'))),
      };
    case 'cells_matched.parquet':
    case 'nuclei.parquet':
      return {
        name,
        mime: 'application/vnd.apache.parquet',
        bytes: bytes(tableToParquet(table(what === 'nuclei.parquet' ? 'nuclei' : 'matched'))),
      };
    case 'overlay.png': {
      const { width, height } = stack.planes[0];
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d')!;
      if (!state.composite) throw new InvalidArgumentError('the image is not drawn yet');
      context.drawImage(
        await createImageBitmap(new ImageData(state.composite, width, height)),
        0,
        0,
      );
      const overlay = state.overlay ? await overlayBitmap(state.overlay) : null;
      if (overlay) context.drawImage(overlay, 0, 0);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      return { name, mime: 'image/png', bytes: await blob.arrayBuffer() };
    }
  }
}

/** Runs segmentation in a fresh worker; `cancel` terminates it. */
function runSegmenter(
  request: SegmentRequest,
  progress: (pass: 'nuclei' | 'cells', done: number, total: number) => void,
): Promise<SegmentResult> {
  state.cancelSegment?.();
  const worker = new Worker(new URL('./segment.worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      worker.terminate();
      state.cancelSegment = undefined;
    };
    state.cancelSegment = () => {
      finish();
      reject(Object.assign(new Error('segmentation cancelled'), { name: 'AbortError' }));
    };
    worker.onmessage = (event: MessageEvent<SegmentResponse>) => {
      const message = event.data;
      if (message.kind === 'progress') progress(message.pass, message.done, message.total);
      else if (message.kind === 'error') {
        finish();
        reject(Object.assign(new Error(message.error.message), message.error));
      } else {
        finish();
        resolve(message.result);
      }
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`the segmentation worker failed: ${event.message}`));
    };
    worker.postMessage(request);
  });
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
