//! Lowering loops and branches to MIR blocks.
//!
//! `while` becomes a header block whose parameters are the carry (so the
//! carry lives in registers across iterations, with no memory traffic), the
//! condition and a compare-and-branch in the header, the body in its own
//! block and a back edge jumping to the header with the next carry:
//!
//! ```text
//! pre:    ..; jump header(init..)
//! header(carry..): cond; branch p, body, exit
//! body:   ..; jump header(next..)
//! exit:   (the carry is the header's parameters)
//! ```
//!
//! `cond` becomes a chain of `index <= k` tests (so any index picks the
//! branch the clamped index picks), one block per branch, and a join block
//! whose parameters are the results.
//!
//! Every edge out of a `branch` goes to a block with a single predecessor
//! (the body, the exit, a test or a branch block), so there are no critical
//! edges. Literals a loop uses are materialised once before it; literals made
//! inside a branch are forgotten after it, as they do not dominate the join.

use super::{LowerError, Lowering, mir_ty};
use crate::ir::{Region, ValueDef, ValueId};
use crate::mir::{CmpOp, Ty, Value};
use std::collections::BTreeSet;

impl Lowering<'_> {
    /// Lowers a closed region on `inputs` and returns its results.
    fn region(&mut self, region: &Region, inputs: &[Value]) -> Result<Vec<Value>, LowerError> {
        for (&id, &v) in region.inputs.iter().zip(inputs) {
            self.values[id.index()] = Some(v);
        }
        self.eqns(&region.eqns)?;
        Ok(region.results.iter().map(|&r| self.value(r)).collect())
    }

    /// Lowers a region in a scope: literals it materialises are forgotten
    /// after it.
    fn scoped_region(
        &mut self,
        region: &Region,
        inputs: &[Value],
    ) -> Result<Vec<Value>, LowerError> {
        let mark = self.literal_log.len();
        let results = self.region(region, inputs);
        for id in self.literal_log.drain(mark..) {
            self.values[id.index()] = None;
        }
        results
    }

    /// Every literal `region` and its nested regions use.
    fn literals_of(&self, region: &Region, out: &mut BTreeSet<ValueId>) {
        let mut note = |v: ValueId| {
            if matches!(self.graph.values[v.index()].def, ValueDef::Literal(_)) {
                out.insert(v);
            }
        };
        for eqn in &region.eqns {
            eqn.inputs.iter().copied().for_each(&mut note);
        }
        region.results.iter().copied().for_each(&mut note);
        for eqn in &region.eqns {
            for r in eqn.op.regions() {
                self.literals_of(r, out);
            }
        }
    }

    /// `while`: operands `cond_consts ++ body_consts ++ init`.
    pub(super) fn while_loop(
        &mut self,
        cond: &Region,
        body: &Region,
        cond_nconsts: usize,
        body_nconsts: usize,
        args: &[Value],
    ) -> Result<Vec<Value>, LowerError> {
        // Loop-invariant constants: once, before the loop.
        let mut literals = BTreeSet::new();
        self.literals_of(cond, &mut literals);
        self.literals_of(body, &mut literals);
        for v in literals {
            self.value(v);
        }
        let nconsts = cond_nconsts + body_nconsts;
        let (cond_consts, body_consts) = args[..nconsts].split_at(cond_nconsts);
        let init = &args[nconsts..];
        let tys: Vec<Ty> = init.iter().map(|&v| self.b.ty(v)).collect();
        let (header, carry) = self.b.create_block(&tys);
        self.b.jump(header, init);
        self.b.switch_to(header);
        let cond_in: Vec<Value> = cond_consts.iter().chain(&carry).copied().collect();
        let p = self.scoped_region(cond, &cond_in)?[0];
        let header_end = self.b.current_block();
        let (body_block, _) = self.b.create_block(&[]);
        self.b.switch_to(body_block);
        let body_in: Vec<Value> = body_consts.iter().chain(&carry).copied().collect();
        let next = self.scoped_region(body, &body_in)?;
        self.b.jump(header, &next);
        let (exit, _) = self.b.create_block(&[]);
        self.b.switch_to(header_end);
        self.b.branch(p, body_block, &[], exit, &[]);
        self.b.switch_to(exit);
        Ok(carry)
    }

    /// `cond`: operands `index ++ args`.
    pub(super) fn cond(
        &mut self,
        branches: &[Region],
        args: &[Value],
    ) -> Result<Vec<Value>, LowerError> {
        let (index, operands) = (args[0], &args[1..]);
        let tys: Vec<Ty> = branches[0]
            .results
            .iter()
            .map(|&r| mir_ty(self.graph.aval(r).ty.dtype))
            .collect();
        let (join, results) = self.b.create_block(&tys);
        let last = branches.len() - 1;
        for (k, branch) in branches.iter().enumerate() {
            if k < last {
                let bound = self.b.iconst(Ty::I32, k as i64);
                let here = self.b.cmp(CmpOp::Le, index, bound);
                let (taken, _) = self.b.create_block(&[]);
                let (next_test, _) = self.b.create_block(&[]);
                self.b.branch(here, taken, &[], next_test, &[]);
                self.b.switch_to(taken);
                let outs = self.scoped_region(branch, operands)?;
                self.b.jump(join, &outs);
                self.b.switch_to(next_test);
            } else {
                let outs = self.scoped_region(branch, operands)?;
                self.b.jump(join, &outs);
            }
        }
        self.b.switch_to(join);
        Ok(results)
    }
}
