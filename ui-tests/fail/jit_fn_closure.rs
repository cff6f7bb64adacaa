// The rules hold inside `jit_fn!` closures, whose parameters are traced.
use jit::prelude::*;

fn main() {
    let mut calls = 0;
    let f = jit_fn!(|x: f32, k: i32| {
        calls += 1;
        match k {
            0 => x,
            _ => x * 2.0,
        }
    });
    let _ = f(1.0, 0);
}
