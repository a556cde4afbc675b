import { defineConfig } from 'tsup';

// The subpath entries (`cellscope/io`, …), one per domain; package.json's `exports` lists the same.
const SUBPATHS = {
  io: 'src/io/index.ts',
  image: 'src/image/index.ts',
  segment: 'src/segment/index.ts',
  cellpose: 'src/cellpose/index.ts',
  measure: 'src/measure/index.ts',
  relate: 'src/relate/index.ts',
  stats: 'src/stats/index.ts',
  plot: 'src/plot/index.ts',
  pipeline: 'src/pipeline/index.ts',
  export: 'src/export/node.ts',
  evaluate: 'src/evaluate/index.ts',
  edit: 'src/edit/index.ts',
};

export default defineConfig({
  // analyze-worker is piscina's entry for `cellscope analyze --workers N`.
  // browser is the entry without Node built-ins or Node-only packages (see src/browser.ts).
  entry: {
    index: 'src/index.ts',
    browser: 'src/browser.ts',
    ...SUBPATHS,
    cli: 'src/cli/main.ts',
    'analyze-worker': 'src/pipeline/analyze-worker.ts',
  },
  format: ['esm'],
  target: 'node20',
  // tsup's declaration build sets baseUrl, which TypeScript 6 deprecates.
  dts: {
    entry: { index: 'src/index.ts', browser: 'src/browser.ts', ...SUBPATHS },
    compilerOptions: { ignoreDeprecations: '6.0' },
  },
  sourcemap: true,
  clean: true,
  splitting: true,
});
