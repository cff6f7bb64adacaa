//! The methods of [`Tracer`] named like methods of Rust's `f32`/`f64` and
//! integer types that `ops.rs` does not define, and the `<<`/`>>` operators.
//!
//! The rule: a tracer method named like a method of a Rust number type
//! behaves like that method, bit for bit, on every input; `jnp` functions
//! behave like JAX's. Where the Rust method panics (a shift by the width or
//! more in debug builds, an integer division by zero), the staged version
//! never traps and gives the value documented on it.
//!
//! Most methods compose existing ops exactly as the Rust standard library
//! writes the method (`trunc` is `x < 0 ? ceil(x) : floor(x)`, as
//! `jnp.trunc`; `rem_euclid` is `std`'s formula over `%`), so they need no
//! op of their own and get derivatives from the ops they record. The bit
//! operations record JAX's primitives (`shift_left`,
//! `shift_right_arithmetic`, `shift_right_logical`, `population_count`,
//! `clz`, `bitcast_convert_type`) and `mul_add` records `fma`, which JAX
//! lacks.
//!
//! Invariant: integer methods keep the receiver's dtype (a shift amount is
//! converted to it, as Rust's shifts keep the left operand's type), and the
//! counting methods return `u32`, as Rust's do.

use super::ops::{binary, cast, select, unary};
use super::{IntoTracer, Tracer, trace_error};
use crate::dtype::{DType, Ty, float_result, promote};
use crate::ir::{AVal, Op};
use crate::scalar::Scalar;
use std::ops;

/// A strong constant `value` of `dtype`.
fn constant(value: Scalar, dtype: DType) -> Tracer {
    Tracer::constant(value.convert(dtype))
}

/// The width of an integer or float dtype, in bits.
fn width(dtype: DType) -> i64 {
    8 * dtype.size_of() as i64
}

/// `x` itself if it is an integer tracer, else a trace-time error naming `what`.
fn integer(x: Tracer, what: &str) -> Tracer {
    if !x.dtype().is_int() {
        trace_error(format_args!(
            "`{what}` needs an integer operand, got {}",
            x.dtype()
        ));
    }
    x
}

/// `x` as a float: integers convert to the default float first, as the
/// float-only functions of `jnp` do.
fn float(x: Tracer) -> Tracer {
    if x.dtype().is_float() {
        x
    } else {
        x.coerce(float_result(x.ty()))
    }
}

/// The bits of `x` read as `dtype` (`bitcast_convert_type`).
fn bitcast(x: Tracer, dtype: DType) -> Tracer {
    Tracer::record(
        Op::BitcastConvertType { new_dtype: dtype },
        &[x],
        AVal {
            ty: Ty::strong(dtype),
            shape: x.shape(),
        },
    )
}

/// The operands of a shift: the value, and the amount converted to its
/// dtype (low bits kept, as `as` does). A weak value (`1 << n`) takes the
/// dtype of a strong integer amount.
fn shift_operands(x: Tracer, n: Tracer, what: &str) -> (Tracer, Tracer) {
    let n = integer(n, what);
    let x = if x.is_weak() && !n.is_weak() {
        x.coerce(Ty::strong(n.dtype()))
    } else {
        x
    };
    let x = integer(x, what);
    let n = n.coerce(Ty {
        dtype: x.dtype(),
        weak: n.is_weak(),
    });
    (x, n)
}

/// Rust's `wrapping_shl`/`wrapping_shr` (and `<<`/`>>` in release builds):
/// the amount taken modulo the width, then XLA's shift (`op`).
fn wrapping_shift(op: Op, x: Tracer, n: Tracer, what: &str) -> Tracer {
    let (x, n) = shift_operands(x, n, what);
    binary(op, x, modulo_width(x.dtype(), n))
}

/// The shift amount `n` (of `dtype`) modulo the width. A literal amount is
/// reduced now, so the jaxpr shows `shift_left a 3` as JAX's would.
fn modulo_width(dtype: DType, n: Tracer) -> Tracer {
    let bits = width(dtype) - 1;
    match literal_i64(n) {
        Some(v) => constant(Scalar::I64(v & bits), dtype),
        None => binary(Op::And, n, constant(Scalar::I64(bits), dtype)),
    }
}

/// The value of an integer literal, widened.
fn literal_i64(n: Tracer) -> Option<i64> {
    match n.literal_value()?.convert(DType::I64) {
        Scalar::I64(v) => Some(v),
        _ => None,
    }
}

/// `x >> n` as Rust shifts `x`'s type: arithmetic for signed integers,
/// logical for `u32`.
fn right_shift_op(dtype: DType) -> Op {
    if dtype.is_signed_int() {
        Op::ShiftRightArithmetic
    } else {
        Op::ShiftRightLogical
    }
}

/// The left operand of a shift whose right operand is a tracer.
fn shift_left_of(x: Tracer, n: impl IntoTracer) -> Tracer {
    wrapping_shift(Op::ShiftLeft, x, n.into_tracer(), "<<")
}

fn shift_right_of(x: Tracer, n: impl IntoTracer) -> Tracer {
    let (x, n) = shift_operands(x, n.into_tracer(), ">>");
    wrapping_shift(right_shift_op(x.dtype()), x, n, ">>")
}

/// `self << n`, as Rust's `wrapping_shl`: the amount is taken modulo the
/// width (`x << 33 == x << 1` on 32 bits), so generated code never traps
/// where a debug build of Rust would panic. The amount may be any integer
/// tracer or Rust integer; it is converted to the left operand's dtype (the
/// result has that dtype, as in Rust). See [`Tracer::wrapping_shl`].
impl<R: IntoTracer> ops::Shl<R> for Tracer {
    type Output = Tracer;
    fn shl(self, n: R) -> Tracer {
        shift_left_of(self, n)
    }
}

/// `self >> n`, as Rust's `wrapping_shr`: arithmetic (sign-filling) on
/// `i32`/`i64`, logical on `u32`, the amount taken modulo the width.
impl<R: IntoTracer> ops::Shr<R> for Tracer {
    type Output = Tracer;
    fn shr(self, n: R) -> Tracer {
        shift_right_of(self, n)
    }
}

impl<R: IntoTracer> ops::ShlAssign<R> for Tracer {
    fn shl_assign(&mut self, n: R) {
        *self = shift_left_of(*self, n);
    }
}

impl<R: IntoTracer> ops::ShrAssign<R> for Tracer {
    fn shr_assign(&mut self, n: R) {
        *self = shift_right_of(*self, n);
    }
}

macro_rules! scalar_shifts {
    ($($t:ty)*) => {$(
        /// A Rust integer shifted by a traced amount (the result has the
        /// Rust integer's dtype).
        impl ops::Shl<Tracer> for $t {
            type Output = Tracer;
            fn shl(self, n: Tracer) -> Tracer {
                shift_left_of(self.into_tracer(), n)
            }
        }
        /// A Rust integer shifted right by a traced amount.
        impl ops::Shr<Tracer> for $t {
            type Output = Tracer;
            fn shr(self, n: Tracer) -> Tracer {
                shift_right_of(self.into_tracer(), n)
            }
        }
    )*};
}

scalar_shifts!(i32 i64 u32);

/// Methods named after `f32`'s and `i32`'s that behave like them (see the
/// module documentation for the rule).
impl Tracer {
    /// The integer part, rounding toward zero, as `f32::trunc` (`-0.0` for
    /// `-0.5`); integers are returned as they are. Recorded as JAX's
    /// `jnp.trunc` is: `ceil` below zero, `floor` elsewhere.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.trunc()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(-1.7), -1.0);
    /// assert_eq!(f(2.9), 2.0);
    /// assert!(f(-0.5).is_sign_negative());
    /// # }
    /// ```
    pub fn trunc(self) -> Tracer {
        if !self.dtype().is_float() {
            return self;
        }
        let zero = constant(Scalar::I32(0), self.dtype());
        select(
            binary(Op::Lt, self, zero),
            unary(Op::Ceil, self),
            unary(Op::Floor, self),
        )
    }

    /// The fractional part, `self - self.trunc()`, as `f32::fract` (NaN for
    /// infinities); integers convert to the default float first.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.fract()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(3.75), 0.75);
    /// assert_eq!(f(-3.75), -0.75);
    /// # }
    /// ```
    pub fn fract(self) -> Tracer {
        let x = float(self);
        x - x.trunc()
    }

    /// `self`'s magnitude with the sign bit of `sign`, as `f32::copysign`
    /// (the sign of `-0.0` and of a NaN counts). Recorded as `jnp.copysign`
    /// is, a select between `abs` and `-abs`, so it has JAX's derivative.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32, s: f32) -> f32 {
    ///     x.copysign(s)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(2.5, -0.0), -2.5);
    /// assert_eq!(f(-2.5, 1.0), 2.5);
    /// # }
    /// ```
    pub fn copysign(self, sign: impl IntoTracer) -> Tracer {
        let sign = sign.into_tracer();
        let ty = promote(float(self).ty(), float(sign).ty());
        let (x, sign) = (self.coerce(ty), sign.coerce(ty));
        let magnitude = unary(Op::Abs, x);
        select(sign.is_sign_negative(), -magnitude, magnitude)
    }

    /// The least non-negative remainder, as `rem_euclid` of Rust's numbers.
    /// Floats: `r = self % rhs`, then `r + |rhs|` if `r < 0`, as `f32`'s
    /// (so the result may round to `|rhs|`). Integers wrap and never trap:
    /// `x.rem_euclid(0) == x`, as the crate's `x % 0 == x`, and
    /// `i32::MIN.rem_euclid(-1) == 0` (`i32::wrapping_rem_euclid`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.rem_euclid(3.0)
    /// }
    ///
    /// #[jit]
    /// fn g(n: i32, d: i32) -> i32 {
    ///     n.rem_euclid(d)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(-1.0), 2.0);
    /// assert_eq!((g(-7, 4), g(-7, -4), g(7, 0)), (1, 1, 7));
    /// # }
    /// ```
    pub fn rem_euclid(self, rhs: impl IntoTracer) -> Tracer {
        let (x, y) = euclid_operands(self, rhs.into_tracer());
        let r = binary(Op::Rem, x, y);
        if x.dtype() == DType::U32 {
            return r;
        }
        let zero = constant(Scalar::I32(0), x.dtype());
        select(binary(Op::Lt, r, zero), r + unary(Op::Abs, y), r)
    }

    /// The quotient rounding toward negative infinity for positive `rhs`,
    /// such that `self == rhs * q + self.rem_euclid(rhs)`, as `div_euclid`
    /// of Rust's numbers. Floats: `std`'s formula, `trunc(self / rhs)`
    /// corrected by one where `self % rhs < 0`. Integers wrap and never
    /// trap: `x.div_euclid(0) == x / 0` (`-1`; `u32::MAX` for `u32`), as
    /// the crate's `/`, and `i32::MIN.div_euclid(-1) == i32::MIN`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.div_euclid(4.0)
    /// }
    ///
    /// #[jit]
    /// fn g(n: i32, d: i32) -> i32 {
    ///     n.div_euclid(d)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(-7.0), -2.0);
    /// assert_eq!((g(-7, 4), g(-7, -4), g(7, 0), g(-7, 0)), (-2, 2, -1, -1));
    /// # }
    /// ```
    pub fn div_euclid(self, rhs: impl IntoTracer) -> Tracer {
        let (x, y) = euclid_operands(self, rhs.into_tracer());
        let dtype = x.dtype();
        let q = binary(Op::Div, x, y);
        if dtype == DType::U32 {
            return q;
        }
        let q = q.trunc();
        let (zero, one) = (
            constant(Scalar::I32(0), dtype),
            constant(Scalar::I32(1), dtype),
        );
        let mut negative = binary(Op::Lt, binary(Op::Rem, x, y), zero);
        if !dtype.is_float() {
            // `x % 0 == x`: no correction of `x / 0`.
            negative &= binary(Op::Ne, y, zero);
        }
        let corrected = select(binary(Op::Gt, y, zero), q - one, q + one);
        select(negative, corrected, q)
    }

    /// Radians to degrees, as `f32::to_degrees`: one multiply by the
    /// constant `std` uses (`1.0f32.to_degrees()`, which for `f32` is the
    /// `f32` nearest `180/π` written as a literal, not `180.0 / PI`), so
    /// every result has Rust's bits. Integers convert to the default float.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.to_degrees()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(std::f32::consts::PI), 180.0);
    /// assert_eq!(f(0.3), 0.3f32.to_degrees());
    /// # }
    /// ```
    pub fn to_degrees(self) -> Tracer {
        let x = float(self);
        let factor = match x.dtype() {
            DType::F32 => Scalar::F32(1.0f32.to_degrees()),
            _ => Scalar::F64(1.0f64.to_degrees()),
        };
        binary(Op::Mul, x, Tracer::constant(factor))
    }

    /// Degrees to radians, as `f32::to_radians`: one multiply by `std`'s
    /// constant (`π / 180` rounded in the float's own width).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f64) -> f64 {
    ///     x.to_radians()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(180.0), std::f64::consts::PI);
    /// assert_eq!(f(33.0), 33.0f64.to_radians());
    /// # }
    /// ```
    pub fn to_radians(self) -> Tracer {
        let x = float(self);
        let factor = match x.dtype() {
            DType::F32 => Scalar::F32(1.0f32.to_radians()),
            _ => Scalar::F64(1.0f64.to_radians()),
        };
        binary(Op::Mul, x, Tracer::constant(factor))
    }

    /// Whether `self` is NaN (`self != self`), a `bool` tracer; integers
    /// convert to the default float first (never NaN).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> bool {
    ///     x.is_nan()
    /// }
    ///
    /// # fn main() {
    /// assert!(f(f32::NAN));
    /// assert!(!f(f32::INFINITY));
    /// # }
    /// ```
    pub fn is_nan(self) -> Tracer {
        let x = float(self);
        binary(Op::Ne, x, x)
    }

    /// Whether `self` is neither infinite nor NaN (`|self| < inf`, as `std`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f64) -> bool {
    ///     x.is_finite()
    /// }
    ///
    /// # fn main() {
    /// assert!(f(f64::MAX));
    /// assert!(!f(f64::NEG_INFINITY));
    /// assert!(!f(f64::NAN));
    /// # }
    /// ```
    pub fn is_finite(self) -> Tracer {
        let x = float(self);
        let inf = constant(Scalar::F64(f64::INFINITY), x.dtype());
        binary(Op::Lt, unary(Op::Abs, x), inf)
    }

    /// Whether `self` is `+inf` or `-inf` (`|self| == inf`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> bool {
    ///     x.is_infinite()
    /// }
    ///
    /// # fn main() {
    /// assert!(f(f32::NEG_INFINITY));
    /// assert!(!f(f32::NAN));
    /// # }
    /// ```
    pub fn is_infinite(self) -> Tracer {
        let x = float(self);
        let inf = constant(Scalar::F64(f64::INFINITY), x.dtype());
        binary(Op::Eq, unary(Op::Abs, x), inf)
    }

    /// Whether the sign bit of `self` is clear, as `f32::is_sign_positive`
    /// (true for `+0.0` and for a NaN without its sign bit). Integers:
    /// `self >= 0` (converted to the default float first, as `jnp`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> bool {
    ///     x.is_sign_positive()
    /// }
    ///
    /// # fn main() {
    /// assert!(f(0.0));
    /// assert!(!f(-0.0));
    /// # }
    /// ```
    pub fn is_sign_positive(self) -> Tracer {
        !self.is_sign_negative()
    }

    /// Whether the sign bit of `self` is set, as `f32::is_sign_negative`
    /// (true for `-0.0` and for a NaN with its sign bit): the bits read as
    /// a signed integer are negative.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f64) -> bool {
    ///     x.is_sign_negative()
    /// }
    ///
    /// # fn main() {
    /// assert!(f(-0.0));
    /// assert!(!f(1.0));
    /// assert!(f(-f64::NAN));
    /// # }
    /// ```
    pub fn is_sign_negative(self) -> Tracer {
        let x = float(self);
        if let Some(v) = x.literal_value() {
            // A literal's sign is known now (`copysign(x, -1.0)`).
            let negative = match v.convert(x.dtype()) {
                Scalar::F32(v) => v.is_sign_negative(),
                Scalar::F64(v) => v.is_sign_negative(),
                _ => unreachable!("a float dtype"),
            };
            return Tracer::constant(Scalar::Bool(negative));
        }
        let signed = if x.dtype() == DType::F32 {
            DType::I32
        } else {
            DType::I64
        };
        let zero = constant(Scalar::I32(0), signed);
        binary(Op::Lt, bitcast(x, signed), zero)
    }

    /// `self << n` (see the `Shl` impl): the amount modulo the width, as
    /// `i32::wrapping_shl`; the result has `self`'s dtype.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: u32, n: u32) -> u32 {
    ///     x.wrapping_shl(n)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1, 4), 16);
    /// assert_eq!(f(1, 33), 2); // as `1u32.wrapping_shl(33)`
    /// # }
    /// ```
    pub fn wrapping_shl(self, n: impl IntoTracer) -> Tracer {
        shift_left_of(self, n)
    }

    /// `self >> n` (see the `Shr` impl): the amount modulo the width, as
    /// `i32::wrapping_shr`; arithmetic on signed integers, logical on `u32`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: i32, n: u32) -> i32 {
    ///     x.wrapping_shr(n)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(-16, 2), -4);
    /// assert_eq!(f(-16, 34), -4);
    /// # }
    /// ```
    pub fn wrapping_shr(self, n: impl IntoTracer) -> Tracer {
        shift_right_of(self, n)
    }

    /// The bits rotated left by `n` modulo the width, as
    /// `u32::rotate_left`; `n` may be traced.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: u32) -> u32 {
    ///     x.rotate_left(8)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0x1234_5678), 0x3456_7812);
    /// # }
    /// ```
    pub fn rotate_left(self, n: impl IntoTracer) -> Tracer {
        rotate(self, n.into_tracer(), true)
    }

    /// The bits rotated right by `n` modulo the width, as `u32::rotate_right`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: u32, n: u32) -> u32 {
    ///     x.rotate_right(n)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0x1234_5678, 8), 0x7812_3456);
    /// assert_eq!(f(0x1234_5678, 32), 0x1234_5678);
    /// # }
    /// ```
    pub fn rotate_right(self, n: impl IntoTracer) -> Tracer {
        rotate(self, n.into_tracer(), false)
    }

    /// `self` to the power `exp`, by repeated squaring with wrapping
    /// multiplies, as `i32::wrapping_pow` (Rust's `pow` panics on overflow
    /// in debug builds; the staged one wraps, as its operators do).
    /// Integers only (`powi` is the float method).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: i32) -> i32 {
    ///     x.pow(3)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(-5), -125);
    /// assert_eq!(f(2000), 2000i32.wrapping_pow(3));
    /// # }
    /// ```
    pub fn pow(self, exp: u32) -> Tracer {
        let x = integer(self, "pow");
        let mut result: Option<Tracer> = None;
        let mut base = x;
        let mut k = exp;
        while k > 0 {
            if k & 1 == 1 {
                result = Some(result.map_or(base, |r| r * base));
            }
            k >>= 1;
            if k > 0 {
                base = base * base;
            }
        }
        result.unwrap_or_else(|| crate::numpy::ones_like(x))
    }

    /// The number of one bits, as `i32::count_ones`: a `u32`
    /// (`population_count`, then a conversion).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: i32) -> u32 {
    ///     x.count_ones()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0b1011), 3);
    /// assert_eq!(f(-1), 32);
    /// # }
    /// ```
    pub fn count_ones(self) -> Tracer {
        let x = integer(self, "count_ones");
        cast(unary(Op::PopulationCount, x), DType::U32)
    }

    /// The number of zero bits, as `i32::count_zeros` (a `u32`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: i64) -> u32 {
    ///     x.count_zeros()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0), 64);
    /// assert_eq!(f(-2), 1);
    /// # }
    /// ```
    pub fn count_zeros(self) -> Tracer {
        let x = integer(self, "count_zeros");
        cast(unary(Op::PopulationCount, !x), DType::U32)
    }

    /// The number of leading zero bits, as `i32::leading_zeros` (a `u32`;
    /// the width for 0): `clz`, then a conversion.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: u32) -> u32 {
    ///     x.leading_zeros()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1), 31);
    /// assert_eq!(f(0), 32);
    /// # }
    /// ```
    pub fn leading_zeros(self) -> Tracer {
        let x = integer(self, "leading_zeros");
        cast(unary(Op::Clz, x), DType::U32)
    }

    /// The number of trailing zero bits, as `i32::trailing_zeros` (a `u32`;
    /// the width for 0): the ones of `!x & (x - 1)`, the bits below the
    /// lowest one.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: i32) -> u32 {
    ///     x.trailing_zeros()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(8), 3);
    /// assert_eq!(f(0), 32);
    /// # }
    /// ```
    pub fn trailing_zeros(self) -> Tracer {
        let x = integer(self, "trailing_zeros");
        let one = constant(Scalar::I32(1), x.dtype());
        let below = !x & (x - one);
        cast(unary(Op::PopulationCount, below), DType::U32)
    }

    /// `self + rhs`, as `i32::wrapping_add`: the same as `+`, since staged
    /// integer arithmetic always wraps. Integers only.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: i32) -> i32 {
    ///     x.wrapping_add(1)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(i32::MAX), i32::MIN);
    /// # }
    /// ```
    pub fn wrapping_add(self, rhs: impl IntoTracer) -> Tracer {
        integer(self, "wrapping_add") + rhs.into_tracer()
    }

    /// `self - rhs`, as `i32::wrapping_sub` (the same as `-`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: u32) -> u32 {
    ///     x.wrapping_sub(1)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0), u32::MAX);
    /// # }
    /// ```
    pub fn wrapping_sub(self, rhs: impl IntoTracer) -> Tracer {
        integer(self, "wrapping_sub") - rhs.into_tracer()
    }

    /// `self * rhs`, as `i32::wrapping_mul` (the same as `*`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: u32) -> u32 {
    ///     x.wrapping_mul(747_796_405)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(12345), 12345u32.wrapping_mul(747_796_405));
    /// # }
    /// ```
    pub fn wrapping_mul(self, rhs: impl IntoTracer) -> Tracer {
        integer(self, "wrapping_mul") * rhs.into_tracer()
    }

    /// `-self`, as `i32::wrapping_neg` (the same as unary `-`;
    /// `MIN.wrapping_neg() == MIN`, and `u32` wraps to `2^32 - x`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: i32) -> i32 {
    ///     x.wrapping_neg()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(i32::MIN), i32::MIN);
    /// assert_eq!(f(5), -5);
    /// # }
    /// ```
    pub fn wrapping_neg(self) -> Tracer {
        -integer(self, "wrapping_neg")
    }

    /// The bits of a float, as `f32::to_bits`: `u32` for `f32`, and `i64`
    /// for `f64` (the crate has no `u64`; `x.to_bits() as u64` in Rust is
    /// the same bits). Recorded as `bitcast_convert_type`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> u32 {
    ///     x.to_bits()
    /// }
    ///
    /// #[jit]
    /// fn g(x: f64) -> i64 {
    ///     x.to_bits()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1.0), 0x3f80_0000);
    /// assert_eq!(g(-2.0), (-2.0f64).to_bits() as i64);
    /// # }
    /// ```
    pub fn to_bits(self) -> Tracer {
        match self.dtype() {
            DType::F32 => bitcast(self, DType::U32),
            DType::F64 => bitcast(self, DType::I64),
            other => trace_error(format_args!("`to_bits` needs a float operand, got {other}")),
        }
    }

    /// The `f32` with the bits of `bits` (a `u32` or `i32`), as
    /// `f32::from_bits`. An associated function, since the receiver is the
    /// integer: `Tracer::f32_from_bits(u)` in a `#[jit]` body.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(u: u32) -> f32 {
    ///     Tracer::f32_from_bits(u)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0x3f80_0000), 1.0);
    /// assert!(f(0x7fc0_0000).is_nan());
    /// # }
    /// ```
    pub fn f32_from_bits(bits: impl IntoTracer) -> Tracer {
        let bits = bits.into_tracer();
        let bits = match bits.ty() {
            Ty {
                dtype: DType::U32 | DType::I32,
                ..
            } => bits,
            Ty { weak: true, .. } => bits.coerce(Ty::strong(DType::U32)),
            ty => trace_error(format_args!(
                "`f32_from_bits` needs u32 or i32 bits, got {}",
                ty.dtype
            )),
        };
        bitcast(bits, DType::F32)
    }

    /// The `f64` with the bits of `bits` (an `i64`, the crate's 64-bit
    /// integer), as `f64::from_bits(bits as u64)`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(u: i64) -> f64 {
    ///     Tracer::f64_from_bits(u)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0x4000_0000_0000_0000), 2.0);
    /// # }
    /// ```
    pub fn f64_from_bits(bits: impl IntoTracer) -> Tracer {
        let bits = bits.into_tracer();
        let bits = match bits.ty() {
            Ty {
                dtype: DType::I64, ..
            } => bits,
            Ty { weak: true, .. } => bits.coerce(Ty::strong(DType::I64)),
            ty => trace_error(format_args!(
                "`f64_from_bits` needs i64 bits, got {}",
                ty.dtype
            )),
        };
        bitcast(bits, DType::F64)
    }
}

/// Both operands of `rem_euclid`/`div_euclid` in their promoted dtype.
fn euclid_operands(x: Tracer, y: Tracer) -> (Tracer, Tracer) {
    let ty = promote(x.ty(), y.ty());
    if ty.dtype == DType::Bool {
        trace_error("`rem_euclid`/`div_euclid` are not defined on bool operands");
    }
    (x.coerce(ty), y.coerce(ty))
}

/// `x` rotated by `n` modulo the width: the two XLA shifts of the bits,
/// which give 0 for a shift by the whole width (so `n == 0` works).
fn rotate(x: Tracer, n: Tracer, left: bool) -> Tracer {
    let what = if left { "rotate_left" } else { "rotate_right" };
    let (x, n) = shift_operands(x, n, what);
    let bits = width(x.dtype());
    let k = modulo_width(x.dtype(), n);
    let rest = match literal_i64(k) {
        Some(k) => constant(Scalar::I64(bits - k), x.dtype()),
        None => constant(Scalar::I64(bits), x.dtype()) - k,
    };
    let (first, second) = if left {
        (Op::ShiftLeft, Op::ShiftRightLogical)
    } else {
        (Op::ShiftRightLogical, Op::ShiftLeft)
    };
    binary(first, x, k) | binary(second, x, rest)
}
