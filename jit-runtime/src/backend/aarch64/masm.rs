//! The AArch64 [`MacroAssembler`]: what is left of the trait once `asm.rs`,
//! `abi.rs`, `int.rs`, `float.rs` and `convert.rs` have implemented their
//! parts: its registers, labels, jumps, finishing.
//!
//! Terms: no compare is fused into its branch here: AArch64 has
//! `cbz`/`cbnz`, so a materialised `bool` costs one instruction (`cset`)
//! over jumping on the flags, and the flags of a compare followed at once
//! by its branch are used anyway (`cmp; cset; b.lt`).
//!
//! Invariant: a compare's flags count as lost at any move regalloc2
//! inserts before its branch: that branch tests the `bool` with `cbnz`,
//! which costs the same as `b.cond`, so nothing is gained by relying on the
//! moves keeping the flags.

use dynasmrt::{DynamicLabel, DynasmLabelApi};

use super::A64Backend;
use crate::backend::CompileError;
use crate::backend::masm::{MacroAssembler, Registers};
use crate::exec::CompiledCode;

impl MacroAssembler for A64Backend {
    const FUSES_BRANCH_COMPARES: bool = false;
    const MOVES_KEEP_FLAGS: bool = false;

    fn registers(&self) -> &Registers {
        &self.regs
    }

    fn new_label(&mut self) -> DynamicLabel {
        self.ops.new_dynamic_label()
    }

    fn bind(&mut self, label: DynamicLabel) {
        a64!(self.ops; =>label);
    }

    fn jump(&mut self, label: DynamicLabel) {
        a64!(self.ops; b =>label);
    }

    fn finish(self) -> Result<CompiledCode, CompileError> {
        let bytes = self
            .ops
            .finalize()
            .map_err(|e| CompileError::Assemble(e.to_string()))?;
        Ok(CompiledCode::from_aarch64_bytes(&bytes)?)
    }
}
