// A tiled, deflated BigTIFF written tile by tile: each tile is asked for, compressed and handed to
// a sink at once, so a whole-slide image is written in the memory of one tile (plus its offsets).
import { InvalidArgumentError } from '../../errors.js';
import type { PixelSize } from '../../image/types.js';
import { deflate } from './codecs.js';
import {
  asciiz,
  encodeIfd,
  FieldType,
  ifdByteLength,
  toRational,
  type Field,
} from './ifd-write.js';
import { Compression, Tag } from './tags.js';

/** Where the file's bytes go: `write` may be called at any position, the header last. */
export interface ByteSink {
  write(bytes: Uint8Array, position: number): void;
}

export interface TiledTiffLayout {
  width: number;
  height: number;
  /** Unsigned integer samples of this many bytes. */
  bytesPerSample: 1 | 2 | 4;
  /** One page per channel in the main IFD chain. @default 1 */
  channels?: number;
  /** Tile edge in pixels, a multiple of 16 (TIFF 6.0 §15). @default 512 */
  tileSize?: number;
  /**
   * Resolution levels, each half the last (rounded up), level k ≥ 1 as SubIFD k − 1 of each
   * channel's page, as OME-TIFF keeps a pyramid. @default 1
   */
  levels?: number;
  /** The first page's ImageDescription, e.g. OME-XML. */
  description?: string;
  /** Pixel size of level 0, written as resolution tags (level k's is 2^k times it). */
  pixelSizeUm?: PixelSize;
  /** zlib level: 1 is fastest. @default 6 */
  deflateLevel?: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

/** Which tile the writer asks for: `row` and `col` count tiles of `level`. */
export interface TileIndex {
  level: number;
  channel: number;
  row: number;
  col: number;
}

/** A tile's samples, tileSize² row-major; those past the level's edge are stored as padding. */
export type TileSamples = Uint8Array | Uint16Array | Uint32Array;

const HEADER_BYTES = 16;
/** Tiled slides pass 4 GiB easily, so they are BigTIFF. */
const BIG = { bigTiff: true } as const;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Level k's size: ceil(size / 2^k), which repeated halving rounded up gives. */
export function levelSize(size: number, level: number): number {
  return Math.ceil(size / 2 ** level);
}

/**
 * Writes a little-endian BigTIFF, deflate-compressed, tiles level by level, channel by channel,
 * row-major, each as `tile` returns it; then the directories; the header last. Returns the
 * file's length. No 4 GiB limit: offsets and counts are 64-bit.
 */
export function writeTiledTiff(
  sink: ByteSink,
  layout: TiledTiffLayout,
  tile: (index: TileIndex) => TileSamples,
): number {
  const { width, height, bytesPerSample, description, pixelSizeUm } = layout;
  const { channels = 1, tileSize = 512, levels = 1, deflateLevel = 6 } = layout;
  if (!Number.isInteger(tileSize) || tileSize < 16 || tileSize % 16 !== 0) {
    throw new InvalidArgumentError(`tileSize must be a positive multiple of 16, not ${tileSize}`);
  }
  if (!(Number.isInteger(levels) && levels >= 1 && Number.isInteger(channels) && channels >= 1)) {
    throw new InvalidArgumentError(`${levels} levels of ${channels} channels cannot be written`);
  }
  const grids = Array.from({ length: levels }, (_, k) => {
    const [w, h] = [levelSize(width, k), levelSize(height, k)];
    return { width: w, height: h, across: Math.ceil(w / tileSize), down: Math.ceil(h / tileSize) };
  });
  // offsets[level][channel][tile], and the same for byte counts: all that is held.
  const offsets = grids.map(() => Array.from({ length: channels }, () => new Array<number>()));
  const counts = grids.map(() => Array.from({ length: channels }, () => new Array<number>()));
  let position = HEADER_BYTES;
  for (const [level, grid] of grids.entries()) {
    for (let channel = 0; channel < channels; channel++) {
      for (let row = 0; row < grid.down; row++) {
        for (let col = 0; col < grid.across; col++) {
          const samples = tile({ level, channel, row, col });
          if (
            samples.length !== tileSize * tileSize ||
            samples.BYTES_PER_ELEMENT !== bytesPerSample
          ) {
            throw new InvalidArgumentError(
              `tile ${level}/${channel}/${row}/${col} holds ${samples.length} ${8 * samples.BYTES_PER_ELEMENT}-bit samples, not ${tileSize}² of ${8 * bytesPerSample} bits`,
            );
          }
          const packed = deflate(littleEndianBytes(samples), deflateLevel);
          sink.write(packed, position);
          offsets[level][channel].push(position);
          counts[level][channel].push(packed.length);
          position += packed.length;
        }
      }
    }
  }
  position += position & 1; // TIFF 6.0 §2: directories start on a word boundary

  const fieldsOf = (level: number, channel: number, subIfds: number[]): Field[] => {
    const grid = grids[level];
    const fields: Field[] = [
      { tag: Tag.NewSubfileType, type: FieldType.Long, values: [level === 0 ? 0 : 1] }, // 1: reduced
      { tag: Tag.ImageWidth, type: FieldType.Long, values: [grid.width] },
      { tag: Tag.ImageLength, type: FieldType.Long, values: [grid.height] },
      { tag: Tag.BitsPerSample, type: FieldType.Short, values: [bytesPerSample * 8] },
      { tag: Tag.Compression, type: FieldType.Short, values: [Compression.Deflate] },
      { tag: Tag.Photometric, type: FieldType.Short, values: [1] }, // BlackIsZero
      { tag: Tag.SamplesPerPixel, type: FieldType.Short, values: [1] },
      { tag: Tag.TileWidth, type: FieldType.Short, values: [tileSize] },
      { tag: Tag.TileLength, type: FieldType.Short, values: [tileSize] },
      { tag: Tag.TileOffsets, type: FieldType.Long8, values: offsets[level][channel] },
      { tag: Tag.TileByteCounts, type: FieldType.Long8, values: counts[level][channel] },
      { tag: Tag.SampleFormat, type: FieldType.Short, values: [1] }, // unsigned
    ];
    if (pixelSizeUm) {
      // Pixels per centimetre (ResolutionUnit 3), as tifffile and QuPath read it.
      const scale = 2 ** level;
      fields.push(
        {
          tag: Tag.XResolution,
          type: FieldType.Rational,
          values: toRational(1e4 / (pixelSizeUm.x * scale)),
        },
        {
          tag: Tag.YResolution,
          type: FieldType.Rational,
          values: toRational(1e4 / (pixelSizeUm.y * scale)),
        },
        { tag: Tag.ResolutionUnit, type: FieldType.Short, values: [3] },
      );
    }
    if (level === 0 && channel === 0) {
      if (description !== undefined) {
        fields.push({
          tag: Tag.ImageDescription,
          type: FieldType.Ascii,
          values: asciiz(description),
        });
      }
      fields.push({ tag: Tag.Software, type: FieldType.Ascii, values: asciiz('cellscope') });
    }
    if (subIfds.length) fields.push({ tag: Tag.SubIFDs, type: FieldType.Ifd8, values: subIfds });
    return fields;
  };

  // Each channel's page, then its reduced levels; the pages chain, the levels hang off them.
  const placeholder = new Array<number>(levels - 1).fill(0);
  const at: number[][] = [];
  for (let channel = 0; channel < channels; channel++) {
    at.push(
      grids.map((_, level) => {
        const start = position;
        position += ifdByteLength(fieldsOf(level, channel, level ? [] : placeholder), BIG);
        return start;
      }),
    );
  }
  for (let channel = 0; channel < channels; channel++) {
    for (let level = 0; level < levels; level++) {
      const fields = fieldsOf(level, channel, level ? [] : at[channel].slice(1));
      const next = level === 0 && channel + 1 < channels ? at[channel + 1][0] : 0;
      sink.write(encodeIfd(fields, next, at[channel][level], BIG), at[channel][level]);
    }
  }

  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set([0x49, 0x49]); // "II"
  view.setUint16(2, 43, true); // BigTIFF
  view.setUint16(4, 8, true); // offset size
  view.setBigUint64(8, BigInt(at[0][0]), true);
  sink.write(header, 0);
  return position;
}

/** A sink that gathers the file in memory, for files small enough to hold. */
export function memorySink(): ByteSink & { bytes(length: number): Uint8Array } {
  const parts: { bytes: Uint8Array; position: number }[] = [];
  return {
    write: (bytes, position) => void parts.push({ bytes, position }), // the writer never reuses them
    bytes(length) {
      const out = new Uint8Array(length);
      for (const { bytes, position } of parts) out.set(bytes, position);
      return out;
    },
  };
}

/** OME-XML for a tiled image of one uint8/16/32 page per channel, levels as SubIFDs of each. */
export function tiledOmeXml(image: {
  name: string;
  width: number;
  height: number;
  bytesPerSample: 1 | 2 | 4;
  channelNames: readonly string[];
  pixelSizeUm?: PixelSize;
}): string {
  const { name, width, height, bytesPerSample, channelNames, pixelSizeUm } = image;
  const physical = pixelSizeUm
    ? ` PhysicalSizeX="${pixelSizeUm.x}" PhysicalSizeXUnit="µm" PhysicalSizeY="${pixelSizeUm.y}" PhysicalSizeYUnit="µm"`
    : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" Creator="cellscope">',
    `<Image ID="Image:0" Name="${xmlText(name)}">`,
    `<Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="uint${bytesPerSample * 8}" SizeX="${width}" SizeY="${height}" SizeC="${channelNames.length}" SizeZ="1" SizeT="1"${physical}>`,
    ...channelNames.map(
      (channel, c) =>
        `<Channel ID="Channel:0:${c}" Name="${xmlText(channel)}" SamplesPerPixel="1"/>`,
    ),
    `<TiffData IFD="0" PlaneCount="${channelNames.length}"/>`,
    '</Pixels>',
    '</Image>',
    '</OME>',
  ].join('');
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

function littleEndianBytes(samples: TileSamples): Uint8Array {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const size = samples.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN_HOST || size === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) {
    for (let k = 0; k < size; k++) out[i + k] = bytes[i + size - 1 - k];
  }
  return out;
}
