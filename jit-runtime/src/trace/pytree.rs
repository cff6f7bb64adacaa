//! `Pytree`: the values `lax` loops carry and branches return.
//!
//! A pytree is a tree whose leaves are values: a [`Tracer`], an `Array`
//! (a constant), a Rust scalar
//! (lifted strongly typed with its Rust dtype, like a NumPy scalar in JAX:
//! `0i64` is an `i64` carry; an unsuffixed literal such as `0.0` written in a
//! `#[jit]` body is made weak by the macro, so it takes the dtype the loop
//! body returns), tuples of up to 8 pytrees,
//! `[T; N]`, `Vec<T>`, and structs with `#[derive(Pytree)]`.
//!
//! Terms: *flattening* lists the leaves as tracers of the current trace and
//! returns the tree's shape, a [`TreeDef`]; *unflattening* rebuilds the
//! traced form (`Traced`: every leaf a `Tracer`) from a `TreeDef` and leaves.
//!
//! One blanket impl covers every Rust scalar (`impl<S: Element> Pytree for
//! S`), not one impl per type: with per-type impls, a literal's type would be
//! ambiguous where `lax` needs its `Traced` form, and closures on the carry
//! would not type-check (`DESIGN.md`, "Typing the staged body").

use super::Tracer;
use crate::dtype::Ty;
use crate::scalar::Element;
use std::fmt::Write;

/// The shape of a pytree, without its leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeDef {
    /// One scalar.
    Leaf,
    /// A tuple.
    Tuple(Vec<TreeDef>),
    /// A fixed-size array or a `Vec`.
    List(Vec<TreeDef>),
    /// A `#[derive(Pytree)]` struct: its name and fields in order.
    Struct(&'static str, Vec<TreeDef>),
}

impl TreeDef {
    /// The number of leaves.
    pub fn num_leaves(&self) -> usize {
        match self {
            TreeDef::Leaf => 1,
            TreeDef::Tuple(c) | TreeDef::List(c) | TreeDef::Struct(_, c) => {
                c.iter().map(TreeDef::num_leaves).sum()
            }
        }
    }

    /// The tree with each leaf's type, as error messages show it:
    /// `(i32[], f32[])`.
    pub fn describe(&self, tys: &[Ty]) -> String {
        let mut out = String::new();
        self.describe_into(&mut tys.iter(), &mut out);
        out
    }

    fn describe_into(&self, tys: &mut std::slice::Iter<'_, Ty>, out: &mut String) {
        let (open, close, children) = match self {
            TreeDef::Leaf => {
                match tys.next() {
                    Some(ty) => {
                        let weak = if ty.weak { "~" } else { "" };
                        let _ = write!(out, "{weak}{}[]", ty.dtype);
                    }
                    None => out.push('?'),
                }
                return;
            }
            TreeDef::Tuple(c) => ("(", ")", c),
            TreeDef::List(c) => ("[", "]", c),
            TreeDef::Struct(name, c) => {
                let _ = write!(out, "{name} ");
                ("{ ", " }", c)
            }
        };
        out.push_str(open);
        for (i, child) in children.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            child.describe_into(tys, out);
        }
        if matches!(self, TreeDef::Tuple(c) if c.len() == 1) {
            out.push(',');
        }
        out.push_str(close);
    }
}

/// A value a `lax` loop can carry or a branch can return.
///
/// Implemented for [`Tracer`], every Rust scalar, `Array` and `&Array`
/// (leaves), tuples of up to 8 pytrees, `[T; N]`, `Vec<T>` and `()`, and by
/// `#[derive(Pytree)]` for structs. A `lax` function flattens the value
/// into its leaves, stages the loop or branch on them and rebuilds the same
/// structure with every leaf a `Tracer` (the [`Traced`](Pytree::Traced)
/// form).
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn fib(n: i32) -> i64 {
///     // a tuple carry; `0i64` is a strong i64, so the carry stays i64
///     lax::fori_loop(0, n, |_i, (a, b)| (b, a + b), (0i64, 1i64)).0
/// }
///
/// #[jit]
/// fn stats(xs: &Array) -> [f32; 2] {
///     // a fixed-size array carry: [sum, sum of squares]
///     lax::scan(|[s, q], x| ([s + x, q + x * x], ()), [0.0, 0.0], xs).0
/// }
///
/// # fn main() {
/// assert_eq!(fib(10), 55);
/// assert_eq!(fib(90), 2880067194370816120);
/// assert_eq!(stats(&Array::from(vec![1.0f32, 2.0, 3.0])), [6.0, 14.0]);
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a pytree: `lax` carries and branch results are tracers, Rust \
               scalars, tuples, arrays and `Vec`s of them, and `#[derive(Pytree)]` structs"
)]
pub trait Pytree {
    /// The same tree with every leaf a [`Tracer`].
    type Traced: Pytree;
    /// Appends the leaves, as tracers of the current trace, and returns the
    /// tree's shape.
    fn flatten(&self, leaves: &mut Vec<Tracer>) -> TreeDef;
    /// Rebuilds the traced form of a tree of shape `def` from its leaves.
    ///
    /// # Panics
    /// If `def` is not a shape of `Self` or there are too few leaves (a bug
    /// in the caller: `lax` only unflattens what it flattened).
    fn unflatten(def: &TreeDef, leaves: &mut dyn Iterator<Item = Tracer>) -> Self::Traced;
}

/// The traced forms a field of a `#[derive(Pytree)]` struct without type
/// parameters may have: such a struct is its own traced form.
#[diagnostic::on_unimplemented(
    message = "a field of type `{Self}` cannot be in a `#[derive(Pytree)]` struct without type parameters",
    label = "this field must be a `Tracer`, or a tuple, array or `Vec` of them, or another such struct",
    note = "to hold plain values or `Array`s outside a trace, make the struct generic: `struct Params<T = Array> {{ w: T, b: T }}` (its traced form is `Params<Tracer>`)"
)]
pub trait TracedForm: Pytree {
    /// The value from its traced form (which is the same type).
    fn from_traced(traced: Self::Traced) -> Self;
}

impl TracedForm for Tracer {
    fn from_traced(traced: Tracer) -> Tracer {
        traced
    }
}

impl<T: TracedForm> TracedForm for Vec<T> {
    fn from_traced(traced: Vec<T::Traced>) -> Vec<T> {
        traced.into_iter().map(T::from_traced).collect()
    }
}

impl<T: TracedForm, const N: usize> TracedForm for [T; N] {
    fn from_traced(traced: [T::Traced; N]) -> [T; N] {
        traced.map(T::from_traced)
    }
}

impl TracedForm for () {
    fn from_traced(_: ()) {}
}

macro_rules! tuple_traced_form {
    ($($T:ident $i:tt),+) => {
        impl<$($T: TracedForm),+> TracedForm for ($($T,)+) {
            fn from_traced(traced: Self::Traced) -> Self {
                ($($T::from_traced(traced.$i),)+)
            }
        }
    };
}
tuple_traced_form!(A 0);
tuple_traced_form!(A 0, B 1);
tuple_traced_form!(A 0, B 1, C 2);
tuple_traced_form!(A 0, B 1, C 2, D 3);
tuple_traced_form!(A 0, B 1, C 2, D 3, E 4);
tuple_traced_form!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_traced_form!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_traced_form!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// The children of a node of `def`, checked to be of the expected kind.
#[doc(hidden)]
pub fn children<'d>(def: &'d TreeDef, what: &str) -> &'d [TreeDef] {
    match def {
        TreeDef::Tuple(c) | TreeDef::List(c) | TreeDef::Struct(_, c) => c,
        TreeDef::Leaf => panic!("jit: unflattening a {what} from a leaf"),
    }
}

fn next_leaf(leaves: &mut dyn Iterator<Item = Tracer>) -> Tracer {
    leaves.next().expect("one leaf per scalar of the tree")
}

impl Pytree for Tracer {
    type Traced = Tracer;
    fn flatten(&self, leaves: &mut Vec<Tracer>) -> TreeDef {
        leaves.push(*self);
        TreeDef::Leaf
    }
    fn unflatten(_: &TreeDef, leaves: &mut dyn Iterator<Item = Tracer>) -> Tracer {
        next_leaf(leaves)
    }
}

impl<S: Element> Pytree for S {
    type Traced = Tracer;
    fn flatten(&self, leaves: &mut Vec<Tracer>) -> TreeDef {
        leaves.push(Tracer::from(*self));
        TreeDef::Leaf
    }
    fn unflatten(_: &TreeDef, leaves: &mut dyn Iterator<Item = Tracer>) -> Tracer {
        next_leaf(leaves)
    }
}

/// An `Array` is a leaf: a constant of the trace.
impl Pytree for crate::array::Array {
    type Traced = Tracer;
    fn flatten(&self, leaves: &mut Vec<Tracer>) -> TreeDef {
        leaves.push(Tracer::array_constant(self));
        TreeDef::Leaf
    }
    fn unflatten(_: &TreeDef, leaves: &mut dyn Iterator<Item = Tracer>) -> Tracer {
        next_leaf(leaves)
    }
}

/// A shared `Array` is a leaf too (`lax::scan(f, init, &xs)`).
impl Pytree for &crate::array::Array {
    type Traced = Tracer;
    fn flatten(&self, leaves: &mut Vec<Tracer>) -> TreeDef {
        leaves.push(Tracer::array_constant(self));
        TreeDef::Leaf
    }
    fn unflatten(_: &TreeDef, leaves: &mut dyn Iterator<Item = Tracer>) -> Tracer {
        next_leaf(leaves)
    }
}

impl<T: Pytree> Pytree for Vec<T> {
    type Traced = Vec<T::Traced>;
    fn flatten(&self, leaves: &mut Vec<Tracer>) -> TreeDef {
        TreeDef::List(self.iter().map(|x| x.flatten(leaves)).collect())
    }
    fn unflatten(def: &TreeDef, leaves: &mut dyn Iterator<Item = Tracer>) -> Vec<T::Traced> {
        children(def, "Vec")
            .iter()
            .map(|d| T::unflatten(d, leaves))
            .collect()
    }
}

impl<T: Pytree, const N: usize> Pytree for [T; N] {
    type Traced = [T::Traced; N];
    fn flatten(&self, leaves: &mut Vec<Tracer>) -> TreeDef {
        TreeDef::List(self.iter().map(|x| x.flatten(leaves)).collect())
    }
    fn unflatten(def: &TreeDef, leaves: &mut dyn Iterator<Item = Tracer>) -> [T::Traced; N] {
        let children = children(def, "array");
        std::array::from_fn(|i| T::unflatten(&children[i], leaves))
    }
}

impl Pytree for () {
    type Traced = ();
    fn flatten(&self, _: &mut Vec<Tracer>) -> TreeDef {
        TreeDef::Tuple(Vec::new())
    }
    fn unflatten(_: &TreeDef, _: &mut dyn Iterator<Item = Tracer>) {}
}

macro_rules! tuple_pytree {
    ($($T:ident $i:tt),+) => {
        impl<$($T: Pytree),+> Pytree for ($($T,)+) {
            type Traced = ($($T::Traced,)+);
            fn flatten(&self, leaves: &mut Vec<Tracer>) -> TreeDef {
                TreeDef::Tuple(vec![$(self.$i.flatten(leaves)),+])
            }
            fn unflatten(def: &TreeDef, leaves: &mut dyn Iterator<Item = Tracer>) -> Self::Traced {
                let children = children(def, "tuple");
                ($($T::unflatten(&children[$i], leaves),)+)
            }
        }
    };
}

tuple_pytree!(A 0);
tuple_pytree!(A 0, B 1);
tuple_pytree!(A 0, B 1, C 2);
tuple_pytree!(A 0, B 1, C 2, D 3);
tuple_pytree!(A 0, B 1, C 2, D 3, E 4);
tuple_pytree!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_pytree!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_pytree!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
