//! The lecture's examples in Rust, printed the way JAX prints them.
//!
//! Run with `cargo run --release --example seed`.

#![allow(
    clippy::assign_op_pattern,
    reason = "the lecture writes its loops as `y = y + x`"
)]

use jit::prelude::*;

/// `repr` of a strongly typed float32 JAX array holding `x`.
fn repr(x: f32) -> String {
    let digits = if x.fract() == 0.0 && x.is_finite() {
        format!("{x:.0}.")
    } else {
        format!("{x}")
    };
    format!("Array({digits}, dtype=float32)")
}

#[jit]
fn f(x: f32) -> f32 {
    x.sin() + x.cos()
}

#[jit]
fn bad_f(x: f32) -> f32 {
    jit::trace_print!("I have side effects!");
    x.sin() + x.cos() + x
}

#[jit(static = n)]
fn f_loop(x: f32, n: usize) -> f32 {
    let mut y = 0.0;
    for _ in 0..n {
        y = y + x;
    }
    y
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

/// `bad_f` on arrays: a new shape is a new signature, so it traces again.
#[jit]
fn bad_f_array(x: &Array) -> Array {
    jit::trace_print!("I have side effects!");
    x.sin() + x.cos() + x
}

#[jit]
fn cumsum(xs: &Array) -> Array {
    lax::scan(|c, x| (c + x, c + x), 0.0, xs).1
}

fn arrays() {
    println!("--- bad_f(jnp.array(2.)): first call (traces, prints) ---");
    println!("    {}", bad_f_array(&Array::scalar(2.0f32)));
    println!("--- bad_f(jnp.array(2.)): same signature (no print expected) ---");
    println!("    {}", bad_f_array(&Array::scalar(2.0f32)));
    println!("--- bad_f(jnp.array([2.])): a new shape (prints again) ---");
    println!("    {}", bad_f_array(&Array::from(vec![2.0f32])));
    println!("cumsum(jnp.arange(5.))   [lax.scan]");
    let xs = Array::from(vec![0.0f32, 1.0, 2.0, 3.0, 4.0]);
    println!("    {}", cumsum(&xs));
    println!("--- make_jaxpr(cumsum)(jnp.arange(5.)) ---");
    println!("{}", cumsum::make_jaxpr(&xs));
}

#[jit]
fn promote_carry(x: f32) -> f32 {
    lax::while_loop(|c| c < x, |c| c + 1.5, 0)
}

fn control_flow() {
    println!("f_fori(2., 10)           [lax.fori_loop, traced n]");
    println!("    {}", repr(f_fori(2.0, 10)));
    println!("f_fori(2., 15)");
    println!("    {}", repr(f_fori(2.0, 15)));
    println!(
        "f_fori cache size after the calls above: {}",
        f_fori::cache_size()
    );
    println!("--- make_jaxpr(f_fori)(2., 10) ---");
    println!("{}", f_fori::make_jaxpr(2.0, 10));
    println!("sum_up_to(10)  [lax.while_loop]");
    println!("    Array({}, dtype=int32)", sum_up_to(10));
    println!("--- make_jaxpr(sum_up_to)(10) ---");
    println!("{}", sum_up_to::make_jaxpr(10));
    println!("myabs(-2)     [lax.cond]");
    println!("    Array({}, dtype=int32)", myabs(-2));
    println!("myabs(-2.5)");
    println!("    {}", repr(myabs_f(-2.5)));
    println!("--- make_jaxpr(myabs)(-2) ---");
    println!("{}", myabs::make_jaxpr(-2));
    for i in [-1, 0, 1, 2, 3, 7] {
        println!("pick({i}, 3.)             [lax.switch, index clamped]");
        println!("    {}", repr(pick(i, 3.0)));
    }
    println!("--- make_jaxpr(pick)(1, 3.) ---");
    println!("{}", pick::make_jaxpr(1, 3.0));
    println!("while_loop carry dtype change (int -> float)");
    println!("    {}", repr(promote_carry(10.0)));
}

fn main() {
    println!("jax.jit(f)(jnp.float32(2))");
    println!("    {}", repr(f(2.0)));
    let f_jit = jit_fn!(|x: f32| x.sin() + x.cos());
    println!("jax.jit(lambda x: sin(x) + cos(x))(jnp.float32(2))");
    println!("    {}", repr(f_jit(2.0)));

    println!("--- bad_f: first call (traces, prints) ---");
    println!("    {}", repr(bad_f(2.0)));
    println!("--- bad_f: second call, same signature (no print expected) ---");
    println!("    {}", repr(bad_f(2.0)));
    println!("--- make_jaxpr(bad_f)(2.) ---");
    println!("{}", bad_f::make_jaxpr(2.0));
    println!("--- make_jaxpr(f)(2.) ---");
    println!("{}", f::make_jaxpr(2.0));

    println!("f_loop(2., 10)   [static n]");
    println!("    {}", repr(f_loop(2.0, 10)));
    println!("f_loop(2., 11)");
    println!("    {}", repr(f_loop(2.0, 11)));
    println!("f_loop(2., 15)");
    println!("    {}", repr(f_loop(2.0, 15)));
    println!(
        "f_loop cache size after the calls above: {}",
        f_loop::cache_size()
    );
    println!("--- make_jaxpr(f_loop, static n)(2., 3) ---");
    println!("{}", f_loop::make_jaxpr(2.0, 3));

    control_flow();
    arrays();
}
