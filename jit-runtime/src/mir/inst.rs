//! The MIR instruction set.
//!
//! Every instruction is *total*: it has a defined result for every input and
//! never traps. The exact semantics are written on each operator below and
//! implemented once in [`super::eval`]; backends must agree with that
//! evaluator bit for bit (the payload of a NaN aside).
//!
//! Terms:
//! - *terminator*: [`Inst::Jump`], [`Inst::Branch`] or [`Inst::Return`]; the
//!   last instruction of every block and nowhere else.
//! - *block call*: a target block plus the values passed to its parameters
//!   (SSA with block parameters, as in regalloc2 and cranelift).
//! - *slot*: an 8-byte cell of the argument or result array of the compiled
//!   function (see [`crate::exec`]); the value sits in the low bits.
//! - *element address*: `base + index * ty.lane().size_of()` for a
//!   [`Inst::Load`] or [`Inst::Store`] of type `ty`, `base` and `index` `I64`
//!   values (the address computed with wrapping 64-bit arithmetic). A vector
//!   load or store touches `ty.lanes()` consecutive elements from there.
//! - *lanewise*: on a vector type ([`Ty::is_vector`]), [`Inst::Unary`],
//!   [`Inst::Binary`] and [`Inst::Cmp`] apply the scalar operator of the lane
//!   type to each lane independently, with exactly the scalar semantics
//!   written on the operator; a vector `Cmp` gives a *mask* of the operand
//!   type (each lane all ones or all zeros) instead of a `Bool`, and a vector
//!   [`Inst::Select`] takes such a mask as its condition and picks per lane.
//!   On float vectors the float operators of [`UnOp`] and [`BinOp`] other
//!   than `Rem` and rounding are defined, and `And`/`Or`/`Xor` (bitwise, on
//!   masks and bit patterns); on `I64x2` and `I64x4`, `Add`, `Sub`, `And`, `Or`, `Xor`
//!   (shifts by a constant are [`Inst::ShiftImm`]) and the compares `Lt`
//!   and `Eq`. [`Inst::Fma`] is lanewise on the float vector types too.
//!   A vector select's mask may be of any vector type (it is
//!   bitwise); a vector [`Inst::Bitcast`] reinterprets between any two
//!   vector types of one width.
//! - *wide*: the 256-bit vector types (`F32x8`, `F64x4`, `I64x4`) have every
//!   vector instruction the 128-bit ones have, defined by the same words
//!   over their lanes (a *half* is four `F32` lanes where the 128-bit form
//!   says two); one instruction never mixes the two widths.
//!
//! Memory: `Load` and `Store` are the only instructions that touch memory
//! other than slots. They are total only for addresses the code's caller
//! made valid (a buffer it passed a pointer to); lowering guarantees that
//! every generated access is inside such a buffer.

use std::fmt;

use super::types::{Block, Ty, Value};

/// Operators with one operand; the result has the operand's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// Integers: wrapping negation. Floats: flip the sign bit (also of NaN).
    Neg,
    /// Integers: bitwise not. `Bool`: `x ^ 1`.
    Not,
    /// Floats only: clear the sign bit.
    Abs,
    /// Floats only: IEEE square root.
    Sqrt,
    /// Floats only: round toward -inf.
    Floor,
    /// Floats only: round toward +inf.
    Ceil,
    /// Floats only: round toward zero.
    Trunc,
    /// Floats only: round to nearest, ties away from zero (Rust's `f32::round`).
    Round,
    /// Floats only: round to nearest, ties to even (`f32::round_ties_even`).
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "no op lowers to it yet; both backends implement it and their tests run it"
        )
    )]
    RoundEven,
}

impl UnOp {
    /// Every unary operator.
    #[cfg(test)]
    pub const ALL: [UnOp; 9] = [
        UnOp::Neg,
        UnOp::Not,
        UnOp::Abs,
        UnOp::Sqrt,
        UnOp::Floor,
        UnOp::Ceil,
        UnOp::Trunc,
        UnOp::Round,
        UnOp::RoundEven,
    ];

    /// Whether the operator is defined on values of type `ty`.
    pub fn accepts(self, ty: Ty) -> bool {
        match self {
            UnOp::Neg | UnOp::Abs | UnOp::Sqrt if ty.is_vector() => ty.lane() != Ty::I64,
            _ if ty.is_vector() => false,
            UnOp::Neg => ty != Ty::Bool,
            UnOp::Not => !ty.is_float(),
            _ => ty.is_float(),
        }
    }
}

/// Operators with two operands of the same type; the result has that type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// Integers wrap; floats IEEE.
    Add,
    /// Integers wrap; floats IEEE.
    Sub,
    /// Integers wrap; floats IEEE.
    Mul,
    /// Floats: IEEE. Signed integers: truncating, `x / 0 == -1`,
    /// `MIN / -1 == MIN`. `U32`: truncating, `x / 0 == u32::MAX`.
    Div,
    /// Floats: C `fmod` (sign of the dividend, `x % 0 == NaN`,
    /// `inf % y == NaN`, `x % inf == x`). Signed integers: truncating,
    /// `x % 0 == x`, `MIN % -1 == 0`. `U32`: `x % 0 == x`.
    Rem,
    /// Integers and `Bool`: bitwise and.
    And,
    /// Integers and `Bool`: bitwise or.
    Or,
    /// Integers and `Bool`: bitwise xor.
    Xor,
    /// Integers: `a << (b mod width)` (Rust's `wrapping_shl`).
    Shl,
    /// Signed integers: arithmetic `a >> (b mod width)` (`wrapping_shr` on `i32`/`i64`).
    ShrS,
    /// Integers: logical `a >> (b mod width)` (`wrapping_shr` on the unsigned view).
    ShrU,
    /// Floats only: NaN if either is NaN, else the smaller, `-0.0` below
    /// `+0.0` (IEEE 754-2019 `minimum`).
    Min,
    /// Floats only: NaN if either is NaN, else the larger, `-0.0` below
    /// `+0.0` (IEEE 754-2019 `maximum`).
    Max,
}

impl BinOp {
    /// Every binary operator.
    #[cfg(test)]
    pub const ALL: [BinOp; 13] = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
        BinOp::Rem,
        BinOp::And,
        BinOp::Or,
        BinOp::Xor,
        BinOp::Shl,
        BinOp::ShrS,
        BinOp::ShrU,
        BinOp::Min,
        BinOp::Max,
    ];

    /// Whether the operator is defined on values of type `ty`.
    pub fn accepts(self, ty: Ty) -> bool {
        match self {
            BinOp::Add | BinOp::Sub | BinOp::And | BinOp::Or | BinOp::Xor
                if ty.is_vector() && ty.lane() == Ty::I64 =>
            {
                true
            }
            _ if ty.is_vector() && ty.lane() == Ty::I64 => false,
            BinOp::Rem | BinOp::Shl | BinOp::ShrU | BinOp::ShrS if ty.is_vector() => false,
            _ if ty.is_vector() => true,
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => ty != Ty::Bool,
            BinOp::And | BinOp::Or | BinOp::Xor => !ty.is_float(),
            BinOp::Shl | BinOp::ShrU => ty.is_int(),
            BinOp::ShrS => ty.is_signed(),
            BinOp::Min | BinOp::Max => ty.is_float(),
        }
    }
}

/// Comparisons; the result is `Bool`. Signed for `I32`/`I64`, unsigned for
/// `U32`/`Bool`, IEEE ordered for floats (false on NaN, except `Ne`, true).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `a < b`
    Lt,
    /// `a <= b`
    Le,
    /// `a > b`
    Gt,
    /// `a >= b`
    Ge,
    /// `a == b`
    Eq,
    /// `a != b`
    Ne,
}

impl CmpOp {
    /// Every comparison.
    #[cfg(test)]
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
        CmpOp::Eq,
        CmpOp::Ne,
    ];
}

/// The signature every runtime helper has:
/// `data` is the helper's own data block, `args` the argument values, one
/// 8-byte slot each, `results` the slots the helper writes.
pub type HelperFn = unsafe extern "C" fn(data: *const u8, args: *const u64, results: *mut u64);

/// A runtime function that generated code may call (see [`Inst::Call`]).
/// Two helpers are equal when their names and data blocks are (function
/// addresses are not reliably comparable in Rust).
#[derive(Clone, Copy, Debug)]
pub struct Helper {
    /// Name for printing.
    pub name: &'static str,
    /// The function.
    pub func: HelperFn,
    /// Address of the data block passed as `data` (0 for none). Whoever builds
    /// the call keeps the block alive as long as the compiled code.
    pub data: usize,
}

impl PartialEq for Helper {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.data == other.data
    }
}

/// A branch target and the values bound to its block parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockCall {
    /// The target.
    pub block: Block,
    /// One value per parameter of `block`, same types.
    pub args: Vec<Value>,
}

/// One MIR instruction. The types of operands are recorded where a backend
/// needs them to choose an encoding.
#[derive(Clone, Debug, PartialEq)]
pub enum Inst {
    /// `dst = bits`, reinterpreted as the type of `dst` (floats: their bit
    /// pattern; 32-bit types in the low bits, upper bits zero).
    Const { dst: Value, bits: u64 },
    /// `dst = args[slot]` (the low bits of the slot, as `dst`'s type).
    Arg { dst: Value, slot: u32 },
    /// `results[slot] = src` (zero-extended to 64 bits).
    StoreResult { src: Value, slot: u32 },
    /// `dst = op src`, both of type `ty`.
    Unary {
        op: UnOp,
        ty: Ty,
        dst: Value,
        src: Value,
    },
    /// `dst = lhs op rhs`, all of type `ty`.
    Binary {
        op: BinOp,
        ty: Ty,
        dst: Value,
        lhs: Value,
        rhs: Value,
    },
    /// `dst: Bool = lhs op rhs`, operands of type `ty`.
    Cmp {
        op: CmpOp,
        ty: Ty,
        dst: Value,
        lhs: Value,
        rhs: Value,
    },
    /// `dst = if cond { if_true } else { if_false }`, values of type `ty`.
    Select {
        ty: Ty,
        dst: Value,
        cond: Value,
        if_true: Value,
        if_false: Value,
    },
    /// Floats only: `dst = a * b + c` rounded once (IEEE `fusedMultiplyAdd`,
    /// Rust's `f32::mul_add`), all of type `ty`: `F32`, `F64`, or a float
    /// vector type (`F32x4`, `F64x2`, `F32x8`, `F64x4`), lanewise.
    ///
    /// Invariant: a vector `Fma` reaches a backend only where the target
    /// has a vector FMA instruction (`backend::has_vector_fma`; the backend
    /// panics otherwise), since a per-lane helper call would cost more than
    /// the split form. A producer that does not know the target asks
    /// [`super::Builder::fma_lanes`], which splits into scalar `Fma`s (each
    /// an instruction or a call of `backend::helpers::fma`) when told to.
    Fma {
        ty: Ty,
        dst: Value,
        a: Value,
        b: Value,
        c: Value,
    },
    /// Numeric conversion (Rust `as`, floats to ints saturating with NaN -> 0;
    /// to `Bool` is `x != 0`, NaN -> true; from `Bool` is 0 or 1).
    Convert {
        from: Ty,
        to: Ty,
        dst: Value,
        src: Value,
    },
    /// Reinterpret the bits between a float and an integer type of the same width.
    Bitcast {
        from: Ty,
        to: Ty,
        dst: Value,
        src: Value,
    },
    /// Call a runtime helper with `args` in 8-byte slots; it writes one slot
    /// per value of `rets`. Clobbers the caller-saved registers.
    Call {
        helper: Helper,
        args: Vec<Value>,
        rets: Vec<Value>,
    },
    /// `dst = *(base + index * ty.size_of())`, one element of type `ty` (a
    /// vector: `ty.lanes()` elements of its lane type from the element address)
    /// read from memory (`Bool`: the byte, 0 or 1; 32-bit types: 4 bytes,
    /// upper bits of `dst` zero; 64-bit types: 8 bytes; native byte
    /// order, no alignment required). `base` and `index` are `I64`.
    Load {
        ty: Ty,
        dst: Value,
        base: Value,
        index: Value,
    },
    /// `*(base + index * ty.size_of()) = value`, one element of type `ty`
    /// written to memory (`Bool`: the byte 0 or 1; other types their 4 or 8
    /// bytes in native byte order). `base` and `index` are `I64`.
    Store {
        ty: Ty,
        base: Value,
        index: Value,
        value: Value,
    },
    /// Unconditional branch.
    Jump { dest: BlockCall },
    /// `if cond { then } else { otherwise }`; `cond` is `Bool`.
    Branch {
        cond: Value,
        then: BlockCall,
        otherwise: BlockCall,
    },
    /// Return from the compiled function (results must be stored before).
    Return,
    /// `dst` (a vector) has `src` (a scalar of its lane type) in every lane.
    Splat { ty: Ty, dst: Value, src: Value },
    /// `dst` (a scalar of the lane type of vector `ty`) combines the lanes
    /// of `src` with `op` (a float `Add`, `Mul`, `Min` or `Max`) by halving:
    /// while more than one lane is left, lane `k` of the lower half becomes
    /// `lane[k] op lane[k + half]`; the result is lane 0. So `F32x4`
    /// gives `(l0 op l2) op (l1 op l3)`, `F64x2` gives `l0 op l1`, `F32x8`
    /// first `lane[k] op lane[k + 4]`, then as `F32x4`. This
    /// order is part of the definition of float reductions
    /// (`ir::ReduceKind`), which the interpreter follows.
    ReduceLanes {
        op: BinOp,
        ty: Ty,
        dst: Value,
        src: Value,
    },
    /// `dst = src op amount` lanewise on `I64x2` or `I64x4`, `op` a shift (`Shl`,
    /// `ShrS`, `ShrU`) and `amount` a constant in `0..64`.
    ShiftImm {
        op: BinOp,
        ty: Ty,
        dst: Value,
        src: Value,
        amount: u32,
    },
    /// `dst: F64x2` = lanes `2 * half` and `2 * half + 1` of `src: F32x4`,
    /// widened exactly (`F64x4` = lanes `4 * half .. 4 * half + 4` of an
    /// `F32x8`).
    Widen { half: u8, dst: Value, src: Value },
    /// `dst: F32x4` = the lanes of `src: F64x2` rounded to `f32` (ties to
    /// even) in lanes 0 and 1, and `+0.0` in lanes 2 and 3 (`F64x4` to
    /// `F32x8`: lanes 0 to 3, then four `+0.0`).
    Narrow { dst: Value, src: Value },
    /// `dst: F32x4` = lanes 0 and 1 of `lo`, then lanes 0 and 1 of `hi`
    /// (`F32x8`: lanes 0 to 3 of each).
    ConcatLow { dst: Value, lo: Value, hi: Value },
    /// `dst: Bool` = whether any lane of the mask `src` is not zero.
    AnyLane { dst: Value, src: Value },
    /// `dst: F32x8` = lanes picked from `table: F32x8`: lane `k` is lane
    /// `idx[k] & 7` of `table`, `idx[k]` the bits of lane `k` of `idx` (a
    /// 256-bit value read as eight 32-bit lanes). A lookup of eight
    /// entries per lane, AVX2's `vpermps`; only the 256-bit types have it.
    Permute {
        dst: Value,
        table: Value,
        idx: Value,
    },
    /// `dst: F32x4` = bytes picked from the 16 bytes of `table: F32x4`:
    /// byte `j` of `dst` is byte `bytes[j]` of `table` (byte `j` of the
    /// `I64x2` `bytes`), or zero where `bytes[j]` is 16 or more.
    /// AArch64's `tbl`; only where `backend::has_byte_tables` says so.
    ByteTable {
        dst: Value,
        table: Value,
        bytes: Value,
    },
    /// [`Inst::ByteTable`], but byte `j` of `acc` where `bytes[j]` is 16 or
    /// more: AArch64's `tbx`. A table of 32 bytes in two vectors is a
    /// `ByteTable` of the first and a `ByteTableInto` of the second with
    /// the indices' bit 4 flipped.
    ByteTableInto {
        dst: Value,
        acc: Value,
        table: Value,
        bytes: Value,
    },
    /// `dst` (a scalar of the lane type) = lane `lane` of the vector `src`.
    ExtractLane {
        ty: Ty,
        dst: Value,
        src: Value,
        lane: u8,
    },
    /// `dst` = the vector of type `ty` at `base + offset` (`offset` in
    /// bytes, a multiple of 16; `base` an `I64`): a vector load with a
    /// constant offset, as a loop reads consecutive vectors from one pointer.
    VectorLoad {
        ty: Ty,
        dst: Value,
        base: Value,
        offset: u32,
    },
    /// The vector `value` of type `ty` written at `base + offset` (see
    /// [`Inst::VectorLoad`]).
    VectorStore {
        ty: Ty,
        base: Value,
        offset: u32,
        value: Value,
    },
    /// `dst` = the vector `src` with lane `lane` replaced by the scalar `value`.
    InsertLane {
        ty: Ty,
        dst: Value,
        src: Value,
        value: Value,
        lane: u8,
    },
}

impl Inst {
    /// Whether this instruction ends a block.
    pub fn is_terminator(&self) -> bool {
        matches!(self, Inst::Jump { .. } | Inst::Branch { .. } | Inst::Return)
    }

    /// The block calls of a terminator (none for other instructions).
    pub fn block_calls(&self) -> impl Iterator<Item = &BlockCall> {
        let (first, second) = match self {
            Inst::Jump { dest } => (Some(dest), None),
            Inst::Branch {
                then, otherwise, ..
            } => (Some(then), Some(otherwise)),
            _ => (None, None),
        };
        first.into_iter().chain(second)
    }

    /// Values this instruction reads, in operand order (block-call arguments excluded).
    pub fn uses(&self) -> Values<'_> {
        match self {
            Inst::Const { .. } | Inst::Arg { .. } | Inst::Jump { .. } | Inst::Return => {
                Values::inline(&[])
            }
            Inst::StoreResult { src, .. }
            | Inst::Unary { src, .. }
            | Inst::Convert { src, .. }
            | Inst::Bitcast { src, .. }
            | Inst::Branch { cond: src, .. }
            | Inst::Splat { src, .. }
            | Inst::ReduceLanes { src, .. }
            | Inst::ShiftImm { src, .. }
            | Inst::Widen { src, .. }
            | Inst::Narrow { src, .. }
            | Inst::AnyLane { src, .. }
            | Inst::ExtractLane { src, .. }
            | Inst::VectorLoad { base: src, .. } => Values::inline(&[*src]),
            Inst::VectorStore { base, value, .. } => Values::inline(&[*base, *value]),
            Inst::ConcatLow { lo, hi, .. } => Values::inline(&[*lo, *hi]),
            Inst::Permute { table, idx, .. } => Values::inline(&[*table, *idx]),
            Inst::ByteTable { table, bytes, .. } => Values::inline(&[*table, *bytes]),
            Inst::ByteTableInto {
                acc, table, bytes, ..
            } => Values::inline(&[*acc, *table, *bytes]),
            Inst::InsertLane { src, value, .. } => Values::inline(&[*src, *value]),
            Inst::Binary { lhs, rhs, .. } | Inst::Cmp { lhs, rhs, .. } => {
                Values::inline(&[*lhs, *rhs])
            }
            Inst::Load { base, index, .. } => Values::inline(&[*base, *index]),
            Inst::Store {
                base, index, value, ..
            } => Values::inline(&[*base, *index, *value]),
            Inst::Select {
                cond,
                if_true,
                if_false,
                ..
            } => Values::inline(&[*cond, *if_true, *if_false]),
            Inst::Fma { a, b, c, .. } => Values::inline(&[*a, *b, *c]),
            Inst::Call { args, .. } => Values::List(args),
        }
    }

    /// Values this instruction defines.
    pub fn defs(&self) -> Values<'_> {
        match self {
            Inst::Const { dst, .. }
            | Inst::Arg { dst, .. }
            | Inst::Unary { dst, .. }
            | Inst::Binary { dst, .. }
            | Inst::Cmp { dst, .. }
            | Inst::Select { dst, .. }
            | Inst::Fma { dst, .. }
            | Inst::Convert { dst, .. }
            | Inst::Bitcast { dst, .. }
            | Inst::Load { dst, .. }
            | Inst::Splat { dst, .. }
            | Inst::ReduceLanes { dst, .. }
            | Inst::ShiftImm { dst, .. }
            | Inst::Widen { dst, .. }
            | Inst::Narrow { dst, .. }
            | Inst::ConcatLow { dst, .. }
            | Inst::Permute { dst, .. }
            | Inst::ByteTable { dst, .. }
            | Inst::ByteTableInto { dst, .. }
            | Inst::AnyLane { dst, .. }
            | Inst::ExtractLane { dst, .. }
            | Inst::InsertLane { dst, .. }
            | Inst::VectorLoad { dst, .. } => Values::inline(&[*dst]),
            Inst::Call { rets, .. } => Values::List(rets),
            Inst::StoreResult { .. }
            | Inst::Store { .. }
            | Inst::VectorStore { .. }
            | Inst::Jump { .. }
            | Inst::Branch { .. }
            | Inst::Return => Values::inline(&[]),
        }
    }
}

/// The values an instruction reads or defines, without allocating: up to
/// three held inline, or a call's list borrowed. Derefs to `[Value]`.
#[derive(Clone, Copy, Debug)]
pub enum Values<'a> {
    /// `len` values at the start of `values`.
    Inline {
        /// The values, padded.
        values: [Value; 3],
        /// How many are meant.
        len: u8,
    },
    /// A call's arguments or results.
    List(&'a [Value]),
}

impl Values<'_> {
    fn inline(values: &[Value]) -> Self {
        let mut padded = [Value(0); 3];
        padded[..values.len()].copy_from_slice(values);
        Values::Inline {
            values: padded,
            len: values.len() as u8,
        }
    }
}

impl std::ops::Deref for Values<'_> {
    type Target = [Value];
    fn deref(&self) -> &[Value] {
        match self {
            Values::Inline { values, len } => &values[..usize::from(*len)],
            Values::List(list) => list,
        }
    }
}

fn write_call(f: &mut fmt::Formatter<'_>, call: &BlockCall) -> fmt::Result {
    write!(f, "{}(", call.block)?;
    for (i, a) in call.args.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{a}")?;
    }
    f.write_str(")")
}

impl fmt::Display for Inst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Inst::Const { dst, bits } => write!(f, "{dst} = const {bits:#x}"),
            Inst::Arg { dst, slot } => write!(f, "{dst} = arg {slot}"),
            Inst::StoreResult { src, slot } => write!(f, "result {slot} = {src}"),
            Inst::Unary { op, ty, dst, src } => write!(f, "{dst} = {op:?}.{ty} {src}"),
            Inst::Binary {
                op,
                ty,
                dst,
                lhs,
                rhs,
            } => {
                write!(f, "{dst} = {op:?}.{ty} {lhs}, {rhs}")
            }
            Inst::Cmp {
                op,
                ty,
                dst,
                lhs,
                rhs,
            } => write!(f, "{dst} = cmp.{op:?}.{ty} {lhs}, {rhs}"),
            Inst::Select {
                ty,
                dst,
                cond,
                if_true,
                if_false,
            } => {
                write!(f, "{dst} = select.{ty} {cond}, {if_true}, {if_false}")
            }
            Inst::Fma { ty, dst, a, b, c } => write!(f, "{dst} = fma.{ty} {a}, {b}, {c}"),
            Inst::Convert { from, to, dst, src } => write!(f, "{dst} = convert.{from}.{to} {src}"),
            Inst::Bitcast { from, to, dst, src } => write!(f, "{dst} = bitcast.{from}.{to} {src}"),
            Inst::Call { helper, args, rets } => {
                let list = |vs: &[Value]| {
                    vs.iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                write!(f, "[{}] = call {}({})", list(rets), helper.name, list(args))
            }
            Inst::Load {
                ty,
                dst,
                base,
                index,
            } => write!(f, "{dst} = load.{ty} {base}[{index}]"),
            Inst::Store {
                ty,
                base,
                index,
                value,
            } => write!(f, "store.{ty} {base}[{index}] = {value}"),
            Inst::Jump { dest } => {
                f.write_str("jump ")?;
                write_call(f, dest)
            }
            Inst::Branch {
                cond,
                then,
                otherwise,
            } => {
                write!(f, "branch {cond}, ")?;
                write_call(f, then)?;
                f.write_str(", ")?;
                write_call(f, otherwise)
            }
            Inst::Return => f.write_str("return"),
            Inst::Splat { ty, dst, src } => write!(f, "{dst} = splat.{ty} {src}"),
            Inst::ReduceLanes { op, ty, dst, src } => {
                write!(f, "{dst} = reduce_lanes.{op:?}.{ty} {src}")
            }
            Inst::ShiftImm {
                op,
                ty,
                dst,
                src,
                amount,
            } => write!(f, "{dst} = {op:?}.{ty} {src}, {amount}"),
            Inst::Widen { half, dst, src } => write!(f, "{dst} = widen.{half} {src}"),
            Inst::Narrow { dst, src } => write!(f, "{dst} = narrow {src}"),
            Inst::ConcatLow { dst, lo, hi } => write!(f, "{dst} = concat_low {lo}, {hi}"),
            Inst::Permute { dst, table, idx } => write!(f, "{dst} = permute {table}, {idx}"),
            Inst::ByteTable { dst, table, bytes } => {
                write!(f, "{dst} = byte_table {table}, {bytes}")
            }
            Inst::ByteTableInto {
                dst,
                acc,
                table,
                bytes,
            } => write!(f, "{dst} = byte_table_into {acc}, {table}, {bytes}"),
            Inst::AnyLane { dst, src } => write!(f, "{dst} = any_lane {src}"),
            Inst::VectorLoad {
                ty,
                dst,
                base,
                offset,
            } => write!(f, "{dst} = load.{ty} {base}+{offset}"),
            Inst::VectorStore {
                ty,
                base,
                offset,
                value,
            } => write!(f, "store.{ty} {base}+{offset} = {value}"),
            Inst::ExtractLane { ty, dst, src, lane } => {
                write!(f, "{dst} = extract_lane.{ty} {src}, {lane}")
            }
            Inst::InsertLane {
                ty,
                dst,
                src,
                value,
                lane,
            } => write!(f, "{dst} = insert_lane.{ty} {src}, {lane}, {value}"),
        }
    }
}
