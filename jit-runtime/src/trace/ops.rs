//! Operators and `f32`-named methods on [`Tracer`]: each records one or a
//! few equations, after promoting operands with JAX's lattice.
//!
//! Rust scalars met by an operator (`x * 2.0`, `1 - x`) are weakly typed,
//! like Python scalars in JAX: they take the tracer's dtype.

use super::{IntoTracer, Tracer, trace_error};
use crate::dtype::{DType, Ty, float_result, promote};
use crate::ir::{AVal, Op};
use std::ops;

/// A shape as Python prints a tuple: `(3,)`, `(2, 3)`, `()`.
pub(crate) fn shape_text(shape: &[usize]) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// NumPy's broadcast of the operand shapes of `op`: aligned at the last
/// dimension, each pair equal or one of them 1; else a trace-time error in
/// JAX's words.
pub(crate) fn broadcast_shapes(op: &str, shapes: &[&[usize]]) -> Vec<usize> {
    let rank = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out = vec![1; rank];
    for shape in shapes {
        for (k, &n) in shape.iter().enumerate() {
            let o = &mut out[rank - shape.len() + k];
            if *o == 1 {
                *o = n;
            } else if n != 1 && n != *o {
                let texts: Vec<String> = shapes.iter().map(|s| shape_text(s)).collect();
                trace_error(format_args!(
                    "{op} got incompatible shapes for broadcasting: {}.",
                    texts.join(", ")
                ));
            }
        }
    }
    out
}

/// `t` with leading dimensions of size 1 up to `rank` (a `broadcast_in_dim`,
/// as JAX inserts for NumPy's rank promotion); a shape-`[]` value or one of
/// that rank already is returned as it is.
pub(crate) fn to_rank(t: Tracer, rank: usize) -> Tracer {
    let shape = t.shape();
    if shape.is_empty() || shape.len() == rank {
        return t;
    }
    let lead = rank - shape.len();
    let mut new_shape = vec![1; lead];
    new_shape.extend_from_slice(&shape);
    Tracer::record(
        Op::BroadcastInDim {
            shape: new_shape.clone(),
            broadcast_dimensions: (lead..rank).collect(),
        },
        &[t],
        AVal {
            ty: t.ty(),
            shape: new_shape,
        },
    )
}

/// Records an elementwise op on `args` (already of one dtype) whose result
/// has type `ty` and the operands' broadcast shape.
fn elementwise(op: Op, args: &[Tracer], ty: Ty) -> Tracer {
    let shapes: Vec<Vec<usize>> = args.iter().map(|t| t.shape()).collect();
    let refs: Vec<&[usize]> = shapes.iter().map(Vec::as_slice).collect();
    let shape = broadcast_shapes(op.name(), &refs);
    let args: Vec<Tracer> = args.iter().map(|&t| to_rank(t, shape.len())).collect();
    Tracer::record(op, &args, AVal { ty, shape })
}

/// Records a binary elementwise op after promoting both operands.
pub(crate) fn binary(op: Op, a: Tracer, b: Tracer) -> Tracer {
    let (ta, tb) = (a.ty(), b.ty());
    let ty = promote(ta, tb);
    let bitwise = matches!(op, Op::And | Op::Or | Op::Xor);
    if bitwise && ty.dtype.is_float() {
        trace_error(format_args!(
            "`{}` needs bool or integer operands, got {} and {}",
            op.name(),
            ta.dtype,
            tb.dtype
        ));
    }
    if ty.dtype == DType::Bool
        && !bitwise
        && !op.is_comparison()
        && !matches!(op, Op::Max | Op::Min)
    {
        trace_error(format_args!(
            "`{}` is not defined on bool operands; convert them first (`as i32`)",
            op.name()
        ));
    }
    let (a, b) = (a.coerce(ty), b.coerce(ty));
    let out = if op.is_comparison() {
        Ty::strong(DType::Bool)
    } else {
        ty
    };
    elementwise(op, &[a, b], out)
}

/// Records a unary elementwise op; float-only ops first convert integer
/// operands to the default float, as `jnp` does.
pub(crate) fn unary(op: Op, a: Tracer) -> Tracer {
    let ty = a.ty();
    let a = if op.is_float_only() && !ty.dtype.is_float() {
        a.coerce(float_result(ty))
    } else {
        a
    };
    let ty = a.ty();
    let invalid = match op {
        Op::Not => ty.dtype.is_float(),
        Op::Neg | Op::Abs => ty.dtype == DType::Bool,
        _ => false,
    };
    if invalid {
        trace_error(format_args!(
            "`{}` is not defined on {}",
            op.name(),
            ty.dtype
        ));
    }
    Tracer::record(
        op,
        &[a],
        AVal {
            ty,
            shape: a.shape(),
        },
    )
}

/// `a < b` and friends, returning a bool tracer (what the macro rewrites
/// comparisons in a `#[jit]` body into).
pub fn compare(op: Op, a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    debug_assert!(op.is_comparison());
    binary(op, a.into_tracer(), b.into_tracer())
}

/// Stages `x as T`: a conversion to `dtype`, strongly typed.
pub fn cast(x: impl IntoTracer, dtype: DType) -> Tracer {
    let x = x.into_tracer();
    let ty = x.ty();
    if ty.dtype == dtype && !ty.weak {
        return x;
    }
    if ty.dtype == dtype {
        // Only the weak flag changes: JAX records this conversion too.
        return cast_recorded(x, dtype);
    }
    x.coerce(Ty::strong(dtype))
}

/// `on_true` where `pred`, else `on_false`, elementwise, as
/// `jax.lax.select`: no branch, both sides are computed. `pred` must be a
/// bool tracer; the sides are promoted to one dtype.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn relu(x: f32) -> f32 {
///     lax::select(x > 0.0, x, 0.0)
/// }
///
/// #[jit]
/// fn relu_all(x: &Array) -> Array {
///     lax::select(x > 0.0, x, 0.0)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// assert_eq!(relu(-2.0), 0.0);
/// assert_eq!(relu(3.0), 3.0);
/// let x = Array::from(vec![-1.0f32, 2.0, -3.0]);
/// assert_eq!(relu_all(&x).to_vec::<f32>()?, vec![0.0, 2.0, 0.0]);
/// # Ok(())
/// # }
/// ```
pub fn select(
    pred: impl IntoTracer,
    on_true: impl IntoTracer,
    on_false: impl IntoTracer,
) -> Tracer {
    let pred = pred.into_tracer();
    if pred.dtype() != DType::Bool {
        trace_error(format_args!(
            "select needs a bool predicate, got {}",
            pred.dtype()
        ));
    }
    let (t, f) = (on_true.into_tracer(), on_false.into_tracer());
    let ty = promote(t.ty(), f.ty());
    let (t, f) = (t.coerce(ty), f.coerce(ty));
    elementwise(Op::Select, &[pred, f, t], ty)
}

macro_rules! binary_operator {
    ($($trait:ident $method:ident $assign_trait:ident $assign_method:ident => $op:ident;)*) => {$(
        impl<R: IntoTracer> ops::$trait<R> for Tracer {
            type Output = Tracer;
            fn $method(self, rhs: R) -> Tracer {
                binary(Op::$op, self, rhs.into_tracer())
            }
        }
        impl<R: IntoTracer> ops::$assign_trait<R> for Tracer {
            fn $assign_method(&mut self, rhs: R) {
                *self = binary(Op::$op, *self, rhs.into_tracer());
            }
        }
        binary_operator!(@scalars $trait $method $op; f32 f64 i32 i64 u32 bool);
    )*};
    (@scalars $trait:ident $method:ident $op:ident; $($t:ty)*) => {$(
        impl ops::$trait<Tracer> for $t {
            type Output = Tracer;
            fn $method(self, rhs: Tracer) -> Tracer {
                binary(Op::$op, self.into_tracer(), rhs)
            }
        }
    )*};
}

binary_operator! {
    Add add AddAssign add_assign => Add;
    Sub sub SubAssign sub_assign => Sub;
    Mul mul MulAssign mul_assign => Mul;
    Div div DivAssign div_assign => Div;
    Rem rem RemAssign rem_assign => Rem;
    BitAnd bitand BitAndAssign bitand_assign => And;
    BitOr bitor BitOrAssign bitor_assign => Or;
    BitXor bitxor BitXorAssign bitxor_assign => Xor;
}

impl ops::Neg for Tracer {
    type Output = Tracer;
    fn neg(self) -> Tracer {
        unary(Op::Neg, self)
    }
}

impl ops::Not for Tracer {
    type Output = Tracer;
    fn not(self) -> Tracer {
        unary(Op::Not, self)
    }
}

/// Records `pow` (exponential/logarithmic family): both operands promoted
/// together, integer or bool results converted to the default float first.
pub(crate) fn pow(a: Tracer, b: Tracer) -> Tracer {
    let ty = float_result(promote(a.ty(), b.ty()));
    binary(Op::Pow, a.coerce(ty), b.coerce(ty))
}

macro_rules! unary_method {
    ($($(#[$doc:meta])* $name:ident => $op:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(self) -> Tracer {
            unary(Op::$op, self)
        }
    )*};
}

/// Methods named after `f32`'s. Integer operands of float-only functions
/// are converted to the default float first, as in `jnp`.
impl Tracer {
    unary_method! {
        /// Sine.
        ///
        /// Measured error: `f32` at most 0.79 ulp (every `f32` below 2^16
        /// checked; computed in `f32`, eight lanes per AVX2 vector), `f64`
        /// within 1 ulp (see the `math` module).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.sin()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 0.0);
        /// assert!((f(1.0) - 1.0f32.sin()).abs() < 1e-6);
        /// # }
        /// ```
        sin => Sin;
        /// Cosine.
        ///
        /// Measured error: `f32` at most 0.79 ulp (every `f32` below 2^16
        /// checked; computed in `f32`, eight lanes per AVX2 vector), `f64`
        /// within 1 ulp (see the `math` module).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.cos()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 1.0);
        /// assert!((f(1.0) - 1.0f32.cos()).abs() < 1e-6);
        /// # }
        /// ```
        cos => Cos;
        /// Tangent.
        ///
        /// Measured error: `f32` at most 0.5 ulp (+2^-29), `f64` within 1
        /// ulp (see the `math` module).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.tan()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 0.0);
        /// assert!((f(1.0) - 1.0f32.tan()).abs() < 1e-6);
        /// # }
        /// ```
        tan => Tan;
        /// `e^self`.
        ///
        /// Measured error: `f32` at most 0.8 ulp (every finite `f32`
        /// checked; computed in `f32`), `f64` within 1 ulp (see the `math`
        /// module).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.exp()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 1.0);
        /// assert!((f(1.0) - std::f32::consts::E).abs() < 1e-6);
        /// # }
        /// ```
        exp => Exp;
        /// Natural logarithm.
        ///
        /// Measured error: `f32` at most 0.5001 ulp, `f64` within 1 ulp
        /// (see the `math` module).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.ln()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(1.0), 0.0);
        /// assert!(f(-1.0).is_nan());
        /// # }
        /// ```
        ln => Log;
        /// Square root.
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.sqrt()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(2.25), 1.5);
        /// # }
        /// ```
        sqrt => Sqrt;
        /// Absolute value (integers wrap: `abs(MIN) == MIN`).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.abs()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(-1.5), 1.5);
        /// # }
        /// ```
        abs => Abs;
        /// Hyperbolic tangent.
        ///
        /// Measured error: `f32` at most 0.76 ulp (every finite `f32`
        /// checked; computed in `f32`), `f64` within 1 ulp (see the `math`
        /// module).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.tanh()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 0.0);
        /// assert!((f(0.5) - 0.5f32.tanh()).abs() < 1e-6);
        /// # }
        /// ```
        tanh => Tanh;
    }

    /// Largest integer not above `self`; integers are returned as they are.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.floor()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(-1.5), -2.0);
    /// assert_eq!(f(2.7), 2.0);
    /// # }
    /// ```
    pub fn floor(self) -> Tracer {
        self.integral_or(Op::Floor)
    }

    /// Smallest integer not below `self`; integers are returned as they are.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.ceil()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(-1.5), -1.0);
    /// assert_eq!(f(2.1), 3.0);
    /// # }
    /// ```
    pub fn ceil(self) -> Tracer {
        self.integral_or(Op::Ceil)
    }

    /// Nearest integer, half away from zero (as `f32::round`); integers are
    /// returned as they are.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.round()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(2.5), 3.0); // `jnp.round` gives 2.0
    /// assert_eq!(f(-2.5), -3.0);
    /// assert_eq!(f(1.4), 1.0);
    /// # }
    /// ```
    pub fn round(self) -> Tracer {
        self.integral_or(Op::Round)
    }

    fn integral_or(self, op: Op) -> Tracer {
        if self.dtype().is_float() {
            unary(op, self)
        } else {
            self
        }
    }

    // Exponential/logarithmic family: exp2 .. sin_cos.

    /// `2^self`, as `f32::exp2` (JAX's `exp2`); exact at integers.
    ///
    /// Measured error: `f32` at most 0.5001 ulp, `f64` below 0.7 ulp
    /// (see the `math` module).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.exp2()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(3.0), 8.0);
    /// assert_eq!(f(-1.0), 0.5);
    /// # }
    /// ```
    pub fn exp2(self) -> Tracer {
        unary(Op::Exp2, self)
    }

    /// `e^self - 1`, as `f32::exp_m1` (JAX's `expm1`), accurate near 0.
    ///
    /// Measured error: `f32` at most 0.5001 ulp, `f64` within 1 ulp
    /// (see the `math` module).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.exp_m1()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert_eq!(f(1e-10), 1e-10);
    /// assert!((f(1.0) - 1.0f32.exp_m1()).abs() < 1e-6);
    /// # }
    /// ```
    pub fn exp_m1(self) -> Tracer {
        unary(Op::Expm1, self)
    }

    /// `ln(1 + self)`, as `f32::ln_1p` (JAX's `log1p`), accurate near 0.
    ///
    /// Measured error: `f32` at most 0.5001 ulp, `f64` within 1 ulp
    /// (see the `math` module).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.ln_1p()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert_eq!(f(1e-10), 1e-10);
    /// assert_eq!(f(-1.0), f32::NEG_INFINITY);
    /// # }
    /// ```
    pub fn ln_1p(self) -> Tracer {
        unary(Op::Log1p, self)
    }

    /// Base-2 logarithm, as `f32::log2`; exact at powers of two (`jnp.log2`
    /// is `log(x) / log(2)`, which is not).
    ///
    /// Measured error: `f32` at most 0.5001 ulp, `f64` below 0.6 ulp
    /// (see the `math` module).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.log2()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(8.0), 3.0);
    /// assert_eq!(f(0.25), -2.0);
    /// # }
    /// ```
    pub fn log2(self) -> Tracer {
        unary(Op::Log2, self)
    }

    /// Base-10 logarithm, as `f32::log10`; exact at powers of ten
    /// (`jnp.log10` is `log(x) / log(10)`, which is not).
    ///
    /// Measured error: `f32` at most 0.5001 ulp, `f64` within 1 ulp
    /// (see the `math` module).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.log10()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1e6), 6.0);
    /// assert_eq!(f(0.001), -3.0);
    /// # }
    /// ```
    pub fn log10(self) -> Tracer {
        unary(Op::Log10, self)
    }

    /// Cube root, as `f32::cbrt` (JAX's `cbrt`): negative for negative
    /// `self`.
    ///
    /// Measured error: `f32` at most 0.5 ulp (+2^-29), `f64` within 1 ulp
    /// (see the `math` module).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.cbrt()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(27.0), 3.0);
    /// assert_eq!(f(-8.0), -2.0);
    /// # }
    /// ```
    pub fn cbrt(self) -> Tracer {
        unary(Op::Cbrt, self)
    }

    /// The error function `2/sqrt(pi) * integral of e^(-t^2) from 0 to
    /// self` (JAX's `jax.scipy.special.erf`; Rust's `f32::erf` is unstable).
    ///
    /// Measured error: `f32` at most 0.5 ulp (+2^-29), `f64` within 1 ulp
    /// (see the `math` module).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.erf()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert_eq!(f(10.0), 1.0);
    /// assert!((f(0.5) - 0.520_499_9).abs() < 1e-6);
    /// # }
    /// ```
    pub fn erf(self) -> Tracer {
        unary(Op::Erf, self)
    }

    /// The logistic sigmoid `1 / (1 + e^-self)` (JAX's `jax.nn.sigmoid`,
    /// the `logistic` primitive), without overflow and accurate in both
    /// tails: `sigmoid(-100)` is `e^-100`, not 0.
    ///
    /// Measured error: `f32` at most 0.79 ulp (every finite `f32`
    /// checked; computed in `f32`), `f64` within 1 ulp (see the `math`
    /// module).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.sigmoid()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.5);
    /// assert_eq!(f(-100.0), (-100.0f64).exp() as f32);
    /// assert_eq!(f(100.0), 1.0);
    /// # }
    /// ```
    pub fn sigmoid(self) -> Tracer {
        unary(Op::Logistic, self)
    }

    /// The logistic function, the same as [`sigmoid`](Tracer::sigmoid)
    /// (JAX's name of the primitive, `lax.logistic`).
    ///
    /// Measured error: as `sigmoid`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.logistic()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.5);
    /// # }
    /// ```
    pub fn logistic(self) -> Tracer {
        unary(Op::Logistic, self)
    }

    /// `self` raised to the power `exponent`, as `f32::powf` (JAX's `pow`),
    /// with C99 `pow`'s special values: `x.powf(0.0)` is 1 even for NaN `x`,
    /// `1.0.powf(y)` is 1 even for NaN `y`, a negative base gives NaN unless
    /// the exponent is an integer. The exponent may be a tracer or a Rust
    /// number; integer operands are converted to the default float first
    /// (unlike `jnp.power` on two integers, which stays integral).
    ///
    /// Measured error: `f32` at most 0.5 ulp (+2^-29), `f64` within 1 ulp of
    /// `std`'s `powf` (see the `math` module).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32, y: f32) -> f32 {
    ///     x.powf(y)
    /// }
    ///
    /// #[jit]
    /// fn cube(x: f32) -> f32 {
    ///     x.powf(3.0)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(2.0, 10.0), 1024.0);
    /// assert_eq!(f(f32::NAN, 0.0), 1.0);
    /// assert!(f(-2.0, 0.5).is_nan());
    /// assert_eq!(cube(-2.0), -8.0);
    /// # }
    /// ```
    pub fn powf(self, exponent: impl IntoTracer) -> Tracer {
        pow(self, exponent.into_tracer())
    }

    /// `(sin(self), cos(self))`, as `f32::sin_cos`: both ops, whose argument
    /// reduction native code shares.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> (f32, f32) {
    ///     x.sin_cos()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), (0.0, 1.0));
    /// let (s, c) = f(1.0);
    /// assert!((s - 1.0f32.sin()).abs() < 1e-6 && (c - 1.0f32.cos()).abs() < 1e-6);
    /// # }
    /// ```
    pub fn sin_cos(self) -> (Tracer, Tracer) {
        (self.sin(), self.cos())
    }

    /// The larger of the two, as `f32::max`: if one operand is NaN, the
    /// other (NaN only if both are); `-0.0` orders below `+0.0`, so the
    /// result never depends on the order of the operands. `jnp::maximum`
    /// is JAX's `maximum` instead: NaN if either is NaN.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32, y: f32) -> f32 {
    ///     x.max(y)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1.0, 2.0), 2.0);
    /// assert_eq!(f(1.0, f32::NAN), 1.0); // as `1.0f32.max(f32::NAN)`
    /// # }
    /// ```
    pub fn max(self, other: impl IntoTracer) -> Tracer {
        ignoring_nan(Op::Max, self, other.into_tracer())
    }

    /// The smaller of the two, as `f32::min`: if one operand is NaN, the
    /// other (NaN only if both are); `-0.0` orders below `+0.0`.
    /// `jnp::minimum` is JAX's `minimum` instead: NaN if either is NaN.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32, y: f32) -> f32 {
    ///     x.min(y)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1.0, 2.0), 1.0);
    /// assert_eq!(f(f32::NAN, 2.0), 2.0);
    /// # }
    /// ```
    pub fn min(self, other: impl IntoTracer) -> Tracer {
        ignoring_nan(Op::Min, self, other.into_tracer())
    }

    /// `self` limited to `[lo, hi]`, as `jnp.clip`: `minimum(maximum(self,
    /// lo), hi)`, so a NaN `self` stays NaN (as `f32::clamp` gives). Unlike
    /// `f32::clamp` it never panics: `lo > hi` gives `hi`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.clamp(0.0, 1.0)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(-3.0), 0.0);
    /// assert_eq!(f(0.5), 0.5);
    /// assert_eq!(f(7.0), 1.0);
    /// assert!(f(f32::NAN).is_nan());
    /// # }
    /// ```
    pub fn clamp(self, lo: impl IntoTracer, hi: impl IntoTracer) -> Tracer {
        let raised = binary(Op::Max, self, lo.into_tracer());
        binary(Op::Min, raised, hi.into_tracer())
    }

    /// The sign as `f32::signum` gives it: `1.0` for `+0.0` and positive
    /// numbers, `-1.0` for `-0.0` and negative ones, NaN for NaN (JAX's
    /// `jnp.sign` gives 0 at zero; this is Rust's method). On integers:
    /// `-1`, `0` or `1`, as `i32::signum` (`u32`: `0` or `1`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.signum()
    /// }
    ///
    /// #[jit]
    /// fn g(n: i32) -> i32 {
    ///     n.signum()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!((f(2.5), f(0.0), f(-0.0), f(-3.0)), (1.0, 1.0, -1.0, -1.0));
    /// assert!(f(f32::NAN).is_nan());
    /// assert_eq!((g(-7), g(0), g(9)), (-1, 0, 1));
    /// # }
    /// ```
    pub fn signum(self) -> Tracer {
        let weak = |v: f64| Tracer::weak(crate::scalar::Scalar::F64(v)).coerce(self.ty());
        if !self.dtype().is_float() {
            let zero = Tracer::weak(crate::scalar::Scalar::I32(0)).coerce(self.ty());
            let one = Tracer::weak(crate::scalar::Scalar::I32(1)).coerce(self.ty());
            let positive = select(binary(Op::Gt, self, zero), one, zero);
            if self.dtype() == DType::U32 {
                return positive;
            }
            let minus = -one;
            return select(binary(Op::Lt, self, zero), minus, positive);
        }
        let (zero, one) = (weak(0.0), weak(1.0));
        // -0.0 is told from +0.0 by the sign of its reciprocal.
        let negative = binary(Op::Lt, self, zero)
            | (binary(Op::Eq, self, zero) & binary(Op::Lt, one / self, zero));
        let sign = select(negative, -one, one);
        select(binary(Op::Ne, self, self), self, sign)
    }

    /// `1 / self`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.recip()
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(4.0), 0.25);
    /// assert_eq!(f(0.0), f32::INFINITY);
    /// # }
    /// ```
    pub fn recip(self) -> Tracer {
        let one = Tracer::weak(crate::scalar::Scalar::F64(1.0));
        binary(Op::Div, one, self)
    }

    /// `self * a + b` rounded once, as `f32::mul_add`: the `fma` op (JAX
    /// has no fused multiply-add primitive; its `x * a + b` rounds twice).
    /// Native code uses the CPU's instruction (x86-64 with FMA3 at the
    /// native ISA level, AArch64) or a correctly rounded runtime helper.
    /// Integers: `self * a + b`, wrapping (exact either way).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.mul_add(2.0, 1.0)
    /// }
    ///
    /// #[jit]
    /// fn residual(x: f64, p: f64) -> f64 {
    ///     x.mul_add(x, -p) // the exact square's error, unlike `x * x - p`
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(3.0), 7.0);
    /// let x = 1.0 + f64::EPSILON;
    /// assert_eq!(residual(x, x * x), x.mul_add(x, -(x * x)));
    /// assert_ne!(residual(x, x * x), 0.0);
    /// # }
    /// ```
    pub fn mul_add(self, a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
        let (a, b) = (a.into_tracer(), b.into_tracer());
        let ty = promote(promote(self.ty(), a.ty()), b.ty());
        if !ty.dtype.is_float() {
            return self * a + b;
        }
        let args = [self.coerce(ty), a.coerce(ty), b.coerce(ty)];
        elementwise(Op::Fma, &args, ty)
    }

    /// `self` to an integer power by repeated squaring, as `lax.integer_pow`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     x.powi(3)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(2.0), 8.0);
    /// assert_eq!(f(-1.5), -3.375);
    /// # }
    /// ```
    pub fn powi(self, n: i32) -> Tracer {
        let mut result: Option<Tracer> = None;
        let mut base = self;
        let mut k = n.unsigned_abs();
        while k > 0 {
            if k & 1 == 1 {
                result = Some(result.map_or(base, |r| r * base));
            }
            k >>= 1;
            if k > 0 {
                base = base * base;
            }
        }
        let positive = result
            .unwrap_or_else(|| Tracer::weak(crate::scalar::Scalar::F64(1.0)).coerce(self.ty()));
        if n < 0 { positive.recip() } else { positive }
    }
}

/// Inverse trigonometric and hyperbolic functions, named as `f32`'s methods.
impl Tracer {
    // Inverse trigonometric and hyperbolic functions.
    unary_method! {
        /// Arcsine in radians, in `[-pi/2, pi/2]`; NaN outside `[-1, 1]`. Measured: f32 within 0.5 ulp and f64 within 1 ulp of the exact value (see `math`).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.asin()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 0.0);
        /// assert!((f(0.5) - 0.5f32.asin()).abs() < 1e-6);
        /// assert!(f(2.0).is_nan());
        /// # }
        /// ```
        asin => Asin;
        /// Arccosine in radians, in `[0, pi]`; NaN outside `[-1, 1]`. Measured: f32 within 0.5 ulp and f64 within 1 ulp of the exact value (see `math`).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.acos()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(1.0), 0.0);
        /// assert!((f(0.5) - 0.5f32.acos()).abs() < 1e-6);
        /// assert!(f(-2.0).is_nan());
        /// # }
        /// ```
        acos => Acos;
        /// Arctangent in radians, in `[-pi/2, pi/2]`. Measured: f32 within 0.5 ulp and f64 within 1 ulp of the exact value (see `math`).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.atan()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 0.0);
        /// assert_eq!(f(f32::INFINITY), std::f32::consts::FRAC_PI_2);
        /// assert!((f(1.0) - 1.0f32.atan()).abs() < 1e-6);
        /// # }
        /// ```
        atan => Atan;
        /// Hyperbolic sine. Measured: f32 within 0.5 ulp and f64 within 1 ulp of the exact value (see `math`).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.sinh()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 0.0);
        /// assert!((f(1.0) - 1.0f32.sinh()).abs() < 1e-6);
        /// # }
        /// ```
        sinh => Sinh;
        /// Hyperbolic cosine. Measured: f32 within 0.5 ulp and f64 within 1 ulp of the exact value (see `math`).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.cosh()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 1.0);
        /// assert!((f(1.0) - 1.0f32.cosh()).abs() < 1e-6);
        /// # }
        /// ```
        cosh => Cosh;
        /// Inverse hyperbolic sine. Measured: f32 within 0.5 ulp and f64 within 1 ulp of the exact value (see `math`).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.asinh()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 0.0);
        /// assert!((f(1.0) - 1.0f32.asinh()).abs() < 1e-6);
        /// # }
        /// ```
        asinh => Asinh;
        /// Inverse hyperbolic cosine; NaN below 1. Measured: f32 within 0.5 ulp and f64 within 1 ulp of the exact value (see `math`).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.acosh()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(1.0), 0.0);
        /// assert!((f(2.0) - 2.0f32.acosh()).abs() < 1e-6);
        /// assert!(f(0.5).is_nan());
        /// # }
        /// ```
        acosh => Acosh;
        /// Inverse hyperbolic tangent; `±inf` at `±1`, NaN outside `[-1, 1]`. Measured: f32 within 0.5 ulp and f64 within 1 ulp of the exact value (see `math`).
        ///
        /// ```
        /// use jit::prelude::*;
        ///
        /// #[jit]
        /// fn f(x: f32) -> f32 {
        ///     x.atanh()
        /// }
        ///
        /// # fn main() {
        /// assert_eq!(f(0.0), 0.0);
        /// assert!((f(0.5) - 0.5f32.atanh()).abs() < 1e-6);
        /// assert_eq!(f(1.0), f32::INFINITY);
        /// # }
        /// ```
        atanh => Atanh;
    }

    /// The four-quadrant arctangent of `self` (y) and `other` (x): the angle
    /// of the point `(other, self)` in radians, in `[-pi, pi]`, as
    /// `f32::atan2` (signed zeros and infinities as C99 gives them). Integer
    /// operands become the default float. Measured (see `math`): f32 within
    /// 0.5 ulp and f64 within 0.65 ulp of the exact value.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(y: f32, x: f32) -> f32 {
    ///     y.atan2(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1.0, 1.0), std::f32::consts::FRAC_PI_4);
    /// assert_eq!(f(0.0, -1.0), std::f32::consts::PI);
    /// assert_eq!(f(-0.0, 1.0).to_bits(), (-0.0f32).to_bits());
    /// # }
    /// ```
    pub fn atan2(self, other: impl IntoTracer) -> Tracer {
        float_binary(Op::Atan2, self, other.into_tracer())
    }

    /// `sqrt(self^2 + other^2)` without overflow or underflow in between, as
    /// `f32::hypot`: `inf` if either is infinite (even beside a NaN).
    /// Integer operands become the default float. Measured (see `math`):
    /// f32 and f64 within 0.5 ulp of the exact value (a subnormal f64
    /// result within 1 ulp).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32, y: f32) -> f32 {
    ///     x.hypot(y)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(3.0, 4.0), 5.0);
    /// assert_eq!(f(3e30, 4e30), 5e30);
    /// assert_eq!(f(f32::INFINITY, f32::NAN), f32::INFINITY);
    /// # }
    /// ```
    pub fn hypot(self, other: impl IntoTracer) -> Tracer {
        float_binary(Op::Hypot, self, other.into_tracer())
    }
}

/// A float-only binary op (`atan2`, `hypot`): both operands promoted
/// together, integers and bools then to the default float, as `jnp` does.
pub(crate) fn float_binary(op: Op, a: Tracer, b: Tracer) -> Tracer {
    let ty = promote(a.ty(), b.ty());
    let ty = if ty.dtype.is_float() {
        ty
    } else {
        float_result(ty)
    };
    binary(op, a.coerce(ty), b.coerce(ty))
}

/// `op` (`Max` or `Min`, which give NaN if either operand is NaN) with Rust's
/// NaN rule on floats: a NaN operand gives the other one. An operand that is
/// a literal other than NaN needs no test.
fn ignoring_nan(op: Op, a: Tracer, b: Tracer) -> Tracer {
    let ty = promote(a.ty(), b.ty());
    if !ty.dtype.is_float() {
        return binary(op, a, b);
    }
    let (a, b) = (a.coerce(ty), b.coerce(ty));
    let may_be_nan = |t: Tracer| t.literal_value().is_none_or(|v| v.as_f64().is_nan());
    let mut result = binary(op, a, b);
    if may_be_nan(b) {
        result = select(binary(Op::Ne, b, b), a, result);
    }
    if may_be_nan(a) {
        result = select(binary(Op::Ne, a, a), b, result);
    }
    result
}

/// A conversion to a strong `dtype`, always recorded as an equation (as JAX
/// records `convert_element_type` on a predicate or index), even for a literal.
pub(crate) fn cast_recorded(x: Tracer, dtype: DType) -> Tracer {
    Tracer::record(
        Op::Convert {
            new_dtype: dtype,
            weak: false,
        },
        &[x],
        AVal {
            ty: Ty::strong(dtype),
            shape: x.shape(),
        },
    )
}
