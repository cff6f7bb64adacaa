//! regalloc2 constraints of each MIR instruction on AArch64.
//!
//! Terms: plain instructions take every operand in a register (`reg_use`
//! early, `reg_def` late, so a result may share a register with an operand
//! that dies there; the emitters allow that). Calls to helpers (and float
//! remainder, which is one) take operands anywhere, define results anywhere,
//! and clobber every caller-saved allocatable register.
//!
//! Invariant: the operand order here is the order `A64Backend::emit_inst`
//! reads allocations in: uses first, then defs.

use regalloc2::{Operand, PRegSet};

use super::A64Backend;
use super::regs::call_clobbers;
use crate::mir::regalloc::{OperandRules, vreg};
use crate::mir::{BinOp, Function, Inst, Ty};

impl OperandRules for A64Backend {
    fn operands(&self, func: &Function, inst: &Inst, out: &mut Vec<Operand>) -> PRegSet {
        let use_ = |out: &mut Vec<Operand>, v| out.push(Operand::reg_use(vreg(func, v)));
        let def = |out: &mut Vec<Operand>, v| out.push(Operand::reg_def(vreg(func, v)));
        match inst {
            Inst::Const { dst, .. } | Inst::Arg { dst, .. } => def(out, *dst),
            Inst::StoreResult { src, .. } => use_(out, *src),
            Inst::Unary { dst, src, .. }
            | Inst::Convert { dst, src, .. }
            | Inst::Bitcast { dst, src, .. } => {
                use_(out, *src);
                def(out, *dst);
            }
            Inst::Binary {
                op: BinOp::Rem,
                ty: Ty::F32 | Ty::F64,
                dst,
                lhs,
                rhs,
            } => {
                out.push(Operand::any_use(vreg(func, *lhs)));
                out.push(Operand::any_use(vreg(func, *rhs)));
                out.push(Operand::any_def(vreg(func, *dst)));
                return call_clobbers();
            }
            Inst::Binary { dst, lhs, rhs, .. } | Inst::Cmp { dst, lhs, rhs, .. } => {
                use_(out, *lhs);
                use_(out, *rhs);
                def(out, *dst);
            }
            Inst::Select {
                dst,
                cond,
                if_true,
                if_false,
                ..
            } => {
                use_(out, *cond);
                use_(out, *if_true);
                use_(out, *if_false);
                def(out, *dst);
            }
            Inst::Call { args, rets, .. } => {
                out.extend(args.iter().map(|v| Operand::any_use(vreg(func, *v))));
                out.extend(rets.iter().map(|v| Operand::any_def(vreg(func, *v))));
                return call_clobbers();
            }
            Inst::Branch { cond, .. } => use_(out, *cond),
            Inst::Jump { .. } | Inst::Return => {}
        }
        PRegSet::empty()
    }
}
