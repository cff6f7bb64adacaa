use jit::prelude::*;

#[jit(static = n)]
fn sign(x: i32, n: usize) -> i32 {
    if n > 3 {
        1
    } else if x < 0 {
        -1
    } else {
        0
    }
}

fn main() {}
