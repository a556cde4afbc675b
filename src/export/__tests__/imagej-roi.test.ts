import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../errors.js';
import { fillRings, randomLabels } from '../../measure/contours/__tests__/fill.js';
import { encodeImagejRoi, labelsToImagejRoiZip } from '../imagej-roi.js';

/**
 * An ImageJ ROI reader written from the format ij.io.RoiDecoder documents (big-endian header:
 * "Iout", version, type byte at 6, top/left/bottom/right shorts, n at 16, shape-array size at 36,
 * options at 50, header-2 offset at 60; coordinates from 64), independent of the encoder.
 */
function decodeRoi(bytes: Uint8Array): { name: string; type: number; rings: number[][] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('Iout');
  expect(view.getUint16(4)).toBeGreaterThanOrEqual(222);
  // RoiDecoder.getShort: signed, but values below -5000 are read as unsigned.
  const short = (at: number): number => {
    const v = view.getInt16(at);
    return v < -5000 ? v & 0xffff : v;
  };
  const type = bytes[6];
  const top = short(8);
  const left = short(10);
  const shapeSize = view.getInt32(36);
  const options = view.getInt16(50);
  const header2 = view.getInt32(60);
  const nameAt = view.getInt32(header2 + 16);
  const nameLength = view.getInt32(header2 + 20);
  let name = '';
  for (let i = 0; i < nameLength; i++) name += String.fromCharCode(view.getUint16(nameAt + 2 * i));

  const rings: number[][] = [];
  if (shapeSize > 0) {
    expect(type).toBe(1); // composite ROIs are stored as type rect
    let ring: number[] = [];
    for (let at = 64; at < 64 + 4 * shapeSize;) {
      const segment = view.getFloat32(at);
      at += 4;
      if (segment === 0 || segment === 1) {
        if (segment === 0) ring = [];
        ring.push(view.getFloat32(at), view.getFloat32(at + 4));
        at += 8;
      } else {
        expect(segment).toBe(4); // SEG_CLOSE; no curves in a traced outline
        rings.push(ring);
      }
    }
  } else {
    expect([0, 7, 8]).toContain(type); // polygon, freehand, traced
    const n = view.getUint16(16);
    const subpixel = (options & 128) !== 0;
    const ring: number[] = [];
    for (let i = 0; i < n; i++) {
      if (subpixel) {
        ring.push(view.getFloat32(64 + 4 * n + 4 * i), view.getFloat32(64 + 8 * n + 4 * i));
      } else {
        ring.push(
          left + Math.max(0, short(64 + 2 * i)),
          top + Math.max(0, short(64 + 2 * n + 2 * i)),
        );
      }
    }
    rings.push(ring);
  }
  return { name, type, rings };
}

/** The entries of a zip (local headers; stored or deflated), as java.util.zip.ZipInputStream reads them. */
function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = new Map<string, Uint8Array>();
  let at = 0;
  while (view.getUint32(at, true) === 0x04034b50) {
    const flags = view.getUint16(at + 6, true);
    const method = view.getUint16(at + 8, true);
    const compressed = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const extra = view.getUint16(at + 28, true);
    expect(flags & 8).toBe(0); // sizes in the local header, no data descriptor
    const name = new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength));
    const start = at + 30 + nameLength + extra;
    const data = bytes.subarray(start, start + compressed);
    expect([0, 8]).toContain(method);
    entries.set(name, method === 0 ? data : new Uint8Array(inflateRawSync(data)));
    at = start + compressed;
  }
  return entries;
}

describe('ImageJ ROI zip', () => {
  const cases = [
    { width: 30, height: 20, count: 6, seed: 11 },
    { width: 64, height: 48, count: 25, seed: 12 },
    { width: 120, height: 90, count: 80, seed: 13 },
  ];
  it.each(cases)(
    'every ROI of random labels $width×$height fills back to exactly its object (seed $seed)',
    ({ width, height, count, seed }) => {
      const labels = randomLabels(width, height, count, seed);
      const entries = readZip(labelsToImagejRoiZip(labels));
      const present = [...new Set(labels.data)].filter((v) => v !== 0).sort((a, b) => a - b);
      expect([...entries.keys()]).toEqual(present.map((v) => `${v}.roi`));
      let composites = 0;
      for (const label of present) {
        const roi = decodeRoi(entries.get(`${label}.roi`)!);
        expect(roi.name).toBe(String(label));
        if (roi.type === 1) composites++;
        const mask = fillRings(roi.rings, width, height);
        const wrong = mask.filter((v, i) => v !== (labels.data[i] === label ? 1 : 0));
        expect(wrong.length, `label ${label}: pixels filled wrongly`).toBe(0);
      }
      // The salt pixels make objects of several pieces: composite ROIs are exercised.
      expect(composites).toBeGreaterThan(0);
    },
  );
  it('ran every case', () => expect(cases).toHaveLength(3));

  it('writes a one-piece object as a traced polygon with coordinates relative to its bounds', () => {
    const bytes = encodeImagejRoi({
      label: 7,
      polygons: [{ exterior: [3, 2, 5, 2, 5, 4, 3, 4], holes: [] }],
    });
    const view = new DataView(bytes.buffer);
    expect([view.getInt16(8), view.getInt16(10), view.getInt16(12), view.getInt16(14)]).toEqual([
      2, 3, 4, 5,
    ]);
    expect(bytes[6]).toBe(8);
    expect(view.getUint16(16)).toBe(4);
    expect([0, 1, 2, 3].map((i) => view.getInt16(64 + 2 * i))).toEqual([0, 2, 2, 0]);
    expect(decodeRoi(bytes)).toEqual({ name: '7', type: 8, rings: [[3, 2, 5, 2, 5, 4, 3, 4]] });
  });

  it('stores objects past x = 60535 with exact float coordinates, as ImageJ does', () => {
    const ring = [70000, 100, 70003, 100, 70003, 102, 70000, 102];
    const roi = decodeRoi(encodeImagejRoi({ label: 1, polygons: [{ exterior: ring, holes: [] }] }));
    expect(roi.rings).toEqual([ring]);
  });

  it('refuses objects past 2^24 pixels, which float32 cannot hold exactly', () => {
    const ring = [2 ** 24, 0, 2 ** 24 + 2, 0, 2 ** 24 + 2, 1, 2 ** 24, 1];
    expect(() => encodeImagejRoi({ label: 1, polygons: [{ exterior: ring, holes: [] }] })).toThrow(
      UnsupportedError,
    );
  });
});
