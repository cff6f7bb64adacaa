//! Error-free transformations and double-double helpers over [`MathOps`].
//!
//! A *double-double* is an unevaluated sum `hi + lo` of two `f64` values with
//! `|lo| <= ulp(hi) / 2` (normalised). Everything here is built from plain
//! additions and multiplications (no FMA): `two_sum` and `fast_two_sum` are
//! exact for all finite inputs without overflow; `two_prod` (Dekker) is exact
//! when the inputs are below about 2^995 in magnitude and the product does not
//! underflow.

use super::MathOps;

/// `s + e == a + b` exactly, `s = fl(a + b)` (Knuth's TwoSum, 6 operations).
pub(super) fn two_sum<O: MathOps>(o: &mut O, a: O::F, b: O::F) -> (O::F, O::F) {
    let s = o.fadd(a, b);
    let bb = o.fsub(s, a);
    let aa = o.fsub(s, bb);
    let db = o.fsub(b, bb);
    let da = o.fsub(a, aa);
    let e = o.fadd(da, db);
    (s, e)
}

/// `s + e == a + b` exactly, `s = fl(a + b)`, provided `|a| >= |b|` or
/// `a == 0` (Dekker's Fast2Sum, 3 operations).
pub(super) fn fast_two_sum<O: MathOps>(o: &mut O, a: O::F, b: O::F) -> (O::F, O::F) {
    let s = o.fadd(a, b);
    let t = o.fsub(s, a);
    let e = o.fsub(b, t);
    (s, e)
}

/// Veltkamp split: `hi + lo == a`, both with at most 26 significant bits.
fn split<O: MathOps>(o: &mut O, a: O::F) -> (O::F, O::F) {
    let c = o.fconst(134_217_729.0); // 2^27 + 1
    let t = o.fmul(c, a);
    let u = o.fsub(t, a);
    let hi = o.fsub(t, u);
    let lo = o.fsub(a, hi);
    (hi, lo)
}

/// `p + e == a * b` exactly, `p = fl(a * b)` (Dekker's product).
pub(super) fn two_prod<O: MathOps>(o: &mut O, a: O::F, b: O::F) -> (O::F, O::F) {
    let p = o.fmul(a, b);
    let (ah, al) = split(o, a);
    let (bh, bl) = split(o, b);
    let t1 = o.fmul(ah, bh);
    let e1 = o.fsub(t1, p);
    let t2 = o.fmul(ah, bl);
    let e2 = o.fadd(e1, t2);
    let t3 = o.fmul(al, bh);
    let e3 = o.fadd(e2, t3);
    let t4 = o.fmul(al, bl);
    let e = o.fadd(e3, t4);
    (p, e)
}

/// Accurate double-double addition: the result has a relative error of a
/// few units of 2^-104 of the *result* even under cancellation.
pub(super) fn dd_add<O: MathOps>(
    o: &mut O,
    (ah, al): (O::F, O::F),
    (bh, bl): (O::F, O::F),
) -> (O::F, O::F) {
    let (s1, s2) = two_sum(o, ah, bh);
    let (t1, t2) = two_sum(o, al, bl);
    let s2 = o.fadd(s2, t1);
    let (s1, s2) = fast_two_sum(o, s1, s2);
    let s2 = o.fadd(s2, t2);
    fast_two_sum(o, s1, s2)
}

/// Evaluates the polynomial `c[0] + c[1] z + c[2] z^2 + ...` by Horner's rule.
pub(super) fn horner<O: MathOps>(o: &mut O, z: O::F, c: &[f64]) -> O::F {
    let mut acc = o.fconst(c[c.len() - 1]);
    for &ci in c.iter().rev().skip(1) {
        let t = o.fmul(acc, z);
        let k = o.fconst(ci);
        acc = o.fadd(t, k);
    }
    acc
}
