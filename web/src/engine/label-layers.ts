// Label layers in and out of the engine: label TIFFs the user opens, and the whole label state
// (layers with their undo and redo histories) for the autosave and project files.
import {
  CellscopeError,
  createLabels,
  decodeTiff,
  InvalidArgumentError,
  parseAnalysisConfig,
  type Labels,
} from 'cellscope/browser';
import type { Layer, LabelSource, LabelState, Measurements, RestoreArgs } from './protocol.js';
import { measure, requireStack, setLayer, state } from './state.js';

/** A label TIFF of the open image's size as labels; errors name the file and what to open. */
export function decodeLabelImage(name: string, bytes: ArrayBuffer): Labels {
  const stack = requireStack();
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
    return createLabels(
      width,
      height,
      Uint32Array.from(plane.data, (v) => Math.max(0, Math.round(v))),
    );
  } catch (error) {
    if (error instanceof CellscopeError && !error.file) (error as { file?: string }).file = name;
    throw error;
  }
}

/** The label state, or null before any labels. Arrays are cloned by postMessage, not shared. */
export function snapshotLabels(): LabelState | null {
  const { nuclei, cells } = state.layers;
  const any = nuclei ?? cells;
  if (!any) return null;
  const layers: LabelState['layers'] = {};
  if (nuclei) layers.nuclei = nuclei.labels.data;
  if (cells) layers.cells = cells.labels.data;
  const steps = (list: typeof state.history) =>
    list.map(({ layer, labels, linked }) => ({ layer, labels: labels.data, linked }));
  return {
    width: any.labels.width,
    height: any.labels.height,
    layers,
    history: steps(state.history),
    future: steps(state.future),
  };
}

/** Puts saved layers (and histories) back over the open image and measures them. */
export function restoreLabels({
  layers,
  history = [],
  future = [],
  config,
}: RestoreArgs): Measurements | null {
  const { width, height } = requireStack().planes[0];
  const toLabels = (source: LabelSource | Uint32Array, name: string): Labels => {
    if (source instanceof Uint32Array) {
      if (source.length !== width * height)
        throw new InvalidArgumentError(
          `the saved ${name} have ${source.length} pixels, the image ${width}×${height}`,
          { hint: 'the session belongs to another image; discard it' },
        );
      return createLabels(width, height, source);
    }
    return decodeLabelImage(source.name, source.tiff);
  };
  const restored: Partial<Record<Layer, Labels>> = {};
  for (const layer of ['nuclei', 'cells'] as const) {
    const source = layers[layer];
    if (source) restored[layer] = toLabels(source, layer);
  }
  const steps = (list: RestoreArgs['history'] & object) =>
    list.map(({ layer, labels, linked }) => ({
      layer,
      labels: toLabels(labels, `${layer} history`),
      linked,
    }));
  state.history = steps(history);
  state.future = steps(future);
  state.layers = {};
  state.previous = undefined;
  if (!restored.nuclei && !restored.cells) return null;
  for (const layer of ['nuclei', 'cells'] as const)
    setLayer(layer, restored[layer] ?? createLabels(width, height));
  return measure(parseAnalysisConfig(config));
}
