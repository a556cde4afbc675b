/** Typed arrays a plane may hold. */
export type PixelArray =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** numpy-style names for the pixel types, so tables and errors read like the Python tools. */
export const DTYPES = [
  'uint8',
  'uint16',
  'uint32',
  'int8',
  'int16',
  'int32',
  'float32',
  'float64',
] as const;
export type DType = (typeof DTYPES)[number];

/** One 2-D channel, row-major: pixel (y, x) is `data[y * width + x]`. */
export interface Plane<T extends PixelArray = PixelArray> {
  readonly width: number;
  readonly height: number;
  readonly data: T;
}

/** Physical pixel size in micrometres; `z` is the spacing between slices. */
export interface PixelSize {
  x: number;
  y: number;
  z?: number;
}

/** Channels of one image, all the same size and dtype, with what the file said about them. */
export interface Stack {
  readonly planes: Plane[];
  /** One name per plane; files without names get `C0`, `C1`, … */
  readonly channelNames: string[];
  readonly pixelSizeUm?: PixelSize;
  /** Axes of the source array the planes were taken from, e.g. `ZCYX`, `YXS`. */
  readonly sourceAxes: string;
}

/** A label image: 0 is background, every other value one object. */
export interface Labels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint32Array;
}

/** A binary image: 1 = foreground, 0 = background (one byte per pixel). */
export type Mask = Plane<Uint8Array>;
