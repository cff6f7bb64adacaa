//! The rows of the encoding test: MIR, assembly text, GNU `as` words.

use crate::mir::{BinOp, Builder, CmpOp, Function, Helper, HelperFn, Ty, UnOp};

pub(super) struct Row {
    pub(super) name: &'static str,
    pub(super) build: fn() -> Function,
    pub(super) text: &'static str,
    pub(super) words: &'static [u32],
}

fn binary(ty: Ty, op: BinOp) -> Function {
    let mut b = Builder::new("binary");
    let x = b.arg(ty, 0);
    let y = b.arg(ty, 1);
    let r = b.binary(op, x, y);
    b.store_result(0, r);
    b.ret();
    b.finish()
}

fn unary(ty: Ty, op: UnOp) -> Function {
    let mut b = Builder::new("unary");
    let x = b.arg(ty, 0);
    let r = b.unary(op, x);
    b.store_result(0, r);
    b.ret();
    b.finish()
}

fn cmp(ty: Ty, op: CmpOp) -> Function {
    let mut b = Builder::new("cmp");
    let x = b.arg(ty, 0);
    let y = b.arg(ty, 1);
    let r = b.cmp(op, x, y);
    b.store_result(0, r);
    b.ret();
    b.finish()
}

fn convert(from: Ty, to: Ty) -> Function {
    let mut b = Builder::new("convert");
    let x = b.arg(from, 0);
    let r = b.convert(x, to);
    b.store_result(0, r);
    b.ret();
    b.finish()
}

fn bitcast(from: Ty, to: Ty) -> Function {
    let mut b = Builder::new("bitcast");
    let x = b.arg(from, 0);
    let r = b.bitcast(x, to);
    b.store_result(0, r);
    b.ret();
    b.finish()
}

fn fma(ty: Ty) -> Function {
    let mut b = Builder::new("fma");
    let x = b.arg(ty, 0);
    let y = b.arg(ty, 1);
    let z = b.arg(ty, 2);
    let r = b.fma(x, y, z);
    b.store_result(0, r);
    b.ret();
    b.finish()
}

fn select(ty: Ty) -> Function {
    let mut b = Builder::new("select");
    let c = b.arg(Ty::Bool, 0);
    let x = b.arg(ty, 1);
    let y = b.arg(ty, 2);
    let r = b.select(c, x, y);
    b.store_result(0, r);
    b.ret();
    b.finish()
}

fn consts() -> Function {
    let mut b = Builder::new("consts");
    let values = [
        b.iconst(Ty::I64, -2),
        b.iconst(Ty::I64, 0x1234_0000_5678),
        b.iconst(Ty::I32, 0),
        b.f64const(std::f64::consts::PI),
        b.f32const(1.0),
        b.f64const(0.0),
    ];
    for (k, v) in values.into_iter().enumerate() {
        b.store_result(k as u32, v);
    }
    b.ret();
    b.finish()
}

unsafe extern "C" fn never_called(_: *const u8, _: *const u64, _: *mut u64) {}

fn call() -> Function {
    let _ = never_called;
    // A fixed address so that the words are the same in every build; the
    // code is assembled, never run.
    // SAFETY: a non-null function pointer value; nothing calls it.
    let func = unsafe { std::mem::transmute::<usize, HelperFn>(0x0000_7f12_3456_7890) };
    let helper = Helper {
        name: "fixed",
        func,
        data: 0x40,
    };
    let mut b = Builder::new("call");
    let x = b.arg(Ty::F64, 0);
    let r = b.call(helper, &[x], &[Ty::F64]);
    b.store_result(0, r[0]);
    b.ret();
    b.finish()
}

/// `s = 0; i = 0; while i < n { s += i; i += 1 }`, i64.
fn counting_loop() -> Function {
    let mut b = Builder::new("loop");
    let n = b.arg(Ty::I64, 0);
    let zero = b.iconst(Ty::I64, 0);
    let (head, hp) = b.create_block(&[Ty::I64, Ty::I64]);
    let (body, _) = b.create_block(&[]);
    let (exit, _) = b.create_block(&[]);
    b.jump(head, &[zero, zero]);
    b.switch_to(head);
    let go = b.lt(hp[0], n);
    b.branch(go, body, &[], exit, &[]);
    b.switch_to(body);
    let s = b.add(hp[1], hp[0]);
    let one = b.iconst(Ty::I64, 1);
    let i = b.add(hp[0], one);
    b.jump(head, &[i, s]);
    b.switch_to(exit);
    b.store_result(0, hp[1]);
    b.ret();
    b.finish()
}

/// `out[i] = x[i]` for elements of type `ty`: a load and a store.
fn copy_element(ty: Ty) -> Function {
    let mut b = Builder::new("copy_element");
    let x = b.arg(Ty::I64, 0);
    let i = b.arg(Ty::I64, 1);
    let out = b.arg(Ty::I64, 2);
    let v = b.load(ty, x, i);
    b.store(out, i, v);
    b.ret();
    b.finish()
}

/// Vectors of `vty` from `x[0..]` and `y[0..]`: `select(x != y, max(x, y),
/// splat(sum of x's lanes)) * -x`, stored to `out[0..]`, and the
/// maximum of its lanes returned.
fn vector_ops(vty: Ty) -> Function {
    let mut b = Builder::new("vector_ops");
    let (x, y, out) = (b.arg(Ty::I64, 0), b.arg(Ty::I64, 1), b.arg(Ty::I64, 2));
    let zero = b.iconst(Ty::I64, 0);
    let (x, y) = (b.load(vty, x, zero), b.load(vty, y, zero));
    let ne = b.cmp(CmpOp::Ne, x, y);
    let max = b.binary(BinOp::Max, x, y);
    let sum = b.reduce_lanes(BinOp::Add, x);
    let splat = b.splat(vty, sum);
    let picked = b.select(ne, max, splat);
    let neg = b.unary(UnOp::Neg, x);
    let r = b.binary(BinOp::Mul, picked, neg);
    b.store(out, zero, r);
    let top = b.reduce_lanes(BinOp::Max, r);
    b.store_result(0, top);
    b.ret();
    b.finish()
}

/// The lane operations of the math library on vectors: an `F32x4` from
/// `x + 16` widened by halves, integer lanes shifted, compared and
/// selected, a lane taken out and put back, rounded and joined, stored to
/// `out + 32`, and whether any lane of a mask is set.
fn vector_lanes() -> Function {
    let mut b = Builder::new("vector_lanes");
    let (x, out) = (b.arg(Ty::I64, 0), b.arg(Ty::I64, 1));
    let v = b.vector_load(Ty::F32x4, x, 16);
    let (lo, hi) = (b.widen(v, 0), b.widen(v, 1));
    let bits = b.bitcast(lo, Ty::I64x2);
    let shifted = b.shift_imm(BinOp::ShrS, bits, 7);
    let left = b.shift_imm(BinOp::Shl, shifted, 3);
    let sum = b.binary(BinOp::Add, left, bits);
    let lt = b.cmp(CmpOp::Lt, sum, bits);
    let eq = b.cmp(CmpOp::Eq, sum, left);
    let back = b.bitcast(sum, Ty::F64x2);
    let picked = b.select(lt, back, hi);
    let lane = b.extract_lane(picked, 1);
    let put = b.insert_lane(hi, 0, lane);
    let (n0, n1) = (b.narrow(picked), b.narrow(put));
    let joined = b.concat_low(n0, n1);
    b.vector_store(out, 32, joined);
    let any = b.any_lane(eq);
    b.store_result(0, any);
    b.ret();
    b.finish()
}

/// Table lookups on the vectors at `x0`'s pointer (two tables, then byte
/// indices): `tbl` from the first, `tbx` of the second into that result
/// (dying there, so in place), then `tbx` of that result into the first
/// table, which stays live (stored last), so through the scratch register.
fn byte_table() -> Function {
    let mut b = Builder::new("byte_table");
    let p = b.arg(Ty::I64, 0);
    let lo = b.vector_load(Ty::F32x4, p, 0);
    let hi = b.vector_load(Ty::F32x4, p, 16);
    let bytes = b.vector_load(Ty::I64x2, p, 32);
    let low = b.byte_table(lo, bytes);
    let both = b.byte_table_into(low, hi, bytes);
    let again = b.byte_table_into(lo, both, bytes);
    b.vector_store(p, 48, again);
    b.vector_store(p, 64, lo);
    b.ret();
    b.finish()
}

// ---- vector fma ----

/// Vector fused multiply-adds on `x`, `y`, `z` (vectors of `vty` at the
/// three pointers): `r = fma(x, y, z)`, `s = fma(r, y, r)`, `t = fma(x, s,
/// y)` (destinations on an addend and on factors), then, for `F32x4`,
/// lane 1 of `x` put into lane 2 of `t`; stored to the fourth pointer.
fn vector_fma(vty: Ty) -> Function {
    let mut b = Builder::new("vector_fma");
    let v: Vec<_> = (0..3)
        .map(|slot| {
            let p = b.arg(Ty::I64, slot);
            b.vector_load(vty, p, 0)
        })
        .collect();
    let r = b.fma(v[0], v[1], v[2]);
    let s = b.fma(r, v[1], r);
    let mut t = b.fma(v[0], s, v[1]);
    if vty == Ty::F32x4 {
        let lane = b.extract_lane(v[0], 1);
        t = b.insert_lane(t, 2, lane);
    }
    let out = b.arg(Ty::I64, 3);
    b.vector_store(out, 0, t);
    b.ret();
    b.finish()
}

pub(super) fn rows() -> Vec<Row> {
    vec![
        Row {
            name: "vector.byte_table",
            build: byte_table,
            text: "ldr x2, [x0]\nldr q0, [x2]\nldr q1, [x2, #16]\nldr q2, [x2, #32]\ntbl v3.16b, {v0.16b}, v2.16b\nmov v31.16b, v3.16b\ntbx v31.16b, {v1.16b}, v2.16b\nmov v1.16b, v31.16b\nmov v31.16b, v0.16b\ntbx v31.16b, {v1.16b}, v2.16b\nmov v1.16b, v31.16b\nstr q1, [x2, #48]\nstr q0, [x2, #64]\nret",
            words: &[
                0xf9400002, 0x3dc00040, 0x3dc00441, 0x3dc00842, 0x4e020003, 0x4ea31c7f, 0x4e02103f,
                0x4ebf1fe1, 0x4ea01c1f, 0x4e02103f, 0x4ebf1fe1, 0x3d800c41, 0x3d801040, 0xd65f03c0,
            ],
        },
        Row {
            name: "vector.fma.f32x4",
            build: || vector_fma(Ty::F32x4),
            text: "ldr x2, [x0]\nldr q0, [x2]\nldr x2, [x0, #8]\nldr q1, [x2]\nldr x2, [x0, #16]\nldr q2, [x2]\nfmla v2.4s, v0.4s, v1.4s\nfmla v2.4s, v2.4s, v1.4s\nfmla v1.4s, v0.4s, v2.4s\nmov s0, v0.s[1]\nmov v31.16b, v0.16b\nmov v0.16b, v1.16b\nmov v0.s[2], v31.s[0]\nldr x2, [x0, #24]\nstr q0, [x2]\nret",
            words: &[
                0xf9400002, 0x3dc00040, 0xf9400402, 0x3dc00041, 0xf9400802, 0x3dc00042, 0x4e21cc02,
                0x4e21cc42, 0x4e22cc01, 0x5e0c0400, 0x4ea01c1f, 0x4ea11c20, 0x6e1407e0, 0xf9400c02,
                0x3d800040, 0xd65f03c0,
            ],
        },
        Row {
            name: "vector.fma.f64x2",
            build: || vector_fma(Ty::F64x2),
            text: "ldr x2, [x0]\nldr q0, [x2]\nldr x2, [x0, #8]\nldr q1, [x2]\nldr x2, [x0, #16]\nldr q2, [x2]\nfmla v2.2d, v0.2d, v1.2d\nfmla v2.2d, v2.2d, v1.2d\nmov v31.16b, v1.16b\nfmla v31.2d, v0.2d, v2.2d\nmov v0.16b, v31.16b\nldr x2, [x0, #24]\nstr q0, [x2]\nret",
            words: &[
                0xf9400002, 0x3dc00040, 0xf9400402, 0x3dc00041, 0xf9400802, 0x3dc00042, 0x4e61cc02,
                0x4e61cc42, 0x4ea11c3f, 0x4e62cc1f, 0x4ebf1fe0, 0xf9400c02, 0x3d800040, 0xd65f03c0,
            ],
        },
        Row {
            name: "vector.lanes",
            build: vector_lanes,
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nldr q0, [x2, #16]\nfcvtl v1.2d, v0.2s\nfcvtl2 v0.2d, v0.4s\nsshr v2.2d, v1.2d, #7\nshl v2.2d, v2.2d, #3\nadd v3.2d, v2.2d, v1.2d\ncmgt v1.2d, v1.2d, v3.2d\ncmeq v2.2d, v3.2d, v2.2d\nmov v31.16b, v1.16b\nbsl v31.16b, v3.16b, v0.16b\nmov v1.16b, v31.16b\nmov d3, v1.d[1]\nmov v0.d[0], v3.d[0]\nfcvtn v1.2s, v1.2d\nfcvtn v0.2s, v0.2d\nmov v31.16b, v0.16b\nmov v0.16b, v1.16b\nmov v0.d[1], v31.d[0]\nstr q0, [x3, #32]\nmov x16, v2.d[0]\nmov x17, v2.d[1]\norr x16, x16, x17\ncmp x16, #0x0\ncset w2, ne\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xf9400002, 0xf9400403, 0x3dc00440, 0x0e617801, 0x4e617800, 0x4f790422, 0x4f435442,
                0x4ee18443, 0x4ee33421, 0x6ee28c62, 0x4ea11c3f, 0x6e601c7f, 0x4ebf1fe1, 0x5e180423,
                0x6e080460, 0x0e616821, 0x0e616800, 0x4ea01c1f, 0x4ea11c20, 0x6e1807e0, 0x3d800860,
                0x4e083c50, 0x4e183c51, 0xaa110210, 0xf100021f, 0x1a9f07e2, 0x2a0203f1, 0xf9000031,
                0xd65f03c0,
            ],
        },
        Row {
            name: "vector.f32x4",
            build: || vector_ops(Ty::F32x4),
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nldr x4, [x0, #16]\nmov x5, #0x0\nadd x16, x2, x5, lsl #2\nldr q0, [x16]\nadd x16, x3, x5, lsl #2\nldr q1, [x16]\nfcmeq v2.4s, v0.4s, v1.4s\nmvn v2.16b, v2.16b\nfmax v1.4s, v0.4s, v1.4s\next v31.16b, v0.16b, v0.16b, #8\nfadd v31.4s, v0.4s, v31.4s\nmov s3, v31.s[1]\nfadd s3, s31, s3\ndup v3.4s, v3.s[0]\nmov v31.16b, v2.16b\nbsl v31.16b, v1.16b, v3.16b\nmov v1.16b, v31.16b\nfneg v0.4s, v0.4s\nfmul v0.4s, v1.4s, v0.4s\nadd x16, x4, x5, lsl #2\nstr q0, [x16]\next v31.16b, v0.16b, v0.16b, #8\nfmax v31.4s, v0.4s, v31.4s\nmov s0, v31.s[1]\nfmax s0, s31, s0\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[
                0xf9400002, 0xf9400403, 0xf9400804, 0xd2800005, 0x8b050850, 0x3dc00200, 0x8b050870,
                0x3dc00201, 0x4e21e402, 0x6e205842, 0x4e21f401, 0x6e00401f, 0x4e3fd41f, 0x5e0c07e3,
                0x1e232be3, 0x4e040463, 0x4ea21c5f, 0x6e631c3f, 0x4ebf1fe1, 0x6ea0f800, 0x6e20dc20,
                0x8b050890, 0x3d800200, 0x6e00401f, 0x4e3ff41f, 0x5e0c07e0, 0x1e204be0, 0x1e260011,
                0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "vector.f64x2",
            build: || vector_ops(Ty::F64x2),
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nldr x4, [x0, #16]\nmov x5, #0x0\nadd x16, x2, x5, lsl #3\nldr q0, [x16]\nadd x16, x3, x5, lsl #3\nldr q1, [x16]\nfcmeq v2.2d, v0.2d, v1.2d\nmvn v2.16b, v2.16b\nfmax v1.2d, v0.2d, v1.2d\next v31.16b, v0.16b, v0.16b, #8\nfadd d3, d0, d31\ndup v3.2d, v3.d[0]\nmov v31.16b, v2.16b\nbsl v31.16b, v1.16b, v3.16b\nmov v1.16b, v31.16b\nfneg v0.2d, v0.2d\nfmul v0.2d, v1.2d, v0.2d\nadd x16, x4, x5, lsl #3\nstr q0, [x16]\next v31.16b, v0.16b, v0.16b, #8\nfmax d0, d0, d31\nstr d0, [x1]\nret",
            words: &[
                0xf9400002, 0xf9400403, 0xf9400804, 0xd2800005, 0x8b050c50, 0x3dc00200, 0x8b050c70,
                0x3dc00201, 0x4e61e402, 0x6e205842, 0x4e61f401, 0x6e00401f, 0x1e7f2803, 0x4e080463,
                0x4ea21c5f, 0x6e631c3f, 0x4ebf1fe1, 0x6ee0f800, 0x6e60dc20, 0x8b050c90, 0x3d800200,
                0x6e00401f, 0x1e7f4800, 0xfd000020, 0xd65f03c0,
            ],
        },
        Row {
            name: "add.i32",
            build: || binary(Ty::I32, BinOp::Add),
            text: "ldr w2, [x0]\nldr w3, [x0, #8]\nadd w2, w2, w3\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xb9400002, 0xb9400803, 0x0b030042, 0x2a0203f1, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "div.i64",
            build: || binary(Ty::I64, BinOp::Div),
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nsdiv x16, x2, x3\ncmp x3, #0x0\ncsinv x2, x16, xzr, ne\nstr x2, [x1]\nret",
            words: &[
                0xf9400002, 0xf9400403, 0x9ac30c50, 0xf100007f, 0xda9f1202, 0xf9000022, 0xd65f03c0,
            ],
        },
        Row {
            name: "rem.i32",
            build: || binary(Ty::I32, BinOp::Rem),
            text: "ldr w2, [x0]\nldr w3, [x0, #8]\nsdiv w16, w2, w3\nmsub w2, w16, w3, w2\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xb9400002, 0xb9400803, 0x1ac30c50, 0x1b038a02, 0x2a0203f1, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "div.u32",
            build: || binary(Ty::U32, BinOp::Div),
            text: "ldr w2, [x0]\nldr w3, [x0, #8]\nudiv w16, w2, w3\ncmp w3, #0x0\ncsinv w2, w16, wzr, ne\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xb9400002, 0xb9400803, 0x1ac30850, 0x7100007f, 0x5a9f1202, 0x2a0203f1, 0xf9000031,
                0xd65f03c0,
            ],
        },
        Row {
            name: "shl.i64",
            build: || binary(Ty::I64, BinOp::Shl),
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nlsl x2, x2, x3\nstr x2, [x1]\nret",
            words: &[0xf9400002, 0xf9400403, 0x9ac32042, 0xf9000022, 0xd65f03c0],
        },
        Row {
            name: "shr_s.i32",
            build: || binary(Ty::I32, BinOp::ShrS),
            text: "ldr w2, [x0]\nldr w3, [x0, #8]\nasr w2, w2, w3\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xb9400002, 0xb9400803, 0x1ac32842, 0x2a0203f1, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "mul.i64",
            build: || binary(Ty::I64, BinOp::Mul),
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nmul x2, x2, x3\nstr x2, [x1]\nret",
            words: &[0xf9400002, 0xf9400403, 0x9b037c42, 0xf9000022, 0xd65f03c0],
        },
        Row {
            name: "xor.bool",
            build: || binary(Ty::Bool, BinOp::Xor),
            text: "ldr w2, [x0]\nand w2, w2, #0x1\nldr w3, [x0, #8]\nand w3, w3, #0x1\neor w2, w2, w3\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xb9400002, 0x12000042, 0xb9400803, 0x12000063, 0x4a030042, 0x2a0203f1, 0xf9000031,
                0xd65f03c0,
            ],
        },
        Row {
            name: "sub.f64",
            build: || binary(Ty::F64, BinOp::Sub),
            text: "ldr d0, [x0]\nldr d1, [x0, #8]\nfsub d0, d0, d1\nstr d0, [x1]\nret",
            words: &[0xfd400000, 0xfd400401, 0x1e613800, 0xfd000020, 0xd65f03c0],
        },
        Row {
            name: "div.f32",
            build: || binary(Ty::F32, BinOp::Div),
            text: "ldr s0, [x0]\nldr s1, [x0, #8]\nfdiv s0, s0, s1\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[
                0xbd400000, 0xbd400801, 0x1e211800, 0x1e260011, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "min.f32",
            build: || binary(Ty::F32, BinOp::Min),
            text: "ldr s0, [x0]\nldr s1, [x0, #8]\nfmin s0, s0, s1\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[
                0xbd400000, 0xbd400801, 0x1e215800, 0x1e260011, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "max.f64",
            build: || binary(Ty::F64, BinOp::Max),
            text: "ldr d0, [x0]\nldr d1, [x0, #8]\nfmax d0, d0, d1\nstr d0, [x1]\nret",
            words: &[0xfd400000, 0xfd400401, 0x1e614800, 0xfd000020, 0xd65f03c0],
        },
        Row {
            name: "neg.i64",
            build: || unary(Ty::I64, UnOp::Neg),
            text: "ldr x2, [x0]\nneg x2, x2\nstr x2, [x1]\nret",
            words: &[0xf9400002, 0xcb0203e2, 0xf9000022, 0xd65f03c0],
        },
        Row {
            name: "not.bool",
            build: || unary(Ty::Bool, UnOp::Not),
            text: "ldr w2, [x0]\nand w2, w2, #0x1\neor w2, w2, #0x1\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xb9400002, 0x12000042, 0x52000042, 0x2a0203f1, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "not.u32",
            build: || unary(Ty::U32, UnOp::Not),
            text: "ldr w2, [x0]\nmvn w2, w2\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[0xb9400002, 0x2a2203e2, 0x2a0203f1, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "neg.f32",
            build: || unary(Ty::F32, UnOp::Neg),
            text: "ldr s0, [x0]\nfneg s0, s0\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[0xbd400000, 0x1e214000, 0x1e260011, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "abs.f64",
            build: || unary(Ty::F64, UnOp::Abs),
            text: "ldr d0, [x0]\nfabs d0, d0\nstr d0, [x1]\nret",
            words: &[0xfd400000, 0x1e60c000, 0xfd000020, 0xd65f03c0],
        },
        Row {
            name: "sqrt.f32",
            build: || unary(Ty::F32, UnOp::Sqrt),
            text: "ldr s0, [x0]\nfsqrt s0, s0\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[0xbd400000, 0x1e21c000, 0x1e260011, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "floor.f64",
            build: || unary(Ty::F64, UnOp::Floor),
            text: "ldr d0, [x0]\nfrintm d0, d0\nstr d0, [x1]\nret",
            words: &[0xfd400000, 0x1e654000, 0xfd000020, 0xd65f03c0],
        },
        Row {
            name: "ceil.f32",
            build: || unary(Ty::F32, UnOp::Ceil),
            text: "ldr s0, [x0]\nfrintp s0, s0\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[0xbd400000, 0x1e24c000, 0x1e260011, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "trunc.f64",
            build: || unary(Ty::F64, UnOp::Trunc),
            text: "ldr d0, [x0]\nfrintz d0, d0\nstr d0, [x1]\nret",
            words: &[0xfd400000, 0x1e65c000, 0xfd000020, 0xd65f03c0],
        },
        Row {
            name: "round.f32",
            build: || unary(Ty::F32, UnOp::Round),
            text: "ldr s0, [x0]\nfrinta s0, s0\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[0xbd400000, 0x1e264000, 0x1e260011, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "fma.f32",
            build: || fma(Ty::F32),
            text: "ldr s0, [x0]\nldr s1, [x0, #8]\nldr s2, [x0, #16]\nfmadd s0, s0, s1, s2\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[
                0xbd400000, 0xbd400801, 0xbd401002, 0x1f010800, 0x1e260011, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "fma.f64",
            build: || fma(Ty::F64),
            text: "ldr d0, [x0]\nldr d1, [x0, #8]\nldr d2, [x0, #16]\nfmadd d0, d0, d1, d2\nstr d0, [x1]\nret",
            words: &[
                0xfd400000, 0xfd400401, 0xfd400802, 0x1f410800, 0xfd000020, 0xd65f03c0,
            ],
        },
        Row {
            name: "round_even.f64",
            build: || unary(Ty::F64, UnOp::RoundEven),
            text: "ldr d0, [x0]\nfrintn d0, d0\nstr d0, [x1]\nret",
            words: &[0xfd400000, 0x1e644000, 0xfd000020, 0xd65f03c0],
        },
        Row {
            name: "cmp.lt.i32",
            build: || cmp(Ty::I32, CmpOp::Lt),
            text: "ldr w2, [x0]\nldr w3, [x0, #8]\ncmp w2, w3\ncset w2, lt\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xb9400002, 0xb9400803, 0x6b03005f, 0x1a9fa7e2, 0x2a0203f1, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "cmp.ge.u32",
            build: || cmp(Ty::U32, CmpOp::Ge),
            text: "ldr w2, [x0]\nldr w3, [x0, #8]\ncmp w2, w3\ncset w2, cs\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xb9400002, 0xb9400803, 0x6b03005f, 0x1a9f37e2, 0x2a0203f1, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "cmp.le.f64",
            build: || cmp(Ty::F64, CmpOp::Le),
            text: "ldr d0, [x0]\nldr d1, [x0, #8]\nfcmp d0, d1\ncset w2, ls\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xfd400000, 0xfd400401, 0x1e612000, 0x1a9f87e2, 0x2a0203f1, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "cmp.ne.f32",
            build: || cmp(Ty::F32, CmpOp::Ne),
            text: "ldr s0, [x0]\nldr s1, [x0, #8]\nfcmp s0, s1\ncset w2, ne\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xbd400000, 0xbd400801, 0x1e212000, 0x1a9f07e2, 0x2a0203f1, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "select.i64",
            build: || select(Ty::I64),
            text: "ldr w2, [x0]\nand w2, w2, #0x1\nldr x3, [x0, #8]\nldr x4, [x0, #16]\ncmp w2, #0x0\ncsel x2, x3, x4, ne\nstr x2, [x1]\nret",
            words: &[
                0xb9400002, 0x12000042, 0xf9400403, 0xf9400804, 0x7100005f, 0x9a841062, 0xf9000022,
                0xd65f03c0,
            ],
        },
        Row {
            name: "select.f32",
            build: || select(Ty::F32),
            text: "ldr w2, [x0]\nand w2, w2, #0x1\nldr s0, [x0, #8]\nldr s1, [x0, #16]\ncmp w2, #0x0\nfcsel d0, d0, d1, ne\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[
                0xb9400002, 0x12000042, 0xbd400800, 0xbd401001, 0x7100005f, 0x1e611c00, 0x1e260011,
                0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "convert.f64.i32",
            build: || convert(Ty::F64, Ty::I32),
            text: "ldr d0, [x0]\nfcvtzs w2, d0\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[0xfd400000, 0x1e780002, 0x2a0203f1, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "convert.f32.u32",
            build: || convert(Ty::F32, Ty::U32),
            text: "ldr s0, [x0]\nfcvtzu w2, s0\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[0xbd400000, 0x1e390002, 0x2a0203f1, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "convert.f32.i64",
            build: || convert(Ty::F32, Ty::I64),
            text: "ldr s0, [x0]\nfcvtzs x2, s0\nstr x2, [x1]\nret",
            words: &[0xbd400000, 0x9e380002, 0xf9000022, 0xd65f03c0],
        },
        Row {
            name: "convert.i32.f64",
            build: || convert(Ty::I32, Ty::F64),
            text: "ldr w2, [x0]\nscvtf d0, w2\nstr d0, [x1]\nret",
            words: &[0xb9400002, 0x1e620040, 0xfd000020, 0xd65f03c0],
        },
        Row {
            name: "convert.u32.f32",
            build: || convert(Ty::U32, Ty::F32),
            text: "ldr w2, [x0]\nucvtf s0, w2\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[0xb9400002, 0x1e230040, 0x1e260011, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "convert.i64.f32",
            build: || convert(Ty::I64, Ty::F32),
            text: "ldr x2, [x0]\nscvtf s0, x2\nfmov w17, s0\nstr x17, [x1]\nret",
            words: &[0xf9400002, 0x9e220040, 0x1e260011, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "convert.i32.i64",
            build: || convert(Ty::I32, Ty::I64),
            text: "ldr w2, [x0]\nsxtw x2, w2\nstr x2, [x1]\nret",
            words: &[0xb9400002, 0x93407c42, 0xf9000022, 0xd65f03c0],
        },
        Row {
            name: "convert.i64.u32",
            build: || convert(Ty::I64, Ty::U32),
            text: "ldr x2, [x0]\nmov w2, w2\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[0xf9400002, 0x2a0203e2, 0x2a0203f1, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "convert.f64.bool",
            build: || convert(Ty::F64, Ty::Bool),
            text: "ldr d0, [x0]\nfcmp d0, #0.0\ncset w2, ne\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xfd400000, 0x1e602008, 0x1a9f07e2, 0x2a0203f1, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "convert.i64.bool",
            build: || convert(Ty::I64, Ty::Bool),
            text: "ldr x2, [x0]\ncmp x2, #0x0\ncset w2, ne\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[
                0xf9400002, 0xf100005f, 0x1a9f07e2, 0x2a0203f1, 0xf9000031, 0xd65f03c0,
            ],
        },
        Row {
            name: "convert.f32.f64",
            build: || convert(Ty::F32, Ty::F64),
            text: "ldr s0, [x0]\nfcvt d0, s0\nstr d0, [x1]\nret",
            words: &[0xbd400000, 0x1e22c000, 0xfd000020, 0xd65f03c0],
        },
        Row {
            name: "bitcast.f32.i32",
            build: || bitcast(Ty::F32, Ty::I32),
            text: "ldr s0, [x0]\nfmov w2, s0\nmov w17, w2\nstr x17, [x1]\nret",
            words: &[0xbd400000, 0x1e260002, 0x2a0203f1, 0xf9000031, 0xd65f03c0],
        },
        Row {
            name: "bitcast.i64.f64",
            build: || bitcast(Ty::I64, Ty::F64),
            text: "ldr x2, [x0]\nfmov d0, x2\nstr d0, [x1]\nret",
            words: &[0xf9400002, 0x9e670040, 0xfd000020, 0xd65f03c0],
        },
        Row {
            name: "constants",
            build: consts,
            text: "mov x2, #0xfffffffffffffffe\nmov x3, #0x5678\nmovk x3, #0x1234, lsl #32\nmov x4, #0x0\nmov x16, #0x2d18\nmovk x16, #0x5444, lsl #16\nmovk x16, #0x21fb, lsl #32\nmovk x16, #0x4009, lsl #48\nfmov d0, x16\nmov x16, #0x3f800000\nfmov s1, w16\nfmov d2, xzr\nstr x2, [x1]\nstr x3, [x1, #8]\nmov w17, w4\nstr x17, [x1, #16]\nstr d0, [x1, #24]\nfmov w17, s1\nstr x17, [x1, #32]\nstr d2, [x1, #40]\nret",
            words: &[
                0x92800022, 0xd28acf03, 0xf2c24683, 0xd2800004, 0xd285a310, 0xf2aa8890, 0xf2c43f70,
                0xf2e80130, 0x9e670200, 0xd2a7f010, 0x1e270201, 0x9e6703e2, 0xf9000022, 0xf9000423,
                0x2a0403f1, 0xf9000831, 0xfd000c20, 0x1e260031, 0xf9001031, 0xfd001422, 0xd65f03c0,
            ],
        },
        Row {
            name: "call",
            build: call,
            text: "sub sp, sp, #0x40\nstr x30, [sp, #48]\nldr d0, [x0]\nstr d0, [sp]\nstr x0, [sp, #16]\nstr x1, [sp, #24]\nmov x0, #0x40\nmov x1, sp\nadd x2, sp, #0x8\nmov x16, #0x7890\nmovk x16, #0x3456, lsl #16\nmovk x16, #0x7f12, lsl #32\nblr x16\nldr x0, [sp, #16]\nldr x1, [sp, #24]\nldr x17, [sp, #8]\nstr x17, [sp, #32]\nldr q0, [sp, #32]\nstr d0, [x1]\nldr x30, [sp, #48]\nadd sp, sp, #0x40\nret",
            words: &[
                0xd10103ff, 0xf9001bfe, 0xfd400000, 0xfd0003e0, 0xf9000be0, 0xf9000fe1, 0xd2800800,
                0x910003e1, 0x910023e2, 0xd28f1210, 0xf2a68ad0, 0xf2cfe250, 0xd63f0200, 0xf9400be0,
                0xf9400fe1, 0xf94007f1, 0xf90013f1, 0x3dc00be0, 0xfd000020, 0xf9401bfe, 0x910103ff,
                0xd65f03c0,
            ],
        },
        Row {
            name: "loop",
            build: counting_loop,
            text: "ldr x2, [x0]\nmov x3, #0x0\nmov x6, x3\ncmp x3, x2\ncset w7, lt\nb.ge .+20\nadd x6, x6, x3\nmov x12, #0x1\nadd x3, x3, x12\nb .-24\nstr x6, [x1]\nret",
            words: &[
                0xf9400002, 0xd2800003, 0xaa0303e6, 0xeb02007f, 0x1a9fa7e7, 0x540000aa, 0x8b0300c6,
                0xd280002c, 0x8b0c0063, 0x17fffffa, 0xf9000026, 0xd65f03c0,
            ],
        },
        Row {
            name: "copy_element.bool",
            build: || copy_element(Ty::Bool),
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nldr x4, [x0, #16]\nldrb w2, [x2, x3]\nstrb w2, [x4, x3]\nret",
            words: &[
                0xf9400002, 0xf9400403, 0xf9400804, 0x38636842, 0x38236882, 0xd65f03c0,
            ],
        },
        Row {
            name: "copy_element.i32",
            build: || copy_element(Ty::I32),
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nldr x4, [x0, #16]\nldr w2, [x2, x3, lsl #2]\nstr w2, [x4, x3, lsl #2]\nret",
            words: &[
                0xf9400002, 0xf9400403, 0xf9400804, 0xb8637842, 0xb8237882, 0xd65f03c0,
            ],
        },
        Row {
            name: "copy_element.i64",
            build: || copy_element(Ty::I64),
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nldr x4, [x0, #16]\nldr x2, [x2, x3, lsl #3]\nstr x2, [x4, x3, lsl #3]\nret",
            words: &[
                0xf9400002, 0xf9400403, 0xf9400804, 0xf8637842, 0xf8237882, 0xd65f03c0,
            ],
        },
        Row {
            name: "copy_element.f32",
            build: || copy_element(Ty::F32),
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nldr x4, [x0, #16]\nldr s0, [x2, x3, lsl #2]\nstr s0, [x4, x3, lsl #2]\nret",
            words: &[
                0xf9400002, 0xf9400403, 0xf9400804, 0xbc637840, 0xbc237880, 0xd65f03c0,
            ],
        },
        Row {
            name: "copy_element.f64",
            build: || copy_element(Ty::F64),
            text: "ldr x2, [x0]\nldr x3, [x0, #8]\nldr x4, [x0, #16]\nldr d0, [x2, x3, lsl #3]\nstr d0, [x4, x3, lsl #3]\nret",
            words: &[
                0xf9400002, 0xf9400403, 0xf9400804, 0xfc637840, 0xfc237880, 0xd65f03c0,
            ],
        },
    ]
}
