//! The platform's C library as a reference, for the `math` unit tests and
//! the numerics integration tests (included there by `#[path]`).
//!
//! `std`'s `asinh`, `acosh` and `atanh` are formulas of their own (over
//! `ln_1p`, `sqrt`, `hypot`), several ulp off in places and overflowing
//! early (`f64::MAX.asinh()` is `inf`); the C library's are within about
//! 1 ulp, so the `f64` sweeps use them. `std` has no `erf`: the C library's
//! (the one `std` links) is its reference.

unsafe extern "C" {
    #[link_name = "asinh"]
    fn c_asinh(x: f64) -> f64;
    #[link_name = "acosh"]
    fn c_acosh(x: f64) -> f64;
    #[link_name = "atanh"]
    fn c_atanh(x: f64) -> f64;
    #[link_name = "erf"]
    fn c_erf(x: f64) -> f64;
}

pub(super) fn asinh(x: f64) -> f64 {
    // SAFETY: a pure C function of one double.
    unsafe { c_asinh(x) }
}

pub(super) fn acosh(x: f64) -> f64 {
    // SAFETY: as above.
    unsafe { c_acosh(x) }
}

pub(super) fn atanh(x: f64) -> f64 {
    // SAFETY: as above.
    unsafe { c_atanh(x) }
}

pub(super) fn erf(x: f64) -> f64 {
    // SAFETY: as above.
    unsafe { c_erf(x) }
}
