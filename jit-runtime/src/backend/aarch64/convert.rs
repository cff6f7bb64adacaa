//! The [`Convert`] part of the macro-assembler on AArch64: conversions
//! between the six scalar types, and bit casts.
//!
//! Terms: float -> integer conversions are single `fcvtzs`/`fcvtzu`
//! instructions, which already saturate with NaN -> 0 (Rust's `as`).
//! Integer -> float is `scvtf`/`ucvtf` from the source's own width, so it
//! rounds once (to nearest, the FPCR default), as x86-64's 64-bit route does.
//!
//! Invariant: no conversion traps or depends on FPCR beyond its default
//! round-to-nearest.

use dynasmrt::DynasmApi;

use super::A64Backend;
use crate::backend::masm::{Convert, Moves};
use crate::mir::Ty;

impl Convert for A64Backend {
    fn convert(&mut self, from: Ty, to: Ty, d: u8, s: u8) {
        match (from, to) {
            (Ty::F32, Ty::Bool) => a64!(self.ops; fcmp S(s), 0.0; cset W(d), ne),
            (Ty::F64, Ty::Bool) => a64!(self.ops; fcmp D(s), 0.0; cset W(d), ne),
            (Ty::I64, Ty::Bool) => a64!(self.ops; cmp XSP(s), 0; cset W(d), ne),
            (_, Ty::Bool) => a64!(self.ops; cmp WSP(s), 0; cset W(d), ne),
            (Ty::I32, Ty::I64) => a64!(self.ops; sxtw X(d), W(s)),
            (Ty::I32 | Ty::U32 | Ty::Bool | Ty::I64, Ty::I32 | Ty::U32 | Ty::I64) => {
                a64!(self.ops; mov W(d), W(s))
            }
            (Ty::I32, Ty::F32) => a64!(self.ops; scvtf S(d), W(s)),
            (Ty::I32, Ty::F64) => a64!(self.ops; scvtf D(d), W(s)),
            (Ty::I64, Ty::F32) => a64!(self.ops; scvtf S(d), X(s)),
            (Ty::I64, Ty::F64) => a64!(self.ops; scvtf D(d), X(s)),
            (Ty::U32 | Ty::Bool, Ty::F32) => a64!(self.ops; ucvtf S(d), W(s)),
            (Ty::U32 | Ty::Bool, Ty::F64) => a64!(self.ops; ucvtf D(d), W(s)),
            (Ty::F32, Ty::F64) => a64!(self.ops; fcvt D(d), S(s)),
            (Ty::F64, Ty::F32) => a64!(self.ops; fcvt S(d), D(s)),
            (Ty::F32, Ty::I32) => a64!(self.ops; fcvtzs W(d), S(s)),
            (Ty::F64, Ty::I32) => a64!(self.ops; fcvtzs W(d), D(s)),
            (Ty::F32, Ty::I64) => a64!(self.ops; fcvtzs X(d), S(s)),
            (Ty::F64, Ty::I64) => a64!(self.ops; fcvtzs X(d), D(s)),
            (Ty::F32, Ty::U32) => a64!(self.ops; fcvtzu W(d), S(s)),
            (Ty::F64, Ty::U32) => a64!(self.ops; fcvtzu W(d), D(s)),
            (Ty::F32, Ty::F32) | (Ty::F64, Ty::F64) => self.mov_fpr(d, s),
            _ => unreachable!("conversion {from} -> {to}"),
        }
    }

    fn bitcast(&mut self, from: Ty, to: Ty, d: u8, s: u8) {
        match (from, to) {
            (Ty::F32, _) => a64!(self.ops; fmov W(d), S(s)),
            (Ty::F64, _) => a64!(self.ops; fmov X(d), D(s)),
            (_, Ty::F32) => a64!(self.ops; fmov S(d), W(s)),
            (_, Ty::F64) => a64!(self.ops; fmov D(d), X(s)),
            _ => unreachable!("bitcast {from} -> {to}"),
        }
    }
}
