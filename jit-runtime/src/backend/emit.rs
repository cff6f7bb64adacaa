//! The shared emitter: one MIR instruction, or one regalloc2 move, at a
//! time, on any [`MacroAssembler`].
//!
//! Terms:
//! - *allocs*: one allocation per operand `operands.rs` gave the
//!   instruction, in that order (uses, then defs).
//! - *next*: the block laid out after the current one, so that a jump to it
//!   is left out and a branch falls through into it.
//! - *flags*: the integer compare whose flags are still live: set by an
//!   integer `Cmp`, cleared by the next instruction, a block start, and (on
//!   an ISA without [`MacroAssembler::MOVES_KEEP_FLAGS`]) a move, so that a
//!   `Branch` on its result right after it jumps on the flags (`cmp; jl`).
//! - *call slots*: the outgoing area at `[sp]` a helper call uses: its
//!   arguments, then its results, then the two pinned registers saved
//!   across it (see [`call_slots`]). Float remainder is such a call, of
//!   [`helpers::fmod`].
//!
//! Invariant: a fused compare (see `operands.rs`) reaches its branch with
//! its flags live: only moves come between them, and an ISA that fuses
//! keeps the flags across moves. The branch asserts it, since it has no
//! `bool` to fall back on.

use dynasmrt::DynamicLabel;
use regalloc2::{Allocation, RegClass};

use super::masm::{IntCond, MacroAssembler};
use super::operands::Operands;
use super::{CompileError, Frame, helpers};
use crate::exec::CompiledCode;
use crate::mir::{BinOp, Block, Function, Helper, Inst, Ty, Value};

/// 8-byte slots of the outgoing call area `inst` needs under `rules` (0
/// unless it calls a helper).
pub(super) fn call_slots(inst: &Inst, rules: &Operands) -> usize {
    match inst {
        // Arguments, results, and the two pinned registers saved across the call.
        Inst::Call { args, rets, .. } => args.len() + rets.len() + 2,
        Inst::Binary {
            op: BinOp::Rem,
            ty: Ty::F32 | Ty::F64,
            ..
        } => 3 + 2,
        // A fused multiply-add is a call where the ISA has no instruction.
        Inst::Fma { ty, .. } if !rules.has_fma() && !ty.is_vector() => 4 + 2,
        _ => 0,
    }
}

/// The hardware number of a register allocation.
fn reg(a: Allocation) -> u8 {
    a.as_reg()
        .expect("operand constrained to a register")
        .hw_enc() as u8
}

/// Emits one function through `masm`.
pub(super) struct Emitter<'a, M> {
    masm: M,
    func: &'a Function,
    rules: &'a Operands,
    frame: Frame,
    /// Per block, its label once made.
    labels: Vec<DynamicLabel>,
    flags: Option<(Value, IntCond)>,
}

impl<'a, M: MacroAssembler> Emitter<'a, M> {
    /// Emit the prologue of `frame` and get ready for the blocks of `func`.
    pub(super) fn new(mut masm: M, func: &'a Function, rules: &'a Operands, frame: Frame) -> Self {
        masm.prologue(&frame);
        Emitter {
            masm,
            func,
            rules,
            frame,
            labels: Vec::new(),
            flags: None,
        }
    }

    /// Resolve labels and map the code executable.
    pub(super) fn finish(self) -> Result<CompiledCode, CompileError> {
        self.masm.finish()
    }

    fn label(&mut self, block: Block) -> DynamicLabel {
        while self.labels.len() <= block.index() {
            let l = self.masm.new_label();
            self.labels.push(l);
        }
        self.labels[block.index()]
    }

    /// No 256-bit value is live here: let the ISA clear the upper halves
    /// (see `upper.rs`).
    pub(super) fn wide_dead(&mut self) {
        self.masm.vec_wide_dead();
    }

    /// Whether a 256-bit value may be live in what follows (see `upper.rs`).
    pub(super) fn wide_live(&mut self, live: bool) {
        self.masm.vec_wide_live(live);
    }

    /// Mark the start of `block` (a branch target).
    pub(super) fn bind_block(&mut self, block: Block) {
        self.flags = None;
        let l = self.label(block);
        self.masm.bind(l);
    }

    /// Emit one MIR instruction with its allocations.
    pub(super) fn inst(&mut self, inst: &Inst, allocs: &[Allocation], next: Option<Block>) {
        let flags = self.flags.take();
        let func = self.func;
        let m = &mut self.masm;
        match inst {
            Inst::Const { dst, bits } => {
                let ty = func.ty(*dst);
                if ty.is_float() {
                    m.float_imm(reg(allocs[0]), ty == Ty::F64, *bits);
                } else {
                    m.mov_imm(reg(allocs[0]), *bits);
                }
            }
            Inst::Arg { dst, slot } => m.load_arg(func.ty(*dst), reg(allocs[0]), *slot),
            Inst::StoreResult { src, slot } => m.store_result(func.ty(*src), reg(allocs[0]), *slot),
            Inst::Unary { op, ty, .. } if ty.is_vector() => {
                m.vec_unary(*op, *ty, reg(allocs[1]), reg(allocs[0]))
            }
            Inst::Binary { op, ty, .. } if ty.is_vector() && allocs[1].is_stack() => {
                let off = self.frame.spill_offset(allocs[1]);
                m.vec_binary_slot(*op, *ty, reg(allocs[2]), reg(allocs[0]), off);
            }
            Inst::Binary { op, ty, .. } if ty.is_vector() => {
                let (a, b, d) = (reg(allocs[0]), reg(allocs[1]), reg(allocs[2]));
                m.vec_binary(*op, *ty, d, a, b);
            }
            Inst::Cmp { op, ty, .. } if ty.is_vector() => {
                let (a, b, d) = (reg(allocs[0]), reg(allocs[1]), reg(allocs[2]));
                m.vec_cmp(*op, *ty, d, a, b);
            }
            Inst::Select { ty, .. } if ty.is_vector() => {
                let (c, t, f, d) = (
                    reg(allocs[0]),
                    reg(allocs[1]),
                    reg(allocs[2]),
                    reg(allocs[3]),
                );
                m.vec_select(*ty, d, c, t, f);
            }
            Inst::Splat { ty, .. } => m.vec_splat(*ty, reg(allocs[1]), reg(allocs[0])),
            Inst::Bitcast { to, .. } if to.is_vector() => m.mov_fpr(reg(allocs[1]), reg(allocs[0])),
            Inst::ShiftImm { op, ty, amount, .. } => {
                m.vec_shift_imm(*op, *ty, reg(allocs[1]), reg(allocs[0]), *amount)
            }
            Inst::Widen { half, src, .. } => {
                m.vec_widen(func.ty(*src), *half, reg(allocs[1]), reg(allocs[0]))
            }
            Inst::Narrow { src, .. } => m.vec_narrow(func.ty(*src), reg(allocs[1]), reg(allocs[0])),
            Inst::ConcatLow { dst, .. } => m.vec_concat_low(
                func.ty(*dst),
                reg(allocs[2]),
                reg(allocs[0]),
                reg(allocs[1]),
            ),
            Inst::Permute { .. } if allocs[0].is_stack() => {
                let off = self.frame.spill_offset(allocs[0]);
                m.vec_permute_slot(reg(allocs[2]), off, reg(allocs[1]));
            }
            Inst::Permute { .. } => m.vec_permute(reg(allocs[2]), reg(allocs[0]), reg(allocs[1])),
            Inst::ByteTable { .. } => {
                m.vec_byte_table(reg(allocs[2]), reg(allocs[0]), reg(allocs[1]))
            }
            Inst::ByteTableInto { .. } => m.vec_byte_table_into(
                reg(allocs[3]),
                reg(allocs[0]),
                reg(allocs[1]),
                reg(allocs[2]),
            ),
            Inst::AnyLane { src, .. } => {
                m.vec_any_lane(func.ty(*src), reg(allocs[1]), reg(allocs[0]))
            }
            Inst::VectorLoad { ty, offset, .. } => {
                m.vec_load(*ty, reg(allocs[1]), reg(allocs[0]), *offset)
            }
            Inst::VectorStore { ty, offset, .. } => {
                m.vec_store(*ty, reg(allocs[0]), *offset, reg(allocs[1]))
            }
            Inst::ExtractLane { ty, lane, .. } => {
                m.vec_extract_lane(*ty, reg(allocs[1]), reg(allocs[0]), *lane)
            }
            Inst::InsertLane { ty, lane, .. } => {
                m.vec_insert_lane(*ty, reg(allocs[2]), reg(allocs[0]), reg(allocs[1]), *lane)
            }
            Inst::ReduceLanes { op, ty, .. } => {
                m.vec_reduce(*op, *ty, reg(allocs[1]), reg(allocs[0]))
            }
            Inst::Unary { op, ty, .. } => {
                let (s, d) = (reg(allocs[0]), reg(allocs[1]));
                if ty.is_float() {
                    m.float_unary(*op, *ty == Ty::F64, d, s);
                } else {
                    m.int_unary(*op, *ty, d, s);
                }
            }
            Inst::Binary { op, ty, .. } if ty.is_float() && *op == BinOp::Rem => {
                let helper = helpers::fmod(*ty == Ty::F64);
                self.call(helper, &[*ty, *ty], &allocs[..2], &[*ty], &allocs[2..]);
            }
            Inst::Binary { op, ty, .. } => {
                let (a, b, d) = (reg(allocs[0]), reg(allocs[1]), reg(allocs[2]));
                if ty.is_float() {
                    m.float_binary(*op, *ty == Ty::F64, d, a, b);
                } else {
                    m.int_binary(*op, *ty, d, a, b);
                }
            }
            Inst::Cmp { op, ty, dst, .. } => {
                let (a, b) = (reg(allocs[0]), reg(allocs[1]));
                if self.rules.is_fused(*dst) {
                    m.int_cmp_flags(*ty, a, b);
                    self.flags = Some((*dst, IntCond::of(*op, *ty)));
                } else if ty.is_float() {
                    m.float_cmp(*op, *ty == Ty::F64, reg(allocs[2]), a, b);
                } else {
                    m.int_cmp(*op, *ty, reg(allocs[2]), a, b);
                    self.flags = Some((*dst, IntCond::of(*op, *ty)));
                }
            }
            Inst::Select { ty, .. } => {
                let (c, t, f, d) = (
                    reg(allocs[0]),
                    reg(allocs[1]),
                    reg(allocs[2]),
                    reg(allocs[3]),
                );
                if ty.is_float() {
                    m.float_select(d, c, t, f);
                } else {
                    m.int_select(d, c, t, f);
                }
            }
            // ---- vector fma ----
            Inst::Fma { ty, .. } if ty.is_vector() => {
                assert!(
                    self.rules.has_fma(),
                    "a vector fma.{ty} reached a target without FMA instructions; \
                     build it with `Builder::fma_lanes` (see `mir::Inst::Fma`)"
                );
                let d = reg(allocs[3]);
                let slot = |k: usize| self.frame.spill_offset(allocs[k]);
                // At most one operand is in a slot (`operands.rs`).
                if allocs[2].is_stack() {
                    m.vec_fma_slot(*ty, d, reg(allocs[0]), reg(allocs[1]), slot(2));
                } else if allocs[1].is_stack() {
                    m.vec_fma_factor_slot(*ty, d, reg(allocs[0]), reg(allocs[2]), slot(1));
                } else if allocs[0].is_stack() {
                    m.vec_fma_factor_slot(*ty, d, reg(allocs[1]), reg(allocs[2]), slot(0));
                } else {
                    m.vec_fma(*ty, d, reg(allocs[0]), reg(allocs[1]), reg(allocs[2]));
                }
            }
            Inst::Fma { ty, .. } if self.rules.has_fma() => {
                let (a, b, c, d) = (
                    reg(allocs[0]),
                    reg(allocs[1]),
                    reg(allocs[2]),
                    reg(allocs[3]),
                );
                m.float_fma(*ty == Ty::F64, d, a, b, c);
            }
            Inst::Fma { ty, .. } => {
                let helper = helpers::fma(*ty == Ty::F64);
                self.call(helper, &[*ty; 3], &allocs[..3], &[*ty], &allocs[3..]);
            }
            Inst::Convert { from, to, .. } => m.convert(*from, *to, reg(allocs[1]), reg(allocs[0])),
            Inst::Bitcast { from, to, .. } => m.bitcast(*from, *to, reg(allocs[1]), reg(allocs[0])),
            Inst::Load { ty, .. } => {
                m.load_element(*ty, reg(allocs[2]), reg(allocs[0]), reg(allocs[1]))
            }
            Inst::Store { ty, .. } => {
                m.store_element(*ty, reg(allocs[0]), reg(allocs[1]), reg(allocs[2]))
            }
            Inst::Call { helper, args, rets } => {
                let arg_tys: Vec<Ty> = args.iter().map(|v| func.ty(*v)).collect();
                let ret_tys: Vec<Ty> = rets.iter().map(|v| func.ty(*v)).collect();
                let (a, r) = allocs.split_at(args.len());
                self.call(*helper, &arg_tys, a, &ret_tys, r);
            }
            Inst::Jump { dest } => {
                if Some(dest.block) != next {
                    let l = self.label(dest.block);
                    self.masm.jump(l);
                }
            }
            Inst::Branch {
                cond,
                then,
                otherwise,
            } => {
                let (lt, le) = (self.label(then.block), self.label(otherwise.block));
                let m = &mut self.masm;
                match flags {
                    Some((v, cc)) if v == *cond => {
                        if Some(then.block) == next {
                            m.jump_if(cc.inverse(), le);
                            return;
                        }
                        m.jump_if(cc, lt);
                    }
                    _ => {
                        assert!(!self.rules.is_fused(*cond), "fused compare lost its flags");
                        let c = reg(allocs[0]);
                        if Some(then.block) == next {
                            // Fall through into `then` (a loop body after its header).
                            m.jump_if_bool(c, false, le);
                            return;
                        }
                        m.jump_if_bool(c, true, lt);
                    }
                }
                if Some(otherwise.block) != next {
                    m.jump(le);
                }
            }
            Inst::Return => m.epilogue(),
        }
    }

    /// One regalloc2 move: register to register, spill or reload.
    pub(super) fn edit(&mut self, from: Allocation, to: Allocation) {
        if !M::MOVES_KEEP_FLAGS {
            self.flags = None;
        }
        let m = &mut self.masm;
        match (from.as_reg(), to.as_reg()) {
            (Some(f), Some(t)) => match f.class() {
                RegClass::Float => m.mov_fpr(t.hw_enc() as u8, f.hw_enc() as u8),
                _ => m.mov_gpr(t.hw_enc() as u8, f.hw_enc() as u8),
            },
            (Some(f), None) => {
                let off = self.frame.spill_offset(to);
                match f.class() {
                    RegClass::Float => m.store_fpr(off, f.hw_enc() as u8),
                    _ => m.store_gpr(off, f.hw_enc() as u8),
                }
            }
            (None, Some(t)) => {
                let off = self.frame.spill_offset(from);
                match t.class() {
                    RegClass::Float => m.load_fpr(t.hw_enc() as u8, off),
                    _ => m.load_gpr(t.hw_enc() as u8, off),
                }
            }
            (None, None) => {
                let (src, dst) = (self.frame.spill_offset(from), self.frame.spill_offset(to));
                m.load_gpr(M::SCRATCH, src);
                m.store_gpr(dst, M::SCRATCH);
            }
        }
    }

    /// Call `helper` with the given argument values and result locations:
    /// arguments into the call slots, the pinned registers saved after the
    /// results, the call, the pinned registers back, the results out.
    fn call(
        &mut self,
        helper: Helper,
        arg_tys: &[Ty],
        args: &[Allocation],
        ret_tys: &[Ty],
        rets: &[Allocation],
    ) {
        for (i, (&ty, &a)) in arg_tys.iter().zip(args).enumerate() {
            self.store_call_slot(ty, a, 8 * i as u32);
        }
        let results_off = 8 * args.len() as u32;
        let pinned_off = results_off + 8 * rets.len() as u32;
        let m = &mut self.masm;
        m.store_gpr(pinned_off, M::ARGS);
        m.store_gpr(pinned_off + 8, M::RESULTS);
        m.call_helper(helper, results_off);
        m.load_gpr(M::ARGS, pinned_off);
        m.load_gpr(M::RESULTS, pinned_off + 8);
        for (j, (&ty, &a)) in ret_tys.iter().zip(rets).enumerate() {
            self.load_call_slot(ty, a, results_off + 8 * j as u32);
        }
    }

    /// Put the value of type `ty` at `a` into `[sp + off]`, zero-extended to 64 bits.
    fn store_call_slot(&mut self, ty: Ty, a: Allocation, off: u32) {
        let m = &mut self.masm;
        match (a.as_reg().map(|r| r.hw_enc() as u8), ty) {
            (Some(r), Ty::F32) => m.store_f32_slot(off, r),
            (Some(r), Ty::F64) => m.store_fpr64(off, r),
            (Some(r), _) => m.store_gpr(off, r),
            (None, _) => {
                let src = self.frame.spill_offset(a);
                if ty.bits() == 32 {
                    m.load_gpr32(M::SCRATCH, src);
                } else {
                    m.load_gpr(M::SCRATCH, src);
                }
                m.store_gpr(off, M::SCRATCH);
            }
        }
    }

    /// Read the value of type `ty` at `[sp + off]` into `a`.
    fn load_call_slot(&mut self, ty: Ty, a: Allocation, off: u32) {
        let m = &mut self.masm;
        let Some(r) = a.as_reg().map(|r| r.hw_enc() as u8) else {
            match ty {
                Ty::I64 | Ty::F64 => m.load_gpr(M::SCRATCH, off),
                _ => m.load_gpr32(M::SCRATCH, off),
            }
            if ty == Ty::Bool {
                m.mask_bool(M::SCRATCH);
            }
            m.store_gpr(self.frame.spill_offset(a), M::SCRATCH);
            return;
        };
        match ty {
            Ty::F32 => m.load_fpr32(r, off),
            Ty::F64 => m.load_fpr64(r, off),
            Ty::I64 => m.load_gpr(r, off),
            Ty::I32 | Ty::U32 | Ty::Bool => m.load_gpr32(r, off),
            Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => {
                unreachable!("helpers take no vectors")
            }
        }
        if ty == Ty::Bool {
            m.mask_bool(r);
        }
    }
}
