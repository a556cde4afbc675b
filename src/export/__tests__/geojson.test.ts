import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLabels } from '../../image/plane.js';
import { randomLabels } from '../../measure/contours/__tests__/fill.js';
import { createTable } from '../../table/table.js';
import { labelsToGeoJson, type GeoJsonGeometry } from '../geojson.js';
import { pythonHas, runPython } from './python.js';

const hasShapely = pythonHas(['shapely'], 'python3-shapely');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-geojson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Shoelace area of a closed ring, positive when counter-clockwise reading y up. */
function signedArea(ring: number[][]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return sum / 2;
}

function polygonsOf(geometry: GeoJsonGeometry): number[][][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

describe('QuPath GeoJSON', () => {
  it('writes RFC 7946 polygons: closed rings, exterior counter-clockwise, holes clockwise', () => {
    const labels = randomLabels(60, 40, 15, 21);
    const collection = labelsToGeoJson(labels);
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(15);
    let holes = 0;
    let multi = 0;
    for (const feature of collection.features) {
      expect(feature.type).toBe('Feature');
      expect(feature.properties.objectType).toBe('detection');
      if (feature.geometry.type === 'MultiPolygon') multi++;
      for (const [exterior, ...inner] of polygonsOf(feature.geometry)) {
        for (const ring of [exterior, ...inner]) {
          expect(ring.length).toBeGreaterThanOrEqual(5);
          expect(ring[ring.length - 1]).toEqual(ring[0]);
        }
        expect(signedArea(exterior)).toBeGreaterThan(0);
        for (const ring of inner) expect(signedArea(ring)).toBeLessThan(0);
        holes += inner.length;
      }
    }
    expect(multi).toBeGreaterThan(0);
    expect(holes).toBeGreaterThan(0);
  });

  it('puts the measurements by label, and the nucleus of a cell as nucleusGeometry', () => {
    const cells = createLabels(
      6,
      4,
      Uint32Array.from([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0]),
    );
    const nuclei = createLabels(
      6,
      4,
      Uint32Array.from([0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    );
    const table = createTable({
      label: [1, 2],
      area: [9, 9],
      matched_nucleus_label: [5, 0],
      intensity_mean: [Number.NaN, 3.5],
      condition: ['a', 'b'],
    });
    const { features } = labelsToGeoJson(cells, { measurements: table, nuclei });
    expect(features.map((f) => f.properties.objectType)).toEqual(['cell', 'cell']);
    expect(features[0].properties.measurements).toEqual({
      label: 1,
      area: 9,
      matched_nucleus_label: 5,
    });
    expect(features[1].properties.measurements.intensity_mean).toBe(3.5);
    expect(features[0].nucleusGeometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [1, 1],
          [2, 1],
          [2, 2],
          [1, 2],
          [1, 1],
        ],
      ],
    });
    expect(features[1].nucleusGeometry).toBeUndefined();
    // The cells_matched table keys its rows by cell_label.
    const matched = createTable({ cell_label: [2, 1], matched_nucleus_label: [0, 5] });
    const again = labelsToGeoJson(cells, { measurements: matched, nuclei });
    expect(again.features.map((f) => f.properties.measurements)).toEqual([
      { cell_label: 1, matched_nucleus_label: 5 },
      { cell_label: 2, matched_nucleus_label: 0 },
    ]);
    expect(again.features[0].nucleusGeometry).toEqual(features[0].nucleusGeometry);
    expect(features[1].geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [3, 0],
          [6, 0],
          [6, 3],
          [3, 3],
          [3, 0],
        ],
      ],
    });
  });

  const cases = [
    { width: 50, height: 40, count: 12, seed: 31 },
    { width: 128, height: 96, count: 90, seed: 32 },
  ];
  it.runIf(hasShapely).each(cases)(
    "shapely loads every feature as valid, with the object's pixel area ($width×$height)",
    ({ width, height, count, seed }) => {
      const labels = randomLabels(width, height, count, seed);
      const path = join(dir, `objects-${seed}.geojson`);
      writeFileSync(path, JSON.stringify(labelsToGeoJson(labels)));
      const script = `
import json, sys
from shapely.geometry import shape
from shapely.validation import explain_validity
collection = json.load(open(sys.argv[1]))
out = []
for feature in collection["features"]:
    geometry = shape(feature["geometry"])
    polygons = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    ccw = all(p.exterior.is_ccw and not any(r.is_ccw for r in p.interiors) for p in polygons)
    out.append([feature["properties"]["name"], geometry.area, geometry.is_valid, explain_validity(geometry), ccw])
print(json.dumps(out))
`;
      const result = runPython<[string, number, boolean, string, boolean][]>(script, [path]);
      const areas = new Map<number, number>();
      for (const v of labels.data) if (v) areas.set(v, (areas.get(v) ?? 0) + 1);
      expect(result).toHaveLength(areas.size);
      for (const [name, area, valid, why, ccw] of result) {
        expect({ name, area, valid, why, ccw }).toEqual({
          name,
          area: areas.get(Number(name)),
          valid: true,
          why: 'Valid Geometry',
          ccw: true,
        });
      }
    },
  );
  it('ran every shapely case', () => expect(cases).toHaveLength(2));
});
