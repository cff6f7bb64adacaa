//! Loop conditions on unsigned and NaN operands: the test before the loop
//! and the back edge must both compare as the op says.

use jit::prelude::*;

use crate::common::agrees;

#[jit]
fn u32_bounds(lo: u32, hi: u32) -> (u32, i32) {
    lax::fori_loop(lo, hi, |i, (s, k)| (s + i, k + 1), (Tracer::from(0u32), 0))
}

fn u32_bounds_ref(lo: u32, hi: u32) -> (u32, i32) {
    let (mut s, mut k) = (0u32, 0i32);
    for i in lo..hi {
        s = s.wrapping_add(i);
        k += 1;
    }
    (s, k)
}

#[jit]
fn u32_while_lt(x: u32, limit: u32) -> u32 {
    lax::while_loop(|c| c < limit, |c| c + x, Tracer::from(1u32))
}

fn u32_while_lt_ref(x: u32, limit: u32) -> u32 {
    let mut c = 1u32;
    while c < limit {
        c = c.wrapping_add(x);
    }
    c
}

#[jit]
fn u32_while_ge(x: u32, limit: u32) -> u32 {
    lax::while_loop(|c| c >= limit, |c| c - x, Tracer::from(u32::MAX))
}

fn u32_while_ge_ref(x: u32, limit: u32) -> u32 {
    let mut c = u32::MAX;
    while c >= limit {
        c = c.wrapping_sub(x);
    }
    c
}

#[test]
fn u32_bounds_and_conditions_compare_unsigned() {
    // 0x7fff_ffff..0x8000_0001 is two trips unsigned, none signed.
    agrees!(u32_bounds, u32_bounds_ref, |lo: u32, hi: u32| [
        (0x7FFF_FFFF, 0x8000_0001),
        (0x8000_0001, 0x7FFF_FFFF),
        (u32::MAX - 2, u32::MAX),
        (0, 3),
        (3, 0),
    ]);
    agrees!(u32_while_lt, u32_while_lt_ref, |x: u32, limit: u32| [
        (0x4000_0000, 0x9000_0000),
        (0x7000_0000, 0xF000_0000),
        (1, 0),
        (3, 3),
        (0x3000_0000, 0x8000_0000),
    ]);
    agrees!(u32_while_ge, u32_while_ge_ref, |x: u32, limit: u32| [
        (0x4000_0000, 0x9000_0000),
        (0x7000_0000, 0x1000_0000),
        (1, u32::MAX),
        (0x3000_0000, 0x8000_0000),
    ]);
}

/// A `while_loop` on `c OP y` whose carry may become NaN or infinite on
/// the way: NaN makes every ordered comparison false and `!=` true.
macro_rules! float_condition {
    ($name:ident, $reference:ident, $op:tt) => {
        #[jit]
        fn $name(x: f32, y: f32) -> (f32, i32) {
            lax::while_loop(
                |(c, k)| (c $op y) & (k < 20),
                |(c, k)| (c * x + 1.0, k + 1),
                (Tracer::from(1.0f32), 0),
            )
        }

        fn $reference(x: f32, y: f32) -> (f32, i32) {
            let (mut c, mut k) = (1.0f32, 0);
            while (c $op y) && k < 20 {
                c = c * x + 1.0;
                k += 1;
            }
            (c, k)
        }
    };
}

/// The same with the comparison alone as the condition (so it can live in
/// the flags); after 20 trips the body stores NaN, which stops it.
macro_rules! bare_float_condition {
    ($name:ident, $reference:ident, $op:tt) => {
        #[jit]
        fn $name(x: f32, y: f32) -> (f32, i32) {
            lax::while_loop(
                |(c, _)| c $op y,
                |(c, k)| (lax::select(k < 20, c * x + 1.0, f32::NAN), k + 1),
                (Tracer::from(1.0f32), 0),
            )
        }

        fn $reference(x: f32, y: f32) -> (f32, i32) {
            let (mut c, mut k) = (1.0f32, 0);
            while c $op y {
                c = if k < 20 { c * x + 1.0 } else { f32::NAN };
                k += 1;
            }
            (c, k)
        }
    };
}

float_condition!(while_lt, while_lt_ref, <);
float_condition!(while_le, while_le_ref, <=);
float_condition!(while_gt, while_gt_ref, >);
float_condition!(while_ge, while_ge_ref, >=);
float_condition!(while_eq, while_eq_ref, ==);
float_condition!(while_ne, while_ne_ref, !=);
bare_float_condition!(bare_lt, bare_lt_ref, <);
bare_float_condition!(bare_le, bare_le_ref, <=);
bare_float_condition!(bare_gt, bare_gt_ref, >);
bare_float_condition!(bare_ge, bare_ge_ref, >=);

#[jit]
fn bare_ne(x: f32, y: f32) -> (f32, i32) {
    lax::while_loop(
        |(c, _)| c != y,
        |(c, k)| (lax::select(k < 20, c * x + 1.0, y), k + 1),
        (Tracer::from(1.0f32), 0),
    )
}

fn bare_ne_ref(x: f32, y: f32) -> (f32, i32) {
    let (mut c, mut k) = (1.0f32, 0);
    while c != y {
        c = if k < 20 { c * x + 1.0 } else { y };
        k += 1;
    }
    (c, k)
}

#[test]
fn float_loop_conditions_with_nan_and_infinities() {
    macro_rules! each {
        ($($f:ident $r:ident),*) => {$(
            agrees!($f, $r, |x: f32, y: f32| [
                (f32::NAN, 100.0),
                (2.0, 100.0),
                (2.0, f32::NAN),
                (-3.0, -100.0),
                (f32::INFINITY, 1e30),
                (0.0, 1.0),
                (1.0, 1.0),
                (-1.0, -1e10),
            ]);
        )*};
    }
    each!(
        while_lt while_lt_ref, while_le while_le_ref, while_gt while_gt_ref,
        while_ge while_ge_ref, while_eq while_eq_ref, while_ne while_ne_ref,
        bare_lt bare_lt_ref, bare_le bare_le_ref, bare_gt bare_gt_ref, bare_ge bare_ge_ref
    );
    // `c != NaN` never ends, so no NaN bound here.
    agrees!(bare_ne, bare_ne_ref, |x: f32, y: f32| [
        (f32::NAN, 100.0),
        (2.0, 100.0),
        (-3.0, -100.0),
        (f32::INFINITY, 1e30),
        (0.0, 1.0),
        (1.0, 1.0),
    ]);
}
