// Control over a segmentation run, as the Cellpose GUI gives it: which steps run (nuclei only,
// cells only with the nuclei kept, or both), where (the whole image or the visible region),
// and whether the labels it replaces stay as a "previous" layer. Undo takes a run back whole.
import {
  createLabels,
  createStack,
  crop,
  InvalidArgumentError,
  type Labels,
  type Stack,
} from 'cellscope/browser';
import { pushLinked } from './edits.js';
import { pasteRegion, type Region } from './paste-region.js';
import type { Layer, RunControl } from './protocol.js';
import { requireStack, setLayer, state } from './state.js';

/** The image (or its region) and step options a run sends to the segmentation worker. */
export function runInput(run: RunControl): {
  stack: Stack;
  nucleusLabels?: Labels;
  nucleiOnly?: boolean;
} {
  const stack = requireStack();
  const region = run.region;
  const cut = (labels: Labels): Labels =>
    region ? createLabels(region.width, region.height, cropLabels(labels, region)) : labels;
  const nuclei = state.layers.nuclei?.labels;
  if (run.steps === 'cells' && !nuclei)
    throw new InvalidArgumentError('there are no nuclei to keep', {
      hint: 'segment the nuclei first, or run "nuclei and cells"',
    });
  return {
    stack: region ? cropStack(stack, region) : stack,
    nucleusLabels: run.steps === 'cells' ? cut(nuclei!) : undefined,
    nucleiOnly: run.steps === 'nuclei' || undefined,
  };
}

/**
 * Writes a run's labels into the layers it ran for: the whole layer, or the region by
 * `pasteRegion`'s rule. The layers before become one undo step (none for the first run on an
 * image) and, if asked, the "previous" layer. Returns a line per layer for the run's summary.
 */
export function applyRun(
  found: { nucleusLabels: Labels; cellLabels: Labels },
  run: RunControl,
): string[] {
  const { width, height } = requireStack().planes[0];
  const changed: Layer[] =
    run.steps === 'both' ? ['nuclei', 'cells'] : run.steps === 'nuclei' ? ['nuclei'] : ['cells'];
  const before = { nuclei: state.layers.nuclei, cells: state.layers.cells };
  const notes: string[] = [];
  const next: Partial<Record<Layer, Labels>> = {};
  for (const layer of changed) {
    const fresh = layer === 'nuclei' ? found.nucleusLabels : found.cellLabels;
    if (!run.region) {
      next[layer] = fresh;
      continue;
    }
    const old = before[layer]?.labels ?? createLabels(width, height);
    const pasted = pasteRegion(old, fresh, run.region);
    next[layer] = pasted.labels;
    notes.push(
      `${layer} in the region: ${pasted.replaced} replaced, ${pasted.added} new, ` +
        `${pasted.dropped} cut by its edge or over kept objects dropped`,
    );
  }
  const hadLabels = before.nuclei || before.cells;
  if (hadLabels) {
    const empty = createLabels(width, height);
    pushLinked(changed.map((layer) => ({ layer, labels: before[layer]?.labels ?? empty })));
  }
  if (run.keepPrevious && hadLabels) {
    state.previous = {};
    for (const layer of changed) if (before[layer]) state.previous[layer] = before[layer];
  }
  for (const layer of changed) setLayer(layer, next[layer]!);
  for (const layer of ['nuclei', 'cells'] as const)
    if (!state.layers[layer]) setLayer(layer, createLabels(width, height));
  return notes;
}

/** The "previous" layers as outlines under the current ones (see `overlayBitmap`). */
export function previousLayers(): { labels: Labels; boundaries: Uint8Array }[] {
  return (['nuclei', 'cells'] as const).flatMap((layer) => {
    const kept = state.previous?.[layer];
    return kept ? [{ labels: kept.labels, boundaries: kept.boundaries }] : [];
  });
}

function cropStack(stack: Stack, region: Region): Stack {
  const cut = { top: region.y, left: region.x, width: region.width, height: region.height };
  return createStack(
    stack.planes.map((plane) => crop(plane, cut)),
    { channelNames: [...stack.channelNames], pixelSizeUm: stack.pixelSizeUm },
  );
}

function cropLabels(labels: Labels, region: Region): Uint32Array {
  const out = new Uint32Array(region.width * region.height);
  for (let y = 0; y < region.height; y++) {
    const start = (region.y + y) * labels.width + region.x;
    out.set(labels.data.subarray(start, start + region.width), y * region.width);
  }
  return out;
}
