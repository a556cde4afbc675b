import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';
import * as cellpose from '../src/cellpose/index.js';
import * as edit from '../src/edit/index.js';
import * as evaluate from '../src/evaluate/index.js';
import * as exports from '../src/export/node.js';
import * as image from '../src/image/index.js';
import * as root from '../src/index.js';
import * as io from '../src/io/index.js';
import * as measure from '../src/measure/index.js';
import * as pipeline from '../src/pipeline/index.js';
import * as plot from '../src/plot/index.js';
import * as relate from '../src/relate/index.js';
import * as segment from '../src/segment/index.js';
import * as stats from '../src/stats/index.js';

// Everything the Node package exports, over its root and subpaths.
const node = Object.assign(
  {},
  root,
  io,
  image,
  segment,
  cellpose,
  measure,
  relate,
  stats,
  plot,
  pipeline,
  exports,
  evaluate,
  edit,
) as Record<string, unknown>;

const NODE_BUILTINS =
  'fs|fs/promises|path|os|child_process|crypto|url|worker_threads|zlib|module|stream|util|buffer';
const NODE_ONLY_PACKAGES = [
  'sharp',
  'onnxruntime-node',
  'piscina',
  '@resvg/resvg-js',
  'dejavu-fonts-ttf',
  'commander',
  'cli-progress',
];

describe('browser entry (src/browser.ts)', () => {
  it('bundles for the browser without Node built-ins or Node-only packages', async () => {
    // esbuild refuses `node:*` imports on platform browser, so reaching one fails the build.
    const result = await build({
      entryPoints: ['src/browser.ts'],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      outdir: 'browser-bundle',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const packages = inputs.filter((path) =>
      NODE_ONLY_PACKAGES.some((name) => path.includes(`node_modules/${name}/`)),
    );
    expect(packages).toEqual([]);
    expect(inputs.filter((path) => path.startsWith('src/cli/'))).toEqual([]);
    const code = result.outputFiles.map((file) => file.text).join('\n');
    const builtin = new RegExp(
      `(?:require|import)\\s*\\(\\s*["'](?:node:)?(?:${NODE_BUILTINS})["']\\s*\\)|from\\s*["']node:`,
    );
    expect(code.match(builtin)?.[0]).toBeUndefined();
  }, 60_000);

  it('exports the documented names', () => {
    expect(Object.keys(browser).sort()).toMatchSnapshot();
  });

  it('shares its functions with the Node entries, bar the browser-only ones', () => {
    const own = ['cellposeModelFromForward', 'cellposeModelFromSession'];
    // The browser's segmentImage is the Node one without its default model loader.
    const differs = ['segmentImage'];
    const nodeExports = node;
    const names = Object.keys(browser).filter((name) => !own.includes(name));
    expect(names.filter((name) => !(name in nodeExports))).toEqual([]);
    const browserExports = browser as Record<string, unknown>;
    expect(
      names.filter((name) => !differs.includes(name) && browserExports[name] !== nodeExports[name]),
    ).toEqual([]);
  });
});
