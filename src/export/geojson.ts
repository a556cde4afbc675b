import { InvalidArgumentError } from '../errors.js';
import type { Labels } from '../image/types.js';
import type { Table } from '../table/table.js';
import { traceOutlines, type ObjectOutline, type Ring } from '../measure/contours/trace.js';
import { relate } from '../relate/relate.js';

type Position = [number, number];
export type GeoJsonGeometry =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** A feature as QuPath writes it: `nucleusGeometry` beside `geometry` for cell objects. */
export interface QupathFeature {
  type: 'Feature';
  geometry: GeoJsonGeometry;
  nucleusGeometry?: GeoJsonGeometry;
  properties: {
    objectType: 'detection' | 'cell';
    name: string;
    isLocked: false;
    measurements: Record<string, number>;
  };
}

export interface QupathFeatureCollection {
  type: 'FeatureCollection';
  features: QupathFeature[];
}

export interface GeoJsonOptions {
  /**
   * One row per object with a `label` (regionprops) or `cell_label` (cells_matched) column: its numeric columns
   * become `properties.measurements`. NaN and infinite values are left out (JSON has no such numbers).
   */
  measurements?: Table;
  /**
   * Nucleus labels: the objects become QuPath cells with their nucleus as `nucleusGeometry`.
   * A cell's nucleus is the `matched_nucleus_label` of its measurement row when that column
   * exists (0: none), else the nucleus that covers most of the cell (`relate`).
   */
  nuclei?: Labels;
}

/**
 * Object outlines as a QuPath GeoJSON FeatureCollection (RFC 7946): one feature per label,
 * a Polygon with its holes as interior rings, or a MultiPolygon for an object of several
 * 4-connected pieces. Exterior rings are counter-clockwise and holes clockwise (RFC 7946 §3.1.6,
 * reading y up), rings are closed, and coordinates are pixels with the origin at the image's
 * top-left corner, as QuPath's. `objectType` is `detection`, or `cell` with `nuclei`.
 */
export function labelsToGeoJson(
  labels: Labels,
  options: GeoJsonOptions = {},
): QupathFeatureCollection {
  const { measurements, nuclei } = options;
  if (nuclei && (nuclei.width !== labels.width || nuclei.height !== labels.height)) {
    throw new InvalidArgumentError(
      `nucleus labels are ${nuclei.width}×${nuclei.height}, the objects ${labels.width}×${labels.height}`,
    );
  }
  const rows = measurementRows(measurements);
  const nucleusOutlines = nuclei
    ? new Map(traceOutlines(nuclei).map((o) => [o.label, o]))
    : undefined;
  const overlapNucleus = new Map<number, number>();
  if (nuclei) {
    const { cells } = relate(nuclei, labels);
    cells.label.forEach((cell, i) => overlapNucleus.set(cell, cells.nucleus[i]));
  }
  const features = traceOutlines(labels).map((outline): QupathFeature => {
    const row = rows.get(outline.label) ?? { label: outline.label };
    const feature: QupathFeature = {
      type: 'Feature',
      geometry: toGeometry(outline),
      properties: {
        objectType: nucleusOutlines ? 'cell' : 'detection',
        name: String(outline.label),
        isLocked: false,
        measurements: row,
      },
    };
    if (nucleusOutlines) {
      const matched = row.matched_nucleus_label ?? overlapNucleus.get(outline.label) ?? 0;
      const nucleus = nucleusOutlines.get(matched);
      if (nucleus) feature.nucleusGeometry = toGeometry(nucleus);
    }
    return feature;
  });
  return { type: 'FeatureCollection', features };
}

/** One object's polygons as a GeoJSON geometry with closed rings. */
export function toGeometry(outline: ObjectOutline): GeoJsonGeometry {
  const polygons = outline.polygons.map((p) => [p.exterior, ...p.holes].map(closedRing));
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0] }
    : { type: 'MultiPolygon', coordinates: polygons };
}

function closedRing(ring: Ring): Position[] {
  const positions: Position[] = [];
  for (let i = 0; i < ring.length; i += 2) positions.push([ring[i], ring[i + 1]]);
  positions.push([ring[0], ring[1]]); // RFC 7946 §3.1.6: first and last positions are equal
  return positions;
}

/** The table's numeric values by label. */
function measurementRows(table: Table | undefined): Map<number, Record<string, number>> {
  const rows = new Map<number, Record<string, number>>();
  if (!table) return rows;
  // regionprops tables key objects by `label`, the matched cell table by `cell_label`.
  const labelColumn = table.columns.label ?? table.columns.cell_label;
  if (!(labelColumn instanceof Float64Array)) {
    throw new InvalidArgumentError(
      'the measurement table needs a numeric "label" or "cell_label" column',
      {
        hint: 'pass the regionprops or cell table the labels were measured into',
      },
    );
  }
  const numeric = Object.entries(table.columns).filter(
    (entry): entry is [string, Float64Array] => entry[1] instanceof Float64Array,
  );
  for (let r = 0; r < table.rowCount; r++) {
    const row: Record<string, number> = {};
    for (const [name, column] of numeric) {
      if (Number.isFinite(column[r])) row[name] = column[r];
    }
    rows.set(labelColumn[r], row);
  }
  return rows;
}
