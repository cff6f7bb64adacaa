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
}

/// A type a traced parameter may be declared as: a scalar of
/// [`Element`] or an [`Array`] (a parameter declared `&Array` uses `Array`
/// here). Scalars have their dtype and shape `[]` fixed by the Rust type;
/// an array's dtype and shape are part of the call's signature.
pub trait ArgType: Sized {
    /// True for `Array`: the dtype and shape are known only at run time.
    const SHAPED: bool;
    /// The abstract value of this argument.
    fn aval(&self) -> AVal;
    /// The argument's slot in the calling convention (see `scalar.rs`).
    fn to_slot(&self) -> u64;
    /// The argument as an interpreter value.
    fn to_value(&self) -> Value;
}

impl<T: Element> ArgType for T {
    const SHAPED: bool = false;
    fn aval(&self) -> AVal {
        AVal::scalar(crate::dtype::Ty::strong(T::DTYPE))
    }
    #[inline(always)]
    fn to_slot(&self) -> u64 {
        Element::to_slot(*self)
    }
    fn to_value(&self) -> Value {
        Value::Scalar(self.to_scalar())
    }
}

impl ArgType for Array {
    const SHAPED: bool = true;
    fn aval(&self) -> AVal {
        AVal {
            ty: crate::dtype::Ty::strong(self.dtype()),
            shape: self.shape().to_vec(),
        }
    }
    fn to_slot(&self) -> u64 {
        self.data_ptr() as u64
    }
    fn to_value(&self) -> Value {
        Value::from(self.clone())
    }
}

/// What a traced parameter of Rust type `T` accepts: a `T` (or `&Array` for
/// an `Array`), or a tracer when called inside another `#[jit]` function's
/// trace.
#[diagnostic::on_unimplemented(
    message = "a `#[jit]` parameter declared `{T}` cannot take a `{Self}`",
    label = "expected `{T}` (or a Tracer inside another #[jit] function)"
)]
pub trait JitArg<T: ArgType> {
    /// [`Concrete`] for a plain value, [`Traced`] for a tracer.
    type Mode: Mode;
    /// The argument as a tracer of the current trace (a plain value becomes a
    /// strong constant).
    fn to_tracer(self) -> Tracer;
    /// The plain value (only called in [`Concrete`] mode).
    fn concrete(self) -> T;
}

impl<T: Element> JitArg<T> for T {
    type Mode = Concrete;
    fn to_tracer(self) -> Tracer {
        Tracer::from(self)
    }
    fn concrete(self) -> T {
        self
    }
}

impl JitArg<Array> for Array {
    type Mode = Concrete;
    fn to_tracer(self) -> Tracer {
        Tracer::array_constant(&self)
    }
    fn concrete(self) -> Array {
        self
    }
}

impl JitArg<Array> for &Array {
    type Mode = Concrete;
    fn to_tracer(self) -> Tracer {
        Tracer::array_constant(self)
    }
    fn concrete(self) -> Array {
        self.clone()
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

/// A tuple of a function's traced arguments, as plain values.
pub trait ArgList: Sized {
    /// The same tuple with each element a [`Tracer`].
    type Traced;
    /// The number of arguments (one slot each).
    const LEN: usize;
    /// True when some argument is an `Array`: its dtype and shape are part
    /// of the signature, and calls run through [`ArgList::values`].
    const SHAPED: bool;
    /// The abstract value of each argument, in order.
    fn avals(&self, out: &mut Vec<AVal>);
    /// The run-time part of the signature: each array argument's dtype and
    /// shape (nothing for scalars, whose types are fixed).
    fn shape_key(&self, out: &mut Vec<usize>);
    /// Writes each argument's slot (see `scalar.rs`) into `out[..LEN]`.
    fn write_slots(&self, out: &mut [MaybeUninit<u64>]);
    /// Each argument as an interpreter value.
    fn values(&self, out: &mut Vec<Value>);
    /// Builds the traced tuple from the trace's inputs.
    fn traced(inputs: &[Tracer]) -> Self::Traced;
}

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
    label = "return a scalar, an `Array`, a tuple of them, or `Result<T, jit::Error>` of either"
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
        impl<$($T: ArgType),+> ArgList for ($($T,)+) {
            type Traced = ($(tuple_signature!(@tracer $T),)+);
            const LEN: usize = $len;
            const SHAPED: bool = false $(|| $T::SHAPED)+;
            fn avals(&self, out: &mut Vec<AVal>) {
                $(out.push(self.$i.aval());)+
            }
            fn shape_key(&self, out: &mut Vec<usize>) {
                $(if $T::SHAPED {
                    let aval = self.$i.aval();
                    out.push(aval.ty.dtype as usize);
                    out.push(aval.shape.len());
                    out.extend_from_slice(&aval.shape);
                })+
            }
            #[inline(always)]
            fn write_slots(&self, out: &mut [MaybeUninit<u64>]) {
                $(out[$i].write(ArgType::to_slot(&self.$i));)+
            }
            fn values(&self, out: &mut Vec<Value>) {
                $(out.push(self.$i.to_value());)+
            }
            fn traced(inputs: &[Tracer]) -> Self::Traced {
                ($(inputs[$i],)+)
            }
        }
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

impl ArgList for () {
    type Traced = ();
    const LEN: usize = 0;
    const SHAPED: bool = false;
    fn avals(&self, _: &mut Vec<AVal>) {}
    fn shape_key(&self, _: &mut Vec<usize>) {}
    fn write_slots(&self, _: &mut [MaybeUninit<u64>]) {}
    fn values(&self, _: &mut Vec<Value>) {}
    fn traced(_: &[Tracer]) {}
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
