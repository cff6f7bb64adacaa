//! AArch64 registers: which ones regalloc2 may use, which are pinned, which
//! are scratch.
//!
//! Terms:
//! - *pinned*: holds one thing for the whole function and is never allocated:
//!   `x0` = argument slot pointer, `x1` = result slot pointer (where the
//!   entry ABI passes them, so a function without helper calls needs no
//!   prologue for them), `sp`; and by the platform: `x18`, `x29` (frame
//!   pointer), `x30` (link register).
//! - *scratch*: free for use inside the expansion of one MIR instruction and
//!   never allocated: `x16`, `x17` (`x17` also regalloc2's move scratch),
//!   `v31` (also regalloc2's).
//! - regalloc2 `PReg` index = hardware number (`x0` = 0 … `x30` = 30,
//!   `v0` = 0 … `v31` = 31).
//!
//! Invariant: 32-bit values (`i32`, `u32`, `bool`) sit zero-extended in their
//! 64-bit register; every emitted sequence keeps it that way (any write to a
//! `w` register does).

use regalloc2::{MachineEnv, PReg, PRegSet, RegClass};

pub(super) const X16: u8 = 16;
pub(super) const X17: u8 = 17;

/// The scratch vector register (see the module doc).
pub(super) const V31: u8 = 31;

/// Caller-saved general registers regalloc2 may allocate (preferred: free to use).
const INT_CALLER_SAVED: std::ops::Range<u8> = 2..16;
/// Callee-saved general registers regalloc2 may allocate (saved in the prologue when used).
const INT_CALLEE_SAVED: std::ops::Range<u8> = 19..29;
/// Allocatable vector registers: all caller-saved (`v8`-`v15` are callee-saved
/// in AAPCS64 and are left alone).
const FLOAT_ALLOCATABLE: [std::ops::Range<u8>; 2] = [0..8, 16..31];

fn int(hw: u8) -> PReg {
    PReg::new(hw as usize, RegClass::Int)
}

fn float(hw: u8) -> PReg {
    PReg::new(hw as usize, RegClass::Float)
}

fn floats() -> impl Iterator<Item = u8> {
    FLOAT_ALLOCATABLE.into_iter().flatten()
}

/// The register environment handed to regalloc2.
pub(super) fn machine_env() -> MachineEnv {
    let mut preferred_int = PRegSet::empty();
    INT_CALLER_SAVED.for_each(|r| preferred_int.add(int(r)));
    let mut non_preferred_int = PRegSet::empty();
    INT_CALLEE_SAVED.for_each(|r| non_preferred_int.add(int(r)));
    let mut float_set = PRegSet::empty();
    floats().for_each(|r| float_set.add(float(r)));
    MachineEnv {
        preferred_regs_by_class: [preferred_int, float_set, PRegSet::empty()],
        non_preferred_regs_by_class: [non_preferred_int, PRegSet::empty(), PRegSet::empty()],
        scratch_by_class: [Some(int(X17)), Some(float(V31)), None],
        fixed_stack_slots: Vec::new(),
    }
}

/// Allocatable registers a call to a runtime helper may overwrite.
pub(super) fn call_clobbers() -> PRegSet {
    let mut set = PRegSet::empty();
    INT_CALLER_SAVED.for_each(|r| set.add(int(r)));
    floats().for_each(|r| set.add(float(r)));
    set
}

/// Whether `preg` is a callee-saved register that the prologue must save if used.
pub(super) fn is_callee_saved(preg: PReg) -> bool {
    preg.class() == RegClass::Int && INT_CALLEE_SAVED.contains(&(preg.hw_enc() as u8))
}
