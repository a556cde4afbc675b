// Files dropped anywhere on the page, with a "Drop to open" hint while they are dragged over it.
export function listenForDrops(
  root: HTMLElement,
  hint: HTMLElement,
  onFiles: (files: File[]) => void,
  /** Takes a drop first (a folder, read through its entry); true when it did. */
  onDropped?: (event: DragEvent) => boolean,
): void {
  // dragenter/dragleave fire for every child crossed: count them to know when the drag left.
  let depth = 0;
  root.addEventListener('dragenter', (event) => {
    event.preventDefault();
    depth++;
    hint.hidden = false;
  });
  root.addEventListener('dragleave', () => {
    if (--depth <= 0) hint.hidden = true;
  });
  root.addEventListener('dragover', (event) => event.preventDefault());
  root.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    hint.hidden = true;
    if (onDropped?.(event)) return;
    onFiles([...(event.dataTransfer?.files ?? [])]);
  });
}
