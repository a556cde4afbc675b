import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../exit-codes.js';
import { main } from '../program.js';

// A usage error is one line that points to the command's help, as git does (issue 15 §5),
// never the 16–54 lines of help itself.

afterEach(() => {
  vi.restoreAllMocks();
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('usage errors', () => {
  it.each([
    [
      ['segment', 'x.tif', '--foo', '--out', 'y.tif'],
      "cellscope: unknown option '--foo'; see 'cellscope segment --help'",
    ],
    [
      ['segment', 'x.tif', '--outt', 'y.tif', '--out', 'z.tif'],
      "cellscope: unknown option '--outt' (Did you mean --out?); see 'cellscope segment --help'",
    ],
    [['info'], "cellscope: missing required argument 'images'; see 'cellscope info --help'"],
    [
      ['measure', 'labels.tif'],
      "cellscope: required option '--out <table>' not specified; see 'cellscope measure --help'",
    ],
    [
      ['models', 'convert', 'w.pth'],
      "cellscope: required option '--out <model.onnx>' not specified; see 'cellscope models convert --help'",
    ],
    [
      ['segment', 'x.tif', '--diameter', '-3', '--out', 'y.tif'],
      "cellscope: option '--diameter <px|auto>' argument '-3' is invalid. expected a number > 0; see 'cellscope segment --help'",
    ],
    [
      ['evaluate', 'a.tif', 'b.tif', 'c.tif'],
      "cellscope: too many arguments for 'evaluate'. Expected 2 arguments but got 3; see 'cellscope evaluate --help'",
    ],
    [['frobnicate'], "cellscope: unknown command 'frobnicate'; see 'cellscope --help'"],
    [['--max-pixels', '0', 'info', 'x.tif'], /^cellscope: option '--max-pixels <n>' argument/],
    ...['segment', 'analyze', 'evaluate'].map((command): [string[], string] => [
      [command, 'x.tif', '--threads', '0'],
      `cellscope: option '--threads <n>' argument '0' is invalid. expected an integer ≥ 1; see 'cellscope ${command} --help'`,
    ]),
  ])('%j: one line, exit 2', async (argv, line) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(ExitCode.InvalidArgument);
    expect(stdout).toBe('');
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    if (typeof line === 'string') expect(stderr).toBe(`${line}\n`);
    else expect(stderr).toMatch(line);
  });

  it('--help still prints the whole help on stdout and exits 0', async () => {
    const { code, stdout, stderr } = await run('segment', '--help');
    expect(code).toBe(ExitCode.Ok);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: cellscope segment \[options\] <images\.\.\.>/);
    expect(stdout.split('\n').length).toBeGreaterThan(16);
  });
});
