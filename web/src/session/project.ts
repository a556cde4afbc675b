// The project file: one zip with the image files, the label TIFFs, the tables and the config,
// as the Cellpose GUI's _seg.npy or a QuPath project keep a day's work. Everything in it but
// project.json is a file the CLI reads or writes itself (config.json runs `cellscope analyze`).
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { AnalysisConfigInput } from 'cellscope/browser';
import type { Layer } from '../engine/protocol.js';
import type { AppSettings } from './record.js';

export const PROJECT_FORMAT = 'cellscope-project';
const LABEL_FILES: Record<Layer, string> = { nuclei: 'nuclei.tif', cells: 'cells.tif' };

export interface Project {
  name: string;
  /** The image files, as the user opened them. */
  files: File[];
  settings: AppSettings;
  config: AnalysisConfigInput;
  /** Label TIFFs by layer (absent before the first segmentation). */
  labels: Partial<Record<Layer, Uint8Array>>;
}

export interface ProjectContents {
  name: string;
  files: File[];
  settings: AppSettings;
  config: AnalysisConfigInput;
  /** Further files by name: label TIFFs (`nuclei.tif`, `cells.tif`) and tables. */
  outputs: Record<string, Uint8Array>;
}

export async function encodeProject(contents: ProjectContents): Promise<Uint8Array> {
  const entries: Record<string, Uint8Array> = {
    'project.json': json({
      format: PROJECT_FORMAT,
      version: 1,
      image: { name: contents.name, files: contents.files.map((f) => f.name) },
      settings: contents.settings,
    }),
    'config.json': json(contents.config),
    ...contents.outputs,
  };
  for (const file of contents.files)
    entries[`image/${file.name}`] = new Uint8Array(await file.arrayBuffer());
  // Images and TIFFs are mostly compressed already; level 1 keeps saving quick.
  return zipSync(entries, { level: 1 });
}

export function decodeProject(bytes: Uint8Array, fileName = 'project'): Project {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    throw fileError(`${fileName} is not a zip file`, fileName);
  }
  const manifest = entries['project.json'];
  if (!manifest)
    throw fileError(`${fileName} is not a cellscope project (no project.json)`, fileName);
  const meta = JSON.parse(strFromU8(manifest)) as {
    format?: string;
    version?: number;
    image?: { name: string; files: string[] };
    settings?: AppSettings;
  };
  if (meta.format !== PROJECT_FORMAT || meta.version !== 1 || !meta.image || !meta.settings)
    throw fileError(`${fileName}: project.json is not a version 1 cellscope project`, fileName);
  const files = meta.image.files.map((name) => {
    const data = entries[`image/${name}`];
    if (!data) throw fileError(`${fileName} lacks its image file image/${name}`, fileName);
    return new File([data as BlobPart], name);
  });
  const config = entries['config.json'];
  const labels: Partial<Record<Layer, Uint8Array>> = {};
  for (const layer of ['nuclei', 'cells'] as const) {
    if (entries[LABEL_FILES[layer]]) labels[layer] = entries[LABEL_FILES[layer]];
  }
  return {
    name: meta.image.name,
    files,
    settings: meta.settings,
    config: config ? (JSON.parse(strFromU8(config)) as AnalysisConfigInput) : meta.settings.segment,
    labels,
  };
}

function json(value: unknown): Uint8Array {
  return strToU8(`${JSON.stringify(value, null, 2)}\n`);
}

function fileError(message: string, file: string): Error {
  return Object.assign(new Error(message), {
    file,
    hint: 'open a project saved with Save ▾ → Project',
  });
}
