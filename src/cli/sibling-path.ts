import { basename, dirname, extname, join } from 'node:path';

/** `out.tif` + `_nuclei` → `out_nuclei.tif`: the files a command writes beside its `--out`. */
export function siblingPath(path: string, suffix: string): string {
  const extension = extname(path);
  return join(dirname(path), `${basename(path, extension)}${suffix}${extension || '.tif'}`);
}
