//! What the random differential tests share: how many programs to run,
//! and how results compare. Included by each with
//! `#[path = "support/mod.rs"] mod support;` (a directory without a
//! `main.rs` is no test target of its own).

use jit::scalar::Scalar;

/// `n` scaled by `JIT_TEST_SCALE` (a factor, default 1, e.g. `0.25` under
/// qemu, where code runs tens of times slower), never below 1.
pub fn scaled(n: usize) -> usize {
    let factor: f64 = std::env::var("JIT_TEST_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    ((n as f64 * factor).round() as usize).max(1)
}

/// Equal dtypes and bits, or both NaN.
#[allow(
    dead_code,
    reason = "not every test that includes this compares scalars"
)]
pub fn same(a: Scalar, b: Scalar) -> bool {
    let nan = |s: Scalar| s.dtype().is_float() && s.as_f64().is_nan();
    a.dtype() == b.dtype() && (a.to_slot() == b.to_slot() || (nan(a) && nan(b)))
}
