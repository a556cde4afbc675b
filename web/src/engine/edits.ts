// Label edits with undo and redo: each edit replaces a layer's label image (never mutates it),
// so the history holds the images themselves.
import {
  createLabels,
  deleteLabels,
  mergeLabels,
  nextFreeLabel,
  paintStroke,
  parseAnalysisConfig,
  InvalidArgumentError,
  type AnalysisConfigInput,
  type Labels,
} from 'cellscope/browser';
import type { Layer, LabelEdit, Measurements } from './protocol.js';
import { resolveDetached } from './detached.js';
import { fillLabel } from './fill.js';
import { polygonPixels } from './polygon.js';
import { splitAlongLine } from './split.js';
import { measure, setLayer, state, UNDO_DEPTH } from './state.js';

export function editLayer(
  layer: Layer,
  edit: LabelEdit,
  config: AnalysisConfigInput,
): { measurements: Measurements; changedLabel?: number } {
  const current = state.layers[layer];
  if (!current)
    throw new InvalidArgumentError(`there are no ${layer} to edit yet`, {
      hint: 'segment first',
    });
  const { labels, changedLabel } = applyEdit(current.labels, edit);
  state.history.push({ layer, labels: current.labels });
  if (state.history.length > UNDO_DEPTH) state.history.shift();
  state.future = [];
  setLayer(layer, labels);
  return { measurements: measure(parseAnalysisConfig(config)), changedLabel };
}

/**
 * Undo (`from` the history, onto the future) or redo (the other way round). Linked steps (both
 * layers of a segmentation run) go together and arrive linked the same way.
 */
export function stepHistory(
  direction: 'undo' | 'redo',
  config: AnalysisConfigInput,
): { measurements: Measurements; layer: Layer } | null {
  const [from, onto] =
    direction === 'undo' ? [state.history, state.future] : [state.future, state.history];
  const step = from.pop();
  if (!step) return null;
  const group = [step];
  while (group[group.length - 1].linked && from.length) group.push(from.pop()!);
  const replaced = group.map(({ layer, linked }) => ({
    layer,
    labels: state.layers[layer]!.labels,
    linked,
  }));
  for (const { layer, labels } of group) setLayer(layer, labels);
  onto.push(...replaced.reverse());
  return { measurements: measure(parseAnalysisConfig(config)), layer: step.layer };
}

/** Records the layers before a change of several at once as one undo step (newest last). */
export function pushLinked(steps: { layer: Layer; labels: Labels }[]): void {
  steps.forEach((step, k) => state.history.push({ ...step, linked: k > 0 || undefined }));
  while (state.history.length > UNDO_DEPTH) state.history.shift();
  state.future = [];
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
        preserveOthers: edit.preserveOthers,
      });
      if (edit.mode === 'paint')
        return { labels: painted.labels, changedLabel: value || undefined };
      // The objects the eraser took pixels from may have fallen apart.
      const touched = new Set<number>();
      const after = painted.labels.data;
      for (let i = 0; i < after.length; i++)
        if (after[i] !== labels.data[i]) touched.add(labels.data[i]);
      return { labels: resolveDetached(painted.labels, touched, edit.detached) };
    }
    case 'polygon':
      return drawPolygon(labels, edit);
    case 'split': {
      const result = splitAlongLine(labels, edit.points);
      if (result.split.length === 0)
        throw new InvalidArgumentError('the line cut no object in two', {
          hint: 'draw the line across the object, from background to background',
        });
      return { labels: result.labels };
    }
    case 'fill': {
      const value = edit.value === 0 ? nextFreeLabel(labels) : edit.value;
      return { labels: fillLabel(labels, edit.x, edit.y, value).labels, changedLabel: value };
    }
  }
}

/** Fills a polygon with its label; pixels taken from other objects may leave them in pieces. */
function drawPolygon(
  labels: Labels,
  edit: Extract<LabelEdit, { kind: 'polygon' }>,
): { labels: Labels; changedLabel: number } {
  const { width, height } = labels;
  const value = edit.value === 0 ? nextFreeLabel(labels) : edit.value;
  // The viewer's pixel k spans [k, k + 1); polygonPixels puts pixel centres at integers.
  const vertices = edit.points.map((p) => ({ x: p.x - 0.5, y: p.y - 0.5 }));
  const out = new Uint32Array(labels.data);
  const touched = new Set<number>();
  let drawn = 0;
  for (const i of polygonPixels(vertices, width, height)) {
    const old = out[i];
    if (old === value || (edit.preserveOthers && old !== 0)) continue;
    if (old) touched.add(old);
    out[i] = value;
    drawn++;
  }
  if (drawn === 0)
    throw new InvalidArgumentError('the polygon covers no pixel it may draw on', {
      hint: edit.preserveOthers
        ? 'draw over background, or untick "preserve others" to draw over objects'
        : 'draw a larger polygon',
    });
  const drawnLabels = createLabels(width, height, out);
  return { labels: resolveDetached(drawnLabels, touched, edit.detached), changedLabel: value };
}
