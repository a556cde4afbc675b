// Opening an OME-Zarr folder: the directory picker where the browser has one
// (showDirectoryPicker), a webkitdirectory input otherwise, or a folder dropped on the page.
import { h } from '../ui/dom.js';
import type { BigImageInput } from './protocol.js';

export type FolderInput = Extract<BigImageInput, { kind: 'folder' }>;

/** The "Open folder…" button and its hidden input (tests set the input's files). */
export function openFolderButton(onFolder: (input: FolderInput) => void): HTMLElement[] {
  const input = h('input', {
    type: 'file',
    testid: 'open-folder-input',
    class: 'hidden-input',
  });
  input.webkitdirectory = true;
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    const folder = folderFromFiles(files);
    if (folder) onFolder(folder);
  });
  const picker = (window as { showDirectoryPicker?: () => Promise<FileSystemDirectoryHandle> })
    .showDirectoryPicker;
  const button = h(
    'button',
    {
      testid: 'open-folder',
      title: 'an OME-Zarr image folder (NGFF 0.4 or 0.5), opened lazily at the level that fits',
      onclick: () => {
        if (!picker) return input.click();
        picker.call(window).then(
          async (handle) =>
            onFolder({ kind: 'folder', name: handle.name, entries: await walk(handle, '') }),
          (error: Error) => {
            if (error.name !== 'AbortError') input.click(); // the picker refused: try the input
          },
        );
      },
    },
    'Open folder…',
  );
  return [button, input];
}

/** The files of a webkitdirectory input as a folder (their paths start with its name). */
export function folderFromFiles(files: readonly File[]): FolderInput | undefined {
  const paths = files.map((f) => f.webkitRelativePath);
  if (!files.length || paths.some((p) => !p.includes('/'))) return undefined;
  return {
    kind: 'folder',
    name: paths[0].split('/')[0],
    entries: files.map((file, i) => ({ path: paths[i], file })),
  };
}

async function walk(
  handle: FileSystemDirectoryHandle,
  prefix: string,
): Promise<{ path: string; file: File }[]> {
  const found: { path: string; file: File }[] = [];
  for await (const [name, child] of (
    handle as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }
  ).entries()) {
    const path = `${prefix}${name}`;
    if (child.kind === 'file')
      found.push({ path, file: await (child as FileSystemFileHandle).getFile() });
    else found.push(...(await walk(child as FileSystemDirectoryHandle, `${path}/`)));
  }
  return found;
}

/** A folder dropped on the page, read through its entry (only valid during the drop event). */
export function droppedFolder(event: DragEvent): Promise<FolderInput> | undefined {
  const entry = [...(event.dataTransfer?.items ?? [])]
    .map((item) => item.webkitGetAsEntry())
    .find((e): e is FileSystemDirectoryEntry => !!e?.isDirectory);
  if (!entry) return undefined;
  return readEntry(entry, '').then((entries) => ({ kind: 'folder', name: entry.name, entries }));
}

async function readEntry(
  directory: FileSystemDirectoryEntry,
  prefix: string,
): Promise<{ path: string; file: File }[]> {
  const reader = directory.createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns at most 100 entries a call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (!batch.length) break;
    children.push(...batch);
  }
  const found: { path: string; file: File }[] = [];
  for (const child of children) {
    const path = `${prefix}${child.name}`;
    if (child.isFile) {
      const file = await new Promise<File>((resolve, reject) =>
        (child as FileSystemFileEntry).file(resolve, reject),
      );
      found.push({ path, file });
    } else if (child.isDirectory) {
      found.push(...(await readEntry(child as FileSystemDirectoryEntry, `${path}/`)));
    }
  }
  return found;
}
