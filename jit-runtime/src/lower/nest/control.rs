//! `scan`, `while` and `cond` in programs with arrays: their regions
//! lowered as loop nests (`Nests::region`) inside one loop or branch.
//!
//! Carries: a scalar carry is a value the loop carries (a block
//! parameter); an array carry lives in two scratch buffers that swap roles
//! each iteration, the body reading the carry from one and writing the next
//! into the other, their two pointers carried by the loop. A body result
//! that is not computed into the "next" buffer (a carry passed through, a
//! constant) is copied there, so the swap is always right.
//!
//! Dominance: `scan`'s loop is bottom-tested with at least one iteration
//! known (its body dominates what follows, as a nest's loops do); `while`
//! is tested at the top, and a `cond` branch runs or not, so code after
//! them must not reuse values made inside: literals the body or a branch
//! materialised are forgotten (`Lowering::literal_log`) and the nest caches
//! are reset (`Nests::begin_root`).

use super::Nests;
use crate::ir::{Eqn, Region, ValueId};
use crate::lower::{LowerError, mir_ty};
use crate::mir::{BinOp, Block, CmpOp, Ty, Value};

/// Which carries of a loop are scalars and which are arrays, and where
/// each sits among the loop's carried values: the scalars in order, then
/// two buffer pointers per array carry (current, next).
struct Carries {
    scalars: Vec<usize>,
    arrays: Vec<usize>,
}

impl<'a, 'g> Nests<'a, 'g> {
    /// The carried values of a loop starting from `init`: scalars as they
    /// are, each array copied into the first of two fresh buffers.
    fn carry_init(&mut self, init: &[ValueId]) -> Result<(Carries, Vec<Value>), LowerError> {
        let (scalars, arrays): (Vec<usize>, Vec<usize>) =
            (0..init.len()).partition(|&k| self.shape(init[k]).is_empty());
        let mut carried: Vec<Value> = scalars.iter().map(|&k| self.scalar(init[k])).collect();
        for &k in &arrays {
            let first = self.home(init[k], None);
            let second = self.home(init[k], None);
            self.begin_root();
            self.store_nest(init[k], first, |s, index| s.element(init[k], index))?;
            carried.extend([first, second]);
        }
        Ok((Carries { scalars, arrays }, carried))
    }

    /// Binds a region's carry inputs to the loop's carried values, and
    /// sets `homes[k]` of each array carry's result to its next buffer.
    fn bind_carry(
        &mut self,
        c: &Carries,
        inputs: &[ValueId],
        carried: &[Value],
        homes: Option<&mut [Option<Value>]>,
    ) {
        let (scalars, pointers) = carried.split_at(c.scalars.len());
        for (&k, &v) in c.scalars.iter().zip(scalars) {
            self.l.values[inputs[k].index()] = Some(v);
        }
        for (j, &k) in c.arrays.iter().enumerate() {
            self.bases[inputs[k].index()] = Some(pointers[2 * j]);
        }
        if let Some(homes) = homes {
            for (j, &k) in c.arrays.iter().enumerate() {
                homes[k] = Some(pointers[2 * j + 1]);
            }
        }
    }

    /// The carried values of the next iteration: the body's scalar
    /// results, and each array carry's buffers swapped.
    fn carry_next(&mut self, c: &Carries, results: &[ValueId], carried: &[Value]) -> Vec<Value> {
        let mut next: Vec<Value> = c.scalars.iter().map(|&k| self.scalar(results[k])).collect();
        for pair in carried[c.scalars.len()..].chunks(2) {
            next.extend([pair[1], pair[0]]);
        }
        next
    }

    /// Binds the loop's outputs `finals` to the carried values it left
    /// with, copying an array into its result buffer when it has one.
    fn carry_finish(
        &mut self,
        c: &Carries,
        finals: &[ValueId],
        carried: &[Value],
        homes: &[Option<Value>],
    ) -> Result<(), LowerError> {
        let (scalars, pointers) = carried.split_at(c.scalars.len());
        for (&k, &v) in c.scalars.iter().zip(scalars) {
            self.l.values[finals[k].index()] = Some(v);
        }
        for (j, &k) in c.arrays.iter().enumerate() {
            let last = finals[k];
            self.bases[last.index()] = Some(pointers[2 * j]);
            if let Some(home) = homes[k] {
                self.begin_root();
                self.store_nest(last, home, |s, index| s.element(last, index))?;
                self.bases[last.index()] = Some(home);
            }
        }
        Ok(())
    }

    /// Lowers `region` (inputs bound) in a scope: literals it makes are
    /// forgotten after it, and the nest caches reset.
    fn scoped_region(
        &mut self,
        region: &'g Region,
        homes: &[Option<Value>],
    ) -> Result<(), LowerError> {
        let mark = self.l.literal_log.len();
        let lowered = self.region(region, homes);
        for id in self.l.literal_log.drain(mark..) {
            self.l.values[id.index()] = None;
        }
        self.begin_root();
        lowered
    }

    /// `scan`: one loop of `length` iterations around the body's code.
    /// Each `x` is row `i` of its `xs`, read in place; each `y` is computed
    /// straight into row `i` of its stacked output.
    pub(super) fn scan(
        &mut self,
        eqn: &Eqn,
        body: &'g Region,
        length: usize,
        num_consts: usize,
        num_carry: usize,
        homes: &[Option<Value>],
    ) -> Result<(), LowerError> {
        let (consts, rest) = eqn.inputs.split_at(num_consts);
        let (init, xs) = rest.split_at(num_carry);
        let (finals, ys) = eqn.outputs.split_at(num_carry);
        let (body_consts, rest) = body.inputs.split_at(num_consts);
        let (body_carry, body_xs) = rest.split_at(num_carry);
        let (body_next, body_ys) = body.results.split_at(num_carry);
        for (&c, &inner) in consts.iter().zip(body_consts) {
            self.bind(inner, c);
        }
        let ys_bases: Vec<Value> = ys
            .iter()
            .zip(&homes[num_carry..])
            .map(|(&y, &home)| self.home(y, home))
            .collect();
        let (carries, carried) = self.carry_init(init)?;
        self.begin_root();
        let out = self.each(&[length], carried, &mut |s, i, carried| {
            let i = i[0];
            let mut body_homes = vec![None; body.results.len()];
            s.bind_carry(&carries, body_carry, &carried, Some(&mut body_homes));
            for (&x, &inner) in xs.iter().zip(body_xs) {
                let base = s.bases[x.index()].expect("scan operands are materialised");
                if s.shape(inner).is_empty() {
                    let v = s.l.b.load(mir_ty(s.dtype(inner)), base, i);
                    s.l.values[inner.index()] = Some(v);
                } else {
                    s.bases[inner.index()] = Some(s.row(base, i, inner));
                }
            }
            for (j, (&inner, &base)) in body_ys.iter().zip(&ys_bases).enumerate() {
                if !s.shape(inner).is_empty() {
                    body_homes[num_carry + j] = Some(s.row(base, i, inner));
                }
            }
            s.region(body, &body_homes)?;
            for (&inner, &base) in body_ys.iter().zip(&ys_bases) {
                if s.shape(inner).is_empty() {
                    let v = s.scalar(inner);
                    s.l.b.store(base, i, v);
                }
            }
            Ok(s.carry_next(&carries, body_next, &carried))
        })?;
        self.begin_root();
        self.carry_finish(&carries, finals, &out, &homes[..num_carry])?;
        for (&y, &base) in ys.iter().zip(&ys_bases) {
            self.bases[y.index()] = Some(base);
        }
        Ok(())
    }

    /// `while`: operands `cond_consts ++ body_consts ++ init`; tested at
    /// the top, the condition region lowered once in the loop header.
    ///
    /// ```text
    /// header(carried..): cond region; branch p, enter, leave
    /// enter:  body region; jump header(next..)
    /// leave:  jump exit(carried..)
    /// exit(finals..):
    /// ```
    pub(super) fn while_loop(
        &mut self,
        eqn: &Eqn,
        cond: &'g Region,
        body: &'g Region,
        cond_nconsts: usize,
        body_nconsts: usize,
        homes: &[Option<Value>],
    ) -> Result<(), LowerError> {
        let (cond_consts, rest) = eqn.inputs.split_at(cond_nconsts);
        let (body_consts, init) = rest.split_at(body_nconsts);
        let (cond_inner, cond_carry) = cond.inputs.split_at(cond_nconsts);
        let (body_inner, body_carry) = body.inputs.split_at(body_nconsts);
        for (&c, &inner) in cond_consts.iter().zip(cond_inner) {
            self.bind(inner, c);
        }
        for (&c, &inner) in body_consts.iter().zip(body_inner) {
            self.bind(inner, c);
        }
        let (carries, carried) = self.carry_init(init)?;
        self.begin_root();
        let tys: Vec<Ty> = carried.iter().map(|&v| self.l.b.ty(v)).collect();
        let (header, params) = self.l.b.create_block(&tys);
        self.l.b.jump(header, &carried);
        self.l.b.switch_to(header);
        // The header dominates the body and the exit: no scope needed.
        self.bind_carry(&carries, cond_carry, &params, None);
        self.region(cond, &[None])?;
        let p = self.scalar(cond.results[0]);
        let (enter, _) = self.l.b.create_block(&[]);
        let (leave, _) = self.l.b.create_block(&[]);
        let (exit, finals) = self.l.b.create_block(&tys);
        self.l.b.branch(p, enter, &[], leave, &[]);
        self.l.b.switch_to(leave);
        self.l.b.jump(exit, &params);
        self.l.b.switch_to(enter);
        self.begin_root();
        let mut body_homes = vec![None; body.results.len()];
        self.bind_carry(&carries, body_carry, &params, Some(&mut body_homes));
        self.scoped_region(body, &body_homes)?;
        let next = self.carry_next(&carries, &body.results, &params);
        self.l.b.jump(header, &next);
        self.l.b.switch_to(exit);
        self.carry_finish(&carries, &eqn.outputs, &finals, homes)
    }

    /// `cond`: operands `index ++ args`; a chain of `index <= k` tests, as
    /// the scalar lowering (`lower/control.rs`). Array results are computed
    /// by whichever branch runs into one buffer each; scalar results are
    /// the join block's parameters.
    pub(super) fn cond(
        &mut self,
        eqn: &Eqn,
        branches: &'g [Region],
        homes: &[Option<Value>],
    ) -> Result<(), LowerError> {
        let index = self.scalar(eqn.inputs[0]);
        let operands = &eqn.inputs[1..];
        let outs = &eqn.outputs;
        let out_homes: Vec<Option<Value>> = outs
            .iter()
            .zip(homes)
            .map(|(&o, &h)| (!self.shape(o).is_empty()).then(|| self.home(o, h)))
            .collect();
        let scalar_outs: Vec<usize> = (0..outs.len())
            .filter(|&k| out_homes[k].is_none())
            .collect();
        let tys: Vec<Ty> = scalar_outs
            .iter()
            .map(|&k| mir_ty(self.dtype(outs[k])))
            .collect();
        self.begin_root();
        let (join, results) = self.l.b.create_block(&tys);
        let last = branches.len() - 1;
        for (k, branch) in branches.iter().enumerate() {
            if k < last {
                let bound = self.l.b.iconst(Ty::I32, k as i64);
                let here = self.l.b.cmp(CmpOp::Le, index, bound);
                let (taken, _) = self.l.b.create_block(&[]);
                let (next_test, _) = self.l.b.create_block(&[]);
                self.l.b.branch(here, taken, &[], next_test, &[]);
                self.l.b.switch_to(taken);
                self.branch(branch, operands, &out_homes, &scalar_outs, join)?;
                self.l.b.switch_to(next_test);
            } else {
                self.branch(branch, operands, &out_homes, &scalar_outs, join)?;
            }
        }
        self.l.b.switch_to(join);
        for (&k, v) in scalar_outs.iter().zip(results) {
            self.l.values[outs[k].index()] = Some(v);
        }
        for (&o, home) in outs.iter().zip(out_homes) {
            if let Some(home) = home {
                self.bases[o.index()] = Some(home);
            }
        }
        Ok(())
    }

    /// One branch of a `cond`: its region on `operands`, then a jump to
    /// `join` with its scalar results.
    fn branch(
        &mut self,
        branch: &'g Region,
        operands: &[ValueId],
        homes: &[Option<Value>],
        scalar_outs: &[usize],
        join: Block,
    ) -> Result<(), LowerError> {
        for (&x, &inner) in operands.iter().zip(&branch.inputs) {
            self.bind(inner, x);
        }
        let mark = self.l.literal_log.len();
        self.region(branch, homes)?;
        let results: Vec<Value> = scalar_outs
            .iter()
            .map(|&k| self.scalar(branch.results[k]))
            .collect();
        self.l.b.jump(join, &results);
        for id in self.l.literal_log.drain(mark..) {
            self.l.values[id.index()] = None;
        }
        self.begin_root();
        Ok(())
    }

    /// Makes the region input `inner` stand for the outer value `outer`.
    pub(super) fn bind(&mut self, inner: ValueId, outer: ValueId) {
        if self.shape(outer).is_empty() {
            let v = self.scalar(outer);
            self.l.values[inner.index()] = Some(v);
        } else {
            self.bases[inner.index()] = self.bases[outer.index()];
        }
    }

    /// The address of row `i` (of `row`'s shape) of the buffer `base`.
    fn row(&mut self, base: Value, i: Value, row: ValueId) -> Value {
        let elements: usize = self.shape(row).iter().product();
        let bytes = self.constant(elements * self.dtype(row).size_of());
        let offset = self.l.b.binary(BinOp::Mul, i, bytes);
        self.l.b.binary(BinOp::Add, base, offset)
    }
}
