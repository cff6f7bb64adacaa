//! Element types, weak typing and JAX's type-promotion lattice.
//!
//! A value's type while tracing is a [`DType`] plus a *weak* flag. A weakly
//! typed value comes from a Rust literal (`2.0`, `1`) or a plain Rust scalar
//! met by an operator; it takes the dtype of the strongly typed value it meets,
//! exactly as a Python scalar does in JAX.
//!
//! **Invariant:** [`promote`] is JAX's lattice join restricted to our dtypes
//! (with 64-bit types enabled): `bool < i* < {u32, i32} < i64 < f* < f32 < f64`,
//! where `i*` and `f*` are the weak integer and weak float, and `u32 ∨ i32 = i64`.

use std::fmt;

/// The element type of a traced value or an array.
///
/// One per Rust element type: `bool`, `i32`, `u32`, `i64`, `f32`, `f64`
/// (JAX's dtypes with `jax_enable_x64`). Mixed operands promote by JAX's
/// lattice; an unsuffixed literal in a `#[jit]` body is weak and takes the
/// other operand's dtype.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array, k: f64) -> Array {
///     x * 2 + k // i32 * weak literal is i32; i32 + f64 is f64
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![1, 2, 3]);
/// assert_eq!(x.dtype(), DType::I32);
/// let y = f(&x, 0.5);
/// assert_eq!(y.dtype(), DType::F64);
/// assert_eq!(y.to_vec::<f64>()?, vec![2.5, 4.5, 6.5]);
/// assert_eq!(DType::F64.to_string(), "f64");
/// assert_eq!(DType::F64.numpy_name(), "float64");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    /// `bool`
    Bool,
    /// `i32`
    I32,
    /// `u32`
    U32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
}

impl DType {
    /// Every dtype, in lattice order.
    pub const ALL: [DType; 6] = [
        DType::Bool,
        DType::I32,
        DType::U32,
        DType::I64,
        DType::F32,
        DType::F64,
    ];

    /// `f32`, `i64`, ...: the short name jaxprs print.
    pub fn short_name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::I32 => "i32",
            DType::U32 => "u32",
            DType::I64 => "i64",
            DType::F32 => "f32",
            DType::F64 => "f64",
        }
    }

    /// `float32`, `int64`, ...: the NumPy name `Array`'s `Display` prints.
    pub fn numpy_name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::I32 => "int32",
            DType::U32 => "uint32",
            DType::I64 => "int64",
            DType::F32 => "float32",
            DType::F64 => "float64",
        }
    }

    /// True for `f32` and `f64`.
    pub fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F64)
    }

    /// True for `i32`, `u32` and `i64`.
    pub fn is_int(self) -> bool {
        matches!(self, DType::I32 | DType::U32 | DType::I64)
    }

    /// True for `i32` and `i64`.
    pub fn is_signed_int(self) -> bool {
        matches!(self, DType::I32 | DType::I64)
    }

    /// Size of one element in bytes (`bool` takes one byte in arrays).
    pub fn size_of(self) -> usize {
        match self {
            DType::Bool => 1,
            DType::I32 | DType::U32 | DType::F32 => 4,
            DType::I64 | DType::F64 => 8,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short_name())
    }
}

/// A dtype with JAX's weak-type flag: the type of a traced scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ty {
    /// The element type.
    pub dtype: DType,
    /// Weakly typed: came from a Rust literal, defers to strong types.
    pub weak: bool,
}

impl Ty {
    /// A strongly typed dtype.
    pub const fn strong(dtype: DType) -> Ty {
        Ty { dtype, weak: false }
    }

    /// A weakly typed dtype.
    pub const fn weak(dtype: DType) -> Ty {
        Ty { dtype, weak: true }
    }
}

/// A node of the promotion lattice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    Bool,
    WeakInt,
    U32,
    I32,
    I64,
    WeakFloat,
    F32,
    F64,
}

impl Node {
    fn of(ty: Ty) -> Node {
        match (ty.dtype, ty.weak) {
            (DType::Bool, _) => Node::Bool,
            (d, true) if d.is_int() => Node::WeakInt,
            (_, true) => Node::WeakFloat,
            (DType::I32, false) => Node::I32,
            (DType::U32, false) => Node::U32,
            (DType::I64, false) => Node::I64,
            (DType::F32, false) => Node::F32,
            (DType::F64, false) => Node::F64,
        }
    }

    /// Every node at or above `self` (its up-set), as a bit mask.
    fn up_set(self) -> u8 {
        use Node::*;
        let bit = |n: Node| 1u8 << (n as u8);
        let floats = bit(WeakFloat) | bit(F32) | bit(F64);
        match self {
            Bool => 0xff,
            WeakInt => !bit(Bool),
            U32 => bit(U32) | bit(I64) | floats,
            I32 => bit(I32) | bit(I64) | floats,
            I64 => bit(I64) | floats,
            WeakFloat => floats,
            F32 => bit(F32) | bit(F64),
            F64 => bit(F64),
        }
    }

    fn ty(self) -> Ty {
        match self {
            Node::Bool => Ty::strong(DType::Bool),
            Node::WeakInt => Ty::weak(DType::I32),
            Node::U32 => Ty::strong(DType::U32),
            Node::I32 => Ty::strong(DType::I32),
            Node::I64 => Ty::strong(DType::I64),
            Node::WeakFloat => Ty::weak(DType::F32),
            Node::F32 => Ty::strong(DType::F32),
            Node::F64 => Ty::strong(DType::F64),
        }
    }
}

const NODES: [Node; 8] = [
    Node::Bool,
    Node::WeakInt,
    Node::U32,
    Node::I32,
    Node::I64,
    Node::WeakFloat,
    Node::F32,
    Node::F64,
];

/// The least upper bound of two types in JAX's lattice: the type both operands
/// of a binary operation are converted to.
///
/// A weak operand keeps its own dtype when both are weak and of one kind
/// (a weak `f64` meeting a weak `f32` stays weak `f64`), so the lattice only
/// decides between kinds.
pub fn promote(a: Ty, b: Ty) -> Ty {
    if a == b {
        return a;
    }
    let common = Node::of(a).up_set() & Node::of(b).up_set();
    let least = NODES
        .iter()
        .copied()
        .find(|n| common & 1 << (*n as u8) != 0 && n.up_set() & common == common)
        .expect("the promotion lattice has a top");
    let mut ty = least.ty();
    // A weak result keeps the widest weak dtype of its kind among the operands.
    if ty.weak {
        for op in [a, b] {
            if op.weak && op.dtype.is_float() == ty.dtype.is_float() && op.dtype > ty.dtype {
                ty.dtype = op.dtype;
            }
        }
    }
    ty
}

/// The type of a float-only operation (`sin`, `sqrt`, `/` in `jnp`) applied to
/// `ty`: integers and bools become the default float, keeping the weak flag.
pub fn float_result(ty: Ty) -> Ty {
    if ty.dtype.is_float() {
        ty
    } else if ty.dtype == DType::Bool {
        Ty::strong(DType::F32)
    } else {
        Ty {
            dtype: DType::F32,
            weak: ty.weak,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(d: DType) -> Ty {
        Ty::strong(d)
    }
    fn w(d: DType) -> Ty {
        Ty::weak(d)
    }

    #[test]
    fn jax_promotion_table() {
        use DType::*;
        assert_eq!(promote(w(F32), s(F32)), s(F32));
        assert_eq!(promote(w(F32), s(I32)), w(F32));
        assert_eq!(promote(w(I32), s(F32)), s(F32));
        assert_eq!(promote(w(I32), s(U32)), s(U32));
        assert_eq!(promote(w(I32), w(F32)), w(F32));
        assert_eq!(promote(s(I32), s(U32)), s(I64));
        assert_eq!(promote(s(I64), s(F32)), s(F32));
        assert_eq!(promote(s(F32), s(F64)), s(F64));
        assert_eq!(promote(s(Bool), s(I32)), s(I32));
        assert_eq!(promote(s(Bool), w(I32)), w(I32));
        assert_eq!(promote(s(Bool), s(Bool)), s(Bool));
        assert_eq!(promote(w(F64), w(F32)), w(F64));
    }

    #[test]
    fn promotion_is_commutative_and_idempotent() {
        let all: Vec<Ty> = DType::ALL
            .iter()
            .flat_map(|&d| [s(d), w(d)])
            .filter(|t| !(t.weak && t.dtype == DType::Bool))
            .collect();
        for &a in &all {
            assert_eq!(promote(a, a), a);
            for &b in &all {
                assert_eq!(promote(a, b), promote(b, a), "{a:?} {b:?}");
            }
        }
    }
}
