// Regenerates cpnet-wasm.ts (the CPnet kernels, plain and relaxed SIMD) from cpnet-wat.mjs:
//   npm install --prefix /tmp/wasmtools wabt@1   (outside the repository)
//   node src/cellpose/network/wasm/build.mjs [/tmp/wasmtools]
/* global process, console, Buffer */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cpnetWat } from './cpnet-wat.mjs';

const here = import.meta.dirname;
const prefix = process.argv[2] ?? '/tmp/wasmtools';
const load = createRequire(join(prefix, 'node_modules', 'x.js'));
const wabt = await load('wabt')();
const version = load('wabt/package.json').version;

const compiled = {};
for (const relaxed of [false, true]) {
  const source = cpnetWat({ relaxed });
  if (!relaxed) writeFileSync(join(here, 'cpnet.wat'), source);
  const parsed = wabt.parseWat('cpnet.wat', source, { simd: true, relaxed_simd: relaxed });
  parsed.validate();
  compiled[relaxed ? 'RELAXED' : 'PLAIN'] = Buffer.from(parsed.toBinary({}).buffer);
}
writeFileSync(
  join(here, 'cpnet-wasm.ts'),
  `// Generated from cpnet-wat.mjs by build.mjs (wabt ${version}); do not edit.\n` +
    `/** cpnet.wat compiled, base64 (${compiled.PLAIN.length} bytes). */\n` +
    `export const CPNET_WASM =\n  '${compiled.PLAIN.toString('base64')}';\n` +
    `/** The same with relaxed-SIMD fused multiply-adds in the convolution (${compiled.RELAXED.length} bytes). */\n` +
    `export const CPNET_RELAXED_WASM =\n  '${compiled.RELAXED.toString('base64')}';\n`,
);
console.log(`cpnet-wasm.ts: ${compiled.PLAIN.length} + ${compiled.RELAXED.length} bytes`);
