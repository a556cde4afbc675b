import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Labels, Plane } from '../src/image/types.js';

/**
 * A scikit-image process that times `regionprops_table` on request (bench/skimage_measure_worker.py),
 * so vitest can bench it beside cellscope in the same run. Python: $SKIMAGE_PYTHON or
 * /usr/bin/python3 (Debian's python3-skimage installs there). Each request is one JSON line each
 * way: the pipe costs well under a millisecond next to the hundreds skimage takes.
 */
export interface SkimageWorker {
  readonly versions: { skimage: string; numpy: string };
  load(name: string, labels: Labels, image: Plane<Uint16Array>): Promise<void>;
  /** regionprops_table on a loaded scene: its ms and each column's sum. */
  run(name: string, properties: readonly string[]): Promise<SkimageRun>;
  close(): void;
}

export interface SkimageRun {
  ms: number;
  /** [Σ, Σ|·|] of each column; null where the column holds NaN. */
  sums: Record<string, [number, number] | null>;
}

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'skimage_measure_worker.py');

/** Starts the worker, or says why it cannot (no Python, no scikit-image). */
export async function startSkimageWorker(): Promise<SkimageWorker | string> {
  const python = process.env.SKIMAGE_PYTHON ?? '/usr/bin/python3';
  if (os.endianness() !== 'LE') return 'the raw files are written little-endian';
  const child: ChildProcessWithoutNullStreams = spawn(python, [script]);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waiting: ((line: string | undefined) => void)[] = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => waiting.shift()?.(line));
  child.on('close', () => waiting.splice(0).forEach((resolve) => resolve(undefined)));
  child.on('error', () => undefined);

  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      waiting.push((line) => {
        if (line === undefined) {
          reject(new Error(`scikit-image worker (${python}) stopped: ${stderr.trim()}`));
          return;
        }
        try {
          resolve(JSON.parse(line) as Record<string, unknown>);
        } catch {
          reject(new Error(`scikit-image worker answered ${line.slice(0, 200)}`));
        }
      });
    });
  const request = (body: object): Promise<Record<string, unknown>> => {
    const answer = next();
    child.stdin.write(`${JSON.stringify(body)}\n`);
    return answer;
  };

  let ready: Record<string, unknown>;
  try {
    ready = await next();
  } catch (error) {
    return `${(error as Error).message} (install python3-skimage, or set SKIMAGE_PYTHON)`;
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cellscope-measure-bench-'));
  return {
    versions: { skimage: String(ready.skimage), numpy: String(ready.numpy) },
    async load(name, labels, image) {
      const raw = (suffix: string, data: ArrayBufferView): string => {
        const file = path.join(folder, `${name}.${suffix}`);
        writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        return file;
      };
      await request({
        op: 'load',
        name,
        labels: raw('labels.u32', labels.data),
        image: raw('image.u16', image.data),
        height: labels.height,
        width: labels.width,
      });
    },
    async run(name, properties) {
      return (await request({ op: 'run', name, properties })) as unknown as SkimageRun;
    },
    close() {
      child.stdin.end();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
