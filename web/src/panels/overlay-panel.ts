// How the label layers are drawn over the image; changes ask the app for a new overlay.
import type { Layer, OverlayMode } from '../engine/protocol.js';
import { h } from '../ui/dom.js';

export interface OverlayChoices {
  modes: Record<Layer, OverlayMode>;
  opacity: number;
}

export class OverlayPanel {
  private choices: OverlayChoices = {
    modes: { nuclei: 'contours', cells: 'contours' },
    opacity: 0.4,
  };

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
    this.choices = structuredClone(choices);
    this.render();
  }

  private render(): void {
    const modeSelect = (layer: Layer) =>
      h(
        'select',
        {
          testid: `overlay-${layer}`,
          onchange: (event: Event) => {
            this.choices.modes[layer] = (event.target as HTMLSelectElement).value as OverlayMode;
            this.onChange();
          },
        },
        ...(['contours', 'filled', 'off'] as const).map((m) =>
          h('option', { value: m, selected: this.choices.modes[layer] === m }, m),
        ),
      );
    const opacity = h('input', {
      type: 'range',
      min: 0,
      max: 1,
      step: 0.05,
      value: this.choices.opacity,
      oninput: (event: Event) => {
        this.choices.opacity = Number((event.target as HTMLInputElement).value);
        this.onChange();
      },
    });
    const row = (label: string, control: HTMLElement) =>
      h('label', { class: 'row' }, h('span', {}, label), control);
    this.container.replaceChildren(
      row('nuclei', modeSelect('nuclei')),
      row('cells', modeSelect('cells')),
      row('fill opacity', opacity),
    );
  }
}
