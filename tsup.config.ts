import { defineConfig } from 'tsup';

export default defineConfig({
  // analyze-worker is piscina's entry for `cellscope analyze --workers N`.
  // browser is the entry without Node built-ins or Node-only packages (see src/browser.ts).
  entry: {
    index: 'src/index.ts',
    browser: 'src/browser.ts',
    cli: 'src/cli/main.ts',
    'analyze-worker': 'src/pipeline/analyze-worker.ts',
  },
  format: ['esm'],
  target: 'node20',
  // tsup's declaration build sets baseUrl, which TypeScript 6 deprecates.
  dts: {
    entry: { index: 'src/index.ts', browser: 'src/browser.ts' },
    compilerOptions: { ignoreDeprecations: '6.0' },
  },
  sourcemap: true,
  clean: true,
  splitting: true,
});
