// Bitmaps the page shows beside the image: the label overlay and the relation view's crop.
import type { Labels, Stack } from 'cellscope/browser';
import { viridis } from './colormap.js';
import type { Layer, LayerOverlay, OverlaySettings, Rgb } from './protocol.js';
import { renderOverlay, widenBoundaries, type OverlayLayer } from './render.js';
import { previousLayers } from './run.js';
import { state, type LabelLayer } from './state.js';

/** Outlines of the "previous" layer: white, apart from the random and single colours. */
export const PREVIOUS_COLOUR: Rgb = [255, 255, 255];

export async function overlayBitmap(settings: OverlaySettings): Promise<ImageBitmap | null> {
  const stack = state.stack;
  if (!stack) return null;
  const { width, height } = stack.planes[0];
  const highlight = new Set(settings.highlight.labels);
  const layers = (['cells', 'nuclei'] as const).flatMap((name): OverlayLayer[] => {
    const layer = state.layers[name];
    if (!layer) return [];
    const look = settings[name];
    const highlighted = settings.highlight.layer === name;
    return [
      {
        labels: layer.labels,
        boundaries: contours(layer, Math.max(1, Math.round(look.contourWidth / settings.scale))),
        mode: look.mode,
        opacity: look.opacity,
        colourOf: colouring(name, look),
        highlight: highlighted ? highlight : undefined,
        only: highlighted && settings.selectedOnly ? highlight : undefined,
      },
    ];
  });
  // The labels a run replaced, in one colour under the current ones, so changes stand out.
  const previous = settings.previous
    ? previousLayers().map((kept): OverlayLayer => ({
        ...kept,
        mode: 'contours',
        opacity: 1,
        colourOf: () => PREVIOUS_COLOUR,
      }))
    : [];
  const rgba = renderOverlay([...previous, ...layers], width, height);
  return rgba ? createImageBitmap(new ImageData(rgba, width, height)) : null;
}

/** The layer's contours at a width in image pixels, kept until the labels change. */
function contours(layer: LabelLayer, width: number): Uint8Array {
  if (width <= 1) return layer.boundaries;
  if (layer.wide?.width !== width)
    layer.wide = { width, edges: widenBoundaries(layer.labels, layer.boundaries, width) };
  return layer.wide.edges;
}

function colouring(
  layer: Layer,
  look: LayerOverlay,
): ((label: number) => Rgb | undefined) | undefined {
  if (look.colouring === 'single') return () => look.colour;
  if (look.colouring !== 'measurement' || !look.measurement) return undefined;
  const table = state.lastMeasured?.[layer === 'nuclei' ? 'nuclei' : 'cells'];
  const values = table?.columns[look.measurement.column] as ArrayLike<number> | undefined;
  const labels = table?.columns.label as ArrayLike<number> | undefined;
  if (!values || !labels) return () => undefined;
  const { min, max } = look.measurement;
  const byLabel = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) byLabel.set(labels[i], values[i]);
  // Objects without a value (not measured, NaN) are left out rather than given a colour.
  return (label) => {
    const value = byLabel.get(label);
    return value === undefined ? undefined : viridis(max > min ? (value - min) / (max - min) : 0.5);
  };
}

/** The cell's neighbourhood with its contour (cell colour) and its nucleus's (white). */
export async function relationCrop(
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
    state.lastMeasured?.relation.cells.nucleus[
      state.lastMeasured.relation.cells.label.indexOf(cell)
    ] ?? 0;
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
