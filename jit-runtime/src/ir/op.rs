//! `Op`: every primitive the graph can hold, with its meaning.
//!
//! The meaning of each op is defined by the reference interpreter
//! (`interp.rs`); the notes here summarise it. Binary ops take operands of
//! one dtype (tracing inserts conversions first); comparisons return `bool`.
//!
//! Shapes: elementwise ops (the binary and unary ops, `convert_element_type`,
//! `select_n`, `clamp`) take operands of the result's rank whose dimensions
//! are the result's or 1 (repeated along it), or of shape `[]` (used for
//! every element), as JAX 0.10 prints `mul 2.0:f32[] a` and `add a:f32[2,3]
//! c:f32[1,3]`; a change of rank is an explicit `broadcast_in_dim`. The array ops below name their parameters as JAX's
//! primitives do, and the printer shows them the same way.
//!
//! Control flow follows JAX's forms. `while` owns two regions and `cond` one
//! region per branch; every region is *closed*: it uses only its own inputs,
//! literals and its own equations' outputs (values from outside are passed in
//! as explicit operands, JAX's *consts*).

use super::Region;
use crate::dtype::DType;
use std::sync::Arc;

/// A primitive operation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `a + b`; integers wrap.
    Add,
    /// `a - b`; integers wrap.
    Sub,
    /// `a * b`; integers wrap.
    Mul,
    /// `a / b`; integers truncate and never trap: `x / 0 == -1` (`u32::MAX`
    /// for `u32`), `MIN / -1 == MIN`.
    Div,
    /// `a % b` with the sign of `a`; `x % 0 == x` for integers, NaN for floats.
    Rem,
    /// The larger operand, as `lax.max`: NaN if either is NaN, and `-0.0`
    /// orders below `+0.0` (`max(0.0, -0.0)` is `0.0` in either order).
    Max,
    /// The smaller operand, as `lax.min`: NaN if either is NaN, and `-0.0`
    /// orders below `+0.0` (`min(0.0, -0.0)` is `-0.0` in either order).
    Min,
    /// Bitwise (logical on `bool`) and.
    And,
    /// Bitwise (logical on `bool`) or.
    Or,
    /// Bitwise (logical on `bool`) exclusive or.
    Xor,
    /// `a < b` (ordered: false on NaN).
    Lt,
    /// `a <= b`.
    Le,
    /// `a > b`.
    Gt,
    /// `a >= b`.
    Ge,
    /// `a == b` (false on NaN).
    Eq,
    /// `a != b` (true on NaN).
    Ne,
    /// `-a`; integers wrap.
    Neg,
    /// Bitwise not; logical not on `bool`.
    Not,
    /// `|a|`; integers wrap (`abs(MIN) == MIN`).
    Abs,
    /// Round toward negative infinity (floats only).
    Floor,
    /// Round toward positive infinity (floats only).
    Ceil,
    /// Round half away from zero, like `f32::round` (floats only).
    Round,
    // Rust semantics: fused multiply-add, shifts, bit counts, bit casts.
    /// `a * b + c` rounded once, as `f32::mul_add` (floats only; operands
    /// `a, b, c`). JAX has no such primitive (`a * b + c` rounds twice).
    Fma,
    /// `a << b`, as `lax.shift_left`: integers only, `0` when `b` (read as
    /// unsigned) is at least the width.
    ShiftLeft,
    /// `a >> b` filling with the sign bit, as `lax.shift_right_arithmetic`:
    /// integers only (a `u32` shifts as the `i32` of its bits), the sign
    /// fill (`a >> (width - 1)`) when `b` (read as unsigned) is at least the
    /// width.
    ShiftRightArithmetic,
    /// `a >> b` filling with zeros (on the bits of signed values too), as
    /// `lax.shift_right_logical`: `0` when `b` (read as unsigned) is at
    /// least the width.
    ShiftRightLogical,
    /// The number of one bits, as `lax.population_count` (integers only;
    /// the result has the operand's dtype).
    PopulationCount,
    /// The number of leading zero bits, as `lax.clz` (integers only; the
    /// width for 0; the result has the operand's dtype).
    Clz,
    /// The same bits read as `new_dtype`, as `lax.bitcast_convert_type`:
    /// between a float and an integer dtype of its width (`f32` and
    /// `i32`/`u32`, `f64` and `i64`).
    BitcastConvertType {
        /// The result's dtype.
        new_dtype: DType,
    },
    /// Square root (floats only).
    Sqrt,
    /// `e^a` (floats only).
    Exp,
    /// Natural logarithm (floats only).
    Log,
    // Exponential/logarithmic family: exp2 .. logistic.
    /// `2^a` (floats only); exact at integers.
    Exp2,
    /// `e^a - 1` (floats only), accurate near 0; JAX's `expm1`.
    Expm1,
    /// `ln(1 + a)` (floats only), accurate near 0; JAX's `log1p`.
    Log1p,
    /// Base-2 logarithm (floats only); exact at powers of two. JAX has no
    /// such primitive (`jnp.log2` is `log(x) / log(2)`); this op computes it
    /// directly.
    Log2,
    /// Base-10 logarithm (floats only); exact at powers of ten. JAX has no
    /// such primitive (`jnp.log10` is `log(x) / log(10)`); this op computes
    /// it directly.
    Log10,
    /// `a^b` (floats only, both operands of one dtype), with C99 `pow`'s
    /// special values as Rust's `powf`; JAX's `pow`.
    Pow,
    /// Cube root (floats only); JAX's `cbrt`.
    Cbrt,
    /// The error function (floats only); JAX's `erf`.
    Erf,
    /// `1 / (1 + e^-a)` (floats only), accurate in both tails; JAX's
    /// `logistic`.
    Logistic,
    /// Sine (floats only).
    Sin,
    /// Cosine (floats only).
    Cos,
    /// Tangent (floats only).
    Tan,
    // Inverse trigonometric and hyperbolic functions.
    /// Arcsine, in `[-pi/2, pi/2]`; NaN outside `[-1, 1]` (floats only).
    Asin,
    /// Arccosine, in `[0, pi]`; NaN outside `[-1, 1]` (floats only).
    Acos,
    /// Arctangent, in `[-pi/2, pi/2]` (floats only).
    Atan,
    /// `atan2(a, b)`: the angle of the point `(b, a)`, in `[-pi, pi]`, as
    /// `a.atan2(b)` in Rust and `lax.atan2(a, b)` (floats only).
    Atan2,
    /// Hyperbolic sine (floats only).
    Sinh,
    /// Hyperbolic cosine (floats only).
    Cosh,
    /// Inverse hyperbolic sine (floats only).
    Asinh,
    /// Inverse hyperbolic cosine; NaN below 1 (floats only).
    Acosh,
    /// Inverse hyperbolic tangent; NaN outside `[-1, 1]` (floats only).
    Atanh,
    /// `sqrt(a^2 + b^2)` without intermediate overflow or underflow; `inf`
    /// if either operand is infinite, even beside a NaN (floats only). Not
    /// a lax primitive (JAX computes `jnp.hypot` from others); its own op
    /// here, printed `hypot`.
    Hypot,
    /// Hyperbolic tangent (floats only).
    Tanh,
    /// Conversion to `new_dtype` (see `Scalar::convert`); `weak` is the
    /// result's weak flag.
    Convert {
        /// The target dtype.
        new_dtype: DType,
        /// The result's weak flag.
        weak: bool,
    },
    /// `select_n(pred, on_false, on_true)`: `on_true` where `pred`, else
    /// `on_false` (JAX's operand order).
    Select,
    /// `clamp(lo, x, hi)`: `min(max(x, lo), hi)` (JAX's operand order).
    Clamp,
    /// JAX's `while`: operands `cond_consts ++ body_consts ++ init`, one
    /// output per carry. `cond` takes `cond_consts ++ carry` and returns one
    /// `bool`; `body` takes `body_consts ++ carry` and returns the next carry.
    /// Runs `body` while `cond` holds, then returns the carry.
    While {
        /// `cond_jaxpr`.
        cond: Box<Region>,
        /// `body_jaxpr`.
        body: Box<Region>,
        /// How many leading operands are `cond`'s consts.
        cond_nconsts: usize,
        /// How many operands after those are `body`'s consts.
        body_nconsts: usize,
    },
    /// JAX's `cond`: operands `index ++ args` with `index` an `i32` in
    /// `0..branches.len()` (tracing clamps it); runs `branches[index]` on
    /// `args` and returns its results. Every branch takes all `args`.
    Cond {
        /// The branches, in index order (for a `bool` predicate: false first).
        branches: Vec<Region>,
    },
    /// Prints `format` with the operands' values each time it runs; no outputs.
    DebugPrint {
        /// A format string with one `{}` per operand.
        format: Arc<str>,
    },
    /// `broadcast_in_dim`: the operand's dimension `k` becomes dimension
    /// `broadcast_dimensions[k]` of `shape` (of size 1, or the same size);
    /// every other dimension repeats it.
    BroadcastInDim {
        /// The result's shape.
        shape: Vec<usize>,
        /// Where each operand dimension goes, increasing.
        broadcast_dimensions: Vec<usize>,
    },
    /// `reshape`: the same elements in row-major order, in `new_sizes`.
    Reshape {
        /// The result's shape (same number of elements).
        new_sizes: Vec<usize>,
    },
    /// `transpose`: result dimension `k` is operand dimension `permutation[k]`.
    Transpose {
        /// A permutation of the operand's dimensions.
        permutation: Vec<usize>,
    },
    /// `reduce_sum`, `reduce_max`, ...: combines the elements along `axes`
    /// (removed from the shape) in row-major order, from the identity
    /// (0, -inf or the lowest value, +inf or the highest, 1, true, false).
    /// `reduce_max`/`reduce_min` give NaN if any element is NaN.
    Reduce {
        /// How elements combine.
        kind: ReduceKind,
        /// The reduced dimensions, increasing.
        axes: Vec<usize>,
    },
    /// `argmax`/`argmin` along one axis: the first index of the largest
    /// (smallest) element, the first NaN if there is one, as JAX.
    ArgReduce {
        /// True for `argmax`.
        max: bool,
        /// The reduced dimension.
        axis: usize,
        /// The dtype of the indices.
        index_dtype: DType,
    },
    /// `dot_general`: sums products over the contracting dimensions, batched
    /// over the batch dimensions. The result's dimensions are the batch
    /// dimensions, then the lhs's free ones, then the rhs's free ones.
    /// Products and sums are in the operands' dtype, summed in increasing
    /// order of the contracting index.
    DotGeneral {
        /// Contracting dimensions of the lhs and rhs, pairwise.
        contracting: (Vec<usize>, Vec<usize>),
        /// Batch dimensions of the lhs and rhs, pairwise.
        batch: (Vec<usize>, Vec<usize>),
    },
    /// `iota`: the index along `dimension`, of `dtype`, in `shape`; no operands.
    Iota {
        /// The element dtype.
        dtype: DType,
        /// The result's shape.
        shape: Vec<usize>,
        /// The dimension whose index each element holds.
        dimension: usize,
    },
    /// `slice`: elements `start..limit` of each dimension (static bounds).
    Slice {
        /// The first index of each dimension.
        start_indices: Vec<usize>,
        /// One past the last index of each dimension.
        limit_indices: Vec<usize>,
    },
    /// `squeeze`: removes the listed dimensions, each of size 1.
    Squeeze {
        /// The removed dimensions, increasing.
        dimensions: Vec<usize>,
    },
    /// `concatenate`: the operands joined along `dimension`; every other
    /// dimension agrees.
    Concatenate {
        /// The joining dimension.
        dimension: usize,
    },
    /// `dynamic_slice`: operands `x, start_0, .., start_{r-1}` (integer
    /// scalars); the block of `slice_sizes` at the starts, each start
    /// clamped to `0..=dim - size` so the block stays inside, as JAX.
    DynamicSlice {
        /// The size of the block along each dimension.
        slice_sizes: Vec<usize>,
    },
    /// `dynamic_update_slice`: operands `x, update, start_0, ..`; `x` with
    /// `update` written at the starts, clamped as in `DynamicSlice`.
    DynamicUpdateSlice,
    /// JAX's `scan`: operands `consts ++ init ++ xs`; runs `body` (inputs
    /// `consts ++ carry ++ x`, results `carry ++ y`) `length` times, `x`
    /// being each `xs` at index `i` of its leading axis; outputs the final
    /// carry, then each `y` stacked along a new leading axis.
    Scan {
        /// `jaxpr`.
        body: Box<Region>,
        /// The trip count (the leading size of every `xs`).
        length: usize,
        /// How many leading operands are consts.
        num_consts: usize,
        /// How many carry values follow them.
        num_carry: usize,
    },
}

/// The dimensions of a rank-`rank` operand of `dot_general` that it
/// neither contracts nor batches, in order: the *free* dimensions, which
/// follow the batch dimensions in its result (the lhs's, then the rhs's).
pub fn dot_free_dims(rank: usize, contracting: &[usize], batch: &[usize]) -> Vec<usize> {
    (0..rank)
        .filter(|k| !contracting.contains(k) && !batch.contains(k))
        .collect()
}

/// How a `Reduce` combines elements.
///
/// # Order
///
/// Float sums and products round at every step, so their result depends on
/// the order of the steps; this order is part of the op's meaning, fixed
/// here so that every backend and the interpreter agree bit for bit while
/// native code may use vector registers. For each result element, the `m`
/// elements it reduces, taken in row-major order of the reduced axes, are
/// `e[0..m]`. With `S =` [`reduction_stripes`]`(dtype)` *stripes* and
/// `full = m - m % S`:
///
/// 1. stripe `k` (for `k` in `0..S`) starts from the identity and combines
///    `e[k], e[k + S], e[k + 2S], ..` below `full`, in that order;
/// 2. the stripes are combined by halving: while more than one is left,
///    stripe `k` of the lower half becomes `stripe[k] op stripe[k + half]`;
/// 3. stripe 0 then combines `e[full], e[full + 1], .., e[m - 1]` in order.
///
/// Below `S` elements that is the plain left-to-right order from the
/// identity. Integer, boolean, `max` and `min` reductions give the same
/// result in any order; the same definition applies to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReduceKind {
    /// `reduce_sum`.
    Sum,
    /// `reduce_max`.
    Max,
    /// `reduce_min`.
    Min,
    /// `reduce_prod`.
    Prod,
    /// `reduce_and` (bools).
    And,
    /// `reduce_or` (bools).
    Or,
}

/// The number of stripes a reduction of `dtype` elements combines in (see
/// [`ReduceKind`]'s order): 128 bytes of them, eight 128-bit vectors' worth.
pub fn reduction_stripes(dtype: DType) -> usize {
    128 / dtype.size_of()
}

impl ReduceKind {
    /// The value a reduction of `dtype` elements starts from: 0, 1, the
    /// lowest value (`-inf` for floats, `false`), the highest (`+inf`,
    /// `true`), `true` for `and`, `false` for `or`.
    pub fn identity(self, dtype: DType) -> crate::scalar::Scalar {
        use crate::scalar::Scalar;
        let float = |v: f64| Scalar::F64(v).convert(dtype);
        match (self, dtype) {
            (ReduceKind::Sum | ReduceKind::Or, _) => Scalar::I32(0).convert(dtype),
            (ReduceKind::Prod | ReduceKind::And, _) => Scalar::I32(1).convert(dtype),
            (ReduceKind::Max, DType::Bool) => Scalar::Bool(false),
            (ReduceKind::Min, DType::Bool) => Scalar::Bool(true),
            (ReduceKind::Max, DType::F32 | DType::F64) => float(f64::NEG_INFINITY),
            (ReduceKind::Min, DType::F32 | DType::F64) => float(f64::INFINITY),
            (ReduceKind::Max, DType::I32) => Scalar::I32(i32::MIN),
            (ReduceKind::Min, DType::I32) => Scalar::I32(i32::MAX),
            (ReduceKind::Max, DType::U32) => Scalar::U32(0),
            (ReduceKind::Min, DType::U32) => Scalar::U32(u32::MAX),
            (ReduceKind::Max, DType::I64) => Scalar::I64(i64::MIN),
            (ReduceKind::Min, DType::I64) => Scalar::I64(i64::MAX),
        }
    }

    /// The elementwise op that combines two partial results.
    pub fn combine_op(self) -> Op {
        match self {
            ReduceKind::Sum => Op::Add,
            ReduceKind::Max => Op::Max,
            ReduceKind::Min => Op::Min,
            ReduceKind::Prod => Op::Mul,
            ReduceKind::And => Op::And,
            ReduceKind::Or => Op::Or,
        }
    }
}

impl Op {
    /// The name a jaxpr prints.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Add => "add",
            Op::Sub => "sub",
            Op::Mul => "mul",
            Op::Div => "div",
            Op::Rem => "rem",
            Op::Max => "max",
            Op::Min => "min",
            Op::And => "and",
            Op::Or => "or",
            Op::Xor => "xor",
            Op::Lt => "lt",
            Op::Le => "le",
            Op::Gt => "gt",
            Op::Ge => "ge",
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Neg => "neg",
            Op::Not => "not",
            Op::Abs => "abs",
            Op::Floor => "floor",
            Op::Ceil => "ceil",
            Op::Round => "round",
            // Rust semantics.
            Op::Fma => "fma",
            Op::ShiftLeft => "shift_left",
            Op::ShiftRightArithmetic => "shift_right_arithmetic",
            Op::ShiftRightLogical => "shift_right_logical",
            Op::PopulationCount => "population_count",
            Op::Clz => "clz",
            Op::BitcastConvertType { .. } => "bitcast_convert_type",
            Op::Sqrt => "sqrt",
            Op::Exp => "exp",
            Op::Log => "log",
            Op::Exp2 => "exp2",
            Op::Expm1 => "expm1",
            Op::Log1p => "log1p",
            Op::Log2 => "log2",
            Op::Log10 => "log10",
            Op::Pow => "pow",
            Op::Cbrt => "cbrt",
            Op::Erf => "erf",
            Op::Logistic => "logistic",
            Op::Sin => "sin",
            Op::Cos => "cos",
            Op::Tan => "tan",
            // Inverse trigonometric and hyperbolic functions.
            Op::Asin => "asin",
            Op::Acos => "acos",
            Op::Atan => "atan",
            Op::Atan2 => "atan2",
            Op::Sinh => "sinh",
            Op::Cosh => "cosh",
            Op::Asinh => "asinh",
            Op::Acosh => "acosh",
            Op::Atanh => "atanh",
            Op::Hypot => "hypot",
            Op::Tanh => "tanh",
            Op::Convert { .. } => "convert_element_type",
            Op::Select => "select_n",
            Op::Clamp => "clamp",
            Op::While { .. } => "while",
            Op::Cond { .. } => "cond",
            Op::DebugPrint { .. } => "debug_callback",
            Op::BroadcastInDim { .. } => "broadcast_in_dim",
            Op::Reshape { .. } => "reshape",
            Op::Transpose { .. } => "transpose",
            Op::Reduce { kind, .. } => match kind {
                ReduceKind::Sum => "reduce_sum",
                ReduceKind::Max => "reduce_max",
                ReduceKind::Min => "reduce_min",
                ReduceKind::Prod => "reduce_prod",
                ReduceKind::And => "reduce_and",
                ReduceKind::Or => "reduce_or",
            },
            Op::ArgReduce { max: true, .. } => "argmax",
            Op::ArgReduce { max: false, .. } => "argmin",
            Op::DotGeneral { .. } => "dot_general",
            Op::Iota { .. } => "iota",
            Op::Slice { .. } => "slice",
            Op::Squeeze { .. } => "squeeze",
            Op::Concatenate { .. } => "concatenate",
            Op::DynamicSlice { .. } => "dynamic_slice",
            Op::DynamicUpdateSlice => "dynamic_update_slice",
            Op::Scan { .. } => "scan",
        }
    }

    /// The number of operands, or `None` for variadic ops.
    pub fn arity(&self) -> Option<usize> {
        Some(match self {
            Op::Select | Op::Clamp | Op::Fma => 3,
            Op::DotGeneral { .. } => 2,
            Op::Iota { .. } => 0,
            Op::DebugPrint { .. }
            | Op::While { .. }
            | Op::Cond { .. }
            | Op::Concatenate { .. }
            | Op::DynamicSlice { .. }
            | Op::DynamicUpdateSlice
            | Op::Scan { .. } => {
                return None;
            }
            op if op.is_binary() => 2,
            _ => 1,
        })
    }

    /// Elementwise binary ops (arithmetic, bitwise and comparisons).
    pub fn is_binary(&self) -> bool {
        use Op::*;
        matches!(
            self,
            Add | Sub | Mul | Div | Rem | Max | Min | And | Or | Xor | Lt | Le | Gt | Ge | Eq | Ne
            // Inverse trigonometric and hyperbolic functions.
            | Atan2 | Hypot
            // Exponential/logarithmic family.
            | Pow
        ) || matches!(
            // Rust semantics.
            self,
            ShiftLeft | ShiftRightArithmetic | ShiftRightLogical
        )
    }

    /// Elementwise ops: each output element depends on the operands'
    /// elements at its own index only (shape-`[]` operands at every index).
    pub fn is_elementwise(&self) -> bool {
        self.is_binary()
            || matches!(
                self,
                Op::Neg
                    | Op::Not
                    | Op::Abs
                    | Op::Floor
                    | Op::Ceil
                    | Op::Round
                    // Rust semantics.
                    | Op::Fma
                    | Op::PopulationCount
                    | Op::Clz
                    | Op::BitcastConvertType { .. }
                    | Op::Sqrt
                    | Op::Exp
                    | Op::Log
                    // Exponential/logarithmic family (`pow` is binary).
                    | Op::Exp2
                    | Op::Expm1
                    | Op::Log1p
                    | Op::Log2
                    | Op::Log10
                    | Op::Cbrt
                    | Op::Erf
                    | Op::Logistic
                    | Op::Sin
                    | Op::Cos
                    | Op::Tan
                    // Inverse trigonometric and hyperbolic functions.
                    | Op::Asin
                    | Op::Acos
                    | Op::Atan
                    | Op::Atan2
                    | Op::Sinh
                    | Op::Cosh
                    | Op::Asinh
                    | Op::Acosh
                    | Op::Atanh
                    | Op::Hypot
                    | Op::Tanh
                    | Op::Convert { .. }
                    | Op::Select
                    | Op::Clamp
            )
    }

    /// Comparisons: binary ops returning `bool`.
    pub fn is_comparison(&self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne)
    }

    /// Ops defined on floats only.
    pub fn is_float_only(&self) -> bool {
        use Op::*;
        matches!(
            self,
            Floor | Ceil | Round | Fma | Sqrt | Exp | Log | Sin | Cos | Tan | Tanh
            // Inverse trigonometric and hyperbolic functions.
            | Asin | Acos | Atan | Atan2 | Sinh | Cosh | Asinh | Acosh | Atanh | Hypot
            // Exponential/logarithmic family.
            | Exp2 | Expm1 | Log1p | Log2 | Log10 | Pow | Cbrt | Erf | Logistic
        )
    }

    /// Transcendental ops: native code matches the interpreter within the
    /// documented ULP bound rather than bit for bit.
    pub fn is_transcendental(&self) -> bool {
        use Op::*;
        matches!(
            self,
            Exp | Log | Sin | Cos | Tan | Tanh
            // Inverse trigonometric and hyperbolic functions.
            | Asin | Acos | Atan | Atan2 | Sinh | Cosh | Asinh | Acosh | Atanh | Hypot
            // Exponential/logarithmic family.
            | Exp2 | Expm1 | Log1p | Log2 | Log10 | Pow | Cbrt | Erf | Logistic
        )
    }

    /// Ops with an effect besides their outputs: never removed or merged.
    /// A loop or branch has one when its regions do.
    pub fn has_effect(&self) -> bool {
        match self {
            Op::DebugPrint { .. } => true,
            op => op
                .regions()
                .iter()
                .any(|r| r.eqns.iter().any(|e| e.op.has_effect())),
        }
    }

    /// The nested regions (`while`: cond then body; `cond`: the branches).
    pub fn regions(&self) -> Vec<&Region> {
        match self {
            Op::While { cond, body, .. } => vec![&**cond, &**body],
            Op::Scan { body, .. } => vec![&**body],
            Op::Cond { branches } => branches.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The nested regions, mutably.
    pub fn regions_mut(&mut self) -> Vec<&mut Region> {
        match self {
            Op::While { cond, body, .. } => vec![&mut **cond, &mut **body],
            Op::Scan { body, .. } => vec![&mut **body],
            Op::Cond { branches } => branches.iter_mut().collect(),
            _ => Vec::new(),
        }
    }

    /// True for ops that own regions (loops and branches).
    pub fn has_regions(&self) -> bool {
        matches!(self, Op::While { .. } | Op::Cond { .. } | Op::Scan { .. })
    }
}
