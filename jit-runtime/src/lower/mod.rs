//! Lowering: graph -> MIR.
//!
//! Each graph value becomes one MIR value. Graph inputs read argument slots
//! in order, results are stored to result slots in order. A graph of arrays
//! of one shape and elementwise ops becomes one loop over their elements,
//! each array value standing for its element (`kernel.rs`); any other graph
//! with arrays becomes loop nests over buffers (`nest.rs`), and a graph with
//! an op neither knows is refused ([`LowerError::ArrayOp`]) and
//! interpreted. Ops whose graph meaning has no single MIR instruction are
//! expanded here, once for every backend: integer `max`/`min`/`abs` become a
//! compare and a select, transcendental functions become the `math`
//! module's range reduction and polynomial, `debug_print!` becomes a call
//! to a runtime helper, integer division by a literal becomes shifts and
//! multiplies (`divide.rs`), XLA's shifts, population count and `clz`
//! become branch-free bit sequences (`bits.rs`). Loops and branches become
//! blocks (`control.rs`).
//!
//! **Architecture Invariant:** lowering preserves the interpreter's meaning
//! of every op exactly; nothing here knows a target ISA.

mod bits;
mod control;
mod divide;
mod kernel;
mod math;
mod nest;

use crate::dtype::DType;
use crate::interp::format_values;
use crate::ir::{Eqn, Graph, Op, ValueDef, ValueId};
use crate::mir::{self, BinOp, Builder, CmpOp, Helper, UnOp, Value};
use crate::scalar::Scalar;
use std::io::Write;
use std::sync::Arc;
use thiserror::Error;

/// A graph this backend cannot compile yet.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum LowerError {
    /// An op with no lowering.
    #[error("`{0}` on {1} has no native lowering")]
    Unsupported(&'static str, DType),
    /// An op on arrays with no native lowering yet.
    #[error("`{0}` on arrays has no native lowering yet")]
    ArrayOp(&'static str),
}

/// The lowered function and the data its helper calls point into, which
/// must live as long as the compiled code.
pub struct Lowered {
    /// The MIR function.
    pub func: mir::Function,
    /// Data the code addresses (owned here; boxed or shared so that it
    /// never moves).
    pub helper_data: Vec<HelperData>,
    /// Bytes of scratch memory the code needs for intermediate arrays,
    /// passed by the caller in the argument slot after the array results'
    /// (see `crate::callconv`); 0 for none.
    pub scratch_bytes: usize,
}

/// Data compiled code holds the address of.
#[expect(
    dead_code,
    reason = "owned for the compiled code, which reads it through its address; Rust never does"
)]
pub enum HelperData {
    /// A `debug_print!` call site's format.
    Print(Box<PrintData>),
    /// The dimensions of a matrix product a `dot_general` call passes.
    Dot(Box<crate::dot::MatmulShape>),
    /// An array constant of the graph, read in place.
    Array(crate::array::Array),
}

/// What a `debug_print!` call site needs at run time.
pub struct PrintData {
    format: Arc<str>,
    dtypes: Vec<DType>,
}

/// The MIR type of a dtype.
pub fn mir_ty(dtype: DType) -> mir::Ty {
    match dtype {
        DType::Bool => mir::Ty::Bool,
        DType::I32 => mir::Ty::I32,
        DType::U32 => mir::Ty::U32,
        DType::I64 => mir::Ty::I64,
        DType::F32 => mir::Ty::F32,
        DType::F64 => mir::Ty::F64,
    }
}

struct Lowering<'g> {
    graph: &'g Graph,
    b: Builder,
    values: Vec<Option<Value>>,
    helper_data: Vec<HelperData>,
    /// Literals materialised so far, in order, so that a branch can forget
    /// the ones it made (they do not dominate the code after it).
    literal_log: Vec<ValueId>,
    /// While a vector loop's body is built: its preheader, where the
    /// constants of functions of vectors go, and those made there.
    vector_hoist: Option<mir::Block>,
    vector_constants: rustc_hash::FxHashMap<math::Key, Value>,
    /// What the code is for: see [`Lowering::vector_bits`].
    target: Target,
}

/// What of the target machine the lowering needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// The widest vectors, in bits: 128 or 256 (`backend::vector_bits`).
    pub vector_bits: u32,
    /// Whether vector fused multiply-adds are instructions
    /// (`backend::has_vector_fma`); else they are split into lanes.
    pub vector_fma: bool,
    /// Whether 128-bit vectors look tables up bytewise
    /// (`backend::has_byte_tables`); else by compares.
    pub byte_tables: bool,
}

impl Target {
    /// The target of ISA level `isa` on this machine.
    pub fn of(isa: crate::backend::IsaLevel) -> Target {
        Target {
            vector_bits: crate::backend::vector_bits(isa),
            vector_fma: crate::backend::has_vector_fma(isa),
            byte_tables: crate::backend::has_byte_tables(isa),
        }
    }
}

/// Lowers `graph` to a MIR function named `name`.
///
/// A graph of scalars becomes straight-line code and loops; one whose
/// arrays all have one shape and whose ops are elementwise becomes one
/// fused loop (`kernel.rs`); any other graph with arrays becomes loop
/// nests over buffers (`nest.rs`), or is refused. Vector loops use the
/// widest vectors of the current ISA level ([`lower_with`] names a target).
#[cfg(test)]
pub fn lower(graph: &Graph, name: &str) -> Result<Lowered, LowerError> {
    lower_with(graph, name, Target::of(crate::config::isa()))
}

/// [`lower`] for `target` ([`Target::of`] the ISA level the code is for).
pub fn lower_with(graph: &Graph, name: &str, target: Target) -> Result<Lowered, LowerError> {
    let has_arrays = graph.values.iter().any(|v| !v.aval.shape.is_empty());
    let scalar = !nest::needs_nests(graph, &graph.body);
    let mut l = Lowering {
        graph,
        b: Builder::new(name),
        values: vec![None; graph.values.len()],
        helper_data: Vec::new(),
        literal_log: Vec::new(),
        vector_hoist: None,
        vector_constants: Default::default(),
        target,
    };
    let mut scratch_bytes = 0;
    if scalar {
        for (slot, &input) in graph.body.inputs.iter().enumerate() {
            let ty = mir_ty(graph.aval(input).ty.dtype);
            let v = l.b.arg(ty, slot as u32);
            l.values[input.index()] = Some(v);
        }
        l.eqns(&graph.body.eqns)?;
        for (slot, &result) in graph.body.results.iter().enumerate() {
            let v = l.value(result);
            l.b.store_result(slot as u32, v);
        }
    } else if has_arrays && let Some(plan) = kernel::plan(graph) {
        l.kernel(plan)?;
    } else {
        scratch_bytes = nest::lower(&mut l)?;
    }
    l.b.ret();
    let mut func = l.b.finish();
    crate::mir::dce::remove_dead_code(&mut func);
    Ok(Lowered {
        func,
        helper_data: l.helper_data,
        scratch_bytes,
    })
}

impl Lowering<'_> {
    // Vector width.
    /// The widest vector, in bits, the code being lowered may use: 256
    /// when it is for x86-64 with AVX2 at the native level, else 128 (see
    /// `backend::vector_bits`). A vector loop over lanes of type `t` uses
    /// `mir::Ty::vector_of_width(t, self.vector_bits())`; 256-bit values
    /// must not appear in code lowered with 128.
    fn vector_bits(&self) -> u32 {
        self.target.vector_bits
    }

    /// Lowers equations in order into the current block (and the blocks
    /// loops and branches create).
    fn eqns(&mut self, eqns: &[Eqn]) -> Result<(), LowerError> {
        for eqn in eqns {
            let args: Vec<Value> = eqn.inputs.iter().map(|&v| self.value(v)).collect();
            let outs = match &eqn.op {
                Op::DebugPrint { format } => {
                    self.debug_print(format, &eqn.inputs, &args);
                    continue;
                }
                Op::While {
                    cond,
                    body,
                    cond_nconsts,
                    body_nconsts,
                } => self.while_loop(cond, body, *cond_nconsts, *body_nconsts, &args)?,
                Op::Cond { branches } => self.cond(branches, &args)?,
                op if is_trig(op) => {
                    // Computed with the first member of its group, or now.
                    if self.values[eqn.outputs[0].index()].is_none() {
                        let dtype = self.graph.aval(eqn.inputs[0]).ty.dtype;
                        self.trig_group(eqns, eqn.inputs[0], dtype, args[0])?;
                    }
                    continue;
                }
                _ => vec![self.elementwise(eqn, &args)?],
            };
            for (&out, v) in eqn.outputs.iter().zip(outs) {
                self.values[out.index()] = Some(v);
            }
        }
        Ok(())
    }

    /// The value of an integer literal (`None` for anything else).
    fn int_literal(&self, v: ValueId) -> Option<i64> {
        match self.graph.values[v.index()].def {
            ValueDef::Literal(Scalar::I32(x)) => Some(i64::from(x)),
            ValueDef::Literal(Scalar::U32(x)) => Some(i64::from(x)),
            ValueDef::Literal(Scalar::I64(x)) => Some(x),
            _ => None,
        }
    }

    /// The MIR value of a graph value; literals become constants on first use.
    fn value(&mut self, v: ValueId) -> Value {
        if let Some(m) = self.values[v.index()] {
            return m;
        }
        let ValueDef::Literal(s) = self.graph.values[v.index()].def else {
            unreachable!("the verifier guarantees definition before use")
        };
        let m = self.b.const_bits(mir_ty(s.dtype()), s.to_slot());
        self.values[v.index()] = Some(m);
        self.literal_log.push(v);
        m
    }

    fn op(&mut self, op: &Op, dtype: DType, args: &[Value]) -> Result<Value, LowerError> {
        let b = &mut self.b;
        let float = dtype.is_float();
        Ok(match (op, args) {
            (Op::Add, &[x, y]) => b.binary(BinOp::Add, x, y),
            (Op::Sub, &[x, y]) => b.binary(BinOp::Sub, x, y),
            (Op::Mul, &[x, y]) => b.binary(BinOp::Mul, x, y),
            (Op::Div, &[x, y]) => b.binary(BinOp::Div, x, y),
            (Op::Rem, &[x, y]) => b.binary(BinOp::Rem, x, y),
            (Op::And, &[x, y]) => b.binary(BinOp::And, x, y),
            (Op::Or, &[x, y]) => b.binary(BinOp::Or, x, y),
            (Op::Xor, &[x, y]) => b.binary(BinOp::Xor, x, y),
            (Op::Max, &[x, y]) if float => b.binary(BinOp::Max, x, y),
            (Op::Min, &[x, y]) if float => b.binary(BinOp::Min, x, y),
            // Integers and bools: `if a > b { a } else { b }`, as the interpreter.
            (Op::Max, &[x, y]) => {
                let gt = b.cmp(CmpOp::Gt, x, y);
                b.select(gt, x, y)
            }
            (Op::Min, &[x, y]) => {
                let lt = b.cmp(CmpOp::Lt, x, y);
                b.select(lt, x, y)
            }
            (Op::Lt, &[x, y]) => b.cmp(CmpOp::Lt, x, y),
            (Op::Le, &[x, y]) => b.cmp(CmpOp::Le, x, y),
            (Op::Gt, &[x, y]) => b.cmp(CmpOp::Gt, x, y),
            (Op::Ge, &[x, y]) => b.cmp(CmpOp::Ge, x, y),
            (Op::Eq, &[x, y]) => b.cmp(CmpOp::Eq, x, y),
            (Op::Ne, &[x, y]) => b.cmp(CmpOp::Ne, x, y),
            (Op::Neg, &[x]) => b.unary(UnOp::Neg, x),
            (Op::Not, &[x]) => b.unary(UnOp::Not, x),
            (Op::Abs, &[x]) if float => b.unary(UnOp::Abs, x),
            (Op::Abs, &[x]) if dtype == DType::U32 => x,
            (Op::Abs, &[x]) => {
                let zero = b.const_bits(mir_ty(dtype), 0);
                let negative = b.cmp(CmpOp::Lt, x, zero);
                let negated = b.unary(UnOp::Neg, x);
                b.select(negative, negated, x)
            }
            (Op::Floor, &[x]) => b.unary(UnOp::Floor, x),
            (Op::Ceil, &[x]) => b.unary(UnOp::Ceil, x),
            (Op::Round, &[x]) => b.unary(UnOp::Round, x),
            // Rust semantics (`bits.rs`).
            (Op::Fma, &[x, y, z]) if float => b.fma(x, y, z),
            (Op::ShiftLeft, &[x, y]) if !float => bits::shift_left(b, x, y),
            (Op::ShiftRightArithmetic, &[x, y]) if !float => bits::shift_right_arithmetic(b, x, y),
            (Op::ShiftRightLogical, &[x, y]) if !float => bits::shift_right_logical(b, x, y),
            (Op::PopulationCount, &[x]) if !float => bits::population_count(b, x),
            (Op::Clz, &[x]) if !float => bits::clz(b, x),
            (Op::BitcastConvertType { new_dtype }, &[x]) => b.bitcast(x, mir_ty(*new_dtype)),
            (Op::Sqrt, &[x]) => b.unary(UnOp::Sqrt, x),
            (Op::Convert { new_dtype, .. }, &[x]) => b.convert(x, mir_ty(*new_dtype)),
            (Op::Select, &[pred, on_false, on_true]) => b.select(pred, on_true, on_false),
            // `min(max(x, lo), hi)`, integers only (tracing makes it for indices).
            (Op::Clamp, &[lo, x, hi]) if !float => {
                let gt = b.cmp(CmpOp::Gt, x, lo);
                let raised = b.select(gt, x, lo);
                let lt = b.cmp(CmpOp::Lt, raised, hi);
                b.select(lt, raised, hi)
            }
            (op, &[x]) if op.is_transcendental() => return self.transcendental(op, dtype, x),
            // Exponential/logarithmic family: the one binary transcendental.
            (Op::Pow, &[x, y]) => {
                let mm = &mut math::MirMath::new(&mut self.b);
                return match dtype {
                    DType::F32 => Ok(crate::math::powf_f32(mm, x, y)),
                    DType::F64 => Ok(crate::math::powf_f64(mm, x, y)),
                    _ => Err(LowerError::Unsupported(op.name(), dtype)),
                };
            }
            // Inverse trigonometric and hyperbolic functions.
            (op, &[x, y]) if op.is_transcendental() => {
                return inline_math2(&mut math::MirMath::new(&mut self.b), op, dtype, x, y);
            }
            (op, _) => return Err(LowerError::Unsupported(op.name(), dtype)),
        })
    }

    /// `exp`, `ln` or `tanh`: the `math` module's algorithm, inline.
    fn transcendental(&mut self, op: &Op, dtype: DType, x: Value) -> Result<Value, LowerError> {
        inline_math(&mut math::MirMath::new(&mut self.b), op, dtype, x)
    }

    /// Every `sin`/`cos`/`tan` of the graph value `operand` among `eqns`
    /// (one region's equations), lowered together: their argument reduction and kernels are shared. Only the
    /// common case (`|x| < 2^20`) is inline; larger or non-finite arguments
    /// branch to calls of the same algorithms in the evaluator, which give the
    /// same bits, so the huge-argument reduction costs neither code size nor
    /// compile time.
    fn trig_group(
        &mut self,
        eqns: &[Eqn],
        operand: ValueId,
        dtype: DType,
        x: Value,
    ) -> Result<(), LowerError> {
        let members: Vec<(&Op, ValueId)> = eqns
            .iter()
            .filter(|e| is_trig(&e.op) && e.inputs[0] == operand)
            .map(|e| (&e.op, e.outputs[0]))
            .collect();
        let ops: Vec<&Op> = members.iter().map(|&(op, _)| op).collect();
        let results = self.trig(&ops, dtype, x)?;
        for ((_, out), value) in members.iter().zip(results) {
            self.values[out.index()] = Some(value);
        }
        Ok(())
    }

    /// `sin`/`cos`/`tan` (`members`) of one value `x`, sharing the
    /// argument reduction; see [`Lowering::trig_group`].
    fn trig(&mut self, members: &[&Op], dtype: DType, x: Value) -> Result<Vec<Value>, LowerError> {
        let ty = mir_ty(dtype);
        let magnitude = self.b.unary(UnOp::Abs, x);
        let bound = inline_trig_bound(dtype);
        let limit = match dtype {
            DType::F32 => self.b.f32const(bound as f32),
            _ => self.b.f64const(bound),
        };
        let common = self.b.cmp(CmpOp::Lt, magnitude, limit);
        let (inline, _) = self.b.create_block(&[]);
        let (out_of_line, _) = self.b.create_block(&[]);
        let (join, results) = self.b.create_block(&vec![ty; members.len()]);
        self.b.branch(common, inline, &[], out_of_line, &[]);

        self.b.switch_to(inline);
        let mut mm = math::MirMath::for_small_argument(&mut self.b, x, bound);
        let fast = members
            .iter()
            .map(|op| inline_math(&mut mm, op, dtype, x))
            .collect::<Result<Vec<_>, _>>()?;
        self.b.jump(join, &fast);

        self.b.switch_to(out_of_line);
        let mut slow = Vec::with_capacity(members.len());
        for op in members {
            slow.push(self.b.call(evaluator_helper(op, dtype)?, &[x], &[ty])[0]);
        }
        self.b.jump(join, &slow);

        self.b.switch_to(join);
        Ok(results)
    }

    /// One single-output equation on the MIR values `args` of its operands
    /// (for [`Lowering::eqns`], and for `nest/`, which computes elements one
    /// at a time): integer division by a literal as shifts and multiplies,
    /// trigonometric functions on their own, everything else by [`Lowering::op`].
    fn elementwise(&mut self, eqn: &Eqn, args: &[Value]) -> Result<Value, LowerError> {
        let dtype = self.graph.aval(eqn.inputs[0]).ty.dtype;
        match &eqn.op {
            op if is_trig(op) => Ok(self.trig(&[op], dtype, args[0])?[0]),
            op @ (Op::Div | Op::Rem)
                if let Some(d) = self.int_literal(eqn.inputs[1])
                    && let Some(v) = self.div_by_literal(*op == Op::Rem, args[0], d) =>
            {
                Ok(v)
            }
            op => self.op(op, dtype, args),
        }
    }

    fn debug_print(&mut self, format: &Arc<str>, inputs: &[ValueId], args: &[Value]) {
        let data = Box::new(PrintData {
            format: format.clone(),
            dtypes: inputs
                .iter()
                .map(|&v| self.graph.aval(v).ty.dtype)
                .collect(),
        });
        let helper = Helper {
            name: "debug_print",
            func: debug_print_helper,
            data: &*data as *const PrintData as usize,
        };
        self.helper_data.push(HelperData::Print(data));
        self.b.call(helper, args, &[]);
    }
}

macro_rules! evaluator_helpers {
    ($($name:ident: $f:path, $t:ty, $bits:ty;)*) => {
        $(
            /// Called by compiled code for a huge or non-finite argument.
            ///
            /// # Safety
            /// `args` and `results` point to one slot each.
            unsafe extern "C" fn $name(_: *const u8, args: *const u64, results: *mut u64) {
                // SAFETY: the call site passes one argument and one result slot.
                unsafe {
                    let x = <$t>::from_bits(*args as $bits);
                    *results = $f(x).to_bits() as u64;
                }
            }
        )*
    };
}

evaluator_helpers! {
    sin_f32_helper: crate::math::eval::sin_f32, f32, u32;
    cos_f32_helper: crate::math::eval::cos_f32, f32, u32;
    tan_f32_helper: crate::math::eval::tan_f32, f32, u32;
    sin_f64_helper: crate::math::eval::sin_f64, f64, u64;
    cos_f64_helper: crate::math::eval::cos_f64, f64, u64;
    tan_f64_helper: crate::math::eval::tan_f64, f64, u64;
}

/// The out-of-line evaluator call for a trigonometric function.
fn evaluator_helper(op: &Op, dtype: DType) -> Result<Helper, LowerError> {
    let (name, func): (&'static str, mir::HelperFn) = match (op, dtype) {
        (Op::Sin, DType::F32) => ("sin_f32", sin_f32_helper),
        (Op::Cos, DType::F32) => ("cos_f32", cos_f32_helper),
        (Op::Tan, DType::F32) => ("tan_f32", tan_f32_helper),
        (Op::Sin, DType::F64) => ("sin_f64", sin_f64_helper),
        (Op::Cos, DType::F64) => ("cos_f64", cos_f64_helper),
        (Op::Tan, DType::F64) => ("tan_f64", tan_f64_helper),
        (op, dtype) => return Err(LowerError::Unsupported(op.name(), dtype)),
    };
    Ok(Helper {
        name,
        func,
        data: 0,
    })
}

/// Whether the transcendental `op` on `dtype` has a vector form: its
/// `math` algorithm instantiates on [`math::MirMath::vector`] (tried once
/// per op and dtype on a throwaway builder, and remembered).
fn has_vector_math(op: &Op, dtype: DType) -> bool {
    type Known = std::sync::Mutex<Vec<(Op, DType, bool)>>;
    static KNOWN: std::sync::OnceLock<Known> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(Default::default);
    let probe = || {
        let ty = mir::Ty::vector_of(mir_ty(dtype))?;
        let mut b = Builder::new("probe");
        let x = b.arg(ty, 0);
        let mut vm = math::MirMath::vector(&mut b, false, true);
        let ok = inline_math(&mut vm, op, dtype, x).is_ok();
        Some(ok)
    };
    if !op.is_transcendental() {
        return false;
    }
    let mut known = known.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&(_, _, ok)) = known.iter().find(|(o, d, _)| o == op && *d == dtype) {
        return ok;
    }
    let ok = probe().unwrap_or(false);
    known.push((op.clone(), dtype, ok));
    ok
}

impl Lowering<'_> {
    /// The transcendental `op` of the vector `x` (`F32x4` or `F64x2`, or
    /// the 256-bit `F32x8` or `F64x4`), every lane as the scalar lowering
    /// computes it: on `F64x2` (`F64x4`) directly, on `F32x4` (`F32x8`)
    /// directly for the algorithms that compute in `f32` ([`in_f32_lanes`]),
    /// else as two halves whose low lanes the `f32` algorithm computes (see
    /// `math.rs`), put back together.
    fn vector_math(&mut self, op: &Op, dtype: DType, x: Value) -> Result<Value, LowerError> {
        let wide = self.b.ty(x).is_wide();
        let mut vm = self.vector_ops(None, wide);
        if dtype == DType::F64 || in_f32_lanes(op) {
            return inline_math(&mut vm, op, dtype, x);
        }
        let high = vm.high_half(x);
        let lo = inline_math(&mut vm, op, dtype, x)?;
        let hi = inline_math(&mut vm, op, dtype, high)?;
        Ok(self.b.concat_low(lo, hi))
    }

    /// A vector [`math::MirMath`], its constants hoisted into the loop's
    /// preheader when a vector loop is being built; for the inline path of
    /// `sin`/`cos`/`tan` when `small` (every lane finite and below the
    /// bound, see [`inline_trig_bound`]) is given; on 256-bit vectors when
    /// `wide`.
    fn vector_ops(&mut self, small: Option<(Value, f64)>, wide: bool) -> math::MirMath<'_> {
        let mut vm = match self.vector_hoist {
            Some(preheader) => math::MirMath::vector_hoisting(
                &mut self.b,
                preheader,
                &mut self.vector_constants,
                wide,
                self.target.vector_fma,
            ),
            None => math::MirMath::vector(&mut self.b, wide, self.target.vector_fma),
        };
        if let Some((x, bound)) = small {
            vm.assume_small(x, bound);
        }
        vm.use_byte_tables(self.target.byte_tables);
        vm
    }

    /// `sin`/`cos`/`tan` (`members`) of the vector `x`: the inline path for
    /// every lane, assuming `|x| < MEDIUM_LIMIT` and finite, and when a lane
    /// is not, every lane again through the evaluator's scalar helper (as
    /// the scalar lowering's out-of-line path), lane by lane. `f32` `sin`
    /// and `cos` run on all the lanes of `x`; `f32` `tan` on its halves
    /// widened (see `math.rs`).
    fn vector_trig(
        &mut self,
        members: &[&Op],
        dtype: DType,
        x: Value,
    ) -> Result<Vec<Value>, LowerError> {
        let wide_x = self.b.ty(x).is_wide();
        let bits = if wide_x { 256 } else { 128 };
        let by_halves = dtype == DType::F32 && members.iter().any(|op| !in_f32_lanes(op));
        let bound = inline_trig_bound(dtype);
        use crate::math::MathOps;
        // The range test through the `MirMath` of the inline path, which
        // then reuses `|x|` and the limit (the test itself folds there).
        let mut vm = self.vector_ops(None, wide_x);
        let small = match dtype {
            DType::F32 => {
                let magnitude = vm.f32_abs(x);
                let limit = vm.f32_const(bound as f32);
                vm.f32_lt(magnitude, limit)
            }
            _ => {
                let magnitude = vm.fabs(x);
                let limit = vm.fconst(bound);
                vm.flt(magnitude, limit)
            }
        };
        // `!small` (NaN and infinities included).
        let large = vm.mnot(small);
        let any_large = vm.any_lane(large);
        let fast = if by_halves {
            let high = vm.high_half(x);
            let mut halves = Vec::with_capacity(2);
            for half in [x, high] {
                let mut vm = self.vector_ops(Some((half, bound)), wide_x);
                halves.push(
                    members
                        .iter()
                        .map(|op| inline_math(&mut vm, op, dtype, half))
                        .collect::<Result<Vec<_>, _>>()?,
                );
            }
            (0..members.len())
                .map(|k| self.b.concat_low(halves[0][k], halves[1][k]))
                .collect()
        } else {
            vm.assume_small(x, bound);
            members
                .iter()
                .map(|op| inline_math(&mut vm, op, dtype, x))
                .collect::<Result<Vec<_>, _>>()?
        };
        let tys: Vec<mir::Ty> = fast.iter().map(|&v| self.b.ty(v)).collect();
        let (slow, _) = self.b.create_block(&[]);
        let (skip, _) = self.b.create_block(&[]);
        let (join, joined) = self.b.create_block(&tys);
        self.b.branch(any_large, slow, &[], skip, &[]);
        self.b.switch_to(skip);
        self.b.jump(join, &fast);
        self.b.switch_to(slow);
        let mut again = Vec::with_capacity(members.len());
        for op in members {
            let helper = evaluator_helper(op, dtype)?;
            again.push(self.lane_by_lane(helper, dtype, x, bits));
        }
        self.b.jump(join, &again);
        self.b.switch_to(join);
        Ok(joined)
    }

    /// `helper` (a scalar function of `dtype`) of each lane of the vector
    /// `x`, called lane by lane; `f32` lanes through their widened halves.
    fn lane_by_lane(&mut self, helper: Helper, dtype: DType, x: Value, bits: u32) -> Value {
        let f64s = mir::Ty::vector_of_width(mir::Ty::F64, bits).expect("a width");
        let halves: &[u8] = if dtype == DType::F64 { &[] } else { &[0, 1] };
        let mut results = Vec::with_capacity(2);
        for wide in halves
            .iter()
            .map(|&half| self.b.widen(x, half))
            .collect::<Vec<_>>()
            .into_iter()
            .chain((dtype == DType::F64).then_some(x))
        {
            let zero = self.b.f64const(0.0);
            let mut lanes = self.b.splat(f64s, zero);
            for lane in 0..f64s.lanes() as u8 {
                let xl = self.b.extract_lane(wide, lane);
                let arg = self.b.convert(xl, mir_ty(dtype));
                let r = self.b.call(helper, &[arg], &[mir_ty(dtype)])[0];
                let r = self.b.convert(r, mir::Ty::F64);
                lanes = self.b.insert_lane(lanes, lane, r);
            }
            results.push(lanes);
        }
        match results[..] {
            [lo, hi] => {
                let (lo, hi) = (self.b.narrow(lo), self.b.narrow(hi));
                self.b.concat_low(lo, hi)
            }
            _ => results[0],
        }
    }
}

/// The magnitude below which `sin`/`cos`/`tan` of `dtype` are computed
/// inline: the `f32` kernels' range (`tan`, whose reduction takes more,
/// follows them so that one test serves a group), and the `f64` medium
/// reduction's.
fn inline_trig_bound(dtype: DType) -> f64 {
    match dtype {
        DType::F32 => f64::from(crate::math::F32_KERNEL_LIMIT),
        _ => crate::math::MEDIUM_LIMIT,
    }
}

/// Whether the `f32` algorithm of `op` computes in `f32` (`sin`, `cos`,
/// `exp`, `tanh`, `logistic`), on every lane of a vector at once; the
/// others widen the low half of their vector to `f64`, and vector code runs
/// them once per half.
fn in_f32_lanes(op: &Op) -> bool {
    matches!(op, Op::Sin | Op::Cos | Op::Exp | Op::Tanh | Op::Logistic)
}

fn is_trig(op: &Op) -> bool {
    matches!(op, Op::Sin | Op::Cos | Op::Tan)
}

/// One transcendental function through `mm`.
fn inline_math(
    mm: &mut math::MirMath<'_>,
    op: &Op,
    dtype: DType,
    x: Value,
) -> Result<Value, LowerError> {
    use crate::math as m;
    Ok(match (op, dtype) {
        (Op::Sin, DType::F32) => m::sin_f32(mm, x),
        (Op::Cos, DType::F32) => m::cos_f32(mm, x),
        (Op::Tan, DType::F32) => m::tan_f32(mm, x),
        // Inverse trigonometric and hyperbolic functions.
        (Op::Asin, DType::F32) => m::asin_f32(mm, x),
        (Op::Acos, DType::F32) => m::acos_f32(mm, x),
        (Op::Atan, DType::F32) => m::atan_f32(mm, x),
        (Op::Sinh, DType::F32) => m::sinh_f32(mm, x),
        (Op::Cosh, DType::F32) => m::cosh_f32(mm, x),
        (Op::Asinh, DType::F32) => m::asinh_f32(mm, x),
        (Op::Acosh, DType::F32) => m::acosh_f32(mm, x),
        (Op::Atanh, DType::F32) => m::atanh_f32(mm, x),
        (Op::Exp, DType::F32) => m::exp_f32(mm, x),
        (Op::Log, DType::F32) => m::ln_f32(mm, x),
        // Exponential/logarithmic family (`pow` is binary: `Lowering::op`).
        (Op::Exp2, DType::F32) => m::exp2_f32(mm, x),
        (Op::Expm1, DType::F32) => m::exp_m1_f32(mm, x),
        (Op::Log1p, DType::F32) => m::ln_1p_f32(mm, x),
        (Op::Log2, DType::F32) => m::log2_f32(mm, x),
        (Op::Log10, DType::F32) => m::log10_f32(mm, x),
        (Op::Cbrt, DType::F32) => m::cbrt_f32(mm, x),
        (Op::Erf, DType::F32) => m::erf_f32(mm, x),
        (Op::Logistic, DType::F32) => m::sigmoid_f32(mm, x),
        (Op::Tanh, DType::F32) => m::tanh_f32(mm, x),
        (Op::Sin, DType::F64) => m::sin_f64(mm, x),
        (Op::Cos, DType::F64) => m::cos_f64(mm, x),
        (Op::Tan, DType::F64) => m::tan_f64(mm, x),
        // Inverse trigonometric and hyperbolic functions.
        (Op::Asin, DType::F64) => m::asin_f64(mm, x),
        (Op::Acos, DType::F64) => m::acos_f64(mm, x),
        (Op::Atan, DType::F64) => m::atan_f64(mm, x),
        (Op::Sinh, DType::F64) => m::sinh_f64(mm, x),
        (Op::Cosh, DType::F64) => m::cosh_f64(mm, x),
        (Op::Asinh, DType::F64) => m::asinh_f64(mm, x),
        (Op::Acosh, DType::F64) => m::acosh_f64(mm, x),
        (Op::Atanh, DType::F64) => m::atanh_f64(mm, x),
        (Op::Exp, DType::F64) => m::exp_f64(mm, x),
        (Op::Log, DType::F64) => m::ln_f64(mm, x),
        // Exponential/logarithmic family (`pow` is binary: `Lowering::op`).
        (Op::Exp2, DType::F64) => m::exp2_f64(mm, x),
        (Op::Expm1, DType::F64) => m::exp_m1_f64(mm, x),
        (Op::Log1p, DType::F64) => m::ln_1p_f64(mm, x),
        (Op::Log2, DType::F64) => m::log2_f64(mm, x),
        (Op::Log10, DType::F64) => m::log10_f64(mm, x),
        (Op::Cbrt, DType::F64) => m::cbrt_f64(mm, x),
        (Op::Erf, DType::F64) => m::erf_f64(mm, x),
        (Op::Logistic, DType::F64) => m::sigmoid_f64(mm, x),
        (Op::Tanh, DType::F64) => m::tanh_f64(mm, x),
        (op, dtype) => return Err(LowerError::Unsupported(op.name(), dtype)),
    })
}

// Inverse trigonometric and hyperbolic functions.
/// One two-operand transcendental function (`atan2`, `hypot`) through `mm`.
fn inline_math2(
    mm: &mut math::MirMath<'_>,
    op: &Op,
    dtype: DType,
    x: Value,
    y: Value,
) -> Result<Value, LowerError> {
    use crate::math as m;
    Ok(match (op, dtype) {
        (Op::Atan2, DType::F32) => m::atan2_f32(mm, x, y),
        (Op::Hypot, DType::F32) => m::hypot_f32(mm, x, y),
        (Op::Atan2, DType::F64) => m::atan2_f64(mm, x, y),
        (Op::Hypot, DType::F64) => m::hypot_f64(mm, x, y),
        (op, dtype) => return Err(LowerError::Unsupported(op.name(), dtype)),
    })
}

/// Called by compiled code for `debug_print!`: formats and prints the values.
///
/// # Safety
/// `data` points to a live `PrintData` and `args` to one slot per value.
unsafe extern "C" fn debug_print_helper(data: *const u8, args: *const u64, _results: *mut u64) {
    // SAFETY: the lowering passes a `PrintData` it keeps alive with the code,
    // and one argument slot per dtype.
    let data = unsafe { &*(data as *const PrintData) };
    let values: Vec<crate::value::Value> = data
        .dtypes
        .iter()
        .enumerate()
        .map(|(i, &d)| crate::value::Value::Scalar(Scalar::from_slot(d, unsafe { *args.add(i) })))
        .collect();
    // A closed stdout must not unwind through generated code.
    let _ = writeln!(
        std::io::stdout(),
        "{}",
        format_values(&data.format, &values)
    );
}
