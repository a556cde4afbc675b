import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ImageFormatError, UnsupportedError } from '../../../errors.js';
import { decodeTiffArray } from '../read.js';
import { craftTiff } from './craft.js';

// Memory bombs from issue 15: small files whose headers ask for gigabytes. Each must be read
// correctly with bounded memory, or refused before anything large is allocated.

const DEFLATE = 8;

/** Bytes no codec can decode: padding that must never be reached. */
const junk = (n: number): Uint8Array => new Uint8Array(n).fill(0xff);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('TIFF memory limits', () => {
  it('decodes only the rows of a huge tile that fall inside a 16 × 16 page', () => {
    // The header says 16 × 16 with one 65520² tile (4.3 GB decoded); the stream holds the 16 rows
    // the page shows, then junk a full-tile decoder would run into.
    const tile = 65520;
    const rows = new Uint8Array(16 * tile);
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) rows[y * tile + x] = y * 16 + x;
    const blob = concat(zlibSync(rows), junk(3_950_000));
    const file = craftTiff(
      [blob],
      [
        {
          width: 16,
          height: 16,
          compression: DEFLATE,
          tile: { width: tile, height: tile },
          chunks: [0],
        },
      ],
    );
    const started = performance.now();
    const array = decodeTiffArray(file);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(array.shape).toEqual([16, 16]);
    expect(Array.from(array.data)).toEqual(Array.from({ length: 256 }, (_, i) => i));
  });

  it('refuses a tile whose visible rows alone would decode to more than 64 MiB', () => {
    const width = 2 ** 26 + 16;
    const file = craftTiff(
      [junk(62_000)],
      [{ width: 16, height: 1, compression: DEFLATE, tile: { width, height: 1 }, chunks: [0] }],
    );
    expect(() => decodeTiffArray(file)).toThrow(ImageFormatError);
    expect(() => decodeTiffArray(file)).toThrow(/would take 67108880 bytes to decode, more than/);
  });

  it('refuses 200 pages that all point at one small deflate strip (a shared-strip bomb)', () => {
    const strip = zlibSync(new Uint8Array(1000 * 1000), { level: 9 });
    expect(strip.length).toBeLessThan(2000);
    const pages = Array.from({ length: 200 }, () => ({
      width: 1000,
      height: 1000,
      compression: DEFLATE,
      chunks: [0],
    }));
    const file = craftTiff([strip], pages);
    const started = performance.now();
    expect(() => decodeTiffArray(file)).toThrow(
      /200 pages declare 190\.7 MiB of pixels but share only \d+ distinct bytes/,
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('still reads a small file whose pages share one strip', () => {
    const strip = Uint8Array.from({ length: 16 }, (_, i) => i);
    const pages = Array.from({ length: 2 }, () => ({ width: 4, height: 4, chunks: [0] }));
    const file = craftTiff([strip, junk(32)], pages);
    const array = decodeTiffArray(file);
    expect(array.shape).toEqual([2, 4, 4]);
    expect(Array.from(array.data.subarray(16))).toEqual(Array.from(strip));
  });

  it('refuses a 40000² deflate image by its pixel count before decoding anything', () => {
    const file = craftTiff(
      [junk(1_500_000)],
      [{ width: 40000, height: 40000, compression: DEFLATE, chunks: [0] }],
    );
    const error = (() => {
      try {
        decodeTiffArray(file);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as UnsupportedError).message).toBe(
      'image has 1.60 G pixels (40000 × 40000), over the limit of 1.07 G',
    );
    expect((error as UnsupportedError).hint).toMatch(/--max-pixels/);
  });

  it('applies maxPixels to every plane and sample', () => {
    const data = new Uint8Array(64 * 64).fill(7);
    const pages = Array.from({ length: 3 }, (_, p) => ({ width: 64, height: 64, chunks: [p] }));
    const file = craftTiff([data, data.slice(), data.slice()], pages);
    expect(() => decodeTiffArray(file, { maxPixels: 64 * 64 * 3 - 1 })).toThrow(
      'image has 12288 pixels (64 × 64 × 3 planes), over the limit of 12287',
    );
    expect(decodeTiffArray(file, { maxPixels: 64 * 64 * 3 }).shape).toEqual([3, 64, 64]);
  });

  it('fails on a truncated 2-channel OME-TIFF instead of reading one channel', () => {
    const ome =
      '<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">' +
      '<Image ID="Image:0"><Pixels DimensionOrder="XYCZT" Type="uint8" SizeX="8" SizeY="8" ' +
      'SizeC="2" SizeZ="1" SizeT="1"><Channel ID="Channel:0:0" Name="DNA"/>' +
      '<Channel ID="Channel:0:1" Name="Actin"/></Pixels></Image></OME>';
    const page = { width: 8, height: 8, chunks: [0] };
    const plane = new Uint8Array(64).fill(3);
    const truncated = craftTiff([plane], [{ ...page, description: ome }]);
    expect(() => decodeTiffArray(truncated)).toThrow(ImageFormatError);
    expect(() => decodeTiffArray(truncated)).toThrow(
      'OME-XML declares 2 planes (C 2, Z 1, T 1) but the file holds 1 readable page (truncated?)',
    );
    const whole = craftTiff(
      [plane, plane.slice()],
      [
        { ...page, description: ome },
        { ...page, chunks: [1] },
      ],
    );
    const array = decodeTiffArray(whole);
    expect(array.axes).toBe('CYX');
    expect(array.channelNames).toEqual(['DNA', 'Actin']);
  });
});
