// Draws a training log (train.py's <name>.log.csv) as a loss plot PNG, with cellscope's own
// plot renderer: training and validation loss against the step, log scale.
//   npx tsx training/plot-loss.ts training/logs/cellscope-nuclei.log.csv training/logs/cellscope-nuclei-loss.png
import { readFileSync, writeFileSync } from 'node:fs';
import type { TopLevelSpec } from 'vega-lite';
import { csvToTable } from '../src/io/table/csv.js';
import { numericColumn } from '../src/table/table.js';
import { renderSpec } from '../src/plot/render-spec.js';
import { PLOT_CONFIG } from '../src/plot/theme.js';

const [logFile, pngFile] = process.argv.slice(2);
if (!logFile || !pngFile) throw new Error('usage: plot-loss.ts <log.csv> <out.png>');
const log = csvToTable(readFileSync(logFile, 'utf8'));
const [step, train, val] = ['step', 'train_loss', 'val_loss'].map((c) => numericColumn(log, c));
const values = Array.from(step).flatMap((s, i) => [
  { step: s, loss: train[i], kind: 'training' },
  { step: s, loss: val[i], kind: 'validation (generated)' },
]);
const spec: TopLevelSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: {
    text: `${logFile.split('/').pop()?.replace('.log.csv', '')}: loss`,
    subtitle: 'flows MSE ×5 / 2 + cell probability BCE',
  },
  width: 520,
  height: 280,
  config: PLOT_CONFIG,
  data: { values },
  mark: { type: 'line', point: true },
  encoding: {
    x: { field: 'step', type: 'quantitative', title: 'step (batch 8, 128² crops)' },
    y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'loss' },
    color: { field: 'kind', type: 'nominal', title: null, legend: { orient: 'top-right' } },
  },
};
writeFileSync(pngFile, await renderSpec(spec, { format: 'png' }));
