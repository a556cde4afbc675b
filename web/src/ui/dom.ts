// A tiny element builder: the app is plain DOM, no framework.
type Child = Node | string | false | null | undefined;
type Attributes = Record<string, string | number | boolean | EventListener | undefined>;

/** `h('button', { class: 'x', onclick: f }, 'Text')`: attributes, `on*` listeners, children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (key === 'testid') {
      element.dataset.testid = String(value);
    } else if (key in element && typeof value !== 'string') {
      (element as unknown as Record<string, unknown>)[key] = value;
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children) {
    if (child !== false && child !== null && child !== undefined) element.append(child);
  }
  return element;
}

/** Saves bytes as a download with the given file name. */
export function download(
  bytes: ArrayBuffer | Uint8Array | string,
  name: string,
  mime: string,
): void {
  const blob = new Blob([bytes as BlobPart], { type: mime });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Reads files the user picked or dropped, sorted by name (channel files d0, d1, d2…). */
export async function readFiles(
  files: Iterable<File>,
): Promise<{ name: string; bytes: ArrayBuffer }[]> {
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
  return Promise.all(sorted.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
}

/** A hidden file input behind a button: `input.click()` opens the picker, tests set its files. */
export function fileInput(
  testid: string,
  accept: string,
  multiple: boolean,
  onFiles: (files: File[]) => void,
): HTMLInputElement {
  const input = h('input', { type: 'file', accept, multiple, testid, class: 'hidden-input' });
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) onFiles(files);
  });
  return input;
}

/** A new element of `doc` with a class: the panels' building block. */
export function element<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className: string,
): HTMLElementTagNameMap[K] {
  const created = doc.createElement(tag);
  created.className = className;
  return created;
}
