//! Runtime helpers that generated code calls (see [`crate::mir::Inst::Call`]).
//!
//! Every helper has the [`crate::mir::HelperFn`] signature: a data block,
//! argument slots, result slots. Helpers here are the ones backends call on
//! their own to expand a MIR instruction (float remainder); other modules
//! may define more (debug printing) and call them with `Inst::Call`.
//!
//! Invariant: a helper reads exactly the argument slots and writes exactly
//! the result slots its documentation names, and never unwinds.

use crate::mir::Helper;

/// `results[0] = f32(args[0]) % f32(args[1])` (C `fmod`).
///
/// # Safety
/// `args` must point to two readable slots and `results` to one writable slot.
pub unsafe extern "C" fn fmod_f32(_data: *const u8, args: *const u64, results: *mut u64) {
    // SAFETY: guaranteed by the caller (see above).
    unsafe {
        let a = f32::from_bits(*args as u32);
        let b = f32::from_bits(*args.add(1) as u32);
        *results = u64::from((a % b).to_bits());
    }
}

/// `results[0] = f64(args[0]) % f64(args[1])` (C `fmod`).
///
/// # Safety
/// `args` must point to two readable slots and `results` to one writable slot.
pub unsafe extern "C" fn fmod_f64(_data: *const u8, args: *const u64, results: *mut u64) {
    // SAFETY: guaranteed by the caller (see above).
    unsafe {
        let a = f64::from_bits(*args);
        let b = f64::from_bits(*args.add(1));
        *results = (a % b).to_bits();
    }
}

/// `results[0] = f32(args[0]).mul_add(f32(args[1]), f32(args[2]))`: one
/// rounding. Rust's `mul_add` without the `fma` target feature calls libm's
/// `fmaf`, which is correctly rounded (glibc computes it exactly in
/// software when the CPU has no FMA).
///
/// # Safety
/// `args` must point to three readable slots and `results` to one writable slot.
pub unsafe extern "C" fn fma_f32(_data: *const u8, args: *const u64, results: *mut u64) {
    // SAFETY: guaranteed by the caller (see above).
    unsafe {
        let a = f32::from_bits(*args as u32);
        let b = f32::from_bits(*args.add(1) as u32);
        let c = f32::from_bits(*args.add(2) as u32);
        *results = u64::from(a.mul_add(b, c).to_bits());
    }
}

/// `results[0] = f64(args[0]).mul_add(f64(args[1]), f64(args[2]))`: one
/// rounding (libm's `fma` when the target has no FMA instruction).
///
/// # Safety
/// `args` must point to three readable slots and `results` to one writable slot.
pub unsafe extern "C" fn fma_f64(_data: *const u8, args: *const u64, results: *mut u64) {
    // SAFETY: guaranteed by the caller (see above).
    unsafe {
        let a = f64::from_bits(*args);
        let b = f64::from_bits(*args.add(1));
        let c = f64::from_bits(*args.add(2));
        *results = a.mul_add(b, c).to_bits();
    }
}

/// The helper computing a fused multiply-add of the given width, for a
/// target without the instruction.
pub fn fma(is_f64: bool) -> Helper {
    if is_f64 {
        Helper {
            name: "fma_f64",
            func: fma_f64,
            data: 0,
        }
    } else {
        Helper {
            name: "fma_f32",
            func: fma_f32,
            data: 0,
        }
    }
}

/// The helper computing float remainder of the given width.
pub fn fmod(is_f64: bool) -> Helper {
    if is_f64 {
        Helper {
            name: "fmod_f64",
            func: fmod_f64,
            data: 0,
        }
    } else {
        Helper {
            name: "fmod_f32",
            func: fmod_f32,
            data: 0,
        }
    }
}
