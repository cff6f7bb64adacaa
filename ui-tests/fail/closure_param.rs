// Closure parameters inside a body are traced.
use jit::prelude::*;

#[jit]
fn f(x: f32) -> f32 {
    let choose = |positive| {
        if positive { x } else { -x }
    };
    choose(x > 0.0)
}

fn main() {}
