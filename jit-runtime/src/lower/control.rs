//! Lowering loops and branches to MIR blocks.
//!
//! `while` is rotated (tested at the bottom): the condition is lowered once
//! before the loop and once at the end of the body, so an iteration takes a
//! single conditional branch, the back edge. The body block's parameters are
//! the carry (so the carry lives in registers across iterations, with no
//! memory traffic); the exit block's parameters are the results:
//!
//! ```text
//! pre:    ..; p0 = cond(init..); branch p0, enter, skip
//! enter:  jump body(init..)
//! body(carry..): next.. = ..; p = cond(next..); branch p, again, leave
//! again:  jump body(next..)
//! leave:  jump exit(next..)
//! skip:   jump exit(init..)
//! exit(results..):
//! ```
//!
//! `enter`, `again`, `leave` and `skip` split critical edges; when register
//! allocation puts no move in them the backend emits none of them and
//! branches straight to their targets, so the loop is `body; cmp; jcc body`.

//! `cond` becomes a chain of `index <= k` tests (so any index picks the
//! branch the clamped index picks), one block per branch, and a join block
//! whose parameters are the results.
//!
//! Every edge out of a `branch` goes to a block with a single predecessor
//! (`enter`, `again`, `leave`, `skip`, a test or a branch block), so there
//! are no critical edges. The condition region is lowered twice, each copy in
//! its own literal scope. Literals a loop uses are materialised once before it; literals made
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
        let test = |this: &mut Self, carry: &[Value]| -> Result<Value, LowerError> {
            let cond_in: Vec<Value> = cond_consts.iter().chain(carry).copied().collect();
            Ok(this.scoped_region(cond, &cond_in)?[0])
        };
        // The test before the first iteration.
        let p0 = test(self, init)?;
        let pre_end = self.b.current_block();
        let (enter, _) = self.b.create_block(&[]);
        let (body_block, carry) = self.b.create_block(&tys);
        self.b.switch_to(enter);
        self.b.jump(body_block, init);
        // The body, then the test of the next iteration.
        self.b.switch_to(body_block);
        let body_in: Vec<Value> = body_consts.iter().chain(&carry).copied().collect();
        let next = self.scoped_region(body, &body_in)?;
        let p = test(self, &next)?;
        let latch = self.b.current_block();
        let (again, _) = self.b.create_block(&[]);
        let (leave, _) = self.b.create_block(&[]);
        let (skip, _) = self.b.create_block(&[]);
        let (exit, results) = self.b.create_block(&tys);
        self.b.switch_to(again);
        self.b.jump(body_block, &next);
        self.b.switch_to(leave);
        self.b.jump(exit, &next);
        self.b.switch_to(skip);
        self.b.jump(exit, init);
        self.b.switch_to(pre_end);
        self.b.branch(p0, enter, &[], skip, &[]);
        self.b.switch_to(latch);
        self.b.branch(p, again, &[], leave, &[]);
        self.b.switch_to(exit);
        Ok(results)
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
