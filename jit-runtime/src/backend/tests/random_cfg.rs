//! Random loop-free MIR functions with several blocks: chains and nests of
//! diamonds whose arms and joins take block parameters, helper calls in
//! some arms, and optionally dozens of values live across all of it. Run
//! natively (every allocator, each allocation checked by regalloc2's
//! checker) and in the evaluator.

use super::random::{Pool, Rng, index, input, operand, random_value};
use super::*;
use crate::mir::{Builder, Helper, Value};

/// `results = [a * 0x9e37_79b9 ^ a >> 7, b * 0.5]` for `args = [a: i64, b: f64]`.
unsafe extern "C" fn mix(_data: *const u8, args: *const u64, results: *mut u64) {
    // SAFETY: every call site passes two argument and two result slots.
    unsafe {
        let a = *args;
        let b = f64::from_bits(*args.add(1));
        *results = a.wrapping_mul(0x9e37_79b9) ^ (a >> 7);
        *results.add(1) = (b * 0.5).to_bits();
    }
}

const MIX: Helper = Helper {
    name: "mix",
    func: mix,
    data: 0,
};

/// Random types for `n` block parameters (at most `max`).
fn param_tys(rng: &mut Rng, max: usize) -> Vec<Ty> {
    (0..rng.below(max + 1))
        .map(|_| rng.pick(&Ty::ALL))
        .collect()
}

fn args_for(rng: &mut Rng, pool: &Pool, tys: &[Ty]) -> Vec<Value> {
    tys.iter().map(|&t| operand(rng, pool, t)).collect()
}

fn add_all(b: &Builder, pool: &mut Pool, vs: &[Value]) {
    for &v in vs {
        pool[index(b.ty(v))].push(v);
    }
}

/// A few instructions, helper calls and (below `depth` 3) diamonds,
/// appended to the current block; `pool` holds the values that dominate it.
fn region(rng: &mut Rng, b: &mut Builder, pool: &mut Pool, depth: usize) {
    for _ in 0..2 + rng.below(6) {
        match rng.below(12) {
            0 | 1 if depth < 3 => diamond(rng, b, pool, depth + 1),
            2 => {
                let a = operand(rng, pool, Ty::I64);
                let x = operand(rng, pool, Ty::F64);
                let r = b.call(MIX, &[a, x], &[Ty::I64, Ty::F64]);
                add_all(b, pool, &r);
            }
            _ => {
                let v = random_value(rng, b, pool);
                add_all(b, pool, &[v]);
            }
        }
    }
}

/// `branch c, then(..), else(..)`, both arms jumping to a join with parameters.
fn diamond(rng: &mut Rng, b: &mut Builder, pool: &mut Pool, depth: usize) {
    let c = if rng.below(2) == 0 {
        operand(rng, pool, Ty::Bool)
    } else {
        let ty = rng.pick(&[Ty::I32, Ty::I64, Ty::F64]);
        let (x, y) = (operand(rng, pool, ty), operand(rng, pool, ty));
        b.lt(x, y)
    };
    let (then_tys, else_tys) = (param_tys(rng, 3), param_tys(rng, 3));
    let (then, tp) = b.create_block(&then_tys);
    let (other, ep) = b.create_block(&else_tys);
    let then_args = args_for(rng, pool, &then_tys);
    let else_args = args_for(rng, pool, &else_tys);
    b.branch(c, then, &then_args, other, &else_args);
    let join_tys = param_tys(rng, 4);
    let mut ends = Vec::new();
    for (block, params) in [(then, tp), (other, ep)] {
        b.switch_to(block);
        let mut arm = pool.clone();
        add_all(b, &mut arm, &params);
        region(rng, b, &mut arm, depth);
        ends.push((b.current_block(), args_for(rng, &arm, &join_tys)));
    }
    let (join, jp) = b.create_block(&join_tys);
    for (end, args) in ends {
        b.switch_to(end);
        b.jump(join, &args);
    }
    b.switch_to(join);
    add_all(b, pool, &jp);
}

/// `live` values made up front stay live to the end (register pressure),
/// then `diamonds` diamonds in a chain, each possibly nesting more.
/// `JIT_TEST_RANDOM_SCALE=n` runs n times as many programs (default 1);
/// `JIT_TEST_SCALE` scales them down (see [`scaled`]).
fn run_random_cfg(seed: u64, programs: usize, live: usize, diamonds: usize) {
    let scale: usize = std::env::var("JIT_TEST_RANDOM_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut rng = Rng(seed);
    for _ in 0..scaled(programs) * scale {
        let mut b = Builder::new("random_cfg");
        let mut pool: Pool = vec![Vec::new(); Ty::ALL.len()];
        let mut arg_tys = Vec::new();
        for ty in Ty::ALL {
            for _ in 0..2 {
                let v = b.arg(ty, arg_tys.len() as u32);
                arg_tys.push(ty);
                pool[index(ty)].push(v);
            }
        }
        let mut kept = Vec::new();
        for _ in 0..live {
            let v = random_value(&mut rng, &mut b, &pool);
            add_all(&b, &mut pool, &[v]);
            kept.push(v);
        }
        for _ in 0..diamonds {
            diamond(&mut rng, &mut b, &mut pool, 1);
            region(&mut rng, &mut b, &mut pool, 3);
        }
        // Values of the last join and a sample of everything dominating the end.
        kept.extend(pool.iter().flat_map(|p| p.iter().rev().take(2)));
        kept.extend((0..6).map(|_| {
            let ty = rng.pick(&Ty::ALL);
            rng.pick(&pool[index(ty)])
        }));
        let mut result_tys = Vec::new();
        for v in kept {
            b.store_result(result_tys.len() as u32, v);
            result_tys.push(b.ty(v));
        }
        b.ret();
        let func = b.finish();
        let inputs: Vec<Vec<u64>> = (0..6)
            .map(|_| arg_tys.iter().map(|&t| input(&mut rng, t)).collect())
            .collect();
        check_against_eval(&func, &result_tys, &inputs);
    }
}

#[test]
fn random_diamonds_agree_with_the_evaluator() {
    run_random_cfg(3, 80, 0, 1);
}

#[test]
fn random_chains_of_diamonds_agree_with_the_evaluator() {
    run_random_cfg(4, 20, 4, 3);
}

#[test]
fn random_diamonds_under_register_pressure_agree_with_the_evaluator() {
    // Dozens of values live across every block: homes in slots, reloads.
    run_random_cfg(5, 12, 40, 2);
}
