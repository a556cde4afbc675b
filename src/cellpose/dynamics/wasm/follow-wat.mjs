// Writes follow.wat: the Euler steps of followRange (interp) for SLOTS pixels at a time, each
// pixel's (y, x) in one f64x2, so the CPU has independent chains to overlap. build.mjs runs this.
const SLOTS = 4;
const get = (name, s) => `(local.get $${name}${s})`;
/** float32 rounding of both lanes, as Math.fround. */
const fround = (v) => `(f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero ${v}))`;
/** The [dY, dX] float32 pair of step-field pixel row + col, as float64. */
const load = (row, col, s) =>
  `(f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $steps) (i32.shl (i32.add ${get(row, s)} ${get(col, s)}) (i32.const 3)))))`;
const lane = (v, which) =>
  which === 0
    ? `(i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 ${v} ${v})`
    : `(i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 ${v} ${v})`;

/** $q{s} = one step from $p{s}, operation for operation as followPairInterpolated. */
function step(s) {
  return `
          (local.set $i${s} (i32x4.trunc_sat_f64x2_s_zero ${get('p', s)}))
          (local.set $f${s} (f64x2.sub ${get('p', s)} (f64x2.convert_low_i32x4_s ${get('i', s)})))
          (local.set $g${s} (f64x2.sub (f64x2.splat (f64.const 1)) ${get('f', s)}))
          (local.set $y0${s} (i32x4.extract_lane 0 ${get('i', s)}))
          (local.set $x0${s} (i32x4.extract_lane 1 ${get('i', s)}))
          (local.set $r0${s} (i32.mul ${get('y0', s)} (local.get $width)))
          (local.set $r1${s} (select (i32.add ${get('r0', s)} (local.get $width)) ${get('r0', s)} (i32.lt_s ${get('y0', s)} (local.get $lastY))))
          (local.set $x1${s} (select (i32.add ${get('x0', s)} (i32.const 1)) ${get('x0', s)} (i32.lt_s ${get('x0', s)} (local.get $lastX))))
          (local.set $fy${s} ${lane(get('f', s), 0)})
          (local.set $fx${s} ${lane(get('f', s), 1)})
          (local.set $gy${s} ${lane(get('g', s), 0)})
          (local.set $gx${s} ${lane(get('g', s), 1)})
          ;; fround(a·gy·gx + b·gy·fx + fround(c·fy)·gx + fround(fround(d·fy)·fx)), then
          ;; fround(p + step), then clamped: pmax/pmin are JavaScript's p < 0 ? 0 : p > last ? last : p
          (local.set $q${s} (f64x2.pmin (f64x2.pmax ${fround(
            `(f64x2.add ${get('p', s)} ${fround(`(f64x2.add (f64x2.add (f64x2.add
            (f64x2.mul (f64x2.mul ${load('r0', 'x0', s)} ${get('gy', s)}) ${get('gx', s)})
            (f64x2.mul (f64x2.mul ${load('r0', 'x1', s)} ${get('gy', s)}) ${get('fx', s)}))
            (f64x2.mul ${fround(`(f64x2.mul ${load('r1', 'x0', s)} ${get('fy', s)})`)} ${get('gx', s)}))
            ${fround(`(f64x2.mul ${fround(`(f64x2.mul ${load('r1', 'x1', s)} ${get('fy', s)})`)} ${get('fx', s)})`)})`)})`,
          )} (v128.const f64x2 0 0)) (local.get $lim)))`;
}

/** Slot s takes the next pixel, or goes idle when none is left. */
function take(s) {
  return `
      (if (i32.lt_u (local.get $next) (local.get $count))
        (then
          (local.set $k${s} (local.get $next))
          (local.set $next (i32.add (local.get $next) (i32.const 1)))
          (local.set $pixel (i32.load (i32.add (local.get $pixels) (i32.shl ${get('k', s)} (i32.const 2)))))
          (local.set $row (i32.div_u (local.get $pixel) (local.get $width)))
          (local.set $p${s} (f64x2.replace_lane 1 (f64x2.splat (f64.convert_i32_u (local.get $row)))
            (f64.convert_i32_u (i32.sub (local.get $pixel) (i32.mul (local.get $row) (local.get $width))))))
          (local.set $check${s} ${get('p', s)})
          (local.set $t${s} (i32.const 0))
          (local.set $checkT${s} (i32.const 0))
          (local.set $end${s} (local.get $niter))
          (local.set $searching${s} (i32.const 1)))
        (else (local.set $active${s} (i32.const 0))))`;
}

/** One round for slot s: finish its pixel, or take one step and look for a cycle. */
function round(s) {
  return `
    (if ${get('active', s)} (then
      (if (i32.ge_u ${get('t', s)} ${get('end', s)})
        (then
          (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl ${get('k', s)} (i32.const 3))) (f32x4.demote_f64x2_zero ${get('p', s)}))
          ${take(s)})
        (else
          ${step(s)}
          (local.set $t${s} (i32.add ${get('t', s)} (i32.const 1)))
          (if ${get('searching', s)} (then
            ;; A fixed point: every later step leaves it where it is.
            (if (i64x2.all_true (f64x2.eq ${get('q', s)} ${get('p', s)}))
              (then (local.set $end${s} ${get('t', s)}))
              ;; Back at the checkpoint: periodic, so the remaining steps reduce modulo the period.
              (else (if (i64x2.all_true (f64x2.eq ${get('q', s)} ${get('check', s)}))
                (then
                  (local.set $end${s} (i32.add ${get('t', s)} (i32.rem_u (i32.sub (local.get $niter) ${get('t', s)}) (i32.sub ${get('t', s)} ${get('checkT', s)}))))
                  (local.set $searching${s} (i32.const 0)))
                (else (if (i32.eq (i32.sub ${get('t', s)} ${get('checkT', s)}) (i32.const 8)) (then
                  (local.set $check${s} ${get('q', s)})
                  (local.set $checkT${s} ${get('t', s)})))))))))
          (local.set $p${s} ${get('q', s)})))))`;
}

function locals(s) {
  const vectors = ['p', 'q', 'i', 'f', 'g', 'fy', 'fx', 'gy', 'gx', 'check'];
  const ints = ['y0', 'x0', 'r0', 'r1', 'x1', 't', 'checkT', 'end', 'searching', 'k', 'active'];
  return [
    ...vectors.map((n) => `(local $${n}${s} v128)`),
    ...ints.map((n) => `(local $${n}${s} i32)`),
  ].join(' ');
}

export function followWat() {
  const slots = [...Array(SLOTS).keys()];
  return `;; Generated by follow-wat.mjs; do not edit. See followRange (follow-range.ts).
;; follow(pixels, count, out, steps, width, height, niter): the final float32 (y, x) of each of
;; the count raster indices at pixels, written as pairs at out; steps holds the [dY, dX] float32
;; step field. All addresses are byte offsets into memory.
(module
  (memory (export "memory") 1)
  (func (export "follow") (param $pixels i32) (param $count i32) (param $out i32) (param $steps i32)
      (param $width i32) (param $height i32) (param $niter i32)
    (local $next i32) (local $pixel i32) (local $row i32) (local $lastY i32) (local $lastX i32) (local $lim v128)
    ${slots.map(locals).join('\n    ')}
    (local.set $lastY (i32.sub (local.get $height) (i32.const 1)))
    (local.set $lastX (i32.sub (local.get $width) (i32.const 1)))
    (local.set $lim (f64x2.replace_lane 1 (f64x2.splat (f64.convert_i32_s (local.get $lastY))) (f64.convert_i32_s (local.get $lastX))))
    ${slots.map((s) => `(local.set $active${s} (i32.const 1))${take(s)}`).join('\n    ')}
    (block $all (loop $rounds
      (br_if $all (i32.eqz ${slots.map((s) => get('active', s)).reduce((a, b) => `(i32.or ${a} ${b})`)}))
      ${slots.map(round).join('\n')}
      (br $rounds)))))
`;
}
