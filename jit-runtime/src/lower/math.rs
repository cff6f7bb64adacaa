//! The `math` module's primitives over MIR values, so each transcendental
//! algorithm is emitted as the very sequence of operations the interpreter
//! evaluates (`math::eval`): native and interpreted results agree bit for bit.
//!
//! Types: `F` is an `f64` MIR value, `F32` an `f32` one, `I` an `i64`, `M` a
//! `bool`. A *vector* `MirMath` ([`MirMath::vector`]) computes on 128-bit
//! vectors: `F` is an `F64x2`, `I` an `I64x2`, `M` a mask of the float type
//! compared (`F64x2`, or `F32x4` for the `f32` comparisons), and `F32` an
//! `F32x4`; a *wide* one on 256-bit vectors, with `F64x4`, `I64x4` and
//! `F32x8`. The `f32` arithmetic primitives use every lane of an `F32`
//! (`sincosf.rs`: eight lanes of an `F32x8` at once); the functions that
//! widen their `f32` argument to `f64` use its low half (lanes 0 and 1, or
//! 0 to 3: widened by `Widen`, rounded back by `Narrow`), and the vector
//! lowering runs them once per half. Every primitive is then lanewise with the
//! scalar primitive's exact semantics: constants are splat, conversions
//! between `f64` and `i64` use the exact `1.5 * 2^52` bias (the integral
//! values the algorithms convert are far below `2^51`), integer compares
//! give masks of the float type.
//!
//! Every primitive is pure, so [`MirMath`] numbers values: asking twice for
//! the same operation on the same operands (or the same constant) gives the
//! first value back. Several functions of one argument lowered through one
//! `MirMath` (`sin` and `cos` of the same `x`) thereby share their argument
//! reduction and kernels, and constants are made once.
//!
//! On the inline path of `sin`/`cos`/`tan` the argument is known to be
//! finite and smaller in magnitude than a bound (`math::MEDIUM_LIMIT` for
//! `f64`, `math::F32_KERNEL_LIMIT` for `f32`; larger or non-finite arguments
//! branched away). [`MirMath::for_small_argument`]
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

use crate::math::MathOps;
use crate::mir::{BinOp, Block, Builder, CmpOp, Ty, UnOp, Value};
use rustc_hash::FxHashMap;

/// What a value was made by: an operation and its operands (constants by
/// their bits), for value numbering.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Const(Ty, u64),
    Unary(UnOp, Value),
    Binary(BinOp, Value, Value),
    Cmp(CmpOp, Value, Value),
    Select(Value, Value, Value),
    Convert(Ty, Value),
    Bitcast(Ty, Value),
    Shift(BinOp, Value, u32),
    /// The high half of an `F32x4` (`F32x8`), widened.
    WidenHigh(Value),
    /// `a * b + c`, rounded once.
    Fma(Value, Value, Value),
    /// The vector of this type at this address (part of a
    /// `&'static [f32; 8]`), loaded once (in a loop's preheader, as
    /// constants are).
    Table(Ty, usize),
    /// `Inst::Permute` of a table and an index vector.
    Permute(Value, Value),
    /// `Inst::ByteTable` of a table and byte indices.
    ByteTable(Value, Value),
    /// `Inst::ByteTableInto` of bytes, a table and byte indices.
    ByteTableInto(Value, Value, Value),
    /// The `f32` at `base + index * 4` (a constant table's entry).
    Load(Value, Value),
}

/// What is proven of a value.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Fact {
    /// Finite, with `|v|` below the bound (`MEDIUM_LIMIT`, or
    /// `F32_KERNEL_LIMIT` for `f32` arguments).
    Small(f64),
    /// `|v|` of a [`Fact::Small`] value: in `[0, bound)`.
    SmallMagnitude(f64),
    /// A `bool` known at compile time.
    Bool(bool),
    /// An `f64` constant.
    F64(f64),
}

/// [`MathOps`] that appends MIR instructions to a builder.
pub(super) struct MirMath<'b> {
    b: &'b mut Builder,
    /// Two lanes per value (see the module doc).
    vector: bool,
    /// Four lanes per value: 256-bit vectors (with `vector`).
    wide: bool,
    /// Vector fused multiply-adds are instructions (else split into lanes,
    /// each a scalar one: see `Builder::fma_lanes`).
    vector_fma: bool,
    /// 128-bit vectors look tables up bytewise (`Inst::ByteTable`), else
    /// by compares.
    byte_tables: bool,
    /// Where constants go, and the ones made there: a loop's preheader, so
    /// that a loop body computing functions of vectors makes its (splat)
    /// constants once, not on every iteration.
    hoist: Option<(Block, &'b mut FxHashMap<Key, Value>)>,
    known: FxHashMap<Key, Value>,
    /// By value index; values made before this `MirMath` or without a
    /// fact are `None` or past the end.
    facts: Vec<Option<Fact>>,
}

impl<'b> MirMath<'b> {
    pub(super) fn new(b: &'b mut Builder) -> MirMath<'b> {
        MirMath {
            b,
            vector: false,
            wide: false,
            vector_fma: false,
            byte_tables: false,
            hoist: None,
            // Room for the sin/cos of one argument without rehashing.
            known: FxHashMap::with_capacity_and_hasher(128, Default::default()),
            facts: Vec::new(),
        }
    }

    /// For code reached only when `x` (`f32` or `f64`) is finite and
    /// `|x| < bound`.
    pub(super) fn for_small_argument(b: &'b mut Builder, x: Value, bound: f64) -> MirMath<'b> {
        let mut math = MirMath::new(b);
        math.set_fact(x, Fact::Small(bound));
        math
    }

    /// Two lanes per value, or four when `wide` (see the module doc);
    /// `vector_fma`: the target has vector fused multiply-adds.
    pub(super) fn vector(b: &'b mut Builder, wide: bool, vector_fma: bool) -> MirMath<'b> {
        MirMath {
            vector: true,
            wide,
            vector_fma,
            ..MirMath::new(b)
        }
    }

    /// [`MirMath::vector`] making its constants in the ended block `preheader`
    /// (in front of its jump into a loop), remembered in `constants` across
    /// every `MirMath` of the loop.
    pub(super) fn vector_hoisting(
        b: &'b mut Builder,
        preheader: Block,
        constants: &'b mut FxHashMap<Key, Value>,
        wide: bool,
        vector_fma: bool,
    ) -> MirMath<'b> {
        MirMath {
            hoist: Some((preheader, constants)),
            ..MirMath::vector(b, wide, vector_fma)
        }
    }

    /// For lanes that are used only where every lane of `x` is finite and
    /// below `bound` in magnitude (the others are computed again, see
    /// `Lowering::vector_trig`).
    pub(super) fn assume_small(&mut self, x: Value, bound: f64) {
        self.set_fact(x, Fact::Small(bound));
    }

    /// For a vector `MirMath`: lanes 2 and 3 of the `F32x4` `x` (4 to 7
    /// of an `F32x8`) as an `F32` value (the low half), by widening and
    /// rounding back (exact: the same `f32`, a signalling NaN quieted as
    /// the algorithms' own first widening would).
    pub(super) fn high_half(&mut self, x: Value) -> Value {
        let wide = self.numbered(Key::WidenHigh(x));
        let to = self.vector_ty(Ty::F32);
        self.numbered(Key::Convert(to, wide))
    }

    /// Let 128-bit vectors look tables up with `Inst::ByteTable` (the
    /// target has it: `lower::Target::byte_tables`).
    pub(super) fn use_byte_tables(&mut self, yes: bool) {
        self.byte_tables = yes;
    }

    /// Whether any lane of the vector mask `m` is true (a `bool`).
    pub(super) fn any_lane(&mut self, m: Value) -> Value {
        self.b.any_lane(m)
    }

    /// The vector of `lane`s of this `MirMath`'s width.
    fn vector_ty(&self, lane: Ty) -> Ty {
        let bits = if self.wide { 256 } else { 128 };
        Ty::vector_of_width(lane, bits).expect("a vector lane type")
    }

    /// The type of `F` values.
    fn f_ty(&self) -> Ty {
        if self.vector {
            self.vector_ty(Ty::F64)
        } else {
            Ty::F64
        }
    }

    /// The type of `F32` values.
    fn f32_ty(&self) -> Ty {
        if self.vector {
            self.vector_ty(Ty::F32)
        } else {
            Ty::F32
        }
    }

    /// The type of `I` values.
    fn i_ty(&self) -> Ty {
        if self.vector {
            self.vector_ty(Ty::I64)
        } else {
            Ty::I64
        }
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
            // A vector mask constant is the float vector constant of its bits, so
            // the mask `false` is also `+0.0` (and whichever fact was
            // recorded last holds): both facts are true of it.
            Some(Fact::F64(c)) if self.vector && c.to_bits() == 0 => Some(false),
            Some(Fact::F64(c)) if self.vector && c.to_bits() == u64::MAX => Some(true),
            _ => None,
        }
    }

    fn bool_const(&mut self, value: bool) -> Value {
        let key = if self.vector {
            Key::Const(self.f_ty(), if value { u64::MAX } else { 0 })
        } else {
            Key::Const(Ty::Bool, u64::from(value))
        };
        let v = self.numbered(key);
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
        if let (Key::Const(..) | Key::Table(..), Some((preheader, constants))) =
            (key, &mut self.hoist)
        {
            let v = match constants.get(&key) {
                Some(&v) => v,
                None => {
                    let v = self
                        .b
                        .in_front_of_terminator(*preheader, |b| make(b, key, true, false));
                    constants.insert(key, v);
                    v
                }
            };
            self.known.insert(key, v);
            return v;
        }
        let v = make(self.b, key, self.vector, self.vector_fma);
        self.known.insert(key, v);
        v
    }
}

/// The instruction(s) `key` stands for, appended to `b`'s current block.
fn make(b: &mut Builder, key: Key, vector: bool, vector_fma: bool) -> Value {
    match key {
        // Integer lanes too are splat from a float register.
        Key::Const(ty, bits) if ty.is_vector() => {
            let float = if ty.lane() == Ty::F32 {
                ty
            } else {
                Ty::vector_of_width(Ty::F64, ty.bits()).expect("a vector width")
            };
            let lane = b.const_bits(float.lane(), bits);
            let v = b.splat(float, lane);
            if ty == float { v } else { b.bitcast(v, ty) }
        }
        Key::Const(ty, bits) => b.const_bits(ty, bits),
        Key::Convert(Ty::F64x2 | Ty::F64x4, a) => b.widen(a, 0),
        Key::Convert(Ty::F32x4 | Ty::F32x8, a) => b.narrow(a),
        Key::Shift(op, a, sh) if vector => b.shift_imm(op, a, sh),
        Key::Shift(op, a, sh) => {
            let amount = b.iconst(Ty::I64, i64::from(sh));
            b.binary(op, a, amount)
        }
        Key::Unary(op, a) => b.unary(op, a),
        Key::Binary(op, x, y) => b.binary(op, x, y),
        Key::Cmp(op, x, y) => b.cmp(op, x, y),
        Key::Select(m, x, y) => b.select(m, x, y),
        Key::Convert(ty, a) => b.convert(a, ty),
        Key::Bitcast(ty, a) => b.bitcast(a, ty),
        Key::WidenHigh(a) => b.widen(a, 1),
        Key::Fma(x, y, z) if vector => b.fma_lanes(x, y, z, vector_fma),
        Key::Fma(x, y, z) => b.fma(x, y, z),
        Key::Table(ty, address) => {
            let base = b.const_bits(Ty::I64, address as u64);
            b.vector_load(ty, base, 0)
        }
        Key::Permute(table, idx) => b.permute(table, idx),
        Key::ByteTable(table, bytes) => b.byte_table(table, bytes),
        Key::ByteTableInto(acc, table, bytes) => b.byte_table_into(acc, table, bytes),
        Key::Load(base, index) => b.load(Ty::F32, base, index),
    }
}

impl MirMath<'_> {
    fn bin(&mut self, op: BinOp, a: Value, b: Value) -> Value {
        self.numbered(Key::Binary(op, a, b))
    }

    fn cmp(&mut self, op: CmpOp, a: Value, b: Value) -> Value {
        self.numbered(Key::Cmp(op, a, b))
    }

    /// An `I64x2` (`I64x4`) mask as the `F64x2` (`F64x4`) mask every
    /// vector `M` is; a `bool` as it is.
    fn float_mask(&mut self, m: Value) -> Value {
        if self.vector {
            let to = self.f_ty();
            self.numbered(Key::Bitcast(to, m))
        } else {
            m
        }
    }

    fn shift(&mut self, op: BinOp, a: Value, sh: u32) -> Value {
        self.numbered(Key::Shift(op, a, sh))
    }

    /// `a op` a constant of the sign bit of each lane (`sign`), or of every
    /// other bit: vector negation (`Xor`) and magnitude (`And`) with a
    /// constant made once (in a loop's preheader), where `UnOp::Neg` and
    /// `UnOp::Abs` make their mask anew each time.
    fn sign_bits(&mut self, op: BinOp, a: Value, sign: bool) -> Value {
        let ty = self.b.ty(a);
        let sign_bit = if ty.lane() == Ty::F32 {
            0x8000_0000
        } else {
            0x8000_0000_0000_0000
        };
        let lane_bits = if ty.lane() == Ty::F32 {
            0xFFFF_FFFF
        } else {
            u64::MAX
        };
        let mask = if sign { sign_bit } else { lane_bits ^ sign_bit };
        let mask = self.numbered(Key::Const(ty, mask));
        self.bin(op, a, mask)
    }

    /// For `Inst::ByteTable`: the byte indices `4 i`, `4 i + 1`, `4 i + 2`,
    /// `4 i + 3` of entry `i` in each 32-bit lane of the `F32x4` `key`,
    /// `i` its bits 22 to 24. On `I64x2` lanes, whose shifts and masks
    /// keep each 32-bit half to itself here: `4 i` from one shift and a
    /// mask, copied into the four bytes by shifts and ors, plus `0, 1, 2, 3`.
    fn lane_bytes(&mut self, key: Value) -> Value {
        let bits = self.numbered(Key::Bitcast(Ty::I64x2, key));
        let shifted = self.shift(BinOp::ShrU, bits, 20);
        let mask = self.numbered(Key::Const(Ty::I64x2, 0x0000_001C_0000_001C));
        let mut bytes = self.bin(BinOp::And, shifted, mask);
        let times4 = bytes;
        for k in 1..4 {
            let copy = self.shift(BinOp::Shl, times4, 8 * k);
            bytes = self.bin(BinOp::Or, bytes, copy);
        }
        let within = self.numbered(Key::Const(Ty::I64x2, 0x0302_0100_0302_0100));
        self.bin(BinOp::Or, bytes, within)
    }

    /// `C = 1.5 * 2^52`: `x + C` holds the integer `x` (`|x| <= 2^51`) in
    /// its low bits, so that `bits(x + C) - bits(C) == x`.
    const BIAS: f64 = 1.5 * 4_503_599_627_370_496.0;
}

impl MathOps for MirMath<'_> {
    type F32 = Value;
    type F = Value;
    type I = Value;
    type M = Value;

    fn f32_to_f64(&mut self, a: Value) -> Value {
        let to = self.f_ty();
        let widened = self.numbered(Key::Convert(to, a));
        let fact = match self.fact(a) {
            Some(Fact::Small(bound)) => Some(Fact::Small(bound)),
            _ => None,
        };
        self.with_fact(widened, fact)
    }
    fn f64_to_f32(&mut self, a: Value) -> Value {
        let to = self.f32_ty();
        self.numbered(Key::Convert(to, a))
    }
    fn fconst(&mut self, v: f64) -> Value {
        let ty = self.f_ty();
        let c = self.numbered(Key::Const(ty, v.to_bits()));
        self.with_fact(c, Some(Fact::F64(v)))
    }
    fn iconst(&mut self, v: i64) -> Value {
        let ty = self.i_ty();
        self.numbered(Key::Const(ty, v as u64))
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
        if self.vector {
            return self.sign_bits(BinOp::Xor, a, true);
        }
        self.numbered(Key::Unary(UnOp::Neg, a))
    }
    fn fabs(&mut self, a: Value) -> Value {
        let magnitude = if self.vector {
            self.sign_bits(BinOp::And, a, false)
        } else {
            self.numbered(Key::Unary(UnOp::Abs, a))
        };
        let fact = match self.fact(a) {
            Some(Fact::Small(bound)) => Some(Fact::SmallMagnitude(bound)),
            _ => None,
        };
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
        if self.vector {
            let c = self.fconst(Self::BIAS);
            let biased = self.fadd(a, c);
            let bits = self.f_to_bits(biased);
            let c_bits = self.iconst(Self::BIAS.to_bits() as i64);
            return self.isub(bits, c_bits);
        }
        self.numbered(Key::Convert(Ty::I64, a))
    }
    fn i_to_f(&mut self, a: Value) -> Value {
        if self.vector {
            let c_bits = self.iconst(Self::BIAS.to_bits() as i64);
            let biased = self.iadd(a, c_bits);
            let f = self.bits_to_f(biased);
            let c = self.fconst(Self::BIAS);
            return self.fsub(f, c);
        }
        self.numbered(Key::Convert(Ty::F64, a))
    }
    fn f_to_bits(&mut self, a: Value) -> Value {
        let ty = self.i_ty();
        self.numbered(Key::Bitcast(ty, a))
    }
    fn bits_to_f(&mut self, a: Value) -> Value {
        let ty = self.f_ty();
        self.numbered(Key::Bitcast(ty, a))
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
        if let (Some(Fact::SmallMagnitude(bound)), Some(Fact::F64(limit))) =
            (self.fact(a), self.fact(b))
            && limit >= bound
        {
            return self.bool_const(true);
        }
        self.cmp(CmpOp::Lt, a, b)
    }
    fn fle(&mut self, a: Value, b: Value) -> Value {
        self.cmp(CmpOp::Le, a, b)
    }
    fn feq(&mut self, a: Value, b: Value) -> Value {
        let finite = |f| matches!(f, Some(Fact::Small(_) | Fact::SmallMagnitude(_)));
        let non_finite = |f| matches!(f, Some(Fact::F64(c)) if !c.is_finite());
        if finite(self.fact(a)) && non_finite(self.fact(b)) {
            return self.bool_const(false);
        }
        self.cmp(CmpOp::Eq, a, b)
    }
    fn funord(&mut self, a: Value, b: Value) -> Value {
        let finite = |f| matches!(f, Some(Fact::Small(_) | Fact::SmallMagnitude(_)));
        if finite(self.fact(a)) && finite(self.fact(b)) {
            return self.bool_const(false);
        }
        let a_nan = self.cmp(CmpOp::Ne, a, a);
        let b_nan = self.cmp(CmpOp::Ne, b, b);
        self.bin(BinOp::Or, a_nan, b_nan)
    }
    fn ilt(&mut self, a: Value, b: Value) -> Value {
        let m = self.cmp(CmpOp::Lt, a, b);
        self.float_mask(m)
    }
    fn ieq(&mut self, a: Value, b: Value) -> Value {
        let m = self.cmp(CmpOp::Eq, a, b);
        self.float_mask(m)
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
        if self.vector {
            // An `f32` comparison gives an `F32` mask.
            let ones = self.numbered(Key::Const(self.b.ty(a), u64::MAX));
            return self.bin(BinOp::Xor, a, ones);
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

    fn f32_const(&mut self, v: f32) -> Value {
        let ty = self.f32_ty();
        let c = self.numbered(Key::Const(ty, u64::from(v.to_bits())));
        self.with_fact(c, Some(Fact::F64(f64::from(v))))
    }
    // The `f32` operations are the `f64` ones on `f32` values: the MIR
    // operations take their type from their operands.
    fn f32_add(&mut self, a: Value, b: Value) -> Value {
        self.fadd(a, b)
    }
    fn f32_sub(&mut self, a: Value, b: Value) -> Value {
        self.fsub(a, b)
    }
    fn f32_mul(&mut self, a: Value, b: Value) -> Value {
        self.fmul(a, b)
    }
    fn f32_pow2(&mut self, n: Value) -> Value {
        if self.vector {
            // `n + 127` in the low bits of `n + 1.5 * 2^23 + 127`, moved to
            // the exponent field. The 64-bit shift carries each even lane's
            // high bits into the odd lane above it: the mask clears them.
            let bias = self.f32_const(12_583_039.0);
            let biased = self.fadd(n, bias);
            let i_ty = self.i_ty();
            let bits = self.numbered(Key::Bitcast(i_ty, biased));
            let shifted = self.shift(BinOp::Shl, bits, 23);
            let exponents = self.numbered(Key::Const(i_ty, 0x7F80_0000_7F80_0000));
            let field = self.bin(BinOp::And, shifted, exponents);
            let ty = self.f32_ty();
            return self.numbered(Key::Bitcast(ty, field));
        }
        let i = self.numbered(Key::Convert(Ty::I32, n));
        let bias = self.numbered(Key::Const(Ty::I32, 127));
        let biased = self.bin(BinOp::Add, i, bias);
        let amount = self.numbered(Key::Const(Ty::I32, 23));
        let field = self.bin(BinOp::Shl, biased, amount);
        self.numbered(Key::Bitcast(Ty::F32, field))
    }
    fn f32_div(&mut self, a: Value, b: Value) -> Value {
        self.fdiv(a, b)
    }
    fn f32_or_sign(&mut self, mag: Value, x: Value) -> Value {
        if self.vector {
            let sign = self.sign_bits(BinOp::And, x, true);
            return self.bin(BinOp::Or, mag, sign);
        }
        // Scalar floats have no bitwise operations in MIR: on the bits.
        let x_bits = self.numbered(Key::Bitcast(Ty::I32, x));
        let sign_bit = self.numbered(Key::Const(Ty::I32, 0x8000_0000));
        let sign = self.bin(BinOp::And, x_bits, sign_bit);
        let mag_bits = self.numbered(Key::Bitcast(Ty::I32, mag));
        let bits = self.bin(BinOp::Or, mag_bits, sign);
        self.numbered(Key::Bitcast(Ty::F32, bits))
    }
    /// 256-bit vectors: one `vpermps` of the table (loaded once) by the
    /// key's bits 22 to 24 (a 64-bit shift leaves them at the bottom of
    /// both 32-bit halves). 128-bit vectors: a `ByteTable` and a
    /// `ByteTableInto` of the table's halves (`tbl`, `tbx`) where the
    /// target has them, else the default compares. Scalars: a load from the
    /// table at that index.
    fn f32_half_binade(&mut self, key: Value, table: &'static [f32; 8]) -> Value {
        let address = table.as_ptr() as usize;
        if self.vector && self.wide {
            let i_ty = self.i_ty();
            let bits = self.numbered(Key::Bitcast(i_ty, key));
            let idx = self.shift(BinOp::ShrU, bits, 22);
            let table = self.numbered(Key::Table(Ty::F32x8, address));
            return self.numbered(Key::Permute(table, idx));
        }
        if self.vector && self.byte_tables {
            // Entries 0 to 3 from the first half; 4 to 7 (bytes 16 to 31)
            // from the second, with bit 4 flipped (so that the first
            // half's bytes are out of range there and stay).
            let bytes = self.lane_bytes(key);
            let flip = self.numbered(Key::Const(Ty::I64x2, 0x1010_1010_1010_1010));
            let bytes_hi = self.bin(BinOp::Xor, bytes, flip);
            let lo = self.numbered(Key::Table(Ty::F32x4, address));
            let hi = self.numbered(Key::Table(Ty::F32x4, address + 16));
            let low_entries = self.numbered(Key::ByteTable(lo, bytes));
            return self.numbered(Key::ByteTableInto(low_entries, hi, bytes_hi));
        }
        if self.vector {
            return crate::math::half_binade_by_compares(self, key, table);
        }
        let bits = self.numbered(Key::Bitcast(Ty::I32, key));
        let amount = self.numbered(Key::Const(Ty::I32, 22));
        let shifted = self.bin(BinOp::ShrU, bits, amount);
        let seven = self.numbered(Key::Const(Ty::I32, 7));
        let idx = self.bin(BinOp::And, shifted, seven);
        let idx = self.numbered(Key::Convert(Ty::I64, idx));
        let base = self.numbered(Key::Const(Ty::I64, address as u64));
        self.numbered(Key::Load(base, idx))
    }
    fn f32_fma(&mut self, a: Value, b: Value, c: Value) -> Value {
        self.numbered(Key::Fma(a, b, c))
    }
    fn f32_neg(&mut self, a: Value) -> Value {
        self.fneg(a)
    }
    fn f32_abs(&mut self, a: Value) -> Value {
        self.fabs(a)
    }
    fn f32_lt(&mut self, a: Value, b: Value) -> Value {
        self.flt(a, b)
    }
    fn f32_eq(&mut self, a: Value, b: Value) -> Value {
        self.feq(a, b)
    }
    fn f32_select(&mut self, m: Value, a: Value, b: Value) -> Value {
        self.iselect(m, a, b)
    }
    /// Branches around the rare path (the huge-argument reduction of
    /// `sin`/`cos`/`tan`): `m ? path() : [0; 3]`, joined by block parameters.
    /// Each arm has one predecessor, so no edge is critical.
    fn only_if(&mut self, m: Value, path: impl FnOnce(&mut Self) -> [Value; 3]) -> [Value; 3] {
        let zero = self.fconst(0.0);
        if self.known_bool(m) == Some(false) {
            return [zero; 3];
        }
        // Vectors take the path when any lane needs it.
        let m = if self.vector { self.b.any_lane(m) } else { m };
        let params = [self.f_ty(); 3];
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
