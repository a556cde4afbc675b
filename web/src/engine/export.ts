// The Save menu's files, built from what the engine holds, named as `cellscope analyze` names them.
import {
  encodeLabelsTiff,
  InvalidArgumentError,
  labelsToGeoJson,
  labelsToImagejRoiZip,
  tableToCsv,
  tableToParquet,
} from 'cellscope/browser';
import type { ExportKind, Layer } from './protocol.js';
import { requireStack, state } from './state.js';
import { overlayBitmap } from './views.js';

export async function exportFile(
  what: ExportKind,
): Promise<{ name: string; mime: string; bytes: ArrayBuffer }> {
  const stack = requireStack();
  const base = state.info?.name ?? 'image';
  const name = `${base}_${what}`;
  const table = (kind: 'matched' | 'nuclei') => {
    if (!state.lastMeasured)
      throw new InvalidArgumentError('there is nothing measured yet', { hint: 'segment first' });
    return state.lastMeasured[kind];
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
    case 'cells_rois.zip':
    case 'nuclei_rois.zip': {
      const labels = layerLabels(what === 'nuclei_rois.zip' ? 'nuclei' : 'cells');
      return { name, mime: 'application/zip', bytes: bytes(labelsToImagejRoiZip(labels)) };
    }
    case 'cells.geojson': {
      // QuPath cells: the nucleus as nucleusGeometry, the cells_matched row as measurements.
      const collection = labelsToGeoJson(layerLabels('cells'), {
        nuclei: state.layers.nuclei?.labels,
        measurements: state.lastMeasured?.matched,
      });
      return { name, mime: 'application/geo+json', bytes: bytes(JSON.stringify(collection)) };
    }
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
      // The file is at image scale: contours as wide in its pixels as on screen.
      const overlay = state.overlay ? await overlayBitmap({ ...state.overlay, scale: 1 }) : null;
      if (overlay) context.drawImage(overlay, 0, 0);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      return { name, mime: 'image/png', bytes: await blob.arrayBuffer() };
    }
  }
}
