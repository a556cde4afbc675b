// The status-bar readout under the cursor: position, every channel's value, the labels there.
// Channel names are shortened so that long ones never push a value off the bar.
import { shortChannelNames } from '../names.js';
import { h } from './dom.js';
import './readout.css';

/** Characters all channel names share in the bar; each gets its part, within [4, 14]. */
const NAME_BUDGET = 36;

/** Cuts the middle out of a long name: both its start (`DAPI…`) and end (`…d0`) tell channels apart. */
export function abbreviate(name: string, maxChars: number): string {
  const chars = [...name];
  if (chars.length <= maxChars) return name;
  const head = Math.ceil((maxChars - 1) / 2);
  const tail = maxChars - 1 - head;
  const start = chars.slice(0, head).join('').trimEnd();
  const end = tail > 0 ? chars.slice(-tail).join('').trimStart() : '';
  return `${start}…${end}`;
}

/** The names the readout shows: shared prefixes dropped, then each cut to its share of the bar. */
export function readoutChannelNames(names: readonly string[]): string[] {
  const maxChars = Math.min(14, Math.max(4, Math.floor(NAME_BUDGET / Math.max(1, names.length))));
  return shortChannelNames(names).map((name) => abbreviate(name, maxChars));
}

export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

export interface ReadoutValues {
  x: number;
  y: number;
  channelNames: readonly string[];
  values: readonly number[];
  /** The nucleus and cell under the cursor, when there are labels. */
  labels?: { nucleus: number; cell: number };
}

/** Fills the readout: values never shrink; names shrink (ellipsis) only if the bar is still too narrow. */
export function renderReadout(element: HTMLElement, readout: ReadoutValues): void {
  const names = readoutChannelNames(readout.channelNames);
  const parts: (Node | string)[] = [
    h('span', { class: 'readout-fixed' }, `x ${Math.floor(readout.x)}, y ${Math.floor(readout.y)}`),
  ];
  readout.values.forEach((value, c) => {
    parts.push(
      ' · ',
      h(
        'span',
        { class: 'readout-channel', title: readout.channelNames[c] },
        h('span', { class: 'readout-name' }, names[c]),
        ' ',
        h('span', { class: 'readout-fixed', testid: `readout-value-${c}` }, formatValue(value)),
      ),
    );
  });
  if (readout.labels) {
    const { nucleus, cell } = readout.labels;
    parts.push(
      ' · ',
      h('span', { class: 'readout-fixed' }, `nucleus ${nucleus || '–'} · cell ${cell || '–'}`),
    );
  }
  element.replaceChildren(...parts);
}
