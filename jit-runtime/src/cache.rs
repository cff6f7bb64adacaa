//! The per-function cache of compiled specialisations, and the call path.
//!
//! A specialisation is keyed by the function's static arguments, the dtype
//! and shape of each `Array` argument (the dtypes of scalar arguments are
//! fixed by their Rust types) and the ISA level
//! ([`config::isa`], which `config::set_isa` may change at any time). The first call with a
//! new key traces the staged body, compiles the graph and stores the result;
//! later calls look it up and run it.
//!
//! The hot path takes no lock and makes no atomic read-modify-write (each
//! costs more than the compiled call itself): every thread keeps its few most
//! recently used specialisations in a thread-local list, holding them by
//! `Arc` so they outlive a concurrent `clear`. A hit needs the cache's id,
//! its generation (bumped by `clear`), the ISA level (one relaxed load) and
//! the static arguments to match.
//! Misses go to the shared map under its `RwLock`.
//!
//! **Architecture Invariant:** exactly one compile per key, however many
//! threads make the first call at once: the key's slot is a `OnceLock`, so
//! the first caller compiles and the others wait for it. No lock is held while
//! tracing (a body may call other `#[jit]` functions), and a panicking trace
//! leaves the slot empty for the next caller.

use crate::Error;
use crate::backend::IsaLevel;
use crate::config;
use crate::dtype::Ty;
use crate::exec::EntryFn;
use crate::explain;
use crate::ir::{AVal, Graph, Jaxpr};
use crate::pipeline::{self, Compiled};
use crate::trace::signature::{ArgList, JitReturn, ResultType};
use crate::trace::{
    Tracer, catch_reraised, check_results, fallible_scope, reraise, start_trace, trace_error,
};
use rustc_hash::FxBuildHasher;
use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Instant;

/// Compiled specialisations of one `#[jit]` function, keyed by its static
/// arguments `S` (a tuple, `()` when there are none) and the ISA level.
pub struct Cache<S> {
    name: &'static str,
    /// The parameters' names, traced ones then static ones (for
    /// explanations of recompiles).
    traced_names: &'static [&'static str],
    static_names: &'static [&'static str],
    /// Each static argument's text (`Debug` where it has it).
    describe_statics: fn(&S) -> Vec<String>,
    /// The signatures compiled so far, and why each compile after the
    /// first happened (`crate::explain`).
    history: Mutex<explain::History>,
    slots: RwLock<HashMap<(S, IsaLevel, ShapeKey), Slot, FxBuildHasher>>,
    /// Unique per cache, assigned on the first compile (0 before).
    id: AtomicU64,
    /// Bumped by `clear`: thread-local entries of older generations are stale.
    generation: AtomicU64,
}

/// One specialisation: compiled once, by whichever caller gets there first.
type Slot = Arc<OnceLock<Compiled>>;

/// The array arguments' dtypes and shapes (`ArgList::shape_key`); empty,
/// and never allocated, for functions of scalars.
type ShapeKey = Box<[usize]>;

/// The shape key of `args`.
fn shape_key<A: ArgList>(args: &A) -> ShapeKey {
    if !A::SHAPED {
        return Box::default();
    }
    let mut key = Vec::new();
    args.shape_key(&mut key);
    key.into_boxed_slice()
}

/// A thread's recently used specialisation.
struct Recent {
    cache_id: u64,
    generation: u64,
    isa: IsaLevel,
    statics: Box<dyn Any>,
    shapes: ShapeKey,
    /// The native entry of the slot's code, copied out so a hit calls it
    /// without following pointers (`None` when interpreted).
    entry: Option<EntryFn>,
    slot: Slot,
}

/// How many specialisations each thread keeps at hand.
const RECENT_CAPACITY: usize = 8;

thread_local! {
    static RECENT: RefCell<Vec<Recent>> = const { RefCell::new(Vec::new()) };
    /// The slots this thread is compiling, innermost last: a body that
    /// calls its own function with plain arguments reaches its own slot
    /// again, which `OnceLock` would wait on for ever.
    static COMPILING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Marks a slot as being compiled by this thread while it lives.
struct Compiling(usize);

impl Compiling {
    /// Reports a trace-time error naming the function if this thread is
    /// compiling `slot` already (checked before waiting on the slot).
    fn check_not_reentered(slot: &Slot, name: &str) {
        let key = Arc::as_ptr(slot) as usize;
        if slot.get().is_none() && COMPILING.with_borrow(|c| c.contains(&key)) {
            trace_error(format_args!(
                "`{name}` calls itself with plain arguments while it is being traced: the call \
                 would trace it again for ever (JAX raises RecursionError); pass a traced \
                 value to inline the call, or make the recursion end on a static argument"
            ));
        }
    }

    /// Marks `slot` as being compiled by this thread.
    fn enter(slot: &Slot) -> Compiling {
        let key = Arc::as_ptr(slot) as usize;
        COMPILING.with_borrow_mut(|c| c.push(key));
        Compiling(key)
    }
}

impl Drop for Compiling {
    fn drop(&mut self) {
        let _ = COMPILING.try_with(|c| {
            if let Ok(mut c) = c.try_borrow_mut()
                && let Some(at) = c.iter().rposition(|&k| k == self.0)
            {
                c.remove(at);
            }
        });
    }
}

static NEXT_CACHE_ID: AtomicU64 = AtomicU64::new(1);

impl<S> Cache<S> {
    /// An empty cache for the function `name`.
    pub const fn new(name: &'static str) -> Cache<S> {
        Cache {
            name,
            traced_names: &[],
            static_names: &[],
            describe_statics: |_| Vec::new(),
            history: Mutex::new(explain::History::new()),
            slots: RwLock::new(HashMap::with_hasher(FxBuildHasher)),
            id: AtomicU64::new(0),
            generation: AtomicU64::new(0),
        }
    }

    /// The same cache, knowing the names of the function's traced and
    /// static parameters and how to print its static arguments, so that a
    /// recompile can say which argument changed.
    pub const fn with_params(
        mut self,
        traced_names: &'static [&'static str],
        static_names: &'static [&'static str],
        describe_statics: fn(&S) -> Vec<String>,
    ) -> Cache<S> {
        self.traced_names = traced_names;
        self.static_names = static_names;
        self.describe_statics = describe_statics;
        self
    }

    /// The function's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Why each compile after the first happened, in order: the arguments
    /// whose dtype, shape or static value differed from the closest
    /// specialisation compiled before (`x: f32[3] -> f32[4]`, `n: 10 -> 11`),
    /// or the ISA level.
    pub fn misses(&self) -> Vec<String> {
        self.history
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .misses()
            .to_vec()
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
        self.generation.fetch_add(1, Ordering::Relaxed);
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
    S: Clone + Eq + Hash + 'static,
    R: JitReturn,
{
    let id = cache.id.load(Ordering::Relaxed);
    let isa = config::isa();
    let shapes = shape_key(&args);
    if id != 0 {
        let generation = cache.generation.load(Ordering::Relaxed);
        let hit = RECENT.with_borrow(|recent| {
            let r = recent.iter().find(|r| {
                r.cache_id == id
                    && r.generation == generation
                    && r.isa == isa
                    // No static arguments (the common case): nothing to compare.
                    && (size_of::<S>() == 0 || r.statics.downcast_ref::<S>() == Some(&statics))
                    // Functions of scalars have no shape key: nothing to compare
                    // (a slice comparison is a libc call, dearer than the
                    // compiled call itself).
                    && (!A::SHAPED || r.shapes == shapes)
            })?;
            Some(match r.entry {
                // Slots straight from the typed arguments.
                Some(entry) if !A::SHAPED && !R::SHAPED => {
                    pipeline::call_native::<A, R>(entry, &args)
                }
                // Arrays (native or not) and interpreted code: through values.
                _ => r.slot.get()?.run::<A, R>(&args),
            })
        });
        if let Some(result) = hit {
            return result;
        }
    }
    call_slow(cache, args, statics, shapes, isa, staged)
}

#[cold]
fn call_slow<A, S, R>(
    cache: &Cache<S>,
    args: A,
    statics: S,
    shapes: ShapeKey,
    isa: IsaLevel,
    staged: impl FnOnce(A::Traced, S) -> R::Traced,
) -> R
where
    A: ArgList,
    S: Clone + Eq + Hash + 'static,
    R: JitReturn,
{
    if cache.id.load(Ordering::Relaxed) == 0 {
        let fresh = NEXT_CACHE_ID.fetch_add(1, Ordering::Relaxed);
        let _ = cache
            .id
            .compare_exchange(0, fresh, Ordering::Relaxed, Ordering::Relaxed);
    }
    let generation = cache.generation.load(Ordering::Relaxed);
    let existing = {
        let slots = cache.slots.read().unwrap_or_else(|e| e.into_inner());
        slots.get(&(statics.clone(), isa, shapes.clone())).cloned()
    };
    let slot = match existing {
        Some(slot) => slot,
        None => {
            let mut slots = cache.slots.write().unwrap_or_else(|e| e.into_inner());
            slots
                .entry((statics.clone(), isa, shapes.clone()))
                .or_default()
                .clone()
        }
    };
    let compile = || {
        let _compiling = Compiling::enter(&slot);
        let start = Instant::now();
        let graph = trace::<A, S, R>(cache.name, &args, statics.clone(), staged)
            .unwrap_or_else(|error| reraise(error));
        let trace_micros = start.elapsed().as_micros();
        let why = cache.explain(&args, &statics, isa);
        let signature = config::log_compiles().then(|| signature_text(&graph));
        let compiled = pipeline::compile_graph_at(graph, cache.name, isa);
        if let Some(signature) = signature {
            eprintln!(
                "{}",
                log_line(
                    cache.name,
                    &signature,
                    why.as_deref(),
                    trace_micros,
                    &compiled
                )
            );
        }
        compiled
    };
    Compiling::check_not_reentered(&slot, cache.name);
    // A fallible function's trace-time error leaves the slot empty (the next
    // call traces again, as JAX does) and is returned to this caller.
    let entry = if R::FALLIBLE {
        match catch_reraised(|| slot.get_or_init(compile)) {
            Ok(entry) => entry,
            Err(error) => return R::from_error(error),
        }
    } else {
        slot.get_or_init(compile)
    };
    let result = entry.run(&args);
    remember(
        cache.id.load(Ordering::Relaxed),
        generation,
        isa,
        statics,
        shapes,
        slot,
    );
    result
}

impl<S> Cache<S> {
    /// Records the signature of a compile; for every compile but the
    /// function's first, returns (and records) why it was needed.
    fn explain<A: ArgList>(&self, args: &A, statics: &S, isa: IsaLevel) -> Option<String> {
        let traced = args.describe();
        let statics = (self.describe_statics)(statics);
        let names = self.traced_names.iter().chain(self.static_names);
        let mut entries: Vec<(String, String)> = traced
            .into_iter()
            .chain(statics)
            .enumerate()
            .map(|(k, text)| {
                let name = names
                    .clone()
                    .nth(k)
                    .map_or_else(|| format!("argument {k}"), |n| (*n).to_owned());
                (name, text)
            })
            .collect();
        entries.push(("ISA level".to_owned(), format!("{isa:?}").to_lowercase()));
        self.history
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .record(explain::Signature(entries))
    }
}

/// Puts a specialisation at the front of this thread's recent list.
fn remember<S: 'static>(
    cache_id: u64,
    generation: u64,
    isa: IsaLevel,
    statics: S,
    shapes: ShapeKey,
    slot: Slot,
) {
    RECENT.with_borrow_mut(|recent| {
        recent.retain(|r| r.cache_id != cache_id);
        if recent.len() == RECENT_CAPACITY {
            recent.pop();
        }
        let entry = slot.get().and_then(Compiled::native_entry);
        recent.insert(
            0,
            Recent {
                cache_id,
                generation,
                isa,
                statics: Box::new(statics),
                shapes,
                entry,
                slot,
            },
        );
    });
}

/// Traces `staged` on `args`' abstract values into a graph whose results
/// have the dtypes of `R`. `Err` only for a fallible `R` (whose trace-time
/// errors are values); other functions' errors panic.
pub(crate) fn trace<A, S, R>(
    name: &'static str,
    args: &A,
    statics: S,
    staged: impl FnOnce(A::Traced, S) -> R::Traced,
) -> Result<Graph, Error>
where
    A: ArgList,
    R: JitReturn,
{
    let guard = start_trace(name);
    let mut avals = Vec::with_capacity(A::LEN);
    args.avals(&mut avals);
    let inputs: Vec<Tracer> = avals.into_iter().map(|aval| guard.input(aval)).collect();
    let results = fallible_scope(R::FALLIBLE, || {
        let traced = staged(args.traced(&mut inputs.iter().copied()), statics);
        let mut results = Vec::with_capacity(R::LEN);
        R::flatten(traced, &mut results)?;
        let mut declared = Vec::with_capacity(R::LEN);
        R::result_types(&mut declared);
        for (result, &expected) in results.iter_mut().zip(&declared) {
            let ResultType::Scalar(dtype) = expected else {
                continue;
            };
            let aval = result.aval();
            if !aval.shape.is_empty() {
                trace_error(format_args!(
                    "the function is declared to return {dtype} but its body returns {aval}; \
                     declare `Array` to return an array"
                ));
            }
            if aval.ty.dtype != dtype {
                if !aval.ty.weak {
                    trace_error(format_args!(
                        "the function is declared to return {dtype} but its body returns {}",
                        aval.ty.dtype
                    ));
                }
                *result = result.coerce(Ty::strong(dtype));
            }
        }
        check_results(&results);
        Ok(results)
    })?;
    Ok(guard.finish(&results))
}

/// The `JIT_LOG_COMPILES` line of one compile: the function, its
/// signature, why it recompiled (after its first compile), the times and
/// the code size or the reason it is interpreted.
fn log_line(
    name: &str,
    signature: &str,
    why: Option<&str>,
    trace_micros: u128,
    compiled: &Compiled,
) -> String {
    let how = match compiled.fallback_reason() {
        None => format!("{} code bytes", compiled.code_size()),
        Some(why) => format!("interpreted ({why})"),
    };
    let why = why
        .map(|w| format!(" (recompiled: {w})"))
        .unwrap_or_default();
    format!(
        "jit: compiled `{name}` for ({signature}){why}: trace {trace_micros} us, compile {} us, {how}",
        compiled.compile_micros(),
    )
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
    Jaxpr::new(
        trace::<A, S, R>(cache.name, &args, statics, staged).unwrap_or_else(|e| panic!("{e}")),
    )
}

/// Traces and optimises a `#[jit]` function for `args` without caching it:
/// what `f::lower(args)` returns.
pub fn lower<A, S, R>(
    cache: &Cache<S>,
    args: A,
    statics: S,
    staged: impl FnOnce(A::Traced, S) -> R::Traced,
) -> pipeline::Lowered
where
    A: ArgList,
    R: JitReturn,
{
    let graph =
        trace::<A, S, R>(cache.name, &args, statics, staged).unwrap_or_else(|e| panic!("{e}"));
    pipeline::lower_graph(graph, cache.name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_log_line_says_why_a_function_recompiled() {
        let compiled = crate::pipeline::compile_graph(crate::ir::Graph::default(), "f");
        let first = super::log_line("f", "f32[3]", None, 7, &compiled);
        assert!(
            first.starts_with("jit: compiled `f` for (f32[3]): trace 7 us"),
            "{first}"
        );
        let again = super::log_line("f", "f32[4]", Some("x: f32[3] -> f32[4]"), 7, &compiled);
        assert!(
            again.starts_with("jit: compiled `f` for (f32[4]) (recompiled: x: f32[3] -> f32[4]): "),
            "{again}"
        );
    }
}
