use jit::prelude::*;

// A struct without type parameters is its own traced form: its fields must
// be tracers, not plain values.
#[derive(Pytree)]
struct State {
    x: Tracer,
    rate: f64,
}

fn main() {}
