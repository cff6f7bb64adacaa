//! `Value`: a concrete value of a graph, as the interpreter computes it and
//! the call path passes it: a [`Scalar`] or an [`Array`].
//!
//! Invariant: a value of shape `[]` is always `Value::Scalar`; `Value::Array`
//! is kept for shapes with at least one dimension, so scalar programs never
//! allocate.

use crate::array::Array;
use crate::dtype::DType;
use crate::ir::AVal;
use crate::scalar::Scalar;

/// A scalar or an array.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A shape-`[]` value.
    Scalar(Scalar),
    /// A value with at least one dimension.
    Array(Array),
}

impl Value {
    /// The dtype of the elements.
    pub fn dtype(&self) -> DType {
        match self {
            Value::Scalar(s) => s.dtype(),
            Value::Array(a) => a.dtype(),
        }
    }

    /// The shape; empty for a scalar.
    pub fn shape(&self) -> &[usize] {
        match self {
            Value::Scalar(_) => &[],
            Value::Array(a) => a.shape(),
        }
    }

    /// The number of elements.
    pub fn size(&self) -> usize {
        self.shape().iter().product()
    }

    /// The element at flat index `i`; a scalar is every element.
    pub fn element(&self, i: usize) -> Scalar {
        match self {
            Value::Scalar(s) => *s,
            Value::Array(a) => a.scalar_at(i),
        }
    }

    /// Every element in row-major order.
    pub fn elements(&self) -> Vec<Scalar> {
        match self {
            Value::Scalar(s) => vec![*s],
            Value::Array(a) => a.scalars(),
        }
    }

    /// The scalar of a shape-`[]` value.
    ///
    /// # Panics
    /// If the value is an array (a caller bug: avals say which it is).
    pub fn scalar(&self) -> Scalar {
        match self {
            Value::Scalar(s) => *s,
            Value::Array(a) => panic!("expected a scalar, got an array of shape {:?}", a.shape()),
        }
    }

    /// A value of abstract value `aval` from its elements in row-major order
    /// (converted to its dtype).
    pub fn from_elements(aval: &AVal, elements: &[Scalar]) -> Value {
        if aval.shape.is_empty() {
            Value::Scalar(elements[0].convert(aval.ty.dtype))
        } else {
            Value::Array(Array::from_scalars(aval.ty, &aval.shape, elements))
        }
    }

    /// The value as an array of type `aval.ty` (shape `[]` for a scalar).
    pub fn into_array(self, aval: &AVal) -> Array {
        match self {
            Value::Scalar(s) => Array::from_scalars(aval.ty, &[], &[s]),
            Value::Array(a) => a.with_weak(aval.ty.weak),
        }
    }
}

impl From<Scalar> for Value {
    fn from(s: Scalar) -> Value {
        Value::Scalar(s)
    }
}

impl From<Array> for Value {
    /// A shape-`[]` array becomes a scalar (see the module invariant).
    fn from(a: Array) -> Value {
        if a.shape().is_empty() {
            Value::Scalar(a.scalar_at(0))
        } else {
            Value::Array(a)
        }
    }
}
