//! The per-function cache of compiled specialisations, and the call path.
//!
//! A specialisation is keyed by the function's static arguments (the dtypes
//! of scalar arguments are fixed by their Rust types). The first call with a
//! new key traces the staged body, compiles the graph and stores the result;
//! later calls look it up under a read lock and run it.
//!
//! **Architecture Invariant:** exactly one compile per key, however many
//! threads make the first call at once: the key's slot is a `OnceLock`, so
//! the first caller compiles and the others wait for it. No lock is held while
//! tracing (a body may call other `#[jit]` functions), and a panicking trace
//! leaves the slot empty for the next caller.

use crate::config;
use crate::dtype::Ty;
use crate::ir::{AVal, Graph, Jaxpr};
use crate::pipeline::{self, Compiled};
use crate::trace::signature::{ArgList, JitReturn};
use crate::trace::{Tracer, start_trace, trace_error};
use rustc_hash::FxBuildHasher;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

/// Compiled specialisations of one `#[jit]` function, keyed by its static
/// arguments `S` (a tuple, `()` when there are none).
pub struct Cache<S> {
    name: &'static str,
    slots: RwLock<HashMap<S, Arc<OnceLock<Compiled>>, FxBuildHasher>>,
}

impl<S> Cache<S> {
    /// An empty cache for the function `name`.
    pub const fn new(name: &'static str) -> Cache<S> {
        Cache {
            name,
            slots: RwLock::new(HashMap::with_hasher(FxBuildHasher)),
        }
    }

    /// The function's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Compiled specialisations so far.
    pub fn len(&self) -> usize {
        let slots = self.slots.read().unwrap_or_else(|e| e.into_inner());
        slots.values().filter(|s| s.get().is_some()).count()
    }

    /// True before the first compile.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every specialisation; the next call compiles again.
    pub fn clear(&self) {
        self.slots
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// Calls a `#[jit]` function: runs the cached specialisation for `statics`,
/// tracing and compiling `staged` first if there is none.
#[inline]
pub fn call<A, S, R>(
    cache: &Cache<S>,
    args: A,
    statics: S,
    staged: impl FnOnce(A::Traced, S) -> R::Traced,
) -> R
where
    A: ArgList,
    S: Clone + Eq + Hash,
    R: JitReturn,
{
    {
        let slots = cache.slots.read().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = slots.get(&statics).and_then(|slot| slot.get()) {
            return entry.run(&args);
        }
    }
    call_slow(cache, args, statics, staged)
}

#[cold]
fn call_slow<A, S, R>(
    cache: &Cache<S>,
    args: A,
    statics: S,
    staged: impl FnOnce(A::Traced, S) -> R::Traced,
) -> R
where
    A: ArgList,
    S: Clone + Eq + Hash,
    R: JitReturn,
{
    let slot = {
        let mut slots = cache.slots.write().unwrap_or_else(|e| e.into_inner());
        slots.entry(statics.clone()).or_default().clone()
    };
    let entry = slot.get_or_init(|| {
        let start = Instant::now();
        let graph = trace::<A, S, R>(cache.name, &args, statics, staged);
        let trace_micros = start.elapsed().as_micros();
        let signature = signature_text(&graph);
        let compiled = pipeline::compile_graph(graph, cache.name);
        if config::log_compiles() {
            let how = match compiled.fallback_reason() {
                None => format!("{} code bytes", compiled.code_size()),
                Some(why) => format!("interpreted ({why})"),
            };
            eprintln!(
                "jit: compiled `{}` for ({signature}): trace {trace_micros} us, compile {} us, {how}",
                cache.name,
                compiled.compile_micros(),
            );
        }
        compiled
    });
    entry.run(&args)
}

/// Traces `staged` on `args`' abstract values into a graph whose results
/// have the dtypes of `R`.
pub(crate) fn trace<A, S, R>(
    name: &'static str,
    args: &A,
    statics: S,
    staged: impl FnOnce(A::Traced, S) -> R::Traced,
) -> Graph
where
    A: ArgList,
    R: JitReturn,
{
    let guard = start_trace(name);
    let mut avals = Vec::with_capacity(A::LEN);
    args.avals(&mut avals);
    let inputs: Vec<Tracer> = avals.into_iter().map(|aval| guard.input(aval)).collect();
    let traced = staged(A::traced(&inputs), statics);
    let mut results = Vec::with_capacity(R::LEN);
    R::flatten(traced, &mut results);
    let mut declared = Vec::with_capacity(R::LEN);
    R::dtypes(&mut declared);
    for (result, &dtype) in results.iter_mut().zip(&declared) {
        let ty = result.ty();
        if ty.dtype != dtype {
            if !ty.weak {
                trace_error(format_args!(
                    "the function is declared to return {dtype} but its body returns {}",
                    ty.dtype
                ));
            }
            *result = result.coerce(Ty::strong(dtype));
        }
    }
    guard.finish(&results)
}

fn signature_text(graph: &Graph) -> String {
    let avals: Vec<&AVal> = graph.body.inputs.iter().map(|&v| graph.aval(v)).collect();
    let parts: Vec<String> = avals
        .iter()
        .map(|a| {
            let dims: Vec<String> = a.shape.iter().map(usize::to_string).collect();
            format!("{}[{}]", a.ty.dtype, dims.join(","))
        })
        .collect();
    parts.join(", ")
}

/// Traces a `#[jit]` function for `args` without compiling or caching it.
pub fn make_jaxpr<A, S, R>(
    cache: &Cache<S>,
    args: A,
    statics: S,
    staged: impl FnOnce(A::Traced, S) -> R::Traced,
) -> Jaxpr
where
    A: ArgList,
    R: JitReturn,
{
    Jaxpr::new(trace::<A, S, R>(cache.name, &args, statics, staged))
}
