//! scratch
use jit::{Array, jit};
#[jit]
fn sc(x: &Array) -> Array { x.sin() + x.cos() }
#[jit]
fn cp(x: &Array) -> Array { x * 1.0 }
fn main() {
    let x = Array::from((0..1_000_000).map(|k| k as f32 * 2e-5 - 10.0).collect::<Vec<_>>());
    for (name, f) in [("sc", (|x: &Array| sc(x)) as fn(&Array) -> Array), ("cp", |x: &Array| cp(x))] {
        let _ = f(&x);
        let t = std::time::Instant::now();
        for _ in 0..100 { std::hint::black_box(f(&x)); }
        println!("{name}: {:.3} ns/elem", t.elapsed().as_secs_f64() / 100.0 / 1e6 * 1e9);
    }
}
