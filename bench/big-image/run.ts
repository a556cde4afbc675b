/**
 * The big-image benchmark (issue 18): a generated N² 3-channel slide as a tiled TIFF and as an
 * OME-Zarr, then `cellscope segment` (block-wise, default Cellpose model or --method threshold)
 * and `cellscope analyze` under `/usr/bin/time -v`: wall time and peak RSS per size, and the
 * time ratio between sizes against the pixel ratio.
 *
 *   npm run bench:big-image -- --sizes 2048,4096,8192,16384 [--method threshold] [--keep]
 *   npm run bench:big-image -- --commands analyze,analyze-zarr --config bench/big-image/fast.yaml
 *
 * `--config` is the analysis config `analyze` runs with (default: cellscope's, both Cellpose
 * models). `--reuse` keeps slides already generated in `--dir`.
 *
 * Each run is `nice -n 19` (`--nice`); 16384² takes long on 2 cores: start with the small sizes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSlide } from './generate.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '2048,4096' },
    dir: { type: 'string', default: '/tmp/cellscope-big-image' },
    method: { type: 'string', default: 'cellpose' },
    commands: { type: 'string', default: 'segment-tiff,segment-zarr,analyze' },
    'block-size': { type: 'string', default: 'auto' },
    config: { type: 'string' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    /** Niceness of the measured runs: 19 leaves the CPU to everything else. */
    nice: { type: 'string', default: '19' },
  },
});

interface Measured {
  size: number;
  command: string;
  seconds: number;
  /** User + system CPU seconds: what linearity is judged by on a shared, loaded machine. */
  cpuSeconds: number;
  peakRssMb: number;
  ok: boolean;
}

function timed(args: string[]): Omit<Measured, 'size' | 'command'> & { log: string } {
  const run = spawnSync(
    '/usr/bin/time',
    [
      '-v',
      'nice',
      '-n',
      values.nice,
      process.execPath,
      '--import',
      'tsx',
      'src/cli/main.ts',
      ...args,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 ** 2 },
  );
  const text = `${run.stdout}\n${run.stderr}`;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? NaN);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(text)?.[1] ?? '';
  const seconds = wall
    .split(':')
    .map(Number)
    .reduce((total, part) => total * 60 + part, 0);
  const cpu = (label: string): number =>
    Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(text)?.[1] ?? NaN);
  return {
    seconds,
    cpuSeconds: cpu('User') + cpu('System'),
    peakRssMb: rss / 1024,
    ok: run.status === 0,
    log: text,
  };
}

const sizes = values.sizes.split(',').map(Number);
const commands = values.commands.split(',');
const results: Measured[] = [];
mkdirSync(values.dir, { recursive: true });
for (const size of sizes) {
  const tiff = join(values.dir, `slide-${size}.tif`);
  const zarrPath = join(values.dir, `slide-${size}.ome.zarr`);
  const started = performance.now();
  if (!(values.reuse && existsSync(tiff) && existsSync(zarrPath))) {
    await generateSlide(size, { tiff, zarr: zarrPath });
    console.log(`${size}²: generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const analyze = (input: string, out: string): string[] => [
    'analyze',
    input,
    '--out',
    join(values.dir, out),
    '--block-size',
    values['block-size'],
    ...(values.config ? ['--config', values.config] : []),
  ];
  const segment = (input: string): string[] => [
    'segment',
    input,
    '--method',
    values.method === 'cellpose' ? 'cellpose' : 'threshold',
    ...(values.method === 'cellpose' ? ['--model', 'cellscope-nuclei', '--channels', '1,0'] : []),
    '--out',
    join(values.dir, `labels-${size}.tif`),
    '--block-size',
    values['block-size'],
  ];
  const runs: Record<string, string[]> = {
    'segment-tiff': segment(tiff),
    'segment-zarr': segment(zarrPath),
    analyze: analyze(tiff, `analyze-${size}`),
    'analyze-zarr': analyze(zarrPath, `analyze-zarr-${size}`),
  };
  for (const command of commands) {
    const measured = timed(runs[command]);
    results.push({ size, command, ...measured });
    console.log(
      `${size}² ${command}: ${measured.seconds.toFixed(1)} s (${measured.cpuSeconds.toFixed(1)} s CPU), peak RSS ${measured.peakRssMb.toFixed(0)} MB` +
        (measured.ok ? '' : ` FAILED\n${measured.log.slice(-2000)}`),
    );
  }
  if (!values.keep) {
    rmSync(tiff, { force: true });
    rmSync(zarrPath, { recursive: true, force: true });
  }
}
console.log('\nsize     command        seconds  CPU s    peak RSS MB  CPU ratio / pixel ratio');
for (const r of results) {
  const previous = results.find((p) => p.command === r.command && p.size === r.size / 2);
  const ratio = previous ? `${(r.cpuSeconds / previous.cpuSeconds).toFixed(2)} / 4` : '';
  console.log(
    `${String(r.size).padEnd(8)} ${r.command.padEnd(14)} ${r.seconds.toFixed(1).padStart(7)}  ` +
      `${r.cpuSeconds.toFixed(1).padStart(7)}  ` +
      `${r.peakRssMb.toFixed(0).padStart(11)}  ${ratio}`,
  );
}
