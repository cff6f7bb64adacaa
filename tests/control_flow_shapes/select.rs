//! select.

use jit::prelude::*;

use crate::common::agrees;

#[jit]
fn select_weak(p: bool, x: i64, u: u32, f: f64) -> (i64, u32, f64, f32, f64) {
    (
        lax::select(p, x, 1),
        lax::select(p, 0, u),
        lax::select(p, f, 2.5),
        lax::select(p, 1, 0.5),
        lax::select(p, 3, f),
    )
}

fn select_weak_ref(p: bool, x: i64, u: u32, f: f64) -> (i64, u32, f64, f32, f64) {
    if p {
        (x, 0, f, 1.0, 3.0)
    } else {
        (1, u, 2.5, 0.5, f)
    }
}

#[jit]
fn bounce(x: f32, v: f32, lo: f32, hi: f32, n: i32) -> (f32, f32, i32) {
    // select inside a loop: a point moving by v, reflected at lo and hi.
    lax::fori_loop(
        0,
        n,
        |_, (x, v, bounces)| {
            let next = x + v;
            let out = (next > hi) | (next < lo);
            (
                lax::select(out, x, next),
                lax::select(out, -v, v),
                bounces + lax::select(out, 1, 0),
            )
        },
        (x, v, 0),
    )
}

fn bounce_ref(x: f32, v: f32, lo: f32, hi: f32, n: i32) -> (f32, f32, i32) {
    let (mut x, mut v, mut bounces) = (x, v, 0i32);
    for _ in 0..n {
        let next = x + v;
        if next > hi || next < lo {
            (v, bounces) = (-v, bounces + 1);
        } else {
            x = next;
        }
    }
    (x, v, bounces)
}

#[test]
fn select_promotes_weak_literals_and_runs_in_loops() {
    agrees!(
        select_weak,
        select_weak_ref,
        |p: bool, x: i64, u: u32, f: f64| [
            (true, i64::MIN, u32::MAX, f64::NAN),
            (false, i64::MIN, u32::MAX, f64::NAN),
            (true, 5, 5, -0.0),
            (false, 5, 5, -0.0),
        ]
    );
    agrees!(
        bounce,
        bounce_ref,
        |x: f32, v: f32, lo: f32, hi: f32, n: i32| [
            (0.0, 0.75, -1.0, 2.0, 20),
            (0.0, 0.75, -1.0, 2.0, 0),
            (5.0, -0.3, 0.0, 10.0, 100),
            (0.0, f32::NAN, -1.0, 1.0, 3),
            (0.0, 1.0, f32::NAN, 1.0, 4),
        ]
    );
}
