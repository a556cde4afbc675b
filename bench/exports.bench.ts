import { bench, describe } from 'vitest';
import { labelsToGeoJson } from '../src/export/geojson.js';
import { labelsToImagejRoiZip } from '../src/export/imagej-roi.js';
import { encodeLabelsTiff } from '../src/io/tiff/write.js';
import { encodeTiledLabelsTiff } from '../src/io/tiff/write-tiled.js';
import { traceOutlines } from '../src/measure/contours/trace.js';
import { regionprops } from '../src/measure/regionprops.js';

// The label exports on a 2048² label image of 7,225 discs, beside two baselines of the same
// run: the strip TIFF writer and regionprops (label, area). Read the exports as ratios to them.
// `npm run bench -- exports`

const size = 2048;
const data = new Uint32Array(size * size);
let label = 0;
for (let cy = 12; cy < size; cy += 24) {
  for (let cx = 12; cx < size; cx += 24) {
    label++;
    const r = 8 + ((label * 7) % 4);
    for (let y = cy - r; y <= cy + r; y++) {
      for (let x = cx - r; x <= cx + r; x++) {
        if (y < size && x < size && (x - cx) ** 2 + (y - cy) ** 2 <= r * r)
          data[y * size + x] = label;
      }
    }
  }
}
const labels = { width: size, height: size, data };
const options = { iterations: 3, warmupIterations: 1 };

describe(`label exports, ${size}² with ${label} objects`, () => {
  bench('baseline: strip TIFF (encodeLabelsTiff)', () => void encodeLabelsTiff(labels), options);
  bench(
    'baseline: regionprops label, area',
    () => {
      regionprops(labels, { properties: ['label', 'area'] });
    },
    options,
  );
  bench('traceOutlines', () => void traceOutlines(labels), options);
  bench('ImageJ ROI zip', () => void labelsToImagejRoiZip(labels), options);
  bench(
    'QuPath GeoJSON (stringified)',
    () => void JSON.stringify(labelsToGeoJson(labels)),
    options,
  );
  bench(
    'tiled BigTIFF, pyramid',
    () => void encodeTiledLabelsTiff(labels, { pyramid: true }),
    options,
  );
});
