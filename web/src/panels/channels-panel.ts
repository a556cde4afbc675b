// Per-channel colour, contrast and visibility; changes ask the engine for a new composite.
import type { ChannelDisplay, ImageInfo, Rgb } from '../engine/protocol.js';
import { h } from '../ui/dom.js';
import { shortChannelNames } from '../names.js';
import { defaultChannelColours } from './channel-colours.js';

export class ChannelsPanel {
  private displays: ChannelDisplay[] = [];
  private info?: ImageInfo;

  constructor(
    private readonly container: HTMLElement,
    private readonly onChange: (displays: ChannelDisplay[]) => void,
  ) {}

  setImage(info: ImageInfo): ChannelDisplay[] {
    this.info = info;
    const colours = defaultChannelColours(info);
    this.displays = info.ranges.map((range, c) => ({
      visible: true,
      colour: colours[c],
      min: range.autoMin,
      max: range.autoMax,
    }));
    this.render();
    return this.displays;
  }

  /** Shows saved displays (a restored session) without reporting a change. */
  apply(displays: ChannelDisplay[]): void {
    if (displays.length === this.displays.length) this.displays = structuredClone(displays);
    this.render();
  }

  get current(): ChannelDisplay[] {
    return this.displays;
  }

  private render(): void {
    const info = this.info!;
    const shortNames = shortChannelNames(info.channelNames);
    this.container.replaceChildren(
      ...this.displays.map((display, c) => {
        const range = info.ranges[c];
        const step = info.dtype.startsWith('float') ? (range.max - range.min) / 1000 || 0.001 : 1;
        const min = numberInput(display.min, range.min, range.max, step, (v) =>
          this.update(c, { min: v }),
        );
        const max = numberInput(display.max, range.min, range.max, step, (v) =>
          this.update(c, { max: v }),
        );
        const slider = (value: number, apply: (v: number) => void, input: HTMLInputElement) =>
          h('input', {
            type: 'range',
            min: range.min,
            max: range.max,
            step,
            value,
            oninput: (event: Event) => {
              const v = Number((event.target as HTMLInputElement).value);
              input.value = String(v);
              apply(v);
            },
          });
        return h(
          'div',
          { class: 'channel', testid: `channel-${c}` },
          h(
            'div',
            { class: 'channel-head' },
            h('input', {
              type: 'checkbox',
              checked: display.visible,
              title: 'show this channel',
              onchange: (event: Event) =>
                this.update(c, { visible: (event.target as HTMLInputElement).checked }),
            }),
            h('input', {
              type: 'color',
              value: toHex(display.colour),
              title: 'channel colour',
              oninput: (event: Event) =>
                this.update(c, { colour: fromHex((event.target as HTMLInputElement).value) }),
            }),
            h('span', { class: 'channel-name', title: info.channelNames[c] }, shortNames[c]),
            h(
              'button',
              {
                class: 'small',
                title: 'auto contrast (0.35–99.8th percentile)',
                onclick: () => {
                  this.update(c, { min: range.autoMin, max: range.autoMax });
                  this.render();
                },
              },
              'auto',
            ),
          ),
          // One row: black point (number, slider), white point (slider, number).
          h(
            'div',
            { class: 'contrast', title: 'black and white points' },
            min,
            slider(display.min, (v) => this.update(c, { min: v }), min),
            slider(display.max, (v) => this.update(c, { max: v }), max),
            max,
          ),
        );
      }),
    );
  }

  private update(channel: number, change: Partial<ChannelDisplay>): void {
    this.displays = this.displays.map((d, c) => (c === channel ? { ...d, ...change } : d));
    this.onChange(this.displays);
  }
}

function numberInput(
  value: number,
  min: number,
  max: number,
  step: number,
  apply: (v: number) => void,
): HTMLInputElement {
  return h('input', {
    type: 'number',
    class: 'contrast-value',
    value: round(value),
    min,
    max,
    step,
    onchange: (event: Event) => apply(Number((event.target as HTMLInputElement).value)),
  });
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function fromHex(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}
