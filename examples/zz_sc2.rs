//! scratch
use jit::{Array, jit};
#[jit]
fn sc(x: &Array) -> Array { x.sin() + x.cos() }
fn main() {
    let x = Array::from((0..1024).map(|k| k as f32 * 0.37).collect::<Vec<_>>());
    let l = sc::lower(&x);
    let c = l.compile();
    println!("{}", c.as_text());
}
