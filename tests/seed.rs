//! Every scalar example of the lecture, with JAX's exact values
//! (`jax-reference.md`): the values, the jaxprs, when tracing happens, and
//! XLA's integer and cast semantics.

#![allow(
    clippy::assign_op_pattern,
    reason = "the lecture writes its loops as `y = y + x`"
)]

use expect_test::expect;
use jit::prelude::*;

#[jit]
fn f(x: f32) -> f32 {
    x.sin() + x.cos()
}

#[test]
fn sin_plus_cos_is_jaxs_value() {
    // Array(0.49315056, dtype=float32)
    assert_eq!(f(2.0), 0.49315056);
    // JAX's `make_jaxpr` text, character for character: a re-blessed
    // snapshot must still be what JAX prints.
    expect![[r#"
        { lambda ; a:f32[]. let
            b:f32[] = sin a
            c:f32[] = cos a
            d:f32[] = add b c
          in (d,) }"#]]
    .assert_eq(&f::make_jaxpr(2.0).to_string());
}

#[jit]
fn bad_f(x: f32) -> f32 {
    jit::trace_print!("I have side effects!");
    x.sin() + x.cos() + x
}

#[jit]
fn other_order(x: f32) -> f32 {
    x + x.sin() + x.cos()
}

#[test]
fn float_additions_follow_the_source_order() {
    assert_eq!(bad_f(2.0), 2.4931505);
    assert_eq!(bad_f(2.0), 2.4931505);
    assert_eq!(bad_f::cache_size(), 1, "the second call hits the cache");
    assert_eq!(other_order(2.0), 2.4931507);
    // JAX's `make_jaxpr` text, character for character: a re-blessed
    // snapshot must still be what JAX prints.
    expect![[r#"
        { lambda ; a:f32[]. let
            b:f32[] = sin a
            c:f32[] = cos a
            d:f32[] = add b c
            e:f32[] = add d a
          in (e,) }"#]]
    .assert_eq(&bad_f::make_jaxpr(2.0).to_string());
}

#[jit(static = n)]
fn f_loop(x: f32, n: usize) -> f32 {
    let mut y = 0.0;
    for _ in 0..n {
        y = y + x;
    }
    y
}

#[test]
fn static_argument_unrolls_and_recompiles_per_value() {
    assert_eq!(f_loop(2.0, 10), 20.0);
    assert_eq!(f_loop(2.0, 11), 22.0);
    assert_eq!(f_loop(2.0, 15), 30.0);
    assert_eq!(f_loop(3.0, 15), 45.0);
    assert_eq!(f_loop::cache_size(), 3, "one specialisation per value of n");
    // JAX's `make_jaxpr` text, character for character: a re-blessed
    // snapshot must still be what JAX prints.
    expect![[r#"
        { lambda ; a:f32[]. let
            b:f32[] = add 0.0:f32[] a
            c:f32[] = add b a
            d:f32[] = add c a
          in (d,) }"#]]
    .assert_eq(&f_loop::make_jaxpr(2.0, 3).to_string());
    f_loop::clear_cache();
    assert_eq!(f_loop::cache_size(), 0);
    assert_eq!(f_loop(2.0, 10), 20.0);
}

#[test]
fn closures_are_jitted_with_their_own_cache() {
    let g = jit_fn!(|x: f64, k: i32| x * (k as f64) + 1.5);
    assert_eq!(g(2.0, 3), 7.5);
    assert_eq!(g(0.1, 3), 0.1 * 3.0 + 1.5);
    let h = jit_fn!(|x: f32| x.sin() + x.cos());
    assert_eq!(h(2.0), 0.49315056);
}

#[jit]
fn div_rem(a: i32, b: i32) -> (i32, i32) {
    (a / b, a % b)
}

#[jit]
fn div_rem_u32(a: u32, b: u32) -> (u32, u32) {
    (a / b, a % b)
}

#[test]
fn integer_division_gives_xlas_values() {
    let table = [
        (7, 2, 3, 1),
        (-7, 2, -3, -1),
        (7, -2, -3, 1),
        (7, 0, -1, 7),
        (-7, 0, -1, -7),
        (0, 0, -1, 0),
        (i32::MIN, -1, i32::MIN, 0),
    ];
    for (a, b, q, r) in table {
        assert_eq!(div_rem(a, b), (q, r), "{a} / {b}");
    }
    assert_eq!(div_rem_u32(7, 0), (u32::MAX, 7));
}

#[jit]
fn wrap_add(x: i32) -> i32 {
    x + 1
}

#[jit]
fn to_i32(x: f32) -> i32 {
    x as i32
}

#[jit]
fn to_u32(x: f32) -> u32 {
    x as u32
}

#[jit]
fn float_rem(x: f32, y: f32) -> f32 {
    x % y
}

#[test]
fn casts_saturate_and_integers_wrap() {
    assert_eq!(wrap_add(i32::MAX), i32::MIN);
    assert_eq!(to_i32(1e10), i32::MAX);
    assert_eq!(to_i32(f32::NEG_INFINITY), i32::MIN);
    assert_eq!(to_i32(f32::NAN), 0);
    assert_eq!(to_i32(2.7), 2);
    assert_eq!(to_i32(-2.7), -2);
    assert_eq!(to_u32(f32::NAN), 0);
    assert_eq!(to_u32(-3.0), 0);
    assert_eq!(to_u32(1e10), u32::MAX);
    assert_eq!(float_rem(-7.5, 2.0), -1.5);
}

#[jit]
fn reciprocal(x: f32) -> (f32, f32) {
    (1.0 / x, 0.0 / x)
}

#[test]
fn float_division_by_zero() {
    let (inf, nan) = reciprocal(0.0);
    assert_eq!(inf, f32::INFINITY);
    assert!(nan.is_nan());
}

#[jit]
fn f_fori(x: f32, n: i32) -> f32 {
    lax::fori_loop(0, n, |_i, y| y + x, 0.0)
}

#[jit]
fn sum_up_to(x: i32) -> i32 {
    lax::while_loop(|(_, n)| n <= x, |(s, n)| (s + n, n + 1), (0, 1)).0
}

#[jit]
fn myabs(x: i32) -> i32 {
    lax::cond(x > 0, || x, || -x)
}

#[jit]
fn myabs_f(x: f32) -> f32 {
    lax::cond(x > 0.0, || x, || -x)
}

#[jit]
fn pick(i: i32, x: f32) -> f32 {
    lax::switch(i, (|| x + 1.0, || x * 2.0, || -x))
}

#[jit]
fn promote_carry(x: f32) -> f32 {
    lax::while_loop(|c| c < x, |c| c + 1.5, 0)
}

#[test]
fn control_flow_gives_jaxs_values() {
    // f_fori(2., 10): Array(20., dtype=float32); a new n does not recompile.
    assert_eq!(f_fori(2.0, 10), 20.0);
    assert_eq!(f_fori(2.0, 15), 30.0);
    assert_eq!(f_fori::cache_size(), 1);
    // sum_up_to(10): Array(55, dtype=int32)
    assert_eq!(sum_up_to(10), 55);
    // myabs(-2): 2; myabs(-2.5): 2.5
    assert_eq!(myabs(-2), 2);
    assert_eq!(myabs_f(-2.5), 2.5);
    // pick(i, 3.) for i = -1, 0, 1, 2, 3, 7: 4., 4., 6., -3., -3., -3.
    for (i, want) in [
        (-1, 4.0),
        (0, 4.0),
        (1, 6.0),
        (2, -3.0),
        (3, -3.0),
        (7, -3.0),
    ] {
        assert_eq!(pick(i, 3.0), want);
    }
    // while_loop(c < 10, c + 1.5, 0): Array(10.5, dtype=float32)
    assert_eq!(promote_carry(10.0), 10.5);
}

#[test]
fn control_flow_jaxprs_are_jaxs() {
    // JAX's `make_jaxpr` texts, character for character: re-blessed
    // snapshots must still be what JAX prints.
    expect![[r#"
        { lambda ; a:f32[] b:i32[]. let
            _:i32[] _:i32[] c:f32[] = while[
              body_jaxpr={ lambda ; d:f32[] e:i32[] f:i32[] g:f32[]. let
                  h:i32[] = add e 1:i32[]
                  i:f32[] = add g d
                in (h, f, i) }
              body_nconsts=1
              cond_jaxpr={ lambda ; j:i32[] k:i32[] l:f32[]. let
                  m:bool[] = lt j k
                in (m,) }
              cond_nconsts=0
            ] a 0:i32[] b 0.0:f32[]
          in (c,) }"#]]
    .assert_eq(&f_fori::make_jaxpr(2.0, 10).to_string());
    expect![[r#"
        { lambda ; a:i32[]. let
            b:i32[] _:i32[] = while[
              body_jaxpr={ lambda ; c:i32[] d:i32[]. let
                  e:i32[] = add c d
                  f:i32[] = add d 1:i32[]
                in (e, f) }
              body_nconsts=0
              cond_jaxpr={ lambda ; g:i32[] h:i32[] i:i32[]. let
                  j:bool[] = le i g
                in (j,) }
              cond_nconsts=1
            ] a 0:i32[] 1:i32[]
          in (b,) }"#]]
    .assert_eq(&sum_up_to::make_jaxpr(10).to_string());
}

#[jit]
fn bad_f_array(x: &Array) -> Array {
    jit::trace_print!("I have side effects!");
    x.sin() + x.cos() + x
}

#[jit]
fn cumsum(xs: &Array) -> Array {
    lax::scan(|c, x| (c + x, c + x), 0.0, xs).1
}

#[test]
fn the_lectures_array_lines() {
    // `bad_f(jnp.array(2.))` twice traces once; `bad_f(jnp.array([2.]))` is
    // a new shape and traces again, printing `Array([2.4931505], ..)`.
    let scalar = Array::scalar(2.0f32);
    assert_eq!(
        bad_f_array(&scalar).to_string(),
        "Array(2.4931505, dtype=float32)"
    );
    bad_f_array(&scalar);
    assert_eq!(bad_f_array::cache_size(), 1);
    let one = Array::from(vec![2.0f32]);
    assert_eq!(
        bad_f_array(&one).to_string(),
        "Array([2.4931505], dtype=float32)"
    );
    assert_eq!(bad_f_array::cache_size(), 2);
    // `cumsum(jnp.arange(5.))`.
    let xs = Array::from(vec![0.0f32, 1.0, 2.0, 3.0, 4.0]);
    assert_eq!(
        cumsum(&xs).to_string(),
        "Array([ 0.,  1.,  3.,  6., 10.], dtype=float32)"
    );
}
