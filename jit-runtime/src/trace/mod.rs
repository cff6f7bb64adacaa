//! Tracing: running a staged body on [`Tracer`]s to record a [`Graph`].
//!
//! Terms:
//! - A **trace** is one recording in progress. Traces nest (tracing `f`
//!   may call a `#[jit]` function `g` with concrete arguments, which traces
//!   `g` on its first call), so each thread keeps a stack of them; a tracer
//!   knows the id of the trace it belongs to.
//! - A **weak literal** is a Rust literal or plain Rust scalar that met a
//!   tracer; it takes the dtype of the strong value it meets (`dtype.rs`).
//!   Its exact value is kept beside the graph, so `0.1` meeting an `f64`
//!   becomes the `f64` nearest 0.1, not the `f32` nearest one widened.
//!
//! **Architecture Invariant:** a tracer is only ever used by the trace on top
//! of its thread's stack; anything else (a tracer kept past its trace, or
//! smuggled into another thread or an inner trace) is a trace-time error
//! naming the function, never records into the wrong graph.
//!
//! **Trace-time errors** all go through `Frame::fail`: a panic, or, while a
//! body declared `-> Result<T, jit::Error>` is being traced (see
//! `fallible_scope`), an unwind that the scope turns into `Err`. The unwind
//! uses `resume_unwind`, so no panic message is printed for an error the
//! user receives as a value.

pub mod array_ops;
pub(crate) mod control;
pub(crate) mod ops;
pub mod pytree;
mod region;
mod rust_semantics;
pub mod signature;

use crate::Error;
use crate::array::Array;
use crate::dtype::{DType, Ty};
use crate::ir::{AVal, Eqn, Graph, Op, Region, ValueDef, ValueId};
use crate::scalar::{Element, Scalar};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

/// A value being traced: a `Copy` handle to a value of the graph under
/// construction. Operators and methods on it record operations.
///
/// Inside a `#[jit]` body every traced parameter is a `Tracer`, whatever
/// its outward type (`f32`, `i64`, `bool`, `Array`, ...). Its dtype and
/// shape are known while tracing; its value only when the compiled code
/// runs. So a `Tracer` has no `PartialEq`, `PartialOrd` or conversion to a
/// Rust `bool` or integer: a comparison stages a bool tracer, and branches
/// and loops on traced values go through [`lax`](crate::lax).
///
/// - Arithmetic operators (`+ - * / %`, `-x`) work between tracers and
///   between a tracer and a Rust scalar on either side, with NumPy
///   broadcasting for arrays; `!`, `&`, `|`, `^` on bool and integer
///   tracers. `/` and `%` on integers keep Rust's meaning (truncation).
/// - Methods follow `f32`'s names ([`sin`](Tracer::sin),
///   [`ln`](Tracer::ln), [`max`](Tracer::max), [`powi`](Tracer::powi),
///   ...) and `jax.Array`'s ([`sum`](Tracer::sum),
///   [`reshape`](Tracer::reshape), [`dot`](Tracer::dot),
///   [`at_set`](Tracer::at_set), ...); [`jnp`](crate::numpy) has the NumPy
///   names.
/// - `x as f64` in a `#[jit]` body stages a conversion.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f32, k: i32) -> f64 {
///     let y = 2.0 * x.sin() + (k as f32); // a weak literal takes x's dtype
///     (y * y) as f64
/// }
///
/// #[jit]
/// fn scale(x: &Array) -> Array {
///     x * 2 + 1 // broadcast, elementwise
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// assert_eq!(f(0.0, 3), 9.0);
/// let x = Array::from_shape_vec(&[2, 3], vec![1, 2, 3, 4, 5, 6])?;
/// assert_eq!(scale(&x).to_vec::<i32>()?, vec![3, 5, 7, 9, 11, 13]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy)]
pub struct Tracer {
    trace: u32,
    value: ValueId,
}

struct Frame {
    id: u32,
    name: &'static str,
    graph: Graph,
    exact_literals: HashMap<ValueId, Scalar>,
    /// Regions being traced (loop and branch bodies), innermost last;
    /// equations go to the innermost, or to the graph's body when empty.
    open: Vec<Region>,
    /// Values of regions already closed: using one is a tracer escaping its
    /// loop or branch.
    closed: HashSet<ValueId>,
    /// How many bodies declared `-> Result<T, jit::Error>` are running in
    /// this trace: errors become `Err` while it is non-zero.
    fallible_depth: u32,
}

thread_local! {
    static STACK: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Trace ids are unique in the process, not per thread: a tracer carried to
/// another thread never matches that thread's trace (ids start at 1 and
/// would take 2^32 traces to repeat).
static NEXT_TRACE_ID: AtomicU32 = AtomicU32::new(1);

/// A trace-time error on its way to the [`fallible_scope`] that returns it.
struct TraceFailure(Error);

impl Frame {
    /// Closes the regions opened after the first `keep` without recording
    /// them (a body unwound out of them), marking their values closed so
    /// nothing later uses them.
    fn abandon_regions(&mut self, keep: usize) {
        if self.open.len() <= keep {
            return;
        }
        for region in self.open.drain(keep..) {
            self.closed.extend(region.inputs.iter().copied());
            for eqn in &region.eqns {
                self.closed.extend(eqn.outputs.iter().copied());
            }
        }
    }

    /// Reports a trace-time error in this trace: a panic naming the function,
    /// or an unwind to the innermost fallible scope.
    #[track_caller]
    fn fail(&self, message: impl fmt::Display) -> ! {
        raise(Some(self.name), self.fallible_depth > 0, message)
    }
}

#[track_caller]
fn raise(name: Option<&str>, fallible: bool, message: impl fmt::Display) -> ! {
    let message = match name {
        Some(name) => format!("jit: while tracing `{name}`: {message}"),
        None => format!("jit: {message}"),
    };
    if fallible {
        std::panic::resume_unwind(Box::new(TraceFailure(Error::Trace(message))))
    }
    panic!("{message}")
}

/// Reports a trace-time error in the innermost trace (see [`Frame::fail`]).
#[track_caller]
pub(crate) fn trace_error(message: impl fmt::Display) -> ! {
    let top = STACK.with_borrow(|s| s.last().map(|f| (f.name, f.fallible_depth > 0)));
    match top {
        Some((name, fallible)) => raise(Some(name), fallible, message),
        None => raise(None, false, message),
    }
}

/// Runs `body` as a body declared `-> Result<T, jit::Error>` (when
/// `fallible`) of the innermost trace: a trace-time error inside it comes
/// back as `Err` instead of a panic. Regions the error left open are
/// abandoned and their values marked closed, so the trace can go on. Other
/// panics pass through unchanged. With `fallible` false this is `body()`.
pub(crate) fn fallible_scope<T>(
    fallible: bool,
    body: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    if !fallible {
        return body();
    }
    let open = with_top(|frame| {
        frame.fallible_depth += 1;
        frame.open.len()
    });
    let outcome = catch_reraised(body);
    with_top(|frame| {
        frame.fallible_depth -= 1;
        frame.abandon_regions(open);
    });
    outcome.and_then(|result| result)
}

/// Sends a trace-time error as an unwind to the enclosing [`catch_reraised`]
/// (the compile of a fallible function's first call, whose `Err` must pass
/// through the cache slot's `OnceLock`).
pub(crate) fn reraise(error: Error) -> ! {
    std::panic::resume_unwind(Box::new(TraceFailure(error)))
}

/// Runs `body`, returning a trace-time error unwound out of it as `Err`;
/// other panics pass through.
pub(crate) fn catch_reraised<T>(body: impl FnOnce() -> T) -> Result<T, Error> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(value) => Ok(value),
        Err(payload) => match payload.downcast::<TraceFailure>() {
            Ok(failure) => Err(failure.0),
            Err(payload) => std::panic::resume_unwind(payload),
        },
    }
}

/// Runs `f` on the graph of the innermost trace.
fn with_top<T>(f: impl FnOnce(&mut Frame) -> T) -> T {
    STACK.with_borrow_mut(|stack| match stack.last_mut() {
        Some(frame) => f(frame),
        None => panic!(
            "jit: a Tracer can only be made or used inside a #[jit] function while it is traced"
        ),
    })
}

/// Runs `f` on the graph `t` belongs to, checking it is the innermost trace.
fn with_graph_of<T>(tracers: &[Tracer], f: impl FnOnce(&mut Frame) -> T) -> T {
    with_top(|frame| {
        if tracers.iter().any(|t| t.trace != frame.id) {
            frame.fail(
                "a Tracer from another trace was used (a tracer kept past the end of its \
                 trace, or passed into a nested trace); pass values as arguments instead",
            );
        }
        f(frame)
    })
}

/// A trace in progress; dropping it (also when unwinding) ends the trace.
pub(crate) struct TraceGuard {
    id: u32,
}

/// Starts tracing the function `name`.
pub(crate) fn start_trace(name: &'static str) -> TraceGuard {
    let id = NEXT_TRACE_ID.fetch_add(1, Ordering::Relaxed).max(1);
    STACK.with_borrow_mut(|s| {
        s.push(Frame {
            id,
            name,
            graph: Graph::default(),
            exact_literals: HashMap::new(),
            open: Vec::new(),
            closed: HashSet::new(),
            fallible_depth: 0,
        })
    });
    TraceGuard { id }
}

impl TraceGuard {
    /// Adds an input of the traced function.
    pub(crate) fn input(&self, aval: AVal) -> Tracer {
        with_top(|frame| Tracer {
            trace: frame.id,
            value: frame.graph.add_input(aval),
        })
    }

    /// Ends the trace with `results` (checked by [`check_results`]) as the
    /// function's outputs.
    pub(crate) fn finish(self, results: &[Tracer]) -> Graph {
        with_top(|frame| {
            frame.graph.body.results = results.iter().map(|t| t.value).collect();
            // In every build: a graph that breaks an invariant never
            // reaches the optimiser or the code generator.
            if let Err(e) = crate::ir::verify(&frame.graph) {
                frame.fail(format_args!("tracing produced an invalid graph: {e}"));
            }
        });
        let frame = STACK
            .with_borrow_mut(|s| s.pop())
            .expect("the trace is on the stack");
        debug_assert_eq!(frame.id, self.id);
        std::mem::forget(self);
        frame.graph
    }
}

/// Fails unless `results` can be the traced function's outputs: values of
/// this trace, not of a closed loop or branch body.
pub(crate) fn check_results(results: &[Tracer]) {
    with_graph_of(results, |frame| {
        let ids: Vec<ValueId> = results.iter().map(|t| t.value).collect();
        frame.check_not_escaped(&ids, "the function's result");
    });
}

impl Drop for TraceGuard {
    fn drop(&mut self) {
        STACK.with_borrow_mut(|s| {
            if s.last().is_some_and(|f| f.id == self.id) {
                s.pop();
            }
        });
    }
}

impl Tracer {
    /// Whether both handles name the same value of the same trace. (Not
    /// `PartialEq`: `==` on tracers must stage a comparison, never answer a
    /// Rust `bool`.)
    pub(crate) fn is(self, other: Tracer) -> bool {
        self.trace == other.trace && self.value == other.value
    }

    /// The dtype and weak flag.
    pub fn ty(self) -> Ty {
        with_graph_of(&[self], |f| f.graph.aval(self.value).ty)
    }

    /// The dtype.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// // A plain helper: dtypes and shapes are Rust values while tracing.
    /// fn halve(t: Tracer) -> Tracer {
    ///     if t.dtype().is_float() { t * 0.5f32 } else { t / 2i32 }
    /// }
    ///
    /// #[jit]
    /// fn f(x: f32, n: i32) -> (f32, i32) {
    ///     (halve(x), halve(n))
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(3.0, 7), (1.5, 3));
    /// # }
    /// ```
    pub fn dtype(self) -> DType {
        self.ty().dtype
    }

    /// True if weakly typed (from a Rust literal).
    pub fn is_weak(self) -> bool {
        self.ty().weak
    }

    /// The abstract value: dtype, weak flag and shape.
    pub(crate) fn aval(self) -> AVal {
        with_graph_of(&[self], |f| f.graph.aval(self.value).clone())
    }

    /// The shape; empty for a scalar.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// // All but the last row, whatever the shape.
    /// fn drop_last(t: Tracer) -> Tracer {
    ///     let n = t.shape()[0];
    ///     t.slice(0..n - 1)
    /// }
    ///
    /// #[jit]
    /// fn f(x: &Array) -> Array {
    ///     drop_last(x)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let x = Array::from(vec![1, 2, 3]);
    /// assert_eq!(f(&x).to_vec::<i32>()?, vec![1, 2]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn shape(self) -> Vec<usize> {
        with_graph_of(&[self], |f| f.graph.aval(self.value).shape.clone())
    }

    /// A weakly typed constant: how unsuffixed Rust literals enter a trace
    /// (the macro rewrites them into this).
    pub fn weak(value: Scalar) -> Tracer {
        with_top(|frame| {
            let default = match value {
                Scalar::F32(_) | Scalar::F64(_) => Scalar::F32(value.as_f64() as f32),
                Scalar::I32(_) | Scalar::U32(_) | Scalar::I64(_) => {
                    let Scalar::I64(wide) = value.convert(DType::I64) else {
                        unreachable!("convert gives its target dtype")
                    };
                    i32::try_from(wide).map_or(Scalar::I64(wide), Scalar::I32)
                }
                Scalar::Bool(_) => value,
            };
            let id = frame.graph.literal(default, true);
            frame.exact_literals.insert(id, value);
            Tracer {
                trace: frame.id,
                value: id,
            }
        })
    }

    /// A strongly typed constant of `value`'s own dtype.
    pub fn constant(value: Scalar) -> Tracer {
        with_top(|frame| Tracer {
            trace: frame.id,
            value: frame.graph.literal(value, false),
        })
    }

    /// The graph value this tracer stands for.
    pub(crate) fn value(self) -> ValueId {
        self.value
    }

    /// A tracer for `value`, a value of the innermost trace's graph.
    pub(crate) fn of(value: ValueId) -> Tracer {
        with_top(|frame| Tracer {
            trace: frame.id,
            value,
        })
    }

    /// Records `op(inputs)` with one output of abstract value `out`.
    pub(crate) fn record(op: Op, inputs: &[Tracer], out: AVal) -> Tracer {
        Self::record_many(op, inputs, vec![out])[0]
    }

    /// Records `op(inputs)` with one output per aval.
    pub(crate) fn record_many(op: Op, inputs: &[Tracer], outs: Vec<AVal>) -> Vec<Tracer> {
        with_graph_of(inputs, |frame| {
            let ids: Vec<ValueId> = inputs.iter().map(|t| t.value).collect();
            frame.check_not_escaped(&ids, op.name());
            let outputs = match frame.open.last_mut() {
                None => frame.graph.push_eqn(op, ids, outs),
                Some(region) => {
                    let outputs: Vec<ValueId> = outs
                        .into_iter()
                        .map(|aval| frame.graph.new_value(aval, ValueDef::Eqn))
                        .collect();
                    region.eqns.push(Eqn {
                        op,
                        inputs: ids,
                        outputs: outputs.clone(),
                    });
                    outputs
                }
            };
            outputs
                .into_iter()
                .map(|value| Tracer {
                    trace: frame.id,
                    value,
                })
                .collect()
        })
    }

    /// The value if this is a literal: a weak literal's exact Rust value
    /// (`0.1` as the `f64` nearest it, whatever its dtype), or a constant.
    pub(crate) fn literal_value(self) -> Option<Scalar> {
        with_graph_of(&[self], |f| {
            f.exact_literals
                .get(&self.value)
                .copied()
                .or(f.graph.literal_value(self.value))
        })
    }

    /// This value as type `ty`: itself if the dtype already matches, a
    /// converted literal if it is one, else a `convert_element_type`.
    pub(crate) fn coerce(self, ty: Ty) -> Tracer {
        let (current, literal) = (self.ty(), self.literal_value());
        if current.dtype == ty.dtype {
            return self;
        }
        if current.weak
            && let Some(value) = literal
            && !weak_int_fits(value, ty.dtype)
        {
            trace_error(format_args!(
                "the integer literal {value} does not fit {} (JAX raises OverflowError); \
                 write it with a suffix of a wider type, or convert the other operand",
                ty.dtype
            ));
        }
        match literal {
            Some(value) => with_top(|frame| Tracer {
                trace: frame.id,
                value: frame.graph.literal(value.convert(ty.dtype), ty.weak),
            }),
            None => Tracer::record(
                Op::Convert {
                    new_dtype: ty.dtype,
                    weak: ty.weak,
                },
                &[self],
                AVal {
                    ty,
                    shape: self.shape(),
                },
            ),
        }
    }
}

/// Whether a weak literal `value` may become a `dtype` value: always for a
/// float literal or a float or bool target; an integer literal must fit the
/// integer dtype, except that a negative `i32`-range literal wraps into `u32`
/// (`x + (-1)` on a `u32`, as JAX computes it).
fn weak_int_fits(value: Scalar, dtype: DType) -> bool {
    let wide = match value {
        Scalar::I32(v) => i64::from(v),
        Scalar::I64(v) => v,
        Scalar::U32(v) => i64::from(v),
        Scalar::Bool(_) | Scalar::F32(_) | Scalar::F64(_) => return true,
    };
    match dtype {
        DType::I32 => i32::try_from(wide).is_ok(),
        DType::U32 => u32::try_from(wide).is_ok() || i32::try_from(wide).is_ok(),
        DType::I64 | DType::F32 | DType::F64 | DType::Bool => true,
    }
}

impl Tracer {
    /// A constant array in the current trace (a scalar literal for shape
    /// `[]`); the jaxpr shows it among its `constvars`.
    pub fn array_constant(value: &Array) -> Tracer {
        if value.shape().is_empty() {
            let literal = value.scalar_at(0);
            return with_top(|frame| Tracer {
                trace: frame.id,
                value: frame.graph.literal(literal, value.is_weak()),
            });
        }
        with_top(|frame| Tracer {
            trace: frame.id,
            value: frame.graph.array_const(value.clone()),
        })
    }
}

impl IntoTracer for Array {
    fn into_tracer(self) -> Tracer {
        Tracer::array_constant(&self)
    }
}

impl IntoTracer for &Array {
    fn into_tracer(self) -> Tracer {
        Tracer::array_constant(self)
    }
}

/// Lifts a Rust scalar to a *strong* constant of its own dtype
/// (`Tracer::from(1.0f64)` is an `f64`), as operators do with a Rust scalar.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f32) -> f64 {
///     let k = Tracer::from(0.5f64); // strong f64: the product is f64
///     x * k
/// }
///
/// # fn main() {
/// assert_eq!(f(3.0), 1.5);
/// # }
/// ```
impl<E: Element> From<E> for Tracer {
    fn from(value: E) -> Tracer {
        Tracer::constant(value.to_scalar())
    }
}

impl fmt::Debug for Tracer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let described = STACK.with_borrow(|s| {
            s.iter()
                .find(|fr| fr.id == self.trace)
                .map(|fr| fr.graph.aval(self.value).clone())
        });
        match described {
            Some(aval) => {
                let dims: Vec<String> = aval.shape.iter().map(usize::to_string).collect();
                let weak = if aval.ty.weak { "~" } else { "" };
                write!(f, "Tracer<{weak}{}[{}]>", aval.ty.dtype, dims.join(","))
            }
            None => write!(f, "Tracer<ended trace {}>", self.trace),
        }
    }
}

/// Things an operator accepts beside a tracer: tracers and Rust scalars.
///
/// A Rust scalar has a known Rust type, so it enters the trace *strongly*
/// typed with that dtype, as a NumPy scalar does in JAX (`x * k` with
/// `k: f64` is an `f64`). Only unsuffixed literals written in a `#[jit]` body
/// are weak, like Python scalars: the macro rewrites them into weak
/// constants before they reach this trait.
pub trait IntoTracer {
    /// Lifts `self` into the current trace.
    fn into_tracer(self) -> Tracer;
}

impl IntoTracer for Tracer {
    fn into_tracer(self) -> Tracer {
        self
    }
}

impl<E: Element> IntoTracer for E {
    fn into_tracer(self) -> Tracer {
        Tracer::from(self)
    }
}

/// Records an op that has an effect and no outputs (`debug_print!`).
pub(crate) fn record_effect(op: Op, inputs: &[Tracer]) {
    Tracer::record_many(op, inputs, Vec::new());
}

/// How many equations the innermost open region (or the body) holds: a
/// mark from which [`tape_since`] returns what was recorded after it.
pub(crate) fn tape_mark() -> usize {
    with_top(|frame| match frame.open.last() {
        Some(region) => region.eqns.len(),
        None => frame.graph.body.eqns.len(),
    })
}

/// The equations recorded in the innermost open region since `mark`.
pub(crate) fn tape_since(mark: usize) -> Vec<Eqn> {
    with_top(|frame| {
        let eqns = match frame.open.last() {
            Some(region) => &region.eqns,
            None => &frame.graph.body.eqns,
        };
        eqns[mark..].to_vec()
    })
}

/// Whether `value` is a literal of the innermost trace.
pub(crate) fn is_literal(value: ValueId) -> bool {
    with_top(|frame| {
        matches!(
            frame.graph.values[value.index()].def,
            ValueDef::Literal(_) | ValueDef::Const(_)
        )
    })
}
