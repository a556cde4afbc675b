// Bytes of the files a user opened → one Stack (several single-channel files become channels).
import {
  combineChannels,
  createPlane,
  createStack,
  decodeTiff,
  ImageFormatError,
  decodeNpy,
  npyToNumbers,
  sniffFormat,
  withFile,
  CellscopeError,
  type PixelArray,
  type Plane,
  type Stack,
} from 'cellscope/browser';
import { decode as decodePng } from 'fast-png';

export interface OpenedFile {
  name: string;
  bytes: Uint8Array;
}

/** Decodes every file and joins them as channels, in the order given. */
export async function decodeFiles(files: readonly OpenedFile[]): Promise<Stack> {
  const stacks: Stack[] = [];
  for (const file of files) {
    try {
      stacks.push(await decodeFile(file));
    } catch (error) {
      throw error instanceof CellscopeError ? withFile(error, file.name) : error;
    }
  }
  return combineChannels(
    stacks,
    files.map((f) => f.name),
  );
}

async function decodeFile({ name, bytes }: OpenedFile): Promise<Stack> {
  if (/\.npy$/i.test(name)) return npyToStack(bytes, name);
  const format = sniffFormat(bytes);
  if (format === 'tiff') return decodeTiff(bytes);
  if (format === 'png') return pngToStack(bytes, name);
  if (format === 'jpeg') return jpegToStack(bytes, name);
  throw new ImageFormatError('is not a TIFF, PNG, JPEG or .npy image', {
    file: name,
    hint: 'open a TIFF/OME-TIFF, PNG, JPEG or NumPy .npy file',
  });
}

/** A 2-D array is one channel; a 3-D array is C×Y×X (Cellpose's layout), or Y×X×C when small last. */
function npyToStack(bytes: Uint8Array, name: string): Stack {
  const array = decodeNpy(bytes, name);
  const { shape } = array;
  // Pixel types a Plane holds stay as they are; bool and 64-bit integers become float32.
  const data = isPixelArray(array.data) ? array.data : new Float32Array(npyToNumbers(array));
  const empty = (n: number): PixelArray =>
    new (data.constructor as new (n: number) => PixelArray)(n);
  const toPlane = (values: PixelArray, height: number, width: number): Plane =>
    createPlane(width, height, values);
  if (shape.length === 2) {
    return createStack([toPlane(data, shape[0], shape[1])], { sourceAxes: 'YX' });
  }
  if (shape.length === 3) {
    const channelsLast = shape[2] <= 4 && shape[0] > 4;
    const [c, h, w] = channelsLast ? [shape[2], shape[0], shape[1]] : shape;
    const planes = Array.from({ length: c }, (_, k) => {
      if (!channelsLast) return createPlane(w, h, data.slice(k * h * w, (k + 1) * h * w));
      const values = empty(h * w);
      for (let i = 0; i < h * w; i++) values[i] = data[i * c + k];
      return createPlane(w, h, values);
    });
    return createStack(planes, { sourceAxes: channelsLast ? 'YXC' : 'CYX' });
  }
  throw new ImageFormatError(`a .npy image must be 2-D or 3-D, this one is ${shape.length}-D`, {
    file: name,
    hint: 'save one image as (Y, X) or (C, Y, X)',
  });
}

function pngToStack(bytes: Uint8Array, name: string): Stack {
  let png;
  try {
    png = decodePng(bytes);
  } catch (error) {
    throw new ImageFormatError(`the PNG cannot be decoded: ${(error as Error).message}`, {
      file: name,
    });
  }
  const { width, height, channels } = png;
  const samples = png.data as Uint8Array | Uint16Array;
  const planes = Array.from({ length: channels }, (_, k) => {
    const values =
      samples instanceof Uint16Array
        ? new Uint16Array(width * height)
        : new Uint8Array(width * height);
    for (let i = 0; i < width * height; i++) values[i] = samples[i * channels + k];
    return createPlane(width, height, values);
  });
  const names = channels === 1 ? ['C0'] : channels === 3 ? ['R', 'G', 'B'] : undefined;
  return createStack(planes, { channelNames: names, sourceAxes: channels === 1 ? 'YX' : 'YXS' });
}

/** JPEG through the browser's own decoder (8-bit RGB). */
async function jpegToStack(bytes: Uint8Array, name: string): Promise<Stack> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type: 'image/jpeg' }));
  } catch {
    throw new ImageFormatError('the JPEG cannot be decoded', { file: name });
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const planes = [0, 1, 2].map((k) => {
    const values = new Uint8Array(bitmap.width * bitmap.height);
    for (let i = 0; i < values.length; i++) values[i] = rgba[i * 4 + k];
    return createPlane(bitmap.width, bitmap.height, values);
  });
  return createStack(planes, { channelNames: ['R', 'G', 'B'], sourceAxes: 'YXS' });
}

function isPixelArray(data: unknown): data is PixelArray {
  return (
    (data instanceof Uint8Array && !(data instanceof Uint8ClampedArray)) ||
    data instanceof Uint16Array ||
    data instanceof Uint32Array ||
    data instanceof Int8Array ||
    data instanceof Int16Array ||
    data instanceof Int32Array ||
    data instanceof Float32Array ||
    data instanceof Float64Array
  );
}
