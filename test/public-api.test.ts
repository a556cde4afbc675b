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

// An accidental change to the public API shows up here, in review: every entry point of
// package.json's `exports` (the browser entry has its own test).
const SUBPATHS = {
  io,
  image,
  segment,
  cellpose,
  measure,
  relate,
  stats,
  plot,
  pipeline,
  export: exports,
  evaluate,
  edit,
};

// Helpers other modules use that are not API: reachable from no entry point.
const INTERNAL = [
  'assertNotProtected',
  'writeFileAtomic',
  'readFileBytes',
  'taperMask',
  'padSizes',
  'unaugmentTile',
  'logGamma',
  'logBeta',
  'regularizedIncompleteBeta',
  'studentTPdf',
];

it('the root exports the documented names, at most 40', () => {
  const names = Object.keys(root).sort();
  expect(names.length).toBeLessThanOrEqual(40);
  expect(names).toMatchSnapshot();
});

describe.each(Object.entries(SUBPATHS))('cellscope/%s', (name, module) => {
  it('exports the documented names', () => {
    expect(Object.keys(module).sort()).toMatchSnapshot();
  });
});

it('reaches no internal helper from any entry point', () => {
  for (const module of [root, browser, ...Object.values(SUBPATHS)]) {
    expect(INTERNAL.filter((name) => name in module)).toEqual([]);
  }
});

it('package.json exports exactly the root, the browser entry and these subpaths', async () => {
  const { default: pkg } = await import('../package.json', { with: { type: 'json' } });
  const expected = ['.', './browser', ...Object.keys(SUBPATHS).map((name) => `./${name}`)];
  expect(Object.keys(pkg.exports).sort()).toEqual(expected.sort());
});

it('names nothing after a test-runner global', () => {
  for (const module of [root, browser, ...Object.values(SUBPATHS)]) {
    expect(['describe', 'it', 'test', 'expect'].filter((name) => name in module)).toEqual([]);
  }
});
