// The run controls under the segmentation settings: which steps run, where (the whole image or
// the part in view), and whether the labels a run replaces stay as a "previous" layer, which
// the user can show, hide or delete.
import type { RunSteps } from '../engine/protocol.js';
import { h } from '../ui/dom.js';

export interface RunChoice {
  steps: RunSteps;
  where: 'image' | 'view';
  keepPrevious: boolean;
}

export interface RunControlCallbacks {
  /** Show or hide the previous layer. */
  showPrevious(show: boolean): void;
  dropPrevious(): void;
}

export class RunControlPanel {
  readonly element: HTMLElement;
  private readonly steps: HTMLSelectElement;
  private readonly where: HTMLSelectElement;
  private readonly keep: HTMLInputElement;
  private readonly show: HTMLInputElement;
  private readonly previousRow: HTMLElement;

  constructor(callbacks: RunControlCallbacks) {
    const option = (value: string, text: string) => h('option', { value }, text);
    this.steps = h(
      'select',
      {
        testid: 'run-steps',
        title: 'cells only keeps the nuclei there are (also edited ones) and grows cells from them',
      },
      option('both', 'nuclei and cells'),
      option('nuclei', 'nuclei only'),
      option('cells', 'cells only (keep nuclei)'),
    );
    this.where = h(
      'select',
      {
        testid: 'run-where',
        title:
          'the visible region: objects wholly inside it are replaced, objects its edge cuts are kept as they were',
      },
      option('image', 'whole image'),
      option('view', 'visible region'),
    );
    this.keep = h('input', { type: 'checkbox', testid: 'keep-previous' });
    this.show = h('input', {
      type: 'checkbox',
      testid: 'show-previous',
      checked: true,
      onchange: () => callbacks.showPrevious(this.show.checked),
    });
    this.previousRow = h(
      'div',
      { class: 'row check', testid: 'previous-layer', hidden: true },
      h('label', {}, this.show, h('span', {}, 'show previous result (white outlines)')),
      h(
        'button',
        {
          class: 'small',
          testid: 'delete-previous',
          title: 'forget the previous result',
          onclick: () => callbacks.dropPrevious(),
        },
        'Delete',
      ),
    );
    const row = (label: string, control: HTMLElement) =>
      h('label', { class: 'row' }, h('span', {}, label), control);
    this.element = h(
      'div',
      { class: 'run-control' },
      h('div', { class: 'subhead' }, 'Run'),
      row('segment', this.steps),
      row('where', this.where),
      h(
        'label',
        {
          class: 'row check',
          title: 'the labels the run replaces stay as an outline layer; Undo takes the run back',
        },
        this.keep,
        h('span', {}, 'keep the previous result as a layer'),
      ),
      this.previousRow,
    );
  }

  get current(): RunChoice {
    return {
      steps: this.steps.value as RunSteps,
      where: this.where.value as RunChoice['where'],
      keepPrevious: this.keep.checked,
    };
  }

  /** Whether the previous layer is drawn (it exists and "show" is ticked). */
  get showingPrevious(): boolean {
    return !this.previousRow.hidden && this.show.checked;
  }

  /** Shows the previous layer's controls while there is one. */
  setPrevious(exists: boolean): void {
    this.previousRow.hidden = !exists;
  }
}
