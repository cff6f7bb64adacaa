//! The x86-64 backend (SysV ABI), written with `dynasm!`: the
//! [`MacroAssembler`](super::masm::MacroAssembler) of x86-64.
//!
//! Code map (an `aarch64/` backend mirrors these names): `asm.rs` (the
//! `dynasm!` wrapper, moves, loads, stores, immediates), `regs.rs` (register
//! roles and the regalloc2 environment), `abi.rs` (frame,
//! prologue/epilogue, argument and result slots, the helper call itself),
//! `int.rs`, `float.rs`, `convert.rs`, `vector.rs` (instruction selection
//! for each operation; 256-bit vectors with AVX2's VEX encodings), `masm.rs` (the rest of the trait: compares fused into
//! branches, labels and jumps).
//!
//! Terms: *features* are the ISA extensions code may use ([`Features`]);
//! SSE2 is always there. Each operation expands to a short sequence that
//! may use the scratch registers of `regs.rs` and local labels.
//!
//! Invariant: sequences are correct for any assignment of their operands to
//! registers, including a destination equal to a source. Moves, loads and
//! stores never change the flags (a compare fused into its branch relies on
//! it, see `masm.rs`).

#![expect(
    clippy::useless_conversion,
    reason = "dynasm! turns each run-time register number into a register with `.into()`, even when it already is a `u8`"
)]

#[macro_use]
mod asm;
mod abi;
mod convert;
mod float;
mod int;
mod masm;
mod regs;
#[cfg(all(test, target_arch = "x86_64"))]
mod tests;
mod vector;
mod wide;

use dynasmrt::VecAssembler;
use dynasmrt::x64::X64Relocation;

use super::masm::Registers;
use super::{Frame, IsaLevel};

/// x86-64 extensions generated code may use beyond SSE2.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Features {
    /// SSE4.1: `roundss`/`roundsd`.
    pub sse41: bool,
    /// FMA3: `vfmadd231ss`/`sd` and friends (else a fused multiply-add is
    /// a call of `helpers::fma`), and the packed forms of a vector one
    /// (without FMA3 no vector `Fma` reaches the backend: see
    /// `backend::has_vector_fma`).
    pub fma: bool,
    /// AVX2: 256-bit vectors (`mir::Ty::is_wide`) with VEX encodings.
    pub avx2: bool,
}

impl Features {
    /// The features of `level` on the running CPU.
    pub fn detect(level: IsaLevel) -> Features {
        match level {
            IsaLevel::Baseline => Features::default(),
            IsaLevel::Native => Features {
                sse41: host_has_sse41(),
                fma: host_has_fma(),
                avx2: host_has_avx2(),
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

#[cfg(target_arch = "x86_64")]
fn host_has_fma() -> bool {
    std::arch::is_x86_feature_detected!("fma")
}

#[cfg(not(target_arch = "x86_64"))]
fn host_has_fma() -> bool {
    false
}

#[cfg(target_arch = "x86_64")]
fn host_has_avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
}

#[cfg(not(target_arch = "x86_64"))]
fn host_has_avx2() -> bool {
    false
}

/// Emits x86-64 machine code for one function.
pub struct X64Backend {
    ops: VecAssembler<X64Relocation>,
    features: Features,
    regs: Registers,
    frame: Frame,
    /// Bytes `rsp` is lowered by after the pushes.
    frame_bytes: i32,
    /// A 256-bit value may be live here (`Vector::vec_wide_live`): moves,
    /// spills and reloads carry whole ymm registers.
    wide_live: bool,
}

impl X64Backend {
    /// A backend emitting code that uses `features`.
    pub fn new(features: Features) -> Self {
        X64Backend {
            // Room for a few hundred instructions without regrowing.
            ops: VecAssembler::new_with_capacity(0, 4096, 8, 0, 16, 8, 16),
            features,
            regs: regs::registers(),
            frame: Frame::default(),
            frame_bytes: 0,
            wide_live: false,
        }
    }
}
