/** What an ImageJ-written TIFF says about its hyperstack (from its ImageDescription). */
export interface ImageJMetadata {
  images: number;
  channels: number;
  slices: number;
  frames: number;
  /** Z step, in `unit`. */
  spacing?: number;
  unit?: string;
  /** Slice labels from the IJMetadata tag, one per image, when ImageJ stored them. */
  labels?: string[];
}

/** What an OME-TIFF says about its first image (from the OME-XML in ImageDescription). */
export interface OmeMetadata {
  dimensionOrder: string;
  sizeX: number;
  sizeY: number;
  sizeZ: number;
  sizeC: number;
  sizeT: number;
  /** Samples per pixel of each channel (3 for an RGB channel). */
  samplesPerPixel: number;
  channelNames: (string | undefined)[];
  physicalSizeUm: { x?: number; y?: number; z?: number };
}

/** Micrometres per unit, for the units microscopy files use. */
const MICROMETRES_PER: Record<string, number> = {
  um: 1,
  µm: 1,
  μm: 1,
  micron: 1,
  microns: 1,
  micrometer: 1,
  micrometre: 1,
  nm: 1e-3,
  nanometer: 1e-3,
  mm: 1e3,
  millimeter: 1e3,
  cm: 1e4,
  m: 1e6,
  meter: 1e6,
  pm: 1e-6,
  å: 1e-4,
  angstrom: 1e-4,
};

/** Converts a length in `unit` to micrometres; undefined for pixels, inches or unknown units. */
export function toMicrometres(value: number, unit: string | undefined): number | undefined {
  if (!(value > 0) || !Number.isFinite(value)) return undefined;
  const key = (unit ?? 'µm')
    .trim()
    .replace(/\\u00B5/gi, 'µ')
    .toLowerCase();
  const factor = MICROMETRES_PER[key];
  return factor === undefined ? undefined : value * factor;
}

export function parseImageJDescription(
  description: string | undefined,
): ImageJMetadata | undefined {
  if (!description?.startsWith('ImageJ=')) return undefined;
  const fields = new Map<string, string>();
  for (const line of description.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const count = (key: string): number => {
    const value = Number(fields.get(key));
    return Number.isInteger(value) && value >= 1 ? value : 1;
  };
  const spacing = Number(fields.get('spacing'));
  return {
    images: count('images'),
    channels: count('channels'),
    slices: count('slices'),
    frames: count('frames'),
    spacing: spacing > 0 ? spacing : undefined,
    unit: fields.get('unit'),
  };
}

/**
 * Slice labels from ImageJ's private IJMetadata tag (ImageJ's TiffEncoder layout: "IJIJ", then
 * (type, count) pairs, then the entries; labels are UTF-16 strings in the file's byte order).
 */
export function parseImageJLabels(
  data: Uint8Array | undefined,
  byteCounts: number[] | undefined,
): string[] | undefined {
  if (!data || !byteCounts || byteCounts.length < 2 || data.length < 4) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const bigEndianMagic = view.getUint32(0, false) === 0x494a494a; // "IJIJ"
  const littleEndianMagic = view.getUint32(0, true) === 0x494a494a;
  if (!bigEndianMagic && !littleEndianMagic) return undefined;
  const le = littleEndianMagic && !bigEndianMagic;
  const headerCount = (byteCounts[0] - 4) / 8;
  let entry = 1;
  let offset = byteCounts[0];
  for (let h = 0; h < headerCount; h++) {
    if (12 + h * 8 > data.length) return undefined; // header runs past the data: corrupt
    const type = view.getUint32(4 + h * 8, le);
    const count = view.getUint32(8 + h * 8, le);
    if (type === 0x6c61626c) {
      // "labl"
      const labels: string[] = [];
      for (let k = 0; k < count && entry + k < byteCounts.length; k++) {
        const length = byteCounts[entry + k];
        if (offset + length > data.length) return undefined;
        labels.push(decodeUtf16(data.subarray(offset, offset + length), le));
        offset += length;
      }
      return labels;
    }
    for (let k = 0; k < count && entry < byteCounts.length; k++) offset += byteCounts[entry++];
  }
  return undefined;
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): string {
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    text += String.fromCharCode(
      littleEndian ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1],
    );
  }
  return text;
}

/** Reads the first Image's Pixels element of an OME-XML document (enough for single-file OME-TIFF). */
export function parseOmeXml(description: string | undefined): OmeMetadata | undefined {
  if (!description || !/<OME[\s>]/.test(description)) return undefined;
  const pixelsTag = /<(?:\w+:)?Pixels\s([^>]*)>/.exec(description);
  if (!pixelsTag) return undefined;
  const pixels = attributes(pixelsTag[1]);
  const int = (key: string): number => {
    const value = Number(pixels[key]);
    return Number.isInteger(value) && value >= 1 ? value : 1;
  };
  const afterPixels = description.slice(pixelsTag.index);
  const pixelsBody = afterPixels.slice(0, afterPixels.search(/<\/(?:\w+:)?Pixels>/) >>> 0);
  const channels = [...pixelsBody.matchAll(/<(?:\w+:)?Channel\s([^>]*?)\/?>/g)].map((m) =>
    attributes(m[1]),
  );
  const length = (key: string): number | undefined =>
    pixels[key] === undefined
      ? undefined
      : toMicrometres(Number(pixels[key]), pixels[`${key}Unit`]);
  return {
    dimensionOrder: /^XY[CZT]{3}$/.test(pixels.DimensionOrder ?? '')
      ? pixels.DimensionOrder
      : 'XYCZT',
    sizeX: int('SizeX'),
    sizeY: int('SizeY'),
    sizeZ: int('SizeZ'),
    sizeC: int('SizeC'),
    sizeT: int('SizeT'),
    samplesPerPixel:
      Number(channels[0]?.SamplesPerPixel) > 1 ? Number(channels[0].SamplesPerPixel) : 1,
    channelNames: channels.map((c) => c.Name),
    physicalSizeUm: {
      x: length('PhysicalSizeX'),
      y: length('PhysicalSizeY'),
      z: length('PhysicalSizeZ'),
    },
  };
}

function attributes(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of text.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    result[match[1]] = decodeXmlEntities(match[2] ?? match[3]);
  }
  return result;
}

function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()];
    const code =
      entity[1] === 'x' || entity[1] === 'X'
        ? parseInt(entity.slice(2), 16)
        : parseInt(entity.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}
