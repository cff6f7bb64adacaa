//! The MIR reference evaluator: the definition of what every instruction means.
//!
//! Values are carried as `u64` bit patterns in the layout of the compiled
//! code's slots: 32-bit types and `Bool` in the low bits with the upper bits
//! zero, floats as their IEEE bit patterns. Backends are tested against these
//! functions bit for bit (any NaN equals any NaN).
//!
//! Memory: [`Inst::Load`] and [`Inst::Store`] read and write the process's
//! memory at their element address, as compiled code does. Only
//! [`eval_with_memory`] (unsafe: the caller vouches for every address, as it
//! does when it calls compiled code) runs them; [`eval`] panics on them.
//!
//! Vectors: a value of a vector type does not fit a `u64`; the evaluator
//! defines each vector instruction by its lanes (the scalar functions here,
//! lane by lane, [`reduce_lanes`] for [`Inst::ReduceLanes`], [`fma_lanes`]
//! for a vector [`Inst::Fma`]) but does not
//! run functions holding vector values: [`eval`] panics on them. Backends'
//! vector instructions are tested lane by lane against these functions.
//!
//! Invariant: every function here is total; nothing panics on any input
//! (wrapping arithmetic, checked division with the documented results).

use super::function::Function;
use super::inst::{BinOp, CmpOp, Inst, UnOp};
use super::types::{Block, Ty};

fn f32_of(x: u64) -> f32 {
    f32::from_bits(x as u32)
}
fn f64_of(x: u64) -> f64 {
    f64::from_bits(x)
}
fn of_f32(x: f32) -> u64 {
    u64::from(x.to_bits())
}
fn of_f64(x: f64) -> u64 {
    x.to_bits()
}
fn of_i32(x: i32) -> u64 {
    u64::from(x as u32)
}

/// Normalise `x` to the canonical slot layout of `ty` (clear bits above the width).
pub fn canonical(ty: Ty, x: u64) -> u64 {
    match ty {
        Ty::I64 | Ty::F64 => x,
        Ty::Bool => x & 1,
        _ => x & 0xffff_ffff,
    }
}

/// Float minimum / maximum with the MIR rules (NaN if either is NaN).
/// IEEE 754-2019 `maximum`/`minimum` on the bit patterns `a`, `b` of one
/// float type: NaN if either is NaN, `-0.0` below `+0.0`.
fn fminmax<T: PartialOrd + Copy>(
    is_max: bool,
    a: T,
    b: T,
    nan: impl Fn(T) -> bool,
    negative: impl Fn(T) -> bool,
) -> T {
    if nan(a) {
        a
    } else if nan(b) {
        b
    } else if a == b {
        // Equal: the same value, or zeros of two signs.
        if negative(a) == is_max { b } else { a }
    } else if (a > b) == is_max {
        a
    } else {
        b
    }
}

/// `op x` for a value of type `ty`.
pub fn unary(op: UnOp, ty: Ty, x: u64) -> u64 {
    macro_rules! float {
        ($get:ident, $put:ident, $sign:expr) => {{
            let v = $get(x);
            match op {
                UnOp::Neg => $put($get(x ^ $sign)),
                UnOp::Abs => $put($get(x & !$sign)),
                UnOp::Sqrt => $put(v.sqrt()),
                UnOp::Floor => $put(v.floor()),
                UnOp::Ceil => $put(v.ceil()),
                UnOp::Trunc => $put(v.trunc()),
                UnOp::Round => $put(v.round()),
                UnOp::RoundEven => $put(v.round_ties_even()),
                UnOp::Not => unreachable!("not on float"),
            }
        }};
    }
    match ty {
        Ty::F32 => float!(f32_of, of_f32, 0x8000_0000),
        Ty::F64 => float!(f64_of, of_f64, 0x8000_0000_0000_0000),
        Ty::Bool => match op {
            UnOp::Not => (x ^ 1) & 1,
            _ => unreachable!("{op:?} on bool"),
        },
        _ => {
            let r = match op {
                UnOp::Neg => x.wrapping_neg(),
                UnOp::Not => !x,
                _ => unreachable!("{op:?} on {ty}"),
            };
            canonical(ty, r)
        }
    }
}

/// The lanes of a vector combined with `op` in the halving order of
/// [`Inst::ReduceLanes`], each step [`binary`] on the lane type `lane`.
pub fn reduce_lanes(op: BinOp, lane: Ty, lanes: &[u64]) -> u64 {
    let mut lanes = lanes.to_vec();
    while lanes.len() > 1 {
        let half = lanes.len() / 2;
        for k in 0..half {
            lanes[k] = binary(op, lane, lanes[k], lanes[k + half]);
        }
        lanes.truncate(half);
    }
    lanes[0]
}

/// `a op b` for values of type `ty`.
pub fn binary(op: BinOp, ty: Ty, a: u64, b: u64) -> u64 {
    match ty {
        Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => {
            unreachable!("vectors are evaluated lane by lane")
        }
        Ty::F32 => {
            let (x, y) = (f32_of(a), f32_of(b));
            of_f32(match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::Rem => x % y,
                BinOp::Min => fminmax(false, x, y, f32::is_nan, f32::is_sign_negative),
                BinOp::Max => fminmax(true, x, y, f32::is_nan, f32::is_sign_negative),
                _ => unreachable!("{op:?} on f32"),
            })
        }
        Ty::F64 => {
            let (x, y) = (f64_of(a), f64_of(b));
            of_f64(match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::Rem => x % y,
                BinOp::Min => fminmax(false, x, y, f64::is_nan, f64::is_sign_negative),
                BinOp::Max => fminmax(true, x, y, f64::is_nan, f64::is_sign_negative),
                _ => unreachable!("{op:?} on f64"),
            })
        }
        Ty::I32 => {
            let (x, y) = (a as u32 as i32, b as u32 as i32);
            of_i32(match op {
                BinOp::Div if y == 0 => -1,
                BinOp::Rem if y == 0 => x,
                BinOp::Div => x.wrapping_div(y),
                BinOp::Rem => x.wrapping_rem(y),
                BinOp::ShrS => x.wrapping_shr(y as u32),
                _ => return int_common(op, ty, a, b),
            })
        }
        Ty::I64 => {
            let (x, y) = (a as i64, b as i64);
            (match op {
                BinOp::Div if y == 0 => -1,
                BinOp::Rem if y == 0 => x,
                BinOp::Div => x.wrapping_div(y),
                BinOp::Rem => x.wrapping_rem(y),
                BinOp::ShrS => x.wrapping_shr(y as u32),
                _ => return int_common(op, ty, a, b),
            }) as u64
        }
        Ty::U32 => {
            let (x, y) = (a as u32, b as u32);
            u64::from(match op {
                BinOp::Div if y == 0 => u32::MAX,
                BinOp::Rem if y == 0 => x,
                BinOp::Div => x / y,
                BinOp::Rem => x % y,
                _ => return int_common(op, ty, a, b),
            })
        }
        Ty::Bool => int_common(op, ty, a, b),
    }
}

/// The operators that act alike on every integer width: wrap, then clear the upper bits.
fn int_common(op: BinOp, ty: Ty, a: u64, b: u64) -> u64 {
    let r = match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
        BinOp::Shl if ty == Ty::I64 => a.wrapping_shl(b as u32),
        BinOp::Shl => u64::from((a as u32).wrapping_shl(b as u32)),
        BinOp::ShrU if ty == Ty::I64 => a.wrapping_shr(b as u32),
        BinOp::ShrU => u64::from((a as u32).wrapping_shr(b as u32)),
        _ => unreachable!("{op:?} on {ty}"),
    };
    canonical(ty, r)
}

/// `a op b` for operands of type `ty`.
pub fn compare(op: CmpOp, ty: Ty, a: u64, b: u64) -> bool {
    fn by<T: PartialOrd>(op: CmpOp, x: T, y: T) -> bool {
        match op {
            CmpOp::Lt => x < y,
            CmpOp::Le => x <= y,
            CmpOp::Gt => x > y,
            CmpOp::Ge => x >= y,
            CmpOp::Eq => x == y,
            CmpOp::Ne => x != y,
        }
    }
    match ty {
        Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => {
            unreachable!("vectors are evaluated lane by lane")
        }
        Ty::F32 => by(op, f32_of(a), f32_of(b)),
        Ty::F64 => by(op, f64_of(a), f64_of(b)),
        Ty::I32 => by(op, a as u32 as i32, b as u32 as i32),
        Ty::I64 => by(op, a as i64, b as i64),
        Ty::U32 | Ty::Bool => by(op, a as u32, b as u32),
    }
}

/// `x as to` for a value of type `from` (see [`Inst::Convert`]).
pub fn convert(from: Ty, to: Ty, x: u64) -> u64 {
    if to == Ty::Bool {
        return u64::from(match from {
            Ty::F32 => f32_of(x) != 0.0,
            Ty::F64 => f64_of(x) != 0.0,
            _ => canonical(from, x) != 0,
        });
    }
    // Through the widest exact form of the source.
    enum Src {
        Int(i128),
        F32(f32),
        F64(f64),
    }
    let src = match from {
        Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => {
            unreachable!("no conversion of vectors")
        }
        Ty::I32 => Src::Int(i128::from(x as u32 as i32)),
        Ty::U32 | Ty::Bool => Src::Int(i128::from(x as u32)),
        Ty::I64 => Src::Int(i128::from(x as i64)),
        Ty::F32 => Src::F32(f32_of(x)),
        Ty::F64 => Src::F64(f64_of(x)),
    };
    match (to, src) {
        (Ty::I32, Src::Int(v)) => of_i32(v as i32),
        (Ty::I32, Src::F32(v)) => of_i32(v as i32),
        (Ty::I32, Src::F64(v)) => of_i32(v as i32),
        (Ty::U32, Src::Int(v)) => u64::from(v as u32),
        (Ty::U32, Src::F32(v)) => u64::from(v as u32),
        (Ty::U32, Src::F64(v)) => u64::from(v as u32),
        (Ty::I64, Src::Int(v)) => v as i64 as u64,
        (Ty::I64, Src::F32(v)) => v as i64 as u64,
        (Ty::I64, Src::F64(v)) => v as i64 as u64,
        // i128 -> float rounds to nearest once, as the 64-bit sources need.
        (Ty::F32, Src::Int(v)) => of_f32(v as f32),
        (Ty::F32, Src::F32(v)) => of_f32(v),
        (Ty::F32, Src::F64(v)) => of_f32(v as f32),
        (Ty::F64, Src::Int(v)) => of_f64(v as f64),
        (Ty::F64, Src::F32(v)) => of_f64(f64::from(v)),
        (Ty::F64, Src::F64(v)) => of_f64(v),
        (Ty::Bool, _) => unreachable!("handled above"),
        (Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4, _) => {
            unreachable!("no conversion to vectors")
        }
    }
}

/// Reinterpret bits (the slot layout makes this a masking of the width).
pub fn bitcast(to: Ty, x: u64) -> u64 {
    canonical(to, x)
}

/// `a * b + c` rounded once, of float type `ty` (Rust's `mul_add`).
pub fn fma(ty: Ty, a: u64, b: u64, c: u64) -> u64 {
    match ty {
        Ty::F32 => of_f32(f32_of(a).mul_add(f32_of(b), f32_of(c))),
        Ty::F64 => of_f64(f64_of(a).mul_add(f64_of(b), f64_of(c))),
        _ => panic!("fma on {ty}"),
    }
}

/// A vector [`Inst::Fma`] of the float vector type `ty`: [`fma`] on each
/// lane of the lane type, exactly (one rounding per lane, Rust's
/// `mul_add`).
pub fn fma_lanes(ty: Ty, a: &[u64], b: &[u64], c: &[u64]) -> Vec<u64> {
    let lanes = ty.lanes() as usize;
    assert!(
        ty.is_vector() && [a.len(), b.len(), c.len()] == [lanes; 3],
        "fma_lanes on {ty}"
    );
    (0..lanes)
        .map(|k| fma(ty.lane(), a[k], b[k], c[k]))
        .collect()
}

/// Run `func` on argument slots `args` (missing slots read as 0); returns
/// its result slots (`func.num_results` of them, unwritten ones 0).
///
/// # Panics
/// If `func` reaches a `Load` or `Store` (see [`eval_with_memory`]).
pub fn eval(func: &Function, args: &[u64]) -> Vec<u64> {
    run(func, args, false)
}

/// [`eval`] of a function that reads or writes memory: `Load` and `Store`
/// access the element address (`base + index * size`) as raw pointers, in
/// native byte order, unaligned.
///
/// # Safety
/// Every element address `func` reaches on `args` must be valid for the
/// access (readable for a load, writable and not otherwise borrowed for a
/// store), exactly as for a call of compiled code lowered from `func`.
pub unsafe fn eval_with_memory(func: &Function, args: &[u64]) -> Vec<u64> {
    run(func, args, true)
}

/// The address of element `index` of type `ty` at `base`.
fn element_address(ty: Ty, base: u64, index: u64) -> usize {
    base.wrapping_add(index.wrapping_mul(u64::from(ty.size_of()))) as usize
}

/// `*addr` as a slot value of type `ty`.
///
/// # Safety
/// `addr` is readable for `ty.size_of()` bytes.
unsafe fn read_element(ty: Ty, addr: usize) -> u64 {
    // SAFETY: the caller's contract; unaligned reads as compiled code does.
    unsafe {
        match ty.size_of() {
            1 => u64::from((addr as *const u8).read_unaligned() != 0),
            4 => u64::from((addr as *const u32).read_unaligned()),
            _ => (addr as *const u64).read_unaligned(),
        }
    }
}

/// `*addr = x` for a slot value `x` of type `ty`.
///
/// # Safety
/// `addr` is writable for `ty.size_of()` bytes.
unsafe fn write_element(ty: Ty, addr: usize, x: u64) {
    // SAFETY: the caller's contract.
    unsafe {
        match ty.size_of() {
            1 => (addr as *mut u8).write_unaligned((x & 1) as u8),
            4 => (addr as *mut u32).write_unaligned(x as u32),
            _ => (addr as *mut u64).write_unaligned(x),
        }
    }
}

/// The evaluator; `memory` says whether the caller vouched for the
/// addresses of loads and stores ([`eval_with_memory`]).
fn run(func: &Function, args: &[u64], memory: bool) -> Vec<u64> {
    let mut vals = vec![0u64; func.values.len()];
    let mut results = vec![0u64; func.num_results];
    let mut block = Block(0);
    loop {
        let mut next = None;
        for inst in func.block_insts(block) {
            match inst {
                Inst::Const { dst, bits } => vals[dst.index()] = canonical(func.ty(*dst), *bits),
                Inst::Arg { dst, slot } => {
                    let raw = args.get(*slot as usize).copied().unwrap_or(0);
                    vals[dst.index()] = canonical(func.ty(*dst), raw);
                }
                Inst::StoreResult { src, slot } => results[*slot as usize] = vals[src.index()],
                Inst::Unary { op, ty, dst, src } => {
                    vals[dst.index()] = unary(*op, *ty, vals[src.index()])
                }
                Inst::Binary {
                    op,
                    ty,
                    dst,
                    lhs,
                    rhs,
                } => {
                    vals[dst.index()] = binary(*op, *ty, vals[lhs.index()], vals[rhs.index()]);
                }
                Inst::Cmp {
                    op,
                    ty,
                    dst,
                    lhs,
                    rhs,
                } => {
                    vals[dst.index()] =
                        u64::from(compare(*op, *ty, vals[lhs.index()], vals[rhs.index()]));
                }
                Inst::Select {
                    dst,
                    cond,
                    if_true,
                    if_false,
                    ..
                } => {
                    let pick = if vals[cond.index()] != 0 {
                        if_true
                    } else {
                        if_false
                    };
                    vals[dst.index()] = vals[pick.index()];
                }
                Inst::Fma { ty, .. } if ty.is_vector() => {
                    panic!("the MIR evaluator runs no vector instruction: {inst}")
                }
                Inst::Fma { ty, dst, a, b, c } => {
                    let (a, b, c) = (vals[a.index()], vals[b.index()], vals[c.index()]);
                    vals[dst.index()] = fma(*ty, a, b, c);
                }
                Inst::Convert { from, to, dst, src } => {
                    vals[dst.index()] = convert(*from, *to, vals[src.index()])
                }
                Inst::Bitcast { to, dst, src, .. } => {
                    vals[dst.index()] = bitcast(*to, vals[src.index()])
                }
                Inst::Call { helper, args, rets } => {
                    let a: Vec<u64> = args.iter().map(|v| vals[v.index()]).collect();
                    let mut r = vec![0u64; rets.len()];
                    // SAFETY: a helper's contract is to read `args.len()` slots
                    // and write `rets.len()` slots, exactly what is passed here.
                    unsafe { (helper.func)(helper.data as *const u8, a.as_ptr(), r.as_mut_ptr()) };
                    for (v, x) in rets.iter().zip(r) {
                        vals[v.index()] = canonical(func.ty(*v), x);
                    }
                }
                Inst::Load {
                    ty,
                    dst,
                    base,
                    index,
                } => {
                    assert!(memory, "MIR `{inst}` reads memory: use eval_with_memory");
                    let addr = element_address(*ty, vals[base.index()], vals[index.index()]);
                    // SAFETY: `memory` is set only by `eval_with_memory`,
                    // whose caller vouches for every element address.
                    vals[dst.index()] = unsafe { read_element(*ty, addr) };
                }
                Inst::Store {
                    ty,
                    base,
                    index,
                    value,
                } => {
                    assert!(memory, "MIR `{inst}` writes memory: use eval_with_memory");
                    let addr = element_address(*ty, vals[base.index()], vals[index.index()]);
                    // SAFETY: as for `Load`.
                    unsafe { write_element(*ty, addr, vals[value.index()]) };
                }
                Inst::Jump { dest } => next = Some(dest),
                Inst::Branch {
                    cond,
                    then,
                    otherwise,
                } => {
                    next = Some(if vals[cond.index()] != 0 {
                        then
                    } else {
                        otherwise
                    });
                }
                Inst::Return => return results,
                Inst::Splat { .. }
                | Inst::ReduceLanes { .. }
                | Inst::ShiftImm { .. }
                | Inst::Widen { .. }
                | Inst::Narrow { .. }
                | Inst::ConcatLow { .. }
                | Inst::Permute { .. }
                | Inst::ByteTable { .. }
                | Inst::ByteTableInto { .. }
                | Inst::AnyLane { .. }
                | Inst::ExtractLane { .. }
                | Inst::InsertLane { .. }
                | Inst::VectorLoad { .. }
                | Inst::VectorStore { .. } => {
                    panic!("the MIR evaluator runs no vector instruction: {inst}")
                }
            }
        }
        let call = next.expect("verified MIR: every block ends in a terminator");
        let passed: Vec<u64> = call.args.iter().map(|v| vals[v.index()]).collect();
        for (p, x) in func.blocks[call.block.index()].params.iter().zip(passed) {
            vals[p.index()] = x;
        }
        block = call.block;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_division_is_total() {
        let m = i32::MIN as u32 as u64;
        assert_eq!(binary(BinOp::Div, Ty::I32, 7, 0), u64::from(u32::MAX));
        assert_eq!(binary(BinOp::Rem, Ty::I32, 7, 0), 7);
        assert_eq!(binary(BinOp::Div, Ty::I32, m, of_i32(-1)), m);
        assert_eq!(binary(BinOp::Rem, Ty::I32, m, of_i32(-1)), 0);
        assert_eq!(binary(BinOp::Div, Ty::U32, 7, 0), u64::from(u32::MAX));
        assert_eq!(
            binary(BinOp::Div, Ty::I64, i64::MIN as u64, u64::MAX),
            i64::MIN as u64
        );
    }

    #[test]
    fn float_min_max_order_negative_zero_below_zero() {
        let (z, nz) = (of_f32(0.0), of_f32(-0.0));
        assert_eq!(binary(BinOp::Max, Ty::F32, nz, z), z);
        assert_eq!(binary(BinOp::Max, Ty::F32, z, nz), z);
        assert_eq!(binary(BinOp::Min, Ty::F32, nz, z), nz);
        assert_eq!(binary(BinOp::Min, Ty::F32, z, nz), nz);
        let (z, nz) = (of_f64(0.0), of_f64(-0.0));
        assert_eq!(binary(BinOp::Max, Ty::F64, z, nz), z);
        assert_eq!(binary(BinOp::Min, Ty::F64, z, nz), nz);
        assert!(f32_of(binary(BinOp::Min, Ty::F32, of_f32(1.0), of_f32(f32::NAN))).is_nan());
        assert!(f32_of(binary(BinOp::Min, Ty::F32, of_f32(f32::NAN), of_f32(1.0))).is_nan());
    }

    #[test]
    fn conversions_saturate_and_round() {
        assert_eq!(convert(Ty::F32, Ty::I32, of_f32(f32::NAN)), 0);
        assert_eq!(convert(Ty::F64, Ty::U32, of_f64(-5.0)), 0);
        assert_eq!(convert(Ty::F64, Ty::U32, of_f64(1e20)), u64::from(u32::MAX));
        assert_eq!(
            convert(Ty::I64, Ty::F32, 0x0100_0000_0000_0001),
            of_f32(72057594037927940.0)
        );
        assert_eq!(convert(Ty::F32, Ty::Bool, of_f32(f32::NAN)), 1);
        assert_eq!(convert(Ty::I32, Ty::I64, of_i32(-1)), u64::MAX);
        assert_eq!(convert(Ty::U32, Ty::I64, of_i32(-1)), 0xffff_ffff);
    }
}
