// What a drop of several files means: tables open beside the image, label images join the open
// image as a layer the user confirms, and everything else opens as the image (never the labels).
import type { EngineClient } from './engine/client.js';
import type { ImageInfo, Layer } from './engine/protocol.js';
import { isLabelImageFor, layerFromFileName, namedAsLabels } from './labels-file.js';
import type { LabelDestination } from './ui/layer-dialog.js';

export interface DropActions<F extends { name: string }> {
  /** Whether an image is open now. */
  imageOpen(): boolean;
  /** Whether the file could be a label image of the open image (see `isLabelImageFor`). */
  fitsAsLabels(file: F): Promise<boolean>;
  /** Where the user wants a label file: a layer, a new image, or nowhere. */
  ask(file: F): Promise<LabelDestination | undefined>;
  openImage(files: F[]): Promise<void>;
  openLabels(file: F, layer: Layer): Promise<void>;
  openTable(file: F): Promise<void>;
  /** A project file (`.zip`, see session/project.ts): it replaces everything. */
  openProject(file: F): Promise<void>;
}

/**
 * Opens dropped files in this order: the image (so that labels dropped with it belong to it),
 * then each label file where the user says, then the first table (it describes those labels).
 * On an empty page only names tell labels apart (`cells.tif` dropped with its image). A
 * project file brings its own image, labels and tables: it opens alone.
 */
export async function openDroppedFiles<F extends { name: string }>(
  files: readonly F[],
  actions: DropActions<F>,
): Promise<void> {
  const project = files.find((f) => /\.zip$/i.test(f.name));
  if (project) return actions.openProject(project);
  const tables = files.filter((f) => /\.(csv|parquet)$/i.test(f.name));
  const rest = files.filter((f) => !tables.includes(f));
  const images: F[] = [];
  const labels: F[] = [];
  for (const file of rest) {
    const isLabels = actions.imageOpen()
      ? await actions.fitsAsLabels(file)
      : rest.length > 1 && (layerFromFileName(file.name) !== undefined || namedAsLabels(file.name));
    (isLabels ? labels : images).push(file);
  }
  if (images.length) await actions.openImage(images);
  for (const file of labels) {
    const choice = await actions.ask(file);
    if (choice === 'image') await actions.openImage([file]);
    else if (choice) await actions.openLabels(file, choice);
  }
  if (tables.length) await actions.openTable(tables[0]);
}

/** Whether a file could be a label image of the open image: its size, then its TIFF header. */
export async function fitsAsLabels(
  engine: EngineClient,
  image: ImageInfo | undefined,
  file: File,
): Promise<boolean> {
  // A label image takes at most 8 bytes a pixel (+ headers): larger files are images.
  if (!image || file.size > image.width * image.height * 8 + 65536) return false;
  try {
    const probe = await engine.request('probeLabels', { bytes: await file.arrayBuffer() });
    return isLabelImageFor(file.name, probe, image);
  } catch {
    return false;
  }
}
