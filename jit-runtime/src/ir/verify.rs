//! The graph verifier: run between passes in debug builds and in tests.
//!
//! Checks that every operand is defined before use, arities match, binary
//! operands share a dtype, and results exist.

use super::{Graph, ValueDef, ValueId};
use thiserror::Error;

/// A broken invariant of a graph.
#[derive(Debug, Error, PartialEq)]
pub enum VerifyError {
    /// An operand or result is not defined at its use.
    #[error("value {0:?} used before it is defined (equation {1})")]
    UseBeforeDef(ValueId, usize),
    /// An equation has the wrong number of operands.
    #[error("equation {0} ({1}) has {2} operands")]
    Arity(usize, &'static str, usize),
    /// A binary op's operands differ in dtype.
    #[error("equation {0} ({1}) mixes dtypes")]
    MixedDtypes(usize, &'static str),
}

/// Checks `graph`'s invariants.
pub fn verify(graph: &Graph) -> Result<(), VerifyError> {
    let mut defined = vec![false; graph.values.len()];
    for (i, v) in graph.values.iter().enumerate() {
        if matches!(v.def, ValueDef::Literal(_)) {
            defined[i] = true;
        }
    }
    for &v in &graph.body.inputs {
        defined[v.index()] = true;
    }
    for (n, eqn) in graph.body.eqns.iter().enumerate() {
        if let Some(&bad) = eqn.inputs.iter().find(|v| !defined[v.index()]) {
            return Err(VerifyError::UseBeforeDef(bad, n));
        }
        if let Some(arity) = eqn.op.arity()
            && arity != eqn.inputs.len()
        {
            return Err(VerifyError::Arity(n, eqn.op.name(), eqn.inputs.len()));
        }
        if eqn.op.is_binary() {
            let (a, b) = (graph.aval(eqn.inputs[0]), graph.aval(eqn.inputs[1]));
            if a.ty.dtype != b.ty.dtype {
                return Err(VerifyError::MixedDtypes(n, eqn.op.name()));
            }
        }
        for &out in &eqn.outputs {
            defined[out.index()] = true;
        }
    }
    match graph.body.results.iter().find(|v| !defined[v.index()]) {
        Some(&bad) => Err(VerifyError::UseBeforeDef(bad, graph.body.eqns.len())),
        None => Ok(()),
    }
}
