//! The typed boundary between a `#[jit]` function's Rust signature and its
//! trace: argument lists, return types, and the mode (concrete or traced)
//! in which a `#[jit]` function was called.
//!
//! A `#[jit]` function is generic over each traced parameter: called with
//! plain values it dispatches to compiled code ([`Concrete`] mode); called
//! with a [`Tracer`] inside another function's trace it inlines its body into
//! that trace ([`Traced`] mode). The mode of a call is the `Or` of its
//! arguments' modes, computed by the type checker, so plain callers still get
//! plain values back.

use super::{Tracer, trace_error};
use crate::Error;
use crate::array::Array;
use crate::dtype::DType;
use crate::ir::AVal;
use crate::scalar::Element;
use crate::value::Value;
use std::mem::MaybeUninit;

/// Whether a `#[jit]` function was called with plain values or tracers.
pub trait Mode {
    /// True for [`Traced`].
    const TRACED: bool;
    /// The mode of a call with arguments in modes `Self` and `M`.
    type Or<M: Mode>: Mode;
    /// What a call in this mode returns for the declared return type `R`.
    type Ret<R: JitReturn>;
    /// Wraps a concrete result (only called in [`Concrete`] mode).
    fn wrap_concrete<R: JitReturn>(r: R) -> Self::Ret<R>;
    /// Wraps a traced result (only called in [`Traced`] mode).
    fn wrap_traced<R: JitReturn>(r: R::Traced) -> Self::Ret<R>;
    /// The concrete value of a result (only called in [`Concrete`] mode).
    fn unwrap_concrete<R: JitReturn>(r: Self::Ret<R>) -> R;
    /// The traced value of a result (only called in [`Traced`] mode).
    fn unwrap_traced<R: JitReturn>(r: Self::Ret<R>) -> R::Traced;
}

/// Every argument is a plain value: run compiled code.
pub struct Concrete;

/// Some argument is a tracer: inline into the caller's trace.
pub struct Traced;

impl Mode for Concrete {
    const TRACED: bool = false;
    type Or<M: Mode> = M;
    type Ret<R: JitReturn> = R;
    fn wrap_concrete<R: JitReturn>(r: R) -> R {
        r
    }
    fn wrap_traced<R: JitReturn>(_: R::Traced) -> R {
        unreachable!("a concrete-mode call returns a concrete value")
    }
    fn unwrap_concrete<R: JitReturn>(r: R) -> R {
        r
    }
    fn unwrap_traced<R: JitReturn>(_: R) -> R::Traced {
        unreachable!("a concrete-mode call holds a concrete value")
    }
}

impl Mode for Traced {
    const TRACED: bool = true;
    type Or<M: Mode> = Traced;
    type Ret<R: JitReturn> = R::Traced;
    fn wrap_concrete<R: JitReturn>(_: R) -> R::Traced {
        unreachable!("a traced-mode call returns a tracer")
    }
    fn wrap_traced<R: JitReturn>(r: R::Traced) -> R::Traced {
        r
    }
    fn unwrap_concrete<R: JitReturn>(_: R::Traced) -> R {
        unreachable!("a traced-mode call holds a tracer")
    }
    fn unwrap_traced<R: JitReturn>(r: R::Traced) -> R::Traced {
        r
    }
}

/// A type a traced parameter may be declared as: a scalar of [`Element`],
/// an [`Array`], or a pytree of them (a tuple, `[T; N]`, `Vec<T>`, a
/// `#[derive(Pytree)]` struct). A parameter declared `&T` uses `T` here.
/// Scalars have their dtype and shape fixed by the Rust type; an array's
/// dtype and shape and a `Vec`'s length are part of the call's signature.
///
/// The tuple of a function's traced parameters is an `ArgType` too: it is
/// what the cache and the call path see.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a traced `#[jit]` parameter",
    label = "traced parameters are scalars, `Array`s, and tuples, arrays, `Vec`s and `#[derive(Pytree)]` structs of them",
    note = "list other parameters in `#[jit(static = ...)]`"
)]
pub trait ArgType: Sized {
    /// The same tree with every leaf a [`Tracer`]: what the body sees.
    type Traced;
    /// The number of leaves (one slot each), when the structure is fixed by
    /// the type.
    const LEN: usize;
    /// True when the structure or a leaf's shape is known only at run time
    /// (an `Array` or a `Vec` inside): it is then part of the cache key, and
    /// calls go through [`ArgType::values`].
    const SHAPED: bool;
    /// The abstract value of each leaf, in order.
    fn avals(&self, out: &mut Vec<AVal>);
    /// The run-time part of the signature: each array leaf's dtype and
    /// shape, each `Vec`'s length (nothing for fixed structures of scalars).
    fn shape_key(&self, out: &mut Vec<usize>);
    /// Writes each leaf's slot (see `scalar.rs`) into `out[..LEN]` (only
    /// called when not [`ArgType::SHAPED`]).
    fn write_slots(&self, out: &mut [MaybeUninit<u64>]);
    /// Each leaf as an interpreter value.
    fn values(&self, out: &mut Vec<Value>);
    /// The traced form of this tree from the trace's inputs, one per leaf.
    fn traced(&self, inputs: &mut dyn Iterator<Item = Tracer>) -> Self::Traced;
    /// This value as constants of the current trace (a plain argument of a
    /// call inside another trace).
    fn constant(&self) -> Self::Traced;
}

impl<T: Element> ArgType for T {
    type Traced = Tracer;
    const LEN: usize = 1;
    const SHAPED: bool = false;
    fn avals(&self, out: &mut Vec<AVal>) {
        out.push(AVal::scalar(crate::dtype::Ty::strong(T::DTYPE)));
    }
    fn shape_key(&self, _: &mut Vec<usize>) {}
    #[inline(always)]
    fn write_slots(&self, out: &mut [MaybeUninit<u64>]) {
        out[0].write(Element::to_slot(*self));
    }
    fn values(&self, out: &mut Vec<Value>) {
        out.push(Value::Scalar(self.to_scalar()));
    }
    fn traced(&self, inputs: &mut dyn Iterator<Item = Tracer>) -> Tracer {
        inputs.next().expect("one input per leaf")
    }
    fn constant(&self) -> Tracer {
        Tracer::from(*self)
    }
}

impl ArgType for Array {
    type Traced = Tracer;
    const LEN: usize = 1;
    const SHAPED: bool = true;
    fn avals(&self, out: &mut Vec<AVal>) {
        out.push(AVal {
            ty: crate::dtype::Ty::strong(self.dtype()),
            shape: self.shape().to_vec(),
        });
    }
    fn shape_key(&self, out: &mut Vec<usize>) {
        out.push(self.dtype() as usize);
        out.push(self.ndim());
        out.extend_from_slice(self.shape());
    }
    fn write_slots(&self, out: &mut [MaybeUninit<u64>]) {
        out[0].write(self.data_ptr() as u64);
    }
    fn values(&self, out: &mut Vec<Value>) {
        out.push(Value::from(self.clone()));
    }
    fn traced(&self, inputs: &mut dyn Iterator<Item = Tracer>) -> Tracer {
        inputs.next().expect("one input per leaf")
    }
    fn constant(&self) -> Tracer {
        Tracer::array_constant(self)
    }
}

impl<T: ArgType, const N: usize> ArgType for [T; N] {
    type Traced = [T::Traced; N];
    const LEN: usize = N * T::LEN;
    const SHAPED: bool = T::SHAPED;
    fn avals(&self, out: &mut Vec<AVal>) {
        self.iter().for_each(|t| t.avals(out));
    }
    fn shape_key(&self, out: &mut Vec<usize>) {
        self.iter().for_each(|t| t.shape_key(out));
    }
    fn write_slots(&self, out: &mut [MaybeUninit<u64>]) {
        for (k, t) in self.iter().enumerate() {
            t.write_slots(&mut out[k * T::LEN..]);
        }
    }
    fn values(&self, out: &mut Vec<Value>) {
        self.iter().for_each(|t| t.values(out));
    }
    fn traced(&self, inputs: &mut dyn Iterator<Item = Tracer>) -> Self::Traced {
        std::array::from_fn(|k| self[k].traced(inputs))
    }
    fn constant(&self) -> Self::Traced {
        std::array::from_fn(|k| self[k].constant())
    }
}

impl<T: ArgType> ArgType for Vec<T> {
    type Traced = Vec<T::Traced>;
    const LEN: usize = 0;
    const SHAPED: bool = true;
    fn avals(&self, out: &mut Vec<AVal>) {
        self.iter().for_each(|t| t.avals(out));
    }
    fn shape_key(&self, out: &mut Vec<usize>) {
        out.push(self.len());
        self.iter().for_each(|t| t.shape_key(out));
    }
    fn write_slots(&self, _: &mut [MaybeUninit<u64>]) {
        unreachable!("a Vec's leaves are passed as values")
    }
    fn values(&self, out: &mut Vec<Value>) {
        self.iter().for_each(|t| t.values(out));
    }
    fn traced(&self, inputs: &mut dyn Iterator<Item = Tracer>) -> Self::Traced {
        self.iter().map(|t| t.traced(inputs)).collect()
    }
    fn constant(&self) -> Self::Traced {
        self.iter().map(ArgType::constant).collect()
    }
}

impl ArgType for () {
    type Traced = ();
    const LEN: usize = 0;
    const SHAPED: bool = false;
    fn avals(&self, _: &mut Vec<AVal>) {}
    fn shape_key(&self, _: &mut Vec<usize>) {}
    fn write_slots(&self, _: &mut [MaybeUninit<u64>]) {}
    fn values(&self, _: &mut Vec<Value>) {}
    fn traced(&self, _: &mut dyn Iterator<Item = Tracer>) {}
    fn constant(&self) {}
}

macro_rules! tuple_arg_type {
    ($($T:ident $i:tt),+) => {
        impl<$($T: ArgType),+> ArgType for ($($T,)+) {
            type Traced = ($($T::Traced,)+);
            const LEN: usize = 0 $(+ $T::LEN)+;
            const SHAPED: bool = false $(|| $T::SHAPED)+;
            fn avals(&self, out: &mut Vec<AVal>) {
                $(self.$i.avals(out);)+
            }
            fn shape_key(&self, out: &mut Vec<usize>) {
                $(self.$i.shape_key(out);)+
            }
            #[inline(always)]
            #[allow(unused_assignments, reason = "the offset after the last element is not read")]
            fn write_slots(&self, out: &mut [MaybeUninit<u64>]) {
                let mut at = 0;
                $(
                    self.$i.write_slots(&mut out[at..]);
                    at += $T::LEN;
                )+
            }
            fn values(&self, out: &mut Vec<Value>) {
                $(self.$i.values(out);)+
            }
            fn traced(&self, inputs: &mut dyn Iterator<Item = Tracer>) -> Self::Traced {
                ($(self.$i.traced(inputs),)+)
            }
            fn constant(&self) -> Self::Traced {
                ($(self.$i.constant(),)+)
            }
        }
        impl<$($T: ArgType),+> ArgList for ($($T,)+) {
            fn describe(&self) -> Vec<String> {
                vec![$(describe_arg(&self.$i)),+]
            }
        }
    };
}

tuple_arg_type!(A0 0);
tuple_arg_type!(A0 0, A1 1);
tuple_arg_type!(A0 0, A1 1, A2 2);
tuple_arg_type!(A0 0, A1 1, A2 2, A3 3);
tuple_arg_type!(A0 0, A1 1, A2 2, A3 3, A4 4);
tuple_arg_type!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5);
tuple_arg_type!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6);
tuple_arg_type!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7);

/// The tuple of a function's traced parameters, as the cache and the call
/// path take it (an [`ArgType`] tuple).
pub trait ArgList: ArgType {
    /// Each argument's dtype and shape as text (`f32`, `f32[3]`, a
    /// parenthesised list for a pytree), to explain recompiles.
    fn describe(&self) -> Vec<String>;
}

impl ArgList for () {
    fn describe(&self) -> Vec<String> {
        Vec::new()
    }
}

/// One argument's text for [`ArgList::describe`].
fn describe_arg<T: ArgType>(arg: &T) -> String {
    let mut leaves = Vec::new();
    arg.avals(&mut leaves);
    crate::explain::describe_leaves(&leaves)
}

/// What a traced parameter declared `T` accepts: a `T` (or a `&T`), or the
/// traced form `T::Traced` when called inside another `#[jit]` function's
/// trace (tracers, or pytrees holding them).
#[diagnostic::on_unimplemented(
    message = "a `#[jit]` parameter declared `{T}` cannot take a `{Self}`",
    label = "expected `{T}` (or its traced form inside another #[jit] function)"
)]
pub trait JitArg<T: ArgType> {
    /// [`Concrete`] for plain values, [`Traced`] when a tracer is inside.
    type Mode: Mode;
    /// The argument as `T`'s traced form in the current trace (plain values
    /// become strong constants).
    fn to_tracer(self) -> T::Traced;
    /// The plain value (only called in [`Concrete`] mode).
    fn concrete(self) -> T;
}

macro_rules! concrete_arg {
    ($($t:ty),*) => {$(
        impl JitArg<$t> for $t {
            type Mode = Concrete;
            fn to_tracer(self) -> Tracer {
                ArgType::constant(&self)
            }
            fn concrete(self) -> $t {
                self
            }
        }
    )*};
}
concrete_arg!(f32, f64, i32, i64, u32, bool, Array);

/// A shared reference passes the value it points to (an `Array` or a
/// pytree of them is cheap to clone: buffers are shared).
impl<D: ArgType, X: JitArg<D> + Clone> JitArg<D> for &X {
    type Mode = X::Mode;
    fn to_tracer(self) -> D::Traced {
        self.clone().to_tracer()
    }
    fn concrete(self) -> D {
        self.clone().concrete()
    }
}

impl<T: Element> JitArg<T> for Tracer {
    type Mode = Traced;
    fn to_tracer(self) -> Tracer {
        if self.dtype() != T::DTYPE || !self.shape().is_empty() {
            trace_error(format_args!(
                "a parameter declared {} was passed a {} tracer",
                T::DTYPE,
                self.aval()
            ));
        }
        self
    }
    fn concrete(self) -> T {
        unreachable!("a tracer has no concrete value")
    }
}

impl JitArg<Array> for Tracer {
    type Mode = Traced;
    fn to_tracer(self) -> Tracer {
        self
    }
    fn concrete(self) -> Array {
        unreachable!("a tracer has no concrete value")
    }
}

impl<D: ArgType, A: JitArg<D>, const N: usize> JitArg<[D; N]> for [A; N] {
    type Mode = A::Mode;
    fn to_tracer(self) -> [D::Traced; N] {
        self.map(JitArg::to_tracer)
    }
    fn concrete(self) -> [D; N] {
        self.map(JitArg::concrete)
    }
}

impl<D: ArgType, A: JitArg<D>> JitArg<Vec<D>> for Vec<A> {
    type Mode = A::Mode;
    fn to_tracer(self) -> Vec<D::Traced> {
        self.into_iter().map(JitArg::to_tracer).collect()
    }
    fn concrete(self) -> Vec<D> {
        self.into_iter().map(JitArg::concrete).collect()
    }
}

macro_rules! tuple_jit_arg {
    ($($D:ident $A:ident $i:tt),+) => {
        impl<$($D: ArgType, $A: JitArg<$D>),+> JitArg<($($D,)+)> for ($($A,)+) {
            type Mode = tuple_jit_arg!(@mode $($A)+);
            fn to_tracer(self) -> ($($D::Traced,)+) {
                ($(self.$i.to_tracer(),)+)
            }
            fn concrete(self) -> ($($D,)+) {
                ($(self.$i.concrete(),)+)
            }
        }
    };
    (@mode $A:ident) => { $A::Mode };
    (@mode $A:ident $($rest:ident)+) => {
        <$A::Mode as Mode>::Or<tuple_jit_arg!(@mode $($rest)+)>
    };
}

tuple_jit_arg!(D0 A0 0);
tuple_jit_arg!(D0 A0 0, D1 A1 1);
tuple_jit_arg!(D0 A0 0, D1 A1 1, D2 A2 2);
tuple_jit_arg!(D0 A0 0, D1 A1 1, D2 A2 2, D3 A3 3);
tuple_jit_arg!(D0 A0 0, D1 A1 1, D2 A2 2, D3 A3 3, D4 A4 4);
tuple_jit_arg!(D0 A0 0, D1 A1 1, D2 A2 2, D3 A3 3, D4 A4 4, D5 A5 5);
tuple_jit_arg!(D0 A0 0, D1 A1 1, D2 A2 2, D3 A3 3, D4 A4 4, D5 A5 5, D6 A6 6);
tuple_jit_arg!(D0 A0 0, D1 A1 1, D2 A2 2, D3 A3 3, D4 A4 4, D5 A5 5, D6 A6 6, D7 A7 7);

/// What a declared result must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultType {
    /// A scalar of this dtype (a weak value of another dtype is converted).
    Scalar(DType),
    /// An `Array`: any dtype and shape.
    Array,
}

/// A `#[jit]` function's declared return type: a scalar, an `Array`, a
/// tuple of them, or `Result<T, jit::Error>` of either (a *fallible*
/// function, which gets trace-time errors as `Err` instead of a panic).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[jit]` return type",
    label = "return a scalar, an `Array`, tuples (of up to 8) and `[T; N]` of them, a generic `#[derive(Pytree)]` struct, or `Result<T, jit::Error>` of any of these"
)]
pub trait JitReturn: Sized {
    /// The same type with each scalar or array a [`Tracer`].
    type Traced;
    /// The number of results (one result slot each).
    const LEN: usize;
    /// True when some result is an `Array` (results then come back through
    /// [`JitReturn::from_values`]).
    const SHAPED: bool;
    /// True for `Result<T, jit::Error>`.
    const FALLIBLE: bool = false;
    /// What each result must be, in order.
    fn result_types(out: &mut Vec<ResultType>);
    /// The tracers of a traced value, in order, or the error a fallible
    /// body returned.
    fn flatten(traced: Self::Traced, out: &mut Vec<Tracer>) -> Result<(), Error>;
    /// A trace-time error as this type's traced value: `Err` for a fallible
    /// type; other types never receive one (their errors are panics).
    fn traced_error(error: Error) -> Self::Traced {
        panic!("{error}")
    }
    /// A trace-time error as this type's value (see [`JitReturn::traced_error`]).
    fn from_error(error: Error) -> Self {
        panic!("{error}")
    }
    /// Rebuilds the value from result values and their abstract values, in order.
    fn from_values(values: &mut dyn Iterator<Item = (Value, AVal)>) -> Self;
    /// Rebuilds the value from the result slots compiled code wrote (never
    /// called when [`JitReturn::SHAPED`]).
    fn from_slots(slots: &[u64]) -> Self;
}

/// What a `#[jit]` body may return for declared type `R`: tracers, Rust
/// scalars (lifted weakly, then converted to `R`'s dtype), and tuples of them.
pub trait ReturnValue<R: JitReturn> {
    /// Lifts into `R`'s traced form.
    fn into_traced(self) -> R::Traced;
}

macro_rules! scalar_signature {
    ($($t:ty),*) => {$(
        impl JitReturn for $t {
            type Traced = Tracer;
            const LEN: usize = 1;
            const SHAPED: bool = false;
            fn result_types(out: &mut Vec<ResultType>) {
                out.push(ResultType::Scalar(<$t as Element>::DTYPE));
            }
            fn flatten(traced: Tracer, out: &mut Vec<Tracer>) -> Result<(), Error> {
                out.push(traced);
                Ok(())
            }
            fn from_values(values: &mut dyn Iterator<Item = (Value, AVal)>) -> Self {
                let (value, _) = values.next().expect("one value per result");
                <$t as Element>::from_scalar(value.scalar())
            }
            #[inline]
            fn from_slots(slots: &[u64]) -> Self {
                <$t as Element>::from_slot(slots[0])
            }
        }
        impl ReturnValue<$t> for Tracer {
            fn into_traced(self) -> Tracer {
                self
            }
        }
        impl<E: Element> ReturnValue<$t> for E {
            fn into_traced(self) -> Tracer {
                // A plain value returned is converted to the declared
                // dtype, as a literal would be.
                Tracer::weak(self.to_scalar())
            }
        }
    )*};
}
scalar_signature!(f32, f64, i32, i64, u32, bool);

macro_rules! tuple_signature {
    ($len:expr; $($T:ident $V:ident $i:tt),+) => {
        impl<$($T: JitReturn),+> JitReturn for ($($T,)+) {
            type Traced = ($($T::Traced,)+);
            const LEN: usize = 0 $(+ $T::LEN)+;
            const SHAPED: bool = false $(|| $T::SHAPED)+;
            fn result_types(out: &mut Vec<ResultType>) {
                $($T::result_types(out);)+
            }
            fn flatten(traced: Self::Traced, out: &mut Vec<Tracer>) -> Result<(), Error> {
                $($T::flatten(traced.$i, out)?;)+
                Ok(())
            }
            fn from_values(values: &mut dyn Iterator<Item = (Value, AVal)>) -> Self {
                ($($T::from_values(values),)+)
            }
            #[inline]
            #[allow(unused_assignments, reason = "the offset after the last element is not read")]
            fn from_slots(slots: &[u64]) -> Self {
                let mut at = 0;
                ($({
                    let value = $T::from_slots(&slots[at..]);
                    at += $T::LEN;
                    value
                },)+)
            }
        }
        impl<$($T: JitReturn, $V: ReturnValue<$T>),+> ReturnValue<($($T,)+)> for ($($V,)+) {
            fn into_traced(self) -> ($($T::Traced,)+) {
                ($(self.$i.into_traced(),)+)
            }
        }
    };
    (@tracer $T:ident) => { Tracer };
}

impl<T: JitReturn> JitReturn for Result<T, Error> {
    type Traced = Result<T::Traced, Error>;
    const LEN: usize = T::LEN;
    const SHAPED: bool = T::SHAPED;
    const FALLIBLE: bool = true;
    fn result_types(out: &mut Vec<ResultType>) {
        T::result_types(out);
    }
    fn flatten(traced: Self::Traced, out: &mut Vec<Tracer>) -> Result<(), Error> {
        T::flatten(traced?, out)
    }
    fn traced_error(error: Error) -> Self::Traced {
        Err(error)
    }
    fn from_error(error: Error) -> Self {
        Err(error)
    }
    fn from_values(values: &mut dyn Iterator<Item = (Value, AVal)>) -> Self {
        Ok(T::from_values(values))
    }
    #[inline]
    fn from_slots(slots: &[u64]) -> Self {
        Ok(T::from_slots(slots))
    }
}

/// A fallible body returns `Ok(value)` with `value` anything `T` accepts.
impl<T: JitReturn, V: ReturnValue<T>> ReturnValue<Result<T, Error>> for Result<V, Error> {
    fn into_traced(self) -> Result<T::Traced, Error> {
        self.map(V::into_traced)
    }
}

impl<T: JitReturn, const N: usize> JitReturn for [T; N] {
    type Traced = [T::Traced; N];
    const LEN: usize = N * T::LEN;
    const SHAPED: bool = T::SHAPED;
    fn result_types(out: &mut Vec<ResultType>) {
        (0..N).for_each(|_| T::result_types(out));
    }
    fn flatten(traced: Self::Traced, out: &mut Vec<Tracer>) -> Result<(), Error> {
        traced.into_iter().try_for_each(|t| T::flatten(t, out))
    }
    fn from_values(values: &mut dyn Iterator<Item = (Value, AVal)>) -> Self {
        std::array::from_fn(|_| T::from_values(values))
    }
    fn from_slots(slots: &[u64]) -> Self {
        std::array::from_fn(|k| T::from_slots(&slots[k * T::LEN..]))
    }
}

impl<T: JitReturn, V: ReturnValue<T>, const N: usize> ReturnValue<[T; N]> for [V; N] {
    fn into_traced(self) -> [T::Traced; N] {
        self.map(V::into_traced)
    }
}

impl JitReturn for Array {
    type Traced = Tracer;
    const LEN: usize = 1;
    const SHAPED: bool = true;
    fn result_types(out: &mut Vec<ResultType>) {
        out.push(ResultType::Array);
    }
    fn flatten(traced: Tracer, out: &mut Vec<Tracer>) -> Result<(), Error> {
        out.push(traced);
        Ok(())
    }
    fn from_values(values: &mut dyn Iterator<Item = (Value, AVal)>) -> Self {
        let (value, aval) = values.next().expect("one value per result");
        value.into_array(&aval)
    }
    fn from_slots(_: &[u64]) -> Self {
        unreachable!("array results come back through `from_values`")
    }
}

impl ReturnValue<Array> for Tracer {
    fn into_traced(self) -> Tracer {
        self
    }
}

impl ReturnValue<Array> for Array {
    fn into_traced(self) -> Tracer {
        Tracer::array_constant(&self)
    }
}

tuple_signature!(1; A0 V0 0);
tuple_signature!(2; A0 V0 0, A1 V1 1);
tuple_signature!(3; A0 V0 0, A1 V1 1, A2 V2 2);
tuple_signature!(4; A0 V0 0, A1 V1 1, A2 V2 2, A3 V3 3);
tuple_signature!(5; A0 V0 0, A1 V1 1, A2 V2 2, A3 V3 3, A4 V4 4);
tuple_signature!(6; A0 V0 0, A1 V1 1, A2 V2 2, A3 V3 3, A4 V4 4, A5 V5 5);
tuple_signature!(7; A0 V0 0, A1 V1 1, A2 V2 2, A3 V3 3, A4 V4 4, A5 V5 5, A6 V6 6);
tuple_signature!(8; A0 V0 0, A1 V1 1, A2 V2 2, A3 V3 3, A4 V4 4, A5 V5 5, A6 V6 6, A7 V7 7);
