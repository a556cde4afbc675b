import { describe, expect, it } from 'vitest';
import { ImageFormatError, UnsupportedError } from '../../../errors.js';
import { seededRandom } from '../../../synth/random.js';
import { decodeLzw, encodeLzw } from '../lzw.js';

/**
 * TIFF 6.0 §13 LZW read the slow, obvious way: MSB-first codes, a table of byte arrays, one
 * more bit once the table holds 2^width − 1 entries (the "early change" libtiff writes).
 */
function referenceDecode(stream: Uint8Array): {
  bytes: number[];
  clears: number;
  eoiWidth: number;
} {
  let bit = 0;
  const read = (width: number): number => {
    let code = 0;
    for (let k = 0; k < width; k++, bit++)
      code = (code << 1) | ((stream[bit >> 3] >> (7 - (bit & 7))) & 1);
    return code;
  };
  const bytes: number[] = [];
  let table: number[][] = [];
  let width = 9;
  let previous: number[] | undefined;
  let clears = 0;
  const reset = (): void => {
    table = Array.from({ length: 258 }, (_, i) => [i]);
    width = 9;
    previous = undefined;
  };
  reset();
  while (bit + width <= stream.length * 8) {
    const code = read(width);
    if (code === 256) {
      clears++;
      reset();
      continue;
    }
    if (code === 257) return { bytes, clears, eoiWidth: width };
    const entry = code < table.length ? table[code] : [...previous!, previous![0]];
    bytes.push(...entry);
    if (previous && table.length < 4096) table.push([...previous, entry[0]]);
    previous = entry;
    if (table.length + 1 >= 1 << width && width < 12) width++;
  }
  throw new Error('stream has no EOI code');
}

/** Decodes into a buffer of exactly `expected.length` bytes and compares (fast, for long data). */
function decodesTo(stream: Uint8Array, expected: ArrayLike<number>): boolean {
  const out = new Uint8Array(expected.length);
  return (
    decodeLzw(stream, out) === expected.length &&
    Buffer.from(out).equals(Buffer.from(Uint8Array.from(expected)))
  );
}

function sameBytes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return Buffer.from(Uint8Array.from(a)).equals(Buffer.from(Uint8Array.from(b)));
}

const random = seededRandom(3);
const noise = Uint8Array.from({ length: 5000 }, () => Math.floor(random() * 256));

describe('LZW', () => {
  it('round-trips random bytes through several table resets', () => {
    const data = Uint8Array.from({ length: 30_000 }, () => Math.floor(random() * 256));
    const stream = encodeLzw(data);
    const reference = referenceDecode(stream);
    expect(reference.clears).toBeGreaterThanOrEqual(6); // one at the start, then every 4094 codes
    expect(sameBytes(reference.bytes, data)).toBe(true);
    expect(decodesTo(stream, data)).toBe(true);
  });

  it('round-trips repetitive data: long runs and repeated patterns', () => {
    const data = new Uint8Array(100_000);
    for (let i = 0; i < data.length; i++) {
      const block = Math.floor(i / 5000);
      // Runs of one byte (the KwKwK case, strings past 16 bytes), then short repeating patterns.
      data[i] = block % 2 === 0 ? block : 'microscopy'.charCodeAt(i % (3 + (block % 7)));
    }
    const stream = encodeLzw(data);
    expect(stream.length).toBeLessThan(data.length / 10);
    expect(sameBytes(referenceDecode(stream).bytes, data)).toBe(true);
    expect(decodesTo(stream, data)).toBe(true);
  });

  it('round-trips 16-bit image rows with noise', () => {
    const samples = Uint16Array.from({ length: 40_000 }, (_, i) =>
      Math.round(300 + 200 * Math.sin(i / 700) + 20 * random()),
    );
    const data = new Uint8Array(samples.buffer);
    expect(decodesTo(encodeLzw(data), data)).toBe(true);
  });

  // Lengths around the points where this input's last code is written with one more bit
  // (510/1022/2046 table entries) and where the table is cleared (4094 entries).
  it.each([
    [254, 10, 1],
    [770, 11, 1],
    [1810, 12, 1],
    [3949, 9, 2],
  ])(
    'round-trips every length around %i bytes, where codes widen or the table resets',
    (at, width, clears) => {
      const seen = new Set<string>();
      for (let n = at - 6; n <= at + 6; n++) {
        const data = noise.subarray(0, n);
        const stream = encodeLzw(data);
        const reference = referenceDecode(stream);
        expect(sameBytes(reference.bytes, data)).toBe(true);
        expect(decodesTo(stream, data)).toBe(true);
        seen.add(`${reference.eoiWidth}/${reference.clears}`);
      }
      // The window really straddles the change.
      expect(seen).toContain(`${width}/${clears}`);
      expect(seen.size).toBe(2);
    },
  );

  it('stops at the end of a shorter output buffer', () => {
    const stream = encodeLzw(noise);
    const out = new Uint8Array(1234);
    expect(decodeLzw(stream, out)).toBe(1234);
    expect(out).toEqual(noise.subarray(0, 1234));
  });

  it('keeps what it decoded when the stream ends without EOI', () => {
    const stream = encodeLzw(noise).subarray(0, 1000);
    const out = new Uint8Array(noise.length);
    const written = decodeLzw(stream, out);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(noise.length);
    expect(out.subarray(0, written)).toEqual(noise.subarray(0, written));
  });

  it('rejects a code that is not in the table yet', () => {
    // CLEAR, 'A', then code 400 (9 bits each): only 258 is defined at that point.
    const codes = [256, 65, 400];
    let bits = '';
    for (const code of codes) bits += code.toString(2).padStart(9, '0');
    const stream = Uint8Array.from(bits.padEnd(32, '0').match(/.{8}/g)!, (b) => parseInt(b, 2));
    expect(() => decodeLzw(stream, new Uint8Array(100))).toThrow(ImageFormatError);
  });

  it('refuses old-style LZW, whose streams start with a zero byte and a set low bit', () => {
    expect(() => decodeLzw(Uint8Array.of(0, 1, 2, 3), new Uint8Array(10))).toThrow(
      UnsupportedError,
    );
  });
});
