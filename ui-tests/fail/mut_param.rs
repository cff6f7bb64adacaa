use jit::prelude::*;

#[jit]
fn accumulate(x: f32, out: &mut f32) -> f32 {
    *out = 1.0;
    x * 2.0
}

fn main() {}
