// What the page says about the open image and about an error, in a person's words.
import type { ImageInfo } from '../engine/protocol.js';
import { h } from './dom.js';

/** The Image panel: name, size, pixel type, axes, channels and pixel size. */
export function describeImage(info: ImageInfo): HTMLElement[] {
  const size = `${info.width} × ${info.height}`;
  const pixel = info.pixelSizeUm
    ? `${info.pixelSizeUm.x.toPrecision(4)} µm/px`
    : 'pixel size unknown';
  return [
    h('div', { class: 'image-name', title: info.files.join('\n') }, info.name),
    h('div', {}, `${size} · ${info.dtype} · axes ${info.axes}`),
    h(
      'div',
      {},
      `${info.channelNames.length} channel${info.channelNames.length > 1 ? 's' : ''} · ${pixel}`,
    ),
  ];
}

/** One line for a person: the file, what is wrong, and what to do (as the CLI prints it). */
export function describeError(error: unknown): string {
  const e = error as { message?: string; file?: string; hint?: string };
  const where = e?.file ? `${e.file}: ` : '';
  const hint = e?.hint ? ` (${e.hint})` : '';
  return `${where}${e?.message ?? String(error)}${hint}`;
}
