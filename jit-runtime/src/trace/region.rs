//! Tracing nested regions: the bodies of loops and the branches of `cond`.
//!
//! A region is traced like the function itself, with the trace's frame
//! keeping a stack of open regions; equations go to the innermost one. A
//! closure may use tracers of the enclosing body: while it is traced they are
//! used directly, and when the region closes every such outer value becomes a
//! leading input of the region (JAX's *consts*), so closed regions only use
//! their own inputs, literals and values they define.
//!
//! **Invariant:** once a region closes, its values are marked closed; using
//! one later (a tracer smuggled out of a loop body through a captured
//! variable) panics with the function's name instead of building a graph
//! that uses a value where it is not defined. A region whose closure
//! unwinds (a panic caught by `catch_unwind` in the body) is closed the same
//! way, abandoned, so later equations go to the enclosing region.

use super::{Frame, Tracer, ops, with_graph_of, with_top};
use crate::dtype::{DType, Ty};
use crate::ir::{AVal, Eqn, Op, Region, ValueDef, ValueId};
use std::collections::{HashMap, HashSet};

impl Frame {
    /// Fails if any of `ids` belongs to a region that has closed.
    pub(super) fn check_not_escaped(&self, ids: &[ValueId], what: &str) {
        if !self.closed.is_empty() && ids.iter().any(|v| self.closed.contains(v)) {
            self.fail(format_args!(
                "a Tracer from inside a loop or branch body was used outside it (in `{what}`); \
                 return it from the body instead"
            ));
        }
    }
}

/// A closed region and the outer values it captured: one per leading input.
pub(crate) struct TracedRegion {
    /// The region: inputs are `consts ++ explicit inputs`.
    pub region: Region,
    /// The captured outer values, in the order of the region's leading inputs.
    pub consts: Vec<Tracer>,
}

/// Traces `f` into a new region with explicit inputs of abstract values
/// `avals`; `f` returns the region's results and anything else to hand back.
pub(crate) fn trace_region<T>(
    avals: &[AVal],
    f: impl FnOnce(&[Tracer]) -> (Vec<Tracer>, T),
) -> (TracedRegion, T) {
    let inputs: Vec<Tracer> = with_top(|frame| {
        let mut region = Region::default();
        let inputs = avals
            .iter()
            .map(|aval| {
                let value = frame.graph.new_value(aval.clone(), ValueDef::Input);
                region.inputs.push(value);
                Tracer {
                    trace: frame.id,
                    value,
                }
            })
            .collect();
        frame.open.push(region);
        inputs
    });
    let open = OpenRegion::new();
    let (results, extra) = f(&inputs);
    std::mem::forget(open);
    let traced = with_graph_of(&results, |frame| {
        let mut region = frame.open.pop().expect("the region is open");
        region.results = results.iter().map(|t| t.value).collect();
        frame.check_not_escaped(&region.results, "a region's result");
        let consts = close_over(frame, &mut region);
        frame.closed.extend(region.inputs.iter().copied());
        for eqn in &region.eqns {
            frame.closed.extend(eqn.outputs.iter().copied());
        }
        TracedRegion {
            region,
            consts: consts
                .into_iter()
                .map(|value| Tracer {
                    trace: frame.id,
                    value,
                })
                .collect(),
        }
    });
    (traced, extra)
}

/// Abandons the region on top of the innermost trace if its closure
/// unwinds; forgotten when the closure returns.
struct OpenRegion {
    trace: u32,
    depth: usize,
}

impl OpenRegion {
    /// Watches the region just opened.
    fn new() -> OpenRegion {
        with_top(|frame| OpenRegion {
            trace: frame.id,
            depth: frame.open.len() - 1,
        })
    }
}

impl Drop for OpenRegion {
    fn drop(&mut self) {
        // Never panics: this runs while unwinding.
        let _ = super::STACK.try_with(|stack| {
            if let Ok(mut stack) = stack.try_borrow_mut()
                && let Some(frame) = stack.iter_mut().rev().find(|f| f.id == self.trace)
            {
                frame.abandon_regions(self.depth);
            }
        });
    }
}

/// Turns every outer value `region` uses into a new leading input; returns
/// the outer values in input order.
fn close_over(frame: &mut Frame, region: &mut Region) -> Vec<ValueId> {
    let mut defined: HashSet<ValueId> = region.inputs.iter().copied().collect();
    let mut captured: HashMap<ValueId, ValueId> = HashMap::new();
    let mut outer = Vec::new();
    let mut new_inputs = Vec::new();
    let mut capture = |v: &mut ValueId, defined: &HashSet<ValueId>, frame: &mut Frame| {
        if defined.contains(v) || frame.graph.literal_value(*v).is_some() {
            return;
        }
        let inner = *captured.entry(*v).or_insert_with(|| {
            let aval = frame.graph.aval(*v).clone();
            let inner = frame.graph.new_value(aval, ValueDef::Input);
            outer.push(*v);
            new_inputs.push(inner);
            inner
        });
        *v = inner;
    };
    for eqn in &mut region.eqns {
        for input in &mut eqn.inputs {
            capture(input, &defined, frame);
        }
        defined.extend(eqn.outputs.iter().copied());
    }
    for result in &mut region.results {
        capture(result, &defined, frame);
    }
    new_inputs.append(&mut region.inputs);
    region.inputs = new_inputs;
    outer
}

/// Makes result `k` of a closed `region` have type `ty`: a converted literal,
/// or a `convert_element_type` appended to the region.
pub(crate) fn coerce_result(region: &mut Region, k: usize, ty: Ty) {
    with_top(|frame| {
        let v = region.results[k];
        let exact = frame.exact_literals.get(&v).copied();
        let new = match exact.or(frame.graph.literal_value(v)) {
            Some(value) => frame.graph.literal(value.convert(ty.dtype), ty.weak),
            None => {
                let shape = frame.graph.aval(v).shape.clone();
                let out = frame.graph.new_value(AVal { ty, shape }, ValueDef::Eqn);
                region.eqns.push(Eqn {
                    op: Op::Convert {
                        new_dtype: ty.dtype,
                        weak: ty.weak,
                    },
                    inputs: vec![v],
                    outputs: vec![out],
                });
                frame.closed.insert(out);
                out
            }
        };
        region.results[k] = new;
    });
}

/// `t` as a strongly typed `dtype`: a new literal for a literal, else a
/// staged conversion (none when it already is one).
pub(crate) fn to_strong(t: Tracer, dtype: DType) -> Tracer {
    match t.literal_value() {
        Some(value) => Tracer::constant(value.convert(dtype)),
        None => ops::cast(t, dtype),
    }
}

/// A new region input with the abstract value of `like`, used by nothing
/// (a branch's slot for an operand only other branches use).
pub(crate) fn fresh_input(like: Tracer) -> crate::ir::ValueId {
    with_graph_of(&[like], |frame| {
        let aval = frame.graph.aval(like.value).clone();
        let v = frame.graph.new_value(aval, ValueDef::Input);
        frame.closed.insert(v);
        v
    })
}
