//! The matrix product every `dot_general` on floats goes through: the
//! `gemm` crate (pure Rust, with the host's vector instructions chosen at
//! run time), single-threaded.
//!
//! The interpreter calls it, and native code will call the same function
//! through a runtime helper, so both give the same bits on one machine.
//! `gemm` may use FMA and its own summation order: results can differ in
//! the last bits from a naive loop, and from machine to machine, but never
//! between the interpreter and native code of one process.

use gemm::Parallelism;

/// A float type `gemm` multiplies.
pub(crate) trait GemmFloat: Copy + Default + 'static {
    /// 1.
    const ONE: Self;
}

impl GemmFloat for f32 {
    const ONE: f32 = 1.0;
}

impl GemmFloat for f64 {
    const ONE: f64 = 1.0;
}

/// `dst[b] = lhs[b] × rhs[b]` for each of `batch` row-major matrices:
/// `lhs` is `batch × m × k`, `rhs` is `batch × k × n`, the result
/// `batch × m × n`.
pub(crate) fn batched_matmul<T: GemmFloat>(
    batch: usize,
    m: usize,
    k: usize,
    n: usize,
    lhs: &[T],
    rhs: &[T],
) -> Vec<T> {
    assert_eq!(lhs.len(), batch * m * k, "lhs is batch × m × k");
    assert_eq!(rhs.len(), batch * k * n, "rhs is batch × k × n");
    let mut dst = vec![T::default(); batch * m * n];
    if m == 0 || n == 0 {
        return dst;
    }
    for b in 0..batch {
        let (l, r) = (&lhs[b * m * k..], &rhs[b * k * n..]);
        let d = &mut dst[b * m * n..(b + 1) * m * n];
        // SAFETY: the three matrices are row-major (column stride 1, row
        // stride k, n, n) inside slices checked above to hold them; `dst`
        // is not read (`read_dst` false) and does not alias the operands.
        unsafe {
            gemm::gemm(
                m,
                n,
                k,
                d.as_mut_ptr(),
                1,
                n as isize,
                false,
                l.as_ptr(),
                1,
                k as isize,
                r.as_ptr(),
                1,
                n as isize,
                T::default(),
                T::ONE,
                false,
                false,
                false,
                Parallelism::None,
            );
        }
    }
    dst
}

#[cfg(test)]
mod tests {
    #[test]
    fn small_products_are_exact() {
        let a = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
        let b = [1.0f32, 0.0, 0.0, 1.0, 1.0, 1.0];
        assert_eq!(
            super::batched_matmul(1, 2, 3, 2, &a, &b),
            vec![4.0, 5.0, 10.0, 11.0]
        );
        let empty = super::batched_matmul::<f64>(2, 3, 0, 2, &[], &[]);
        assert_eq!(empty, vec![0.0; 12]);
    }
}
