//! The matrix product every `dot_general` on floats goes through: the
//! `gemm` crate (pure Rust, with the host's vector instructions chosen at
//! run time, AVX-512 included: its `x86-v4` feature), single-threaded.
//! Operands are passed as they lie (row-major, unit column stride): array
//! buffers are 64-byte aligned, and misaligned operands cost `gemm` at
//! most about 2% at 256×512×512 and 64×128×128 (`benches/dense.rs`), so
//! nothing realigns or copies them.
//!
//! The interpreter calls it, and native code calls the same function
//! through a runtime helper ([`matmul_helper`]), so both give the same bits
//! on one machine.
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

/// The dimensions of a batched matrix product: `batch` products of an
/// `m × k` and a `k × n` row-major matrix into an `m × n` one, each after
/// the previous in memory; `f64` for doubles, else `f32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatmulShape {
    /// How many products.
    pub batch: usize,
    /// Rows of the lhs and the result.
    pub m: usize,
    /// Columns of the lhs, rows of the rhs.
    pub k: usize,
    /// Columns of the rhs and the result.
    pub n: usize,
    /// Whether the elements are `f64` (else `f32`).
    pub f64: bool,
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
    // SAFETY: the three slices hold exactly the matrices (checked above),
    // and `dst` is a fresh vector.
    unsafe { batched_matmul_raw(batch, m, k, n, lhs.as_ptr(), rhs.as_ptr(), dst.as_mut_ptr()) };
    dst
}

/// [`batched_matmul`] on raw buffers: what both the interpreter and native
/// code (through [`matmul_helper`]) run, so they give the same bits.
///
/// # Safety
/// `lhs` and `rhs` are readable for `batch·m·k` and `batch·k·n` elements,
/// `dst` writable for `batch·m·n` elements and aliases neither.
pub(crate) unsafe fn batched_matmul_raw<T: GemmFloat>(
    batch: usize,
    m: usize,
    k: usize,
    n: usize,
    lhs: *const T,
    rhs: *const T,
    dst: *mut T,
) {
    if m == 0 || n == 0 {
        return;
    }
    for b in 0..batch {
        // SAFETY: each batch's matrices lie inside the buffers (see above).
        let (l, r, d) = unsafe { (lhs.add(b * m * k), rhs.add(b * k * n), dst.add(b * m * n)) };
        if k == 0 {
            // An empty sum: zeros, written here rather than trusting a
            // product of empty matrices to write its destination.
            // SAFETY: `d` is writable for `m·n` elements.
            unsafe { std::slice::from_raw_parts_mut(d, m * n).fill(T::default()) };
            continue;
        }
        // SAFETY: the three matrices are row-major (column stride 1, row
        // stride k, n, n) inside the buffers; `dst` is not read
        // (`read_dst` false) and does not alias the operands.
        unsafe {
            gemm::gemm(
                m,
                n,
                k,
                d,
                1,
                n as isize,
                false,
                l,
                1,
                k as isize,
                r,
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
}

/// The runtime helper native code calls for a float `dot_general`: `data`
/// points to a [`MatmulShape`], argument slots hold the lhs, rhs and
/// destination pointers; no result slot.
///
/// # Safety
/// `data` points to a live `MatmulShape` and `args` to three slots holding
/// buffers as [`batched_matmul_raw`] requires.
pub(crate) unsafe extern "C" fn matmul_helper(data: *const u8, args: *const u64, _: *mut u64) {
    // SAFETY: guaranteed by the caller (the lowering of `dot_general`,
    // which keeps the shape alive with the code and passes buffers of
    // these sizes).
    unsafe {
        let s = *(data as *const MatmulShape);
        let (l, r, d) = (*args, *args.add(1), *args.add(2));
        if s.f64 {
            batched_matmul_raw(
                s.batch,
                s.m,
                s.k,
                s.n,
                l as *const f64,
                r as *const f64,
                d as *mut f64,
            );
        } else {
            batched_matmul_raw(
                s.batch,
                s.m,
                s.k,
                s.n,
                l as *const f32,
                r as *const f32,
                d as *mut f32,
            );
        }
    }
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
