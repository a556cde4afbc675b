/** TIFF 6.0 / BigTIFF tag numbers cellscope reads or writes. */
export const Tag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  FillOrder: 266,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  PlanarConfiguration: 284,
  ResolutionUnit: 296,
  Software: 305,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  /** Adobe PageMaker 6.0 TIFF notes: offsets of child IFDs, where OME-TIFF keeps pyramid levels. */
  SubIFDs: 330,
  ExtraSamples: 338,
  SampleFormat: 339,
  ImageJMetadataByteCounts: 50838,
  ImageJMetadata: 50839,
} as const;

export const Compression = {
  None: 1,
  LZW: 5,
  Deflate: 8,
  AdobeDeflate: 32946,
  PackBits: 32773,
} as const;

/** Names of compressions we do not decode, so the error can say what the file uses. */
export const UNSUPPORTED_COMPRESSION_NAMES: Record<number, string> = {
  2: 'CCITT RLE',
  3: 'CCITT Group 3',
  4: 'CCITT Group 4',
  6: 'old-style JPEG',
  7: 'JPEG',
  34712: 'JPEG 2000',
  34887: 'LERC',
  34925: 'LZMA',
  50000: 'Zstandard',
  50001: 'WebP',
  50002: 'JPEG XL',
};

/** Field type number → byte size (TIFF 6.0 types 1–12, BigTIFF 16–18). */
export const FIELD_TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};
