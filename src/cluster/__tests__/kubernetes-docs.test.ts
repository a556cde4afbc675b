// The README's Kubernetes example (docs/kubernetes/) must stay a valid sharded run.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../cli/program.js';

const DOCS = resolve(import.meta.dirname, '..', '..', '..', 'docs', 'kubernetes');

interface JobManifest {
  kind: string;
  spec: {
    completionMode?: string;
    completions?: number;
    template: { spec: { containers: { command: string[]; args: string[] }[] } };
  };
}

const read = (file: string): JobManifest =>
  parse(readFileSync(resolve(DOCS, file), 'utf8')) as JobManifest;

/** The cellscope words of a pod's shell line, before `|| [ $? -eq 7 ]`. */
function cellscopeWords(job: JobManifest): string[] {
  const line = job.spec.template.spec.containers[0].args[0];
  return line.split('||')[0].trim().split(/\s+/);
}

describe('docs/kubernetes', () => {
  it('runs one shard per index of the Indexed Job, N equal to its completions', () => {
    const job = read('cellscope-shards.yaml');
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const words = cellscopeWords(job);
    expect(words.slice(0, 2)).toEqual(['cellscope', 'analyze']);
    const shard = words[words.indexOf('--shard') + 1];
    expect(shard).toBe(`"\${JOB_COMPLETION_INDEX}/${job.spec.completions}"`);
    // Every flag is one analyze takes.
    const analyze = buildProgram().commands.find((c) => c.name() === 'analyze')!;
    const flags = new Set(analyze.options.map((o) => o.long));
    for (const word of words.filter((w) => w.startsWith('--'))) {
      expect(flags.has(word), word).toBe(true);
    }
  });

  it('merges the results folder the shards wrote', () => {
    const shards = cellscopeWords(read('cellscope-shards.yaml'));
    const merge = cellscopeWords(read('cellscope-merge.yaml'));
    expect(merge).toEqual(['cellscope', 'merge', shards[shards.indexOf('--out') + 1]]);
  });
});
