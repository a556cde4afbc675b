import { ImageFormatError, UnsupportedError } from '../../errors.js';

const CLEAR = 256;
const EOI = 257;
const FIRST_FREE = 258;
const MAX_CODES = 4096;

/**
 * Decodes TIFF LZW (TIFF 6.0 §13: MSB-first codes of 9–12 bits, early change) into `out`,
 * returning the number of bytes written. Every table entry is a run of bytes already written to
 * `out`, so entries are stored as (offset, length) and copied from the output itself.
 */
export function decodeLzw(input: Uint8Array, out: Uint8Array): number {
  if (input.length >= 2 && input[0] === 0 && (input[1] & 1) === 1) {
    throw new UnsupportedError('old-style (pre-TIFF 6.0) LZW compression is not supported', {
      hint: 're-save the image with a current tool (Fiji, tifffile)',
    });
  }
  const entryOffset = new Int32Array(MAX_CODES);
  const entryLength = new Int32Array(MAX_CODES);
  const outLength = out.length;
  let pos = 0;
  let nextCode = FIRST_FREE;
  let width = 9;
  let previousStart = -1;
  let previousLength = 0;
  let bitBuffer = 0;
  let bitCount = 0;
  let inPos = 0;
  const inLength = input.length;

  while (pos < outLength) {
    while (bitCount < width) {
      if (inPos >= inLength) return pos; // data ended without EOI: keep what was decoded
      bitBuffer = ((bitBuffer << 8) | input[inPos++]) & 0xffffff;
      bitCount += 8;
    }
    bitCount -= width;
    const code = (bitBuffer >>> bitCount) & ((1 << width) - 1);

    if (code === EOI) break;
    if (code === CLEAR) {
      nextCode = FIRST_FREE;
      width = 9;
      previousStart = -1;
      continue;
    }
    const start = pos;
    let length: number;
    if (code < 256) {
      out[pos] = code;
      length = 1;
    } else if (code < nextCode && previousStart >= 0) {
      length = entryLength[code];
      copyRun(out, entryOffset[code], pos, Math.min(length, outLength - pos));
    } else if (code === nextCode && previousStart >= 0) {
      // The KwKwK case: the previous string followed by its own first byte.
      length = previousLength + 1;
      const fit = Math.min(previousLength, outLength - pos);
      copyRun(out, previousStart, pos, fit);
      if (pos + previousLength < outLength) out[pos + previousLength] = out[previousStart];
    } else {
      throw new ImageFormatError(`LZW stream is corrupt (code ${code} before it was defined)`);
    }
    if (previousStart >= 0 && nextCode < MAX_CODES) {
      // New entry = previous string + first byte of this one, which sits right after it in `out`.
      entryOffset[nextCode] = previousStart;
      entryLength[nextCode] = previousLength + 1;
      nextCode++;
      if (nextCode + 1 >= 1 << width && width < 12) width++;
    }
    previousStart = start;
    previousLength = length;
    pos += length;
  }
  return Math.min(pos, outLength);
}

function copyRun(out: Uint8Array, from: number, to: number, length: number): void {
  if (length > 16) {
    out.copyWithin(to, from, from + length);
  } else {
    for (let i = 0; i < length; i++) out[to + i] = out[from + i];
  }
}

/** Encodes bytes as TIFF LZW (the writer's `compression: 'lzw'`). */
export function encodeLzw(input: Uint8Array): Uint8Array {
  const chunks: number[] = [];
  let bitBuffer = 0;
  let bitCount = 0;
  let width = 9;
  const emit = (code: number): void => {
    bitBuffer = (bitBuffer << width) | code;
    bitCount += width;
    while (bitCount >= 8) {
      bitCount -= 8;
      chunks.push((bitBuffer >>> bitCount) & 0xff);
    }
    bitBuffer &= (1 << bitCount) - 1;
  };
  let table = new Map<number, number>();
  let nextCode = FIRST_FREE;
  emit(CLEAR);
  let current = -1;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    if (current < 0) {
      current = byte;
      continue;
    }
    const key = current * 256 + byte;
    const found = table.get(key);
    if (found !== undefined) {
      current = found;
      continue;
    }
    emit(current);
    table.set(key, nextCode++);
    current = byte;
    // libtiff's encoder widens one entry later than its decoder and clears before code 4094.
    if (nextCode >= 4094) {
      emit(CLEAR);
      table = new Map();
      nextCode = FIRST_FREE;
      width = 9;
    } else if (nextCode >= 1 << width) {
      width++;
    }
  }
  if (current >= 0) emit(current);
  // The decoder adds one more entry on reading that last code, and may widen before EOI.
  if (current >= 0 && nextCode + 1 >= 1 << width && width < 12) width++;
  emit(EOI);
  if (bitCount > 0) chunks.push((bitBuffer << (8 - bitCount)) & 0xff);
  return Uint8Array.from(chunks);
}
