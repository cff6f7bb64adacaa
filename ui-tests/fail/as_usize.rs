use jit::prelude::*;

#[jit]
fn lookup(i: i32, x: f32) -> f32 {
    let table = [1.0, 2.0, 3.0];
    let k = i as usize;
    let j = (i + 1) as isize;
    x * table[k] + j as f32
}

fn main() {}
