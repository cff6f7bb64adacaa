//! The graph verifier: run between passes in debug builds and in tests.
//!
//! Checks that every operand is defined before use, arities match, binary
//! operands share a dtype, results exist, and nested regions are closed
//! (they use only their own inputs, literals and their own equations'
//! outputs) and have the operand and result counts their op needs.

use super::{Graph, Op, Region, ValueDef, ValueId};
use crate::dtype::DType;
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
    /// A region does not fit its op (operand, input or result counts or types).
    #[error("equation {0} ({1}): {2}")]
    BadRegion(usize, &'static str, String),
}

/// Checks `graph`'s invariants.
pub fn verify(graph: &Graph) -> Result<(), VerifyError> {
    let literals: Vec<bool> = graph
        .values
        .iter()
        .map(|v| matches!(v.def, ValueDef::Literal(_) | ValueDef::Const(_)))
        .collect();
    verify_region(graph, &graph.body, &literals)
}

fn verify_region(graph: &Graph, region: &Region, literals: &[bool]) -> Result<(), VerifyError> {
    let mut defined = literals.to_vec();
    for &v in &region.inputs {
        defined[v.index()] = true;
    }
    for (n, eqn) in region.eqns.iter().enumerate() {
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
        check_regions(graph, n, eqn)?;
        for region in eqn.op.regions() {
            verify_region(graph, region, literals)?;
        }
        for &out in &eqn.outputs {
            defined[out.index()] = true;
        }
    }
    match region.results.iter().find(|v| !defined[v.index()]) {
        Some(&bad) => Err(VerifyError::UseBeforeDef(bad, region.eqns.len())),
        None => Ok(()),
    }
}

/// The counts and types a `while` or `cond` needs of its regions.
fn check_regions(graph: &Graph, n: usize, eqn: &super::Eqn) -> Result<(), VerifyError> {
    let bad = |why: String| Err(VerifyError::BadRegion(n, eqn.op.name(), why));
    let dtypes =
        |vs: &[ValueId]| -> Vec<DType> { vs.iter().map(|&v| graph.aval(v).ty.dtype).collect() };
    match &eqn.op {
        Op::While {
            cond,
            body,
            cond_nconsts,
            body_nconsts,
        } => {
            let nconsts = cond_nconsts + body_nconsts;
            if eqn.inputs.len() < nconsts {
                return bad("fewer operands than consts".into());
            }
            let carry = &eqn.inputs[nconsts..];
            if dtypes(&eqn.outputs) != dtypes(carry) {
                return bad("outputs differ from the initial carry".into());
            }
            let cond_in: Vec<ValueId> = eqn.inputs[..*cond_nconsts]
                .iter()
                .chain(carry)
                .copied()
                .collect();
            let body_in: Vec<ValueId> = eqn.inputs[*cond_nconsts..].to_vec();
            if dtypes(&cond.inputs) != dtypes(&cond_in) || dtypes(&body.inputs) != dtypes(&body_in)
            {
                return bad("region inputs differ from the operands".into());
            }
            if dtypes(&cond.results) != [DType::Bool] {
                return bad("cond_jaxpr must return one bool".into());
            }
            if dtypes(&body.results) != dtypes(carry) {
                return bad("body_jaxpr's results differ from the carry".into());
            }
        }
        Op::Scan {
            body,
            num_consts,
            num_carry,
            ..
        } => {
            if eqn.inputs.len() < num_consts + num_carry
                || body.inputs.len() != eqn.inputs.len()
                || body.results.len() != eqn.outputs.len()
                || eqn.outputs.len() < *num_carry
            {
                return bad("operand, input, result or output counts differ".into());
            }
            let carry = &eqn.inputs[*num_consts..num_consts + num_carry];
            if dtypes(&body.results[..*num_carry]) != dtypes(carry)
                || dtypes(&eqn.outputs[..*num_carry]) != dtypes(carry)
            {
                return bad("the carry's dtypes change".into());
            }
        }
        Op::Cond { branches } => {
            if branches.is_empty() || eqn.inputs.is_empty() {
                return bad("no branches or no index".into());
            }
            if graph.aval(eqn.inputs[0]).ty.dtype != DType::I32 {
                return bad("the index is not i32".into());
            }
            for branch in branches {
                if dtypes(&branch.inputs) != dtypes(&eqn.inputs[1..]) {
                    return bad("a branch's inputs differ from the operands".into());
                }
                if dtypes(&branch.results) != dtypes(&eqn.outputs) {
                    return bad("a branch's results differ from the outputs".into());
                }
            }
        }
        _ => {}
    }
    Ok(())
}
