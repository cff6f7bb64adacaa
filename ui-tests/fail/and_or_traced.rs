use jit::prelude::*;

#[jit]
fn inside(x: f32, y: f32) -> (bool, bool) {
    let both = x > 0.0 && y > 0.0;
    let either = x < -1.0 || y < -1.0;
    (both, either)
}

fn main() {}
