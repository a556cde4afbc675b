/**
 * Random access to a file's bytes, so the TIFF reader can take the header, the directories and
 * only the strips it decodes: from memory (the browser, tests) or from a file handle (Node).
 */
export interface ByteSource {
  /** The file's length in bytes. */
  readonly size: number;
  /** The bytes in [offset, offset + length), cut short at the end of the file. */
  read(offset: number, length: number): Uint8Array;
  /** True when `read` returns views of a buffer the caller owns: decoders must copy before editing. */
  readonly shared: boolean;
}

/** A source over bytes already in memory: every read is a view, nothing is copied. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    shared: true,
  };
}

export function toSource(input: Uint8Array | ByteSource): ByteSource {
  return input instanceof Uint8Array ? memorySource(input) : input;
}
