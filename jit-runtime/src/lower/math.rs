//! The `math` module's primitives over MIR values, so each transcendental
//! algorithm is emitted as the very sequence of operations the interpreter
//! evaluates (`math::eval`): native and interpreted results agree bit for bit.
//!
//! Types: `F` is an `f64` MIR value, `F32` an `f32` one, `I` an `i64`, `M` a
//! `bool`.

use crate::math::MathOps;
use crate::mir::{BinOp, Builder, CmpOp, Ty, UnOp, Value};

/// [`MathOps`] that appends MIR instructions to a builder.
pub(super) struct MirMath<'b> {
    pub(super) b: &'b mut Builder,
    /// The caller has branched so that the rare path's condition is false:
    /// `only_if` emits nothing.
    pub(super) rare_path_excluded: bool,
}

impl MirMath<'_> {
    fn shift(&mut self, op: BinOp, a: Value, sh: u32) -> Value {
        let amount = self.b.iconst(Ty::I64, i64::from(sh));
        self.b.binary(op, a, amount)
    }
}

impl MathOps for MirMath<'_> {
    type F32 = Value;
    type F = Value;
    type I = Value;
    type M = Value;

    fn f32_to_f64(&mut self, a: Value) -> Value {
        self.b.convert(a, Ty::F64)
    }
    fn f64_to_f32(&mut self, a: Value) -> Value {
        self.b.convert(a, Ty::F32)
    }
    fn fconst(&mut self, v: f64) -> Value {
        self.b.f64const(v)
    }
    fn iconst(&mut self, v: i64) -> Value {
        self.b.iconst(Ty::I64, v)
    }
    fn fadd(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::Add, a, b)
    }
    fn fsub(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::Sub, a, b)
    }
    fn fmul(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::Mul, a, b)
    }
    fn fdiv(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::Div, a, b)
    }
    fn fneg(&mut self, a: Value) -> Value {
        self.b.unary(UnOp::Neg, a)
    }
    fn fabs(&mut self, a: Value) -> Value {
        self.b.unary(UnOp::Abs, a)
    }
    fn round_ties_even(&mut self, a: Value) -> Value {
        // The two additions the trait prescribes, not a rounding instruction.
        let c = self.b.f64const(1.5 * 4_503_599_627_370_496.0);
        let sum = self.b.binary(BinOp::Add, a, c);
        self.b.binary(BinOp::Sub, sum, c)
    }
    fn f_to_i(&mut self, a: Value) -> Value {
        self.b.convert(a, Ty::I64)
    }
    fn i_to_f(&mut self, a: Value) -> Value {
        self.b.convert(a, Ty::F64)
    }
    fn f_to_bits(&mut self, a: Value) -> Value {
        self.b.bitcast(a, Ty::I64)
    }
    fn bits_to_f(&mut self, a: Value) -> Value {
        self.b.bitcast(a, Ty::F64)
    }
    fn iadd(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::Add, a, b)
    }
    fn isub(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::Sub, a, b)
    }
    fn iand(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::And, a, b)
    }
    fn ior(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::Or, a, b)
    }
    fn ixor(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::Xor, a, b)
    }
    fn ishl(&mut self, a: Value, sh: u32) -> Value {
        self.shift(BinOp::Shl, a, sh)
    }
    fn ishr_s(&mut self, a: Value, sh: u32) -> Value {
        self.shift(BinOp::ShrS, a, sh)
    }
    fn ishr_u(&mut self, a: Value, sh: u32) -> Value {
        self.shift(BinOp::ShrU, a, sh)
    }
    fn flt(&mut self, a: Value, b: Value) -> Value {
        self.b.cmp(CmpOp::Lt, a, b)
    }
    fn fle(&mut self, a: Value, b: Value) -> Value {
        self.b.cmp(CmpOp::Le, a, b)
    }
    fn feq(&mut self, a: Value, b: Value) -> Value {
        self.b.cmp(CmpOp::Eq, a, b)
    }
    fn funord(&mut self, a: Value, b: Value) -> Value {
        let a_nan = self.b.cmp(CmpOp::Ne, a, a);
        let b_nan = self.b.cmp(CmpOp::Ne, b, b);
        self.b.binary(BinOp::Or, a_nan, b_nan)
    }
    fn ilt(&mut self, a: Value, b: Value) -> Value {
        self.b.cmp(CmpOp::Lt, a, b)
    }
    fn ieq(&mut self, a: Value, b: Value) -> Value {
        self.b.cmp(CmpOp::Eq, a, b)
    }
    fn mand(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::And, a, b)
    }
    fn mor(&mut self, a: Value, b: Value) -> Value {
        self.b.binary(BinOp::Or, a, b)
    }
    fn mnot(&mut self, a: Value) -> Value {
        self.b.unary(UnOp::Not, a)
    }
    fn fselect(&mut self, m: Value, a: Value, b: Value) -> Value {
        self.b.select(m, a, b)
    }
    fn iselect(&mut self, m: Value, a: Value, b: Value) -> Value {
        self.b.select(m, a, b)
    }

    /// Branches around the rare path (the huge-argument reduction of
    /// `sin`/`cos`/`tan`): `m ? path() : [0; 3]`, joined by block parameters.
    /// Each arm has one predecessor, so no edge is critical.
    fn only_if(&mut self, m: Value, path: impl FnOnce(&mut Self) -> [Value; 3]) -> [Value; 3] {
        if self.rare_path_excluded {
            let zero = self.b.f64const(0.0);
            return [zero; 3];
        }
        let params = [Ty::F64; 3];
        let (taken, _) = self.b.create_block(&[]);
        let (skipped, _) = self.b.create_block(&[]);
        let (join, results) = self.b.create_block(&params);
        self.b.branch(m, taken, &[], skipped, &[]);
        self.b.switch_to(taken);
        let values = path(self);
        self.b.jump(join, &values);
        self.b.switch_to(skipped);
        let zero = self.b.f64const(0.0);
        self.b.jump(join, &[zero, zero, zero]);
        self.b.switch_to(join);
        [results[0], results[1], results[2]]
    }
}
