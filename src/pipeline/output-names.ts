import { dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError } from '../errors.js';

/** An image of a batch before its output folder is chosen: a name and its file(s). */
export interface NamedFiles {
  name: string;
  files: string[];
}

/** An image with the output folder name it gets, and why when that is not its own name. */
export interface OutputNamed extends NamedFiles {
  renamed?: { from: string; reason: string };
}

// Device names Windows reserves in every folder, with or without an extension.
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A folder name that stays one folder on every file system: separators, `:*?"<>|` and control
 * characters become `_`, as do names of dots only (`...tif` has the stem `..`), trailing dots
 * and spaces (Windows drops them) and Windows device names.
 */
export function safeFolderName(name: string): string {
  // eslint-disable-next-line no-control-regex
  let safe = name.replace(/[/\\:*?"<>|\x00-\x1f\x7f]/g, '_');
  if (/^[. ]*$/.test(safe)) safe = '_'.repeat(Math.max(1, safe.length));
  safe = safe.replace(/[. ]+$/, (tail) => '_'.repeat(tail.length));
  return WINDOWS_DEVICES.test(safe) ? `${safe}_` : safe;
}

/** Output folders on macOS and Windows ignore case, so `X` and `x` are one folder there. */
function folderKey(name: string): string {
  return name.toLowerCase();
}

/**
 * Gives every image an output folder name of its own: its safe name when no other image (and
 * none of the batch's own outputs in `reserved`) has it, else the folders that tell the
 * colliding files apart (`d1/x.tif`, `d2/x.tif` → `d1_x`, `d2_x`), then the extension too.
 * Throws when one file is given twice or when names would still collide.
 */
export function uniqueOutputNames(
  images: readonly NamedFiles[],
  reserved: readonly string[] = [],
): OutputNamed[] {
  refuseRepeatedFiles(images);
  const taken = new Set(reserved.map(folderKey));
  const safe = images.map((image) => safeFolderName(image.name));
  const groups = new Map<string, number[]>();
  safe.forEach((name, i) =>
    groups.set(folderKey(name), [...(groups.get(folderKey(name)) ?? []), i]),
  );
  const names = [...safe];
  for (const [key, members] of groups) {
    if (members.length === 1 && !taken.has(key)) continue;
    const files = members.map((i) => resolve(images[i].files.find(Boolean) ?? images[i].name));
    const common = commonFolder(files.map((f) => dirname(f)));
    const withFolders = members.map((i, k) => {
      const folders = relative(common, dirname(files[k])).split(sep).filter(Boolean);
      return safeFolderName([...folders, safe[i]].join('_'));
    });
    const stillSame = (list: string[]): boolean =>
      new Set(list.map(folderKey)).size < list.length || list.some((n) => taken.has(folderKey(n)));
    const chosen = stillSame(withFolders)
      ? withFolders.map((n, k) => safeFolderName(`${n}_${extname(files[k]).slice(1)}`))
      : withFolders;
    members.forEach((i, k) => (names[i] = chosen[k]));
  }
  assertDistinctFolders(
    images.map((image, i) => ({ ...image, name: names[i] })),
    reserved,
  );
  return images.map((image, i) => {
    if (names[i] === image.name) return { ...image };
    const key = folderKey(safe[i]);
    const reason = taken.has(key)
      ? `the batch writes its own ${reserved.find((r) => folderKey(r) === key)} there`
      : (groups.get(key)?.length ?? 0) > 1
        ? 'another input has that name too'
        : 'it is not a safe folder name';
    return { ...image, name: names[i], renamed: { from: image.name, reason } };
  });
}

/** The same file in two images would be analysed twice into two folders, or overwrite itself. */
function refuseRepeatedFiles(images: readonly NamedFiles[]): void {
  const seen = new Map<string, string>();
  for (const image of images) {
    for (const file of image.files) {
      if (file === undefined) continue;
      const path = resolve(file);
      const earlier = seen.get(path);
      if (earlier !== undefined) {
        throw new InvalidArgumentError(
          earlier === file ? 'is given twice' : `is given twice (also as ${earlier})`,
          { file, hint: 'list each image once' },
        );
      }
      seen.set(path, file);
    }
  }
}

/** The deepest folder holding every one of `folders` (all absolute). */
function commonFolder(folders: readonly string[]): string {
  let common = folders[0];
  for (const folder of folders) {
    while (!isInside(common, folder)) common = dirname(common);
  }
  return common;
}

/** True when `path` is `root` or below it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Throws unless every image's output folder is one distinct folder right inside the results
 * folder: no separators, no `.`/`..`, no name of the batch's own outputs, no two alike (ignoring
 * case). Checked before any image runs, whoever chose the names.
 */
export function assertDistinctFolders(
  images: readonly NamedFiles[],
  reserved: readonly string[] = [],
  outDir = '.',
): void {
  const root = resolve(outDir);
  // Who holds each folder name: the batch's own outputs first, then the images in order.
  const owners = new Map(
    reserved.map((r) => [folderKey(r), `a name the batch needs for its own ${r}`]),
  );
  for (const image of images) {
    const folder = resolve(root, image.name);
    if (
      image.name === '' ||
      safeFolderName(image.name) !== image.name ||
      dirname(folder) !== root
    ) {
      throw new InvalidArgumentError(
        `the output folder name "${image.name}" would not be one folder inside ${outDir}`,
        { file: image.files[0], hint: 'rename the image file' },
      );
    }
    const owner = owners.get(folderKey(image.name));
    if (owner) {
      throw new InvalidArgumentError(`its outputs would go to ${image.name}/, ${owner}`, {
        file: image.files.join(';'),
        hint: 'rename one of the files, or analyse them into separate --out folders',
      });
    }
    owners.set(folderKey(image.name), `as would those of ${image.files.join(';')}`);
  }
}
