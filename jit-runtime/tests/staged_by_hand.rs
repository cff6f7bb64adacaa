//! The runtime's side of the macro contract, exercised with hand-written
//! expansions of `#[jit]` functions (what `jit-macros` emits).

use jit_runtime::__private as p;
use jit_runtime::Tracer;

// #[jit] fn f(x: f32) -> f32 { x.sin() + x.cos() }
mod f {
    use super::*;
    pub fn staged(x: Tracer) -> Tracer {
        p::ret::<f32>(x.sin() + x.cos())
    }
    pub static CACHE: p::Cache<()> = p::Cache::new("f");
    pub fn call(x: f32) -> f32 {
        p::call::<(f32,), (), f32>(&CACHE, (x,), (), |(x,), ()| staged(x))
    }
}

// #[jit(static = n)] fn f_loop(x: f32, n: usize) -> f32 { let mut y = 0.0; for _ in 0..n { y = y + x; } y }
mod f_loop {
    use super::*;
    pub fn staged(x: Tracer, n: usize) -> Tracer {
        let mut y = p::weak_float(0.0);
        for _ in 0..n {
            y += x;
        }
        p::ret::<f32>(y)
    }
    pub static CACHE: p::Cache<(usize,)> = p::Cache::new("f_loop");
    pub fn call(x: f32, n: usize) -> f32 {
        p::call::<(f32,), (usize,), f32>(&CACHE, (x,), (n,), |(x,), (n,)| staged(x, n))
    }
    pub fn make_jaxpr(x: f32, n: usize) -> p::Jaxpr {
        p::make_jaxpr::<(f32,), (usize,), f32>(&CACHE, (x,), (n,), |(x,), (n,)| staged(x, n))
    }
}

#[test]
fn sin_plus_cos() {
    assert_eq!(f::call(2.0), 2.0f32.sin() + 2.0f32.cos());
    assert_eq!(f::CACHE.len(), 1);
}

#[test]
fn static_loop_unrolls_and_recompiles() {
    assert_eq!(f_loop::call(2.0, 10), 20.0);
    assert_eq!(f_loop::call(2.0, 11), 22.0);
    assert_eq!(f_loop::call(3.0, 10), 30.0);
    assert_eq!(f_loop::CACHE.len(), 2);
    assert_eq!(
        f_loop::make_jaxpr(2.0, 3).to_string(),
        "{ lambda ; a:f32[]. let\n    b:f32[] = add 0.0:f32[] a\n    c:f32[] = add b a\n    d:f32[] = add c a\n  in (d,) }"
    );
}

#[test]
fn mixed_dtypes_promote_like_jax() {
    // jit!(|x: f64, k: i32| x * (k as f64) + 1.5)
    let cache = p::Cache::<()>::new("closure");
    let g = |x: f64, k: i32| -> f64 {
        p::call::<(f64, i32), (), f64>(&cache, (x, k), (), |(x, k), ()| {
            p::ret::<f64>(x * p::cast::<f64>(k) + p::weak_float(1.5))
        })
    };
    assert_eq!(g(2.0, 3), 7.5);
    assert_eq!(g(0.1, 3), 0.1 * 3.0 + 1.5);
}
