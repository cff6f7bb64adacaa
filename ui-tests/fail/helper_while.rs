// A traced loop condition the macro cannot see: it comes out of a helper.
use jit::prelude::*;

fn not_done() -> Tracer {
    Tracer::from(true)
}

#[jit]
fn f(x: f32) -> f32 {
    let mut y = x;
    while not_done() {
        y = y * 2.0;
    }
    y
}

fn main() {}
