import { describe, expect, it } from 'vitest';
import { createLabels, createStack } from 'cellscope/browser';
import { unzipSync } from 'fflate';
import { exportFile } from '../export.js';
import { setLayer, state } from '../state.js';

describe('Save menu: ImageJ ROIs and QuPath GeoJSON', () => {
  it('saves the layers as a ROI zip and the cells with their nuclei as GeoJSON', async () => {
    const cells = createLabels(
      6,
      4,
      Uint32Array.from([3, 3, 3, 7, 7, 7, 3, 3, 3, 7, 7, 7, 3, 3, 3, 7, 7, 7, 0, 0, 0, 0, 0, 0]),
    );
    const nuclei = createLabels(
      6,
      4,
      Uint32Array.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    );
    state.stack = createStack([{ width: 6, height: 4, data: new Uint8Array(24) }]);
    setLayer('cells', cells);
    setLayer('nuclei', nuclei);
    state.lastMeasured = undefined;

    const zip = await exportFile('cells_rois.zip');
    expect(zip.name).toBe('image_cells_rois.zip');
    expect(Object.keys(unzipSync(new Uint8Array(zip.bytes)))).toEqual(['3.roi', '7.roi']);
    const nucleiZip = await exportFile('nuclei_rois.zip');
    expect(Object.keys(unzipSync(new Uint8Array(nucleiZip.bytes)))).toEqual(['1.roi', '2.roi']);

    const geojson = await exportFile('cells.geojson');
    const { features } = JSON.parse(new TextDecoder().decode(geojson.bytes));
    expect(features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual([
      '3',
      '7',
    ]);
    expect(features[0].properties.objectType).toBe('cell');
    // Before measuring, each cell's nucleus is the one covering most of it.
    expect(features[0].nucleusGeometry.coordinates).toEqual([
      [
        [1, 1],
        [2, 1],
        [2, 2],
        [1, 2],
        [1, 1],
      ],
    ]);
    expect(features[1].nucleusGeometry.coordinates[0][0]).toEqual([4, 1]);
  });
});
