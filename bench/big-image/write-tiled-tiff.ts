import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

/**
 * A classic little-endian TIFF of `channels` uint16 pages, tiled and deflate-compressed, written
 * tile by tile so a 16k² slide never sits in memory: `tile(row, col)` returns one tile per
 * channel. The ImageJ description names the channels, so cellscope reads them as C0…C2.
 */
export function writeTiledTiff(
  path: string,
  size: { width: number; height: number; tile: number; channels: number },
  tile: (row: number, col: number) => Uint16Array[],
): void {
  const { width, height, channels } = size;
  const across = Math.ceil(width / size.tile);
  const down = Math.ceil(height / size.tile);
  const offsets = Array.from({ length: channels }, () => new Array<number>(across * down));
  const counts = Array.from({ length: channels }, () => new Array<number>(across * down));
  const temp = `${path}.part`;
  const fd = openSync(temp, 'w');
  let at = 8;
  const write = (bytes: Uint8Array): void => {
    writeSync(fd, bytes, 0, bytes.length, at);
    at += bytes.length;
  };
  for (let row = 0; row < down; row++) {
    for (let col = 0; col < across; col++) {
      tile(row, col).forEach((data, c) => {
        const packed = deflateSync(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        offsets[c][row * across + col] = at;
        counts[c][row * across + col] = packed.length;
        write(packed);
      });
    }
  }
  if (at % 2) write(new Uint8Array(1));
  const description = new TextEncoder().encode(
    `ImageJ=1.11a\nimages=${channels}\nchannels=${channels}\nhyperstack=true\nmode=grayscale\n\0`,
  );
  let firstIfd = 0;
  let previousNext = -1;
  for (let c = 0; c < channels; c++) {
    const arrays = new Uint8Array(4 * 2 * across * down + description.length + 1);
    const view = new DataView(arrays.buffer);
    const base = at;
    offsets[c].forEach((v, i) => view.setUint32(4 * i, v, true));
    counts[c].forEach((v, i) => view.setUint32(4 * (across * down + i), v, true));
    arrays.set(description, 8 * across * down);
    write(arrays);
    if (at % 2) write(new Uint8Array(1));
    const entries: [number, number, number, number][] = [
      [256, 4, 1, width],
      [257, 4, 1, height],
      [258, 3, 1, 16],
      [259, 3, 1, 8],
      [262, 3, 1, 1],
      ...(c === 0 ? ([[270, 2, description.length, base + 8 * across * down]] as const) : []),
      [277, 3, 1, 1],
      [322, 3, 1, size.tile],
      [323, 3, 1, size.tile],
      [324, 4, across * down, base],
      [325, 4, across * down, base + 4 * across * down],
    ].map((e) => [...e] as [number, number, number, number]);
    const ifd = new Uint8Array(2 + 12 * entries.length + 4);
    const iv = new DataView(ifd.buffer);
    iv.setUint16(0, entries.length, true);
    entries.forEach(([tag, type, count, value], i) => {
      iv.setUint16(2 + 12 * i, tag, true);
      iv.setUint16(4 + 12 * i, type, true);
      iv.setUint32(6 + 12 * i, count, true);
      if (type === 3 && count === 1) iv.setUint16(10 + 12 * i, value, true);
      else iv.setUint32(10 + 12 * i, value, true);
    });
    const ifdAt = at;
    write(ifd);
    if (previousNext >= 0) {
      const link = new Uint8Array(4);
      new DataView(link.buffer).setUint32(0, ifdAt, true);
      writeSync(fd, link, 0, 4, previousNext);
    } else {
      firstIfd = ifdAt;
    }
    previousNext = ifdAt + 2 + 12 * entries.length;
  }
  const header = new Uint8Array(8);
  header.set([0x49, 0x49, 42, 0]);
  new DataView(header.buffer).setUint32(4, firstIfd, true);
  writeSync(fd, header, 0, 8, 0);
  closeSync(fd);
  renameSync(temp, path);
}
