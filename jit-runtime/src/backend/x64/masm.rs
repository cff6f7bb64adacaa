//! The x86-64 [`MacroAssembler`]: what is left of the trait once `asm.rs`,
//! `abi.rs`, `int.rs`, `float.rs` and `convert.rs` have implemented their
//! parts: its registers, labels, jumps, finishing.
//!
//! Terms: a *fused* compare is an integer `cmp` whose only use is the
//! branch right after it; x86-64 has no `cmp`-and-branch instruction, and
//! materialising the `bool` (`setcc; movzx; test; jnz`) costs three
//! instructions more than jumping on the flags (`cmp; jcc`).
//!
//! Invariant: nothing `asm.rs` emits for a move, load or store changes the
//! flags (`mov`, `movaps`, `movsd`, `movss`, `movd`), so a compare's flags
//! survive the moves regalloc2 puts before its branch.

use dynasmrt::{DynamicLabel, DynasmLabelApi};

use super::X64Backend;
use crate::backend::CompileError;
use crate::backend::masm::{MacroAssembler, Registers};
use crate::exec::CompiledCode;

impl MacroAssembler for X64Backend {
    const FUSES_BRANCH_COMPARES: bool = true;
    const MOVES_KEEP_FLAGS: bool = true;

    fn registers(&self) -> &Registers {
        &self.regs
    }

    fn new_label(&mut self) -> DynamicLabel {
        self.ops.new_dynamic_label()
    }

    fn bind(&mut self, label: DynamicLabel) {
        x64!(self.ops; =>label);
    }

    fn jump(&mut self, label: DynamicLabel) {
        x64!(self.ops; jmp =>label);
    }

    fn finish(self) -> Result<CompiledCode, CompileError> {
        let bytes = self
            .ops
            .finalize()
            .map_err(|e| CompileError::Assemble(e.to_string()))?;
        Ok(CompiledCode::from_x64_bytes(&bytes)?)
    }
}
