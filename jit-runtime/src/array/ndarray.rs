//! Conversions between [`Array`] and the `ndarray` crate's arrays, behind
//! the `ndarray` cargo feature.
//!
//! Both directions copy the elements. Into an `Array` because its buffer
//! must start at an [`ALIGN`](super::ALIGN)-byte boundary for compiled
//! code's vector loads, which an `ndarray` allocation does not promise
//! (even a standard-layout one); out of an `Array` because its buffer is
//! shared and immutable, while an `ndarray::Array` owns a mutable `Vec`.
//! Elements are read in logical row-major order, so any memory layout
//! (transposed, strided, negative strides) converts to the same `Array`.

use super::{Array, write_scalar};
use crate::dtype::Ty;
use crate::error::Error;
use crate::scalar::Element;
use ::ndarray::{ArrayBase, ArrayD, ArrayView, Data, Dimension, IxDyn};

/// Copies the elements of any `ndarray` array, in logical row-major order,
/// into a new strongly typed `Array` of the same shape.
fn from_ndarray<T: Element, S: Data<Elem = T>, D: Dimension>(source: &ArrayBase<S, D>) -> Array {
    let size = T::DTYPE.size_of();
    Array::build(Ty::strong(T::DTYPE), source.shape(), |bytes| {
        for (chunk, &value) in bytes.chunks_exact_mut(size).zip(source.iter()) {
            write_scalar(chunk, value.to_scalar());
        }
    })
}

impl<T: Element, D: Dimension> From<::ndarray::Array<T, D>> for Array {
    /// An `Array` of the same shape and elements, strongly typed (as a
    /// NumPy array passed to JAX).
    ///
    /// The elements are always copied, even from a standard-layout array:
    /// an `Array`'s buffer is 64-byte aligned, which `ndarray`'s `Vec` is
    /// not, so it cannot be adopted.
    ///
    /// ```
    /// use jit_runtime::{Array, DType};
    /// let a = Array::from(ndarray::arr2(&[[1.0f32, 2.0], [3.0, 4.0]]).into_dyn());
    /// assert_eq!(a.shape(), &[2, 2]);
    /// assert_eq!(a.dtype(), DType::F32);
    /// ```
    fn from(source: ::ndarray::Array<T, D>) -> Array {
        from_ndarray(&source)
    }
}

impl<T: Element, D: Dimension> From<ArrayView<'_, T, D>> for Array {
    /// An `Array` of the view's shape and elements in logical row-major
    /// order, whatever the view's strides (a transposed or sliced view
    /// gives the elements as shown, not as stored). Always a copy, into a
    /// 64-byte aligned buffer.
    ///
    /// ```
    /// use jit_runtime::Array;
    /// let m = ndarray::arr2(&[[1i32, 2, 3], [4, 5, 6]]).into_dyn();
    /// let t = Array::from(m.t());
    /// assert_eq!(t.shape(), &[3, 2]);
    /// assert_eq!(t.to_vec::<i32>().unwrap(), vec![1, 4, 2, 5, 3, 6]);
    /// ```
    fn from(view: ArrayView<'_, T, D>) -> Array {
        from_ndarray(&view)
    }
}

impl<T: Element> TryFrom<&Array> for ArrayD<T> {
    type Error = Error;

    /// A standard-layout `ndarray` array of the same shape and elements;
    /// [`Error::DTypeMismatch`] if `T` is not the array's dtype (no
    /// conversion between dtypes happens here). The weak flag is dropped:
    /// `ndarray` has no such notion.
    ///
    /// ```
    /// use jit_runtime::{Array, Error};
    /// let a = Array::from_shape_vec(&[2, 2], vec![1i64, 2, 3, 4]).unwrap();
    /// let n = ndarray::ArrayD::<i64>::try_from(&a).unwrap();
    /// assert_eq!(n[[1, 0]], 3);
    /// assert!(matches!(
    ///     ndarray::ArrayD::<f32>::try_from(&a),
    ///     Err(Error::DTypeMismatch { .. })
    /// ));
    /// ```
    fn try_from(array: &Array) -> Result<ArrayD<T>, Error> {
        let values = array.to_vec::<T>()?;
        Ok(ArrayD::from_shape_vec(IxDyn(array.shape()), values)
            .expect("an Array holds exactly the elements of its shape"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::DType;
    use crate::scalar::Scalar;
    use ::ndarray::{Axis, ShapeBuilder, arr2, s};

    #[test]
    fn every_dtype_round_trips() {
        fn round_trip<T: Element + PartialEq + std::fmt::Debug>(values: Vec<T>) {
            let n = ArrayD::from_shape_vec(IxDyn(&[2, values.len() / 2]), values).unwrap();
            let a = Array::from(n.clone());
            assert_eq!(a.dtype(), T::DTYPE);
            assert!(!a.is_weak());
            assert_eq!(a.shape(), n.shape());
            assert_eq!(a.data_ptr() as usize % super::super::ALIGN, 0);
            assert_eq!(ArrayD::<T>::try_from(&a).unwrap(), n);
        }
        round_trip(vec![true, false, false, true]);
        round_trip(vec![1i32, -2, 3, i32::MIN]);
        round_trip(vec![1u32, 2, 3, u32::MAX]);
        round_trip(vec![1i64, -2, 3, i64::MAX]);
        round_trip(vec![1.5f32, -0.0, f32::INFINITY, 1e-40]);
        round_trip(vec![1.5f64, -0.0, f64::NEG_INFINITY, 5e-324]);
    }

    #[test]
    fn views_convert_in_logical_order() {
        let m = arr2(&[[0.0f64, 1.0, 2.0], [3.0, 4.0, 5.0]]);
        let transposed = Array::from(m.t().into_dyn());
        assert_eq!(transposed.shape(), &[3, 2]);
        assert_eq!(
            transposed.to_vec::<f64>().unwrap(),
            vec![0.0, 3.0, 1.0, 4.0, 2.0, 5.0]
        );
        let strided = Array::from(m.slice(s![.., ..;-2]));
        assert_eq!(strided.shape(), &[2, 2]);
        assert_eq!(strided.to_vec::<f64>().unwrap(), vec![2.0, 0.0, 5.0, 3.0]);
        let column = Array::from(m.index_axis(Axis(1), 1));
        assert_eq!(column.to_vec::<f64>().unwrap(), vec![1.0, 4.0]);
        // An owned array in Fortran order converts like its standard twin.
        let fortran =
            ::ndarray::Array2::from_shape_vec((2, 3).f(), vec![0.0, 3.0, 1.0, 4.0, 2.0, 5.0])
                .unwrap();
        assert!(!fortran.is_standard_layout());
        assert_eq!(fortran, m);
        assert_eq!(Array::from(fortran), Array::from(m));
    }

    #[test]
    fn scalars_and_empty_arrays_keep_their_shape() {
        let scalar = Array::from(::ndarray::arr0(7u32).into_dyn());
        assert_eq!(scalar.shape(), &[] as &[usize]);
        assert_eq!(scalar.item::<u32>(), Ok(7));
        assert_eq!(
            ArrayD::<u32>::try_from(&scalar).unwrap(),
            ::ndarray::arr0(7u32).into_dyn()
        );
        let empty = Array::from(ArrayD::<f32>::zeros(IxDyn(&[0, 3])));
        assert_eq!(empty.shape(), &[0, 3]);
        assert_eq!(ArrayD::<f32>::try_from(&empty).unwrap().shape(), &[0, 3]);
    }

    #[test]
    fn a_wrong_dtype_is_an_error() {
        let a = Array::from(vec![1.0f32, 2.0]);
        assert_eq!(
            ArrayD::<f64>::try_from(&a),
            Err(Error::DTypeMismatch {
                expected: DType::F64,
                found: DType::F32
            })
        );
        // A weak array converts by its dtype; the flag has no counterpart.
        let weak = Array::from_scalars(Ty::weak(DType::I32), &[1], &[Scalar::I32(4)]);
        assert_eq!(
            ArrayD::<i32>::try_from(&weak).unwrap(),
            ::ndarray::arr1(&[4]).into_dyn()
        );
    }
}
