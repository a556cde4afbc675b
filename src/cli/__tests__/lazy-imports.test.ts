import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createLabels } from '../../image/plane.js';
import { createStack } from '../../image/stack.js';
import { DEFAULT_MAX_PIXELS } from '../../io/tiff/read.js';
import { writeTiffFile } from '../../io/tiff/write-file.js';
import { buildProgram, HELP_DEFAULT_MAX_PIXELS } from '../program.js';

// A command loads only what it needs (issue 17): an ESM resolve hook records every package the
// CLI imports, and the light commands must not reach the heavy ones.

const MAIN = resolve(import.meta.dirname, '..', 'main.ts');
const HEAVY = [
  'onnxruntime-node',
  'onnxruntime-web',
  'onnx-proto',
  'sharp',
  'vega',
  'vega-lite',
  '@resvg/resvg-js',
  'hyparquet',
  'hyparquet-writer',
  'zod',
  'yaml',
  'piscina',
];

const dir = mkdtempSync(join(tmpdir(), 'cellscope-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.CELLSCOPE_IMPORT_LOG, result.url + '\\n');
  return result;
}
`,
);
const register = join(dir, 'register.mjs');
writeFileSync(
  register,
  `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)});
`,
);

let runs = 0;

/** Runs the CLI from source and returns its exit status and the packages it imported. */
function packagesImportedBy(...args: string[]): { status: number; packages: Set<string> } {
  const log = join(dir, `imports-${runs++}.txt`);
  writeFileSync(log, '');
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', register, MAIN, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, CELLSCOPE_IMPORT_LOG: log },
    },
  );
  expect(run.status, run.stderr).toBe(0);
  const packages = new Set<string>();
  for (const url of readFileSync(log, 'utf8').split('\n')) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match) packages.add(match[1]);
  }
  return { status: run.status ?? -1, packages };
}

const image = join(dir, 'cells.tif');
const labels = join(dir, 'labels.tif');
const planes = [0, 1].map((c) => ({
  width: 40,
  height: 30,
  data: Uint16Array.from({ length: 1200 }, (_, i) => (i * (c + 3)) % 4096),
}));
await writeTiffFile(image, createStack(planes));
const label = createLabels(40, 30);
label.data.fill(1, 0, 600);
label.data.fill(2, 600);
await writeTiffFile(labels, label);

describe('the CLI loads only what a command needs', () => {
  // Writing CSV needs no parser: `measure` leaves papaparse alone too.
  it.each([
    ['--help', ['--help'], []],
    ['segment --help', ['segment', '--help'], []],
    ['info', ['info', image], []],
    [
      'measure to CSV',
      ['measure', labels, '--image', image, '--out', join(dir, 't.csv')],
      ['papaparse'],
    ],
    ['segment (threshold)', ['segment', image, '--out', join(dir, 'nuclei.tif')], []],
  ])('%s imports none of the heavy packages', (_, args, alsoUnused) => {
    const { packages } = packagesImportedBy(...args);
    expect(packages).toContain('commander');
    expect([...HEAVY, ...alsoUnused].filter((name) => packages.has(name))).toEqual([]);
  });

  it('measure to Parquet loads the Parquet writer then, and the hook sees it', () => {
    const { packages } = packagesImportedBy('measure', labels, '--out', join(dir, 't.parquet'));
    expect(packages).toContain('hyparquet-writer');
    expect(packages).not.toContain('onnxruntime-node');
  });

  it("states the readers' own pixel limit in --help", () => {
    expect(HELP_DEFAULT_MAX_PIXELS).toBe(DEFAULT_MAX_PIXELS);
    expect(buildProgram().helpInformation()).toContain(`(default ${DEFAULT_MAX_PIXELS})`);
  });
});
