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
}
