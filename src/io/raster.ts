import { ImageFormatError, InvalidArgumentError } from '../errors.js';
import { dtypeOf } from '../image/dtype.js';
import { createStack } from '../image/stack.js';
import type { Plane, Stack } from '../image/types.js';

// sharp is Node-only and heavy: load it on first use so the core stays browser-safe.
type Sharp = typeof import('sharp').default;
let sharpModule: Promise<Sharp> | undefined;
async function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then((m) => m.default);
  return sharpModule;
}

const CHANNEL_NAMES: Record<number, string[]> = {
  1: ['C0'],
  2: ['C0', 'A'],
  3: ['R', 'G', 'B'],
  4: ['R', 'G', 'B', 'A'],
};

/**
 * Decodes a PNG or JPEG (or anything else sharp reads) into a Stack: one plane per sample,
 * 16-bit PNGs as uint16, everything else as uint8. Values are the stored samples, with no
 * colour management, so a 16-bit microscopy PNG reads back exactly.
 */
export async function decodeRaster(bytes: Uint8Array): Promise<Stack> {
  const sharp = await loadSharp();
  let meta;
  try {
    meta = await sharp(bytes).metadata();
  } catch (cause) {
    throw new ImageFormatError(`not a readable PNG/JPEG image (${(cause as Error).message})`, {
      cause,
    });
  }
  const channels = meta.channels ?? 1;
  const sixteenBit = meta.depth === 'ushort';
  const space = channels >= 3 ? (sixteenBit ? 'rgb16' : 'srgb') : sixteenBit ? 'grey16' : 'b-w';
  let decoded;
  try {
    decoded = await sharp(bytes)
      .pipelineColourspace(space)
      .toColourspace(space)
      .raw({ depth: sixteenBit ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (cause) {
    throw new ImageFormatError(`image data is corrupt (${(cause as Error).message})`, { cause });
  }
  const { data, info } = decoded;
  const samples = sixteenBit
    ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
    : new Uint8Array(data.buffer, data.byteOffset, data.length);
  const count = info.width * info.height;
  const planes: Plane[] = [];
  for (let c = 0; c < info.channels; c++) {
    const plane = sixteenBit ? new Uint16Array(count) : new Uint8Array(count);
    for (let i = 0, j = c; i < count; i++, j += info.channels) plane[i] = samples[j];
    planes.push({ width: info.width, height: info.height, data: plane });
  }
  return createStack(planes, {
    channelNames: CHANNEL_NAMES[info.channels] ?? planes.map((_, i) => `C${i}`),
    sourceAxes: info.channels > 1 ? 'YXS' : 'YX',
  });
}

/**
 * Encodes a PNG: one uint8/uint16 plane as 8/16-bit grey, or interleaved 8-bit RGB/RGBA
 * samples (`channels` 3 or 4) as a colour image, e.g. an overlay.
 */
export async function encodePng(
  image: Plane | { width: number; height: number; channels: 3 | 4; data: Uint8Array },
): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const channels = 'channels' in image ? image.channels : 1;
  const { width, height, data } = image;
  if (data.length !== width * height * channels) {
    throw new InvalidArgumentError(
      `PNG data has ${data.length} samples, expected ${width} × ${height} × ${channels}`,
    );
  }
  const dtype = dtypeOf(data);
  if (dtype !== 'uint8' && !(dtype === 'uint16' && channels === 1)) {
    throw new InvalidArgumentError(
      `PNG takes uint8 or single-channel uint16 data, got ${channels}-channel ${dtype}`,
      {
        hint: 'scale the plane to 8 or 16 bits first',
      },
    );
  }
  const space = channels === 1 ? (dtype === 'uint16' ? 'grey16' : 'b-w') : 'srgb';
  const out = await sharp(data, { raw: { width, height, channels } })
    .toColourspace(space)
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
