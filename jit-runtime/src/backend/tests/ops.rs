//! Every operator on every type it accepts, over all pairs of edge values;
//! plus hand-written functions: spills, helper calls, loops (top- and
//! bottom-tested), a diamond, compares kept as `Bool` beside their branch.

use super::*;
use crate::backend::compile;
use crate::mir::{BinOp, Builder, CmpOp, Helper, UnOp};

fn pairs(ty: Ty) -> Vec<Vec<u64>> {
    let e = edge_values(ty);
    e.iter()
        .flat_map(|&a| e.iter().map(move |&b| vec![a, b]))
        .collect()
}

#[test]
fn every_unary_operator_on_edge_values() {
    for ty in Ty::ALL {
        for op in UnOp::ALL.into_iter().filter(|op| op.accepts(ty)) {
            let mut b = Builder::new("unary");
            let x = b.arg(ty, 0);
            let r = b.unary(op, x);
            b.store_result(0, r);
            b.ret();
            let inputs: Vec<Vec<u64>> = edge_values(ty).into_iter().map(|x| vec![x]).collect();
            check_against_eval(&b.finish(), &[ty], &inputs);
        }
    }
}

#[test]
fn every_binary_operator_on_edge_values() {
    for ty in Ty::ALL {
        for op in BinOp::ALL.into_iter().filter(|op| op.accepts(ty)) {
            let mut b = Builder::new("binary");
            let x = b.arg(ty, 0);
            let y = b.arg(ty, 1);
            let r = b.binary(op, x, y);
            // The same operation with the operands swapped and with both the same.
            let s = b.binary(op, y, x);
            let t = b.binary(op, x, x);
            b.store_result(0, r);
            b.store_result(1, s);
            b.store_result(2, t);
            b.ret();
            check_against_eval(&b.finish(), &[ty; 3], &pairs(ty));
        }
    }
}

#[test]
fn fused_multiply_add_on_edge_values() {
    for ty in [Ty::F32, Ty::F64] {
        let mut b = Builder::new("fma");
        let x = b.arg(ty, 0);
        let y = b.arg(ty, 1);
        let z = b.arg(ty, 2);
        // Every way operands can share a register with the result.
        let results = [
            b.fma(x, y, z),
            b.fma(x, x, y),
            b.fma(y, x, x),
            b.fma(x, y, x),
            b.fma(x, x, x),
        ];
        for (k, r) in results.into_iter().enumerate() {
            b.store_result(k as u32, r);
        }
        b.ret();
        let mut values = edge_values(ty);
        // `x * x - p` where only the exact product gives the right answer.
        let (near_one, square) = match ty {
            Ty::F32 => {
                let v = 1.0f32 + f32::EPSILON;
                (u64::from(v.to_bits()), u64::from((-(v * v)).to_bits()))
            }
            _ => {
                let v = 1.0f64 + f64::EPSILON;
                (v.to_bits(), (-(v * v)).to_bits())
            }
        };
        values.extend([near_one, square]);
        let triples: Vec<Vec<u64>> = values
            .iter()
            .flat_map(|&a| values.iter().map(move |&b| (a, b)))
            .flat_map(|(a, b)| values.iter().map(move |&c| vec![a, b, c]))
            .collect();
        check_against_eval(&b.finish(), &[ty; 5], &triples);
    }
}

#[test]
fn every_comparison_and_select_on_edge_values() {
    for ty in Ty::ALL {
        let mut b = Builder::new("cmp");
        let x = b.arg(ty, 0);
        let y = b.arg(ty, 1);
        for (k, op) in CmpOp::ALL.into_iter().enumerate() {
            let c = b.cmp(op, x, y);
            b.store_result(k as u32, c);
        }
        let c = b.lt(x, y);
        let s = b.select(c, x, y);
        b.store_result(6, s);
        let mut tys = vec![Ty::Bool; 6];
        tys.push(ty);
        b.ret();
        check_against_eval(&b.finish(), &tys, &pairs(ty));
    }
}

#[test]
fn every_conversion_on_edge_values() {
    for from in Ty::ALL {
        let mut b = Builder::new("convert");
        let x = b.arg(from, 0);
        for (k, to) in Ty::ALL.into_iter().enumerate() {
            let r = b.convert(x, to);
            b.store_result(k as u32, r);
        }
        let bitcast_to = match from {
            Ty::F32 => Some(Ty::I32),
            Ty::F64 => Some(Ty::I64),
            Ty::I32 | Ty::U32 => Some(Ty::F32),
            Ty::I64 => Some(Ty::F64),
            Ty::Bool | Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => {
                None
            }
        };
        let mut tys = Ty::ALL.to_vec();
        if let Some(to) = bitcast_to {
            let r = b.bitcast(x, to);
            b.store_result(6, r);
            tys.push(to);
        }
        b.ret();
        let inputs: Vec<Vec<u64>> = edge_values(from).into_iter().map(|x| vec![x]).collect();
        check_against_eval(&b.finish(), &tys, &inputs);
    }
}

#[test]
fn constants_of_every_type() {
    let mut b = Builder::new("consts");
    let mut tys = Vec::new();
    let mut k = 0;
    for ty in Ty::ALL {
        for bits in edge_values(ty) {
            let c = b.const_bits(ty, bits);
            b.store_result(k, c);
            tys.push(ty);
            k += 1;
        }
    }
    b.ret();
    check_against_eval(&b.finish(), &tys, &[vec![]]);
}

#[test]
fn more_live_values_than_registers_spill() {
    for ty in [Ty::I64, Ty::F64, Ty::I32, Ty::F32] {
        let mut b = Builder::new("spill");
        let x = b.arg(ty, 0);
        let one = b.const_bits(ty, edge_values(ty)[2]);
        let mut live = vec![x];
        for _ in 0..40 {
            let last = *live.last().unwrap();
            let v = b.add(last, one);
            live.push(v);
        }
        // Everything stays live to the end: a sum in reverse order and every value stored.
        let mut acc = live[live.len() - 1];
        for (k, v) in live.iter().enumerate() {
            acc = b.mul(acc, *v);
            b.store_result(k as u32 + 1, *v);
        }
        b.store_result(0, acc);
        b.ret();
        let func = b.finish();
        let code = compile(&func, IsaLevel::Native).unwrap();
        if code.isa() == crate::exec::CodeIsa::X64 {
            let text = code.disassemble();
            assert!(text.contains("[rsp+"), "expected spill slots in\n{text}");
        }
        let inputs: Vec<Vec<u64>> = edge_values(ty).into_iter().map(|x| vec![x]).collect();
        check_against_eval(&func, &vec![ty; live.len() + 1], &inputs);
    }
}

unsafe extern "C" fn weighted_sum(data: *const u8, args: *const u64, results: *mut u64) {
    // SAFETY: the test passes a data block of one i64 and three argument slots, one result slot.
    unsafe {
        let w = *(data as *const i64);
        let a = std::slice::from_raw_parts(args, 3);
        *results = (a[0] as i64 * w + a[1] as i64 + f64::from_bits(a[2]) as i64) as u64;
    }
}

#[test]
fn helper_calls_preserve_live_values() {
    static WEIGHT: i64 = 10;
    let helper = Helper {
        name: "weighted_sum",
        func: weighted_sum,
        data: &WEIGHT as *const i64 as usize,
    };
    let mut b = Builder::new("call");
    let xs: Vec<_> = (0..12).map(|k| b.arg(Ty::I64, k)).collect();
    let fs: Vec<_> = (0..14).map(|k| b.arg(Ty::F64, 12 + k)).collect();
    let r = b.call(helper, &[xs[0], xs[1], fs[0]], &[Ty::I64]);
    let m = b.rem(fs[1], fs[2]);
    let mut acc = r[0];
    for x in &xs {
        acc = b.add(acc, *x);
    }
    let mut facc = m;
    for f in &fs {
        facc = b.add(facc, *f);
    }
    b.store_result(0, acc);
    b.store_result(1, facc);
    b.store_result(2, m);
    b.ret();
    let func = b.finish();
    let args: Vec<u64> = (0..12)
        .map(|k| k as u64 * 3)
        .chain((0..14).map(|k| (k as f64 * 1.25 + 0.5).to_bits()))
        .collect();
    check_against_eval(&func, &[Ty::I64, Ty::F64, Ty::F64], &[args]);
}

#[test]
fn a_loop_with_block_parameters() {
    // sum = 0; for i in 0..n { sum += i * x }  (x: f64, n: i64)
    let mut b = Builder::new("loop");
    let n = b.arg(Ty::I64, 0);
    let x = b.arg(Ty::F64, 1);
    let zero = b.iconst(Ty::I64, 0);
    let fzero = b.f64const(0.0);
    let (head, hp) = b.create_block(&[Ty::I64, Ty::F64]);
    let (body, _) = b.create_block(&[]);
    let (exit, _) = b.create_block(&[]);
    b.jump(head, &[zero, fzero]);
    b.switch_to(head);
    let go = b.lt(hp[0], n);
    b.branch(go, body, &[], exit, &[]);
    b.switch_to(body);
    let fi = b.convert(hp[0], Ty::F64);
    let term = b.mul(fi, x);
    let sum = b.add(hp[1], term);
    let one = b.iconst(Ty::I64, 1);
    let next = b.add(hp[0], one);
    b.jump(head, &[next, sum]);
    b.switch_to(exit);
    b.store_result(0, hp[1]);
    b.store_result(1, hp[0]);
    b.ret();
    let func = b.finish();
    let inputs: Vec<Vec<u64>> = [0i64, 1, 5, 100]
        .iter()
        .map(|&n| vec![n as u64, 0.5f64.to_bits()])
        .collect();
    check_against_eval(&func, &[Ty::F64, Ty::I64], &inputs);
}

#[test]
fn a_diamond_with_branch_arguments_and_a_join() {
    // if x > 0 { sqrt(x) } else { -x * k }, with k passed along the branch.
    let mut b = Builder::new("diamond");
    let x = b.arg(Ty::F64, 0);
    let k = b.arg(Ty::I32, 1);
    let zero = b.f64const(0.0);
    let c = b.gt(x, zero);
    let (then, _) = b.create_block(&[]);
    let (other, op) = b.create_block(&[Ty::I32, Ty::F64]);
    let (join, jp) = b.create_block(&[Ty::F64, Ty::Bool]);
    b.branch(c, then, &[], other, &[k, x]);
    b.switch_to(then);
    let r = b.sqrt(x);
    b.jump(join, &[r, c]);
    b.switch_to(other);
    let n = b.neg(op[1]);
    let kf = b.convert(op[0], Ty::F64);
    let m = b.mul(n, kf);
    b.jump(join, &[m, c]);
    b.switch_to(join);
    b.store_result(0, jp[0]);
    b.store_result(1, jp[1]);
    b.ret();
    let inputs: Vec<Vec<u64>> = edge_values(Ty::F64)
        .into_iter()
        .map(|x| vec![x, u64::from((-3i32) as u32)])
        .collect();
    check_against_eval(&b.finish(), &[Ty::F64, Ty::Bool], &inputs);
}

#[test]
fn a_bottom_tested_loop_with_empty_edge_blocks() {
    // The shape `while` lowers to: s = 0; i = a; if i < n { do { s += i; i += 1 } while i < n }
    // with the critical edges split by blocks that only jump.
    let mut b = Builder::new("rotated");
    let a = b.arg(Ty::I32, 0);
    let n = b.arg(Ty::I32, 1);
    let zero = b.iconst(Ty::I32, 0);
    let one = b.iconst(Ty::I32, 1);
    let p0 = b.lt(a, n);
    let (enter, _) = b.create_block(&[]);
    let (body, cp) = b.create_block(&[Ty::I32, Ty::I32]);
    let (again, _) = b.create_block(&[]);
    let (leave, _) = b.create_block(&[]);
    let (skip, _) = b.create_block(&[]);
    let (exit, ep) = b.create_block(&[Ty::I32, Ty::I32]);
    b.branch(p0, enter, &[], skip, &[]);
    b.switch_to(enter);
    b.jump(body, &[zero, a]);
    b.switch_to(body);
    let s = b.add(cp[0], cp[1]);
    let i = b.add(cp[1], one);
    let p = b.lt(i, n);
    b.branch(p, again, &[], leave, &[]);
    b.switch_to(again);
    b.jump(body, &[s, i]);
    b.switch_to(leave);
    b.jump(exit, &[s, i]);
    b.switch_to(skip);
    b.jump(exit, &[zero, a]);
    b.switch_to(exit);
    b.store_result(0, ep[0]);
    b.store_result(1, ep[1]);
    b.ret();
    let func = b.finish();
    let inputs: Vec<Vec<u64>> = [
        (0i32, 0i32),
        (0, 1),
        (0, 10),
        (5, -5),
        (-3, 4),
        (i32::MAX - 2, i32::MAX),
    ]
    .iter()
    .map(|&(a, n)| vec![u64::from(a as u32), u64::from(n as u32)])
    .collect();
    check_against_eval(&func, &[Ty::I32, Ty::I32], &inputs);
    // The back edge is the compare-and-branch: no `setcc`, no `jmp` in the loop.
    if cfg!(target_arch = "x86_64") {
        let text = compile_or_panic(&func, IsaLevel::Native, AllocatorChoice::Ion).disassemble();
        assert!(!text.contains("set"), "{text}");
        assert_eq!(text.matches(" jl ").count(), 1, "{text}");
    }
}

#[test]
fn compares_whose_bool_is_used_beyond_the_branch() {
    // The result of each compare is also a block argument or a result, so
    // it cannot live in the flags only.
    let mut b = Builder::new("kept");
    let x = b.arg(Ty::I64, 0);
    let y = b.arg(Ty::I64, 1);
    let c = b.le(x, y);
    let (then, tp) = b.create_block(&[Ty::Bool]);
    let (other, _) = b.create_block(&[]);
    let (join, jp) = b.create_block(&[Ty::Bool, Ty::Bool]);
    b.branch(c, then, &[c], other, &[]);
    b.switch_to(then);
    let d = b.ne(x, y);
    b.jump(join, &[tp[0], d]);
    b.switch_to(other);
    let e = b.gt(x, y);
    b.jump(join, &[c, e]);
    b.switch_to(join);
    let f = b.eq(jp[0], jp[1]);
    let (last, _) = b.create_block(&[]);
    let (split, sp) = b.create_block(&[Ty::Bool]);
    let (end, ep) = b.create_block(&[Ty::Bool]);
    b.branch(f, last, &[], split, &[f]);
    b.switch_to(last);
    b.jump(end, &[c]);
    b.switch_to(split);
    b.jump(end, &[sp[0]]);
    b.switch_to(end);
    b.store_result(0, ep[0]);
    b.store_result(1, c);
    b.ret();
    let func = b.finish();
    let inputs: Vec<Vec<u64>> = [(0i64, 0i64), (1, 2), (2, 1), (i64::MIN, i64::MAX), (-1, 0)]
        .iter()
        .map(|&(x, y)| vec![x as u64, y as u64])
        .collect();
    check_against_eval(&func, &[Ty::Bool, Ty::Bool], &inputs);
}
