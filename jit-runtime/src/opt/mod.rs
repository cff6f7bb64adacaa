//! The optimiser: one pass per file, each a free function `run(&mut Graph)`,
//! run in the order of [`PASSES`] with the verifier between passes in debug
//! builds.
//!
//! **Architecture Invariant:** every pass preserves the interpreter's result
//! bit for bit. That rules out IEEE-unsafe algebra (`x + 0.0 -> x` is wrong
//! for `x = -0.0`); folding evaluates with the interpreter itself.

mod cse;
mod dce;
mod fold;
mod licm;

use crate::ir::{self, Graph, ValueId};

/// A pass: a name for dumps and the function.
pub type Pass = (&'static str, fn(&mut Graph));

/// The passes, in order.
pub const PASSES: &[Pass] = &[
    ("fold", fold::run),
    ("cse", cse::run),
    ("dce", dce::run),
    ("licm", licm::run),
];

/// Runs every pass over `graph`.
pub fn optimize(graph: &mut Graph) {
    for (name, pass) in PASSES {
        pass(graph);
        if cfg!(debug_assertions)
            && let Err(e) = ir::verify(graph)
        {
            panic!("the `{name}` pass broke the graph: {e}");
        }
    }
}

/// Replaces every use of a value by `rename(value)` in equations and
/// results, in every region.
pub(crate) fn rename_uses(graph: &mut Graph, rename: impl Fn(ValueId) -> ValueId) {
    rename_in(&mut graph.body, &rename);
}

fn rename_in(region: &mut ir::Region, rename: &impl Fn(ValueId) -> ValueId) {
    for eqn in &mut region.eqns {
        for input in &mut eqn.inputs {
            *input = rename(*input);
        }
        for r in eqn.op.regions_mut() {
            rename_in(r, rename);
        }
    }
    for result in &mut region.results {
        *result = rename(*result);
    }
}
