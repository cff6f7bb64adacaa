//! x86-64-specific tests: what the disassembly shows (no prologue in a
//! leaf, no SSE4.1 at the baseline level) and compile-time reports. The
//! execution tests every backend passes are in `backend/tests/`.

use crate::backend::operands::Operands;
use crate::backend::tests::{CHOICES, check_against_eval, edge_values};
use crate::backend::{IsaLevel, compile, compile_with};
use crate::mir::regalloc::AllocatorChoice;
use crate::mir::{BinOp, Builder, Ty, UnOp};

#[test]
fn disassembly_names_the_instructions() {
    let mut b = Builder::new("disasm");
    let x = b.arg(Ty::F32, 0);
    let y = b.arg(Ty::F32, 1);
    let s = b.add(x, y);
    let r = b.sqrt(s);
    b.store_result(0, r);
    b.ret();
    let code = compile(&b.finish(), IsaLevel::Baseline).unwrap();
    let text = code.disassemble();
    if std::env::var_os("JIT_TEST_PRINT_DISASM").is_some() {
        println!("{text}");
    }
    for mnemonic in ["movss", "addss", "sqrtss", "movd", "ret"] {
        assert!(text.contains(mnemonic), "no `{mnemonic}` in\n{text}");
    }
    // The slot pointers stay where the entry ABI puts them: a leaf function
    // with few live values saves nothing.
    assert!(!text.contains("push"), "a prologue in\n{text}");
    assert_eq!(text.lines().count(), text.matches('\n').count());
    assert!(code.code_size() > 0);
}

#[test]
fn baseline_rounding_avoids_sse41() {
    let mut b = Builder::new("floor");
    let x = b.arg(Ty::F64, 0);
    let r = b.unary(UnOp::Floor, x);
    b.store_result(0, r);
    b.ret();
    let func = b.finish();
    let baseline = compile(&func, IsaLevel::Baseline).unwrap().disassemble();
    assert!(!baseline.contains("round"), "{baseline}");
    assert!(baseline.contains("cvttsd2si"), "{baseline}");
    if std::arch::is_x86_feature_detected!("sse4.1") {
        let native = compile(&func, IsaLevel::Native).unwrap().disassemble();
        assert!(native.contains("roundsd"), "{native}");
    }
}

#[test]
fn fma_is_one_instruction_with_fma3_and_a_call_at_the_baseline() {
    let mut b = Builder::new("fma");
    let x = b.arg(Ty::F64, 0);
    let y = b.arg(Ty::F64, 1);
    let z = b.arg(Ty::F64, 2);
    let r = b.fma(x, y, z);
    b.store_result(0, r);
    b.ret();
    let func = b.finish();
    let baseline = compile(&func, IsaLevel::Baseline).unwrap().disassemble();
    assert!(!baseline.contains("vfmadd"), "{baseline}");
    assert!(baseline.contains("call"), "{baseline}");
    if std::arch::is_x86_feature_detected!("fma") {
        let native = compile(&func, IsaLevel::Native).unwrap().disassemble();
        assert!(native.contains("vfmadd"), "{native}");
        assert!(!native.contains("call"), "{native}");
    }
}

/// The baseline helper (Rust's `mul_add` without the `fma` target feature:
/// libm's `fma`/`fmaf`) gives the bits of the FMA3 instruction, which rounds
/// once by definition: near-cancelling sums, where a double rounding would
/// show, over many random operands.
#[test]
fn the_fma_helper_rounds_as_the_instruction_does() {
    if !std::arch::is_x86_feature_detected!("fma") {
        return;
    }
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for ty in [Ty::F32, Ty::F64] {
        let mut b = Builder::new("fma");
        let x = b.arg(ty, 0);
        let y = b.arg(ty, 1);
        let z = b.arg(ty, 2);
        let r = b.fma(x, y, z);
        b.store_result(0, r);
        b.ret();
        let func = b.finish();
        let native = compile(&func, IsaLevel::Native).unwrap();
        let baseline = compile(&func, IsaLevel::Baseline).unwrap();
        for _ in 0..crate::backend::tests::scaled(200_000) {
            // x, y with random mantissas and modest exponents; z the rounded
            // product negated, nudged by a few ulps: the exact result is the
            // product's rounding error, plus the nudge.
            let (args, f64_bits) = if ty == Ty::F64 {
                let x =
                    f64::from_bits((next() >> 12) | 0x3ff0_0000_0000_0000) * (next() % 64) as f64;
                let y = f64::from_bits((next() >> 12) | 0x3fe0_0000_0000_0000);
                let nudge = (next() % 7) as i64 - 3;
                let z = f64::from_bits((-(x * y)).to_bits().wrapping_add(nudge as u64));
                (vec![x.to_bits(), y.to_bits(), z.to_bits()], true)
            } else {
                let x = f32::from_bits((next() as u32 >> 9) | 0x3f80_0000) * (next() % 64) as f32;
                let y = f32::from_bits((next() as u32 >> 9) | 0x3f00_0000);
                let nudge = (next() % 7) as i32 - 3;
                let z = f32::from_bits((-(x * y)).to_bits().wrapping_add(nudge as u32));
                let bits = |v: f32| u64::from(v.to_bits());
                (vec![bits(x), bits(y), bits(z)], false)
            };
            let want = crate::backend::tests::call(&native, &args, 1);
            let got = crate::backend::tests::call(&baseline, &args, 1);
            assert_eq!(want, got, "f64: {f64_bits}, operands {args:x?}");
        }
    }
}

/// Prints allocation time and whole-compile time of a 10-instruction
/// function for every allocator (`cargo test -p jit-runtime --release
/// compile_time -- --nocapture`).
#[test]
fn compile_time() {
    let mut b = Builder::new("ten");
    let x = b.arg(Ty::F64, 0);
    let y = b.arg(Ty::F64, 1);
    let i = b.arg(Ty::I64, 2);
    let s = b.add(x, y);
    let p = b.mul(s, x);
    let f = b.convert(i, Ty::F64);
    let q = b.binary(BinOp::Sub, p, f);
    let c = b.gt(q, y);
    let r = b.select(c, q, y);
    b.store_result(0, r);
    b.ret();
    let func = b.finish();
    assert_eq!(func.insts.len(), 11);
    report_compile_time("10-instruction function", &func, 500);
}

/// The same for `sin(x) + cos(x)` on f32 and f64, as lowered from a graph;
/// also prints the code size each allocator leads to.
#[test]
fn sin_cos_compile_time() {
    use crate::dtype::{DType, Ty as GraphTy};
    use crate::ir::{AVal, Graph, Op};
    for dtype in [DType::F32, DType::F64] {
        let aval = AVal::scalar(GraphTy { dtype, weak: false });
        let mut g = Graph::default();
        let x = g.add_input(aval.clone());
        let s = g.push_eqn(Op::Sin, vec![x], vec![aval.clone()]);
        let c = g.push_eqn(Op::Cos, vec![x], vec![aval.clone()]);
        let r = g.push_eqn(Op::Add, vec![s[0], c[0]], vec![aval.clone()]);
        g.body.results.push(r[0]);
        let lowered = crate::lower::lower(&g, "sin_cos").unwrap();
        let func = &lowered.func;
        let what = format!(
            "sin(x) + cos(x) {dtype:?} ({} instructions, {} blocks)",
            func.insts.len(),
            func.blocks.len()
        );
        report_compile_time(&what, func, 200);
        let ty = crate::lower::mir_ty(dtype);
        let inputs: Vec<Vec<u64>> = edge_values(ty).into_iter().map(|x| vec![x]).collect();
        check_against_eval(func, &[ty], &inputs);
    }
}

/// The fastest of `runs` timings of `f`, in microseconds (the machine may
/// be busy: the minimum is the least disturbed).
fn fastest_us<T>(runs: u32, mut f: impl FnMut() -> T) -> f64 {
    (0..runs)
        .map(|_| {
            let start = std::time::Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64() * 1e6
        })
        .fold(f64::INFINITY, f64::min)
}

fn report_compile_time(what: &str, func: &crate::mir::Function, runs: u32) {
    let backend = super::X64Backend::new(super::Features::default());
    let env = super::regs::registers().env;
    let operands_us = fastest_us(runs, || {
        let rules = Operands::new(&backend, func);
        crate::mir::regalloc::RaFunction::new(func, &rules)
    });
    println!("{what}: gathering operands {operands_us:.1} us");
    let rules = Operands::new(&backend, func);
    let ra = crate::mir::regalloc::RaFunction::new(func, &rules);
    for choice in CHOICES {
        // The allocator alone (no checker, no SSA validation).
        let allocate = || {
            let algorithm = match choice {
                AllocatorChoice::Ion => regalloc2::Algorithm::Ion,
                AllocatorChoice::Fastalloc => regalloc2::Algorithm::Fastalloc,
                _ => return crate::mir::linear_scan::run(&ra, &env).unwrap(),
            };
            let options = regalloc2::RegallocOptions {
                algorithm,
                ..Default::default()
            };
            regalloc2::run(&ra, &env, &options).unwrap()
        };
        let ra_us = fastest_us(runs, allocate);
        let out = allocate();
        // The whole compile (with the checker, as in every test build, and the mmap).
        let all_us = fastest_us(runs, || {
            compile_with(func, IsaLevel::Native, choice).unwrap()
        });
        let bytes = compile_with(func, IsaLevel::Native, choice)
            .unwrap()
            .code_size();
        println!(
            "{what}, {choice:?}: allocation {ra_us:.1} us, whole compile in tests {all_us:.1} us, \
             {bytes} code bytes, {} moves, {} spill slots",
            out.edits.len(),
            out.num_spillslots
        );
    }
}

/// A load and a store of each element type: one instruction each, with a
/// scaled-index address (`bool` a byte, `movzx` on the way in).
#[test]
fn elements_load_and_store_with_scaled_indices() {
    let cases = [
        (Ty::Bool, "movzx", "byte ptr [", "mov [", "],cl"),
        (Ty::I32, "mov", "*4]", "mov [", "*4],"),
        (Ty::I64, "mov", "*8]", "mov [", "*8],"),
        (Ty::F32, "movss", "*4]", "movss [", "*4],"),
        (Ty::F64, "movsd", "*8]", "movsd [", "*8],"),
    ];
    for (ty, load, load_address, store, store_address) in cases {
        let mut b = Builder::new("copy");
        let x = b.arg(Ty::I64, 0);
        let i = b.arg(Ty::I64, 1);
        let out = b.arg(Ty::I64, 2);
        let v = b.load(ty, x, i);
        b.store(out, i, v);
        b.ret();
        let text = compile(&b.finish(), IsaLevel::Baseline)
            .unwrap()
            .disassemble();
        let has = |m: &str, a: &str| {
            text.lines().any(|l| {
                l.split_once("  ")
                    .is_some_and(|(_, i)| i.starts_with(m) && i.contains(a))
            })
        };
        assert!(
            has(load, load_address),
            "{ty}: no `{load} ..{load_address}` in\n{text}"
        );
        assert!(
            has(store, store_address),
            "{ty}: no `{store}..{store_address}` in\n{text}"
        );
    }
}

/// A kernel of arithmetic on 1000 `f32`s lowered for 256-bit vectors (on a
/// host with AVX2): the loop runs on ymm registers with VEX encodings only
/// (an SSE instruction there would run with dirty upper halves),
/// every `ret` and `call` comes after a `vzeroupper` with no vector
/// instruction between them, and one more clears the upper halves once
/// the loop's accumulators are reduced, before the scalar tail.
#[test]
fn wide_kernels_use_vex_and_clear_the_upper_halves() {
    use crate::dtype::{DType, Ty as GraphTy};
    use crate::ir::{AVal, Graph, Op, ReduceKind};
    if crate::backend::vector_bits(IsaLevel::Native) < 256 {
        return;
    }
    let ty = GraphTy {
        dtype: DType::F32,
        weak: false,
    };
    let array = AVal {
        ty,
        shape: vec![1000],
    };
    let mut g = Graph::default();
    let x = g.add_input(array.clone());
    let y = g.add_input(array.clone());
    let p = g.push_eqn(Op::Mul, vec![x, y], vec![array.clone()]);
    let m = g.push_eqn(
        Op::Lt,
        vec![p[0], x],
        vec![AVal {
            ty: GraphTy {
                dtype: DType::Bool,
                weak: false,
            },
            shape: vec![1000],
        }],
    );
    let a = g.push_eqn(Op::Abs, vec![p[0]], vec![array.clone()]);
    let r = g.push_eqn(Op::Select, vec![m[0], a[0], y], vec![array.clone()]);
    let s = g.push_eqn(
        Op::Reduce {
            kind: ReduceKind::Sum,
            axes: vec![0],
        },
        vec![r[0]],
        vec![AVal::scalar(ty)],
    );
    g.body.results.extend([r[0], s[0]]);
    let lowered = crate::lower::lower_with(
        &g,
        "wide",
        crate::lower::Target {
            vector_bits: 256,
            vector_fma: true,
            byte_tables: false,
        },
    )
    .unwrap();
    let text = compile(&lowered.func, IsaLevel::Native)
        .unwrap()
        .disassemble();
    if std::env::var_os("JIT_TEST_PRINT_DISASM").is_some() {
        println!("{text}");
    }
    for mnemonic in ["vmovups ymm", "vmulps ymm", "vcmpltps ymm", "vaddps ymm"] {
        assert!(text.contains(mnemonic), "no `{mnemonic}` in\n{text}");
    }
    let lines: Vec<&str> = text.lines().collect();
    // The loop: from its first 256-bit load to its back edge.
    let start = lines
        .iter()
        .position(|l| l.contains("vmovups ymm"))
        .unwrap();
    let end = start
        + lines[start..]
            .iter()
            .position(|l| l.contains(" jl "))
            .unwrap();
    for line in &lines[start..end] {
        let mnemonic = line.split_whitespace().nth(1).unwrap_or("");
        assert!(
            !line.contains("mm") || mnemonic.starts_with('v'),
            "SSE `{line}` in the 256-bit loop of\n{text}"
        );
    }
    // `vcmpltps d, a, b` is `a < b`: dynasm swaps the sources of `vcmpps`,
    // which `wide.rs` writes swapped; the vector tests check the lanes.
    for (k, line) in lines.iter().enumerate() {
        if line.contains(" ret") || line.contains(" call") {
            let clear = lines[..k]
                .iter()
                .rposition(|l| l.contains("vzeroupper"))
                .unwrap_or_else(|| panic!("no vzeroupper before `{line}` in\n{text}"));
            for between in &lines[clear + 1..k] {
                assert!(
                    !between.contains("mm"),
                    "`{between}` after vzeroupper in\n{text}"
                );
            }
        }
    }
    // The reduction's last step on a ymm register, then a clear, then the
    // tail's scalar SSE (its products, `mulss`), then the clear before `ret`.
    let clears: Vec<usize> = (0..lines.len())
        .filter(|&k| lines[k].contains("vzeroupper"))
        .collect();
    assert!(clears.len() >= 2, "{text}");
    let last_ymm = lines.iter().rposition(|l| l.contains("ymm")).unwrap();
    let first_scalar = last_ymm
        + lines[last_ymm..]
            .iter()
            .position(|l| l.contains("mulss"))
            .unwrap();
    assert!(
        clears.iter().any(|&c| last_ymm < c && c < first_scalar),
        "no vzeroupper between the last ymm instruction and the scalar tail in\n{text}"
    );
}

// ---- vector fma ----

/// The hand-encoded FMA3 forms against iced's decoder: every register
/// triple (the upper eight need VEX's inverted `R`, `B` and `vvvv` bits),
/// `ps` and `pd` (VEX.W), xmm and ymm (VEX.L), 231 when the destination is
/// the addend, 213 when it is a factor.
#[test]
fn vector_fma_encodes_as_iced_decodes() {
    use crate::exec::disassemble_x64;
    let features = super::Features {
        fma: true,
        ..Default::default()
    };
    for (ty, suffix, reg) in [
        (Ty::F32x4, "ps", "xmm"),
        (Ty::F64x2, "pd", "xmm"),
        (Ty::F32x8, "ps", "ymm"),
        (Ty::F64x4, "pd", "ymm"),
    ] {
        for d in 0..16u8 {
            for a in 0..16u8 {
                for b in 0..16u8 {
                    // `d` the addend: `vfmadd231 d, a, b`; `d` the first
                    // factor (the addend `b`): `vfmadd213 d, a, b`.
                    for (c, form, x, y) in [(d, 231, a, b), (b, 213, a, b)] {
                        if form == 213 && c == d {
                            continue; // the addend is `d`: the 231 case
                        }
                        let (a_, b_) = if form == 213 { (d, a) } else { (a, b) };
                        let mut backend = super::X64Backend::new(features);
                        backend.vex_fma_lanes(ty, d, a_, b_, c);
                        let text = disassemble_x64(&backend.ops.take().unwrap(), 64);
                        let want = format!("vfmadd{form}{suffix} {reg}{d},{reg}{x},{reg}{y}");
                        assert_eq!(text.lines().count(), 1, "{text}");
                        assert!(text.trim_end().ends_with(&want), "{text} want {want}");
                    }
                }
            }
        }
    }
}

/// A vector fma at the native level is one FMA3 instruction at each
/// width (VEX.128 for 128-bit vectors, inside otherwise SSE code) with
/// no helper call; the baseline level has no FMA3, so a vector `Fma`
/// never reaches it (`fma_lanes` splits) and the backend refuses one.
#[test]
fn vector_fma_is_one_instruction_with_fma3() {
    if !crate::backend::has_vector_fma(IsaLevel::Native) {
        return;
    }
    for (ty, form) in [
        (Ty::F32x4, "ps xmm"),
        (Ty::F64x2, "pd xmm"),
        (Ty::F32x8, "ps ymm"),
        (Ty::F64x4, "pd ymm"),
    ] {
        if ty.is_wide() && crate::backend::vector_bits(IsaLevel::Native) < 256 {
            continue;
        }
        let mut b = Builder::new("fma");
        let zero = b.iconst(Ty::I64, 0);
        let v: Vec<_> = (0..3)
            .map(|slot| {
                let p = b.arg(Ty::I64, slot);
                b.load(ty, p, zero)
            })
            .collect();
        let r = b.fma_lanes(v[0], v[1], v[2], true);
        let out = b.arg(Ty::I64, 3);
        b.store(out, zero, r);
        b.ret();
        let text = compile(&b.finish(), IsaLevel::Native)
            .unwrap()
            .disassemble();
        assert_eq!(text.matches("vfmadd").count(), 1, "{text}");
        assert!(
            text.contains(&format!("vfmadd231{form}"))
                || text.contains(&format!("vfmadd213{form}")),
            "{text}"
        );
        assert!(!text.contains("call"), "{text}");
    }
}

/// The baseline level has no FMA3: a vector `Fma` there is a producer's
/// bug (it should have asked `fma_lanes` to split), which the backend
/// reports rather than miscompiles.
#[test]
#[should_panic(expected = "reached a target without FMA instructions")]
fn a_vector_fma_at_the_baseline_panics() {
    let mut b = Builder::new("fma");
    let zero = b.iconst(Ty::I64, 0);
    let p = b.arg(Ty::I64, 0);
    let x = b.load(Ty::F64x2, p, zero);
    let r = b.fma(x, x, x);
    b.store(p, zero, r);
    b.ret();
    let _ = compile(&b.finish(), IsaLevel::Baseline);
}

/// A 256-bit select is one `vblendvps` (where the host has AVX2), no
/// and/andn/or; its lanes are checked in `backend/tests/vector.rs`.
#[test]
fn wide_select_is_one_blend() {
    if crate::backend::vector_bits(IsaLevel::Native) < 256 {
        return;
    }
    for ty in [Ty::F32x8, Ty::F64x4] {
        let mut b = Builder::new("select");
        let zero = b.iconst(Ty::I64, 0);
        let (px, py) = (b.arg(Ty::I64, 0), b.arg(Ty::I64, 1));
        let (x, y) = (b.load(ty, px, zero), b.load(ty, py, zero));
        let m = b.lt(x, y);
        let r = b.select(m, x, y);
        b.store(px, zero, r);
        b.ret();
        let text = compile(&b.finish(), IsaLevel::Native)
            .unwrap()
            .disassemble();
        assert_eq!(text.matches("vblendvps ymm").count(), 1, "{text}");
        for bitwise in ["vandps", "vandnps", "vorps"] {
            assert!(!text.contains(bitwise), "{text}");
        }
    }
}

/// The chain of `spilled_wide_constants_are_read_from_their_slots` on one
/// lane, in `x`'s type, constant `k` being `constant(k)`.
macro_rules! slot_chain {
    ($x:expr, $constant:expr) => {{
        let x = $x;
        let constant = $constant;
        let mut acc = x;
        for k in 0..24 {
            let c = constant(k);
            acc = match k % 5 {
                0 => acc.mul_add(x, c),
                1 => acc - c,
                2 => acc * c,
                3 if acc < c => acc,
                3 => x,
                _ => acc.mul_add(c, x),
            };
        }
        acc
    }};
}

/// More live 256-bit constants than registers: the spilled ones are read
/// straight from their slots by the arithmetic and by the fma as addend or
/// factor (`Vector::vec_slot_operands`), and every allocator's code
/// computes what `f32`/`f64` arithmetic does.
#[test]
fn spilled_wide_constants_are_read_from_their_slots() {
    if crate::backend::vector_bits(IsaLevel::Native) < 256 {
        return;
    }
    for ty in [Ty::F32x8, Ty::F64x4] {
        let lane = ty.lane();
        let mut b = Builder::new("slots");
        let x = b.arg(lane, 0);
        let x = b.splat(ty, x);
        let constants: Vec<_> = (0..24)
            .map(|k| {
                let c = 1.0 + f64::from(k) / 7.0;
                let c = if lane == Ty::F32 {
                    b.f32const(c as f32)
                } else {
                    b.f64const(c)
                };
                b.splat(ty, c)
            })
            .collect();
        let mut acc = x;
        for (k, &c) in constants.iter().enumerate() {
            acc = match k % 5 {
                0 => b.fma(acc, x, c),
                4 => b.fma(acc, c, x),
                1 => b.binary(BinOp::Sub, acc, c),
                2 => b.binary(BinOp::Mul, acc, c),
                _ => {
                    let below = b.lt(acc, c);
                    b.select(below, acc, x)
                }
            };
        }
        let r = b.reduce_lanes(BinOp::Add, acc);
        b.store_result(0, r);
        b.ret();
        let func = b.finish();
        let text = compile(&func, IsaLevel::Native).unwrap().disassemble();
        let from_slot = |ins: &str| {
            text.lines()
                .any(|line| line.contains(ins) && line.contains("[rsp"))
        };
        assert!(from_slot("vfmadd213p") && from_slot("vmulp"), "{text}");
        // Every lane computes the same chain; the lane sum of equal lanes
        // in halving order is exact (a power of two times one lane).
        let chain = |x: f64| -> u64 {
            let lanes = ty.lanes() as f64;
            if lane == Ty::F32 {
                let acc = slot_chain!(x as f32, |k: i32| (1.0 + f64::from(k) / 7.0) as f32);
                u64::from((acc * lanes as f32).to_bits())
            } else {
                (slot_chain!(x, |k: i32| 1.0 + f64::from(k) / 7.0) * lanes).to_bits()
            }
        };
        for choice in CHOICES {
            let code = crate::backend::tests::compile_or_panic(&func, IsaLevel::Native, choice);
            for x in [0.0, -1.5, 0.25, 0.9, 1e-3] {
                let arg = if lane == Ty::F32 {
                    u64::from((x as f32).to_bits())
                } else {
                    f64::to_bits(x)
                };
                let got = crate::backend::tests::call(&code, &[arg], 1)[0];
                assert_eq!(got, chain(x), "{choice:?} {ty} at {x}");
            }
        }
    }
}
