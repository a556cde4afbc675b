import { ModelFormatError } from '../../errors.js';

/**
 * A pickle reader for the data-only subset that `torch.save` and `np.save(allow_pickle=True)`
 * write. It never runs code: a `GLOBAL` only names a callable, and `REDUCE`/`BUILD` on it go to a
 * pure TypeScript handler the caller allow-listed (`torch._utils._rebuild_tensor_v2`,
 * `numpy.dtype`, …). Any other global, and any opcode outside the subset, is an error.
 */

/** A Python global the pickle refers to, e.g. `collections.OrderedDict`. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An object whose state a later `BUILD` opcode sets (numpy arrays and dtypes). */
export interface Buildable {
  setState(state: unknown): void;
}

/** What a pickle may do, beyond building plain values. */
export interface PickleHandlers {
  /** Callables by qualified name (`module.name`): args in, value out. */
  readonly callables: Readonly<Record<string, (args: unknown[]) => unknown>>;
  /** `BINPERSID`: torch's storage references. Without it such a pickle is rejected. */
  readonly persistentLoad?: (id: unknown) => unknown;
}

// Python values as this reader gives them: None → null, bool, int → number (bigint beyond
// 2⁵³), float → number, str → string, bytes → Uint8Array, tuple → frozen array, list → array,
// dict → Map, globals → PickleGlobal.

/** The pickle `unpickle` reads, and the offset just past its STOP opcode. */
export interface Unpickled {
  value: unknown;
  end: number;
}

/**
 * Reads one pickle starting at `offset` (files may hold several in a row, as torch's legacy
 * format does). Throws {@link ModelFormatError} for truncated or malformed data, for opcodes
 * outside the data-only subset and for globals the handlers do not allow.
 */
export function unpickle(bytes: Uint8Array, handlers: PickleHandlers, offset = 0): Unpickled {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let at = offset;

  const need = (n: number): number => {
    if (n < 0 || at + n > bytes.length) {
      throw new ModelFormatError(`pickle is truncated at byte ${at} (needs ${n} more)`);
    }
    const start = at;
    at += n;
    return start;
  };
  const u8 = (): number => bytes[need(1)];
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const u64 = (): number => {
    const value = view.getBigUint64(need(8), true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new ModelFormatError('pickle length too large');
    return Number(value);
  };
  const raw = (n: number): Uint8Array => bytes.subarray(need(n), at);
  const text = (n: number): string => {
    const start = at;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw(n));
    } catch (cause) {
      if (cause instanceof ModelFormatError) throw cause;
      throw new ModelFormatError(`pickle string at byte ${start} is not valid UTF-8`, { cause });
    }
  };
  const latin1 = (n: number): string => new TextDecoder('latin1').decode(raw(n));
  const line = (): string => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) throw new ModelFormatError(`pickle is truncated at byte ${at} (no newline)`);
    const value = latin1(end - at);
    at++;
    return value;
  };
  const pop = (): unknown => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= marks[marks.length - 1])) {
      throw new ModelFormatError(`pickle stack underflow at byte ${at}`);
    }
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw new ModelFormatError(`pickle stack underflow at byte ${at}`);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const mark = marks.pop();
    if (mark === undefined) throw new ModelFormatError(`pickle has no MARK at byte ${at}`);
    return stack.splice(mark);
  };
  const globalOf = (module: string, name: string): PickleGlobal => {
    const found = new PickleGlobal(module, name);
    if (!(found.qualifiedName in handlers.callables)) {
      throw new ModelFormatError(
        `the file's pickle asks for ${found.qualifiedName}, which a weight file never needs; ` +
          'refusing to load it (only tensors, arrays and plain values are read)',
      );
    }
    return found;
  };
  const call = (callable: unknown, args: unknown): unknown => {
    if (!(callable instanceof PickleGlobal) || !Array.isArray(args)) {
      throw new ModelFormatError(`pickle REDUCE on a non-global at byte ${at}`);
    }
    return handlers.callables[callable.qualifiedName](args);
  };
  const setItems = (target: unknown, items: unknown[]): void => {
    if (!(target instanceof Map)) throw new ModelFormatError('pickle SETITEMS on a non-dict');
    if (items.length % 2) throw new ModelFormatError('pickle SETITEMS with an odd item count');
    for (let i = 0; i < items.length; i += 2) target.set(items[i], items[i + 1]);
  };
  const appendTo = (target: unknown, items: unknown[]): void => {
    if (!Array.isArray(target) || Object.isFrozen(target)) {
      throw new ModelFormatError('pickle APPENDS on a non-list');
    }
    // One at a time: spreading a million items overflows the call stack.
    for (const item of items) target.push(item);
  };
  const tuple = (items: unknown[]): unknown[] => Object.freeze(items) as unknown[];
  const long = (n: number): number | bigint => {
    if (n === 0) return 0;
    let value = 0n;
    const data = raw(n);
    for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(data[i]);
    if (data[n - 1] & 0x80) value -= 1n << BigInt(8 * n);
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  };

  for (;;) {
    const opcode = u8();
    switch (opcode) {
      case 0x80: // PROTO
        if (u8() > 5) throw new ModelFormatError('pickle protocol newer than 5');
        break;
      case 0x95: // FRAME: a length hint only
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1 || marks.length) {
          throw new ModelFormatError('pickle ends with a malformed stack');
        }
        return { value: stack[0], end: at };
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(tuple([]));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(view.getInt32(need(4), true));
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(long(u8()));
        break;
      case 0x8b: // LONG4
        stack.push(long(u32()));
        break;
      case 0x47: // BINFLOAT, big-endian
        stack.push(view.getFloat64(need(8), false));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str)
        stack.push(latin1(u8()));
        break;
      case 0x54: // BINSTRING
        stack.push(latin1(u32()));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(raw(u8()));
        break;
      case 0x42: // BINBYTES
        stack.push(raw(u32()));
        break;
      case 0x8e: // BINBYTES8
        stack.push(raw(u64()));
        break;
      case 0x74: // TUPLE
        stack.push(tuple(popMark()));
        break;
      case 0x85: // TUPLE1
        stack.push(tuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(tuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(tuple([pop(), b, c]));
        break;
      }
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x64: {
        // DICT
        const map = new Map();
        setItems(map, popMark());
        stack.push(map);
        break;
      }
      case 0x61: {
        // APPEND
        const item = pop();
        appendTo(top(), [item]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendTo(top(), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const key = opcode === 0x68 ? u8() : u32();
        if (!memo.has(key)) throw new ModelFormatError(`pickle refers to missing memo ${key}`);
        stack.push(memo.get(key));
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(globalOf(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') {
          throw new ModelFormatError('pickle STACK_GLOBAL needs two strings');
        }
        stack.push(globalOf(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args), as allow-listed for cls
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const target = top();
        if (target instanceof Map) break; // OrderedDict's __dict__ (torch's _metadata): unused
        if (!isBuildable(target)) throw new ModelFormatError(`pickle BUILD on a plain value`);
        target.setState(state);
        break;
      }
      case 0x51: {
        // BINPERSID
        const id = pop();
        if (!handlers.persistentLoad) {
          throw new ModelFormatError('pickle refers to external storage, not expected here');
        }
        stack.push(handlers.persistentLoad(id));
        break;
      }
      default:
        throw new ModelFormatError(
          `pickle opcode 0x${opcode.toString(16).padStart(2, '0')} at byte ${at - 1} is not ` +
            'part of the data-only subset cellscope reads',
        );
    }
  }
}

function isBuildable(value: unknown): value is Buildable {
  return typeof value === 'object' && value !== null && 'setState' in value;
}
