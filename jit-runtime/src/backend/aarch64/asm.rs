//! The AArch64 assembler: the one `dynasm!` wrapper, and the [`Moves`]
//! part of the macro-assembler (moves, loads and stores at `[sp + off]`,
//! immediates) that every other file builds on.
//!
//! Terms: `a64!(ops; ...)` is `dynasm!` with `.arch aarch64` fixed (the
//! assembler would otherwise follow the host when cross-compiling) and the
//! pinned registers aliased: `args` (`x0`, argument slots) and `results`
//! (`x1`, result slots), where the entry ABI delivers them. Registers chosen
//! at run time are written `X(n)` / `W(n)` (general, 64/32-bit), `D(n)` /
//! `S(n)` (vector registers viewed as f64/f32).
//!
//! Invariant: operations here never touch a register they were not given,
//! except `x16` and `x17` where they say so, and never change the flags.

use dynasmrt::DynasmApi;

use super::A64Backend;
use super::regs::{X16, X17};
use crate::backend::masm::Moves;
use crate::mir::Ty;

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
    fn movk(&mut self, d: u8, c: u32, k: usize) {
        match k {
            0 => a64!(self.ops; movk X(d), c),
            1 => a64!(self.ops; movk X(d), c, LSL #16),
            2 => a64!(self.ops; movk X(d), c, LSL #32),
            _ => a64!(self.ops; movk X(d), c, LSL #48),
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
}

/// Loads and stores at `[sp + off]` may use `x16` (see `sp_address`).
impl Moves for A64Backend {
    const SCRATCH: u8 = X17;

    /// `mov xd, xs`.
    fn mov_gpr(&mut self, d: u8, s: u8) {
        if d != s {
            a64!(self.ops; mov X(d), X(s));
        }
    }

    /// `fmov dd, ds` (the low 64 bits: an f32 moves with the f64 view).
    fn mov_fpr(&mut self, d: u8, s: u8) {
        if d != s {
            a64!(self.ops; mov V(d).B16, V(s).B16);
        }
    }

    /// Load a 64-bit immediate into a general register: `movz` and one
    /// `movk` per further non-zero 16-bit chunk (or `movn` when the chunks
    /// are mostly ones).
    fn mov_imm(&mut self, d: u8, bits: u64) {
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

    /// Through `x16`, except for `+0.0`.
    fn float_imm(&mut self, v: u8, w64: bool, bits: u64) {
        if bits == 0 {
            a64!(self.ops; fmov D(v), xzr);
        } else if w64 {
            self.mov_imm(X16, bits);
            a64!(self.ops; fmov D(v), x16);
        } else {
            self.mov_imm(X16, bits);
            a64!(self.ops; fmov S(v), w16);
        }
    }

    fn store_gpr(&mut self, off: u32, s: u8) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; str X(s), [XSP(base), off]);
    }

    fn store_fpr(&mut self, off: u32, s: u8) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; str Q(s), [XSP(base), off]);
    }

    fn store_fpr64(&mut self, off: u32, s: u8) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; str D(s), [XSP(base), off]);
    }

    /// Through `x17`.
    fn store_f32_slot(&mut self, off: u32, s: u8) {
        a64!(self.ops; fmov w17, S(s));
        self.store_gpr(off, X17);
    }

    fn load_gpr(&mut self, d: u8, off: u32) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; ldr X(d), [XSP(base), off]);
    }

    fn load_gpr32(&mut self, d: u8, off: u32) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; ldr W(d), [XSP(base), off]);
    }

    fn load_fpr(&mut self, d: u8, off: u32) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; ldr Q(d), [XSP(base), off]);
    }

    fn load_fpr64(&mut self, d: u8, off: u32) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; ldr D(d), [XSP(base), off]);
    }

    fn load_fpr32(&mut self, d: u8, off: u32) {
        let (base, off) = self.sp_address(off);
        a64!(self.ops; ldr S(d), [XSP(base), off]);
    }

    /// One register-offset load, the index shifted by the element size
    /// (`ldrb`/`ldr w` zero-extend).
    fn load_element(&mut self, ty: Ty, d: u8, base: u8, index: u8) {
        match ty {
            Ty::Bool => a64!(self.ops; ldrb W(d), [X(base), X(index)]),
            Ty::I32 | Ty::U32 => a64!(self.ops; ldr W(d), [X(base), X(index), LSL #2]),
            Ty::I64 => a64!(self.ops; ldr X(d), [X(base), X(index), LSL #3]),
            Ty::F32 => a64!(self.ops; ldr S(d), [X(base), X(index), LSL #2]),
            Ty::F64 => a64!(self.ops; ldr D(d), [X(base), X(index), LSL #3]),
            // `ldr q` scales a register index by 16, not by the lane size.
            Ty::F32x4 => a64!(self.ops; add x16, X(base), X(index), LSL #2; ldr Q(d), [x16]),
            Ty::F64x2 | Ty::I64x2 => {
                a64!(self.ops; add x16, X(base), X(index), LSL #3; ldr Q(d), [x16])
            }
            Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => unreachable!("AArch64 has no 256-bit vectors"),
        }
    }

    /// One register-offset store, the index shifted by the element size.
    fn store_element(&mut self, ty: Ty, base: u8, index: u8, s: u8) {
        match ty {
            Ty::Bool => a64!(self.ops; strb W(s), [X(base), X(index)]),
            Ty::I32 | Ty::U32 => a64!(self.ops; str W(s), [X(base), X(index), LSL #2]),
            Ty::I64 => a64!(self.ops; str X(s), [X(base), X(index), LSL #3]),
            Ty::F32 => a64!(self.ops; str S(s), [X(base), X(index), LSL #2]),
            Ty::F64 => a64!(self.ops; str D(s), [X(base), X(index), LSL #3]),
            Ty::F32x4 => a64!(self.ops; add x16, X(base), X(index), LSL #2; str Q(s), [x16]),
            Ty::F64x2 | Ty::I64x2 => {
                a64!(self.ops; add x16, X(base), X(index), LSL #3; str Q(s), [x16])
            }
            Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => unreachable!("AArch64 has no 256-bit vectors"),
        }
    }
}
