import { DIFFUSE_WASM } from './diffuse-wasm.js';
import { FOLLOW_WASM } from './follow-wasm.js';

let diffuse: Uint8Array | undefined;
let follow: Uint8Array | undefined;

const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** The heat diffusion's WebAssembly module (`diffuse.wat`), decoded once. */
export function diffuseWasm(): Uint8Array {
  diffuse ??= bytes(DIFFUSE_WASM);
  return diffuse;
}

/** The interpolated Euler walk's WebAssembly module (`follow.wat`), decoded once. */
export function followWasm(): Uint8Array {
  follow ??= bytes(FOLLOW_WASM);
  return follow;
}
