//! regalloc2 constraints of each MIR instruction, for every ISA.
//!
//! Terms: plain instructions take every operand in a register (`reg_use`
//! early, `reg_def` late, so a result may share a register with an operand
//! that dies there; every [`MacroAssembler`] operation allows that). Calls
//! to helpers (and float remainder, which is one) take operands anywhere,
//! define results anywhere, and clobber the ISA's
//! [`Registers::call_clobbers`](super::masm::Registers::call_clobbers). A *fused* compare, on an ISA with
//! [`MacroAssembler::FUSES_BRANCH_COMPARES`], is an integer compare whose
//! only use is the branch right after it: it defines nothing (the branch
//! jumps on its flags) and that branch takes no operand.
//!
//! Where the ISA reads a spilled vector from its slot
//! (`Vector::vec_slot_operands`), the second operand of a vector `Binary`
//! of those ops and the addend of a vector `Fma` may be anywhere
//! (`any_use`); `emit.rs` gives a stack allocation to the slot forms.
//!
//! Invariant: the operand order here is the order `emit.rs` reads
//! allocations in: uses first, then defs.

use regalloc2::{Operand, PRegSet};

use super::masm::MacroAssembler;
use crate::mir::regalloc::{OperandRules, vreg};
use crate::mir::{BinOp, Function, Inst, Ty, Value};

/// The operand rules of one function on one ISA.
pub(super) struct Operands {
    /// Per value: whether it is the result of a fused compare (empty when
    /// the ISA fuses none).
    fused: Vec<bool>,
    clobbers: PRegSet,
    /// Whether `Fma` is an instruction (else a helper call).
    fma: bool,
    /// The vector types whose `Binary` second operand and `Fma` addend
    /// may stay in a spill slot (`Vector::vec_slot_operands`), by
    /// `SLOT_TYPES` index.
    slot_operands: [bool; 3],
    /// Per value: whether a `Splat` defines it (a loop's hoisted constant,
    /// mostly): the fma factor left in a slot when the addend is not one.
    splat: Vec<bool>,
}

/// The vector types [`Operands`] asks about operands in spill slots.
const SLOT_TYPES: [Ty; 3] = [Ty::F32x8, Ty::F64x4, Ty::I64x4];

/// Per value of `func`: whether a `Splat` defines it.
fn splats(func: &Function) -> Vec<bool> {
    let mut splat = vec![false; func.values.len()];
    for inst in &func.insts {
        if let Inst::Splat { dst, .. } = inst {
            splat[dst.index()] = true;
        }
    }
    splat
}

/// Ops whose second operand may be read from a spill slot.
fn slot_op(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::And | BinOp::Or | BinOp::Xor
    )
}

impl Operands {
    /// The rules of `func` on the ISA of `masm`.
    pub(super) fn new<M: MacroAssembler>(masm: &M, func: &Function) -> Self {
        let mut fused = Vec::new();
        if M::FUSES_BRANCH_COMPARES {
            fused = func.branch_only_cmps();
            // Float compares have no single flag to branch on (NaN).
            for inst in &func.insts {
                if let Inst::Cmp { ty, dst, .. } = inst
                    && ty.is_float()
                {
                    fused[dst.index()] = false;
                }
            }
        }
        Operands {
            fused,
            clobbers: masm.registers().call_clobbers,
            fma: masm.has_fma(),
            slot_operands: SLOT_TYPES.map(|ty| masm.vec_slot_operands(ty)),
            splat: splats(func),
        }
    }

    fn is_splat(&self, v: Value) -> bool {
        self.splat.get(v.index()).copied().unwrap_or(false)
    }

    /// Whether an operand of vector type `ty` may stay in its spill slot
    /// where [`slot_op`] and the vector fma's addend allow it.
    pub(super) fn slot_operand(&self, ty: Ty) -> bool {
        SLOT_TYPES
            .iter()
            .zip(self.slot_operands)
            .any(|(&t, ok)| t == ty && ok)
    }

    /// Whether `v` is the result of a compare fused into the branch after it.
    pub(super) fn is_fused(&self, v: Value) -> bool {
        self.fused.get(v.index()).copied().unwrap_or(false)
    }

    /// Whether `Fma` is one instruction here (else a call of `helpers::fma`).
    pub(super) fn has_fma(&self) -> bool {
        self.fma
    }
}

impl OperandRules for Operands {
    fn operands(&self, func: &Function, inst: &Inst, out: &mut Vec<Operand>) -> PRegSet {
        let use_ = |out: &mut Vec<Operand>, v| out.push(Operand::reg_use(vreg(func, v)));
        let def = |out: &mut Vec<Operand>, v| out.push(Operand::reg_def(vreg(func, v)));
        match inst {
            Inst::Const { dst, .. } | Inst::Arg { dst, .. } => def(out, *dst),
            Inst::StoreResult { src, .. } => use_(out, *src),
            Inst::Unary { dst, src, .. }
            | Inst::Splat { dst, src, .. }
            | Inst::ReduceLanes { dst, src, .. }
            | Inst::ShiftImm { dst, src, .. }
            | Inst::Widen { dst, src, .. }
            | Inst::Narrow { dst, src, .. }
            | Inst::AnyLane { dst, src, .. }
            | Inst::ExtractLane { dst, src, .. }
            | Inst::VectorLoad { dst, base: src, .. }
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
                return self.clobbers;
            }
            // The same value twice stays in a register (one constraint).
            Inst::Binary {
                op,
                ty,
                dst,
                lhs,
                rhs,
            } if slot_op(*op) && self.slot_operand(*ty) && lhs != rhs => {
                use_(out, *lhs);
                out.push(Operand::any_use(vreg(func, *rhs)));
                def(out, *dst);
            }
            // `vpermps`'s table may be read from memory.
            Inst::Permute { dst, table, idx } => {
                if self.slot_operand(Ty::F32x8) && table != idx {
                    out.push(Operand::any_use(vreg(func, *table)));
                } else {
                    use_(out, *table);
                }
                use_(out, *idx);
                def(out, *dst);
            }
            Inst::Cmp { dst, lhs, rhs, .. } if self.is_fused(*dst) => {
                use_(out, *lhs);
                use_(out, *rhs);
            }
            Inst::Binary { dst, lhs, rhs, .. }
            | Inst::Cmp { dst, lhs, rhs, .. }
            | Inst::ConcatLow {
                dst,
                lo: lhs,
                hi: rhs,
            }
            | Inst::InsertLane {
                dst,
                src: lhs,
                value: rhs,
                ..
            }
            | Inst::ByteTable {
                dst,
                table: lhs,
                bytes: rhs,
            } => {
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
            }
            | Inst::ByteTableInto {
                dst,
                acc: cond,
                table: if_true,
                bytes: if_false,
            } => {
                use_(out, *cond);
                use_(out, *if_true);
                use_(out, *if_false);
                def(out, *dst);
            }
            // One operand of a vector fma may stay in its slot: the addend,
            // or a splat factor where the addend is no splat.
            Inst::Fma {
                ty, dst, a, b, c, ..
            } if self.slot_operand(*ty) && c != a && c != b => {
                let factor = if self.is_splat(*c) {
                    None
                } else if self.is_splat(*b) && a != b {
                    Some(1)
                } else if self.is_splat(*a) && a != b {
                    Some(0)
                } else {
                    None
                };
                for (k, v) in [a, b, c].into_iter().enumerate() {
                    if factor.unwrap_or(2) == k {
                        out.push(Operand::any_use(vreg(func, *v)));
                    } else {
                        use_(out, *v);
                    }
                }
                def(out, *dst);
            }
            // A vector fma is always an instruction (see `mir::Inst::Fma`).
            Inst::Fma {
                ty, dst, a, b, c, ..
            } if self.fma || ty.is_vector() => {
                use_(out, *a);
                use_(out, *b);
                use_(out, *c);
                def(out, *dst);
            }
            Inst::Fma { dst, a, b, c, .. } => {
                for v in [a, b, c] {
                    out.push(Operand::any_use(vreg(func, *v)));
                }
                out.push(Operand::any_def(vreg(func, *dst)));
                return self.clobbers;
            }
            Inst::Load {
                dst, base, index, ..
            } => {
                use_(out, *base);
                use_(out, *index);
                def(out, *dst);
            }
            Inst::Store {
                base, index, value, ..
            } => {
                use_(out, *base);
                use_(out, *index);
                use_(out, *value);
            }
            Inst::VectorStore { base, value, .. } => {
                use_(out, *base);
                use_(out, *value);
            }
            Inst::Call { args, rets, .. } => {
                out.extend(args.iter().map(|v| Operand::any_use(vreg(func, *v))));
                out.extend(rets.iter().map(|v| Operand::any_def(vreg(func, *v))));
                return self.clobbers;
            }
            Inst::Branch { cond, .. } if self.is_fused(*cond) => {}
            Inst::Branch { cond, .. } => use_(out, *cond),
            Inst::Jump { .. } | Inst::Return => {}
        }
        PRegSet::empty()
    }
}
