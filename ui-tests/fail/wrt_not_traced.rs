use jit::prelude::*;

#[jit(static = n, wrt = n)]
fn f(x: f32, n: usize) -> f32 {
    x * n as f32
}

fn main() {}
