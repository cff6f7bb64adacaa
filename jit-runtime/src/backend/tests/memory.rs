//! `Load` and `Store` executed: element loops over buffers of every type,
//! against the evaluator's [`eval_with_memory`] on copies of the same
//! buffers, with guard elements after each buffer that must stay untouched.

use super::{CHOICES, LEVELS, call, compile_or_panic, edge_values, same};
use crate::mir::eval::eval_with_memory;
use crate::mir::{Builder, Function, Ty};

/// Guard bytes after each buffer.
const GUARD: usize = 16;
const GUARD_BYTE: u8 = 0xa5;

/// `for i in 0..n { out[i] = f(x[i]) }` (bottom-tested), with `f` the
/// identity on `bool`, `v + v` on numbers; arguments `x`, `out`, `n`.
fn element_loop(ty: Ty) -> Function {
    let mut b = Builder::new("element_loop");
    let x = b.arg(Ty::I64, 0);
    let out = b.arg(Ty::I64, 1);
    let n = b.arg(Ty::I64, 2);
    let zero = b.iconst(Ty::I64, 0);
    let any = b.lt(zero, n);
    let (enter, _) = b.create_block(&[]);
    let (body, params) = b.create_block(&[Ty::I64]);
    let (again, _) = b.create_block(&[]);
    let (skip, _) = b.create_block(&[]);
    let (exit, _) = b.create_block(&[]);
    b.branch(any, enter, &[], skip, &[]);
    b.switch_to(skip);
    b.jump(exit, &[]);
    b.switch_to(enter);
    b.jump(body, &[zero]);
    b.switch_to(body);
    let i = params[0];
    let v = b.load(ty, x, i);
    let w = if ty == Ty::Bool { v } else { b.add(v, v) };
    b.store(out, i, w);
    let one = b.iconst(Ty::I64, 1);
    let next = b.add(i, one);
    let more = b.lt(next, n);
    let (leave, _) = b.create_block(&[]);
    b.branch(more, again, &[], leave, &[]);
    b.switch_to(again);
    b.jump(body, &[next]);
    b.switch_to(leave);
    b.jump(exit, &[]);
    b.switch_to(exit);
    b.ret();
    b.finish()
}

/// `n` elements of `ty` cycling through its edge values, then the guard.
fn buffer(ty: Ty, n: usize) -> Vec<u8> {
    let size = ty.size_of() as usize;
    let edges = edge_values(ty);
    let mut bytes = Vec::with_capacity(n * size + GUARD);
    for k in 0..n {
        bytes.extend_from_slice(&edges[k % edges.len()].to_le_bytes()[..size]);
    }
    bytes.resize(n * size + GUARD, GUARD_BYTE);
    bytes
}

/// The element `k` of `bytes` as a slot value.
fn element(ty: Ty, bytes: &[u8], k: usize) -> u64 {
    let size = ty.size_of() as usize;
    let mut raw = [0u8; 8];
    raw[..size].copy_from_slice(&bytes[k * size..(k + 1) * size]);
    u64::from_le_bytes(raw)
}

#[test]
fn element_loops_read_and_write_only_their_elements() {
    for ty in Ty::ALL {
        let func = element_loop(ty);
        for n in [0usize, 1, 7, 100] {
            let x = buffer(ty, n);
            let mut want = vec![GUARD_BYTE; n * ty.size_of() as usize + GUARD];
            let args = [x.as_ptr() as u64, want.as_mut_ptr() as u64, n as u64];
            // SAFETY: the loop reads `n` elements of `x` and writes `n` of
            // `want`, both that long.
            unsafe { eval_with_memory(&func, &args) };
            for isa in LEVELS {
                for choice in CHOICES {
                    let code = compile_or_panic(&func, isa, choice);
                    let mut got = vec![GUARD_BYTE; want.len()];
                    let args = [x.as_ptr() as u64, got.as_mut_ptr() as u64, n as u64];
                    call(&code, &args, 0);
                    for k in 0..n {
                        let (w, g) = (element(ty, &want, k), element(ty, &got, k));
                        assert!(
                            same(ty, w, g),
                            "{isa:?}/{choice:?} {ty} n={n} element {k}: evaluator {w:#x}, native {g:#x}\n{func}"
                        );
                    }
                    let tail = n * ty.size_of() as usize;
                    assert!(
                        got[tail..].iter().all(|&b| b == GUARD_BYTE),
                        "{isa:?}/{choice:?} {ty} n={n}: wrote past the end"
                    );
                }
            }
        }
    }
}

#[test]
fn eval_without_memory_refuses_loads() {
    let func = element_loop(Ty::I32);
    let refused = std::panic::catch_unwind(|| crate::mir::eval::eval(&func, &[0, 0, 1]));
    assert!(refused.is_err());
}
