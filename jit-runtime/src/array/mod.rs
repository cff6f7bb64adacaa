//! `Array`: an owned, immutable n-dimensional value with a dtype and a
//! shape, like `jax.Array`.
//!
//! Terms: the *buffer* is the elements in row-major (C) order, packed at
//! their dtype's size (`bool` one byte, 0 or 1). The *flat index* of an
//! element is its position in that order.
//!
//! Invariants:
//! - the buffer holds exactly `shape.iter().product()` elements of `dtype`,
//!   and starts at an address aligned to [`ALIGN`] bytes, enough for the
//!   widest vector load of any host;
//! - an `Array` is immutable once built: clones share the buffer (an `Arc`),
//!   so a clone is cheap and the type is `Send + Sync`;
//! - a `bool` element is the byte 0 or 1, never anything else.

mod display;
#[cfg(feature = "ndarray")]
mod ndarray;

use crate::dtype::{DType, Ty};
use crate::error::Error;
use crate::scalar::{Element, Scalar};
use std::alloc::{Layout, alloc, alloc_zeroed, dealloc};
use std::ptr::NonNull;
use std::sync::Arc;

/// The alignment of every array buffer, in bytes (a cache line; AVX-512
/// loads need 64).
pub const ALIGN: usize = 64;

/// An owned n-dimensional array of one dtype; cloning shares the buffer.
///
/// As `jax.Array`: immutable, with a [`DType`] and a shape (row-major
/// elements; shape `[]` is a scalar). The buffer is aligned for the widest
/// vector loads ([`ALIGN`]). A `#[jit]` parameter of type `Array` or
/// `&Array` is traced: its dtype and shape are part of the signature, so a
/// new shape compiles a new specialisation.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn poly(x: &Array) -> Array {
///     x * x + 2.0 * x + 1.0
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let a = Array::from(vec![1.0f32, 2.0, 3.0]);
/// assert_eq!(a.shape(), &[3]);
/// assert_eq!(a.dtype(), DType::F32);
/// assert_eq!(a.to_string(), "Array([1., 2., 3.], dtype=float32)");
///
/// let y = poly(&a);
/// assert_eq!(y.to_vec::<f32>()?, vec![4.0, 9.0, 16.0]);
/// assert_eq!(y.to_string(), "Array([ 4.,  9., 16.], dtype=float32)");
///
/// let m = Array::from_shape_vec(&[2, 2], vec![1.0f32, 2.0, 3.0, 4.0])?;
/// poly(&m); // a new shape: compiled again
/// assert_eq!(poly::cache_size(), 2);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Array {
    inner: Arc<Inner>,
}

struct Inner {
    ty: Ty,
    shape: Box<[usize]>,
    buffer: Buffer,
}

/// An aligned heap buffer: zero-initialised, or written in full by compiled
/// code before anything reads it (`FreshArray::for_code`).
struct Buffer {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: the buffer is plain bytes owned by this value; after construction
// it is only read (writes happen through `Array::build` or a `FreshArray`
// before it is shared).
unsafe impl Send for Buffer {}
// SAFETY: see `Send`: shared access is read-only.
unsafe impl Sync for Buffer {}

impl Buffer {
    fn zeroed(len: usize) -> Buffer {
        Buffer::allocate(len, alloc_zeroed)
    }

    /// Uninitialised: only for bytes that are written before they are read.
    /// Zeroing a large array would be a second pass over its memory (Rust's
    /// `alloc_zeroed` clears a 64-byte aligned block with `memset`).
    fn uninit(len: usize) -> Buffer {
        Buffer::allocate(len, alloc)
    }

    fn allocate(len: usize, allocate: unsafe fn(Layout) -> *mut u8) -> Buffer {
        if len == 0 {
            // A dangling, aligned pointer: never read or written.
            let ptr = NonNull::new(ALIGN as *mut u8).expect("non-null");
            return Buffer { ptr, len };
        }
        let layout = Layout::from_size_align(len, ALIGN).expect("an array fits in memory");
        // SAFETY: `layout` has a non-zero size.
        let raw = unsafe { allocate(layout) };
        let ptr = NonNull::new(raw).unwrap_or_else(|| std::alloc::handle_alloc_error(layout));
        Buffer { ptr, len }
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` is valid for `len` initialised bytes (or `len` is 0).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as `bytes`, and `&mut self` is the only access.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        if self.len != 0 {
            let layout = Layout::from_size_align(self.len, ALIGN).expect("as allocated");
            // SAFETY: allocated in `allocate` with this layout.
            unsafe { dealloc(self.ptr.as_ptr(), layout) }
        }
    }
}

/// The number of elements of `shape`.
pub(crate) fn size_of_shape(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// An array being built: its zeroed buffer is owned here alone, so it may
/// be written (by compiled code, through [`FreshArray::as_mut_ptr`]) until
/// [`FreshArray::finish`] shares it.
pub(crate) struct FreshArray {
    inner: Inner,
}

impl FreshArray {
    /// A zeroed array of type `ty` and `shape`.
    pub(crate) fn zeroed(ty: Ty, shape: &[usize]) -> FreshArray {
        let len = size_of_shape(shape) * ty.dtype.size_of();
        FreshArray {
            inner: Inner {
                ty,
                shape: shape.into(),
                buffer: Buffer::zeroed(len),
            },
        }
    }

    /// An array of type `ty` and `shape` whose every byte the caller
    /// writes before [`FreshArray::finish`]: the result buffers compiled
    /// code fills (a kernel or loop nest stores every element of each
    /// result; valgrind's memcheck in `.ci/run` reports code that would
    /// leave one unwritten, when a test reads it).
    pub(crate) fn for_code(ty: Ty, shape: &[usize]) -> FreshArray {
        let len = size_of_shape(shape) * ty.dtype.size_of();
        FreshArray {
            inner: Inner {
                ty,
                shape: shape.into(),
                buffer: Buffer::uninit(len),
            },
        }
    }

    /// The buffer's address (aligned to [`ALIGN`]; dangling for an empty
    /// array), valid for writes of its bytes until [`FreshArray::finish`].
    /// Whoever writes a `bool` array writes only the bytes 0 and 1.
    pub(crate) fn as_mut_ptr(&mut self) -> *mut u8 {
        self.inner.buffer.ptr.as_ptr()
    }

    /// The finished, immutable array.
    pub(crate) fn finish(self) -> Array {
        Array {
            inner: Arc::new(self.inner),
        }
    }
}

impl Array {
    /// A new array of type `ty` and `shape`, its bytes written by `fill`
    /// (zeroed before), as `size_of_shape(shape) * dtype.size_of()` bytes.
    pub(crate) fn build(ty: Ty, shape: &[usize], fill: impl FnOnce(&mut [u8])) -> Array {
        let mut fresh = FreshArray::zeroed(ty, shape);
        let buffer = &mut fresh.inner.buffer;
        fill(buffer.bytes_mut());
        if ty.dtype == DType::Bool {
            // Keep the invariant whatever `fill` wrote.
            buffer
                .bytes_mut()
                .iter_mut()
                .for_each(|b| *b = (*b != 0) as u8);
        }
        fresh.finish()
    }

    /// An array of type `ty` and `shape` from its elements in row-major
    /// order, each converted to `ty`'s dtype.
    ///
    /// # Panics
    /// If `elements` has not `size_of_shape(shape)` elements (a caller bug).
    pub(crate) fn from_scalars(ty: Ty, shape: &[usize], elements: &[Scalar]) -> Array {
        assert_eq!(
            elements.len(),
            size_of_shape(shape),
            "one scalar per element"
        );
        let size = ty.dtype.size_of();
        Array::build(ty, shape, |bytes| {
            for (chunk, s) in bytes.chunks_exact_mut(size).zip(elements) {
                write_scalar(chunk, s.convert(ty.dtype));
            }
        })
    }

    /// A shape-`[]` array holding `value`, of `value`'s Rust dtype.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// let s = Array::scalar(2.5f64);
    /// assert_eq!(s.shape(), &[] as &[usize]);
    /// assert_eq!(s.dtype(), DType::F64);
    /// assert_eq!(s.item::<f64>(), Ok(2.5));
    /// assert_eq!(s.to_string(), "Array(2.5, dtype=float64)");
    /// ```
    pub fn scalar<T: Element>(value: T) -> Array {
        Array::from_scalars(Ty::strong(T::DTYPE), &[], &[value.to_scalar()])
    }

    /// An array of `shape` from its elements in row-major order; `Err` if
    /// their number is not the product of `shape`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// let m = Array::from_shape_vec(&[2, 3], vec![1, 2, 3, 4, 5, 6])?;
    /// assert_eq!(m.shape(), &[2, 3]);
    /// assert_eq!(m.dtype(), DType::I32);
    /// println!("{m}");
    /// // Array([[1, 2, 3],
    /// //        [4, 5, 6]], dtype=int32)
    ///
    /// let err = Array::from_shape_vec(&[2, 3], vec![0i32; 5]).unwrap_err();
    /// assert_eq!(err.to_string(), "jit: 5 elements cannot have shape [2, 3] (6 elements)");
    /// # Ok::<(), jit::Error>(())
    /// ```
    pub fn from_shape_vec<T: Element>(shape: &[usize], values: Vec<T>) -> Result<Array, Error> {
        if values.len() != size_of_shape(shape) {
            return Err(Error::ShapeMismatch {
                shape: shape.to_vec(),
                len: values.len(),
            });
        }
        let size = T::DTYPE.size_of();
        Ok(Array::build(Ty::strong(T::DTYPE), shape, |bytes| {
            for (chunk, v) in bytes.chunks_exact_mut(size).zip(values) {
                write_scalar(chunk, v.to_scalar());
            }
        }))
    }

    /// The dtype of the elements: the Rust element type's.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// assert_eq!(Array::from(vec![1u32, 2]).dtype(), DType::U32);
    /// assert_eq!(Array::from(vec![true]).dtype(), DType::Bool);
    /// ```
    pub fn dtype(&self) -> DType {
        self.inner.ty.dtype
    }

    /// Whether the array is weakly typed (a result computed only from
    /// Rust literals, as `weak_type=True` in JAX).
    pub fn is_weak(&self) -> bool {
        self.inner.ty.weak
    }

    /// The dtype and weak flag.
    pub(crate) fn ty(&self) -> Ty {
        self.inner.ty
    }

    /// The shape; empty for a scalar.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// let m = Array::from_shape_vec(&[2, 1, 3], vec![0.0f32; 6])?;
    /// assert_eq!(m.shape(), &[2, 1, 3]);
    /// assert_eq!(m.ndim(), 3);
    /// assert_eq!(m.size(), 6);
    /// # Ok::<(), jit::Error>(())
    /// ```
    pub fn shape(&self) -> &[usize] {
        &self.inner.shape
    }

    /// The number of dimensions.
    pub fn ndim(&self) -> usize {
        self.inner.shape.len()
    }

    /// The number of elements.
    pub fn size(&self) -> usize {
        size_of_shape(&self.inner.shape)
    }

    /// The elements in row-major order; `Err` if `T` is not the dtype.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// let m = Array::from_shape_vec(&[2, 2], vec![1.0f32, 2.0, 3.0, 4.0])?;
    /// assert_eq!(m.to_vec::<f32>()?, vec![1.0, 2.0, 3.0, 4.0]);
    /// assert!(m.to_vec::<f64>().is_err()); // no silent conversion
    /// # Ok::<(), jit::Error>(())
    /// ```
    pub fn to_vec<T: Element>(&self) -> Result<Vec<T>, Error> {
        self.check_dtype::<T>()?;
        Ok((0..self.size())
            .map(|i| T::from_scalar(self.scalar_at(i)))
            .collect())
    }

    /// The value of a shape-`[]` array (or any array of one element); `Err`
    /// if it has another number of elements or `T` is not the dtype.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// assert_eq!(Array::scalar(7i64).item::<i64>(), Ok(7));
    /// assert_eq!(Array::from(vec![1.5f32]).item::<f32>(), Ok(1.5));
    /// assert!(Array::from(vec![1, 2]).item::<i32>().is_err());
    /// ```
    pub fn item<T: Element>(&self) -> Result<T, Error> {
        self.check_dtype::<T>()?;
        if self.size() != 1 {
            return Err(Error::NotAScalar {
                shape: self.shape().to_vec(),
            });
        }
        Ok(T::from_scalar(self.scalar_at(0)))
    }

    fn check_dtype<T: Element>(&self) -> Result<(), Error> {
        if T::DTYPE != self.dtype() {
            return Err(Error::DTypeMismatch {
                expected: T::DTYPE,
                found: self.dtype(),
            });
        }
        Ok(())
    }

    /// The element at flat index `i`.
    ///
    /// # Panics
    /// If `i` is out of bounds.
    pub(crate) fn scalar_at(&self, i: usize) -> Scalar {
        let size = self.dtype().size_of();
        read_scalar(self.dtype(), &self.bytes()[i * size..(i + 1) * size])
    }

    /// Every element in row-major order.
    pub(crate) fn scalars(&self) -> Vec<Scalar> {
        (0..self.size()).map(|i| self.scalar_at(i)).collect()
    }

    /// The buffer's bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.inner.buffer.bytes()
    }

    /// The buffer's address (aligned to [`ALIGN`]), for compiled code to read.
    pub(crate) fn data_ptr(&self) -> *const u8 {
        self.inner.buffer.ptr.as_ptr()
    }

    /// The same elements, weakly or strongly typed.
    pub(crate) fn with_weak(self, weak: bool) -> Array {
        if self.is_weak() == weak {
            return self;
        }
        let ty = Ty {
            dtype: self.dtype(),
            weak,
        };
        let bytes = self.bytes();
        Array::build(ty, self.shape(), |out| out.copy_from_slice(bytes))
    }
}

/// Writes `s` into `out` (its dtype's size) in native byte order.
pub(crate) fn write_scalar(out: &mut [u8], s: Scalar) {
    match s {
        Scalar::Bool(v) => out[0] = v as u8,
        Scalar::I32(v) => out.copy_from_slice(&v.to_ne_bytes()),
        Scalar::U32(v) => out.copy_from_slice(&v.to_ne_bytes()),
        Scalar::I64(v) => out.copy_from_slice(&v.to_ne_bytes()),
        Scalar::F32(v) => out.copy_from_slice(&v.to_ne_bytes()),
        Scalar::F64(v) => out.copy_from_slice(&v.to_ne_bytes()),
    }
}

/// Reads a `dtype` element from `bytes` (its dtype's size).
pub(crate) fn read_scalar(dtype: DType, bytes: &[u8]) -> Scalar {
    let four = || bytes[..4].try_into().expect("four bytes");
    let eight = || bytes[..8].try_into().expect("eight bytes");
    match dtype {
        DType::Bool => Scalar::Bool(bytes[0] != 0),
        DType::I32 => Scalar::I32(i32::from_ne_bytes(four())),
        DType::U32 => Scalar::U32(u32::from_ne_bytes(four())),
        DType::I64 => Scalar::I64(i64::from_ne_bytes(eight())),
        DType::F32 => Scalar::F32(f32::from_ne_bytes(four())),
        DType::F64 => Scalar::F64(f64::from_ne_bytes(eight())),
    }
}

/// A one-dimensional array of the values.
///
/// ```
/// use jit::prelude::*;
///
/// let a = Array::from(vec![1.0f32, 2.0, 3.0]); // also from `[T; N]` and `&[T]`
/// assert_eq!(a.shape(), &[3]);
/// assert_eq!(Array::from([1i64, 2]).dtype(), DType::I64);
/// ```
impl<T: Element> From<Vec<T>> for Array {
    /// A one-dimensional array of the values.
    fn from(values: Vec<T>) -> Array {
        let shape = [values.len()];
        Array::from_shape_vec(&shape, values).expect("a vector fits its own length")
    }
}

impl<T: Element> From<&[T]> for Array {
    /// A one-dimensional array of the values.
    fn from(values: &[T]) -> Array {
        Array::from(values.to_vec())
    }
}

impl<T: Element, const N: usize> From<[T; N]> for Array {
    /// A one-dimensional array of the values.
    fn from(values: [T; N]) -> Array {
        Array::from(values.to_vec())
    }
}

impl PartialEq for Array {
    /// Same dtype, weak flag, shape and elements (NaN never equals NaN, as
    /// for floats).
    fn eq(&self, other: &Array) -> bool {
        self.ty() == other.ty()
            && self.shape() == other.shape()
            && (0..self.size()).all(|i| self.scalar_at(i) == other.scalar_at(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_are_aligned_and_round_trip() {
        for n in [0usize, 1, 3, 17, 1000] {
            let a = Array::from((0..n as i64).collect::<Vec<_>>());
            assert_eq!(a.data_ptr() as usize % ALIGN, 0);
            assert_eq!(
                a.to_vec::<i64>().unwrap(),
                (0..n as i64).collect::<Vec<_>>()
            );
        }
        let b = Array::from(vec![true, false, true]);
        assert_eq!(b.bytes(), &[1, 0, 1]);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert_eq!(
            Array::from_shape_vec(&[2, 2], vec![1.0f32; 3]),
            Err(Error::ShapeMismatch {
                shape: vec![2, 2],
                len: 3
            })
        );
        let a = Array::from(vec![1.0f32]);
        assert_eq!(
            a.to_vec::<f64>(),
            Err(Error::DTypeMismatch {
                expected: DType::F64,
                found: DType::F32
            })
        );
        assert_eq!(a.item::<f32>(), Ok(1.0));
        assert!(Array::from(vec![1, 2]).item::<i32>().is_err());
    }

    #[test]
    fn arrays_are_send_and_sync_and_clones_share() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Array>();
        let a = Array::from(vec![1u32, 2]);
        let b = a.clone();
        assert_eq!(a.data_ptr(), b.data_ptr());
    }
}
