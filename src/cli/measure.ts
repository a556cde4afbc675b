import { InvalidArgumentError } from '../errors.js';
import { selectChannels } from '../image/stack.js';
import type { Stack } from '../image/types.js';
import { readChannels } from '../io/read-image.js';
import { readLabels } from '../io/read-labels.js';
import { writeTableFile } from '../io/table/file.js';
import { knownProperties } from '../measure/properties.js';
import { regionprops } from '../measure/regionprops.js';

export interface MeasureCommandOptions {
  out: string;
  image?: string[];
  channels?: string;
  properties?: string;
  all?: boolean;
  pixelSize?: number;
}

/** What an analyst usually wants first, as skimage names it. */
const DEFAULT_SHAPE = [
  'label',
  'area',
  'centroid',
  'bbox',
  'perimeter',
  'circularity',
  'eccentricity',
  'solidity',
  'feret_diameter_max',
];
const DEFAULT_INTENSITY = ['intensity_mean', 'intensity_min', 'intensity_max'];
const NEEDS_INTENSITY = /^(intensity_|centroid_weighted|moments_weighted)/;

/** `cellscope measure`: one row per object of a label image, written as CSV, Parquet or JSON. */
export async function runMeasure(
  labelsPath: string,
  options: MeasureCommandOptions,
  log: (line: string) => void,
): Promise<void> {
  const labels = await readLabels(labelsPath);
  let intensity: Stack | undefined;
  if (options.image?.length) {
    intensity = await readChannels(options.image);
    if (options.channels)
      intensity = selectChannels(
        intensity,
        options.channels.split(',').map((c) => c.trim()),
      );
    const { width, height } = intensity.planes[0];
    if (width !== labels.width || height !== labels.height) {
      throw new InvalidArgumentError(
        `the labels are ${labels.width}×${labels.height} but the image is ${width}×${height}`,
        {
          file: options.image[0],
        },
      );
    }
  }
  let properties: string[];
  if (options.all) {
    properties = knownProperties().filter(
      (p) => intensity !== undefined || !NEEDS_INTENSITY.test(p),
    );
    // `label` first, as regionprops_table users expect.
    properties = ['label', ...properties.filter((p) => p !== 'label')];
  } else if (options.properties) {
    properties = options.properties
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
  } else {
    properties = [...DEFAULT_SHAPE, ...(intensity ? DEFAULT_INTENSITY : [])];
  }
  const pixel = intensity?.pixelSizeUm;
  const spacing: [number, number] | undefined =
    options.pixelSize !== undefined
      ? [options.pixelSize, options.pixelSize]
      : pixel
        ? [pixel.y, pixel.x]
        : undefined;
  const table = regionprops(labels, {
    intensity: intensity && intensity.planes.length === 1 ? intensity.planes[0] : intensity,
    properties,
    spacing,
  });
  table.metadata.source = {
    labels: labelsPath,
    image: options.image,
    channels: intensity?.channelNames,
  };
  await writeTableFile(options.out, table, { protect: [labelsPath, ...(options.image ?? [])] });
  const units = spacing === undefined ? 'pixels' : `µm (pixel size ${spacing[1]} µm)`;
  log(
    `${table.rowCount} objects × ${Object.keys(table.columns).length} columns, lengths in ${units}`,
  );
  log(`wrote ${options.out}`);
}
