// In-page vs Node segmentation of CellProfiler's ExampleHuman field with the default models
// (issue 16's target: the page within 2× of Node on the same machine). Both run the default
// config (cellscope-nuclei, then cellscope-cells with the nuclear channel, diameters 'auto'),
// model loading included: the page in Chromium (no WebGPU adapter headless, so cellscope's
// WebAssembly kernels, a worker per core) through the app's own Segment button, Node through
// segmentImage (onnxruntime-node). The page's time is the engine's own (the "in N s" of its
// progress line, which also counts measuring, ~0.1 s), so building and opening are not in it.
// CPU seconds are printed too (Node's process; Chromium's processes, read from /proc on Linux):
// on a loaded machine they compare the work done where wall-clock times do not.
//
//   npx tsx bench/app-segment.ts
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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
const loadBefore = loadavg()[0];
const started = performance.now();
const nodeCpuStart = process.cpuUsage();
const inNode = await segmentImage(stack, config);
const nodeSeconds = (performance.now() - started) / 1000;
const nodeCpu = process.cpuUsage(nodeCpuStart);
const nodeCpuSeconds = (nodeCpu.user + nodeCpu.system) / 1e6;
const nodeCounts = `${new Set(inNode.nucleusLabels.data).size - 1} nuclei, ${new Set(inNode.cellLabels.data).size - 1} cells`;

const session = await startApp();
try {
  const { page } = await openPage(session);
  await openImage(page, EXAMPLE);
  await page.selectOption('[data-testid=cytoplasm-channel]', '2');
  const cpuBefore = childCpuSeconds();
  await segment(page, 900_000);
  const pageCpuSeconds = childCpuSeconds() - cpuBefore;
  const line = (await page.textContent('[data-testid=progress-text]')) ?? '';
  const pageSeconds = Number(/in ([\d.]+) s/.exec(line)?.[1]);
  const cpu = (s: number): string => (Number.isNaN(s) ? '' : `, CPU ${s.toFixed(1)} s`);
  console.log(`Node: ${nodeSeconds.toFixed(1)} s${cpu(nodeCpuSeconds)} (${nodeCounts})`);
  console.log(`page: ${pageSeconds.toFixed(1)} s${cpu(pageCpuSeconds)} (${line})`);
  console.log(`page / Node: ${(pageSeconds / nodeSeconds).toFixed(2)}×`);
  if (!Number.isNaN(pageCpuSeconds))
    console.log(`page / Node, CPU: ${(pageCpuSeconds / nodeCpuSeconds).toFixed(2)}×`);
  // Other processes' load skews the wall-clock ratio (2 cores here): it says how quiet it was.
  console.log(
    `load average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`,
  );
} finally {
  await session.close();
}

/** CPU seconds (user + system) of this process's descendants, Chromium's; NaN without /proc. */
function childCpuSeconds(): number {
  try {
    const parents = new Map<number, number>();
    const cpu = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // Fields after the command name: state, ppid, … utime (12th), stime (13th), in ticks.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        parents.set(Number(entry), Number(fields[1]));
        cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        // The process ended while listed.
      }
    }
    const isDescendant = (pid: number): boolean => {
      for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
        if (p === process.pid) return true;
      return false;
    };
    let total = 0;
    for (const [pid, seconds] of cpu) if (isDescendant(pid)) total += seconds;
    return total;
  } catch {
    return Number.NaN;
  }
}
