import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';
import * as node from '../src/index.js';

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

  it('shares its functions with the Node entry, bar the browser-only ones', () => {
    const own = ['cellposeModelFromForward', 'cellposeModelFromSession'];
    // The browser's segmentImage is the Node one without its default model loader.
    const differs = ['segmentImage'];
    const nodeExports = node as Record<string, unknown>;
    const names = Object.keys(browser).filter((name) => !own.includes(name));
    expect(names.filter((name) => !(name in nodeExports))).toEqual([]);
    const browserExports = browser as Record<string, unknown>;
    expect(
      names.filter((name) => !differs.includes(name) && browserExports[name] !== nodeExports[name]),
    ).toEqual([]);
  });
});
