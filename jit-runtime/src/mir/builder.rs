//! [`Builder`]: the way to write MIR.
//!
//! ```text
//! use crate::mir::{Builder, Ty};
//! let mut b = Builder::new("axpy");
//! let a = b.arg(Ty::F32, 0);          // read argument slot 0 as f32
//! let x = b.arg(Ty::F32, 1);
//! let y = b.arg(Ty::F32, 2);
//! let ax = b.mul(a, x);               // types come from the operands
//! let r = b.add(ax, y);
//! b.store_result(0, r);               // write result slot 0
//! b.ret();
//! let func = b.finish();
//! # let _ = func;
//! ```
//!
//! Terms: the *current block* is where instructions are appended; a new
//! builder starts in the entry block. Control flow:
//! `let (body, params) = b.create_block(&[Ty::I64])`, `b.jump(body, &[v])`,
//! `b.switch_to(body)`, `b.branch(cond, then, &[], other, &[])`, `b.ret()`.
//!
//! Rule for control flow (regalloc2's): no critical edges. When a block
//! ending in `branch` targets a block with several predecessors (a loop
//! header, a join), route that edge through a fresh block holding only a
//! `jump`. Values defined in a block are visible in the blocks it dominates;
//! pass anything else as a block argument.
//!
//! Invariant: every method checks the types of its operands and panics with
//! a message on a mismatch (that is a bug in the caller, not a user error);
//! [`Builder::finish`] panics if a block lacks its terminator.

use super::function::{BlockData, Function};
use super::inst::{BinOp, BlockCall, CmpOp, Helper, Inst, UnOp};
use super::types::{Block, Ty, Value};

/// Builds a [`Function`] one instruction at a time.
#[derive(Debug)]
pub struct Builder {
    name: String,
    values: Vec<Ty>,
    blocks: Vec<(Vec<Value>, Vec<Inst>)>,
    current: Block,
    num_args: usize,
    num_results: usize,
}

impl Builder {
    /// A builder positioned in the (parameterless) entry block.
    pub fn new(name: &str) -> Self {
        Builder {
            name: name.to_owned(),
            // Sized for a typical kernel, so building one rarely regrows.
            values: Vec::with_capacity(128),
            blocks: vec![(Vec::new(), Vec::with_capacity(64))],
            current: Block(0),
            num_args: 0,
            num_results: 0,
        }
    }

    /// The type of a value made by this builder.
    pub fn ty(&self, v: Value) -> Ty {
        self.values[v.index()]
    }

    fn new_value(&mut self, ty: Ty) -> Value {
        self.values.push(ty);
        Value(self.values.len() as u32 - 1)
    }

    fn push(&mut self, inst: Inst) {
        let insts = &mut self.blocks[self.current.index()].1;
        assert!(
            !insts.last().is_some_and(Inst::is_terminator),
            "MIR builder: block {} already ended, cannot append `{inst}`",
            self.current
        );
        insts.push(inst);
    }

    /// The common type of `a` and `b`; `what` names the operation in the
    /// panic message (formatted only then: this is on the compile path).
    fn same_ty(&self, what: impl std::fmt::Debug, a: Value, b: Value) -> Ty {
        let (ta, tb) = (self.ty(a), self.ty(b));
        assert_eq!(
            ta, tb,
            "MIR builder: `{what:?}` operands {a}: {ta} and {b}: {tb} differ"
        );
        ta
    }

    // ---- slots and constants ----

    /// Read argument slot `slot` as a value of type `ty`.
    pub fn arg(&mut self, ty: Ty, slot: u32) -> Value {
        let dst = self.new_value(ty);
        self.num_args = self.num_args.max(slot as usize + 1);
        self.push(Inst::Arg { dst, slot });
        dst
    }

    /// Write `v` to result slot `slot`.
    pub fn store_result(&mut self, slot: u32, v: Value) {
        self.num_results = self.num_results.max(slot as usize + 1);
        self.push(Inst::StoreResult { src: v, slot });
    }

    /// A constant given by its bit pattern (32-bit types: low 32 bits, the
    /// rest is cleared; `Bool`: the lowest bit).
    pub fn const_bits(&mut self, ty: Ty, bits: u64) -> Value {
        let bits = match ty {
            Ty::I64 | Ty::F64 => bits,
            Ty::Bool => bits & 1,
            _ => bits & 0xffff_ffff,
        };
        let dst = self.new_value(ty);
        self.push(Inst::Const { dst, bits });
        dst
    }

    /// An integer constant of type `ty` (`I32`, `U32`, `I64`, `Bool`), wrapped to its width.
    pub fn iconst(&mut self, ty: Ty, value: i64) -> Value {
        assert!(!ty.is_float(), "MIR builder: iconst of float type {ty}");
        self.const_bits(ty, value as u64)
    }

    /// An `F32` constant.
    pub fn f32const(&mut self, value: f32) -> Value {
        self.const_bits(Ty::F32, u64::from(value.to_bits()))
    }

    /// An `F64` constant.
    pub fn f64const(&mut self, value: f64) -> Value {
        self.const_bits(Ty::F64, value.to_bits())
    }

    // ---- arithmetic ----

    /// `op x` (see [`UnOp`] for the types each operator accepts).
    pub fn unary(&mut self, op: UnOp, x: Value) -> Value {
        let ty = self.ty(x);
        assert!(op.accepts(ty), "MIR builder: {op:?} is not defined on {ty}");
        let dst = self.new_value(ty);
        self.push(Inst::Unary {
            op,
            ty,
            dst,
            src: x,
        });
        dst
    }

    /// `a op b` (see [`BinOp`] for the types each operator accepts).
    pub fn binary(&mut self, op: BinOp, a: Value, b: Value) -> Value {
        let ty = self.same_ty(op, a, b);
        assert!(op.accepts(ty), "MIR builder: {op:?} is not defined on {ty}");
        let dst = self.new_value(ty);
        self.push(Inst::Binary {
            op,
            ty,
            dst,
            lhs: a,
            rhs: b,
        });
        dst
    }

    /// `a op b` as `Bool`.
    pub fn cmp(&mut self, op: CmpOp, a: Value, b: Value) -> Value {
        let ty = self.same_ty(op, a, b);
        // A vector compare gives a mask of its operands' type.
        let dst = self.new_value(if ty.is_vector() { ty } else { Ty::Bool });
        self.push(Inst::Cmp {
            op,
            ty,
            dst,
            lhs: a,
            rhs: b,
        });
        dst
    }

    /// `if cond { a } else { b }`.
    pub fn select(&mut self, cond: Value, a: Value, b: Value) -> Value {
        let ty = self.same_ty("select", a, b);
        let cond_ty = self.ty(cond);
        assert!(
            if ty.is_vector() {
                cond_ty.is_vector()
            } else {
                cond_ty == Ty::Bool
            },
            "MIR builder: select condition {cond}: {cond_ty} for {ty}"
        );
        let dst = self.new_value(ty);
        self.push(Inst::Select {
            ty,
            dst,
            cond,
            if_true: a,
            if_false: b,
        });
        dst
    }

    /// `a * b + c` rounded once (floats or float vectors, one type; see
    /// [`Inst::Fma`]: a vector one only where the target has the
    /// instruction, else [`Builder::fma_lanes`]).
    pub fn fma(&mut self, a: Value, b: Value, c: Value) -> Value {
        let ty = self.same_ty("fma", a, b);
        assert_eq!(ty, self.same_ty("fma", b, c));
        assert!(
            ty.is_float() || (ty.is_vector() && ty.lane().is_float()),
            "MIR builder: fma is not defined on {ty}"
        );
        let dst = self.new_value(ty);
        self.push(Inst::Fma { ty, dst, a, b, c });
        dst
    }

    // ---- vector fma ----

    /// `a * b + c` rounded once on each lane of the float vectors `a`, `b`,
    /// `c`: one vector [`Inst::Fma`] when `hardware` (the target has the
    /// instruction: `backend::has_vector_fma`), else each lane taken out,
    /// a scalar `Fma` on it (an instruction or a helper call, as the
    /// target has), and put back. Both give the same bits.
    pub fn fma_lanes(&mut self, a: Value, b: Value, c: Value, hardware: bool) -> Value {
        let ty = self.ty(a);
        assert!(
            ty.is_vector() && ty.lane().is_float(),
            "MIR builder: fma_lanes of {ty}"
        );
        if hardware {
            return self.fma(a, b, c);
        }
        self.same_ty("fma_lanes", a, b);
        self.same_ty("fma_lanes", b, c);
        let mut out = c;
        for lane in 0..ty.lanes() as u8 {
            // An operand used twice (`fma(x, x, y)`) is taken out once.
            let x = self.extract_lane(a, lane);
            let y = if b == a {
                x
            } else {
                self.extract_lane(b, lane)
            };
            let z = match c {
                c if c == a => x,
                c if c == b => y,
                c => self.extract_lane(c, lane),
            };
            let r = self.fma(x, y, z);
            out = self.insert_lane(out, lane, r);
        }
        out
    }

    /// `x as to` with Rust semantics (see [`Inst::Convert`]); a no-op
    /// conversion returns `x` itself.
    pub fn convert(&mut self, x: Value, to: Ty) -> Value {
        let from = self.ty(x);
        if from == to {
            return x;
        }
        let dst = self.new_value(to);
        self.push(Inst::Convert {
            from,
            to,
            dst,
            src: x,
        });
        dst
    }

    /// Reinterpret the bits of `x` as `to` (float <-> integer of the same width).
    pub fn bitcast(&mut self, x: Value, to: Ty) -> Value {
        let from = self.ty(x);
        assert!(
            (from.is_vector() && to.is_vector() && from != to && from.bits() == to.bits())
                || (from.is_float() != to.is_float()
                    && !from.is_vector()
                    && !to.is_vector()
                    && from.bits() == to.bits()
                    && from != Ty::Bool
                    && to != Ty::Bool),
            "MIR builder: cannot bitcast {from} to {to}"
        );
        let dst = self.new_value(to);
        self.push(Inst::Bitcast {
            from,
            to,
            dst,
            src: x,
        });
        dst
    }

    /// Call a runtime helper; returns one new value per entry of `ret_tys`.
    pub fn call(&mut self, helper: Helper, args: &[Value], ret_tys: &[Ty]) -> Vec<Value> {
        let rets: Vec<Value> = ret_tys.iter().map(|&t| self.new_value(t)).collect();
        self.push(Inst::Call {
            helper,
            args: args.to_vec(),
            rets: rets.clone(),
        });
        rets
    }

    // ---- memory ----

    /// Read the element `base[index]` of type `ty` (see [`Inst::Load`]);
    /// `base` and `index` are `I64`.
    pub fn load(&mut self, ty: Ty, base: Value, index: Value) -> Value {
        self.check_address("load", base, index);
        let dst = self.new_value(ty);
        self.push(Inst::Load {
            ty,
            dst,
            base,
            index,
        });
        dst
    }

    /// A vector of type `ty` with the scalar `x` in every lane.
    pub fn splat(&mut self, ty: Ty, x: Value) -> Value {
        assert!(
            ty.is_vector() && ty.lane() != Ty::I64 && self.ty(x) == ty.lane(),
            "MIR builder: splat of {} to {ty} (integer lanes: splat their bits as f64)",
            self.ty(x)
        );
        let dst = self.new_value(ty);
        self.push(Inst::Splat { ty, dst, src: x });
        dst
    }

    /// The lanes of the vector `x` combined with `op` in halving order
    /// (see [`Inst::ReduceLanes`]).
    pub fn reduce_lanes(&mut self, op: BinOp, x: Value) -> Value {
        let ty = self.ty(x);
        assert!(
            ty.is_vector() && matches!(op, BinOp::Add | BinOp::Mul | BinOp::Min | BinOp::Max),
            "MIR builder: reduce_lanes {op:?} of {ty}"
        );
        let dst = self.new_value(ty.lane());
        self.push(Inst::ReduceLanes {
            op,
            ty,
            dst,
            src: x,
        });
        dst
    }

    /// `x op amount` on each lane of an `I64x2` or `I64x4` (see [`Inst::ShiftImm`]).
    pub fn shift_imm(&mut self, op: BinOp, x: Value, amount: u32) -> Value {
        let ty = self.ty(x);
        assert!(
            matches!(ty, Ty::I64x2 | Ty::I64x4)
                && matches!(op, BinOp::Shl | BinOp::ShrS | BinOp::ShrU)
                && amount < 64,
            "MIR builder: shift_imm {op:?} {amount} of {ty}"
        );
        let dst = self.new_value(ty);
        self.push(Inst::ShiftImm {
            op,
            ty,
            dst,
            src: x,
            amount,
        });
        dst
    }

    /// The vector of type `ty` at `base + offset` bytes (a multiple of 16).
    pub fn vector_load(&mut self, ty: Ty, base: Value, offset: u32) -> Value {
        assert!(
            ty.is_vector() && offset.is_multiple_of(16) && self.ty(base) == Ty::I64,
            "MIR builder: vector_load"
        );
        let dst = self.new_value(ty);
        self.push(Inst::VectorLoad {
            ty,
            dst,
            base,
            offset,
        });
        dst
    }

    /// Write the vector `value` at `base + offset` bytes (a multiple of 16).
    pub fn vector_store(&mut self, base: Value, offset: u32, value: Value) {
        let ty = self.ty(value);
        assert!(
            ty.is_vector() && offset.is_multiple_of(16) && self.ty(base) == Ty::I64,
            "MIR builder: vector_store"
        );
        self.push(Inst::VectorStore {
            ty,
            base,
            offset,
            value,
        });
    }

    /// Half `half` of the lanes of the `F32x4` (`F32x8`) `x`, widened to
    /// `F64x2` (`F64x4`).
    pub fn widen(&mut self, x: Value, half: u8) -> Value {
        let ty = self.ty(x);
        assert!(
            matches!(ty, Ty::F32x4 | Ty::F32x8) && half < 2,
            "MIR builder: widen"
        );
        let to = if ty == Ty::F32x8 {
            Ty::F64x4
        } else {
            Ty::F64x2
        };
        let dst = self.new_value(to);
        self.push(Inst::Widen { half, dst, src: x });
        dst
    }

    /// The `F64x2` (`F64x4`) `x` rounded to `f32` in the low half of an
    /// `F32x4` (`F32x8`).
    pub fn narrow(&mut self, x: Value) -> Value {
        let ty = self.ty(x);
        assert!(matches!(ty, Ty::F64x2 | Ty::F64x4), "MIR builder: narrow");
        let to = if ty == Ty::F64x4 {
            Ty::F32x8
        } else {
            Ty::F32x4
        };
        let dst = self.new_value(to);
        self.push(Inst::Narrow { dst, src: x });
        dst
    }

    /// The low half of the lanes of the `F32x4`s (`F32x8`s) `lo`, then of `hi`.
    pub fn concat_low(&mut self, lo: Value, hi: Value) -> Value {
        let ty = self.ty(lo);
        assert!(
            matches!(ty, Ty::F32x4 | Ty::F32x8) && self.ty(hi) == ty,
            "MIR builder: concat_low"
        );
        let dst = self.new_value(ty);
        self.push(Inst::ConcatLow { dst, lo, hi });
        dst
    }

    /// Lanes of the `F32x8` `table` picked by the low three bits of each
    /// 32-bit lane of the 256-bit `idx` (see [`Inst::Permute`]).
    pub fn permute(&mut self, table: Value, idx: Value) -> Value {
        assert!(
            self.ty(table) == Ty::F32x8 && self.ty(idx).is_wide(),
            "MIR builder: permute"
        );
        let dst = self.new_value(Ty::F32x8);
        self.push(Inst::Permute { dst, table, idx });
        dst
    }

    /// The `F32x4` of bytes of the `F32x4` `table` picked by the bytes of
    /// the `I64x2` `bytes`, zero out of range (see [`Inst::ByteTable`]).
    pub fn byte_table(&mut self, table: Value, bytes: Value) -> Value {
        assert!(
            self.ty(table) == Ty::F32x4 && self.ty(bytes) == Ty::I64x2,
            "MIR builder: byte_table"
        );
        let dst = self.new_value(Ty::F32x4);
        self.push(Inst::ByteTable { dst, table, bytes });
        dst
    }

    /// [`Builder::byte_table`], `acc`'s bytes out of range (see
    /// [`Inst::ByteTableInto`]).
    pub fn byte_table_into(&mut self, acc: Value, table: Value, bytes: Value) -> Value {
        assert!(
            self.ty(acc) == Ty::F32x4 && self.ty(table) == Ty::F32x4 && self.ty(bytes) == Ty::I64x2,
            "MIR builder: byte_table_into"
        );
        let dst = self.new_value(Ty::F32x4);
        self.push(Inst::ByteTableInto {
            dst,
            acc,
            table,
            bytes,
        });
        dst
    }

    /// Whether any lane of the vector mask `x` is not zero.
    pub fn any_lane(&mut self, x: Value) -> Value {
        assert!(self.ty(x).is_vector(), "MIR builder: any_lane");
        let dst = self.new_value(Ty::Bool);
        self.push(Inst::AnyLane { dst, src: x });
        dst
    }

    /// Lane `lane` of the vector `x`.
    pub fn extract_lane(&mut self, x: Value, lane: u8) -> Value {
        let ty = self.ty(x);
        assert!(
            ty.is_vector() && u32::from(lane) < ty.lanes(),
            "MIR builder: extract_lane"
        );
        let dst = self.new_value(ty.lane());
        self.push(Inst::ExtractLane {
            ty,
            dst,
            src: x,
            lane,
        });
        dst
    }

    /// The vector `x` with lane `lane` set to the scalar `value`.
    pub fn insert_lane(&mut self, x: Value, lane: u8, value: Value) -> Value {
        let ty = self.ty(x);
        assert!(
            ty.is_vector() && u32::from(lane) < ty.lanes() && self.ty(value) == ty.lane(),
            "MIR builder: insert_lane"
        );
        let dst = self.new_value(ty);
        self.push(Inst::InsertLane {
            ty,
            dst,
            src: x,
            value,
            lane,
        });
        dst
    }

    /// Write `value` to the element `base[index]` of its type (see
    /// [`Inst::Store`]); `base` and `index` are `I64`.
    pub fn store(&mut self, base: Value, index: Value, value: Value) {
        self.check_address("store", base, index);
        let ty = self.ty(value);
        self.push(Inst::Store {
            ty,
            base,
            index,
            value,
        });
    }

    fn check_address(&self, what: &str, base: Value, index: Value) {
        for v in [base, index] {
            assert_eq!(
                self.ty(v),
                Ty::I64,
                "MIR builder: {what} address operand {v} is not i64"
            );
        }
    }

    // ---- control flow ----

    /// A new empty block with parameters of the given types; returns it and its parameters.
    pub fn create_block(&mut self, param_tys: &[Ty]) -> (Block, Vec<Value>) {
        let params: Vec<Value> = param_tys.iter().map(|&t| self.new_value(t)).collect();
        self.blocks.push((params.clone(), Vec::with_capacity(16)));
        (Block(self.blocks.len() as u32 - 1), params)
    }

    /// Append subsequent instructions to `block`.
    pub fn switch_to(&mut self, block: Block) {
        self.current = block;
    }

    /// Runs `emit` with instructions going to the end of the already ended
    /// `block`, in front of its terminator, then goes back to the current
    /// block: a loop's invariant values made in its preheader while its
    /// body is being built. `emit` must not end the block.
    pub fn in_front_of_terminator<R>(
        &mut self,
        block: Block,
        emit: impl FnOnce(&mut Self) -> R,
    ) -> R {
        let terminator = self.blocks[block.index()]
            .1
            .pop()
            .filter(Inst::is_terminator)
            .expect("MIR builder: the block has ended");
        let current = std::mem::replace(&mut self.current, block);
        let r = emit(self);
        self.current = current;
        self.blocks[block.index()].1.push(terminator);
        r
    }

    /// The block instructions are appended to.
    pub fn current_block(&self) -> Block {
        self.current
    }

    fn block_call(&self, block: Block, args: &[Value]) -> BlockCall {
        let params = &self.blocks[block.index()].0;
        assert_eq!(
            params.len(),
            args.len(),
            "MIR builder: {block} takes {} arguments",
            params.len()
        );
        for (p, a) in params.iter().zip(args) {
            assert_eq!(
                self.ty(*p),
                self.ty(*a),
                "MIR builder: argument {a} for parameter {p} of {block}"
            );
        }
        BlockCall {
            block,
            args: args.to_vec(),
        }
    }

    /// End the current block with a jump to `block`.
    pub fn jump(&mut self, block: Block, args: &[Value]) {
        let dest = self.block_call(block, args);
        self.push(Inst::Jump { dest });
    }

    /// End the current block with `if cond { then(..) } else { otherwise(..) }`.
    pub fn branch(
        &mut self,
        cond: Value,
        then: Block,
        then_args: &[Value],
        otherwise: Block,
        else_args: &[Value],
    ) {
        assert_eq!(
            self.ty(cond),
            Ty::Bool,
            "MIR builder: branch condition {cond} is not bool"
        );
        let then = self.block_call(then, then_args);
        let otherwise = self.block_call(otherwise, else_args);
        self.push(Inst::Branch {
            cond,
            then,
            otherwise,
        });
    }

    /// End the current block by returning from the function.
    pub fn ret(&mut self) {
        self.push(Inst::Return);
    }

    /// The finished function. Panics if a block does not end in a terminator.
    pub fn finish(self) -> Function {
        let mut insts = Vec::with_capacity(self.blocks.iter().map(|(_, body)| body.len()).sum());
        let mut blocks = Vec::with_capacity(self.blocks.len());
        for (i, (params, body)) in self.blocks.into_iter().enumerate() {
            assert!(
                body.last().is_some_and(Inst::is_terminator),
                "MIR builder: block b{i} of `{}` has no terminator",
                self.name
            );
            let start = insts.len() as u32;
            insts.extend(body);
            blocks.push(BlockData {
                params,
                insts: start..insts.len() as u32,
            });
        }
        Function {
            name: self.name,
            values: self.values,
            blocks,
            insts,
            num_args: self.num_args,
            num_results: self.num_results,
        }
    }
}

macro_rules! unary_methods {
    ($($(#[$doc:meta])* $name:ident => $op:ident;)*) => {
        // One constructor per op: the lowering uses some, the tests all.
        impl Builder {
            $($(#[$doc])* #[cfg_attr(not(test), allow(dead_code))]
            pub fn $name(&mut self, x: Value) -> Value { self.unary(UnOp::$op, x) })*
        }
    };
}

macro_rules! binary_methods {
    ($($(#[$doc:meta])* $name:ident => $kind:ident::$op:ident;)*) => {
        // One constructor per op: the lowering uses some, the tests all.
        impl Builder {
            $($(#[$doc])* #[cfg_attr(not(test), allow(dead_code))]
            pub fn $name(&mut self, a: Value, b: Value) -> Value {
                binary_methods!(@call self, $kind, $op, a, b)
            })*
        }
    };
    (@call $s:ident, BinOp, $op:ident, $a:ident, $b:ident) => { $s.binary(BinOp::$op, $a, $b) };
    (@call $s:ident, CmpOp, $op:ident, $a:ident, $b:ident) => { $s.cmp(CmpOp::$op, $a, $b) };
}

unary_methods! {
    /// Wrapping negation (ints), sign flip (floats).
    neg => Neg;
    /// Bitwise not (ints), logical not (`Bool`).
    not => Not;
    /// Float square root.
    sqrt => Sqrt;
}

binary_methods! {
    /// `a + b`.
    add => BinOp::Add;
    /// `a * b`.
    mul => BinOp::Mul;
    /// `a % b` (total, see [`BinOp::Rem`]).
    rem => BinOp::Rem;
    /// `a < b`.
    lt => CmpOp::Lt;
    /// `a <= b`.
    le => CmpOp::Le;
    /// `a > b`.
    gt => CmpOp::Gt;
    /// `a == b`.
    eq => CmpOp::Eq;
    /// `a != b`.
    ne => CmpOp::Ne;
}
