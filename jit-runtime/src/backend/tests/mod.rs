//! Execution tests of the host's backend (x86-64 natively, AArch64 natively
//! or under qemu-user): compiled MIR against the MIR reference evaluator, at
//! both ISA levels and with every allocator.
//!
//! Terms: *edge values* are the inputs where implementations usually differ
//! (0, -0.0, NaN, ±inf, MIN, MAX, ±1, subnormals, halves, 2^23/2^31/2^32
//! boundaries). Results compare bit for bit, except that any NaN equals any NaN.

mod memory;
mod ops;
mod random;
mod random_cfg;
mod vector;

use crate::backend::{IsaLevel, compile_with};
use crate::exec::CompiledCode;
use crate::mir::eval::eval;
use crate::mir::regalloc::AllocatorChoice;
use crate::mir::{Function, Ty};

/// Both ISA levels (on a CPU without SSE4.1 they coincide).
#[cfg(target_arch = "x86_64")]
pub(crate) const LEVELS: [IsaLevel; 2] = [IsaLevel::Baseline, IsaLevel::Native];
/// AArch64 has one level: `Baseline` and `Native` emit the same code.
#[cfg(not(target_arch = "x86_64"))]
pub(crate) const LEVELS: [IsaLevel; 1] = [IsaLevel::Native];

/// `n` scaled by `JIT_TEST_SCALE` (a factor, default 1, e.g. `0.25` under
/// qemu, where code runs tens of times slower), never below 1.
pub(crate) fn scaled(n: usize) -> usize {
    let factor: f64 = std::env::var("JIT_TEST_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    ((n as f64 * factor).round() as usize).max(1)
}

/// Every allocator (each allocation is checked by regalloc2's checker).
pub(crate) const CHOICES: [AllocatorChoice; 3] = [
    AllocatorChoice::LinearScan,
    AllocatorChoice::Fastalloc,
    AllocatorChoice::Ion,
];

/// Compile, panicking with the MIR text on failure.
pub(crate) fn compile_or_panic(
    func: &Function,
    isa: IsaLevel,
    choice: AllocatorChoice,
) -> CompiledCode {
    compile_with(func, isa, choice).unwrap_or_else(|e| panic!("{e}\n{func}"))
}

/// Call compiled code with argument slots `args`; returns `num_results` result slots.
pub(crate) fn call(code: &CompiledCode, args: &[u64], num_results: usize) -> Vec<u64> {
    let mut args = args.to_vec();
    args.push(0); // never hand out an empty array
    let mut results = vec![0xdead_beef_dead_beef_u64; num_results + 1];
    // SAFETY: the slot arrays are at least as long as the function reads and writes.
    unsafe { code.entry()(args.as_ptr(), results.as_mut_ptr()) };
    results.truncate(num_results);
    results
}

/// Whether two result slots of type `ty` agree (any NaN equals any NaN).
pub(crate) fn same(ty: Ty, a: u64, b: u64) -> bool {
    match ty {
        Ty::F32 => {
            a == b
                || (f32::from_bits(a as u32).is_nan()
                    && f32::from_bits(b as u32).is_nan()
                    && a >> 32 == b >> 32)
        }
        Ty::F64 => a == b || (f64::from_bits(a).is_nan() && f64::from_bits(b).is_nan()),
        _ => a == b,
    }
}

/// Run `func` natively (every ISA level and allocator) and in the evaluator;
/// panic on the first disagreement. `result_tys` gives the type of each result slot.
pub(crate) fn check_against_eval(func: &Function, result_tys: &[Ty], inputs: &[Vec<u64>]) {
    for isa in LEVELS {
        for choice in CHOICES {
            let code = compile_or_panic(func, isa, choice);
            for args in inputs {
                let want = eval(func, args);
                let got = call(&code, args, func.num_results);
                for (k, ty) in result_tys.iter().enumerate() {
                    assert!(
                        same(*ty, want[k], got[k]),
                        "{isa:?}/{choice:?}: result {k} ({ty}) for args {args:x?}: evaluator {:#x}, native {:#x}\n{func}\n{}",
                        want[k],
                        got[k],
                        code.disassemble()
                    );
                }
            }
        }
    }
}

/// Edge values of each type, as slot bit patterns.
pub(crate) fn edge_values(ty: Ty) -> Vec<u64> {
    match ty {
        Ty::I32 => [0, 1, -1, 2, -7, 7, 100, i32::MIN, i32::MAX, i32::MIN + 1]
            .iter()
            .map(|&x| u64::from(x as u32))
            .collect(),
        Ty::U32 => [0, 1, 2, 7, 100, u32::MAX, 0x8000_0000, 0x7fff_ffff]
            .iter()
            .map(|&x| u64::from(x))
            .collect(),
        Ty::I64 => [
            0,
            1,
            -1,
            2,
            -7,
            7,
            i64::MIN,
            i64::MAX,
            1 << 32,
            (1 << 53) + 1,
            -(1 << 40) - 3,
        ]
        .iter()
        .map(|&x| x as u64)
        .collect(),
        Ty::Bool => vec![0, 1],
        Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => {
            unreachable!("vectors are tested in `vector.rs`")
        }
        Ty::F32 => [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.499_999_97,
            -0.3,
            8_388_607.5,
            8_388_609.0,
            1e10,
            -3e9,
            3e9,
            2_147_483_648.0,
            -2_147_483_648.0,
            4_294_967_296.0,
            f32::MIN_POSITIVE / 4.0,
            -f32::MIN_POSITIVE / 4.0,
            f32::MAX,
            f32::MIN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
        ]
        .iter()
        .map(|&x| u64::from(x.to_bits()))
        .collect(),
        Ty::F64 => [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.499_999_999_999_999_94,
            -0.3,
            4_503_599_627_370_495.5,
            4_503_599_627_370_497.0,
            1e300,
            -3e9,
            5e9,
            9.3e18,
            -9.3e18,
            2_147_483_647.5,
            -2_147_483_648.9,
            4_294_967_295.9,
            f64::MIN_POSITIVE / 4.0,
            -f64::MIN_POSITIVE / 4.0,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ]
        .iter()
        .map(|&x| x.to_bits())
        .collect(),
    }
}
