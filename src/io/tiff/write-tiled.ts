import { InvalidArgumentError } from '../../errors.js';
import type { Labels, PixelSize } from '../../image/types.js';
import { deflate } from './codecs.js';
import { asciiz } from './ifd-write.js';
import { Compression, Tag } from './tags.js';

export interface WriteTiledLabelsOptions {
  /** Tile edge in pixels, a multiple of 16 (TIFF 6.0 §15). @default 512 */
  tileSize?: number;
  /**
   * Reduced levels (nearest neighbour, each half the last) as SubIFDs of the full image, with
   * an OME-XML description: a pyramidal OME-TIFF that QuPath, napari and tifffile open by level.
   * @default false
   */
  pyramid?: boolean;
  /** Stop the pyramid once a level fits in this many pixels per side. @default 512 */
  smallestLevel?: number;
  /** Pixel size to record (OME-XML PhysicalSize in a pyramid; resolution tags always). */
  pixelSizeUm?: PixelSize;
}

/** BigTIFF field types (TIFF 6.0 §2 plus the BigTIFF LONG8). */
const FieldType = { Ascii: 2, Short: 3, Long: 4, Rational: 5, Long8: 16, Ifd8: 18 } as const;
type FieldType = (typeof FieldType)[keyof typeof FieldType];
const ELEMENT_BYTES: Record<FieldType, number> = { 2: 1, 3: 2, 4: 4, 5: 4, 16: 8, 18: 8 };
/** SubIFDs (Adobe PageMaker 6.0 TIFF technical notes), where OME-TIFF keeps pyramid levels. */
const TAG_SUB_IFDS = 330;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Field {
  tag: number;
  type: FieldType;
  values: ArrayLike<number>;
}

interface Level {
  width: number;
  height: number;
  tiles: Uint8Array[];
}

/**
 * Encodes a label image as a tiled, deflate-compressed little-endian BigTIFF (no 4 GiB limit),
 * uint16 when every label fits, else uint32; optionally a pyramidal OME-TIFF. Readers fetch
 * only the tiles they show, so whole-slide label images open without loading the plane.
 */
export function encodeTiledLabelsTiff(
  labels: Labels,
  options: WriteTiledLabelsOptions = {},
): Uint8Array {
  const { tileSize = 512, pyramid = false, smallestLevel = 512, pixelSizeUm } = options;
  if (!Number.isInteger(tileSize) || tileSize < 16 || tileSize % 16 !== 0) {
    throw new InvalidArgumentError(`tileSize must be a positive multiple of 16, not ${tileSize}`);
  }
  let max = 0;
  for (let i = 0; i < labels.data.length; i++) if (labels.data[i] > max) max = labels.data[i];
  const bytesPerSample = max <= 0xffff ? 2 : 4;

  const levels: Level[] = [];
  let plane = labels;
  for (;;) {
    levels.push({
      width: plane.width,
      height: plane.height,
      tiles: encodeTiles(plane, tileSize, bytesPerSample),
    });
    if (!pyramid || Math.max(plane.width, plane.height) <= smallestLevel) break;
    plane = halve(plane);
  }

  const description = pyramid ? omeXml(labels, bytesPerSample, pixelSizeUm) : undefined;
  const tileOffsets = levels.map((level) => new Array<number>(level.tiles.length).fill(0));
  const subIfdOffsets = new Array<number>(levels.length - 1).fill(0);
  const ifds = levels.map((level, i): Field[] => {
    const fields: Field[] = [
      { tag: Tag.NewSubfileType, type: FieldType.Long, values: [i === 0 ? 0 : 1] }, // 1: reduced
      { tag: Tag.ImageWidth, type: FieldType.Long, values: [level.width] },
      { tag: Tag.ImageLength, type: FieldType.Long, values: [level.height] },
      { tag: Tag.BitsPerSample, type: FieldType.Short, values: [bytesPerSample * 8] },
      { tag: Tag.Compression, type: FieldType.Short, values: [Compression.Deflate] },
      { tag: Tag.Photometric, type: FieldType.Short, values: [1] }, // BlackIsZero
      { tag: Tag.SamplesPerPixel, type: FieldType.Short, values: [1] },
      { tag: Tag.TileWidth, type: FieldType.Short, values: [tileSize] },
      { tag: Tag.TileLength, type: FieldType.Short, values: [tileSize] },
      { tag: Tag.TileOffsets, type: FieldType.Long8, values: tileOffsets[i] },
      { tag: Tag.TileByteCounts, type: FieldType.Long8, values: level.tiles.map((t) => t.length) },
      { tag: Tag.SampleFormat, type: FieldType.Short, values: [1] }, // unsigned
    ];
    if (pixelSizeUm) {
      // Pixels per centimetre (ResolutionUnit 3), as tifffile and QuPath read it.
      const scale = 2 ** i;
      fields.push(
        { tag: Tag.XResolution, type: FieldType.Rational, values: perCm(pixelSizeUm.x * scale) },
        { tag: Tag.YResolution, type: FieldType.Rational, values: perCm(pixelSizeUm.y * scale) },
        { tag: Tag.ResolutionUnit, type: FieldType.Short, values: [3] },
      );
    }
    if (i === 0) {
      if (description !== undefined) {
        fields.push({
          tag: Tag.ImageDescription,
          type: FieldType.Ascii,
          values: asciiz(description),
        });
      }
      fields.push({ tag: Tag.Software, type: FieldType.Ascii, values: asciiz('cellscope') });
      if (levels.length > 1) {
        fields.push({ tag: TAG_SUB_IFDS, type: FieldType.Ifd8, values: subIfdOffsets });
      }
    }
    return fields.sort((a, b) => a.tag - b.tag);
  });

  // Layout: header, every IFD, then the tiles level by level.
  let position = 16;
  const ifdOffsets = ifds.map((fields) => {
    const at = position;
    position += ifdByteLength(fields);
    return at;
  });
  for (let i = 1; i < levels.length; i++) subIfdOffsets[i - 1] = ifdOffsets[i];
  for (const [i, level] of levels.entries()) {
    for (const [t, tile] of level.tiles.entries()) {
      tileOffsets[i][t] = position;
      position += tile.length;
    }
  }

  const out = new Uint8Array(position);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49]); // "II"
  view.setUint16(2, 43, true); // BigTIFF
  view.setUint16(4, 8, true); // offset size
  view.setBigUint64(8, BigInt(ifdOffsets[0]), true);
  for (const [i, fields] of ifds.entries()) {
    // SubIFDs hang off the first IFD; only it is in the main chain.
    writeIfd(view, out, ifdOffsets[i], fields, 0);
    for (const [t, tile] of levels[i].tiles.entries()) out.set(tile, tileOffsets[i][t]);
  }
  return out;
}

/** Tiles in row-major order, each tileSize² (edge tiles padded with 0), little-endian, deflated. */
function encodeTiles(labels: Labels, tileSize: number, bytesPerSample: number): Uint8Array[] {
  const { width, height, data } = labels;
  const tiles: Uint8Array[] = [];
  const tile =
    bytesPerSample === 2
      ? new Uint16Array(tileSize * tileSize)
      : new Uint32Array(tileSize * tileSize);
  const bytes = new Uint8Array(tile.buffer);
  for (let ty = 0; ty < height; ty += tileSize) {
    for (let tx = 0; tx < width; tx += tileSize) {
      tile.fill(0);
      const rows = Math.min(tileSize, height - ty);
      const cols = Math.min(tileSize, width - tx);
      for (let y = 0; y < rows; y++) {
        const from = (ty + y) * width + tx;
        tile.set(data.subarray(from, from + cols), y * tileSize);
      }
      tiles.push(deflate(LITTLE_ENDIAN_HOST ? bytes : swapBytes(bytes, bytesPerSample), 6));
    }
  }
  return tiles;
}

/** Half the size, each pixel the label under its centre's nearest source pixel (never averaged). */
function halve(labels: Labels): Labels {
  const width = Math.ceil(labels.width / 2);
  const height = Math.ceil(labels.height / 2);
  const data = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = labels.data[2 * y * labels.width + 2 * x];
  }
  return { width, height, data };
}

function swapBytes(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) {
    for (let k = 0; k < size; k++) out[i + k] = bytes[i + size - 1 - k];
  }
  return out;
}

/** The OME-XML of a one-channel uint16/uint32 label image whose levels are SubIFDs of IFD 0. */
function omeXml(labels: Labels, bytesPerSample: number, pixelSizeUm?: PixelSize): string {
  const physical = pixelSizeUm
    ? ` PhysicalSizeX="${pixelSizeUm.x}" PhysicalSizeXUnit="µm" PhysicalSizeY="${pixelSizeUm.y}" PhysicalSizeYUnit="µm"`
    : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" Creator="cellscope">',
    '<Image ID="Image:0" Name="labels">',
    `<Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="uint${bytesPerSample * 8}" SizeX="${labels.width}" SizeY="${labels.height}" SizeC="1" SizeZ="1" SizeT="1"${physical}>`,
    '<Channel ID="Channel:0:0" Name="labels" SamplesPerPixel="1"/>',
    '<TiffData IFD="0" PlaneCount="1"/>',
    '</Pixels>',
    '</Image>',
    '</OME>',
  ].join('');
}

/** Pixels per centimetre for a size in µm, as a RATIONAL with a power-of-ten denominator. */
function perCm(sizeUm: number): [number, number] {
  const value = 1e4 / sizeUm;
  let denominator = 1;
  while (denominator < 1e6 && value * denominator * 10 < 0xffffffff) denominator *= 10;
  return [Math.round(value * denominator), denominator];
}

function ifdByteLength(fields: readonly Field[]): number {
  let length = 8 + 20 * fields.length + 8;
  for (const field of fields) {
    const bytes = field.values.length * ELEMENT_BYTES[field.type];
    if (bytes > 8) length += bytes + (bytes & 1);
  }
  return length;
}

/** One BigTIFF IFD: uint64 entry count, 20-byte entries sorted by tag, uint64 next offset, values. */
function writeIfd(
  view: DataView,
  out: Uint8Array,
  at: number,
  fields: readonly Field[],
  next: number,
): void {
  view.setBigUint64(at, BigInt(fields.length), true);
  let valueAt = at + 8 + 20 * fields.length + 8;
  fields.forEach((field, i) => {
    const entry = at + 8 + 20 * i;
    const bytes = field.values.length * ELEMENT_BYTES[field.type];
    view.setUint16(entry, field.tag, true);
    view.setUint16(entry + 2, field.type, true);
    const count = field.type === FieldType.Rational ? field.values.length / 2 : field.values.length;
    view.setBigUint64(entry + 4, BigInt(count), true);
    let target = entry + 12;
    if (bytes > 8) {
      view.setBigUint64(entry + 12, BigInt(valueAt), true);
      target = valueAt;
      valueAt += bytes + (bytes & 1);
    }
    writeValues(view, out, target, field);
  });
  view.setBigUint64(at + 8 + 20 * fields.length, BigInt(next), true);
}

function writeValues(view: DataView, out: Uint8Array, at: number, field: Field): void {
  const { values } = field;
  for (let i = 0; i < values.length; i++) {
    switch (field.type) {
      case FieldType.Ascii:
        out[at + i] = values[i];
        break;
      case FieldType.Short:
        view.setUint16(at + 2 * i, values[i], true);
        break;
      case FieldType.Long:
      case FieldType.Rational:
        view.setUint32(at + 4 * i, values[i], true);
        break;
      default:
        view.setBigUint64(at + 8 * i, BigInt(values[i]), true);
    }
  }
}
