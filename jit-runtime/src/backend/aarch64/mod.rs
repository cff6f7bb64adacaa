//! The AArch64 backend (AAPCS64, NEON scalar instructions), written with `dynasm!`.
//!
//! Code map (the same names as `x64/`): `asm.rs` (the `dynasm!` wrapper and
//! basic moves), `regs.rs` (register roles and the regalloc2 environment),
//! `abi.rs` (frame, prologue/epilogue, moves and spills, helper calls),
//! `operands.rs` (regalloc2 constraints per instruction), `int.rs`,
//! `float.rs`, `convert.rs` (one MIR instruction -> machine instructions),
//! `tests/` (encodings, checked byte for byte on any host).
//!
//! Terms: AArch64 has one ISA level here (the base architecture with its
//! mandatory FP/NEON); [`IsaLevel`](super::IsaLevel) changes nothing. Each
//! MIR instruction expands to a short sequence that may use the scratch
//! registers of `regs.rs` and local labels.
//!
//! Invariant: sequences are correct for any assignment of their operands to
//! registers, including a destination equal to a source (every instruction
//! has separate destination and source fields, and sequences write their
//! destination last).

#[macro_use]
#[expect(
    clippy::useless_conversion,
    reason = "dynasm! turns each run-time register number into a register with `.into()`, even when it already is a `u8`"
)]
mod asm;
#[expect(
    clippy::useless_conversion,
    reason = "dynasm! turns each run-time register number into a register with `.into()`, even when it already is a `u8`"
)]
mod abi;
#[expect(
    clippy::useless_conversion,
    reason = "dynasm! turns each run-time register number into a register with `.into()`, even when it already is a `u8`"
)]
mod convert;
#[expect(
    clippy::useless_conversion,
    reason = "dynasm! turns each run-time register number into a register with `.into()`, even when it already is a `u8`"
)]
mod float;
#[expect(
    clippy::useless_conversion,
    reason = "dynasm! turns each run-time register number into a register with `.into()`, even when it already is a `u8`"
)]
mod int;
mod operands;
mod regs;
#[cfg(test)]
mod tests;

use dynasmrt::aarch64::Aarch64Relocation;
use dynasmrt::{DynamicLabel, DynasmApi, DynasmLabelApi, VecAssembler};
use regalloc2::{Allocation, MachineEnv, PReg};

use super::{Backend, CompileError, Frame};
use crate::exec::CompiledCode;
use crate::mir::{Block, Function, Inst, Ty};
use int::Cond;

/// Emits AArch64 machine code for one function.
pub struct A64Backend {
    ops: VecAssembler<Aarch64Relocation>,
    env: MachineEnv,
    labels: Vec<DynamicLabel>,
    frame: Frame,
    /// Bytes `sp` is lowered by in the prologue.
    frame_bytes: u32,
    /// The integer comparison whose flags are still live: set by a `Cmp`,
    /// cleared by anything emitted after it, so that a `Branch` on its
    /// result right after it branches on the flags (`cmp; b.lt`).
    flags_of: Option<(crate::mir::Value, Cond)>,
}

impl Default for A64Backend {
    fn default() -> Self {
        Self::new()
    }
}

impl A64Backend {
    /// A backend emitting base AArch64 code.
    pub fn new() -> Self {
        A64Backend {
            // Room for a few hundred instructions without regrowing.
            ops: VecAssembler::new_with_capacity(0, 4096, 8, 0, 16, 8, 16),
            env: regs::machine_env(),
            labels: Vec::new(),
            frame: Frame::default(),
            frame_bytes: 0,
            flags_of: None,
        }
    }

    fn label(&mut self, block: Block) -> DynamicLabel {
        while self.labels.len() <= block.index() {
            let l = self.ops.new_dynamic_label();
            self.labels.push(l);
        }
        self.labels[block.index()]
    }

    /// The machine code emitted so far (labels resolved).
    pub fn into_bytes(self) -> Result<Vec<u8>, CompileError> {
        self.ops
            .finalize()
            .map_err(|e| CompileError::Assemble(e.to_string()))
    }
}

/// The hardware number of a register allocation.
fn reg(a: Allocation) -> u8 {
    a.as_reg()
        .expect("operand constrained to a register")
        .hw_enc() as u8
}

#[expect(
    clippy::useless_conversion,
    reason = "dynasm! turns each run-time register number into a register with `.into()`, even when it already is a `u8`"
)]
impl Backend for A64Backend {
    fn machine_env(&self) -> &MachineEnv {
        &self.env
    }

    fn is_callee_saved(&self, preg: PReg) -> bool {
        regs::is_callee_saved(preg)
    }

    fn call_slots(&self, _func: &Function, inst: &Inst) -> usize {
        match inst {
            // Arguments, results, and the two pinned registers saved across the call.
            Inst::Call { args, rets, .. } => args.len() + rets.len() + 2,
            Inst::Binary {
                op: crate::mir::BinOp::Rem,
                ty: Ty::F32 | Ty::F64,
                ..
            } => 3 + 2,
            _ => 0,
        }
    }

    fn prologue(&mut self, frame: &Frame) {
        self.emit_prologue(frame);
    }

    fn bind_block(&mut self, block: Block) {
        self.flags_of = None;
        let l = self.label(block);
        a64!(self.ops; =>l);
    }

    fn emit_inst(
        &mut self,
        func: &Function,
        inst: &Inst,
        allocs: &[Allocation],
        next: Option<Block>,
    ) {
        let flags = self.flags_of.take();
        match inst {
            Inst::Const { dst, bits } => {
                let ty = func.ty(*dst);
                if ty.is_float() {
                    self.float_imm(reg(allocs[0]), ty == Ty::F64, *bits);
                } else {
                    self.mov_imm(reg(allocs[0]), *bits);
                }
            }
            Inst::Arg { dst, slot } => self.emit_arg(func.ty(*dst), reg(allocs[0]), *slot),
            Inst::StoreResult { src, slot } => {
                self.emit_store_result(func.ty(*src), reg(allocs[0]), *slot)
            }
            Inst::Unary { op, ty, .. } => {
                let (s, d) = (reg(allocs[0]), reg(allocs[1]));
                if ty.is_float() {
                    self.float_unary(*op, *ty == Ty::F64, d, s);
                } else {
                    self.int_unary(*op, *ty, d, s);
                }
            }
            Inst::Binary { op, ty, .. } => {
                if ty.is_float() && *op == crate::mir::BinOp::Rem {
                    let helper = super::helpers::fmod(*ty == Ty::F64);
                    self.emit_call(helper, &[*ty, *ty], &allocs[..2], &[*ty], &allocs[2..]);
                    return;
                }
                let (a, b, d) = (reg(allocs[0]), reg(allocs[1]), reg(allocs[2]));
                if ty.is_float() {
                    self.float_binary(*op, *ty == Ty::F64, d, a, b);
                } else {
                    self.int_binary(*op, *ty, d, a, b);
                }
            }
            Inst::Cmp { op, ty, dst, .. } => {
                let (a, b, d) = (reg(allocs[0]), reg(allocs[1]), reg(allocs[2]));
                if ty.is_float() {
                    self.float_cmp(*op, *ty == Ty::F64, d, a, b);
                } else {
                    // `cset` keeps the flags of the `cmp`.
                    self.int_cmp(*op, *ty, d, a, b);
                    self.flags_of = Some((*dst, Cond::of(*op, ty.is_signed())));
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
                    self.float_select(d, c, t, f);
                } else {
                    self.int_select(d, c, t, f);
                }
            }
            Inst::Convert { from, to, .. } => {
                self.convert(*from, *to, reg(allocs[1]), reg(allocs[0]))
            }
            Inst::Bitcast { from, to, .. } => {
                self.bitcast(*from, *to, reg(allocs[1]), reg(allocs[0]))
            }
            Inst::Call { helper, args, rets } => {
                let arg_tys: Vec<Ty> = args.iter().map(|v| func.ty(*v)).collect();
                let ret_tys: Vec<Ty> = rets.iter().map(|v| func.ty(*v)).collect();
                let (a, r) = allocs.split_at(args.len());
                self.emit_call(*helper, &arg_tys, a, &ret_tys, r);
            }
            Inst::Jump { dest } => {
                if Some(dest.block) != next {
                    let l = self.label(dest.block);
                    a64!(self.ops; b =>l);
                }
            }
            Inst::Branch {
                cond,
                then,
                otherwise,
            } => {
                let c = reg(allocs[0]);
                let (lt, le) = (self.label(then.block), self.label(otherwise.block));
                if let Some((v, cc)) = flags
                    && v == *cond
                {
                    if Some(then.block) == next {
                        self.branch_if(cc.invert(), le);
                    } else {
                        self.branch_if(cc, lt);
                        if Some(otherwise.block) != next {
                            a64!(self.ops; b =>le);
                        }
                    }
                    return;
                }
                if Some(then.block) == next {
                    // Fall through into `then` (a loop body after its header).
                    a64!(self.ops; cbz W(c), =>le);
                    return;
                }
                a64!(self.ops; cbnz W(c), =>lt);
                if Some(otherwise.block) != next {
                    a64!(self.ops; b =>le);
                }
            }
            Inst::Return => self.emit_epilogue(),
        }
    }

    fn emit_move(&mut self, from: Allocation, to: Allocation) {
        self.flags_of = None;
        self.emit_edit(from, to);
    }

    fn finish(self) -> Result<CompiledCode, CompileError> {
        let bytes = self.into_bytes()?;
        Ok(CompiledCode::from_aarch64_bytes(&bytes)?)
    }
}
