//! The `math` module's primitives over MIR values, so each transcendental
//! algorithm is emitted as the very sequence of operations the interpreter
//! evaluates (`math::eval`): native and interpreted results agree bit for bit.
//!
//! Types: `F` is an `f64` MIR value, `F32` an `f32` one, `I` an `i64`, `M` a
//! `bool`.
//!
//! Every primitive is pure, so [`MirMath`] numbers values: asking twice for
//! the same operation on the same operands (or the same constant) gives the
//! first value back. Several functions of one argument lowered through one
//! `MirMath` (`sin` and `cos` of the same `x`) thereby share their argument
//! reduction and kernels, and constants are made once.
//!
//! On the inline path of `sin`/`cos`/`tan` the argument is known to be
//! finite and smaller in magnitude than [`MEDIUM_LIMIT`] (larger or
//! non-finite arguments branched away). [`MirMath::for_small_argument`]
//! records that as a [`Fact`], and the primitives fold what it decides: the
//! medium-range test is true, the infinity and NaN tests false, the selects
//! on them pick their side, and the huge-argument path of `only_if` is not
//! emitted. Each fold gives the value the operation would compute for every
//! argument of the path, so results stay bit-identical to the evaluator's.
//! A constant the folds leave unused is removed by the MIR's dead-code pass.
//!
//! **Invariant:** a remembered value dominates every later request: the
//! memory is per straight-line run, saved and restored around the branch of
//! `only_if`.

use crate::math::{MEDIUM_LIMIT, MathOps};
use crate::mir::{BinOp, Builder, CmpOp, Ty, UnOp, Value};
use rustc_hash::FxHashMap;

/// What a value was made by: an operation and its operands (constants by
/// their bits), for value numbering.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Const(Ty, u64),
    Unary(UnOp, Value),
    Binary(BinOp, Value, Value),
    Cmp(CmpOp, Value, Value),
    Select(Value, Value, Value),
    Convert(Ty, Value),
    Bitcast(Ty, Value),
}

/// What is proven of a value.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Fact {
    /// Finite, with `|v| < MEDIUM_LIMIT`.
    Small,
    /// `|v|` of a [`Fact::Small`] value: in `[0, MEDIUM_LIMIT)`.
    SmallMagnitude,
    /// A `bool` known at compile time.
    Bool(bool),
    /// An `f64` constant.
    F64(f64),
}

/// [`MathOps`] that appends MIR instructions to a builder.
pub(super) struct MirMath<'b> {
    b: &'b mut Builder,
    known: FxHashMap<Key, Value>,
    /// By value index; values made before this `MirMath` or without a
    /// fact are `None` or past the end.
    facts: Vec<Option<Fact>>,
}

impl<'b> MirMath<'b> {
    pub(super) fn new(b: &'b mut Builder) -> MirMath<'b> {
        MirMath {
            b,
            // Room for the sin/cos of one argument without rehashing.
            known: FxHashMap::with_capacity_and_hasher(128, Default::default()),
            facts: Vec::new(),
        }
    }

    /// For code reached only when `x` (`f32` or `f64`) is finite and
    /// `|x| < MEDIUM_LIMIT`.
    pub(super) fn for_small_argument(b: &'b mut Builder, x: Value) -> MirMath<'b> {
        let mut math = MirMath::new(b);
        math.set_fact(x, Fact::Small);
        math
    }

    fn fact(&self, v: Value) -> Option<Fact> {
        self.facts.get(v.index()).copied().flatten()
    }

    fn set_fact(&mut self, v: Value, fact: Fact) {
        if self.facts.len() <= v.index() {
            self.facts.resize(v.index() + 1, None);
        }
        self.facts[v.index()] = Some(fact);
    }

    fn known_bool(&self, v: Value) -> Option<bool> {
        match self.fact(v) {
            Some(Fact::Bool(b)) => Some(b),
            _ => None,
        }
    }

    fn bool_const(&mut self, value: bool) -> Value {
        let v = self.numbered(Key::Const(Ty::Bool, u64::from(value)));
        self.set_fact(v, Fact::Bool(value));
        v
    }

    /// `v` with `fact` recorded.
    fn with_fact(&mut self, v: Value, fact: Option<Fact>) -> Value {
        if let Some(fact) = fact {
            self.set_fact(v, fact);
        }
        v
    }

    fn numbered(&mut self, key: Key) -> Value {
        if let Some(&v) = self.known.get(&key) {
            return v;
        }
        let b = &mut *self.b;
        let v = match key {
            Key::Const(ty, bits) => b.const_bits(ty, bits),
            Key::Unary(op, a) => b.unary(op, a),
            Key::Binary(op, x, y) => b.binary(op, x, y),
            Key::Cmp(op, x, y) => b.cmp(op, x, y),
            Key::Select(m, x, y) => b.select(m, x, y),
            Key::Convert(ty, a) => b.convert(a, ty),
            Key::Bitcast(ty, a) => b.bitcast(a, ty),
        };
        self.known.insert(key, v);
        v
    }

    fn bin(&mut self, op: BinOp, a: Value, b: Value) -> Value {
        self.numbered(Key::Binary(op, a, b))
    }

    fn cmp(&mut self, op: CmpOp, a: Value, b: Value) -> Value {
        self.numbered(Key::Cmp(op, a, b))
    }

    fn shift(&mut self, op: BinOp, a: Value, sh: u32) -> Value {
        let amount = self.iconst(i64::from(sh));
        self.bin(op, a, amount)
    }
}

impl MathOps for MirMath<'_> {
    type F32 = Value;
    type F = Value;
    type I = Value;
    type M = Value;

    fn f32_to_f64(&mut self, a: Value) -> Value {
        let widened = self.numbered(Key::Convert(Ty::F64, a));
        let fact = (self.fact(a) == Some(Fact::Small)).then_some(Fact::Small);
        self.with_fact(widened, fact)
    }
    fn f64_to_f32(&mut self, a: Value) -> Value {
        self.numbered(Key::Convert(Ty::F32, a))
    }
    fn fconst(&mut self, v: f64) -> Value {
        let c = self.numbered(Key::Const(Ty::F64, v.to_bits()));
        self.with_fact(c, Some(Fact::F64(v)))
    }
    fn iconst(&mut self, v: i64) -> Value {
        self.numbered(Key::Const(Ty::I64, v as u64))
    }
    fn fadd(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Add, a, b)
    }
    fn fsub(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Sub, a, b)
    }
    fn fmul(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Mul, a, b)
    }
    fn fdiv(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Div, a, b)
    }
    fn fneg(&mut self, a: Value) -> Value {
        self.numbered(Key::Unary(UnOp::Neg, a))
    }
    fn fabs(&mut self, a: Value) -> Value {
        let magnitude = self.numbered(Key::Unary(UnOp::Abs, a));
        let fact = (self.fact(a) == Some(Fact::Small)).then_some(Fact::SmallMagnitude);
        self.with_fact(magnitude, fact)
    }
    fn fsqrt(&mut self, a: Value) -> Value {
        self.numbered(Key::Unary(UnOp::Sqrt, a))
    }
    fn round_ties_even(&mut self, a: Value) -> Value {
        // The two additions the trait prescribes, not a rounding instruction.
        let c = self.fconst(1.5 * 4_503_599_627_370_496.0);
        let sum = self.bin(BinOp::Add, a, c);
        self.bin(BinOp::Sub, sum, c)
    }
    fn f_to_i(&mut self, a: Value) -> Value {
        self.numbered(Key::Convert(Ty::I64, a))
    }
    fn i_to_f(&mut self, a: Value) -> Value {
        self.numbered(Key::Convert(Ty::F64, a))
    }
    fn f_to_bits(&mut self, a: Value) -> Value {
        self.numbered(Key::Bitcast(Ty::I64, a))
    }
    fn bits_to_f(&mut self, a: Value) -> Value {
        self.numbered(Key::Bitcast(Ty::F64, a))
    }
    fn iadd(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Add, a, b)
    }
    fn isub(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Sub, a, b)
    }
    fn iand(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::And, a, b)
    }
    fn ior(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Or, a, b)
    }
    fn ixor(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Xor, a, b)
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
        if let (Some(Fact::SmallMagnitude), Some(Fact::F64(limit))) = (self.fact(a), self.fact(b))
            && limit >= MEDIUM_LIMIT
        {
            return self.bool_const(true);
        }
        self.cmp(CmpOp::Lt, a, b)
    }
    fn fle(&mut self, a: Value, b: Value) -> Value {
        self.cmp(CmpOp::Le, a, b)
    }
    fn feq(&mut self, a: Value, b: Value) -> Value {
        let finite = |f| matches!(f, Some(Fact::Small | Fact::SmallMagnitude));
        let non_finite = |f| matches!(f, Some(Fact::F64(c)) if !c.is_finite());
        if finite(self.fact(a)) && non_finite(self.fact(b)) {
            return self.bool_const(false);
        }
        self.cmp(CmpOp::Eq, a, b)
    }
    fn funord(&mut self, a: Value, b: Value) -> Value {
        let finite = |f| matches!(f, Some(Fact::Small | Fact::SmallMagnitude));
        if finite(self.fact(a)) && finite(self.fact(b)) {
            return self.bool_const(false);
        }
        let a_nan = self.cmp(CmpOp::Ne, a, a);
        let b_nan = self.cmp(CmpOp::Ne, b, b);
        self.bin(BinOp::Or, a_nan, b_nan)
    }
    fn ilt(&mut self, a: Value, b: Value) -> Value {
        self.cmp(CmpOp::Lt, a, b)
    }
    fn ieq(&mut self, a: Value, b: Value) -> Value {
        self.cmp(CmpOp::Eq, a, b)
    }
    fn mand(&mut self, a: Value, b: Value) -> Value {
        match (self.known_bool(a), self.known_bool(b)) {
            (Some(x), Some(y)) => self.bool_const(x && y),
            _ => self.bin(BinOp::And, a, b),
        }
    }
    fn mnot(&mut self, a: Value) -> Value {
        if let Some(x) = self.known_bool(a) {
            return self.bool_const(!x);
        }
        self.numbered(Key::Unary(UnOp::Not, a))
    }
    fn fselect(&mut self, m: Value, a: Value, b: Value) -> Value {
        self.iselect(m, a, b)
    }
    fn iselect(&mut self, m: Value, a: Value, b: Value) -> Value {
        match self.known_bool(m) {
            Some(true) => a,
            Some(false) => b,
            None => self.numbered(Key::Select(m, a, b)),
        }
    }

    /// Branches around the rare path (the huge-argument reduction of
    /// `sin`/`cos`/`tan`): `m ? path() : [0; 3]`, joined by block parameters.
    /// Each arm has one predecessor, so no edge is critical.
    fn only_if(&mut self, m: Value, path: impl FnOnce(&mut Self) -> [Value; 3]) -> [Value; 3] {
        let zero = self.fconst(0.0);
        if self.known_bool(m) == Some(false) {
            return [zero; 3];
        }
        let params = [Ty::F64; 3];
        let (taken, _) = self.b.create_block(&[]);
        let (skipped, _) = self.b.create_block(&[]);
        let (join, results) = self.b.create_block(&params);
        self.b.branch(m, taken, &[], skipped, &[]);
        self.b.switch_to(taken);
        // Values made in the taken block do not dominate what follows.
        let before = self.known.clone();
        let values = path(self);
        self.known = before;
        self.b.jump(join, &values);
        self.b.switch_to(skipped);
        self.b.jump(join, &[zero, zero, zero]);
        self.b.switch_to(join);
        [results[0], results[1], results[2]]
    }
}
