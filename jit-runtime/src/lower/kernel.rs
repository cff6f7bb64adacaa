//! Lowering a graph of arrays to one fused loop: an elementwise *kernel*.
//!
//! Terms:
//! - the *kernel shape* `S`: the one non-empty shape every array value of
//!   the top-level region has; `n = product(S)` elements, a compile-time
//!   constant (shapes are part of a specialisation's key).
//! - *scalar equations*: those whose results have shape `[]`; their
//!   operands are scalars too (an elementwise op with an array operand has
//!   an array result), so they are computed once, before the loop.
//! - *array equations*: elementwise ops of result shape `S`, computed once
//!   per element inside the loop with the scalar lowering (`Lowering::eqns`),
//!   each array value standing for its element at the loop index `i`.
//!   `broadcast_in_dim` of a scalar to `S` is that scalar at every index.
//! - *trailing reductions*: `reduce_sum`/`reduce_max`/`reduce_min` over
//!   every axis of an array value, whose result is only returned (used by
//!   no equation). Each is an accumulator carried by the loop, starting
//!   from the identity and combined with the elements in row-major order
//!   (the loop's order), exactly as the interpreter adds them.
//!
//! The loop is rotated as `while` is (`control.rs`), with no test in front
//! since `n >= 1` is known; `n == 0` emits no loop at all. It is unrolled:
//! an iteration handles `U` (`UNROLL`, or 1 for short or transcendental
//! kernels) elements in order, each array addressed by a carried pointer
//! `p` to the iteration's first element, element `k` at `p[k]`; the
//! `n % U` last elements follow the loop from the bases (straight-line, or
//! in a second loop over single elements when transcendental functions make
//! each element long code):
//!
//! ```text
//! entry:  args; scalar equations; literals; jump body(0, bases.., identities..)
//! body(i, p.., acc..): for k in 0..U { x = load p_x[k] ..; array equations;
//!             store p_out[k] = r ..; acc = combine(acc, e) .. }
//!         i' = i + U; p' = p + U * size ..; branch i' < n - n % U, again, leave
//! again:  jump body(i', p'.., acc'..)
//! leave:  jump exit(acc'..)
//! exit(acc..): the tail elements at base[index]; scalar results to result
//!         slots; return
//! ```
//!
//! The calling convention is `crate::callconv`'s: argument slot `k` holds
//! input `k` (an array's data pointer), then one slot per array result, in
//! result order, holds the pointer of the buffer its elements go to; a
//! scalar result `k` goes to result slot `k`.
//!
//! **Architecture Invariant:** the loop reads elements `0..n` of each array
//! input and writes elements `0..n` of each array result, nothing else, so
//! generated code stays inside the buffers the caller passes.

use super::{LowerError, Lowering, mir_ty};
use crate::dtype::DType;
use crate::ir::{Eqn, Graph, Op, ReduceKind, ValueDef, ValueId, reduction_stripes};
use crate::mir::{BinOp, Block, CmpOp, Ty, Value};

/// Elements per iteration of the loop (see `Lowering::element_loop`).
const UNROLL: usize = 4;

/// What the kernel of a graph is made of, once the graph qualifies.
pub(super) struct Plan {
    /// The number of elements of the kernel shape.
    n: usize,
    /// Equations with scalar results, in order.
    scalar: Vec<Eqn>,
    /// `broadcast_in_dim` of a scalar: (result, operand).
    broadcasts: Vec<(ValueId, ValueId)>,
    /// Elementwise equations with array results, in order.
    array: Vec<Eqn>,
    /// Trailing reductions: (kind, operand, result).
    reductions: Vec<(ReduceKind, ValueId, ValueId)>,
    /// The float type of the vectors the loop runs on, when it qualifies
    /// (see [`vector_lane`]).
    lane: Option<DType>,
}

/// Whether `op` on operands of dtype `Bool` has a scalar lowering that
/// agrees with the interpreter (arithmetic on `bool` is not lowered).
pub(super) fn takes_bool(op: &Op) -> bool {
    matches!(
        op,
        Op::And
            | Op::Or
            | Op::Xor
            | Op::Not
            | Op::Lt
            | Op::Le
            | Op::Gt
            | Op::Ge
            | Op::Eq
            | Op::Ne
            | Op::Max
            | Op::Min
            | Op::Select
            | Op::Convert { .. }
    )
}

/// The kernel plan of a `graph` with arrays, or `None` when it is not one
/// fused loop (`nest.rs` then lowers it).
pub(super) fn plan(graph: &Graph) -> Option<Plan> {
    let body = &graph.body;
    let shape_of = |v: ValueId| &graph.aval(v).shape;
    let used = body
        .inputs
        .iter()
        .chain(
            body.eqns
                .iter()
                .flat_map(|e| e.inputs.iter().chain(&e.outputs)),
        )
        .chain(&body.results);
    let mut kernel_shape: Option<&Vec<usize>> = None;
    for &v in used {
        let shape = shape_of(v);
        if shape.is_empty() {
            continue;
        }
        match kernel_shape {
            None => kernel_shape = Some(shape),
            Some(s) if s == shape => {}
            Some(_) => return None,
        }
    }
    // Arrays only inside a loop or branch body: not a kernel.
    let kernel_shape = kernel_shape?;
    let mut plan = Plan {
        n: kernel_shape.iter().product(),
        scalar: Vec::new(),
        broadcasts: Vec::new(),
        array: Vec::new(),
        reductions: Vec::new(),
        lane: None,
    };
    let used_by_eqns = |v: ValueId| body.eqns.iter().any(|e| e.inputs.contains(&v));
    // Array constants have no argument slot here (`nest/` reads them in place).
    if graph
        .values
        .iter()
        .any(|v| matches!(v.def, ValueDef::Const(_)) && !v.aval.shape.is_empty())
    {
        return None;
    }
    for eqn in &body.eqns {
        let out_is_array = eqn.outputs.iter().any(|&o| !shape_of(o).is_empty());
        let bool_operand = eqn
            .inputs
            .iter()
            .any(|&v| graph.aval(v).ty.dtype == DType::Bool);
        match &eqn.op {
            // A broadcast to shape `[]` is a scalar equation a scalar one may
            // read before the loop: not a kernel.
            Op::BroadcastInDim { .. } if shape_of(eqn.outputs[0]).is_empty() => return None,
            Op::BroadcastInDim { .. } if shape_of(eqn.inputs[0]).is_empty() => {
                plan.broadcasts.push((eqn.outputs[0], eqn.inputs[0]));
            }
            Op::Reduce { kind, axes }
                if matches!(kind, ReduceKind::Sum | ReduceKind::Max | ReduceKind::Min)
                    && axes.len() == kernel_shape.len()
                    && axes.iter().enumerate().all(|(k, &a)| k == a)
                    && graph.aval(eqn.inputs[0]).ty.dtype != DType::Bool
                    && graph.aval(eqn.outputs[0]).ty.dtype
                        == graph.aval(eqn.inputs[0]).ty.dtype
                    && !used_by_eqns(eqn.outputs[0]) =>
            {
                plan.reductions.push((*kind, eqn.inputs[0], eqn.outputs[0]));
            }
            op if op.is_elementwise() && (!bool_operand || takes_bool(op)) => {
                if out_is_array {
                    plan.array.push(eqn.clone());
                } else {
                    plan.scalar.push(eqn.clone());
                }
            }
            _ => return None,
        }
    }
    plan.lane = vector_lane(graph, &plan);
    // A float sum of `S` or more elements combines in stripes (see
    // `ReduceKind`): the vector loop's order. The scalar loop adds in
    // sequence, which is that order only below `S`; `nest/` has both.
    let striped = plan.reductions.iter().any(|&(kind, x, _)| {
        let dtype = graph.aval(x).ty.dtype;
        kind == ReduceKind::Sum && dtype.is_float() && plan.n >= reduction_stripes(dtype)
    });
    if striped && plan.lane.is_none() {
        return None;
    }
    Some(plan)
}

/// The float dtype `F` whose vectors the kernel loop can run on:
/// every array is of dtype `F` (or a `bool` mask that only `select_n` reads,
/// and no result), every array equation has a lanewise MIR form (float
/// arithmetic, `sqrt`, `abs`, `neg`, `max`, `min`, comparisons, `select_n`)
/// or is a transcendental function whose algorithm runs on vectors,
/// and there are at least [`reduction_stripes`]`(F)` elements, one
/// iteration's worth. `None` when the kernel loops over scalars.
fn vector_lane(graph: &Graph, plan: &Plan) -> Option<DType> {
    let body = &graph.body;
    let dtype = |v: ValueId| graph.aval(v).ty.dtype;
    let is_array = |v: ValueId| !graph.aval(v).shape.is_empty();
    let lane = body
        .inputs
        .iter()
        .chain(&body.results)
        .copied()
        .find(|&v| is_array(v))
        .map(dtype)?;
    if !lane.is_float() || plan.n < reduction_stripes(lane) {
        return None;
    }
    let masks: Vec<ValueId> = plan
        .array
        .iter()
        .filter(|e| matches!(e.op, Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne))
        .map(|e| e.outputs[0])
        .collect();
    let array_reads = |v: ValueId| plan.array.iter().filter(move |e| e.inputs.contains(&v));
    for eqn in &plan.array {
        let operands_ok = eqn.inputs.iter().enumerate().all(|(k, &v)| {
            let mask_operand = eqn.op == Op::Select && k == 0;
            if mask_operand {
                masks.contains(&v)
            } else {
                dtype(v) == lane
            }
        });
        if !lanewise(&eqn.op, lane) || !operands_ok {
            return None;
        }
    }
    // A mask is only a `select_n` predicate: never a result or another
    // operand.
    for &mask in &masks {
        if body.results.contains(&mask)
            || array_reads(mask).any(|e| e.op != Op::Select || e.inputs[1..].contains(&mask))
        {
            return None;
        }
    }
    let arrays_ok = body
        .inputs
        .iter()
        .chain(&body.results)
        .filter(|&&v| is_array(v))
        .all(|&v| dtype(v) == lane);
    let reductions_ok = plan.reductions.iter().all(|&(_, x, _)| dtype(x) == lane);
    (arrays_ok && reductions_ok).then_some(lane)
}

/// Whether `op` on vectors of the float dtype `lane` has a lanewise form
/// that computes every lane as the scalar lowering computes that element:
/// float arithmetic, `sqrt`, `abs`, `neg`, `max`, `min`, comparisons (a
/// mask per lane), `select_n` (on a mask), and the transcendental functions
/// whose `math` algorithm runs on vectors. The kernel's vector loop and
/// `nest/`'s vector loops both ask this.
pub(super) fn lanewise(op: &Op, lane: DType) -> bool {
    let math = op.is_transcendental() && super::has_vector_math(op, lane);
    math || matches!(
        op,
        Op::Add
            | Op::Sub
            | Op::Mul
            | Op::Div
            | Op::Max
            | Op::Min
            | Op::Neg
            | Op::Abs
            | Op::Sqrt
            | Op::Lt
            | Op::Le
            | Op::Gt
            | Op::Ge
            | Op::Eq
            | Op::Ne
            | Op::Select
    )
}

impl Lowering<'_> {
    /// Lowers the graph as the kernel `plan` describes, into the entry block.
    pub(super) fn kernel(&mut self, plan: Plan) -> Result<(), LowerError> {
        let graph = self.graph;
        let is_array = |v: ValueId| !graph.aval(v).shape.is_empty();
        let inputs = &graph.body.inputs;
        let mut array_inputs = Vec::new();
        for (slot, &input) in inputs.iter().enumerate() {
            if is_array(input) {
                array_inputs.push((input, self.b.arg(Ty::I64, slot as u32)));
            } else {
                let ty = mir_ty(graph.aval(input).ty.dtype);
                let v = self.b.arg(ty, slot as u32);
                self.values[input.index()] = Some(v);
            }
        }
        let results = &graph.body.results;
        let mut outputs = Vec::new();
        for &r in results.iter().filter(|&&r| is_array(r)) {
            let slot = (inputs.len() + outputs.len()) as u32;
            outputs.push((r, self.b.arg(Ty::I64, slot)));
        }
        self.eqns(&plan.scalar)?;
        for &(out, operand) in &plan.broadcasts {
            let v = self.value(operand);
            self.values[out.index()] = Some(v);
        }
        let dtypes: Vec<DType> = plan
            .reductions
            .iter()
            .map(|&(_, x, _)| graph.aval(x).ty.dtype)
            .collect();
        let identities: Vec<Value> = plan
            .reductions
            .iter()
            .zip(&dtypes)
            .map(|(&(kind, _, _), &d)| {
                let s = kind.identity(d);
                self.b.const_bits(mir_ty(d), s.to_slot())
            })
            .collect();
        let totals = if plan.n == 0 {
            identities
        } else if plan.lane.is_some() {
            self.vector_loop(&plan, &array_inputs, &outputs, &dtypes, &identities)?
        } else {
            self.element_loop(&plan, &array_inputs, &outputs, &dtypes, &identities)?
        };
        for (&(_, _, out), total) in plan.reductions.iter().zip(totals) {
            self.values[out.index()] = Some(total);
        }
        for (slot, &r) in results.iter().enumerate() {
            if !is_array(r) {
                let v = self.value(r);
                self.b.store_result(slot as u32, v);
            }
        }
        Ok(())
    }

    /// The loop over the `plan.n >= 1` elements; returns the reductions'
    /// totals, valid in the block it leaves current.
    ///
    /// Unrolled: each iteration handles [`UNROLL`] consecutive elements in
    /// order, and the `n % UNROLL` last ones follow the loop straight-line,
    /// so elements are still visited (and reductions still combined) in
    /// row-major order. Kernels with transcendental functions, whose inline
    /// code is long, are not unrolled. Inside the loop every array is
    /// addressed by a pointer to the iteration's first element, carried and
    /// advanced by one iteration's bytes, so element `k` of the iteration
    /// is `ptr[k]` with `k` a constant and needs no address arithmetic; the
    /// counter only ends the loop. The pointers never pass one element
    /// beyond an iteration's last, and only elements before it are accessed.
    fn element_loop(
        &mut self,
        plan: &Plan,
        array_inputs: &[(ValueId, Value)],
        outputs: &[(ValueId, Value)],
        dtypes: &[DType],
        identities: &[Value],
    ) -> Result<Vec<Value>, LowerError> {
        // Loop-invariant literals: once, before the loop.
        for eqn in &plan.array {
            for &v in &eqn.inputs {
                if matches!(self.graph.values[v.index()].def, ValueDef::Literal(_)) {
                    self.value(v);
                }
            }
        }
        let long = plan.array.iter().any(|e| e.op.is_transcendental());
        let unroll = if long || plan.n < 2 * UNROLL {
            1
        } else {
            UNROLL
        };
        let looped = plan.n - plan.n % unroll;
        // Each integer constant once: they all live across the loop, and
        // general registers are few.
        let mut constants: Vec<(i64, Value)> = Vec::new();
        let mut constant = |b: &mut crate::mir::Builder, c: usize| {
            let c = c as i64;
            if let Some(&(_, v)) = constants.iter().find(|(k, _)| *k == c) {
                return v;
            }
            let v = b.iconst(Ty::I64, c);
            constants.push((c, v));
            v
        };
        let zero = constant(&mut self.b, 0);
        let step = constant(&mut self.b, unroll);
        let count = constant(&mut self.b, looped);
        let offsets: Vec<Value> = (0..unroll).map(|k| constant(&mut self.b, k)).collect();
        // Pointers: array inputs, then outputs; each advances by its bytes.
        let graph = self.graph;
        let arrays: Vec<(ValueId, Value)> = array_inputs.iter().chain(outputs).copied().collect();
        let advances: Vec<Value> = arrays
            .iter()
            .map(|&(id, _)| {
                let bytes = unroll * graph.aval(id).ty.dtype.size_of();
                constant(&mut self.b, bytes)
            })
            .collect();
        let mut carry_tys = vec![Ty::I64; 1 + arrays.len()];
        carry_tys.extend(dtypes.iter().map(|&d| mir_ty(d)));
        let (body, params) = self.b.create_block(&carry_tys);
        let mut init = vec![zero];
        init.extend(arrays.iter().map(|&(_, base)| base));
        init.extend_from_slice(identities);
        self.b.jump(body, &init);

        self.b.switch_to(body);
        let i = params[0];
        let pointers = &params[1..=arrays.len()];
        let (inputs_here, outputs_here) = pointers.split_at(array_inputs.len());
        let inputs_here: Vec<(ValueId, Value)> = array_inputs
            .iter()
            .zip(inputs_here)
            .map(|(&(id, _), &p)| (id, p))
            .collect();
        let outputs_here: Vec<(ValueId, Value)> = outputs
            .iter()
            .zip(outputs_here)
            .map(|(&(id, _), &p)| (id, p))
            .collect();
        let mut accs = params[1 + arrays.len()..].to_vec();
        for &k in &offsets {
            accs = self.element(plan, &inputs_here, &outputs_here, dtypes, k, &accs)?;
        }
        let mut next = vec![self.b.binary(BinOp::Add, i, step)];
        for (&p, &advance) in pointers.iter().zip(&advances) {
            next.push(self.b.binary(BinOp::Add, p, advance));
        }
        next.extend(&accs);
        let totals = self.close_loop(body, &next, count, 1 + arrays.len());
        self.tail(plan, array_inputs, outputs, dtypes, looped, totals)
    }

    /// The loop over the elements in vectors of `plan.lane`; returns the
    /// reductions' totals, valid in the block it leaves current.
    ///
    /// The vectors are the widest the target has ([`Self::vector_bits`]:
    /// 256-bit ones on x86-64 with AVX2, the vector `math` algorithms then
    /// on `F64x4` lanes). An iteration covers
    /// `S = reduction_stripes(lane)` elements (128 bytes), `C = S / lanes`
    /// vectors (eight of 128 bits, four of 256; one vector when a
    /// transcendental function makes the body long), each array addressed
    /// by a carried pointer as in [`Self::element_loop`]. Scalars the
    /// array equations read (and broadcasts of them) are splat once before
    /// the loop. Each reduction carries `C` vector accumulators, which
    /// together are the `S` stripes of `ReduceKind`'s order: vector `j`,
    /// lane `l` holds stripe `j * lanes + l`, whatever the width. After
    /// the loop they are halved vector by vector, then lane by lane
    /// (`reduce_lanes`), which is `ReduceKind`'s halving at either width,
    /// and the `n % S` last elements follow with the scalar lowering, in
    /// order ([`Self::tail`]).
    fn vector_loop(
        &mut self,
        plan: &Plan,
        array_inputs: &[(ValueId, Value)],
        outputs: &[(ValueId, Value)],
        dtypes: &[DType],
        identities: &[Value],
    ) -> Result<Vec<Value>, LowerError> {
        let graph = self.graph;
        let lane = plan.lane.expect("a vector plan");
        let vty = Ty::vector_of_width(mir_ty(lane), self.vector_bits()).expect("a float lane");
        let lanes = vty.lanes() as usize;
        let per_iteration = reduction_stripes(lane);
        let chunks = per_iteration / lanes;
        let looped = plan.n - plan.n % per_iteration;
        // Scalars read by array equations, as (value, scalar, its splat).
        let mut splats: Vec<(ValueId, Value, Value)> = Vec::new();
        let broadcast_outs = plan.broadcasts.iter().map(|&(out, _)| out);
        let scalar_operands = plan
            .array
            .iter()
            .flat_map(|e| e.inputs.iter().copied())
            .filter(|&v| graph.aval(v).shape.is_empty());
        for v in broadcast_outs.chain(scalar_operands) {
            if splats.iter().any(|&(id, _, _)| id == v) {
                continue;
            }
            let scalar = self.value(v);
            let vector = self.b.splat(vty, scalar);
            splats.push((v, scalar, vector));
        }
        // Transcendental functions inline long code: one vector per
        // iteration, the accumulators rotated so that vector `c` of the
        // array still meets stripe group `c % chunks`.
        let long = plan.array.iter().any(|e| e.op.is_transcendental());
        let unroll = if long { 1 } else { chunks };
        let zero = self.b.iconst(Ty::I64, 0);
        let step = self.b.iconst(Ty::I64, (unroll * lanes) as i64);
        let count = self.b.iconst(Ty::I64, looped as i64);
        let vector_bytes = vty.bits() as usize / 8;
        let offsets: Vec<u32> = (0..unroll).map(|j| (j * vector_bytes) as u32).collect();
        let arrays: Vec<(ValueId, Value)> = array_inputs.iter().chain(outputs).copied().collect();
        let advance = self
            .b
            .iconst(Ty::I64, (unroll * lanes * lane.size_of()) as i64);
        let mut carry_tys = vec![Ty::I64; 1 + arrays.len()];
        carry_tys.extend(std::iter::repeat_n(vty, chunks * plan.reductions.len()));
        let mut init = vec![zero];
        init.extend(arrays.iter().map(|&(_, base)| base));
        for &identity in identities {
            let vector = self.b.splat(vty, identity);
            init.extend(std::iter::repeat_n(vector, chunks));
        }
        let (body, params) = self.b.create_block(&carry_tys);
        let preheader = self.b.current_block();
        self.b.jump(body, &init);

        self.b.switch_to(body);
        self.vector_hoist = Some(preheader);
        let i = params[0];
        let pointers = &params[1..=arrays.len()];
        let mut accs = params[1 + arrays.len()..].to_vec();
        for &(v, _, vector) in &splats {
            self.values[v.index()] = Some(vector);
        }
        for (j, &offset) in offsets.iter().enumerate() {
            for eqn in &plan.array {
                for &out in &eqn.outputs {
                    self.values[out.index()] = None;
                }
            }
            for (&(input, _), &p) in array_inputs.iter().zip(pointers) {
                let v = self.b.vector_load(vty, p, offset);
                self.values[input.index()] = Some(v);
            }
            self.vector_eqns(&plan.array, lane)?;
            for (&(r, _), &p) in outputs.iter().zip(&pointers[array_inputs.len()..]) {
                let v = self.value(r);
                self.b.vector_store(p, offset, v);
            }
            for (k, &(kind, x, _)) in plan.reductions.iter().enumerate() {
                let e = self.value(x);
                let acc = &mut accs[k * chunks + j];
                *acc = self.op(&kind.combine_op(), lane, &[*acc, e])?;
            }
        }
        self.vector_hoist = None;
        self.vector_constants.clear();
        let mut next = vec![self.b.binary(BinOp::Add, i, step)];
        for &p in pointers {
            next.push(self.b.binary(BinOp::Add, p, advance));
        }
        for k in 0..plan.reductions.len() {
            accs[k * chunks..(k + 1) * chunks].rotate_left(unroll % chunks);
        }
        next.extend(&accs);
        let vector_totals = self.close_loop(body, &next, count, 1 + arrays.len());
        let mut totals = Vec::with_capacity(plan.reductions.len());
        for (k, &(kind, _, _)) in plan.reductions.iter().enumerate() {
            let mut stripes = vector_totals[k * chunks..(k + 1) * chunks].to_vec();
            let mut half = chunks / 2;
            while half >= 1 {
                for j in 0..half {
                    stripes[j] =
                        self.op(&kind.combine_op(), lane, &[stripes[j], stripes[j + half]])?;
                }
                half /= 2;
            }
            let op = match kind {
                ReduceKind::Sum => BinOp::Add,
                ReduceKind::Max => BinOp::Max,
                ReduceKind::Min => BinOp::Min,
                _ => unreachable!("the kernel has no {kind:?} reduction"),
            };
            totals.push(self.b.reduce_lanes(op, stripes[0]));
        }
        for &(v, scalar, _) in &splats {
            self.values[v.index()] = Some(scalar);
        }
        self.tail(plan, array_inputs, outputs, dtypes, looped, totals)
    }

    /// The elements `from..n` after the main loop, from the bases, in
    /// order: straight-line, or, when transcendental functions make each
    /// element long code, one copy of it in a loop (a tail of up to 31
    /// elements inlined 31 times was most of such a kernel's code and
    /// compile time). Returns the reductions' totals.
    fn tail(
        &mut self,
        plan: &Plan,
        array_inputs: &[(ValueId, Value)],
        outputs: &[(ValueId, Value)],
        dtypes: &[DType],
        from: usize,
        mut totals: Vec<Value>,
    ) -> Result<Vec<Value>, LowerError> {
        let long = plan.array.iter().any(|e| e.op.is_transcendental());
        if !long || plan.n - from < 2 {
            for index in from..plan.n {
                let index = self.b.iconst(Ty::I64, index as i64);
                totals = self.element(plan, array_inputs, outputs, dtypes, index, &totals)?;
            }
            return Ok(totals);
        }
        let mut carry_tys = vec![Ty::I64];
        carry_tys.extend(totals.iter().map(|&v| self.b.ty(v)));
        let (body, params) = self.b.create_block(&carry_tys);
        let mut init = vec![self.b.iconst(Ty::I64, from as i64)];
        init.extend(&totals);
        self.b.jump(body, &init);
        self.b.switch_to(body);
        let index = params[0];
        let accs = self.element(plan, array_inputs, outputs, dtypes, index, &params[1..])?;
        let one = self.b.iconst(Ty::I64, 1);
        let mut next = vec![self.b.binary(BinOp::Add, index, one)];
        next.extend(accs);
        let count = self.b.iconst(Ty::I64, plan.n as i64);
        Ok(self.close_loop(body, &next, count, 1))
    }

    /// The array equations on vectors of `lane`: transcendental functions
    /// through the `math` algorithms on vectors (`sin`, `cos` and `tan` of
    /// one operand sharing their reduction), the rest as the scalar
    /// lowering's lanewise instructions.
    fn vector_eqns(&mut self, eqns: &[Eqn], lane: DType) -> Result<(), LowerError> {
        for eqn in eqns {
            if self.values[eqn.outputs[0].index()].is_some() {
                continue; // a trigonometric function computed with its group
            }
            let args: Vec<Value> = eqn.inputs.iter().map(|&v| self.value(v)).collect();
            if matches!(eqn.op, Op::Sin | Op::Cos | Op::Tan) {
                let members: Vec<&Eqn> = eqns
                    .iter()
                    .filter(|e| matches!(e.op, Op::Sin | Op::Cos | Op::Tan))
                    .filter(|e| e.inputs[0] == eqn.inputs[0])
                    .collect();
                let ops: Vec<&Op> = members.iter().map(|e| &e.op).collect();
                let results = self.vector_trig(&ops, lane, args[0])?;
                for (member, v) in members.iter().zip(results) {
                    self.values[member.outputs[0].index()] = Some(v);
                }
                continue;
            }
            let out = if eqn.op.is_transcendental() {
                self.vector_math(&eqn.op, lane, args[0])?
            } else {
                self.elementwise(eqn, &args)?
            };
            self.values[eqn.outputs[0].index()] = Some(out);
        }
        Ok(())
    }

    /// Ends the body of the loop `body` whose carry is `next` (the counter
    /// first): back to `body` while the counter is below `count`, else on
    /// to an exit block, made current, whose parameters receive the carry
    /// from `totals_from` on (the reductions' accumulators), returned.
    fn close_loop(
        &mut self,
        body: Block,
        next: &[Value],
        count: Value,
        totals_from: usize,
    ) -> Vec<Value> {
        let b = &mut self.b;
        let more = b.cmp(CmpOp::Lt, next[0], count);
        let latch = b.current_block();
        let (again, _) = b.create_block(&[]);
        let (leave, _) = b.create_block(&[]);
        let tys: Vec<Ty> = next[totals_from..].iter().map(|&v| b.ty(v)).collect();
        let (exit, totals) = b.create_block(&tys);
        b.switch_to(latch);
        b.branch(more, again, &[], leave, &[]);
        b.switch_to(again);
        b.jump(body, next);
        b.switch_to(leave);
        b.jump(exit, &next[totals_from..]);
        b.switch_to(exit);
        totals
    }

    /// One element at `index`: its loads, the array equations, its stores
    /// and the reductions' combine steps; returns the new accumulators.
    fn element(
        &mut self,
        plan: &Plan,
        array_inputs: &[(ValueId, Value)],
        outputs: &[(ValueId, Value)],
        dtypes: &[DType],
        index: Value,
        accs: &[Value],
    ) -> Result<Vec<Value>, LowerError> {
        // The previous element's values are not this one's.
        for eqn in &plan.array {
            for &out in &eqn.outputs {
                self.values[out.index()] = None;
            }
        }
        for &(input, base) in array_inputs {
            let ty = mir_ty(self.graph.aval(input).ty.dtype);
            let v = self.b.load(ty, base, index);
            self.values[input.index()] = Some(v);
        }
        self.eqns(&plan.array)?;
        for &(r, base) in outputs {
            let v = self.value(r);
            self.b.store(base, index, v);
        }
        let mut next = Vec::with_capacity(accs.len());
        for ((&(kind, x, _), &acc), &dtype) in plan.reductions.iter().zip(accs).zip(dtypes) {
            let e = self.value(x);
            next.push(self.op(&kind.combine_op(), dtype, &[acc, e])?);
        }
        Ok(next)
    }
}
