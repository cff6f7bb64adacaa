//! Lowering a graph with arrays of several shapes: loop nests over buffers.
//!
//! Terms:
//! - a *buffer* holds an array's elements row-major: a graph input's (its
//!   argument slot), an array result's (the slot the caller passes after
//!   the inputs), an array constant's (read in place), or a *scratch* one,
//!   a piece of the scratch memory the caller passes in the slot after the
//!   results (`Lowered::scratch_bytes` long, 64-byte aligned pieces).
//! - a value is *materialised* when its elements are computed once into a
//!   buffer; every other array value is *fused*: its element at an index is
//!   computed where a consumer needs it, from its operands' elements. Fused
//!   ops are the elementwise ones and the index maps (`broadcast_in_dim`,
//!   `transpose`, `slice`, `squeeze`, `reshape`, `iota`, `dynamic_slice`),
//!   so chains of them cost no memory traffic.
//! - a *root* is an equation whose output is materialised: a reduction,
//!   `argmax`/`argmin`, `dot_general`, `concatenate`,
//!   `dynamic_update_slice`, or a fused op whose value must be kept: a
//!   result, a value several consumers read (computing it once), one
//!   broadcast to more elements, or the operand of a `reshape` that moves
//!   elements between dimensions.
//!
//! Equations are lowered in graph order: scalar equations as straight-line
//! code (and the loops and branches of `lax` on scalars), each root as its
//! loop nest, fused equations nowhere (their elements appear inside the
//! nests that read them). A nest runs over the root's index space in
//! row-major order, one bottom-tested loop per dimension of size > 1;
//! reductions carry their accumulator through the loops of the reduced
//! dimensions, combining elements in row-major order as the interpreter
//! does. A float `dot_general` gathers each operand into a row-major
//! `batch × m × k` (`batch × k × n`) buffer when it is not one already and
//! calls `crate::dot`'s helper, the function the interpreter calls.
//!
//! A dense layer, a float `dot_general` whose one reader is a chain of
//! elementwise ops of its shape ending in a materialised value of its
//! dtype (`tanh(x @ w + b)`), computes the product straight into that
//! value's buffer (the result's), and the chain's nest then rewrites each
//! element in place: no scratch buffer for the product, and the second
//! pass reads and writes the same cache lines (`in_place_targets`).
//!
//! Innermost loops on vectors (`vector.rs`): the nest of a root that is a
//! chain of fused elementwise ops of one float dtype (a dense layer's
//! in-place pass, a softmax's `exp(x - max)` and division), or a float
//! reduction along the innermost dimension (a softmax's row `max` and
//! `sum`), runs its innermost loop over vectors when each value it reads
//! is, along that loop, contiguous in its buffer (stride 1) or invariant
//! (splat once per row) and each op has a lanewise form (the kernel's
//! test, `kernel::lanewise`); the last `n % lanes` elements run the scalar
//! code. Sums and products keep `ReduceKind`'s stripes as vector
//! accumulators, so the bits are the scalar nest's.
//!
//! **Architecture Invariant:** every load and store is at an index inside
//! its buffer (a vector load or store covers the elements of consecutive
//! indices of the innermost loop, each inside it): indices come from loops over the buffer's own shape, from
//! index maps of such (static slices inside the operand, dynamic starts
//! clamped as the interpreter clamps them), and a dimension of size 0
//! emits no loop at all.

mod control;
mod vector;

use super::kernel::takes_bool;
use super::{HelperData, LowerError, Lowering, mir_ty};
use crate::dot::{MatmulShape, matmul_helper};
use crate::dtype::DType;
use crate::ir::{
    Eqn, Graph, Op, ReduceKind, Region, ValueDef, ValueId, dot_free_dims, reduction_stripes,
};
use crate::mir::{BinOp, CmpOp, Helper, Ty, UnOp, Value};
use std::collections::HashMap;

/// Alignment of scratch buffers, in bytes.
const SCRATCH_ALIGN: usize = 64;

/// Lowers `l.graph` as loop nests into `l`'s builder; returns the scratch
/// bytes the code needs, or the op that has no lowering here.
pub(super) fn lower(l: &mut Lowering<'_>) -> Result<usize, LowerError> {
    let plan = Plan::new(l.graph, &l.graph.body)?;
    let mut nests = Nests {
        bases: vec![None; l.graph.values.len()],
        starts: HashMap::new(),
        elements: HashMap::new(),
        offsets: HashMap::new(),
        constants: HashMap::new(),
        scratch_base: None,
        scratch_bytes: 0,
        plan,
        l,
    };
    nests.run()?;
    Ok(nests.scratch_bytes)
}

/// What a region's equations are, decided before any code is emitted.
struct Plan<'g> {
    /// The region.
    region: &'g Region,
    /// Whether each value is materialised (array values only).
    materialised: Vec<bool>,
    /// The equation (index in `region`) defining each value of the region.
    producer: Vec<Option<usize>>,
    /// For each value, the array result whose buffer it is computed into.
    result_home: Vec<Option<usize>>,
    /// For a float `dot_general`'s output, the value whose buffer it is
    /// computed into ([`in_place_targets`]).
    shares_buffer: Vec<Option<ValueId>>,
}

/// Whether `op` is computed per element where it is read.
fn is_fusible(op: &Op) -> bool {
    op.is_elementwise()
        || matches!(
            op,
            Op::BroadcastInDim { .. }
                | Op::Transpose { .. }
                | Op::Slice { .. }
                | Op::Squeeze { .. }
                | Op::Reshape { .. }
                | Op::Iota { .. }
                | Op::DynamicSlice { .. }
        )
}

/// Whether `op` only moves elements (its elements cost no arithmetic).
fn is_index_map(op: &Op) -> bool {
    is_fusible(op) && !op.is_elementwise()
}

/// Whether a reshape from `from` to `to` only inserts or removes
/// dimensions of size 1 (so an index maps to an index dimension by
/// dimension, with no division).
fn moves_only_unit_dims(from: &[usize], to: &[usize]) -> bool {
    let big = |s: &[usize]| s.iter().copied().filter(|&d| d != 1).collect::<Vec<_>>();
    big(from) == big(to)
}

/// Whether a region or its nested regions need the loop-nest lowering:
/// a value they define is an array, or one of their equations is a `scan`
/// (whose loop only this lowering emits).
pub(super) fn needs_nests(graph: &Graph, region: &Region) -> bool {
    region
        .inputs
        .iter()
        .chain(
            region
                .eqns
                .iter()
                .flat_map(|e| e.inputs.iter().chain(&e.outputs)),
        )
        .chain(&region.results)
        .any(|&v| !graph.aval(v).shape.is_empty())
        || region.eqns.iter().any(|e| {
            matches!(e.op, Op::Scan { .. })
                || e.op.regions().into_iter().any(|r| needs_nests(graph, r))
        })
}

impl<'g> Plan<'g> {
    /// The plan of `body`, one region of `graph` (a scan body's is made
    /// when the scan is lowered).
    fn new(graph: &Graph, body: &'g Region) -> Result<Plan<'g>, LowerError> {
        let n = graph.values.len();
        let is_array = |v: ValueId| !graph.aval(v).shape.is_empty();
        let mut producer = vec![None; n];
        for (k, eqn) in body.eqns.iter().enumerate() {
            for &o in &eqn.outputs {
                producer[o.index()] = Some(k);
            }
        }
        let mut materialised = vec![false; n];
        let mut result_home = vec![None; n];
        for (k, &r) in body.results.iter().enumerate() {
            if is_array(r) && producer[r.index()].is_some() && result_home[r.index()].is_none() {
                materialised[r.index()] = true;
                result_home[r.index()] = Some(k);
            }
        }
        // Uses, counted through the index maps that stay fused: a value
        // read by two consumers is computed once into a buffer.
        let mut uses = vec![0usize; n];
        for &r in &body.results {
            uses[r.index()] += 1;
        }
        for eqn in body.eqns.iter().rev() {
            let out = eqn.outputs.first().copied();
            let bool_operand = eqn
                .inputs
                .iter()
                .any(|&v| graph.aval(v).ty.dtype == DType::Bool);
            let array_op = eqn.inputs.iter().chain(&eqn.outputs).any(|&v| is_array(v));
            match &eqn.op {
                _ if !array_op => {}
                op if op.is_elementwise() && bool_operand && !takes_bool(op) => {
                    return Err(LowerError::ArrayOp(op.name()));
                }
                Op::ArgReduce { axis, .. } if graph.aval(eqn.inputs[0]).shape[*axis] == 0 => {
                    return Err(LowerError::ArrayOp(eqn.op.name()));
                }
                op if is_fusible(op) => {}
                Op::Reduce { .. }
                | Op::ArgReduce { .. }
                | Op::DotGeneral { .. }
                | Op::Concatenate { .. }
                | Op::DynamicUpdateSlice => {
                    if let Some(o) = out
                        && is_array(o)
                    {
                        materialised[o.index()] = true;
                    }
                }
                Op::Scan { .. } | Op::While { .. } | Op::Cond { .. } => {
                    // Its operands are read through their buffers, from
                    // inside its loops and branches.
                    for &v in eqn.inputs.iter().chain(&eqn.outputs) {
                        materialised[v.index()] = is_array(v);
                    }
                }
                op => return Err(LowerError::ArrayOp(op.name())),
            }
            let Some(out) = out else { continue };
            let out_uses = uses[out.index()];
            let stays_fused = is_fusible(&eqn.op) && !materialised[out.index()];
            if stays_fused && eqn.op.is_elementwise() && out_uses >= 2 && is_array(out) {
                materialised[out.index()] = true;
            }
            let fused_index_map = is_index_map(&eqn.op) && !materialised[out.index()];
            let mut seen = Vec::new();
            for &x in &eqn.inputs {
                if seen.contains(&x) || !is_array(x) {
                    continue;
                }
                seen.push(x);
                uses[x.index()] += if fused_index_map { out_uses.max(1) } else { 1 };
                let computed =
                    producer[x.index()].is_some_and(|p| body.eqns[p].op.is_elementwise());
                let in_size: usize = graph.aval(x).shape.iter().product();
                let out_size: usize = graph.aval(out).shape.iter().product();
                match &eqn.op {
                    Op::BroadcastInDim { .. } if computed && out_size > in_size => {
                        materialised[x.index()] = true;
                    }
                    Op::Reshape { new_sizes }
                        if !moves_only_unit_dims(&graph.aval(x).shape, new_sizes) =>
                    {
                        materialised[x.index()] = true;
                    }
                    _ => {}
                }
            }
        }
        // Inputs and constants have buffers already.
        for &v in &body.inputs {
            materialised[v.index()] = is_array(v);
        }
        for (v, info) in graph.values.iter().enumerate() {
            if matches!(info.def, ValueDef::Const(_)) {
                materialised[v] = is_array(ValueId(v as u32));
            }
        }
        let shares_buffer = in_place_targets(graph, body, &materialised, &result_home);
        Ok(Plan {
            region: body,
            materialised,
            producer,
            result_home,
            shares_buffer,
        })
    }
}

// Dense layers: `dot_general` then its elementwise chain, in place.

/// For each float `dot_general` whose output `d` has one reader, a chain
/// of fused elementwise ops of its shape ending in a materialised value
/// `r` of its dtype (`tanh(x @ w + b)`: the bias add and the activation):
/// `r`. The product is computed into `r`'s buffer and `r`'s nest then
/// reads each element of `d` where it writes the same element of `r`, so
/// the layer needs no scratch buffer for the product and its second pass
/// reads and writes the same cache lines. The bits are the same: the
/// product does not read its destination (`crate::dot`), and the chain
/// computes each element of `r` from the element of `d` at its index
/// alone, loading it before storing over it.
///
/// Each `r` takes at most one product (`r = a @ b + c @ d` keeps the
/// second in scratch, else it would overwrite the first).
fn in_place_targets(
    graph: &Graph,
    body: &Region,
    materialised: &[bool],
    result_home: &[Option<usize>],
) -> Vec<Option<ValueId>> {
    let n = graph.values.len();
    // Who reads each value: the equations (each once) and the results.
    let mut readers: Vec<Vec<Option<usize>>> = vec![Vec::new(); n];
    for (k, eqn) in body.eqns.iter().enumerate() {
        for &x in &eqn.inputs {
            if readers[x.index()].last() != Some(&Some(k)) {
                readers[x.index()].push(Some(k));
            }
        }
    }
    for &r in &body.results {
        readers[r.index()].push(None);
    }
    let mut shares = vec![None; n];
    let mut taken = vec![false; n];
    for eqn in &body.eqns {
        let d = match eqn.outputs.first() {
            Some(&d) if matches!(eqn.op, Op::DotGeneral { .. }) => d,
            _ => continue,
        };
        let aval = graph.aval(d);
        if aval.shape.is_empty()
            || !aval.ty.dtype.is_float()
            || !materialised[d.index()]
            || result_home[d.index()].is_some()
        {
            continue;
        }
        let mut v = d;
        let target = loop {
            let [Some(k)] = readers[v.index()][..] else {
                break None;
            };
            let reader = &body.eqns[k];
            let o = reader.outputs[0];
            if !reader.op.is_elementwise() || graph.aval(o).shape != aval.shape {
                break None;
            }
            if materialised[o.index()] {
                break Some(o);
            }
            v = o;
        };
        if let Some(r) = target
            && graph.aval(r).ty.dtype == aval.ty.dtype
            && !taken[r.index()]
        {
            taken[r.index()] = true;
            shares[d.index()] = Some(r);
        }
    }
    shares
}

/// The state of the loop-nest lowering.
struct Nests<'a, 'g> {
    l: &'a mut Lowering<'g>,
    plan: Plan<'g>,
    /// The buffer pointer of each materialised value, once it is written.
    bases: Vec<Option<Value>>,
    /// The clamped starts of each `dynamic_slice` result.
    starts: HashMap<ValueId, Vec<Value>>,
    /// Elements of fused values computed in the current root's nest.
    elements: HashMap<(ValueId, Vec<Value>), Value>,
    /// Row-major offsets computed in the current root's nest.
    offsets: HashMap<(Vec<Value>, Vec<usize>), Value>,
    /// `I64` constants made in the current root's nest.
    constants: HashMap<i64, Value>,
    /// The scratch memory's pointer.
    scratch_base: Option<Value>,
    scratch_bytes: usize,
}

/// `shape`'s dimensions with `axes` removed, and the removed ones.
fn split_axes(shape: &[usize], axes: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let kept = (0..shape.len()).filter(|k| !axes.contains(k));
    (
        kept.map(|k| shape[k]).collect(),
        axes.iter().map(|&k| shape[k]).collect(),
    )
}

/// The full index from the kept dimensions' index and the reduced ones'.
fn merge_axes(kept: &[Value], reduced: &[Value], axes: &[usize]) -> Vec<Value> {
    let (mut k, mut r) = (kept.iter(), reduced.iter());
    (0..kept.len() + reduced.len())
        .map(|d| {
            if axes.contains(&d) {
                *r.next().expect("one index per reduced axis")
            } else {
                *k.next().expect("one index per kept axis")
            }
        })
        .collect()
}

/// The concatenation of three lists of dimensions.
fn dot_order(first: &[usize], second: &[usize], third: &[usize]) -> Vec<usize> {
    first.iter().chain(second).chain(third).copied().collect()
}

/// The operand index of a result index when result dimension `k` is
/// operand dimension `perm[k]`.
fn unpermuted(index: &[Value], perm: &[usize]) -> Vec<Value> {
    (0..perm.len())
        .map(|d| {
            let k = perm.iter().position(|&p| p == d).expect("a permutation");
            index[k]
        })
        .collect()
}

type NestBody<'b, 'a, 'g> =
    dyn FnMut(&mut Nests<'a, 'g>, &[Value], Vec<Value>) -> Result<Vec<Value>, LowerError> + 'b;

type LoopBody<'b, 'a, 'g> =
    dyn FnMut(&mut Nests<'a, 'g>, Value, Vec<Value>) -> Result<Vec<Value>, LowerError> + 'b;

impl<'a, 'g> Nests<'a, 'g> {
    fn graph(&self) -> &'g Graph {
        self.l.graph
    }

    fn shape(&self, v: ValueId) -> &'g [usize] {
        &self.l.graph.aval(v).shape
    }

    fn dtype(&self, v: ValueId) -> DType {
        self.l.graph.aval(v).ty.dtype
    }

    /// The whole function: the graph's inputs from their slots, its body,
    /// its results to their slots.
    fn run(&mut self) -> Result<(), LowerError> {
        let graph = self.graph();
        let body = &graph.body;
        for (slot, &input) in body.inputs.iter().enumerate() {
            if self.shape(input).is_empty() {
                let v = self.l.b.arg(mir_ty(self.dtype(input)), slot as u32);
                self.l.values[input.index()] = Some(v);
            } else {
                self.bases[input.index()] = Some(self.l.b.arg(Ty::I64, slot as u32));
            }
        }
        let mut homes: Vec<Option<Value>> = Vec::new();
        for &r in &body.results {
            let slot = body.inputs.len() + homes.iter().flatten().count();
            homes.push((!self.shape(r).is_empty()).then(|| self.l.b.arg(Ty::I64, slot as u32)));
        }
        let scratch_slot = body.inputs.len() + homes.iter().flatten().count();
        self.scratch_base = Some(self.l.b.arg(Ty::I64, scratch_slot as u32));
        for (v, info) in graph.values.iter().enumerate() {
            if let ValueDef::Const(array) = &info.def
                && !info.aval.shape.is_empty()
            {
                let address = array.data_ptr() as i64;
                self.bases[v] = Some(self.l.b.iconst(Ty::I64, address));
                self.l.helper_data.push(HelperData::Array(array.clone()));
            }
        }
        self.region(body, &homes)?;
        for (k, &r) in body.results.iter().enumerate() {
            if homes[k].is_none() {
                let v = self.scalar(r);
                self.l.b.store_result(k as u32, v);
            }
        }
        Ok(())
    }

    /// Lowers `region`, whose inputs are bound already (scalars in
    /// `l.values`, arrays in `bases`), writing each array result into its
    /// buffer in `homes`; scalar results are left in `l.values`.
    fn region(&mut self, region: &'g Region, homes: &[Option<Value>]) -> Result<(), LowerError> {
        let plan = Plan::new(self.graph(), region)?;
        let outer = std::mem::replace(&mut self.plan, plan);
        let mut result_home = vec![None; self.graph().values.len()];
        for (k, &r) in region.results.iter().enumerate() {
            if homes[k].is_some() && self.plan.result_home[r.index()] == Some(k) {
                result_home[r.index()] = homes[k];
            }
        }
        let mut scalar_run: Vec<Eqn> = Vec::new();
        for eqn in &region.eqns {
            let all_scalar = eqn
                .inputs
                .iter()
                .chain(&eqn.outputs)
                .all(|&v| self.shape(v).is_empty());
            let array_op = !eqn.op.is_elementwise()
                && !matches!(
                    eqn.op,
                    Op::While { .. } | Op::Cond { .. } | Op::DebugPrint { .. }
                )
                || eqn
                    .op
                    .regions()
                    .into_iter()
                    .any(|r| needs_nests(self.graph(), r));
            if all_scalar && !array_op {
                scalar_run.push(eqn.clone());
                continue;
            }
            self.scalars(&mut scalar_run)?;
            self.begin_root();
            if let Some(r) = eqn
                .outputs
                .first()
                .and_then(|o| self.plan.shares_buffer[o.index()])
            {
                // The product goes into the buffer of the value its chain
                // ends in, made now if that is not a result.
                let home = self.home(r, result_home[r.index()]);
                result_home[r.index()] = Some(home);
                result_home[eqn.outputs[0].index()] = Some(home);
            }
            let eqn_homes: Vec<Option<Value>> =
                eqn.outputs.iter().map(|o| result_home[o.index()]).collect();
            let out = eqn.outputs[0];
            if is_fusible(&eqn.op) {
                if let Op::DynamicSlice { slice_sizes } = &eqn.op {
                    let starts = self.clamped_starts(
                        &eqn.inputs[1..],
                        self.shape(eqn.inputs[0]),
                        slice_sizes,
                    );
                    self.starts.insert(out, starts);
                }
                if self.shape(out).is_empty() {
                    let v = self.compute(eqn, &[])?;
                    self.l.values[out.index()] = Some(v);
                } else if self.plan.materialised[out.index()] {
                    let base = self.home(out, eqn_homes[0]);
                    if !self.vector_store_nest(out, base)? {
                        self.store_nest(out, base, |s, index| s.compute(eqn, index))?;
                    }
                    self.bases[out.index()] = Some(base);
                }
                continue;
            }
            self.root(eqn, &eqn_homes)?;
        }
        self.scalars(&mut scalar_run)?;
        // Results not computed into their buffers: copies.
        for (k, &r) in region.results.iter().enumerate() {
            if let Some(base) = homes[k]
                && result_home[r.index()] != Some(base)
            {
                self.begin_root();
                if !self.vector_store_nest(r, base)? {
                    self.store_nest(r, base, |s, index| s.element(r, index))?;
                }
            }
        }
        self.plan = outer;
        Ok(())
    }

    /// Lowers the scalar equations gathered so far, together (so that the
    /// trigonometric functions of one value share their reduction).
    fn scalars(&mut self, run: &mut Vec<Eqn>) -> Result<(), LowerError> {
        if run.is_empty() {
            return Ok(());
        }
        self.l.eqns(run)?;
        run.clear();
        Ok(())
    }

    /// The MIR value of a scalar graph value (computed before it is used,
    /// or a literal).
    fn scalar(&mut self, v: ValueId) -> Value {
        self.l.value(v)
    }

    /// Forgets what the previous root's nest computed: its values live in
    /// its loops.
    fn begin_root(&mut self) {
        self.elements.clear();
        self.offsets.clear();
        self.constants.clear();
    }

    fn constant(&mut self, c: usize) -> Value {
        let c = c as i64;
        if let Some(&v) = self.constants.get(&c) {
            return v;
        }
        let v = self.l.b.iconst(Ty::I64, c);
        self.constants.insert(c, v);
        v
    }

    /// A fresh scratch buffer of `bytes`.
    fn scratch(&mut self, bytes: usize) -> Value {
        let offset = self.scratch_bytes.next_multiple_of(SCRATCH_ALIGN);
        self.scratch_bytes = offset + bytes;
        let base = self.scratch_base.expect("read in the entry block");
        if offset == 0 {
            return base;
        }
        let offset = self.constant(offset);
        self.l.b.binary(BinOp::Add, base, offset)
    }

    /// The buffer a root's output `out` is written to: its result slot's,
    /// or scratch.
    fn home(&mut self, out: ValueId, result: Option<Value>) -> Value {
        match result {
            Some(base) => base,
            None => {
                let elements: usize = self.shape(out).iter().product();
                self.scratch(elements * self.dtype(out).size_of())
            }
        }
    }

    /// A reduction's total `acc` at `kept_index`: stored into `base` (of
    /// shape `out_shape`) when the result has a buffer, else returned (a
    /// scalar result).
    fn store_total(
        &mut self,
        base: Option<Value>,
        kept_index: &[Value],
        out_shape: &[usize],
        acc: Value,
    ) -> Option<Value> {
        let base = match base {
            Some(base) => base,
            None => return Some(acc),
        };
        let o = self.offset(kept_index, out_shape);
        self.l.b.store(base, o, acc);
        None
    }

    /// The row-major offset of `index` in `shape`.
    fn offset(&mut self, index: &[Value], shape: &[usize]) -> Value {
        let key = (index.to_vec(), shape.to_vec());
        if let Some(&v) = self.offsets.get(&key) {
            return v;
        }
        let mut stride = 1;
        let mut total: Option<Value> = None;
        for (&i, &dim) in index.iter().zip(shape).rev() {
            if dim != 1 {
                let term = if stride == 1 {
                    i
                } else {
                    let s = self.constant(stride);
                    self.l.b.binary(BinOp::Mul, i, s)
                };
                total = Some(match total {
                    Some(t) => self.l.b.binary(BinOp::Add, t, term),
                    None => term,
                });
            }
            stride *= dim;
        }
        let v = total.unwrap_or_else(|| self.constant(0));
        self.offsets.insert(key, v);
        v
    }

    /// Runs `body` at every index of `shape` in row-major order, threading
    /// `carry` through; a dimension of size 0 runs nothing.
    fn each(
        &mut self,
        shape: &[usize],
        carry: Vec<Value>,
        body: &mut NestBody<'_, 'a, 'g>,
    ) -> Result<Vec<Value>, LowerError> {
        if shape.contains(&0) {
            return Ok(carry);
        }
        self.each_from(shape, &mut Vec::new(), carry, body)
    }

    fn each_from(
        &mut self,
        shape: &[usize],
        index: &mut Vec<Value>,
        carry: Vec<Value>,
        body: &mut NestBody<'_, 'a, 'g>,
    ) -> Result<Vec<Value>, LowerError> {
        let d = index.len();
        if d == shape.len() {
            return body(self, index, carry);
        }
        let n = shape[d];
        if n == 1 {
            index.push(self.constant(0));
            let out = self.each_from(shape, index, carry, body);
            index.pop();
            return out;
        }
        self.counted_loop(n, 1, carry, &mut |s, i, carry| {
            index.push(i);
            let out = s.each_from(shape, index, carry, body);
            index.pop();
            out
        })
    }

    /// A loop whose counter runs `0, step, 2 * step, ..` while below `end`
    /// (`end >= 1`: one iteration at least), threading `carry` through
    /// `body`, which gets the counter; returns the carry after the last
    /// iteration, valid in the block it leaves current.
    fn counted_loop(
        &mut self,
        end: usize,
        step: usize,
        carry: Vec<Value>,
        body: &mut LoopBody<'_, 'a, 'g>,
    ) -> Result<Vec<Value>, LowerError> {
        // Bottom-tested, as `kernel.rs`'s loop: one iteration is known.
        let b = &mut self.l.b;
        let mut tys = vec![Ty::I64];
        tys.extend(carry.iter().map(|&v| b.ty(v)));
        let (block, params) = b.create_block(&tys);
        let zero = self.constant(0);
        let mut init = vec![zero];
        init.extend(&carry);
        self.l.b.jump(block, &init);
        self.l.b.switch_to(block);
        let out = body(self, params[0], params[1..].to_vec())?;
        let step = self.constant(step);
        let count = self.constant(end);
        let b = &mut self.l.b;
        let next = b.binary(BinOp::Add, params[0], step);
        let more = b.cmp(CmpOp::Lt, next, count);
        let latch = b.current_block();
        let (again, _) = b.create_block(&[]);
        let (leave, _) = b.create_block(&[]);
        let (exit, results) = b.create_block(&tys[1..]);
        b.switch_to(latch);
        b.branch(more, again, &[], leave, &[]);
        b.switch_to(again);
        let mut back = vec![next];
        back.extend(&out);
        b.jump(block, &back);
        b.switch_to(leave);
        b.jump(exit, &out);
        b.switch_to(exit);
        Ok(results)
    }

    /// A nest over `v`'s shape storing `element(index)` at each index of
    /// the buffer `base`.
    fn store_nest(
        &mut self,
        v: ValueId,
        base: Value,
        mut element: impl FnMut(&mut Self, &[Value]) -> Result<Value, LowerError>,
    ) -> Result<(), LowerError> {
        let shape = self.shape(v);
        self.each(shape, Vec::new(), &mut |s, index, _| {
            let e = element(s, index)?;
            let at = s.offset(index, shape);
            s.l.b.store(base, at, e);
            Ok(Vec::new())
        })?;
        Ok(())
    }

    /// The element of graph value `v` at `index` (one index per dimension
    /// of `v`): a load for a materialised value, else computed from its
    /// operands' elements.
    fn element(&mut self, v: ValueId, index: &[Value]) -> Result<Value, LowerError> {
        let shape = self.shape(v);
        if shape.is_empty() {
            return Ok(self.scalar(v));
        }
        // An elementwise consumer broadcasts a dimension of size 1: its
        // index there is the consumer's, but the element is at 0.
        if shape.iter().zip(index).any(|(&d, _)| d == 1) {
            let zero = self.constant(0);
            let index: Vec<Value> = shape
                .iter()
                .zip(index)
                .map(|(&d, &i)| if d == 1 { zero } else { i })
                .collect();
            return self.element_at(v, &index);
        }
        self.element_at(v, index)
    }

    /// [`Nests::element`] at an index that is 0 along every dimension of
    /// size 1.
    fn element_at(&mut self, v: ValueId, index: &[Value]) -> Result<Value, LowerError> {
        if let Some(base) = self.bases[v.index()] {
            let at = self.offset(index, self.shape(v));
            return Ok(self.l.b.load(mir_ty(self.dtype(v)), base, at));
        }
        let key = (v, index.to_vec());
        if let Some(&e) = self.elements.get(&key) {
            return Ok(e);
        }
        let producer = self.plan.producer[v.index()].expect("a fused value has an equation");
        let e = self.compute(&self.plan.region.eqns[producer], index)?;
        self.elements.insert(key, e);
        Ok(e)
    }

    /// The element at `index` of the output of the fused equation `eqn`.
    fn compute(&mut self, eqn: &Eqn, index: &[Value]) -> Result<Value, LowerError> {
        let x = eqn.inputs.first().copied();
        match &eqn.op {
            op if op.is_elementwise() => {
                let args = eqn
                    .inputs
                    .iter()
                    .map(|&a| self.element(a, index))
                    .collect::<Result<Vec<_>, _>>()?;
                self.l.elementwise(eqn, &args)
            }
            Op::Squeeze { .. } | Op::Reshape { .. }
                if let Some(base) = self.bases[x.expect("one operand").index()] =>
            {
                // The same elements in the same order: the offset in the
                // result is the offset in the operand.
                let x = x.expect("one operand");
                let at = self.offset(index, self.shape(eqn.outputs[0]));
                Ok(self.l.b.load(mir_ty(self.dtype(x)), base, at))
            }
            Op::BroadcastInDim { .. }
            | Op::Transpose { .. }
            | Op::Slice { .. }
            | Op::DynamicSlice { .. }
            | Op::Squeeze { .. }
            | Op::Reshape { .. } => {
                let at = self.operand_index(eqn, index);
                self.element(x.expect("one operand"), &at)
            }
            Op::Iota {
                dtype, dimension, ..
            } => {
                let i = index[*dimension];
                Ok(if *dtype == DType::I64 {
                    i
                } else {
                    self.l.b.convert(i, mir_ty(*dtype))
                })
            }
            op => Err(LowerError::ArrayOp(op.name())),
        }
    }

    /// The index of the operand element that the element at `index` of
    /// the index map `eqn`'s output is: `eqn` is a `broadcast_in_dim`,
    /// `transpose`, `slice`, `dynamic_slice`, or a `squeeze`/`reshape` of a
    /// value with no buffer (which only moves dimensions of size 1).
    fn operand_index(&mut self, eqn: &Eqn, index: &[Value]) -> Vec<Value> {
        let x = eqn.inputs[0];
        match &eqn.op {
            Op::BroadcastInDim {
                broadcast_dimensions,
                ..
            } => {
                let from = self.shape(x);
                broadcast_dimensions
                    .iter()
                    .enumerate()
                    .map(|(k, &d)| {
                        if from[k] == 1 {
                            self.constant(0)
                        } else {
                            index[d]
                        }
                    })
                    .collect()
            }
            Op::Transpose { permutation } => unpermuted(index, permutation),
            Op::Slice { start_indices, .. } => self.shifted(index, start_indices),
            Op::DynamicSlice { .. } => {
                let starts = self.starts[&eqn.outputs[0]].clone();
                index
                    .iter()
                    .zip(starts)
                    .map(|(&i, s)| self.l.b.binary(BinOp::Add, i, s))
                    .collect()
            }
            Op::Squeeze { .. } | Op::Reshape { .. } => {
                // Only dimensions of size 1 come or go (`Plan::new`).
                let out_shape = self.shape(eqn.outputs[0]);
                let mut big = index
                    .iter()
                    .zip(out_shape)
                    .filter(|&(_, &d)| d != 1)
                    .map(|(&i, _)| i);
                let from = self.shape(x);
                from.iter()
                    .map(|&d| {
                        if d == 1 {
                            self.constant(0)
                        } else {
                            big.next().expect("the same dimensions of size > 1")
                        }
                    })
                    .collect()
            }
            op => unreachable!("{} is not an index map", op.name()),
        }
    }

    /// `index + starts`, dimension by dimension (static starts).
    fn shifted(&mut self, index: &[Value], starts: &[usize]) -> Vec<Value> {
        index
            .iter()
            .zip(starts)
            .map(|(&i, &s)| {
                if s == 0 {
                    i
                } else {
                    let s = self.constant(s);
                    self.l.b.binary(BinOp::Add, i, s)
                }
            })
            .collect()
    }

    /// Each start (an integer scalar) as `I64`, clamped to `0..=dim - size`
    /// as the interpreter clamps it.
    fn clamped_starts(
        &mut self,
        starts: &[ValueId],
        shape: &[usize],
        sizes: &[usize],
    ) -> Vec<Value> {
        starts
            .iter()
            .zip(shape.iter().zip(sizes))
            .map(|(&s, (&dim, &size))| {
                let v = self.scalar(s);
                let wide = if self.dtype(s) == DType::I64 {
                    v
                } else {
                    self.l.b.convert(v, Ty::I64)
                };
                let lo = self.l.b.iconst(Ty::I64, 0);
                let hi = self.l.b.iconst(Ty::I64, (dim - size) as i64);
                self.l
                    .op(&Op::Clamp, DType::I64, &[lo, wide, hi])
                    .expect("integer clamp has a lowering")
            })
            .collect()
    }

    /// Emits the nest of a root that is not a fused op; `homes` are the
    /// result buffers its outputs go to, if any.
    fn root(&mut self, eqn: &'g Eqn, homes: &[Option<Value>]) -> Result<(), LowerError> {
        match &eqn.op {
            Op::Scan {
                body,
                length,
                num_consts,
                num_carry,
            } => return self.scan(eqn, body, *length, *num_consts, *num_carry, homes),
            Op::While {
                cond,
                body,
                cond_nconsts,
                body_nconsts,
            } => return self.while_loop(eqn, cond, body, *cond_nconsts, *body_nconsts, homes),
            Op::Cond { branches } => return self.cond(eqn, branches, homes),
            _ => {}
        }
        let out = eqn.outputs[0];
        let scalar_out = self.shape(out).is_empty();
        let base = (!scalar_out).then(|| self.home(out, homes[0]));
        match &eqn.op {
            Op::Reduce { kind, axes } => {
                let v = self.reduce(*kind, axes, eqn.inputs[0], out, base)?;
                self.l.values[out.index()] = v;
            }
            Op::ArgReduce { max, axis, .. } => {
                let v = self.arg_reduce(*max, *axis, eqn.inputs[0], out, base)?;
                self.l.values[out.index()] = v;
            }
            Op::DotGeneral { contracting, batch } => {
                // A scalar result (vector · vector) goes through a
                // one-element buffer.
                let to = match base {
                    Some(base) => base,
                    None => self.scratch(self.dtype(out).size_of()),
                };
                if self.dtype(out).is_float() {
                    self.matmul(contracting, batch, eqn, to)?;
                } else {
                    self.integer_dot(contracting, batch, eqn, to)?;
                }
                if scalar_out {
                    let zero = self.constant(0);
                    let v = self.l.b.load(mir_ty(self.dtype(out)), to, zero);
                    self.l.values[out.index()] = Some(v);
                }
            }
            Op::Concatenate { dimension } => {
                let base = base.expect("concatenate makes an array");
                let out_shape = self.shape(out);
                let mut offset = vec![0; out_shape.len()];
                for &x in &eqn.inputs {
                    let shape = self.shape(x);
                    let at = offset.clone();
                    self.each(shape, Vec::new(), &mut |s, index, _| {
                        let e = s.element(x, index)?;
                        let to = s.shifted(index, &at);
                        let o = s.offset(&to, out_shape);
                        s.l.b.store(base, o, e);
                        Ok(Vec::new())
                    })?;
                    offset[*dimension] += shape[*dimension];
                }
            }
            Op::DynamicUpdateSlice if scalar_out => {
                // A rank-0 update replaces the whole operand.
                let v = self.scalar(eqn.inputs[1]);
                self.l.values[out.index()] = Some(v);
            }
            Op::DynamicUpdateSlice => {
                let base = base.expect("dynamic_update_slice makes an array");
                let (x, update) = (eqn.inputs[0], eqn.inputs[1]);
                let out_shape = self.shape(out);
                let update_shape = self.shape(update);
                let starts = self.clamped_starts(&eqn.inputs[2..], out_shape, update_shape);
                self.store_nest(out, base, |s, index| s.element(x, index))?;
                self.each(update_shape, Vec::new(), &mut |s, index, _| {
                    let e = s.element(update, index)?;
                    let to: Vec<Value> = index
                        .iter()
                        .zip(&starts)
                        .map(|(&i, &st)| s.l.b.binary(BinOp::Add, i, st))
                        .collect();
                    let o = s.offset(&to, out_shape);
                    s.l.b.store(base, o, e);
                    Ok(Vec::new())
                })?;
            }
            op => return Err(LowerError::ArrayOp(op.name())),
        }
        if let Some(base) = base {
            self.bases[out.index()] = Some(base);
        }
        Ok(())
    }

    /// A reduction of `x` over `axes`: stored at `base`, or returned when
    /// the result is a scalar.
    fn reduce(
        &mut self,
        kind: ReduceKind,
        axes: &[usize],
        x: ValueId,
        out: ValueId,
        base: Option<Value>,
    ) -> Result<Option<Value>, LowerError> {
        let dtype = self.dtype(x);
        let (kept, reduced) = split_axes(self.shape(x), axes);
        let out_shape = self.shape(out);
        let identity = kind.identity(dtype).to_slot();
        let combine = kind.combine_op();
        let m: usize = reduced.iter().product();
        if let Some(total) = self.vector_reduce(kind, axes, x, out, base)? {
            return Ok(total);
        }
        if dtype.is_float()
            && matches!(kind, ReduceKind::Sum | ReduceKind::Prod)
            && m >= reduction_stripes(dtype)
        {
            return self.striped_reduce(kind, axes, x, out, base);
        }
        let mut total = None;
        self.each(&kept, Vec::new(), &mut |s, kept_index, _| {
            let start = s.l.b.const_bits(mir_ty(dtype), identity);
            let acc = s.each(&reduced, vec![start], &mut |s, reduced_index, acc| {
                let at = merge_axes(kept_index, reduced_index, axes);
                let e = s.element(x, &at)?;
                Ok(vec![s.l.op(&combine, dtype, &[acc[0], e])?])
            })?;
            match base {
                Some(base) => {
                    let o = s.offset(kept_index, out_shape);
                    s.l.b.store(base, o, acc[0]);
                }
                None => total = Some(acc[0]),
            }
            Ok(Vec::new())
        })?;
        Ok(total)
    }

    /// A float sum or product of `m >= S` elements each, in the order
    /// `ReduceKind` defines, through a scratch buffer of `2S` elements:
    /// element `r` of a reduction goes to stripe `r % S` below `full`, and
    /// is kept at `S + r - full` above (one load, combine, select and store
    /// per element, no branch); then the stripes are halved and the kept
    /// tail combined in order.
    fn striped_reduce(
        &mut self,
        kind: ReduceKind,
        axes: &[usize],
        x: ValueId,
        out: ValueId,
        base: Option<Value>,
    ) -> Result<Option<Value>, LowerError> {
        let dtype = self.dtype(x);
        let ty = mir_ty(dtype);
        let (kept, reduced) = split_axes(self.shape(x), axes);
        let out_shape = self.shape(out);
        let identity = kind.identity(dtype).to_slot();
        let combine = kind.combine_op();
        let m: usize = reduced.iter().product();
        let stripes = reduction_stripes(dtype);
        let full = m - m % stripes;
        let buffer = self.scratch(2 * stripes * dtype.size_of());
        let mut total = None;
        self.each(&kept, Vec::new(), &mut |s, kept_index, _| {
            let start = s.l.b.const_bits(ty, identity);
            for k in 0..stripes {
                let k = s.constant(k);
                s.l.b.store(buffer, k, start);
            }
            let zero = s.constant(0);
            s.each(&reduced, vec![zero], &mut |s, reduced_index, r| {
                let r = r[0];
                let at = merge_axes(kept_index, reduced_index, axes);
                let e = s.element(x, &at)?;
                let (full_c, mask) = (s.constant(full), s.constant(stripes - 1));
                let (tail_from, one) = (s.constant(full - stripes), s.constant(1));
                let b = &mut s.l.b;
                let striped = b.cmp(CmpOp::Lt, r, full_c);
                let stripe = b.binary(BinOp::And, r, mask);
                let kept_at = b.binary(BinOp::Sub, r, tail_from);
                let at = b.select(striped, stripe, kept_at);
                let old = b.load(ty, buffer, at);
                let combined = s.l.op(&combine, dtype, &[old, e])?;
                let b = &mut s.l.b;
                let new = b.select(striped, combined, e);
                b.store(buffer, at, new);
                Ok(vec![b.binary(BinOp::Add, r, one)])
            })?;
            let mut lanes = Vec::with_capacity(stripes);
            for k in 0..stripes {
                let k = s.constant(k);
                lanes.push(s.l.b.load(ty, buffer, k));
            }
            let mut half = stripes / 2;
            while half >= 1 {
                for k in 0..half {
                    lanes[k] = s.l.op(&combine, dtype, &[lanes[k], lanes[k + half]])?;
                }
                half /= 2;
            }
            let mut acc = lanes[0];
            for t in 0..m - full {
                let at = s.constant(stripes + t);
                let e = s.l.b.load(ty, buffer, at);
                acc = s.l.op(&combine, dtype, &[acc, e])?;
            }
            total = s.store_total(base, kept_index, out_shape, acc).or(total);
            Ok(Vec::new())
        })?;
        Ok(total)
    }

    /// `argmax`/`argmin` of `x` along `axis` (of size >= 1): the first
    /// index of the best element, or of the first NaN, as the interpreter.
    fn arg_reduce(
        &mut self,
        max: bool,
        axis: usize,
        x: ValueId,
        out: ValueId,
        base: Option<Value>,
    ) -> Result<Option<Value>, LowerError> {
        let shape = self.shape(x);
        let n = shape[axis];
        let out_shape = self.shape(out);
        let out_ty = mir_ty(self.dtype(out));
        let float = self.dtype(x).is_float();
        let mut total = None;
        self.each(out_shape, Vec::new(), &mut |s, out_index, _| {
            let mut at = out_index.to_vec();
            at.insert(axis, s.constant(0));
            let first = s.element(x, &at)?;
            let zero = s.constant(0);
            let best = s.each(&[n - 1], vec![zero, first], &mut |s, k, best| {
                let (best_index, best_value) = (best[0], best[1]);
                let one = s.constant(1);
                let k = s.l.b.binary(BinOp::Add, k[0], one);
                let mut at = out_index.to_vec();
                at.insert(axis, k);
                let e = s.element(x, &at)?;
                let b = &mut s.l.b;
                let better = b.cmp(if max { CmpOp::Gt } else { CmpOp::Lt }, e, best_value);
                let take = if float {
                    let e_nan = b.cmp(CmpOp::Ne, e, e);
                    let best_nan = b.cmp(CmpOp::Ne, best_value, best_value);
                    let wins = b.binary(BinOp::Or, e_nan, better);
                    let open = b.unary(UnOp::Not, best_nan);
                    b.binary(BinOp::And, wins, open)
                } else {
                    better
                };
                Ok(vec![
                    b.select(take, k, best_index),
                    b.select(take, e, best_value),
                ])
            })?;
            let index = if out_ty == Ty::I64 {
                best[0]
            } else {
                s.l.b.convert(best[0], out_ty)
            };
            match base {
                Some(base) => {
                    let o = s.offset(out_index, out_shape);
                    s.l.b.store(base, o, index);
                }
                None => total = Some(index),
            }
            Ok(Vec::new())
        })?;
        Ok(total)
    }

    /// A float `dot_general` through `crate::dot`'s helper.
    fn matmul(
        &mut self,
        contracting: &(Vec<usize>, Vec<usize>),
        batch: &(Vec<usize>, Vec<usize>),
        eqn: &Eqn,
        base: Value,
    ) -> Result<(), LowerError> {
        let (lhs, rhs) = (eqn.inputs[0], eqn.inputs[1]);
        let (ls, rs) = (self.shape(lhs), self.shape(rhs));
        let lfree = dot_free_dims(ls.len(), &contracting.0, &batch.0);
        let rfree = dot_free_dims(rs.len(), &contracting.1, &batch.1);
        let size = |s: &[usize], dims: &[usize]| -> usize { dims.iter().map(|&d| s[d]).product() };
        let shape = MatmulShape {
            batch: size(ls, &batch.0),
            m: size(ls, &lfree),
            k: size(ls, &contracting.0),
            n: size(rs, &rfree),
            f64: self.dtype(eqn.outputs[0]) == DType::F64,
        };
        let l = self.gathered(lhs, &dot_order(&batch.0, &lfree, &contracting.0))?;
        let r = self.gathered(rhs, &dot_order(&batch.1, &contracting.1, &rfree))?;
        let data = Box::new(shape);
        let helper = Helper {
            name: "matmul",
            func: matmul_helper,
            data: &*data as *const MatmulShape as usize,
        };
        self.l.helper_data.push(HelperData::Dot(data));
        self.l.b.call(helper, &[l, r, base], &[]);
        Ok(())
    }

    /// A buffer holding `v` with its dimensions in the order `perm`,
    /// row-major: `v`'s own when it is materialised in that order already.
    fn gathered(&mut self, v: ValueId, perm: &[usize]) -> Result<Value, LowerError> {
        let identity = perm.iter().enumerate().all(|(k, &p)| k == p);
        if identity && let Some(base) = self.bases[v.index()] {
            return Ok(base);
        }
        let shape = self.shape(v);
        let permuted: Vec<usize> = perm.iter().map(|&p| shape[p]).collect();
        let elements: usize = permuted.iter().product();
        let base = self.scratch(elements * self.dtype(v).size_of());
        self.each(&permuted, Vec::new(), &mut |s, index, _| {
            let e = s.element(v, &unpermuted(index, perm))?;
            let o = s.offset(index, &permuted);
            s.l.b.store(base, o, e);
            Ok(Vec::new())
        })?;
        Ok(base)
    }

    /// An integer `dot_general`: sums of products in increasing order of
    /// the contracting index, wrapping, as the interpreter.
    fn integer_dot(
        &mut self,
        contracting: &(Vec<usize>, Vec<usize>),
        batch: &(Vec<usize>, Vec<usize>),
        eqn: &Eqn,
        base: Value,
    ) -> Result<(), LowerError> {
        let (lhs, rhs, out) = (eqn.inputs[0], eqn.inputs[1], eqn.outputs[0]);
        let (ls, rs) = (self.shape(lhs), self.shape(rhs));
        let lfree = dot_free_dims(ls.len(), &contracting.0, &batch.0);
        let rfree = dot_free_dims(rs.len(), &contracting.1, &batch.1);
        let sizes: Vec<usize> = contracting.0.iter().map(|&k| ls[k]).collect();
        let lorder = dot_order(&batch.0, &lfree, &contracting.0);
        let rorder = dot_order(&batch.1, &contracting.1, &rfree);
        let dtype = self.dtype(out);
        let out_shape = self.shape(out);
        self.each(out_shape, Vec::new(), &mut |s, o, _| {
            let (b, rest) = o.split_at(batch.0.len());
            let (lf, rf) = rest.split_at(lfree.len());
            let zero = s.l.b.const_bits(mir_ty(dtype), 0);
            let acc = s.each(&sizes, vec![zero], &mut |s, c, acc| {
                // The operands' indices from (batch, free, contracting).
                let li: Vec<Value> = b.iter().chain(lf).chain(c).copied().collect();
                let ri: Vec<Value> = b.iter().chain(c).chain(rf).copied().collect();
                let x = s.element(lhs, &unpermuted(&li, &lorder))?;
                let y = s.element(rhs, &unpermuted(&ri, &rorder))?;
                let p = s.l.op(&Op::Mul, dtype, &[x, y])?;
                Ok(vec![s.l.op(&Op::Add, dtype, &[acc[0], p])?])
            })?;
            let at = s.offset(o, out_shape);
            s.l.b.store(base, at, acc[0]);
            Ok(Vec::new())
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::dtype::{DType, Ty};
    use crate::ir::{AVal, Graph, Op, ValueId};

    fn f32s(shape: &[usize]) -> AVal {
        AVal {
            ty: Ty {
                dtype: DType::F32,
                weak: false,
            },
            shape: shape.to_vec(),
        }
    }

    /// `x @ w` for `x` f32[m, k], `w` f32[k, n].
    fn product(g: &mut Graph, x: ValueId, w: ValueId, m: usize, n: usize) -> ValueId {
        let op = Op::DotGeneral {
            contracting: (vec![1], vec![0]),
            batch: (vec![], vec![]),
        };
        g.push_eqn(op, vec![x, w], vec![f32s(&[m, n])])[0]
    }

    /// `tanh(x @ w + b)`, and `x @ w` itself as a second result when
    /// `keep_product`.
    fn dense(m: usize, k: usize, n: usize, keep_product: bool) -> Graph {
        let mut g = Graph::default();
        let x = g.add_input(f32s(&[m, k]));
        let w = g.add_input(f32s(&[k, n]));
        let b = g.add_input(f32s(&[n]));
        let p = product(&mut g, x, w, m, n);
        let bias = Op::BroadcastInDim {
            shape: vec![m, n],
            broadcast_dimensions: vec![1],
        };
        let bb = g.push_eqn(bias, vec![b], vec![f32s(&[m, n])])[0];
        let sum = g.push_eqn(Op::Add, vec![p, bb], vec![f32s(&[m, n])])[0];
        let t = g.push_eqn(Op::Tanh, vec![sum], vec![f32s(&[m, n])])[0];
        g.body.results.push(t);
        if keep_product {
            g.body.results.push(p);
        }
        g
    }

    fn scratch_bytes(g: &Graph) -> usize {
        crate::lower::lower(g, "dense")
            .expect("lowers")
            .scratch_bytes
    }

    #[test]
    fn a_dense_layer_computes_its_product_in_the_result() {
        assert_eq!(scratch_bytes(&dense(8, 5, 3, false)), 0);
        // The product is a result itself: its own buffer, none in scratch.
        assert_eq!(scratch_bytes(&dense(8, 5, 3, true)), 0);
    }

    #[test]
    fn one_product_per_buffer() {
        // `tanh(x @ w + x @ v)`: the first product in the result, the
        // second in scratch (in the result it would overwrite the first).
        let (m, k, n) = (4, 6, 5);
        let mut g = Graph::default();
        let x = g.add_input(f32s(&[m, k]));
        let w = g.add_input(f32s(&[k, n]));
        let v = g.add_input(f32s(&[k, n]));
        let p = product(&mut g, x, w, m, n);
        let q = product(&mut g, x, v, m, n);
        let sum = g.push_eqn(Op::Add, vec![p, q], vec![f32s(&[m, n])])[0];
        let t = g.push_eqn(Op::Tanh, vec![sum], vec![f32s(&[m, n])])[0];
        g.body.results.push(t);
        assert_eq!(scratch_bytes(&g), m * n * 4);
    }

    #[test]
    fn a_product_read_twice_keeps_its_buffer() {
        // `tanh(p) + p`: `p` is read by two equations, so its elements
        // are needed after the result's are written.
        let (m, k, n) = (3, 2, 4);
        let mut g = Graph::default();
        let x = g.add_input(f32s(&[m, k]));
        let w = g.add_input(f32s(&[k, n]));
        let p = product(&mut g, x, w, m, n);
        let t = g.push_eqn(Op::Tanh, vec![p], vec![f32s(&[m, n])])[0];
        let r = g.push_eqn(Op::Add, vec![t, p], vec![f32s(&[m, n])])[0];
        g.body.results.push(r);
        assert_eq!(scratch_bytes(&g), m * n * 4);
    }
}
