//! Common-subexpression elimination: a second equation with the same op
//! and operands as an earlier one reuses the earlier one's outputs. Equal
//! literals count as the same operand. Each region is its own scope (regions
//! are closed); loops and branches themselves are never merged.

use super::rename_uses;
use crate::ir::{Graph, Op, Region, ValueId};
use std::collections::HashMap;

/// Removes repeated equations.
pub fn run(graph: &mut Graph) {
    // Canonical literal per (dtype, weak, bits).
    let mut literal_ids: HashMap<(u64, crate::dtype::Ty), ValueId> = HashMap::new();
    let mut replace: HashMap<ValueId, ValueId> = HashMap::new();
    for (i, v) in graph.values.iter().enumerate() {
        if let crate::ir::ValueDef::Literal(s) = v.def {
            let id = ValueId(i as u32);
            let canonical = *literal_ids.entry((s.to_slot(), v.aval.ty)).or_insert(id);
            if canonical != id {
                replace.insert(id, canonical);
            }
        }
    }
    let mut body = std::mem::take(&mut graph.body);
    cse_region(graph, &mut body, &mut replace);
    graph.body = body;
    rename_uses(graph, |v| *replace.get(&v).unwrap_or(&v));
}

fn cse_region(graph: &Graph, region: &mut Region, replace: &mut HashMap<ValueId, ValueId>) {
    let mut seen: HashMap<(Op, Vec<ValueId>), Vec<ValueId>> = HashMap::new();
    let mut eqns = std::mem::take(&mut region.eqns);
    eqns.retain_mut(|eqn| {
        for input in &mut eqn.inputs {
            *input = *replace.get(input).unwrap_or(input);
        }
        for r in eqn.op.regions_mut() {
            cse_region(graph, r, replace);
        }
        if eqn.op.has_effect() || eqn.op.has_regions() {
            return true;
        }
        let key = (eqn.op.clone(), eqn.inputs.clone());
        match seen.get(&key) {
            Some(earlier) if graph_avals_match(graph, earlier, &eqn.outputs) => {
                for (&dup, &kept) in eqn.outputs.iter().zip(earlier) {
                    replace.insert(dup, kept);
                }
                false
            }
            _ => {
                seen.insert(key, eqn.outputs.clone());
                true
            }
        }
    });
    region.eqns = eqns;
}

fn graph_avals_match(graph: &Graph, a: &[ValueId], b: &[ValueId]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| graph.aval(x) == graph.aval(y))
}
