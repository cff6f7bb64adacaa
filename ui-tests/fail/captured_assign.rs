use jit::prelude::*;

#[jit(static = n)]
fn running(x: f32, n: usize) -> f32 {
    let mut total = 0.0;
    let mut add = |v: f32| total += v;
    for _ in 0..n {
        add(x);
    }
    total
}

fn main() {}
