// How each label layer is drawn over the image (as napari's and QuPath's layer controls): mode,
// colouring (random, one colour, or a measurement with a legend), opacity and contour width,
// plus "selected only". Changes ask the app for a new overlay.
import type { Table } from 'cellscope/browser';
import { viridisGradient } from '../engine/colormap.js';
import type {
  Layer,
  LayerOverlay,
  OverlayColouring,
  OverlayMode,
  Rgb,
} from '../engine/protocol.js';
import { h } from '../ui/dom.js';
import './overlay-panel.css';

export interface OverlayChoices {
  nuclei: LayerOverlay;
  cells: LayerOverlay;
  selectedOnly: boolean;
}

const LAYERS: Layer[] = ['nuclei', 'cells'];
const COLOURINGS: [OverlayColouring, string][] = [
  ['random', 'random colours'],
  ['single', 'one colour'],
  ['measurement', 'by measurement'],
];

function defaults(colour: Rgb): LayerOverlay {
  return { mode: 'contours', opacity: 0.4, colouring: 'random', colour, contourWidth: 1.5 };
}

export class OverlayPanel {
  private choices: OverlayChoices = {
    nuclei: defaults([0, 229, 255]),
    cells: defaults([255, 92, 205]),
    selectedOnly: false,
  };
  private tables: Partial<Record<Layer, Table>> = {};

  constructor(
    private readonly container: HTMLElement,
    private readonly onChange: () => void,
  ) {
    this.render();
  }

  get current(): OverlayChoices {
    return this.choices;
  }

  /** Shows saved choices (a restored session or project) without reporting a change. */
  apply(choices: OverlayChoices): void {
    // Fields a newer app added fall back to their defaults.
    const base = new OverlayPanel(document.createElement('div'), () => {}).choices;
    this.choices = structuredClone({
      ...base,
      ...choices,
      nuclei: { ...base.nuclei, ...choices.nuclei },
      cells: { ...base.cells, ...choices.cells },
    });
    this.render();
  }

  /** The tables whose columns 'by measurement' offers (and whose ranges the legends span). */
  setTables(tables: Partial<Record<Layer, Table>>): void {
    this.tables = tables;
    for (const layer of LAYERS) {
      const look = this.choices[layer];
      const column = look.measurement?.column;
      if (column) look.measurement = this.rangeOf(layer, column);
    }
    this.render();
  }

  private columns(layer: Layer): string[] {
    const table = this.tables[layer];
    if (!table) return [];
    return Object.keys(table.columns).filter(
      (c) => c !== 'label' && typeof (table.columns[c] as ArrayLike<unknown>)[0] === 'number',
    );
  }

  /** The column's finite range in the layer's table (undefined when it has none). */
  private rangeOf(layer: Layer, column: string): LayerOverlay['measurement'] {
    const values = this.tables[layer]?.columns[column] as ArrayLike<number> | undefined;
    if (!values) return undefined;
    let [min, max] = [Infinity, -Infinity];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v)) [min, max] = [Math.min(min, v), Math.max(max, v)];
    }
    return min <= max ? { column, min, max } : undefined;
  }

  private change(layer: Layer, change: Partial<LayerOverlay>): void {
    Object.assign(this.choices[layer], change);
    const look = this.choices[layer];
    if (look.colouring === 'measurement' && !look.measurement) {
      const first = this.columns(layer).find((c) => /area/.test(c)) ?? this.columns(layer)[0];
      look.measurement = first ? this.rangeOf(layer, first) : undefined;
    }
    this.render();
    this.onChange();
  }

  private render(): void {
    this.container.replaceChildren(
      ...LAYERS.map((layer) => this.layerControls(layer)),
      h(
        'label',
        { class: 'row check', title: 'draw only the selected objects of the layer being edited' },
        h('input', {
          type: 'checkbox',
          testid: 'overlay-selected-only',
          checked: this.choices.selectedOnly,
          onchange: (event: Event) => {
            this.choices.selectedOnly = (event.target as HTMLInputElement).checked;
            this.onChange();
          },
        }),
        h('span', {}, 'selected only'),
      ),
    );
  }

  private layerControls(layer: Layer): HTMLElement {
    const look = this.choices[layer];
    const id = (what: string) => `overlay-${layer}${what ? `-${what}` : ''}`;
    const select = <T extends string>(
      testid: string,
      options: [T, string][],
      value: T,
      apply: (v: T) => void,
    ) =>
      h(
        'select',
        {
          testid,
          onchange: (event: Event) => apply((event.target as HTMLSelectElement).value as T),
        },
        ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
      );
    const mode = select<OverlayMode>(
      id(''),
      [
        ['contours', 'contours'],
        ['filled', 'filled'],
        ['off', 'off'],
      ],
      look.mode,
      (v) => this.change(layer, { mode: v }),
    );
    const colouring = select<OverlayColouring>(id('colouring'), COLOURINGS, look.colouring, (v) =>
      this.change(layer, { colouring: v }),
    );
    const detail =
      look.colouring === 'single'
        ? h('input', {
            type: 'color',
            testid: id('colour'),
            value: `#${look.colour.map((c) => c.toString(16).padStart(2, '0')).join('')}`,
            oninput: (event: Event) => {
              const hex = (event.target as HTMLInputElement).value;
              const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
              this.change(layer, { colour: rgb });
            },
          })
        : look.colouring === 'measurement'
          ? select(
              id('measurement'),
              this.columns(layer).map((c) => [c, c] as [string, string]),
              look.measurement?.column ?? '',
              (v) => this.change(layer, { measurement: this.rangeOf(layer, v) }),
            )
          : null;
    const opacity = h('input', {
      type: 'range',
      testid: id('opacity'),
      min: 0,
      max: 1,
      step: 0.05,
      value: look.opacity,
      title: 'fill opacity',
      oninput: (event: Event) =>
        this.change(layer, { opacity: Number((event.target as HTMLInputElement).value) }),
    });
    const width = h('input', {
      type: 'number',
      testid: id('width'),
      class: 'contour-width',
      min: 0.5,
      max: 10,
      step: 0.5,
      value: look.contourWidth,
      title: 'contour width in screen pixels (kept at every zoom)',
      onchange: (event: Event) => {
        const value = Number((event.target as HTMLInputElement).value);
        if (value > 0) this.change(layer, { contourWidth: value });
      },
    });
    const m = look.colouring === 'measurement' ? look.measurement : undefined;
    const legend = m
      ? h(
          'div',
          { class: 'legend', testid: id('legend') },
          h('span', {}, format(m.min)),
          h('span', { class: 'legend-bar', style: `background: ${viridisGradient()}` }),
          h('span', {}, format(m.max)),
        )
      : null;
    return h(
      'div',
      { class: 'overlay-layer', testid: id('controls') },
      h(
        'div',
        { class: 'overlay-row' },
        h('span', { class: 'layer-name' }, layer),
        mode,
        colouring,
      ),
      detail && h('div', { class: 'overlay-row' }, detail),
      legend,
      h(
        'div',
        { class: 'overlay-row' },
        h('span', {}, 'opacity'),
        opacity,
        h('span', {}, 'width'),
        width,
      ),
    );
  }
}

function format(value: number): string {
  return Math.abs(value) >= 1000 || Number.isInteger(value)
    ? String(Math.round(value))
    : value.toPrecision(3);
}
