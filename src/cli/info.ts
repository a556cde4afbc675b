import type { ImageInfo } from '../io/read-image.js';

/** Human-readable `cellscope info` output. */
export function formatImageInfo(info: ImageInfo): string {
  const size = info.pixelSizeUm;
  const pixel = size
    ? `${round(size.x)} × ${round(size.y)} µm${size.z === undefined ? '' : `, z step ${round(size.z)} µm`}`
    : 'unknown';
  const rows = info.channels.map((c) =>
    [c.name, round(c.min), round(c.max), round(c.mean)].map(String),
  );
  const header = ['channel', 'min', 'max', 'mean'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `file        ${info.file}`,
    `format      ${info.format.toUpperCase()}`,
    `axes        ${info.axes}`,
    `shape       ${info.shape.join(' × ')}`,
    `dtype       ${info.dtype}`,
    `pixel size  ${pixel}`,
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}

function round(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(6));
}
