use jit::prelude::*;

#[jit]
fn lookup(i: i32, x: f32) -> f32 {
    let table = [1.0f32, 2.0, 3.0];
    x * table[i]
}

fn main() {}
