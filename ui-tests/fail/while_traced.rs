use jit::prelude::*;

#[jit]
fn halve(x: f32) -> f32 {
    let mut y = x;
    while y > 1.0 {
        y = y / 2.0;
    }
    y
}

fn main() {}
