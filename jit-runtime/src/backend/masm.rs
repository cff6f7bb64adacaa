//! The macro-assembler interface: what an ISA provides so that the shared
//! emitter (`emit.rs`) can turn allocated MIR into its machine code.
//!
//! The emitter owns everything that is the same on every ISA: the walk over
//! instructions, which operand goes to which register, labels and branch
//! layout, the flags of a compare, regalloc2's moves and spills, the helper
//! call sequence. An ISA only selects instructions for the operations named
//! here, on registers it is given.
//!
//! Terms:
//! - [`MacroAssembler`]: the whole interface. Its parts ([`Moves`], [`Abi`],
//!   [`Int`], [`Float`], [`Convert`], [`Vector`]) exist only so that an ISA
//!   implements each in the file named for it (`asm.rs`, `abi.rs`, `int.rs`,
//!   `float.rs`, `convert.rs`, `vector.rs`); the rest (registers, labels,
//!   jumps, finishing) is in the ISA's `masm.rs`.
//! - A *register* is its hardware number (`u8`): regalloc2's `PReg` index;
//!   its class follows from the operation (a general register for integers
//!   and `bool`, a vector register for floats).
//! - An *offset* is a byte offset from the stack pointer, a multiple of 8
//!   (see [`super::Frame`]).
//! - `w64` selects the 64-bit float (`f64`) over `f32`.
//! - *Flags*: the condition state an integer compare leaves; [`IntCond`]
//!   says which comparison a jump on them tests.
//!
//! Invariant: every operation is correct for any assignment of its
//! operands to registers, including a destination equal to a source, and
//! touches no register other than its operands and the ISA's scratch
//! registers, unless its documentation names them (the prologue and
//! epilogue, a helper call).

use dynasmrt::DynamicLabel;
use regalloc2::{MachineEnv, PReg, PRegSet, RegClass};

use super::{CompileError, Frame};
use crate::exec::CompiledCode;
use crate::mir::{BinOp, CmpOp, Helper, Ty, UnOp};

/// An integer comparison `a op b` as the flags of `cmp a, b` hold it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntCond {
    /// The comparison.
    pub op: CmpOp,
    /// Signed (`I32`, `I64`) or unsigned (`U32`, `Bool`) ordering.
    pub signed: bool,
}

impl IntCond {
    /// The condition of `op` on values of type `ty`.
    pub fn of(op: CmpOp, ty: Ty) -> IntCond {
        IntCond {
            op,
            signed: ty.is_signed(),
        }
    }

    /// The condition that holds exactly when `self` does not (integers have
    /// no unordered case).
    pub fn inverse(self) -> IntCond {
        let op = match self.op {
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Ge => CmpOp::Lt,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
        };
        IntCond { op, ..self }
    }
}

/// An ISA's registers as the allocator and the frame see them.
#[derive(Clone, Debug)]
pub struct Registers {
    /// regalloc2's environment: the allocatable registers and its scratch registers.
    pub env: MachineEnv,
    /// Allocatable registers a call to a runtime helper may overwrite.
    pub call_clobbers: PRegSet,
    /// Allocatable registers the prologue saves when the allocation uses them.
    pub callee_saved: PRegSet,
}

impl Registers {
    /// The registers of an ISA that allocates `caller_saved` general
    /// registers first, then `callee_saved` ones, and `floats` (vector
    /// registers, all of them caller-saved); `scratch` are the general and
    /// the vector register regalloc2 may use for its moves, never allocated.
    pub fn new(
        caller_saved: impl IntoIterator<Item = u8>,
        callee_saved: impl IntoIterator<Item = u8>,
        floats: impl IntoIterator<Item = u8>,
        scratch: (u8, u8),
    ) -> Registers {
        let caller_saved = set(RegClass::Int, caller_saved);
        let callee_saved = set(RegClass::Int, callee_saved);
        let floats = set(RegClass::Float, floats);
        let none = PRegSet::empty();
        Registers {
            env: MachineEnv {
                preferred_regs_by_class: [caller_saved, floats, none],
                non_preferred_regs_by_class: [callee_saved, none, none],
                scratch_by_class: [
                    Some(PReg::new(scratch.0 as usize, RegClass::Int)),
                    Some(PReg::new(scratch.1 as usize, RegClass::Float)),
                    None,
                ],
                fixed_stack_slots: Vec::new(),
            },
            call_clobbers: caller_saved | floats,
            callee_saved,
        }
    }
}

/// The registers of `class` numbered `regs`.
fn set(class: RegClass, regs: impl IntoIterator<Item = u8>) -> PRegSet {
    regs.into_iter().fold(PRegSet::empty(), |set, r| {
        set.with(PReg::new(r as usize, class))
    })
}

/// What a target ISA implements to compile MIR; no ISA owns this trait.
pub trait MacroAssembler: Moves + Abi + Int + Float + Convert + Vector {
    /// Whether an integer compare whose only use is the branch right after
    /// it leaves its result in the flags alone: it then defines no register
    /// and emits only [`Int::int_cmp_flags`], and the branch takes no operand.
    const FUSES_BRANCH_COMPARES: bool;
    /// Whether the flags of a compare stay live across the moves regalloc2
    /// puts between it and its branch, which holds only where no move, load
    /// or store of [`Moves`] changes them. Without it such a branch tests
    /// the `bool`; with [`MacroAssembler::FUSES_BRANCH_COMPARES`] there is
    /// no `bool`, so an ISA that fuses must keep its flags.
    const MOVES_KEEP_FLAGS: bool;

    /// The registers regalloc2 may use, and their roles.
    fn registers(&self) -> &Registers;

    /// A fresh label, bound later by [`MacroAssembler::bind`].
    fn new_label(&mut self) -> DynamicLabel;
    /// Bind `label` to the current position.
    fn bind(&mut self, label: DynamicLabel);
    /// Jump to `label`.
    fn jump(&mut self, label: DynamicLabel);
    /// Resolve labels and map the code executable.
    fn finish(self) -> Result<CompiledCode, CompileError>;
}

/// Moves between registers and stack slots, and immediates (`asm.rs`).
pub trait Moves {
    /// A general register no allocation uses, free for a move between two
    /// stack slots (regalloc2's own move scratch).
    const SCRATCH: u8;

    /// `d = s`, general registers, all 64 bits. Nothing when `d == s`.
    fn mov_gpr(&mut self, d: u8, s: u8);
    /// `d = s`, vector registers, all 128 bits (a register may hold a
    /// vector; all 256 bits in a function holding 256-bit vectors,
    /// `Frame::wide`). Nothing when `d == s`.
    fn mov_fpr(&mut self, d: u8, s: u8);
    /// `d = bits`, a general register.
    fn mov_imm(&mut self, d: u8, bits: u64);
    /// `d = bits` as an `f64` (`w64`) or `f32` bit pattern, a vector register.
    fn float_imm(&mut self, d: u8, w64: bool, bits: u64);
    /// `[sp + off] = s`, 64 bits of a general register.
    fn store_gpr(&mut self, off: u32, s: u8);
    /// `[sp + off] = s`, all 128 bits of a vector register (`off` a
    /// multiple of 16: spill slots are 16 bytes; all 256 bits into a
    /// 32-byte slot in a `Frame::wide` function).
    fn store_fpr(&mut self, off: u32, s: u8);
    /// `[sp + off] = s`, the low 64 bits (an `f64`) of a vector register.
    fn store_fpr64(&mut self, off: u32, s: u8);
    /// `[sp + off] = s` as a slot: the `f32` bits of a vector register,
    /// zero-extended to 64.
    fn store_f32_slot(&mut self, off: u32, s: u8);
    /// `d = [sp + off]`, 64 bits into a general register.
    fn load_gpr(&mut self, d: u8, off: u32);
    /// `d = [sp + off]`, 32 bits zero-extended into a general register.
    fn load_gpr32(&mut self, d: u8, off: u32);
    /// `d = [sp + off]`, 128 bits into a vector register (`off` a multiple
    /// of 16; 256 bits in a `Frame::wide` function).
    fn load_fpr(&mut self, d: u8, off: u32);
    /// `d = [sp + off]`, 64 bits (an `f64`) into a vector register.
    fn load_fpr64(&mut self, d: u8, off: u32);
    /// `d = [sp + off]`, 32 bits (an `f32`) into a vector register.
    fn load_fpr32(&mut self, d: u8, off: u32);
    /// `d = base[index]`: the element of type `ty` at `base + index *
    /// ty.lane().size_of()` (general registers `base`, `index`; `d` a vector
    /// register for floats and vectors, which read all their lanes from
    /// there), zero-extended into a general register for the other types
    /// (`bool` is one byte, 0 or 1). See `mir::Inst::Load`.
    fn load_element(&mut self, ty: Ty, d: u8, base: u8, index: u8);
    /// `base[index] = s`: the element of type `ty` at `base + index *
    /// ty.size_of()` (`bool` as its byte). See `mir::Inst::Store`.
    fn store_element(&mut self, ty: Ty, base: u8, index: u8, s: u8);
}

/// The frame and the calling conventions (`abi.rs`).
pub trait Abi {
    /// The pinned register holding the argument slot pointer.
    const ARGS: u8;
    /// The pinned register holding the result slot pointer.
    const RESULTS: u8;

    /// Emit the prologue of `frame` (the entry is the first byte emitted).
    fn prologue(&mut self, frame: &Frame);
    /// Emit the epilogue and return.
    fn epilogue(&mut self);
    /// `d = args[slot]` as `ty`.
    fn load_arg(&mut self, ty: Ty, d: u8, slot: u32);
    /// `results[slot] = s` as `ty`, zero-extended to 64 bits.
    fn store_result(&mut self, ty: Ty, s: u8, slot: u32);
    /// Call `helper` with its data block, the argument slots at `[sp]` and
    /// the result slots at `[sp + results_off]`. Clobbers the pinned
    /// registers and [`Registers::call_clobbers`]; the caller saves and
    /// restores what it needs.
    fn call_helper(&mut self, helper: Helper, results_off: u32);
}

/// Integer and `bool` operations, and jumps on them (`int.rs`).
pub trait Int {
    /// `d = op s`.
    fn int_unary(&mut self, op: UnOp, ty: Ty, d: u8, s: u8);
    /// `d = a op b`; division and remainder are total (see `mir::Inst::Binary`).
    fn int_binary(&mut self, op: BinOp, ty: Ty, d: u8, a: u8, b: u8);
    /// Set the flags from `a` against `b` in the width of `ty`.
    fn int_cmp_flags(&mut self, ty: Ty, a: u8, b: u8);
    /// `d = a op b` as a `bool`, leaving the flags of [`Int::int_cmp_flags`]
    /// with [`IntCond::of`]`(op, ty)` for a branch after it.
    fn int_cmp(&mut self, op: CmpOp, ty: Ty, d: u8, a: u8, b: u8);
    /// `d = if c { t } else { f }` for integer and `bool` values.
    fn int_select(&mut self, d: u8, c: u8, t: u8, f: u8);
    /// `r &= 1`: a `bool` read from a slot whose upper bits are not defined.
    fn mask_bool(&mut self, r: u8);
    /// Jump to `label` if the flags of the last integer compare say `cond`.
    fn jump_if(&mut self, cond: IntCond, label: DynamicLabel);
    /// Jump to `label` if the `bool` in `c` is `value`.
    fn jump_if_bool(&mut self, c: u8, value: bool, label: DynamicLabel);
}

/// Float operations (`float.rs`).
pub trait Float {
    /// `d = op s`.
    fn float_unary(&mut self, op: UnOp, w64: bool, d: u8, s: u8);
    /// `d = a op b` (never remainder: that is a helper call).
    fn float_binary(&mut self, op: BinOp, w64: bool, d: u8, a: u8, b: u8);
    /// `d = a op b` as a `bool` (ordered: false on NaN, except `Ne`).
    fn float_cmp(&mut self, op: CmpOp, w64: bool, d: u8, a: u8, b: u8);
    /// `d = if c { t } else { f }` for float values (`c` a general register).
    fn float_select(&mut self, d: u8, c: u8, t: u8, f: u8);
    /// Whether [`Float::float_fma`] has an instruction; without one, the
    /// emitter calls [`crate::backend::helpers::fma`] instead.
    fn has_fma(&self) -> bool;
    /// `d = a * b + c` rounded once (see `mir::Inst::Fma`); only called
    /// when [`Float::has_fma`].
    fn float_fma(&mut self, w64: bool, d: u8, a: u8, b: u8, c: u8);
}

/// Lanewise operations on vectors, `mir::Ty::F32x4`, `F64x2` and `I64x2`,
/// and on an ISA with 256-bit registers `F32x8`, `F64x4` and `I64x4`
/// (`vector.rs`); `ty` is the vector type (of the source for
/// [`Vector::vec_widen`] and [`Vector::vec_narrow`]). Exact semantics: each
/// lane as the scalar operation of [`Float`] or [`Int`] computes it, masks
/// as `mir::Inst::Cmp` defines them, the rest as the `mir::Inst` of the
/// same name.
pub trait Vector {
    /// `d = s` in every lane (`s` holds the scalar in lane 0).
    fn vec_splat(&mut self, ty: Ty, d: u8, s: u8);
    /// `d = op s` per lane (`Neg`, `Abs`, `Sqrt`).
    fn vec_unary(&mut self, op: UnOp, ty: Ty, d: u8, s: u8);
    /// `d = a op b` per lane (float arithmetic, `Min`/`Max` with the MIR's
    /// NaN and signed-zero rules, and the bitwise `And`/`Or`/`Xor`).
    fn vec_binary(&mut self, op: BinOp, ty: Ty, d: u8, a: u8, b: u8);
    /// `d = a op b` per lane as a mask (ordered: false on NaN, except `Ne`).
    fn vec_cmp(&mut self, op: CmpOp, ty: Ty, d: u8, a: u8, b: u8);
    /// `d = (c & t) | (!c & f)`, bitwise, `c` a mask.
    fn vec_select(&mut self, ty: Ty, d: u8, c: u8, t: u8, f: u8);
    /// `d` (lane 0) = the lanes of `s` combined with `op` in the halving
    /// order of `mir::Inst::ReduceLanes`.
    fn vec_reduce(&mut self, op: BinOp, ty: Ty, d: u8, s: u8);
    /// `d` = the 16 (32 for a wide `ty`) bytes at `base + offset` (general
    /// register `base`, `offset` a multiple of 16).
    fn vec_load(&mut self, ty: Ty, d: u8, base: u8, offset: u32);
    /// The 16 (32) bytes at `base + offset` = `s`.
    fn vec_store(&mut self, ty: Ty, base: u8, offset: u32, s: u8);
    /// `d = s op amount` on `I64x2` (`I64x4`) lanes (`mir::Inst::ShiftImm`).
    fn vec_shift_imm(&mut self, op: BinOp, ty: Ty, d: u8, s: u8, amount: u32);
    /// `mir::Inst::Widen`.
    fn vec_widen(&mut self, ty: Ty, half: u8, d: u8, s: u8);
    /// `mir::Inst::Narrow`.
    fn vec_narrow(&mut self, ty: Ty, d: u8, s: u8);
    /// `mir::Inst::ConcatLow`.
    fn vec_concat_low(&mut self, ty: Ty, d: u8, lo: u8, hi: u8);
    /// `d` = lanes of `table` picked by `idx` (`mir::Inst::Permute`, 256-bit
    /// only); only an ISA with 256-bit vectors is given one.
    fn vec_permute(&mut self, d: u8, table: u8, idx: u8) {
        let _ = (d, table, idx);
        unreachable!("no 256-bit permutation on this ISA");
    }
    /// `d` (a general register) = 1 if any lane of `s` is not zero, else 0.
    fn vec_any_lane(&mut self, ty: Ty, d: u8, s: u8);
    /// `d` (lane 0) = lane `lane` of `s`.
    fn vec_extract_lane(&mut self, ty: Ty, d: u8, s: u8, lane: u8);
    /// `d` = `s` with lane `lane` = lane 0 of `v`.
    fn vec_insert_lane(&mut self, ty: Ty, d: u8, s: u8, v: u8, lane: u8);
    /// No 256-bit value is live here (`upper.rs`): an ISA whose SSE-style
    /// code pays for dirty upper register halves clears them (x86-64:
    /// `vzeroupper`); the low 128 bits of every register are kept.
    fn vec_wide_dead(&mut self);
    /// Whether a 256-bit value may be live in what follows (`upper.rs`),
    /// until the next call: in a `Frame::wide` function, [`Moves::mov_fpr`],
    /// [`Moves::store_fpr`] and [`Moves::load_fpr`] carry whole 256-bit
    /// registers only while it is `true`.
    fn vec_wide_live(&mut self, live: bool);
    // ---- vector fma ----
    /// `d = a * b + c` per float lane, rounded once (`mir::Inst::Fma`);
    /// `d` may be any of the operands. Only called where [`Float::has_fma`]
    /// (a vector `Fma` never reaches an ISA without the instruction).
    fn vec_fma(&mut self, ty: Ty, d: u8, a: u8, b: u8, c: u8);
    // ---- operands read from a spill slot ----
    /// Whether the second operand of a `BinOp::Add`, `Sub`, `Mul`, `Div`,
    /// `And`, `Or` or `Xor` on vectors of type `ty` (those `ty` accepts)
    /// and one operand of a vector fma may be read straight from its spill
    /// slot ([`Vector::vec_binary_slot`], [`Vector::vec_fma_slot`],
    /// [`Vector::vec_fma_factor_slot`]) instead of
    /// being reloaded into a register first. A long vector loop keeps more
    /// constants than there are registers; this saves a load instruction
    /// per use of a spilled one.
    fn vec_slot_operands(&self, ty: Ty) -> bool {
        let _ = ty;
        false
    }
    /// `d = a op b` per lane, `b` the vector in the spill slot at `off`
    /// (`op` as [`Vector::vec_slot_operands`] lists); only called where
    /// that says so.
    fn vec_binary_slot(&mut self, op: BinOp, ty: Ty, d: u8, a: u8, off: u32) {
        let _ = (op, d, a, off);
        unreachable!("no {ty} operand from a spill slot on this ISA");
    }
    /// `d` = bytes of `table` picked by `bytes` (`mir::Inst::ByteTable`);
    /// only an ISA for which `backend::has_byte_tables` is true is given
    /// one.
    fn vec_byte_table(&mut self, d: u8, table: u8, bytes: u8) {
        let _ = (d, table, bytes);
        unreachable!("no byte table lookup on this ISA");
    }
    /// `d` = bytes of `table` picked by `bytes`, those of `acc` out of
    /// range (`mir::Inst::ByteTableInto`); as [`Vector::vec_byte_table`].
    fn vec_byte_table_into(&mut self, d: u8, acc: u8, table: u8, bytes: u8) {
        let _ = (d, acc, table, bytes);
        unreachable!("no byte table lookup on this ISA");
    }
    /// [`Vector::vec_permute`] with the table the vector in the spill slot
    /// at `off`; only called where [`Vector::vec_slot_operands`] says so
    /// for `F32x8`.
    fn vec_permute_slot(&mut self, d: u8, off: u32, idx: u8) {
        let _ = (d, off, idx);
        unreachable!("no permutation table from a spill slot on this ISA");
    }
    /// `d = a * b + c` per lane, rounded once, the factor `b` the vector in
    /// the spill slot at `off`; only called where
    /// [`Vector::vec_slot_operands`].
    fn vec_fma_factor_slot(&mut self, ty: Ty, d: u8, a: u8, c: u8, off: u32) {
        let _ = (d, a, c, off);
        unreachable!("no {ty} operand from a spill slot on this ISA");
    }
    /// `d = a * b + c` per lane, rounded once, `c` the vector in the spill
    /// slot at `off`; only called where [`Vector::vec_slot_operands`].
    fn vec_fma_slot(&mut self, ty: Ty, d: u8, a: u8, b: u8, off: u32) {
        let _ = (d, a, b, off);
        unreachable!("no {ty} operand from a spill slot on this ISA");
    }
}

/// Conversions and bit casts (`convert.rs`).
pub trait Convert {
    /// `d = s as to` (Rust semantics, see `mir::Inst::Convert`).
    fn convert(&mut self, from: Ty, to: Ty, d: u8, s: u8);
    /// Reinterpret the bits of `s` (float <-> integer of the same width).
    fn bitcast(&mut self, from: Ty, to: Ty, d: u8, s: u8);
}
