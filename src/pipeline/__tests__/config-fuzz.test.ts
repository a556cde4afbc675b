import { stringify as toYaml } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { seededRandom } from '../../synth/random.js';
import { parseAnalysisConfig, parseAnalysisConfigText } from '../config.js';

// Mutated configs must parse or raise an InvalidArgumentError with one short line naming the file:
// never another exception, a polluted prototype or a printed warning. CELLSCOPE_FUZZ_CASES and
// CELLSCOPE_FUZZ_SEED replay a run, as in the TIFF and .pth fuzz tests.

const requested = Number(process.env.CELLSCOPE_FUZZ_CASES) || 1200;
const CASES = process.env.CI ? Math.max(1000, requested) : requested;
const BASE_SEED = Number(process.env.CELLSCOPE_FUZZ_SEED) >>> 0 || 0xc0f1;
const FILE = 'fuzz.yaml';
/** Long enough for five problems with their paths, short enough to read in a terminal. */
const MAX_MESSAGE = 1000;

interface Rng {
  next: () => number;
  int: (n: number) => number;
  pick: <T>(items: readonly T[]) => T;
}

function rngFrom(seed: number): Rng {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)] };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SEEDS: Json[] = [
  { channels: { nuclei: 0, cytoplasm: 1 } },
  {
    channels: { nuclei: 'DNA', cytoplasm: 'actin', others: [2, 'tubulin'] },
    nuclei: { method: 'classical', diameter: 'auto', threshold: 'otsu', smoothingSigma: 1.5 },
    cells: { method: 'from-nuclei', growth: 'distance', threshold: 0.2, maxDistancePx: 20 },
    pixelSizeUm: 0.65,
    outputs: { tables: ['csv'], plots: ['svg'], overlay: false, report: true },
  },
  {
    channels: { nuclei: 0, cytoplasm: 1, others: [2] },
    nuclei: { method: 'cellpose', model: 'nuclei', diameter: 17, flowThreshold: 0.4 },
    cells: { method: 'cellpose', diameter: 30, useNuclearChannel: false, minSize: 15 },
    downloadModels: false,
  },
];

/** Keys that pollute prototypes, shadow builtins or break a one-line message. */
const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  'valueOf',
  '',
  'a\nb',
  'CHANNELS',
  'method ',
  '0',
];

/** A deeply nested array or object, as a hostile config might hold. */
function deep(rng: Rng): Json {
  let value: Json = rng.int(2) ? 1 : 'x';
  for (let depth = 1 + rng.int(400); depth > 0; depth--)
    value = rng.int(2) ? [value] : { a: value };
  return value;
}

/** Values of the wrong type, out of range, or numbers in disguise. */
function weird(rng: Rng): Json {
  const choices: (() => Json)[] = [
    () => rng.pick([1e308, -1e308, Number.MAX_VALUE, 5e-324, -0, 2 ** 53 + 2, -1, 0, 1e5, 0.5]),
    () => rng.pick(['NaN', 'Infinity', '-Infinity', '1e999', '0x10', ' 1 ', '', 'auto ', 'AUTO']),
    () => rng.pick([true, false, null]),
    () => [],
    () => ({}),
    () => Array.from({ length: 1 + rng.int(500) }, (_, i) => i),
    () => 'x'.repeat(1 + rng.int(10_000)),
    () => '\u0000\n\r\t\u2028"\'{}[]:#&*!|>%@`',
    () => rng.pick(['classical', 'cellpose', 'from-nuclei', 'distance', 'otsu', 'csv', 'png']),
    () => deep(rng),
  ];
  return rng.pick(choices)();
}

/** Sets an own property, so that `__proto__` becomes a key as JSON.parse would make it. */
function setOwn(target: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Every object and array in `value`, with the seed's root first. */
function containers(value: Json, out: (Json[] | { [key: string]: Json })[] = []) {
  if (value && typeof value === 'object') {
    out.push(value);
    for (const child of Object.values(value)) containers(child, out);
  }
  return out;
}

function mutateValue(root: Json, rng: Rng): Json {
  const copy = structuredClone(root);
  for (let edits = 1 + rng.int(3); edits > 0; edits--) {
    const target = rng.pick(containers(copy));
    const keys = Object.keys(target);
    if (Array.isArray(target)) {
      if (rng.int(2) || !target.length) target.push(weird(rng));
      else target[rng.int(target.length)] = weird(rng);
      continue;
    }
    const what = rng.int(4);
    if (what === 0 && keys.length) setOwn(target, rng.pick(keys), weird(rng));
    else if (what === 1 && keys.length) delete target[rng.pick(keys)];
    else if (what === 2 && keys.length) {
      const key = rng.pick(keys);
      const renamed = rng.pick([key.toUpperCase(), `${key}s`, key.slice(1)]);
      const value = target[key];
      delete target[key];
      setOwn(target, renamed, value);
    } else setOwn(target, rng.pick(HOSTILE_KEYS), rng.int(2) ? weird(rng) : { polluted: true });
  }
  return copy;
}

/** Edits the text itself: what a typo, a bad merge or a hostile YAML feature leaves. */
function mutateText(text: string, rng: Rng): string {
  const at = rng.int(text.length + 1);
  const edits: (() => string)[] = [
    () => text.slice(0, at),
    () => text.slice(0, at) + text.slice(at + 1 + rng.int(8)),
    () =>
      text.slice(0, at) +
      rng.pick(['{', '}', '[', ']', ':', ',', '"', '\t', '\n', '- ']) +
      text.slice(at),
    () =>
      text.slice(0, at) +
      rng.pick([
        '!!js/function ',
        '!!binary ',
        '!!python/object ',
        '&a ',
        '*a ',
        '<<: ',
        '? ',
        '%YAML 1.1\n---\n',
      ]) +
      text.slice(at),
    () => `${text}\n${text}`,
    () => '['.repeat(rng.int(2000)) + ']'.repeat(rng.int(2000)),
    () =>
      'a: &a [x,x,x,x,x,x,x,x,x]\n' +
      Array.from(
        { length: 6 },
        (_, i) => `${'bcdefg'[i]}: &${'bcdefg'[i]} [${`*${'abcdef'[i]},`.repeat(9)}]`,
      ).join('\n'),
  ];
  return rng.pick(edits)();
}

/** 'parsed' or 'refused' when the config parsed cleanly or failed as it should; else what went wrong. */
function checkCase(parse: () => unknown): string {
  try {
    const config = parse();
    if (Object.getPrototypeOf(config) !== Object.prototype) return 'the config lost its prototype';
    const numbers = JSON.stringify(config, (_, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? 'NONFINITE' : v,
    );
    if (numbers.includes('NONFINITE'))
      return `a non-finite number parsed: ${numbers.slice(0, 200)}`;
    return 'parsed';
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) {
      return `${(error as Error)?.constructor?.name}: ${String((error as Error)?.message).slice(0, 200)}`;
    }
    const line = error.describe();
    if (/[\n\r\u2028]/.test(line))
      return `more than one line: ${JSON.stringify(line.slice(0, 200))}`;
    if (line.length > MAX_MESSAGE) return `a ${line.length}-character message`;
    if (!line.startsWith(`${FILE}: `)) return `the message does not name the file: ${line}`;
    if (!/invalid analysis config: |not valid YAML\/JSON: /.test(line)) return `unclear: ${line}`;
    return 'refused';
  }
}

describe('analysis config parser under fuzzing', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(SEEDS.map((seed, i) => [i, seed] as const))('seed %i parses', (_, seed) => {
    expect(checkCase(() => parseAnalysisConfig(seed, FILE))).toBe('parsed');
    expect(parseAnalysisConfigText(toYaml(seed), FILE).channels).toBeDefined();
  });

  it(`${CASES} mutated configs parse or fail with one line naming the file`, () => {
    const warned = vi.spyOn(process, 'emitWarning');
    const failures: string[] = [];
    const outcomes = { parsed: 0, refused: 0 };
    const started = performance.now();
    for (let k = 0; k < CASES; k++) {
      const rng = rngFrom(BASE_SEED ^ Math.imul(k + 1, 0x9e3779b1));
      const mutant = mutateValue(rng.pick(SEEDS), rng);
      // One route per case: the object as the app passes it, its JSON or YAML text, or edited text.
      const route = rng.int(4);
      const text = route === 2 ? toYaml(mutant) : JSON.stringify(mutant);
      const parse =
        route === 0
          ? () => parseAnalysisConfig(mutant, FILE)
          : route === 3
            ? () => parseAnalysisConfigText(mutateText(text, rng), FILE)
            : () => parseAnalysisConfigText(text, FILE);
      const outcome = checkCase(parse);
      if (outcome === 'parsed' || outcome === 'refused') outcomes[outcome]++;
      else failures.push(`case ${k} (route ${route}): ${outcome}`);
    }
    const replay = `CELLSCOPE_FUZZ_SEED=${BASE_SEED} CELLSCOPE_FUZZ_CASES=${CASES}`;
    expect(failures.slice(0, 10), `${failures.length} failing cases (${replay})`).toEqual([]);
    // The mutants reach both outcomes: a fuzzer that only ever fails tests nothing.
    expect(outcomes.parsed).toBeGreaterThan(CASES / 50);
    expect(outcomes.refused).toBeGreaterThan(CASES / 2);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(warned).not.toHaveBeenCalled();
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('analysis config: hostile inputs', () => {
  it('refuses __proto__ keys without touching any prototype', () => {
    for (const text of [
      '{"channels": {"nuclei": 0, "cytoplasm": 1}, "__proto__": {"polluted": true}}',
      '{"channels": {"nuclei": 0, "cytoplasm": 1, "__proto__": {"polluted": true}}}',
      'channels: {nuclei: 0, cytoplasm: 1}\nconstructor: {prototype: {polluted: true}}\n',
    ]) {
      expect(() => parseAnalysisConfigText(text, 'x.yaml')).toThrow(
        /^invalid analysis config: .*Unrecognized key: "(__proto__|constructor)"$/,
      );
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('lists the first five problems of many on one line', () => {
    const keys = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key${i}\n`, i]));
    const error = (() => {
      try {
        parseAnalysisConfig(
          {
            channels: { nuclei: -1, cytoplasm: [], others: ['', 0.5] },
            pixelSizeUm: 'NaN',
            downloadModels: 'yes',
            ...keys,
          },
          'c.json',
        );
      } catch (e) {
        return e as InvalidArgumentError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    const line = error!.describe();
    expect(line).toMatch(
      /^c\.json: invalid analysis config: channels\.nuclei: .*; and \d+ more \(see the README/,
    );
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThan(MAX_MESSAGE);
  });

  it('refuses an alias bomb, deep nesting and bad YAML in one line, and prints nothing', () => {
    const warned = vi.spyOn(process, 'emitWarning');
    const bomb =
      'a: &a [x,x,x,x,x,x,x,x,x]\n' +
      Array.from(
        { length: 8 },
        (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${`*${'abcdefgh'[i]},`.repeat(9)}]`,
      ).join('\n');
    expect(() => parseAnalysisConfigText(bomb, 'c.yaml')).toThrow(
      /^the config is not valid YAML\/JSON: Excessive alias count/,
    );
    expect(() => parseAnalysisConfigText('['.repeat(100_000), 'c.yaml')).toThrow(
      /^the config is not valid YAML\/JSON: [^\n]+$/,
    );
    expect(() => parseAnalysisConfigText('channels: 1\nchannels: 2\n', 'c.yaml')).toThrow(
      /^the config is not valid YAML\/JSON: Map keys must be unique at line 2, column 1$/,
    );
    expect(() => parseAnalysisConfigText('channels: !!js/function "f"\n', 'c.yaml')).toThrow(
      /^invalid analysis config: channels: Invalid input: expected object, received string$/,
    );
    expect(warned).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it('refuses numbers in disguise: NaN, infinities and unsafe integers', () => {
    const base = 'channels: {nuclei: 0, cytoplasm: 1}\n';
    for (const [line, message] of [
      ['pixelSizeUm: .nan', 'pixelSizeUm: Invalid input: expected number, received NaN'],
      ['pixelSizeUm: .inf', 'pixelSizeUm: Invalid input: expected number, received Infinity'],
      ['pixelSizeUm: "0.65"', 'pixelSizeUm: Invalid input: expected number, received string'],
      ['others: [99999999999999999999]', 'channels'],
    ] as const) {
      const text = line.startsWith('others')
        ? `channels: {nuclei: 0, cytoplasm: 1, ${line}}`
        : base + line;
      expect(() => parseAnalysisConfigText(text)).toThrow(
        new RegExp(`^invalid analysis config: ${message.replace(/[.]/g, '\\.')}`),
      );
    }
  });
});
