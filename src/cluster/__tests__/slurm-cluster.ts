// A one-node Slurm cluster for tests, from Debian's slurm-wlm and munge (installed by .ci/run):
// munged, slurmctld and slurmd run as root from a temp folder with a generated slurm.conf, as
// children of the test, and `stop` ends exactly those processes.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface SlurmCluster {
  /** The environment for sbatch, squeue and the jobs: SLURM_CONF points at this cluster. */
  env: NodeJS.ProcessEnv;
  /** Runs a Slurm client command (at most `timeoutMs`), resolving with its output and code. */
  run(command: string, args: string[], timeoutMs?: number): Promise<CommandResult>;
  /** A job's fields from `scontrol show job -o` (JobState, ExitCode…), or undefined. */
  job(id: string): Promise<Record<string, string> | undefined>;
  /** Waits until a job has ended (at most `timeoutMs`) and returns its fields. */
  waitForJob(id: string, timeoutMs: number): Promise<Record<string, string>>;
  /** Cancels every job, then ends the daemons; safe to call twice. */
  stop(): Promise<void>;
  /** The daemons' logs, for a failure message. */
  logs(): string;
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ENDED =
  /^(COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL|PREEMPTED|BOOT_FAIL|DEADLINE)/;

export function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<CommandResult> {
  return new Promise((done) => {
    execFile(command, args, { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr || error?.message || '') });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(what: string, timeoutMs: number, ready: () => Promise<boolean> | boolean) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

const SLURM_BINARIES = [
  '/usr/sbin/munged',
  '/usr/sbin/slurmctld',
  '/usr/sbin/slurmd',
  '/usr/bin/sbatch',
];

/**
 * Starts munged, slurmctld and slurmd in `dir` and waits for the node to be idle (30 s at most).
 * Resolves with `{ skipped }` saying why when they cannot start here (not installed, not root,
 * slurmctld exits): the caller skips its Slurm tests with that message.
 */
export async function startSlurmCluster(dir: string): Promise<SlurmCluster | { skipped: string }> {
  const missing = SLURM_BINARIES.filter((b) => !existsSync(b));
  if (missing.length) {
    return {
      skipped: `slurmctld cannot start: ${missing.join(', ')} not installed (apt-get install slurm-wlm munge; .ci/run does)`,
    };
  }
  if (process.getuid?.() !== 0) {
    return { skipped: 'slurmctld cannot start: the test cluster runs its daemons as root' };
  }
  const host = hostname().split('.')[0];
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const socket = join(dir, 'munge.sock');
  const key = join(dir, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o600 });
  const conf = join(dir, 'slurm.conf');
  // Just enough for one node: no cgroups, no accounting, four CPUs whatever the hardware.
  writeFileSync(
    conf,
    [
      'ClusterName=cellscope-test',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      'SlurmUser=root',
      'SlurmdUser=root',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'SchedulerType=sched/builtin',
      'SlurmdParameters=config_overrides',
      'ReturnToService=2',
      'MpiDefault=none',
      'SwitchType=switch/none',
      'MailProg=/bin/true',
      'KillWait=5',
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=4 RealMemory=4000 State=UNKNOWN`,
      `PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    SLURM_CONF: conf,
  };
  const children: ChildProcess[] = [];
  const daemon = (name: string, command: string, args: string[]): ChildProcess => {
    const out = openSync(join(dir, `${name}.out`), 'a');
    const child = spawn(command, args, { env, stdio: ['ignore', out, out] });
    closeSync(out);
    child.on('error', () => undefined);
    children.push(child);
    return child;
  };
  const logs = (): string =>
    ['munged.out', 'slurmctld.out', 'slurmctld.log', 'slurmd.out', 'slurmd.log']
      .filter((f) => existsSync(join(dir, f)))
      .map(
        (f) => `--- ${f}\n${readFileSync(join(dir, f), 'utf8').split('\n').slice(-25).join('\n')}`,
      )
      .join('\n');
  let stopped = false;
  const run = (command: string, args: string[], timeoutMs?: number) =>
    runCommand(command, args, env, timeoutMs);
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const ctld = children[1];
    if (ctld && ctld.exitCode === null) {
      const queued = await run('squeue', ['-h', '-o', '%A'], 10_000);
      const ids = [...new Set(queued.stdout.split(/\s+/).filter(Boolean))];
      if (ids.length) {
        await run('scancel', ids, 10_000);
        await waitFor('the cancelled jobs to end', 15_000, async () => {
          const left = await run('squeue', ['-h', '-o', '%A'], 10_000);
          return left.stdout.trim() === '' || left.code !== 0;
        }).catch(() => undefined);
      }
    }
    // slurmd first (it ends its job steps), then the controller, then munge.
    for (const child of [children[2], children[1], children[0]]) {
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const job = async (id: string): Promise<Record<string, string> | undefined> => {
    const shown = await run('scontrol', ['show', 'job', '-o', id], 10_000);
    if (shown.code !== 0) return undefined;
    const line = shown.stdout.split('\n')[0] ?? '';
    return Object.fromEntries(
      line
        .split(/\s+/)
        .filter((field) => field.includes('='))
        .map((field) => [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)]),
    );
  };
  const waitForJob = async (id: string, timeoutMs: number): Promise<Record<string, string>> => {
    let last: Record<string, string> | undefined;
    await waitFor(`job ${id} to end`, timeoutMs, async () => {
      last = await job(id);
      return ENDED.test(last?.JobState ?? '');
    }).catch((error: Error) => {
      throw new Error(
        `${error.message} (state ${last?.JobState}, reason ${last?.Reason})\n${logs()}`,
      );
    });
    return last ?? {};
  };

  try {
    daemon('munged', '/usr/sbin/munged', [
      '--foreground',
      '--force',
      `--key-file=${key}`,
      `--socket=${socket}`,
      `--pid-file=${join(dir, 'munged.pid')}`,
      `--log-file=${join(dir, 'munged.log')}`,
      `--seed-file=${join(dir, 'munged.seed')}`,
    ]);
    await waitFor('munged', 10_000, () => existsSync(socket));
    const ctld = daemon('slurmctld', '/usr/sbin/slurmctld', ['-D', '-f', conf]);
    daemon('slurmd', '/usr/sbin/slurmd', ['-D', '-f', conf, '-N', host]);
    await waitFor('the node to be idle', 30_000, async () => {
      if (ctld.exitCode !== null) throw new Error(`slurmctld exited with code ${ctld.exitCode}`);
      const info = await run('sinfo', ['-h', '-o', '%t'], 10_000);
      return info.stdout.trim() === 'idle';
    });
  } catch (error) {
    const why = `${(error as Error).message}\n${logs()}`;
    await stop();
    return { skipped: `the Slurm cluster cannot start here: ${why}` };
  }
  return { env, run, job, waitForJob, stop, logs };
}
