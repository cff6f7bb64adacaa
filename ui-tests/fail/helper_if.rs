// A traced value the macro cannot see: it comes out of a helper function.
use jit::prelude::*;

fn threshold() -> Tracer {
    Tracer::from(0.5f32)
}

#[jit]
fn f(x: f32) -> f32 {
    if threshold() { x } else { -x }
}

fn main() {}
