import { existsSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED, readSharedBytes, readSharedJson } from '../../../../test/shared.js';
import { ModelFormatError } from '../../../errors.js';
import { seededRandom } from '../../../synth/random.js';
import { halfToFloat, decodeStateDict, type StateDict } from '../state-dict.js';
import { encodeStateDict } from '../encode-state-dict.js';

type Entry = [name: string, shape: number[], dtype: string];
const manifest = (): { net: { state_dict_small: Entry[] } } =>
  readSharedJson('fixtures/cellpose/manifest.json');

function randomStateDict(): StateDict {
  const random = seededRandom(3);
  return new Map([
    [
      'a.weight',
      { dtype: 'float32', shape: [2, 3, 1, 1], data: Float32Array.from({ length: 6 }, random) },
    ],
    ['a.bias', { dtype: 'float32', shape: [2], data: Float32Array.of(-1.5, 2e-30) }],
    ['a.num_batches_tracked', { dtype: 'int64', shape: [], data: BigInt64Array.of(12345678901n) }],
    ['b', { dtype: 'float64', shape: [1], data: Float64Array.of(Math.PI) }],
  ]);
}

describe.skipIf(!HAS_SHARED)('decodeStateDict on the Cellpose fixture weights', () => {
  it('reads every entry of cpnet_small_cyto.pth with the manifest shapes and dtypes', () => {
    const weights = decodeStateDict(readSharedBytes('fixtures/cellpose/net/cpnet_small_cyto.pth'));
    const expected = manifest().net.state_dict_small;
    expect([...weights.keys()]).toEqual(expected.map(([name]) => name));
    for (const [name, shape, dtype] of expected) {
      const tensor = weights.get(name)!;
      expect([name, tensor.shape, tensor.dtype]).toEqual([name, shape, dtype]);
    }
    expect(weights.get('diam_mean')!.data[0]).toBe(30);
  });

  it('refuses a truncated file with a clear error', () => {
    const bytes = readSharedBytes('fixtures/cellpose/net/cpnet_small_cyto.pth');
    expect(() => decodeStateDict(bytes.subarray(0, bytes.length >> 1))).toThrow(ModelFormatError);
    expect(() => decodeStateDict(bytes.subarray(0, 100))).toThrow(
      /zip archive is corrupt or truncated/,
    );
  });
});

describe('encodeStateDict → decodeStateDict', () => {
  for (const layout of ['zip', 'legacy'] as const) {
    it(`round-trips float32, float64 and int64 tensors (${layout})`, () => {
      const original = randomStateDict();
      expect(decodeStateDict(encodeStateDict(original, { layout }))).toEqual(original);
    });
  }

  it('gives a clear error for a truncated legacy file', () => {
    const bytes = encodeStateDict(randomStateDict(), { layout: 'legacy' });
    for (const cut of [20, bytes.length - 3]) {
      expect(() => decodeStateDict(bytes.subarray(0, cut))).toThrow(/truncated/);
    }
  });

  it('widens float16 and bfloat16 storages exactly', () => {
    const original = randomStateDict();
    const files = unzipSync(encodeStateDict(original, { stem: 'half' }));
    const pickle = new TextDecoder('latin1').decode(files['half/data.pkl']);
    // Storage 0 (a.weight) as half precision, storage 1 (a.bias) as bfloat16.
    const halves = Uint16Array.of(0x3c00, 0xc000, 0x0001, 0x7bff, 0xfc00, 0x8000);
    const brains = Uint16Array.of(0xbfc0, 0x0d22);
    const patched = pickle
      .replace('torch\nFloatStorage', 'torch\nHalfStorage')
      .replace('torch\nFloatStorage', 'torch\nBFloat16Storage');
    files['half/data.pkl'] = Uint8Array.from(patched, (c) => c.charCodeAt(0));
    files['half/data/0'] = new Uint8Array(halves.buffer);
    files['half/data/1'] = new Uint8Array(brains.buffer);
    const read = decodeStateDict(zipSync(files, { level: 0 }));
    expect(read.get('a.weight')!.dtype).toBe('float16');
    expect(Array.from(read.get('a.weight')!.data as Float32Array)).toEqual([
      1,
      -2,
      2 ** -24,
      65504,
      -Infinity,
      -0,
    ]);
    const bfloat = new Float32Array(new Uint32Array([0x0d220000]).buffer)[0];
    expect(Array.from(read.get('a.bias')!.data as Float32Array)).toEqual([-1.5, bfloat]);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});

describe('decodeStateDict refuses pickles that would run code', () => {
  const marker = '/tmp/cellscope-pickle-must-not-exist';
  const evil = (body: string): Uint8Array =>
    zipSync({
      'evil/data.pkl': Uint8Array.from(body, (c) => c.charCodeAt(0)),
      'evil/version': new TextEncoder().encode('3\n'),
    });

  it('rejects os.system without calling it', () => {
    const payload = `\x80\x02cos\nsystem\nq\x00X\x1f\x00\x00\x00touch ${marker}\x85R.`;
    expect(() => decodeStateDict(evil(payload))).toThrow(/asks for os\.system.*refusing/);
    expect(existsSync(marker)).toBe(false);
  });

  it('rejects builtins.eval through STACK_GLOBAL and unknown opcodes', () => {
    const stackGlobal = '\x80\x04\x8c\x08builtins\x8c\x04eval\x93\x8c\x011\x85R.';
    expect(() => decodeStateDict(evil(stackGlobal))).toThrow(/builtins\.eval/);
    expect(() => decodeStateDict(evil('\x80\x02I1\n.'))).toThrow(/opcode 0x49/);
  });

  it('rejects a pickle that is not a dict of tensors', () => {
    expect(() => decodeStateDict(evil('\x80\x02K\x05.'))).toThrow(/no state_dict/);
    expect(() => decodeStateDict(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(/not a PyTorch/);
  });
});
