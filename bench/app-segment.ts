// In-page vs Node segmentation of CellProfiler's ExampleHuman field with the default models
// (issue 16's target: the page within 2× of Node on the same machine). Both run the default
// config (cellscope-nuclei, then cellscope-cells with the nuclear channel, diameters 'auto'),
// model loading included: the page in Chromium (onnxruntime-web, WASM threads) through the
// app's own Segment button, Node through segmentImage (onnxruntime-node). The page's time
// is the engine's own (the "in N s" of its progress line), so building and opening are not in it.
//
//   npx tsx bench/app-segment.ts
import { parseAnalysisConfig } from '../src/pipeline/config.js';
import { segmentImage } from '../src/pipeline/segment-image.js';
import { readChannels } from '../src/io/read-image.js';
import { sharedPath } from '../test/shared.js';
import { openImage, openPage, segment, startApp } from '../web/e2e/browser.js';

const EXAMPLE = ['d0', 'd1', 'd2'].map((s) =>
  sharedPath(`data/examplehuman/AS_09125_050116030001_D03f00${s}.tif`),
);
// DNA, then actin as the cytoplasm (d1 is the PH3 signal).
const config = parseAnalysisConfig({ channels: { nuclei: 0, cytoplasm: 2, others: [1] } });

const stack = await readChannels(EXAMPLE);
const started = performance.now();
const inNode = await segmentImage(stack, config);
const nodeSeconds = (performance.now() - started) / 1000;
const nodeCounts = `${new Set(inNode.nucleusLabels.data).size - 1} nuclei, ${new Set(inNode.cellLabels.data).size - 1} cells`;

const session = await startApp();
try {
  const { page } = await openPage(session);
  await openImage(page, EXAMPLE);
  await page.selectOption('[data-testid=cytoplasm-channel]', '2');
  const counts = await segment(page, 900_000);
  const line = (await page.textContent('[data-testid=progress-text]')) ?? '';
  const pageSeconds = Number(/in ([\d.]+) s/.exec(line)?.[1]);
  console.log(`Node: ${nodeSeconds.toFixed(1)} s (${nodeCounts})`);
  console.log(`page: ${pageSeconds.toFixed(1)} s (${counts.nuclei} nuclei, ${counts.cells} cells)`);
  console.log(`page / Node: ${(pageSeconds / nodeSeconds).toFixed(2)}×`);
} finally {
  await session.close();
}
