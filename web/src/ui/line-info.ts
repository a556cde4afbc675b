// The measuring line's length under the viewer, with buttons that use it as a diameter.
import { h } from './dom.js';

export interface LineInfoActions {
  useAsDiameter(target: 'nuclei' | 'cells', px: number): void;
  clear(): void;
}

/** Shows the length of a line (hides the box when there is none). */
export function showLineInfo(
  box: HTMLElement,
  line: { x0: number; y0: number; x1: number; y1: number } | undefined,
  pixelSizeUm: number | undefined,
  actions: LineInfoActions,
): void {
  box.hidden = !line;
  if (!line) return;
  const px = Math.hypot(line.x1 - line.x0, line.y1 - line.y0);
  const button = (testid: string, text: string, onclick: () => void, title?: string) =>
    h('button', { class: 'small', testid, title, onclick }, text);
  box.replaceChildren(
    h(
      'span',
      { testid: 'line-length', 'data-px': px.toFixed(3) },
      `${px.toFixed(1)} px` + (pixelSizeUm ? ` = ${(px * pixelSizeUm).toFixed(2)} µm` : ''),
    ),
    button('use-nuclei-diameter', 'use as nucleus diameter', () =>
      actions.useAsDiameter('nuclei', px),
    ),
    button('use-cells-diameter', 'use as cell diameter', () => actions.useAsDiameter('cells', px)),
    button('clear-line', '✕', actions.clear, 'clear the line'),
  );
}
