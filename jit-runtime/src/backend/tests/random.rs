//! Random straight-line MIR functions over all types and operators, run
//! natively and in the evaluator on edge and random inputs.

use super::*;
use crate::mir::{BinOp, Builder, CmpOp, UnOp, Value};

/// splitmix64: a small deterministic generator, enough for test programs.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(super) fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
}

/// A value of type `ty`: an edge value or random bits.
pub(super) fn input(rng: &mut Rng, ty: Ty) -> u64 {
    if rng.below(3) == 0 {
        crate::mir::eval::canonical(ty, rng.next())
    } else {
        rng.pick(&edge_values(ty))
    }
}

struct Program {
    func: crate::mir::Function,
    arg_tys: Vec<Ty>,
    result_tys: Vec<Ty>,
}

/// Values available per type (indexed like `Ty::ALL`).
pub(super) type Pool = Vec<Vec<Value>>;

/// The index of `ty` in a [`Pool`].
pub(super) fn index(ty: Ty) -> usize {
    Ty::ALL.iter().position(|&t| t == ty).unwrap()
}

/// A value of type `ty` from the pool, preferring recent ones so that chains
/// form, but reaching back too.
pub(super) fn operand(rng: &mut Rng, pool: &Pool, ty: Ty) -> Value {
    let p = &pool[index(ty)];
    if rng.below(2) == 0 {
        p[p.len() - 1 - rng.below(p.len().min(4))]
    } else {
        rng.pick(p)
    }
}

/// One random instruction over the pool (whose first two values of each
/// type are arguments); returns its result, not yet added to the pool.
pub(super) fn random_value(rng: &mut Rng, b: &mut Builder, pool: &Pool) -> Value {
    let ty = rng.pick(&Ty::ALL);
    match rng.below(10) {
        0 => {
            let bits = input(rng, ty);
            b.const_bits(ty, bits)
        }
        1 | 2 => {
            let ops: Vec<UnOp> = UnOp::ALL.into_iter().filter(|o| o.accepts(ty)).collect();
            let x = operand(rng, pool, ty);
            b.unary(rng.pick(&ops), x)
        }
        3..=5 => {
            let ops: Vec<BinOp> = BinOp::ALL.into_iter().filter(|o| o.accepts(ty)).collect();
            let x = operand(rng, pool, ty);
            let y = operand(rng, pool, ty);
            b.binary(rng.pick(&ops), x, y)
        }
        6 => {
            let x = operand(rng, pool, ty);
            let y = operand(rng, pool, ty);
            b.cmp(rng.pick(&CmpOp::ALL), x, y)
        }
        7 => {
            let c = operand(rng, pool, Ty::Bool);
            let x = operand(rng, pool, ty);
            let y = operand(rng, pool, ty);
            b.select(c, x, y)
        }
        8 => {
            let from = rng.pick(&Ty::ALL);
            let x = operand(rng, pool, from);
            b.convert(x, ty)
        }
        _ => {
            let (from, to) = rng.pick(&[
                (Ty::F32, Ty::I32),
                (Ty::F32, Ty::U32),
                (Ty::I32, Ty::F32),
                (Ty::U32, Ty::F32),
                (Ty::F64, Ty::I64),
                (Ty::I64, Ty::F64),
            ]);
            // A float's bits are only defined up to NaN payloads, so
            // float -> int bitcasts read arguments, whose bits are given.
            let x = if from.is_float() {
                pool[index(from)][rng.below(2)]
            } else {
                operand(rng, pool, from)
            };
            b.bitcast(x, to)
        }
    }
}

fn random_program(rng: &mut Rng, len: usize, keep_all: bool) -> Program {
    let mut b = Builder::new("random");
    let mut pool: Pool = vec![Vec::new(); Ty::ALL.len()];
    let mut arg_tys = Vec::new();
    for ty in Ty::ALL {
        for _ in 0..2 {
            let v = b.arg(ty, arg_tys.len() as u32);
            arg_tys.push(ty);
            pool[index(ty)].push(v);
        }
    }
    let mut made = Vec::new();
    for _ in 0..len {
        let v = random_value(rng, &mut b, &pool);
        let vty = b.ty(v);
        pool[index(vty)].push(v);
        made.push(v);
    }
    let stored: Vec<Value> = if keep_all {
        made.clone()
    } else {
        (0..8).map(|_| rng.pick(&made)).collect()
    };
    let mut result_tys = Vec::new();
    for v in stored {
        b.store_result(result_tys.len() as u32, v);
        result_tys.push(b.ty(v));
    }
    b.ret();
    Program {
        func: b.finish(),
        arg_tys,
        result_tys,
    }
}

/// `JIT_TEST_RANDOM_SCALE=n` runs n times as many programs (default 1);
/// `JIT_TEST_SCALE` scales them down (see [`scaled`]).
fn run_random(seed: u64, programs: usize, len: usize, keep_all: bool) {
    let scale: usize = std::env::var("JIT_TEST_RANDOM_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut rng = Rng(seed);
    for _ in 0..scaled(programs) * scale {
        let p = random_program(&mut rng, len, keep_all);
        let inputs: Vec<Vec<u64>> = (0..6)
            .map(|_| p.arg_tys.iter().map(|&t| input(&mut rng, t)).collect())
            .collect();
        check_against_eval(&p.func, &p.result_tys, &inputs);
    }
}

#[test]
fn random_straight_line_functions_agree_with_the_evaluator() {
    run_random(1, 300, 30, false);
}

#[test]
fn random_functions_with_everything_live_agree_with_the_evaluator() {
    // Every value is stored at the end, so dozens are live at once: spills.
    run_random(2, 60, 60, true);
}
