//! The compile pipeline: graph in, something callable out.
//!
//! verify -> optimise (`opt/`) -> lower to MIR (`lower/`) -> allocate
//! registers and emit (`backend/`), one stage per module; this file runs
//! them in order, times them, and dumps them for `JIT_DUMP`.
//!
//! With `JIT_DISABLE=1`, or for a graph the backend cannot lower (an op
//! with no native lowering, see `LowerError`), the optimised graph is kept and run by
//! the reference interpreter; `JIT_LOG_COMPILES` says which. Calls with
//! arrays pass them as `crate::callconv` says.

use crate::backend;
use crate::config;
use crate::dtype::DType;
use crate::exec::{CompiledCode, EntryFn};
use crate::interp;
use crate::ir::{self, Graph, Jaxpr};
use crate::lower::{self, HelperData};
use crate::opt;
use crate::scalar::Scalar;
use crate::trace::signature::{ArgList, JitReturn};
use crate::value::Value;
use std::mem::MaybeUninit;
use std::time::Instant;

/// How a compiled specialisation runs.
enum Executable {
    /// The reference interpreter over the optimised graph.
    Interpreted(Graph),
    /// Native code, and the data its helper calls point into.
    Native {
        entry: EntryFn,
        code: CompiledCode,
        _helper_data: Vec<HelperData>,
        /// Bytes of scratch memory a call passes (`crate::callconv`).
        scratch_bytes: usize,
    },
}

/// A compiled specialisation of a traced function.
///
/// `f::lower(args…).compile()` gives one for a `#[jit]` function `f`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f32) -> f32 {
///     x * 2.0 + 1.0
/// }
///
/// # fn main() {
/// let compiled = f::lower(1.0).compile();
/// if compiled.is_native() {
///     assert!(compiled.code_size() > 0);
///     println!("{}", compiled.as_text()); // the disassembly
/// }
/// # }
/// ```
pub struct Compiled {
    exec: Executable,
    result_dtypes: Vec<DType>,
    /// The results' abstract values (arrays are built with these).
    result_avals: Vec<ir::AVal>,
    compile_micros: u128,
    fallback_reason: Option<String>,
}

/// The optimised graph and its MIR, before code generation:
/// `f::lower(args…)` of a `#[jit]` function `f`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f32) -> f32 {
///     x * 2.0 + 1.0
/// }
///
/// # fn main() {
/// let lowered = f::lower(1.0);
/// println!("{}", lowered.as_text()); // the optimised jaxpr, then the MIR
/// let compiled = lowered.compile();
/// assert!(!compiled.as_text().is_empty());
/// # }
/// ```
pub struct Lowered {
    graph: Graph,
    mir: Result<lower::Lowered, lower::LowerError>,
    name: String,
    /// The target the MIR was lowered for.
    target: lower::Target,
}

/// Optimises and lowers `graph` for the ISA level of [`config::isa`].
pub fn lower_graph(graph: Graph, name: &str) -> Lowered {
    lower_graph_at(graph, name, config::isa())
}

/// Optimises and lowers `graph` for `isa` (its vector loops use the
/// widest vectors of that level, `backend::vector_bits`, and its fused
/// multiply-adds where it has them).
pub fn lower_graph_at(mut graph: Graph, name: &str, isa: backend::IsaLevel) -> Lowered {
    if cfg!(debug_assertions)
        && let Err(e) = ir::verify(&graph)
    {
        panic!("jit: tracing `{name}` produced an invalid graph: {e}");
    }
    opt::optimize(&mut graph);
    let target = lower::Target::of(isa);
    let mir = lower::lower_with(&graph, name, target);
    Lowered {
        graph,
        mir,
        name: name.to_owned(),
        target,
    }
}

impl Lowered {
    /// The optimised graph as a jaxpr, then its MIR.
    pub fn as_text(&self) -> String {
        let mir = match &self.mir {
            Ok(lowered) => lowered.func.to_string(),
            Err(e) => format!("(not lowered: {e})"),
        };
        format!("{}\n\n{mir}", Jaxpr::new(self.graph.clone()))
    }

    /// Assembles native code (or keeps the graph for the interpreter when
    /// `JIT_DISABLE=1` or the graph cannot be lowered), at the ISA level of
    /// [`config::isa`].
    pub fn compile(self) -> Compiled {
        self.compile_at(config::isa())
    }

    /// [`Lowered::compile`] at the given ISA level (lowered again first
    /// when that level's vectors have another width than the MIR's).
    pub fn compile_at(mut self, isa: backend::IsaLevel) -> Compiled {
        let start = Instant::now();
        let target = lower::Target::of(isa);
        if target != self.target {
            self.mir = lower::lower_with(&self.graph, &self.name, target);
            self.target = target;
        }
        let result_avals: Vec<ir::AVal> = self
            .graph
            .body
            .results
            .iter()
            .map(|&v| self.graph.aval(v).clone())
            .collect();
        let result_dtypes = result_avals.iter().map(|a| a.ty.dtype).collect();
        let (exec, fallback_reason) = if config::disabled() {
            (
                Executable::Interpreted(self.graph),
                Some("JIT_DISABLE is set".to_owned()),
            )
        } else {
            match self.mir {
                Ok(lowered) => match backend::compile(&lowered.func, isa) {
                    Ok(code) => (
                        Executable::Native {
                            entry: code.entry(),
                            code,
                            _helper_data: lowered.helper_data,
                            scratch_bytes: lowered.scratch_bytes,
                        },
                        None,
                    ),
                    Err(e) => panic!("jit: code generation for `{}` failed: {e}", self.name),
                },
                Err(e) => (Executable::Interpreted(self.graph), Some(e.to_string())),
            }
        };
        Compiled {
            exec,
            result_dtypes,
            result_avals,
            compile_micros: start.elapsed().as_micros(),
            fallback_reason,
        }
    }
}

/// Optimises, lowers and compiles a graph; with `JIT_DUMP=DIR`, writes the
/// optimised jaxpr and MIR (`NAME.N.ir`) and the disassembly (`NAME.N.asm`).
/// Compiles at the ISA level of [`config::isa`].
pub fn compile_graph(graph: Graph, name: &str) -> Compiled {
    compile_graph_at(graph, name, config::isa())
}

/// [`compile_graph`] at the given ISA level.
pub fn compile_graph_at(graph: Graph, name: &str, isa: backend::IsaLevel) -> Compiled {
    let start = Instant::now();
    let lowered = lower_graph_at(graph, name, isa);
    let to_dump = config::dump_dir().map(|dir| (dir, lowered.as_text()));
    let mut compiled = lowered.compile_at(isa);
    compiled.compile_micros = start.elapsed().as_micros();
    if let Some((dir, ir)) = to_dump {
        write_dump(&dir, name, &ir, &compiled.as_text());
    }
    compiled
}

fn write_dump(dir: &std::path::Path, name: &str, ir: &str, asm: &str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    let written = std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(dir.join(format!("{name}.{n}.ir")), ir))
        .and_then(|_| std::fs::write(dir.join(format!("{name}.{n}.asm")), asm));
    if let Err(e) = written {
        eprintln!(
            "jit: could not write the dump of `{name}` into {}: {e}",
            dir.display()
        );
    }
}

/// Calls native code lowered from the signature `(A) -> R`.
#[inline(always)]
pub(crate) fn call_native<A: ArgList, R: JitReturn>(entry: EntryFn, args: &A) -> R {
    const STACK_SLOTS: usize = 16;
    if A::LEN > STACK_SLOTS || R::LEN > STACK_SLOTS {
        return call_native_wide(entry, args);
    }
    let mut slots = [MaybeUninit::<u64>::uninit(); STACK_SLOTS];
    let mut results = MaybeUninit::<[u64; STACK_SLOTS]>::uninit();
    args.write_slots(&mut slots);
    // SAFETY: the code reads `A::LEN` argument slots and writes `R::LEN`
    // result slots, as it was lowered from this signature, so the first
    // `R::LEN` result slots are initialised after it.
    let results = unsafe {
        entry(slots.as_ptr().cast(), results.as_mut_ptr().cast());
        std::slice::from_raw_parts(results.as_ptr().cast::<u64>(), R::LEN)
    };
    R::from_slots(results)
}

#[cold]
fn call_native_wide<A: ArgList, R: JitReturn>(entry: EntryFn, args: &A) -> R {
    let mut slots = vec![MaybeUninit::<u64>::uninit(); A::LEN];
    let mut results = vec![0u64; R::LEN];
    args.write_slots(&mut slots);
    // SAFETY: as in `call_native`, with buffers of exactly the lengths used.
    unsafe { entry(slots.as_ptr().cast(), results.as_mut_ptr()) };
    R::from_slots(&results)
}

impl Compiled {
    /// Runs on scalar arguments (one per graph input, of its dtype).
    ///
    /// # Panics
    /// If a result is an array (use [`Compiled::run_values`]).
    pub fn run_scalars(&self, args: &[Scalar]) -> Vec<Scalar> {
        match &self.exec {
            Executable::Interpreted(graph) => interp::run(graph, args),
            Executable::Native { scratch_bytes, .. } if *scratch_bytes > 0 => {
                let args: Vec<crate::value::Value> = args
                    .iter()
                    .map(|&s| crate::value::Value::Scalar(s))
                    .collect();
                self.run_values(&args)
                    .into_iter()
                    .map(|v| match v {
                        crate::value::Value::Scalar(s) => s,
                        _ => panic!("run_scalars of a function with array results: use run_values"),
                    })
                    .collect()
            }
            Executable::Native { code, .. } => {
                assert!(
                    self.result_avals.iter().all(|a| a.shape.is_empty()),
                    "run_scalars of a function with array results: use run_values"
                );
                let slots: Vec<u64> = args.iter().map(|s| s.to_slot()).collect();
                let mut results = vec![0u64; self.result_dtypes.len()];
                // SAFETY: one slot per argument and per result, as lowered.
                unsafe { (code.entry())(slots.as_ptr(), results.as_mut_ptr()) };
                self.result_dtypes
                    .iter()
                    .zip(results)
                    .map(|(&d, slot)| Scalar::from_slot(d, slot))
                    .collect()
            }
        }
    }

    /// Runs on a typed argument tuple: the call path of `#[jit]` functions.
    /// Signatures with arrays (or `Vec`s) go through values
    /// (`callconv::call_values` when native).
    #[inline(always)]
    pub(crate) fn run<A: ArgList, R: JitReturn>(&self, args: &A) -> R {
        match self.native_entry() {
            Some(entry) if !A::SHAPED && !R::SHAPED => call_native(entry, args),
            _ => self.run_boxed(args),
        }
    }

    /// The entry point of the native code, if calls run natively and take
    /// only their arguments' and results' slots: code that asks for scratch
    /// memory (arrays computed inside a function of scalars) is called
    /// through [`Compiled::run_values`], which passes it.
    pub(crate) fn native_entry(&self) -> Option<EntryFn> {
        match &self.exec {
            Executable::Native {
                entry,
                scratch_bytes: 0,
                ..
            } => Some(*entry),
            _ => None,
        }
    }

    #[cold]
    fn run_boxed<A: ArgList, R: JitReturn>(&self, args: &A) -> R {
        let mut inputs = Vec::with_capacity(A::LEN);
        args.values(&mut inputs);
        let outputs = self.run_values(&inputs);
        R::from_values(&mut outputs.into_iter().zip(self.result_avals.iter().cloned()))
    }

    /// Runs on argument values (one per graph input, of its dtype and shape).
    pub fn run_values(&self, args: &[Value]) -> Vec<Value> {
        match &self.exec {
            Executable::Interpreted(graph) => interp::run_values(graph, args),
            Executable::Native {
                entry,
                scratch_bytes,
                ..
            } => crate::callconv::call_values(*entry, args, &self.result_avals, *scratch_bytes),
        }
    }

    /// True when calls run native code (not the interpreter).
    pub fn is_native(&self) -> bool {
        matches!(self.exec, Executable::Native { .. })
    }

    /// Why calls run the interpreter, if they do.
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback_reason.as_deref()
    }

    /// Bytes of machine code (0 when interpreted).
    pub fn code_size(&self) -> usize {
        match &self.exec {
            Executable::Native { code, .. } => code.code_size(),
            Executable::Interpreted(_) => 0,
        }
    }

    /// Microseconds spent optimising, lowering and assembling.
    pub fn compile_micros(&self) -> u128 {
        self.compile_micros
    }

    /// The disassembled machine code, one instruction a line (or the graph
    /// the interpreter runs).
    pub fn as_text(&self) -> String {
        match &self.exec {
            Executable::Native { code, .. } => code.disassemble(),
            Executable::Interpreted(graph) => Jaxpr::new(graph.clone()).to_string(),
        }
    }
}
