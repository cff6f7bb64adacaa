//! scratch
use jit::{Array, jit};
#[jit]
fn sc(x: &Array) -> Array { x.sin() + x.cos() }
#[jit]
fn ex(x: &Array) -> Array { x.exp() }
#[jit]
fn th(x: &Array) -> Array { x.tanh() }
#[jit]
fn cp(x: &Array) -> Array { x * 1.0 }
fn main() {
    let x = Array::from((0..1_000_000).map(|k| k as f32 * 2e-5 - 10.0).collect::<Vec<_>>());
    let fs: [(&str, fn(&Array) -> Array); 4] = [("sc", |x| sc(x)), ("exp", |x| ex(x)), ("tanh", |x| th(x)), ("cp", |x| cp(x))];
    for (name, f) in fs {
        let _ = f(&x);
        let t = std::time::Instant::now();
        for _ in 0..100 { std::hint::black_box(f(&x)); }
        println!("{name}: {:.3} ns/elem", t.elapsed().as_secs_f64() / 100.0 / 1e6 * 1e9);
    }
}
