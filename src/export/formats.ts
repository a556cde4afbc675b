import { InvalidArgumentError } from '../errors.js';

/** The label exports other tools open, by the name `--export` and `outputs.exports` take. */
export const EXPORT_FORMATS = ['roi-zip', 'geojson', 'ome-zarr', 'tiff'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One line per format for `--help` and errors: what it is and who opens it. */
export const EXPORT_FORMAT_HELP: Record<ExportFormat, string> = {
  'roi-zip': "ImageJ ROI zip, one polygon per object named by label (Fiji's ROI Manager)",
  geojson: 'QuPath GeoJSON, detections or cells with nucleus, measurements as properties',
  'ome-zarr': 'OME-Zarr (NGFF 0.4) labels/ with a pyramid (napari, zarr-python)',
  tiff: 'tiled, compressed BigTIFF labels; pyramidal OME-TIFF when the input was one',
};

/** Parses `roi-zip,geojson`: known names, each once, in the order given. */
export function parseExportFormats(text: string, flag = '--export'): ExportFormat[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) {
    throw new InvalidArgumentError(`${flag} needs at least one format`, {
      hint: `one or more of ${EXPORT_FORMATS.join(', ')}, comma-separated`,
    });
  }
  for (const name of names) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`${flag}: unknown format "${name}"`, {
        hint: `use ${EXPORT_FORMATS.join(', ')}`,
      });
    }
  }
  return [...new Set(names)] as ExportFormat[];
}
