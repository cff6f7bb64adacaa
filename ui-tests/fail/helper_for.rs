// A traced trip count the macro cannot see: it comes out of a method call.
use jit::prelude::*;

struct Steps;

impl Steps {
    fn count(&self) -> Tracer {
        Tracer::from(3)
    }
}

#[jit]
fn f(x: f32) -> f32 {
    let steps = Steps;
    let mut y = x;
    for _ in 0..steps.count() {
        y = y * 2.0;
    }
    y
}

fn main() {}
