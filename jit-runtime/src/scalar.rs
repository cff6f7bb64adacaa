//! `Scalar`: one concrete value of any [`DType`], and its 8-byte slot form.
//!
//! Scalars are literals in the graph, the interpreter's values, and what the
//! calling convention passes: each argument and result of compiled code is
//! one `u64` *slot* holding the value's bits in its low bits (an `f32` as its
//! bit pattern in the low 32 bits, `bool` as 0 or 1).

use crate::dtype::DType;
use std::fmt;

/// One concrete value with its dtype.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    /// A `bool`.
    Bool(bool),
    /// An `i32`.
    I32(i32),
    /// A `u32`.
    U32(u32),
    /// An `i64`.
    I64(i64),
    /// An `f32`.
    F32(f32),
    /// An `f64`.
    F64(f64),
}

impl Scalar {
    /// The dtype of this value.
    pub fn dtype(self) -> DType {
        match self {
            Scalar::Bool(_) => DType::Bool,
            Scalar::I32(_) => DType::I32,
            Scalar::U32(_) => DType::U32,
            Scalar::I64(_) => DType::I64,
            Scalar::F32(_) => DType::F32,
            Scalar::F64(_) => DType::F64,
        }
    }

    /// The slot form: the value's bits, zero-extended to 64 bits.
    pub fn to_slot(self) -> u64 {
        match self {
            Scalar::Bool(v) => v as u64,
            Scalar::I32(v) => v as u32 as u64,
            Scalar::U32(v) => v as u64,
            Scalar::I64(v) => v as u64,
            Scalar::F32(v) => v.to_bits() as u64,
            Scalar::F64(v) => v.to_bits(),
        }
    }

    /// Reads a slot written by compiled code (only the low bits count).
    pub fn from_slot(dtype: DType, slot: u64) -> Scalar {
        match dtype {
            DType::Bool => Scalar::Bool(slot & 1 != 0),
            DType::I32 => Scalar::I32(slot as u32 as i32),
            DType::U32 => Scalar::U32(slot as u32),
            DType::I64 => Scalar::I64(slot as i64),
            DType::F32 => Scalar::F32(f32::from_bits(slot as u32)),
            DType::F64 => Scalar::F64(f64::from_bits(slot)),
        }
    }

    /// The value as an `f64` (exact for every dtype but `i64` beyond 2^53).
    pub fn as_f64(self) -> f64 {
        match self {
            Scalar::Bool(v) => v as u8 as f64,
            Scalar::I32(v) => v as f64,
            Scalar::U32(v) => v as f64,
            Scalar::I64(v) => v as f64,
            Scalar::F32(v) => v as f64,
            Scalar::F64(v) => v,
        }
    }

    /// Bitwise identity, with every NaN equal to every other NaN: the
    /// agreement native code owes the interpreter.
    pub fn same_bits(self, other: Scalar) -> bool {
        match (self, other) {
            (Scalar::F32(a), Scalar::F32(b)) => {
                a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan()
            }
            (Scalar::F64(a), Scalar::F64(b)) => {
                a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan()
            }
            (a, b) => a == b,
        }
    }

    /// Converts to `to` with the conversion semantics of the graph's
    /// `convert_element_type`: float to integer saturates and NaN gives 0
    /// (Rust `as`), anything to `bool` is `x != 0` (NaN gives true), integer
    /// narrowing wraps, integer to float rounds to nearest.
    pub fn convert(self, to: DType) -> Scalar {
        if to == DType::Bool {
            return Scalar::Bool(match self {
                Scalar::Bool(v) => v,
                Scalar::I32(v) => v != 0,
                Scalar::U32(v) => v != 0,
                Scalar::I64(v) => v != 0,
                Scalar::F32(v) => v != 0.0,
                Scalar::F64(v) => v != 0.0,
            });
        }
        macro_rules! to_all {
            ($v:expr) => {
                match to {
                    DType::I32 => Scalar::I32($v as i32),
                    DType::U32 => Scalar::U32($v as u32),
                    DType::I64 => Scalar::I64($v as i64),
                    DType::F32 => Scalar::F32($v as f32),
                    DType::F64 => Scalar::F64($v as f64),
                    DType::Bool => unreachable!("handled above"),
                }
            };
        }
        match self {
            Scalar::Bool(v) => to_all!(v as u8),
            Scalar::I32(v) => to_all!(v),
            Scalar::U32(v) => to_all!(v),
            Scalar::I64(v) => to_all!(v),
            Scalar::F32(v) => to_all!(v),
            Scalar::F64(v) => to_all!(v),
        }
    }
}

/// Prints as a jaxpr literal's value: `2.0`, `-1`, `True`.
impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Scalar::Bool(v) => f.write_str(if v { "True" } else { "False" }),
            Scalar::I32(v) => write!(f, "{v}"),
            Scalar::U32(v) => write!(f, "{v}"),
            Scalar::I64(v) => write!(f, "{v}"),
            Scalar::F32(v) => write!(f, "{v:?}"),
            Scalar::F64(v) => write!(f, "{v:?}"),
        }
    }
}

/// The Rust scalar types that can be traced: `f32 f64 i32 i64 u32 bool`.
pub trait Element: Copy + Send + Sync + 'static {
    /// The dtype of this Rust type.
    const DTYPE: DType;
    /// Wraps the value.
    fn to_scalar(self) -> Scalar;
    /// Unwraps a scalar of this dtype.
    ///
    /// # Panics
    /// If the scalar has another dtype.
    fn from_scalar(s: Scalar) -> Self;
    /// The slot form (see the module doc).
    fn to_slot(self) -> u64;
    /// Reads the slot form.
    fn from_slot(slot: u64) -> Self;
}

macro_rules! element {
    ($($t:ty => $d:ident),*) => {$(
        impl Element for $t {
            const DTYPE: DType = DType::$d;
            fn to_scalar(self) -> Scalar {
                Scalar::$d(self)
            }
            fn from_scalar(s: Scalar) -> Self {
                match s {
                    Scalar::$d(v) => v,
                    other => panic!("expected a {} scalar, got {other:?}", DType::$d),
                }
            }
            #[inline(always)]
            fn to_slot(self) -> u64 {
                SlotForm::to_slot_bits(self)
            }
            #[inline(always)]
            fn from_slot(slot: u64) -> Self {
                SlotForm::from_slot_bits(slot)
            }
        }
    )*};
}
element!(bool => Bool, i32 => I32, u32 => U32, i64 => I64, f32 => F32, f64 => F64);

macro_rules! slot_form {
    ($($t:ty: |$v:ident| $to:expr, |$s:ident| $from:expr;)*) => {$(
        impl SlotForm for $t {
            #[inline(always)]
            fn to_slot_bits($v: $t) -> u64 {
                $to
            }
            #[inline(always)]
            fn from_slot_bits($s: u64) -> $t {
                $from
            }
        }
    )*};
}

/// The slot conversions of each element type, written out so the call path
/// compiles to a move or two.
trait SlotForm: Sized {
    fn to_slot_bits(v: Self) -> u64;
    fn from_slot_bits(s: u64) -> Self;
}

slot_form! {
    bool: |v| v as u64, |s| s & 1 != 0;
    i32: |v| v as u32 as u64, |s| s as u32 as i32;
    u32: |v| v as u64, |s| s as u32;
    i64: |v| v as u64, |s| s as i64;
    f32: |v| v.to_bits() as u64, |s| f32::from_bits(s as u32);
    f64: |v| v.to_bits(), |s| f64::from_bits(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_round_trip() {
        for s in [
            Scalar::Bool(true),
            Scalar::I32(-5),
            Scalar::U32(u32::MAX),
            Scalar::I64(i64::MIN),
            Scalar::F32(-0.0),
            Scalar::F64(f64::INFINITY),
        ] {
            assert!(Scalar::from_slot(s.dtype(), s.to_slot()).same_bits(s));
        }
    }

    #[test]
    fn conversions_saturate_and_wrap() {
        assert_eq!(Scalar::F32(1e10).convert(DType::I32), Scalar::I32(i32::MAX));
        assert_eq!(Scalar::F32(f32::NAN).convert(DType::I32), Scalar::I32(0));
        assert_eq!(Scalar::F32(-2.7).convert(DType::I32), Scalar::I32(-2));
        assert_eq!(Scalar::F32(-1.0).convert(DType::U32), Scalar::U32(0));
        assert_eq!(
            Scalar::F32(f32::NAN).convert(DType::Bool),
            Scalar::Bool(true)
        );
        assert_eq!(Scalar::I64(1 << 32 | 7).convert(DType::I32), Scalar::I32(7));
        assert_eq!(Scalar::I32(-1).convert(DType::U32), Scalar::U32(u32::MAX));
    }
}
