import { writeFileAtomic } from '../io/files.js';
import { encodeTiledLabelsTiff } from '../io/tiff/write-tiled.js';
import type { Labels, PixelSize } from '../image/types.js';
import type { Table } from '../table/table.js';
import type { ExportFormat } from './formats.js';
import { labelsToGeoJson } from './geojson.js';
import { labelsToImagejRoiZip } from './imagej-roi.js';
import { writeOmeZarrLabelsFile } from './ome-zarr-file.js';

export interface LabelExportInput {
  /** The objects: cells, or nuclei when there are no cells. */
  labels: Labels;
  /** Their name in the OME-Zarr store (`labels/<name>`). @default 'cells' */
  name?: string;
  /** One row per object with a `label` column, for the GeoJSON measurements. */
  measurements?: Table;
  /** The cells' nuclei: GeoJSON cells with `nucleusGeometry`, and `labels/nuclei` in OME-Zarr. */
  nuclei?: Labels;
  pixelSizeUm?: PixelSize;
  /** Write the TIFF as a pyramidal OME-TIFF (when the input image was one). */
  pyramid?: boolean;
  /** Add the labels to this NGFF 0.4 image store instead of a new `<base>.ome.zarr`. */
  omeZarrStore?: string;
}

/** Where each export of `<base>` goes: `<base>_rois.zip`, `<base>.geojson`, … */
export function exportPaths(
  base: string,
  input: Pick<LabelExportInput, 'pyramid' | 'omeZarrStore'> = {},
): Record<ExportFormat, string> {
  return {
    'roi-zip': `${base}_rois.zip`,
    geojson: `${base}.geojson`,
    'ome-zarr': input.omeZarrStore ?? `${base}.ome.zarr`,
    tiff: input.pyramid ? `${base}_tiled.ome.tif` : `${base}_tiled.tif`,
  };
}

/**
 * Writes the chosen exports of one label image beside `base` (a path without extension),
 * each atomically; `protect` lists files never to replace (the run's inputs). Returns the
 * paths written, in the order of `formats`.
 */
export async function writeLabelExports(
  base: string,
  formats: readonly ExportFormat[],
  input: LabelExportInput,
  protect: readonly string[] = [],
): Promise<string[]> {
  const paths = exportPaths(base, input);
  const written: string[] = [];
  for (const format of formats) {
    const path = paths[format];
    switch (format) {
      case 'roi-zip':
        await writeFileAtomic(path, labelsToImagejRoiZip(input.labels), { protect });
        break;
      case 'geojson': {
        const collection = labelsToGeoJson(input.labels, {
          measurements: input.measurements,
          nuclei: input.nuclei,
        });
        await writeFileAtomic(path, JSON.stringify(collection), { protect });
        break;
      }
      case 'ome-zarr': {
        const options = { pixelSizeUm: input.pixelSizeUm };
        await writeOmeZarrLabelsFile(path, input.labels, {
          ...options,
          name: input.name ?? 'cells',
        });
        if (input.nuclei) {
          await writeOmeZarrLabelsFile(path, input.nuclei, { ...options, name: 'nuclei' });
        }
        break;
      }
      case 'tiff': {
        const bytes = encodeTiledLabelsTiff(input.labels, {
          pyramid: input.pyramid,
          pixelSizeUm: input.pixelSizeUm,
        });
        await writeFileAtomic(path, bytes, { protect });
        break;
      }
    }
    written.push(path);
  }
  return written;
}
