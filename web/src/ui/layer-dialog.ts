// Asks where a label file goes (cells, nuclei, or a new image), so that opening labels never
// silently overwrites a layer or replaces the image.
import type { Layer } from '../engine/protocol.js';
import { h } from './dom.js';
import './layer-dialog.css';

export type LabelDestination = Layer | 'image';

export interface LayerQuestion {
  fileName: string;
  /** The answer the file name (or the active tab) suggests: focused, Enter takes it. */
  suggested: Layer;
  /** Offer "open as a new image" (a dropped file may be an image after all). */
  offerImage: boolean;
}

/** A modal dialog; resolves to the choice, or undefined when cancelled (Escape, Cancel). */
export function askLabelDestination(
  question: LayerQuestion,
): Promise<LabelDestination | undefined> {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'layer-dialog', testid: 'layer-dialog' });
    const finish = (choice: LabelDestination | undefined): void => {
      dialog.close();
      dialog.remove();
      resolve(choice);
    };
    const choice = (value: LabelDestination, text: string) =>
      h(
        'button',
        {
          testid: `layer-choice-${value}`,
          class: value === question.suggested ? 'primary' : '',
          onclick: () => finish(value),
        },
        text,
      );
    const buttons = [
      choice('cells', 'cells layer'),
      choice('nuclei', 'nuclei layer'),
      question.offerImage && choice('image', 'open as a new image'),
      h('button', { testid: 'layer-choice-cancel', onclick: () => finish(undefined) }, 'Cancel'),
    ];
    dialog.append(
      h('p', {}, 'Open ', h('strong', {}, question.fileName), ' as labels of the open image:'),
      h('div', { class: 'buttons' }, ...buttons),
    );
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(undefined);
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog
      .querySelector<HTMLButtonElement>(`[data-testid=layer-choice-${question.suggested}]`)!
      .focus();
  });
}
