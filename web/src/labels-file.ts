// Telling a label image from an image, so that a dropped cells.tif joins the open image instead
// of replacing it, and which layer (nuclei or cells) a label file most likely holds.
import type { LabelProbe, Layer } from './engine/protocol.js';

/** A label image in flat patches: of its non-zero pixels, most equal their neighbour. */
const FLAT_LABELS = 0.9;

/**
 * The layer a file's name says it holds: the names cellscope writes (`cells.tif`, `nuclei.tif`,
 * `<image>_cells.tif`) and the usual spellings (`_nucleus_masks.tif`, `cell-labels.tiff`).
 */
export function layerFromFileName(name: string): Layer | undefined {
  const stem = name
    .replace(/^.*[\\/]/, '')
    .replace(/\.(ome\.)?tiff?$/i, '')
    .toLowerCase();
  const words = stem.split(/[_\-. ]+/).filter((w) => !/^(labels?|masks?|cp)$/.test(w));
  const last = words[words.length - 1];
  if (last === 'nuclei' || last === 'nucleus') return 'nuclei';
  if (last === 'cells' || last === 'cell') return 'cells';
  return undefined;
}

/** Whether a name says "labels" or "masks" (Cellpose writes `<image>_cp_masks.tif`). */
export function namedAsLabels(name: string): boolean {
  return /(^|[_\-. ])(labels?|masks?)([_\-. ]|\.tiff?$)/i.test(name.replace(/^.*[\\/]/, ''));
}

/**
 * Whether a file should be offered as a label layer of the open image rather than opened as a
 * new image: one integer channel of the image's size, and either named as labels (cellscope's
 * own names included) or flat like labels. A 16-bit field of the same size is noisy, not flat.
 */
export function isLabelImageFor(
  name: string,
  probe: LabelProbe | null,
  image: { width: number; height: number } | undefined,
): boolean {
  if (!probe || !image) return false;
  const fits =
    probe.channels === 1 &&
    probe.integer &&
    probe.width === image.width &&
    probe.height === image.height;
  if (!fits) return false;
  return (
    layerFromFileName(name) !== undefined ||
    namedAsLabels(name) ||
    probe.flatFraction >= FLAT_LABELS
  );
}
