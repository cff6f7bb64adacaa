//! Nesting.

use jit::prelude::*;

use crate::common::{agrees, div_i64, rem_i32, rem_i64};

#[jit]
fn pred_from_loop(x: i32, n: i32) -> (i32, i32) {
    lax::fori_loop(
        0,
        n,
        |i, (a, b)| lax::cond((a + i) % 3 == 0, || (a + 1, b * 2), || (a * 2 + 1, b - i)),
        (x, 1),
    )
}

fn pred_from_loop_ref(x: i32, n: i32) -> (i32, i32) {
    let (mut a, mut b) = (x, 1i32);
    for i in 0..n {
        (a, b) = if rem_i32(a.wrapping_add(i), 3) == 0 {
            (a.wrapping_add(1), b.wrapping_mul(2))
        } else {
            (a.wrapping_mul(2).wrapping_add(1), b.wrapping_sub(i))
        };
    }
    (a, b)
}

#[test]
fn cond_on_a_predicate_computed_in_the_loop() {
    agrees!(pred_from_loop, pred_from_loop_ref, |x: i32, n: i32| [
        (0, 10),
        (5, 0),
        (-7, 33),
        (i32::MAX, 64),
        (i32::MIN, 5),
    ]);
}

#[jit]
fn deep_nest(x: f32, n: i32, m: i32) -> (f32, i32) {
    // cond inside fori_loop inside while_loop; the inner loop's weak
    // carry comes from the outer one.
    lax::while_loop(
        |(_, k)| k < m,
        |(acc, k)| {
            let inner = lax::fori_loop(
                0,
                n,
                |i, s| lax::cond((i + k) % 2 == 0, || s + x, || s * 0.5),
                acc,
            );
            (inner, k + 1)
        },
        (0.0, 0),
    )
}

fn deep_nest_ref(x: f32, n: i32, m: i32) -> (f32, i32) {
    let (mut acc, mut k) = (0.0f32, 0i32);
    while k < m {
        let mut s = acc;
        for i in 0..n {
            s = if (i + k) % 2 == 0 { s + x } else { s * 0.5 };
        }
        (acc, k) = (s, k + 1);
    }
    (acc, k)
}

#[test]
fn cond_inside_fori_loop_inside_while_loop() {
    agrees!(deep_nest, deep_nest_ref, |x: f32, n: i32, m: i32| [
        (1.5, 3, 4),
        (1.5, 0, 4),
        (1.5, 3, 0),
        (-2.0, 7, 9),
        (f32::NAN, 2, 2),
        (f32::INFINITY, 5, 3),
    ]);
}

#[jit]
fn switch_in_cond(p: bool, i: i32, a: i64, b: i64) -> i64 {
    lax::cond(
        p,
        || lax::switch(i, (|| a, || a + b, || a * b)),
        || lax::switch(i - 1, (|| b, || -b)),
    )
}

fn switch_in_cond_ref(p: bool, i: i32, a: i64, b: i64) -> i64 {
    if p {
        match i.clamp(0, 2) {
            0 => a,
            1 => a.wrapping_add(b),
            _ => a.wrapping_mul(b),
        }
    } else {
        match i.wrapping_sub(1).clamp(0, 1) {
            0 => b,
            _ => b.wrapping_neg(),
        }
    }
}

#[test]
fn switch_inside_cond() {
    let mut inputs = Vec::new();
    for p in [false, true] {
        for i in [-1, 0, 1, 2, 3, i32::MIN, i32::MAX] {
            inputs.push((p, i));
        }
    }
    for (p, i) in inputs {
        let (a, b) = (6i64, -4i64);
        assert_eq!(
            switch_in_cond(p, i, a, b),
            switch_in_cond_ref(p, i, a, b),
            "switch_in_cond({p}, {i})"
        );
    }
    agrees!(
        switch_in_cond,
        switch_in_cond_ref,
        |p: bool, i: i32, a: i64, b: i64| [
            (true, 2, i64::MAX, 2),
            (false, i32::MIN, 1, i64::MIN),
            (false, 1, 1, 2),
            (true, -1, 3, 4),
        ]
    );
}

#[jit]
fn loop_in_branch(n: i32) -> i32 {
    lax::cond(
        n > 0,
        || lax::fori_loop(0, n, |i, s| s + i * i, 0),
        || lax::while_loop(|c| c > n, |c| c - 7, 0),
    )
}

fn loop_in_branch_ref(n: i32) -> i32 {
    if n > 0 {
        let mut s = 0i32;
        for i in 0..n {
            s = s.wrapping_add(i.wrapping_mul(i));
        }
        s
    } else {
        let mut c = 0;
        while c > n {
            c -= 7;
        }
        c
    }
}

#[test]
fn loops_inside_branches() {
    agrees!(loop_in_branch, loop_in_branch_ref, |n: i32| [
        5, 0, -1, -20, -21, 1, 100_000, -1000
    ]);
}

#[jit]
fn collatz_step(n: i64) -> i64 {
    lax::select(n % 2 == 0, n / 2, 3 * n + 1)
}

#[jit]
fn digit_sum(n: i64) -> i64 {
    lax::while_loop(|(m, _)| m != 0, |(m, s)| (m / 10, s + m % 10), (n, 0)).1
}

#[jit]
fn collatz(x: i64) -> (i64, i32, i64) {
    // Loop bodies that call other #[jit] functions (inlined), one of them
    // holding a loop of its own.
    let (n, steps, digits) = lax::while_loop(
        |(n, steps, _)| (n != 1) & (steps < 1000),
        |(n, steps, digits)| (collatz_step(n), steps + 1, digits + digit_sum(n)),
        (x, 0, 0),
    );
    (n, steps, digits)
}

fn collatz_ref(x: i64) -> (i64, i32, i64) {
    let (mut n, mut steps, mut digits) = (x, 0i32, 0i64);
    while n != 1 && steps < 1000 {
        let mut m = n;
        let mut sum = 0i64;
        while m != 0 {
            sum = sum.wrapping_add(rem_i64(m, 10));
            m = div_i64(m, 10);
        }
        digits = digits.wrapping_add(sum);
        n = if rem_i64(n, 2) == 0 {
            div_i64(n, 2)
        } else {
            n.wrapping_mul(3).wrapping_add(1)
        };
        steps += 1;
    }
    (n, steps, digits)
}

#[test]
fn loop_bodies_call_other_jit_functions() {
    agrees!(collatz, collatz_ref, |x: i64| [
        27,
        1,
        0,
        -1,
        -17,
        i64::MAX,
        i64::MIN,
        837_799,
    ]);
    assert_eq!(collatz_step::cache_size(), 0, "inlined, never dispatched");
    assert_eq!(digit_sum::cache_size(), 0, "inlined, never dispatched");
}
