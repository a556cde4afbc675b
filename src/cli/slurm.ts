import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  batchHash,
  configHash,
  manifestBatch,
  readManifests,
  type ShardManifest,
} from '../cluster/manifest.js';
import { resolveConfigModels } from '../cluster/resolve-models.js';
import { shardImages } from '../cluster/shard.js';
import { arraySpec, shellQuote, slurmScripts } from '../cluster/slurm-script.js';
import { FileAccessError, InvalidArgumentError } from '../errors.js';
import { readFileBytes, writeFileAtomic } from '../io/files.js';
import { BATCH_OUTPUTS, collectImages, readConditions } from '../pipeline/batch.js';
import { assertDistinctFolders } from '../pipeline/output-names.js';
import { readConfigOption } from './analyze.js';
import { ExitCode } from './exit-codes.js';

export interface SlurmCommandOptions {
  out: string;
  shards: number;
  config?: string;
  conditions?: string;
  channelSuffixes?: string;
  time?: string;
  mem?: string;
  cpus?: number;
  partition?: string;
  account?: string;
  resume?: boolean;
  submit?: boolean;
  /** How the nodes start cellscope. @default this very installation (node + its script) */
  cellscope?: string;
}

const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * How this process was started, as a command line the compute nodes can run from any folder:
 * the script and loaders (`--import tsx`) by absolute path, since jobs start elsewhere.
 */
export function thisCellscope(): string {
  const args = process.execArgv.map((arg, i) => {
    if (!LOADER_FLAGS.has(process.execArgv[i - 1] ?? '')) return arg;
    if (arg.startsWith('.')) return resolve(arg);
    if (arg.startsWith('/') || arg.startsWith('file:')) return arg;
    try {
      return import.meta.resolve(arg);
    } catch {
      return arg;
    }
  });
  return [process.execPath, ...args, resolve(process.argv[1] ?? 'cellscope')]
    .map(shellQuote)
    .join(' ');
}

/** The shards a resumed run must queue: no manifest, a failed image, or an output gone. */
function unfinishedShards(
  count: number,
  manifests: readonly ShardManifest[],
  outDir: string,
  complete: (folder: string) => boolean,
): number[] {
  const byIndex = new Map(manifests.map((m) => [m.shard.index, m]));
  const unfinished: number[] = [];
  for (let index = 0; index < count; index++) {
    const manifest = byIndex.get(index);
    const finished =
      manifest?.images.every((i) => i.status === 'done' && complete(join(outDir, i.name))) ?? false;
    if (!finished) unfinished.push(index);
  }
  return unfinished;
}

/**
 * `cellscope slurm`: writes `<out>/slurm/{analyze,merge}.sbatch` and `submit.sh` for a sharded
 * batch (with `--submit`, queues them); returns the exit code.
 */
export async function runSlurm(
  inputs: string[],
  options: SlurmCommandOptions,
  log: (line: string) => void,
): Promise<number> {
  const shards = options.shards;
  if (!Number.isSafeInteger(shards) || shards < 1) {
    throw new InvalidArgumentError(`--shards must be a whole number ≥ 1, got ${shards}`);
  }
  const outDir = resolve(options.out);
  const absoluteInputs = inputs.map((input) => resolve(input));
  // The nodes will list these same paths: a typo must fail here, not in every task.
  for (const input of inputs) {
    if (!existsSync(input)) {
      throw new FileAccessError('no such file or folder', {
        file: input,
        hint: 'give image files or folders that every node can read',
      });
    }
  }
  const config = await readConfigOption(options.config);
  const conditionsText = options.conditions
    ? new TextDecoder().decode(await readFileBytes(options.conditions))
    : undefined;
  const conditions = options.conditions ? await readConditions(options.conditions) : undefined;
  const images = await collectImages(absoluteInputs, {
    channelSuffixes: options.channelSuffixes?.split(',').map((s) => s.trim()),
  });
  if (images.length === 0) {
    throw new InvalidArgumentError(`no images found in ${inputs.join(', ')}`, {
      hint: 'give image files (.tif, .tiff, .png, .jpg) or folders that hold them',
    });
  }
  if (shards > images.length) {
    throw new InvalidArgumentError(
      `--shards ${shards} is more than the ${images.length} images of the batch`,
      { hint: `use --shards ${images.length} or fewer` },
    );
  }
  assertDistinctFolders(images, BATCH_OUTPUTS, outDir);

  const models = await resolveConfigModels(config);
  for (const line of models.lines) log(line);
  const slurmDir = join(outDir, 'slurm');
  const configPath = join(slurmDir, 'config.json');
  const conditionsPath =
    conditionsText === undefined ? undefined : join(slurmDir, 'conditions.csv');

  const existing = (await readManifests(outDir)).map((m) => m.manifest);
  let tasks = Array.from({ length: shards }, (_, i) => i);
  if (options.resume) {
    const batch = manifestBatch(images, conditions);
    for (const manifest of existing) {
      const same =
        manifest.shard.count === shards &&
        manifest.configHash === configHash(models.config) &&
        manifest.batchHash === batchHash(batch);
      if (!same) {
        throw new InvalidArgumentError(
          `cannot resume: ${join(outDir, 'shards')} holds shards of another batch, config or shard count`,
          {
            hint: 'resume with the same inputs, config and --shards, or choose a new --out folder',
          },
        );
      }
    }
    tasks = unfinishedShards(shards, existing, outDir, (folder) =>
      existsSync(join(folder, 'summary.json')),
    );
    if (tasks.length === 0) {
      log(`all ${shards} shards have finished: run \`cellscope merge ${options.out}\``);
      return ExitCode.Ok;
    }
    const left = tasks.reduce(
      (n, t) => n + shardImages(images, { index: t, count: shards }).length,
      0,
    );
    log(
      `resuming shards ${arraySpec(tasks)} of ${shards} (${left} images; complete ones are kept)`,
    );
  } else if (existing.length > 0) {
    throw new InvalidArgumentError(
      `${outDir} already holds the shards of an earlier run (${join(outDir, 'shards')})`,
      { hint: 'add --resume to finish that run, or choose a new --out folder' },
    );
  }

  const logDir = join(slurmDir, 'logs');
  await mkdir(logDir, { recursive: true });
  await writeFileAtomic(configPath, `${JSON.stringify(models.config, null, 2)}\n`);
  if (conditionsPath && conditionsText !== undefined) {
    await writeFileAtomic(conditionsPath, conditionsText);
  }
  const scripts = slurmScripts({
    cellscope: options.cellscope ?? thisCellscope(),
    inputs: absoluteInputs,
    outDir,
    config: configPath,
    conditions: conditionsPath,
    channelSuffixes: options.channelSuffixes,
    shards,
    tasks,
    images: images.length,
    resume: options.resume,
    time: options.time,
    mem: options.mem,
    cpus: options.cpus,
    partition: options.partition,
    account: options.account,
    modelCache: models.cacheDir,
    logDir,
    written: new Date().toISOString().slice(0, 19) + 'Z',
  });
  const paths = {
    analyze: join(slurmDir, 'analyze.sbatch'),
    merge: join(slurmDir, 'merge.sbatch'),
    submit: join(slurmDir, 'submit.sh'),
  };
  for (const key of ['analyze', 'merge', 'submit'] as const) {
    await writeFileAtomic(paths[key], scripts[key]);
    await chmod(paths[key], 0o755);
  }
  log(`wrote ${paths.analyze}, ${paths.merge} and ${paths.submit}`);
  if (!options.submit) {
    log(`submit them with: bash ${shellQuote(paths.submit)}`);
    return ExitCode.Ok;
  }
  const array = await sbatch(['--parsable', paths.analyze], slurmDir);
  const merge = await sbatch(
    ['--parsable', `--dependency=afterany:${array}`, paths.merge],
    slurmDir,
  ).catch((error: unknown) => {
    log(`array job ${array} is queued, but the merge job could not be`);
    throw error;
  });
  log(
    `submitted array job ${array} (shards ${arraySpec(tasks)} of ${shards}) and merge job ${merge}`,
  );
  return ExitCode.Ok;
}

/** Runs sbatch and returns the job id it printed (`--parsable`: `id` or `id;cluster`). */
function sbatch(args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile('sbatch', args, { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        fail(
          code === 'ENOENT'
            ? new FileAccessError('sbatch was not found on the PATH', {
                hint: 'run this on a Slurm login node, or leave out --submit and run the scripts there',
              })
            : new InvalidArgumentError(
                `sbatch ${args.join(' ')} failed: ${String(stderr).trim() || error.message}`,
              ),
        );
        return;
      }
      const id = stdout.trim().split(';')[0];
      if (!/^\d+$/.test(id)) {
        fail(new InvalidArgumentError(`sbatch printed no job id: ${stdout.trim()}`));
        return;
      }
      done(id);
    });
  });
}
