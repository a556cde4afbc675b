import { InvalidArgumentError } from '../errors.js';
import { checkShard } from './shard.js';

/** What `cellscope slurm` puts into the scripts; every path absolute. */
export interface SlurmScriptOptions {
  /** How the compute nodes start cellscope: shell words, quoted as needed (e.g. `cellscope`). */
  cellscope: string;
  inputs: readonly string[];
  outDir: string;
  /** The config every shard reads (a snapshot `cellscope slurm` wrote). */
  config: string;
  conditions?: string;
  channelSuffixes?: string;
  /** The number of shards N. */
  shards: number;
  /** The array task ids to run (all of 0…N−1, or the unfinished ones with `resume`). */
  tasks: readonly number[];
  /** How many images the batch has (for the comments). */
  images: number;
  resume?: boolean;
  /** `--time`, e.g. `2:00:00`. */
  time?: string;
  /** `--mem`, e.g. `8G`. */
  mem?: string;
  /** `--cpus-per-task`: each task analyses this many images at once. @default 1 */
  cpus?: number;
  partition?: string;
  account?: string;
  /** Exported as CELLSCOPE_MODELS when the config uses models from the download cache. */
  modelCache?: string;
  /** Folder of the task logs. */
  logDir: string;
  /** When the scripts were written (ISO), for the header. */
  written: string;
}

export interface SlurmScripts {
  /** The array job: one task per shard. */
  analyze: string;
  /** The merge job, queued after every task with `--dependency=afterany`. */
  merge: string;
  /** Queues both, the second depending on the first. */
  submit: string;
}

/** A word for bash: single-quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `0-3`, `1,4-6`: Slurm's `--array` list of task ids (sorted, runs folded into ranges). */
export function arraySpec(tasks: readonly number[]): string {
  const sorted = [...new Set(tasks)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let k = 0; k < sorted.length;) {
    let end = k;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
    parts.push(end === k ? `${sorted[k]}` : `${sorted[k]}-${sorted[end]}`);
    k = end + 1;
  }
  return parts.join(',');
}

/** Rejects text that would end an `#SBATCH` line or the script's words early. */
function directiveValue(flag: string, value: string): string {
  if (!/^[\w:.,@%+=/-]+$/.test(value)) {
    throw new InvalidArgumentError(
      `${flag} ${JSON.stringify(value)} holds characters sbatch would misread`,
      {
        hint: `e.g. ${flag === '--time' ? '2:00:00' : flag === '--mem' ? '8G' : 'a plain name'}`,
      },
    );
  }
  return value;
}

/**
 * The scripts of a sharded batch on Slurm, meant to be read and edited: an array job whose task
 * `i` runs `cellscope analyze --shard i/N`, a merge job, and `submit.sh`, which queues the merge
 * with `--dependency=afterany:<array>` so it starts once every task has ended, however it ended;
 * `cellscope merge` itself then checks that every shard finished and names any missing image.
 */
export function slurmScripts(options: SlurmScriptOptions): SlurmScripts {
  const { shards, tasks } = options;
  checkShard({ index: 0, count: shards });
  if (tasks.length === 0) {
    throw new InvalidArgumentError('there are no shard tasks to run');
  }
  for (const task of tasks) checkShard({ index: task, count: shards });
  const cpus = options.cpus ?? 1;
  if (!Number.isInteger(cpus) || cpus < 1) {
    throw new InvalidArgumentError(`--cpus must be a whole number ≥ 1, got ${cpus}`);
  }
  const q = shellQuote;
  const directives = (extra: string[]): string =>
    [
      ...extra,
      `--cpus-per-task=${cpus}`,
      ...(options.time ? [`--time=${directiveValue('--time', options.time)}`] : []),
      ...(options.mem ? [`--mem=${directiveValue('--mem', options.mem)}`] : []),
      ...(options.partition
        ? [`--partition=${directiveValue('--partition', options.partition)}`]
        : []),
      ...(options.account ? [`--account=${directiveValue('--account', options.account)}`] : []),
    ]
      .map((d) => `#SBATCH ${d}`)
      .join('\n');
  const logs = options.logDir;
  if (/\s/.test(logs)) {
    throw new InvalidArgumentError(
      `the log folder ${logs} holds a space, which #SBATCH lines cannot`,
      {
        hint: 'choose an --out folder whose path has no spaces',
      },
    );
  }
  const environment = [
    '# How the compute nodes start cellscope (the same installation for every task), as a bash',
    '# array of words, e.g. CELLSCOPE=(cellscope) or CELLSCOPE=(npx cellscope).',
    `CELLSCOPE=(${options.cellscope})`,
    ...(options.modelCache
      ? [
          '# Models were resolved once, before any task ran; the nodes read them from this cache',
          '# (it must be on a file system they share), so no two tasks ever download at once.',
          `export CELLSCOPE_MODELS=${q(options.modelCache)}`,
        ]
      : []),
  ].join('\n');
  const all = tasks.length === shards;
  const analyze = `#!/bin/bash
# cellscope: ${options.images} images in ${shards} shards, one Slurm array task per shard.
# Written by \`cellscope slurm\` on ${options.written}; edit freely.
# Submit with submit.sh (it also queues the merge job), or by hand:
#   sbatch analyze.sbatch, then sbatch --dependency=afterany:<array job id> merge.sbatch
#
# Shards are round-robin over the batch in order (image k goes to shard k mod ${shards}), so
# every task computes its share alone. A task writes its images' folders into the results
# folder, each file atomically, and last shards/shard-<i>-of-${shards}.json (what it did).
${all ? '' : `# Only the shards that had not finished are queued (${arraySpec(tasks)} of 0-${shards - 1}).\n`}${directives(
    ['--job-name=cellscope', `--array=${arraySpec(tasks)}`, `--output=${logs}/analyze-%A_%a.out`],
  )}
set -euo pipefail

${environment}

# --workers: images at once, one per CPU given to the task.
# --resume would skip the images whose outputs are complete (their summary.json exists).
# Exit code 7: some images failed (the others are done; merge lists them in failures.csv).
"\${CELLSCOPE[@]}" analyze \\
${options.inputs.map((input) => `  ${q(input)} \\`).join('\n')}
  --out ${q(options.outDir)} \\
  --config ${q(options.config)} \\
${options.conditions ? `  --conditions ${q(options.conditions)} \\\n` : ''}${
    options.channelSuffixes ? `  --channel-suffixes ${q(options.channelSuffixes)} \\\n` : ''
  }  --workers "\${SLURM_CPUS_PER_TASK:-1}" \\
${options.resume ? '  --resume \\\n' : ''}  --shard "\${SLURM_ARRAY_TASK_ID}/${shards}"
`;
  const merge = `#!/bin/bash
# cellscope: merge the ${shards} shards into one result, as one \`cellscope analyze\` of the
# whole batch writes it (combined tables, failures.csv, statistics, plots, report).
# submit.sh queues this job with --dependency=afterany:<array job>: it starts once every task
# has ended, even one that failed or was cancelled, and \`cellscope merge\` checks that every
# shard finished. If one did not, merge names the missing images and exits non-zero (the job
# fails); rerun the unfinished shards with \`cellscope slurm … --resume\`.
${directives(['--job-name=cellscope-merge', `--output=${logs}/merge-%j.out`])}
set -euo pipefail

${environment}

"\${CELLSCOPE[@]}" merge ${q(options.outDir)}
`;
  const submit = `#!/bin/bash
# Queues the array job, then the merge job that waits for all of its tasks.
set -euo pipefail
cd "$(dirname "$0")"
array=$(sbatch --parsable analyze.sbatch)
array=\${array%%;*} # --parsable prints "id;cluster" on federated clusters
merge=$(sbatch --parsable --dependency=afterany:"$array" merge.sbatch)
merge=\${merge%%;*}
echo "array job $array (shards ${arraySpec(tasks)} of ${shards}), merge job $merge"
`;
  return { analyze, merge, submit };
}
