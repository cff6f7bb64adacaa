//! The x86-64 backend (SysV ABI), written with `dynasm!`.
//!
//! Code map (an `aarch64/` backend mirrors these names): `asm.rs` (the
//! `dynasm!` wrapper and basic moves), `regs.rs` (register roles and the
//! regalloc2 environment), `abi.rs` (frame, prologue/epilogue, moves and
//! spills, helper calls), `operands.rs` (regalloc2 constraints per
//! instruction), `int.rs`, `float.rs`, `convert.rs` (one MIR instruction ->
//! machine instructions).
//!
//! Terms: *features* are the ISA extensions code may use ([`Features`]);
//! SSE2 is always there. Each MIR instruction expands to a short sequence that
//! may use the scratch registers of `regs.rs` and local labels.
//!
//! Invariant: sequences are correct for any assignment of their operands to
//! registers, including a destination equal to a source. Moves, loads and
//! stores of regalloc2's edits never change the flags (a compare fused into
//! its branch relies on it).

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
#[cfg(all(test, target_arch = "x86_64"))]
mod tests;

use std::cell::OnceCell;

use dynasmrt::x64::X64Relocation;
use dynasmrt::{DynamicLabel, DynasmApi, DynasmLabelApi, VecAssembler};
use regalloc2::{Allocation, MachineEnv, PReg};

use super::{Backend, CompileError, Frame, IsaLevel};
use crate::exec::CompiledCode;
use crate::mir::{Block, Function, Inst, Ty};

/// x86-64 extensions generated code may use beyond SSE2.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Features {
    /// SSE4.1: `roundss`/`roundsd`.
    pub sse41: bool,
}

impl Features {
    /// The features of `level` on the running CPU.
    pub fn detect(level: IsaLevel) -> Features {
        match level {
            IsaLevel::Baseline => Features::default(),
            IsaLevel::Native => Features {
                sse41: host_has_sse41(),
            },
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn host_has_sse41() -> bool {
    std::arch::is_x86_feature_detected!("sse4.1")
}

#[cfg(not(target_arch = "x86_64"))]
fn host_has_sse41() -> bool {
    false
}

/// Emits x86-64 machine code for one function.
pub struct X64Backend {
    ops: VecAssembler<X64Relocation>,
    features: Features,
    env: MachineEnv,
    labels: Vec<DynamicLabel>,
    frame: Frame,
    /// Bytes `rsp` is lowered by after the pushes.
    frame_bytes: i32,
    /// The integer comparison whose flags are still live: set by a `Cmp`,
    /// cleared by the next instruction (not by moves), so that a `Branch` on its
    /// result right after it jumps on the flags (`cmp; jl`).
    flags_of: Option<(crate::mir::Value, crate::mir::CmpOp, bool)>,
    /// Per value: an integer `Cmp` whose only use is the `Branch` right after
    /// it. Such a pair has no `Bool` at all: the `Cmp` takes its operands and
    /// emits `cmp`, the `Branch` takes none and emits `jcc`. Filled on first
    /// use (a backend compiles one function).
    fused: OnceCell<Vec<bool>>,
}

impl X64Backend {
    /// A backend emitting code that uses `features`.
    pub fn new(features: Features) -> Self {
        X64Backend {
            // Room for a few hundred instructions without regrowing.
            ops: VecAssembler::new_with_capacity(0, 4096, 8, 0, 16, 8, 16),
            features,
            env: regs::machine_env(),
            labels: Vec::new(),
            frame: Frame::default(),
            frame_bytes: 0,
            flags_of: None,
            fused: OnceCell::new(),
        }
    }

    /// Whether `v` is the result of a compare fused into the branch after it.
    fn is_fused(&self, func: &Function, v: crate::mir::Value) -> bool {
        let fused = self.fused.get_or_init(|| {
            let mut fused = func.branch_only_cmps();
            for inst in &func.insts {
                if let Inst::Cmp { ty, dst, .. } = inst
                    && ty.is_float()
                {
                    fused[dst.index()] = false;
                }
            }
            fused
        });
        fused[v.index()]
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
impl Backend for X64Backend {
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
        x64!(self.ops; =>l);
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
                let (a, b) = (reg(allocs[0]), reg(allocs[1]));
                if self.is_fused(func, *dst) {
                    self.int_cmp_flags(*ty, a, b);
                    self.flags_of = Some((*dst, *op, ty.is_signed()));
                    return;
                }
                let d = reg(allocs[2]);
                if ty.is_float() {
                    self.float_cmp(*op, *ty == Ty::F64, d, a, b);
                } else {
                    // `setcc` and `movzx` keep the flags of the `cmp`.
                    self.int_cmp(*op, *ty, d, a, b);
                    self.flags_of = Some((*dst, *op, ty.is_signed()));
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
                    x64!(self.ops; jmp =>l);
                }
            }
            Inst::Branch {
                cond,
                then,
                otherwise,
            } => {
                let (lt, le) = (self.label(then.block), self.label(otherwise.block));
                if let Some((v, op, signed)) = flags
                    && v == *cond
                {
                    if Some(then.block) == next {
                        self.jump_unless(op, signed, le);
                    } else {
                        self.jump_if(op, signed, lt);
                        if Some(otherwise.block) != next {
                            x64!(self.ops; jmp =>le);
                        }
                    }
                    return;
                }
                assert!(!self.is_fused(func, *cond), "fused compare lost its flags");
                let c = reg(allocs[0]);
                if Some(then.block) == next {
                    // Fall through into `then` (a loop body after its header).
                    x64!(self.ops; test Rd(c), Rd(c); jz =>le);
                    return;
                }
                x64!(self.ops; test Rd(c), Rd(c); jnz =>lt);
                if Some(otherwise.block) != next {
                    x64!(self.ops; jmp =>le);
                }
            }
            Inst::Return => self.emit_epilogue(),
        }
    }

    fn emit_move(&mut self, from: Allocation, to: Allocation) {
        // Moves, loads and stores leave the flags alone: a fused compare
        // keeps its flags across the moves regalloc2 puts before the branch.
        self.emit_edit(from, to);
    }

    fn finish(self) -> Result<CompiledCode, CompileError> {
        let bytes = self.into_bytes()?;
        Ok(CompiledCode::from_x64_bytes(&bytes)?)
    }
}
