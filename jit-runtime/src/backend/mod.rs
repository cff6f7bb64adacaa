//! Code generation: MIR -> registers -> machine code.
//!
//! [`compile`] is the entry point: it takes the operand rules of the
//! function (`operands.rs`), runs regalloc2 ([`crate::mir::regalloc`]), lays
//! out the stack frame, then walks the blocks, emitting each MIR instruction
//! with its allocations and each move/spill/reload regalloc2 inserted
//! (`emit.rs`), and finishes into [`CompiledCode`]. Blocks left empty by the
//! allocation are skipped and branches go past them (`layout.rs`); where
//! the last 256-bit value dies the ISA may clear the upper register halves
//! (`upper.rs`). All of
//! that is written once; an ISA (`x64/`, `aarch64/`) implements
//! [`MacroAssembler`] and only selects instructions.
//!
//! Terms:
//! - [`MacroAssembler`] (`masm.rs`): what one target ISA implements; no ISA
//!   owns this trait.
//! - [`Frame`]: the stack frame of a compiled function: spill slots, the
//!   outgoing area for helper calls, the callee-saved registers to restore.
//! - [`IsaLevel`]: which instruction-set extensions code may use.
//!
//! Invariant: the emitted function has the [`crate::exec::EntryFn`] ABI and
//! never traps (every MIR instruction is total).

pub mod aarch64;
mod emit;
pub mod helpers;
mod layout;
pub mod masm;
mod operands;
#[cfg(all(test, any(target_arch = "x86_64", target_arch = "aarch64")))]
mod tests;
mod upper;
pub mod x64;

use regalloc2::{Allocation, Edit, InstOrEdit, PReg, RegAllocError};

use crate::exec::CompiledCode;
use crate::mir::regalloc::{self, AllocatorChoice, RaFunction};
use crate::mir::{Block, Function};
use masm::MacroAssembler;
use operands::Operands;

/// Which instruction-set extensions generated code may use
/// (`jit::config::IsaLevel`, set with `jit::config::set_isa`; part of each
/// specialisation's cache key).
///
/// ```standalone_crate
/// use jit::config::{self, IsaLevel};
///
/// assert_eq!(IsaLevel::default(), IsaLevel::Native);
/// let before = config::isa();
/// config::set_isa(IsaLevel::Baseline); // x86-64: SSE2 only
/// assert_eq!(config::isa(), IsaLevel::Baseline);
/// config::set_isa(before);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum IsaLevel {
    /// The ISA's floor (x86-64: SSE2; AArch64: the base architecture with NEON).
    Baseline,
    /// Whatever the running CPU supports (x86-64: SSE4.1, FMA3 and AVX2's
    /// 256-bit vectors when present; AArch64: the same as `Baseline`).
    #[default]
    Native,
}

/// Why a function could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// regalloc2 rejected the function (e.g. a critical edge, or a use not dominated by its def).
    #[error("register allocation failed: {0}")]
    RegAlloc(#[from] RegAllocError),
    /// The assembler could not resolve a label.
    #[error("assembly failed: {0}")]
    Assemble(String),
    /// Executable memory could not be mapped.
    #[error("could not map executable memory: {0}")]
    Memory(#[from] std::io::Error),
    /// No backend executes on this host.
    #[error("no backend for this host architecture")]
    UnsupportedHost,
    /// The function holds 256-bit vectors and the target level has none
    /// (see [`vector_bits`]).
    #[error("256-bit vectors need a target with 256-bit registers")]
    NoWideVectors,
}

/// The widest vector, in bits, that code compiled at `isa` on this host
/// may use: 256 on x86-64 with AVX2 at [`IsaLevel::Native`], else 128
/// (SSE2 at `Baseline`, NEON on AArch64). The lowering builds its vector
/// loops from vectors of this width (`mir::Ty::vector_of_width`).
pub fn vector_bits(isa: IsaLevel) -> u32 {
    if cfg!(target_arch = "x86_64") && x64::Features::detect(isa).avx2 {
        256
    } else {
        128
    }
}

// ---- table lookups ----

/// Whether code compiled at `isa` on this host looks up 128-bit vectors'
/// tables bytewise (`mir::Inst::ByteTable`: AArch64's `tbl`/`tbx`); SSE2
/// has no such instruction, and x86-64 with AVX2 uses 256-bit
/// `mir::Inst::Permute` instead.
pub fn has_byte_tables(isa: IsaLevel) -> bool {
    let _ = isa;
    cfg!(target_arch = "aarch64")
}

// ---- vector fma ----

/// Whether code compiled at `isa` on this host has a vector fused
/// multiply-add instruction, so that a vector `mir::Inst::Fma` may reach
/// the backend (`mir::Builder::fma_lanes` splits it into lanes otherwise):
/// on x86-64 FMA3 (`vfmadd231ps`, the [`x64::Features`] of `isa`), on
/// AArch64 always (NEON's `fmla`).
pub fn has_vector_fma(isa: IsaLevel) -> bool {
    if cfg!(target_arch = "x86_64") {
        x64::Features::detect(isa).fma
    } else {
        cfg!(target_arch = "aarch64")
    }
}

/// The stack frame of one compiled function.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// 8-byte words of the spill area: [`Frame::slot_words`] per spill slot
    /// regalloc2 asked for, since a spill slot holds a whole vector register.
    pub spill_slots: usize,
    /// 8-byte slots of the outgoing area helper calls use for arguments and
    /// results, an even number so that the spill area after it is 16-byte
    /// aligned.
    pub call_slots: usize,
    /// Callee-saved allocatable registers the allocation uses.
    pub saved: Vec<PReg>,
    /// The function holds 256-bit vectors (`mir::Ty::is_wide`): a spill
    /// slot is 32 bytes, register moves and spills carry whole 256-bit
    /// registers, and x86-64 clears the registers' upper halves
    /// (`vzeroupper`) before helper calls, the return, and where the last
    /// 256-bit value dies (see `emit.rs`).
    pub wide: bool,
}

impl Frame {
    /// The offset from the stack pointer of the spill slot `a`: every ISA
    /// puts its spill slots right above the outgoing call slots.
    pub fn spill_offset(&self, a: Allocation) -> u32 {
        let slot = a.as_stack().expect("stack allocation").index();
        ((self.call_slots + self.slot_words() * slot) * 8) as u32
    }

    /// 8-byte words of one spill slot: 2 (a 128-bit register), or 4 in a
    /// [`Frame::wide`] function.
    pub fn slot_words(&self) -> usize {
        if self.wide { 4 } else { 2 }
    }
}

/// Compile `func` for the host at `isa`, choosing the register allocator automatically.
pub fn compile(func: &Function, isa: IsaLevel) -> Result<CompiledCode, CompileError> {
    compile_with(func, isa, AllocatorChoice::Auto)
}

/// [`compile`] with an explicit choice of regalloc2 algorithm.
pub fn compile_with(
    func: &Function,
    isa: IsaLevel,
    choice: AllocatorChoice,
) -> Result<CompiledCode, CompileError> {
    if func.values.iter().any(|ty| ty.is_wide()) && vector_bits(isa) < 256 {
        return Err(CompileError::NoWideVectors);
    }
    if cfg!(target_arch = "x86_64") {
        generate(
            x64::X64Backend::new(x64::Features::detect(isa)),
            func,
            choice,
        )
    } else if cfg!(target_arch = "aarch64") {
        generate(aarch64::A64Backend::new(), func, choice)
    } else {
        Err(CompileError::UnsupportedHost)
    }
}

/// Register allocation and emission on any [`MacroAssembler`].
pub fn generate<M: MacroAssembler>(
    masm: M,
    func: &Function,
    choice: AllocatorChoice,
) -> Result<CompiledCode, CompileError> {
    let rules = Operands::new(&masm, func);
    let ra = RaFunction::new(func, &rules);
    let regs = masm.registers();
    let out = regalloc::allocate(&ra, &regs.env, choice)?;

    let mut saved: Vec<PReg> = Vec::new();
    let mut note = |a: Allocation| {
        if let Some(r) = a.as_reg()
            && regs.callee_saved.contains(r)
            && !saved.contains(&r)
        {
            saved.push(r);
        }
    };
    out.allocs.iter().for_each(|&a| note(a));
    for (_, Edit::Move { from, to }) in &out.edits {
        note(*from);
        note(*to);
    }
    saved.sort_by_key(|r| r.hw_enc());
    let wide = func.values.iter().any(|ty| ty.is_wide());
    let frame = Frame {
        spill_slots: if wide { 4 } else { 2 } * out.num_spillslots,
        call_slots: func
            .insts
            .iter()
            .map(|inst| emit::call_slots(inst, &rules))
            .max()
            .unwrap_or(0)
            .next_multiple_of(2),
        saved,
        wide,
    };

    let threading = layout::Threading::new(func, &ra, &out);
    let clears = upper::Clears::new(func);
    let mut emitter = emit::Emitter::new(masm, func, &rules, frame);
    for b in 0..func.blocks.len() {
        let block = Block(b as u32);
        if threading.skips(block) {
            continue;
        }
        let next = threading.next_after(block);
        emitter.bind_block(block);
        if clears.at_start[b] {
            emitter.wide_dead();
        }
        let first = func.blocks[b].insts.start as usize;
        emitter.wide_live(clears.live_at[first]);
        for item in out.block_insts_and_edits(&ra, regalloc2::Block::new(b)) {
            match item {
                InstOrEdit::Inst(i) => {
                    let inst = &func.insts[i.index()];
                    let threaded = threading.retarget(inst);
                    let inst = threaded.as_ref().unwrap_or(inst);
                    emitter.wide_live(clears.live_at[i.index()]);
                    emitter.inst(inst, out.inst_allocs(i), next);
                    if clears.after[i.index()] {
                        emitter.wide_dead();
                    }
                    emitter.wide_live(clears.live_after[i.index()]);
                }
                InstOrEdit::Edit(Edit::Move { from, to }) => emitter.edit(*from, *to),
            }
        }
    }
    emitter.finish()
}
