// Every violation of one function is reported in one compile.
use jit::prelude::*;

#[jit(static = n)]
fn everything(x: f32, i: i32, n: usize) -> f32 {
    let mut y = x;
    for k in 0..n {
        if y > 10.0 {
            println!("big at {}", k);
        }
        {
            let j = i + k as i32;
            while j < 3 && y < 100.0 {
                y = y * 2.0;
            }
        }
    }
    y
}

fn main() {}
