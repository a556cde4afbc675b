// What the engine holds between requests: the image, its label layers, the undo history and
// the last measurement. Handlers in the other engine modules read and replace it.
import {
  InvalidArgumentError,
  measureSegmented,
  type AnalysisConfig,
  type Labels,
  type Stack,
} from 'cellscope/browser';
import type { ImageInfo, Layer, Measurements, OverlaySettings } from './protocol.js';
import { innerBoundaries } from './render.js';

export interface LabelLayer {
  labels: Labels;
  boundaries: Uint8Array;
  /** The boundaries widened for the current zoom (see `widenBoundaries`). */
  wide?: { width: number; edges: Uint8Array };
}

export const state: {
  stack?: Stack;
  info?: ImageInfo;
  layers: Partial<Record<Layer, LabelLayer>>;
  composite?: Uint8ClampedArray<ArrayBuffer>;
  overlay?: OverlaySettings;
  /** Label images before each edit, newest last (they are never mutated, so no copies). */
  history: HistoryStep[];
  /** Label images undone, newest last: redo takes them back. */
  future: HistoryStep[];
  /** The layers a run replaced, kept when the user asked to ("previous result"). */
  previous?: Partial<Record<Layer, LabelLayer>>;
  /** The tables of the last measurement (exports and the relation view read them). */
  lastMeasured?: ReturnType<typeof measureSegmented>;
  cancelSegment?: () => void;
} = { layers: {}, history: [], future: [] };

/** One layer's labels before an edit; `linked`: undone together with the step below it. */
export interface HistoryStep {
  layer: Layer;
  labels: Labels;
  linked?: boolean;
}

/** Edits that can be undone; 2048² uint32 labels are 16 MB each. */
export const UNDO_DEPTH = 20;

export function requireStack(): Stack {
  if (!state.stack)
    throw new InvalidArgumentError('no image is open', { hint: 'open an image first' });
  return state.stack;
}

export function other(layer: Layer): Layer {
  return layer === 'nuclei' ? 'cells' : 'nuclei';
}

export function setLayer(layer: Layer, labels: Labels): void {
  state.layers[layer] = { labels, boundaries: innerBoundaries(labels) };
}

export function measure(config: AnalysisConfig): Measurements {
  const stack = requireStack();
  const nuclei = state.layers.nuclei!.labels;
  const cells = state.layers.cells!.labels;
  const measured = measureSegmented(stack, config, nuclei, cells);
  state.lastMeasured = measured;
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
