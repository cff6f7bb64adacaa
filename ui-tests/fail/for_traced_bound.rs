use jit::prelude::*;

#[jit]
fn repeat(x: f32, n: i32) -> f32 {
    let mut y = 0.0;
    for _ in 0..n {
        y = y + x;
    }
    y
}

fn main() {}
