use jit::prelude::*;

#[jit]
fn pick(i: i32, x: f32) -> f32 {
    match i {
        0 => x + 1.0,
        1 => x * 2.0,
        _ => -x,
    }
}

fn main() {}
