//! The AArch64 assembler: the one `dynasm!` wrapper and the small moves every
//! other file builds on.
//!
//! Terms: `a64!(ops; ...)` is `dynasm!` with `.arch aarch64` fixed (the
//! assembler would otherwise follow the host when cross-compiling) and the
//! pinned registers aliased: `args` (`x0`, argument slots) and `results`
//! (`x1`, result slots), where the entry ABI delivers them. Registers chosen
//! at run time are written `X(n)` / `W(n)` (general, 64/32-bit), `D(n)` /
//! `S(n)` (vector registers viewed as f64/f32).
//!
//! Invariant: helpers here never touch a register they were not given,
//! except `x16` where they say so.

use dynasmrt::DynasmApi;

use super::A64Backend;
use super::regs::X16;

/// `dynasm!` for AArch64 with the pinned registers aliased.
macro_rules! a64 {
    ($ops:expr ; $($t:tt)*) => {
        dynasm::dynasm!($ops
            ; .arch aarch64
            ; .alias args, x0
            ; .alias results, x1
            ; $($t)*
        )
    };
}

/// The largest offset `ldr`/`str` of 8 bytes reach from `sp` in one instruction.
const MAX_SCALED: u32 = 4095 * 8;

impl A64Backend {
    /// `mov xd, xs`. No-op when equal.
    pub(super) fn mov_rr(&mut self, d: u8, s: u8) {
        if d != s {
            a64!(self.ops; mov X(d), X(s));
        }
    }

    /// `fmov dd, ds` (the low 64 bits: an f32 moves with the f64 view). No-op when equal.
    pub(super) fn fmov_rr(&mut self, d: u8, s: u8) {
        if d != s {
            a64!(self.ops; fmov D(d), D(s));
        }
    }

    /// Load a 64-bit immediate into a general register: `movz` and one
    /// `movk` per further non-zero 16-bit chunk (or `movn` when the chunks
    /// are mostly ones).
    pub(super) fn mov_imm(&mut self, d: u8, bits: u64) {
        let chunks = |x: u64| (0..4).map(move |k| ((x >> (16 * k)) & 0xffff) as u32);
        let ones = chunks(bits).filter(|&c| c == 0xffff).count();
        let zeros = chunks(bits).filter(|&c| c == 0).count();
        if ones > zeros {
            // movn writes !(imm << shift): start from the first chunk that is not all ones.
            let first = chunks(bits).position(|c| c != 0xffff).unwrap_or(0);
            let c = ((bits >> (16 * first)) & 0xffff) as u32;
            let inv = !c & 0xffff;
            match first {
                0 => a64!(self.ops; movn X(d), inv),
                1 => a64!(self.ops; movn X(d), inv, LSL #16),
                2 => a64!(self.ops; movn X(d), inv, LSL #32),
                _ => a64!(self.ops; movn X(d), inv, LSL #48),
            }
            for (k, c) in chunks(bits).enumerate() {
                if k != first && c != 0xffff {
                    self.movk(d, c, k);
                }
            }
            return;
        }
        let first = chunks(bits).position(|c| c != 0).unwrap_or(0);
        let c = ((bits >> (16 * first)) & 0xffff) as u32;
        match first {
            0 => a64!(self.ops; movz X(d), c),
            1 => a64!(self.ops; movz X(d), c, LSL #16),
            2 => a64!(self.ops; movz X(d), c, LSL #32),
            _ => a64!(self.ops; movz X(d), c, LSL #48),
        }
        for (k, c) in chunks(bits).enumerate() {
            if k != first && c != 0 {
                self.movk(d, c, k);
            }
        }
    }

    fn movk(&mut self, d: u8, c: u32, k: usize) {
        match k {
            0 => a64!(self.ops; movk X(d), c),
            1 => a64!(self.ops; movk X(d), c, LSL #16),
            2 => a64!(self.ops; movk X(d), c, LSL #32),
            _ => a64!(self.ops; movk X(d), c, LSL #48),
        }
    }

    /// Load a float bit pattern into a vector register (through `x16`).
    pub(super) fn float_imm(&mut self, v: u8, is_f64: bool, bits: u64) {
        if bits == 0 {
            a64!(self.ops; fmov D(v), xzr);
        } else if is_f64 {
            self.mov_imm(X16, bits);
            a64!(self.ops; fmov D(v), x16);
        } else {
            self.mov_imm(X16, bits);
            a64!(self.ops; fmov S(v), w16);
        }
    }

    /// The base register and offset that address `[sp + off]`: `sp` itself
    /// when `off` fits the scaled 12-bit field, else `x16 = sp + off`.
    fn sp_address(&mut self, off: u32) -> (u8, u32) {
        if off <= MAX_SCALED {
            (31, off)
        } else {
            self.mov_imm(X16, u64::from(off));
            a64!(self.ops; add x16, sp, x16, UXTX);
            (X16, 0)
        }
    }

    /// Store a general register to `[sp + off]` (`off` a multiple of 8; may use `x16`).
    pub(super) fn store_gpr(&mut self, off: u32, s: u8) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; str X(s), [XSP(base), off]);
    }

    /// Load a general register from `[sp + off]` (may use `x16`).
    pub(super) fn load_gpr(&mut self, d: u8, off: u32) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; ldr X(d), [XSP(base), off]);
    }

    /// Load the low 32 bits of `[sp + off]` into `wd` (zero-extended; may use `x16`).
    pub(super) fn load_gpr32(&mut self, d: u8, off: u32) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; ldr W(d), [XSP(base), off]);
    }

    /// Store the low 64 bits of a vector register to `[sp + off]` (may use `x16`).
    pub(super) fn store_fpr(&mut self, off: u32, s: u8) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; str D(s), [XSP(base), off]);
    }

    /// Load `[sp + off]` into the low 64 bits of a vector register (may use `x16`).
    pub(super) fn load_fpr(&mut self, d: u8, off: u32) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; ldr D(d), [XSP(base), off]);
    }

    /// Load the low 32 bits of `[sp + off]` into `sd` (may use `x16`).
    pub(super) fn load_fpr32(&mut self, d: u8, off: u32) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; ldr S(d), [XSP(base), off]);
    }
}
