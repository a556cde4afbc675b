import { zipSync, type Zippable } from 'fflate';
import { UnsupportedError } from '../errors.js';
import type { Labels } from '../image/types.js';
import { traceOutlines, type ObjectOutline, type Ring } from '../measure/contours/trace.js';

// Layout of ImageJ's ij.io.RoiEncoder/RoiDecoder (version 228, ImageJ 1.52t+): a 64-byte
// big-endian header, the coordinates, a 64-byte second header, then the name as UTF-16.
const HEADER_SIZE = 64;
const HEADER2_SIZE = 64;
const VERSION = 228;
const TYPE_RECT = 1; // with a shape-array size > 0: a composite (ShapeRoi)
const TYPE_TRACED = 8; // what ImageJ's wand and particle analyzer give pixel-edge outlines
const OFFSET = {
  version: 4,
  type: 6,
  top: 8,
  left: 10,
  bottom: 12,
  right: 14,
  nCoordinates: 16,
  shapeRoiSize: 36,
  options: 50,
  position: 56,
  header2: 60,
} as const;
const HEADER2 = { nameOffset: 16, nameLength: 20 } as const;
const SUB_PIXEL_RESOLUTION = 128;
/** RoiDecoder reads shorts below -5000 as unsigned, so integer coordinates reach 60535. */
const MAX_INTEGER_COORDINATE = 60535;
/** Float32 holds every integer up to 2^24 exactly. */
const MAX_FLOAT_COORDINATE = 2 ** 24;
/** java.awt.geom.PathIterator segment types. */
const SEG_MOVETO = 0;
const SEG_LINETO = 1;
const SEG_CLOSE = 4;

/**
 * One ImageJ ROI (`.roi` bytes) for one object: a traced polygon ROI when the object is one
 * piece without holes, else a composite ROI (ShapeRoi, even-odd) holding every piece and hole,
 * the way ImageJ's particle analyzer records particles with holes. Filled by ImageJ's
 * pixel-centre rule, either gives back exactly the object's pixels.
 */
export function encodeImagejRoi(outline: ObjectOutline, name = String(outline.label)): Uint8Array {
  const rings = outline.polygons.flatMap((p) => [p.exterior, ...p.holes]);
  const box = bounds(rings);
  if (box.right > MAX_FLOAT_COORDINATE || box.bottom > MAX_FLOAT_COORDINATE) {
    throw new UnsupportedError(
      `object ${outline.label} reaches (${box.right}, ${box.bottom}), past the ${MAX_FLOAT_COORDINATE} pixels an ImageJ ROI stores exactly`,
      { hint: 'export GeoJSON instead, or crop the image' },
    );
  }
  const single = rings.length === 1 && rings[0].length / 2 <= 0xffff;
  return single ? polygonRoi(rings[0], box, name) : compositeRoi(rings, box, name);
}

/** Object outlines as ImageJ ROIs, one `<name>.roi` entry each, in a zip Fiji's ROI Manager opens. */
export function encodeImagejRoiZip(outlines: readonly ObjectOutline[]): Uint8Array {
  const entries: Zippable = {};
  for (const outline of outlines) {
    const name = String(outline.label);
    // Stored, not deflated: fflate's deflate costs ~0.5 ms per small entry, ten times the ROI.
    entries[`${name}.roi`] = [encodeImagejRoi(outline, name), { level: 0 }];
  }
  // A fixed time keeps the zip byte-identical from run to run.
  return zipSync(entries, { mtime: new Date(2000, 0, 1) });
}

/** Traces every object of a label image and writes the ImageJ ROI zip. */
export function labelsToImagejRoiZip(labels: Labels): Uint8Array {
  return encodeImagejRoiZip(traceOutlines(labels));
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function bounds(rings: readonly Ring[]): Box {
  const box = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i += 2) {
      box.left = Math.min(box.left, ring[i]);
      box.right = Math.max(box.right, ring[i]);
      box.top = Math.min(box.top, ring[i + 1]);
      box.bottom = Math.max(box.bottom, ring[i + 1]);
    }
  }
  return box;
}

function polygonRoi(ring: Ring, box: Box, name: string): Uint8Array {
  const n = ring.length / 2;
  // Past 60535 the shorts cannot hold the bounds: ImageJ then adds float coordinates (absolute).
  const subpixel = box.right > MAX_INTEGER_COORDINATE || box.bottom > MAX_INTEGER_COORDINATE;
  const coordinates = n * 4 + (subpixel ? n * 8 : 0);
  const out = new Roi(HEADER_SIZE + coordinates + HEADER2_SIZE + name.length * 2);
  out.header(TYPE_TRACED, box);
  out.short(OFFSET.nCoordinates, n);
  out.short(OFFSET.options, subpixel ? SUB_PIXEL_RESOLUTION : 0);
  for (let i = 0; i < n; i++) {
    // Relative to the bounds: always within 0..60535, however large the image.
    out.short(HEADER_SIZE + 2 * i, Math.min(ring[2 * i] - box.left, MAX_INTEGER_COORDINATE));
    out.short(
      HEADER_SIZE + 2 * n + 2 * i,
      Math.min(ring[2 * i + 1] - box.top, MAX_INTEGER_COORDINATE),
    );
    if (subpixel) {
      out.float(HEADER_SIZE + 4 * n + 4 * i, ring[2 * i]);
      out.float(HEADER_SIZE + 8 * n + 4 * i, ring[2 * i + 1]);
    }
  }
  out.header2(HEADER_SIZE + coordinates, name);
  return out.bytes;
}

function compositeRoi(rings: readonly Ring[], box: Box, name: string): Uint8Array {
  // Per ring: MOVETO x y, LINETO x y per further corner, CLOSE; absolute float coordinates.
  const shape: number[] = [];
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i += 2) {
      shape.push(i === 0 ? SEG_MOVETO : SEG_LINETO, ring[i], ring[i + 1]);
    }
    shape.push(SEG_CLOSE);
  }
  const out = new Roi(HEADER_SIZE + shape.length * 4 + HEADER2_SIZE + name.length * 2);
  out.header(TYPE_RECT, box);
  out.int(OFFSET.shapeRoiSize, shape.length);
  shape.forEach((value, i) => out.float(HEADER_SIZE + 4 * i, value));
  out.header2(HEADER_SIZE + shape.length * 4, name);
  return out.bytes;
}

/** A big-endian byte buffer with the few writes the ROI format needs. */
class Roi {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(length: number) {
    this.bytes = new Uint8Array(length);
    this.view = new DataView(this.bytes.buffer);
  }

  header(type: number, box: Box): void {
    this.bytes.set([0x49, 0x6f, 0x75, 0x74]); // "Iout"
    this.short(OFFSET.version, VERSION);
    this.bytes[OFFSET.type] = type;
    // Bounds past 65535 wrap, as in RoiEncoder; ImageJ then reads the float coordinates.
    this.short(OFFSET.top, box.top);
    this.short(OFFSET.left, box.left);
    this.short(OFFSET.bottom, box.bottom);
    this.short(OFFSET.right, box.right);
    this.int(OFFSET.position, 0);
  }

  /** Header 2 (C, Z, T positions 0: all planes) and the name after it, UTF-16 code units. */
  header2(at: number, name: string): void {
    this.int(OFFSET.header2, at);
    const nameAt = at + HEADER2_SIZE;
    this.int(at + HEADER2.nameOffset, nameAt);
    this.int(at + HEADER2.nameLength, name.length);
    for (let i = 0; i < name.length; i++) this.short(nameAt + 2 * i, name.charCodeAt(i));
  }

  short(at: number, value: number): void {
    this.view.setUint16(at, value & 0xffff);
  }

  int(at: number, value: number): void {
    this.view.setInt32(at, value);
  }

  float(at: number, value: number): void {
    this.view.setFloat32(at, value);
  }
}
