//! Store nests and reductions whose innermost loop runs on vectors.
//!
//! A root that is a chain of fused elementwise ops materialised into a
//! buffer (the in-place pass of a dense layer included), a copy into a
//! result's buffer, or a float reduction whose reduced elements are the
//! inner dimension (`Nests::vector_reduce`, which says how the order of a
//! sum is kept), runs its innermost loop over vectors when its dtype
//! `F` is a float with a vector type ([`vector_type`]) and every value its
//! elements are computed from is, along the innermost dimension of size
//! greater than 1 (the *inner* dimension, of `n` elements):
//! - *lanes*: an elementwise op with a lanewise form on vectors of `F`
//!   (`kernel::lanewise`, the kernel's vector loop's test), or an element
//!   of `F` loaded from a buffer where consecutive inner indices are
//!   consecutive elements (stride 1), through any index maps that keep
//!   them so (`broadcast_in_dim`, `slice`, `dynamic_slice`, `squeeze`,
//!   `reshape` of size-1 dimensions, a `transpose` that leaves the inner
//!   dimension last in the buffer);
//! - a *mask*: a comparison of lanes, read only as `select_n`'s predicate;
//! - *invariant*: the same element at every inner index (a scalar, or a
//!   value broadcast along the inner dimension, whatever computes it).
//!
//! Anything else (a transposed or strided read, an `iota` along the inner
//! dimension, an op with no lanewise form on a varying operand) leaves the
//! nest to the scalar lowering, unchanged.
//!
//! At each index of the outer dimensions: the invariant values are
//! computed once with the scalar lowering and splat, each buffer read
//! gets a row pointer (its address at inner index 0), then a loop over
//! `floor(n / lanes)` vectors (several per iteration when the body has no
//! transcendental function) whose counter is the byte offset added to
//! each row pointer, the whole vectors left over after the last iteration
//! straight-line, and the `n % lanes` last elements with the scalar
//! lowering. Constants of transcendental functions are made in front of
//! the loop (`Lowering::vector_hoist`).
//!
//! The bits are the scalar nest's: lanewise ops compute each lane as the
//! scalar op computes that element, and transcendental functions run the
//! same `math` algorithm on vectors. A vector load or store covers the
//! elements of `lanes` consecutive inner indices below `n`, which the
//! scalar nest reads and writes too, so nothing outside a buffer is
//! touched. A buffer the nest both reads and writes (a dense layer's
//! product, `in_place_targets`) is read at the element it writes only,
//! and each vector is loaded before it is stored over.

use super::Nests;
use crate::dtype::DType;
use crate::ir::{Eqn, Op, ReduceKind, ValueId, reduction_stripes};
use crate::lower::kernel::lanewise;
use crate::lower::{LowerError, mir_ty};
use crate::mir::{BinOp, Ty, Value};
use std::collections::HashMap;

/// Vectors per iteration of a loop with no transcendental function.
const UNROLL: usize = 4;

/// The vector type nests compute elements of `dtype` in, if any: the one
/// place that chooses it, the widest the target has (`bits`, the
/// lowering's `vector_bits`: 256 with AVX2 at the native level, else 128).
pub(super) fn vector_type(dtype: DType, bits: u32) -> Option<Ty> {
    if !dtype.is_float() {
        return None;
    }
    Ty::vector_of_width(mir_ty(dtype), bits)
}

/// How a value varies along the inner dimension.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Along {
    /// The same element at every inner index.
    Invariant,
    /// One element of the lane dtype per inner index.
    Lanes,
    /// A comparison's result per inner index.
    Mask,
}

/// One value of a vector iteration, in the order they are computed.
enum Node<'g> {
    /// An invariant value, splat before the loop.
    Splat(Value),
    /// Consecutive elements from a row pointer (the address of inner
    /// index 0).
    Load(Value),
    /// An elementwise op on earlier nodes.
    Op(&'g Eqn, Vec<usize>),
}

/// The values of a vector iteration and where each graph value at an
/// index is among them.
#[derive(Default)]
struct Dag<'g> {
    nodes: Vec<Node<'g>>,
    seen: HashMap<(ValueId, Vec<Value>), usize>,
}

impl<'a, 'g> Nests<'a, 'g> {
    /// `store_nest` of `v` into `base` with its innermost loop on vectors,
    /// when it qualifies (see the module doc); `false`, and nothing
    /// emitted, when it does not.
    pub(super) fn vector_store_nest(
        &mut self,
        v: ValueId,
        base: Value,
    ) -> Result<bool, LowerError> {
        let shape = self.shape(v);
        let lane = self.dtype(v);
        let Some(vty) = vector_type(lane, self.l.vector_bits()) else {
            return Ok(false);
        };
        let Some(inner) = shape.iter().rposition(|&d| d != 1) else {
            return Ok(false);
        };
        let n = shape[inner];
        let lanes = vty.lanes() as usize;
        if shape.contains(&0) || n < lanes {
            return Ok(false);
        }
        let mut long = false;
        match self.along(v, Some(inner), lane, &mut long) {
            Some(Along::Lanes | Along::Invariant) => {}
            _ => return Ok(false),
        }
        let size = lane.size_of();
        let vector_bytes = lanes * size;
        let vectors = n / lanes;
        let unroll = if long { 1 } else { UNROLL.min(vectors) };
        let iterations = vectors / unroll;
        self.each(&shape[..inner], Vec::new(), &mut |s, outer, _| {
            let mut index = outer.to_vec();
            let zero = s.constant(0);
            index.resize(shape.len(), zero);
            let mut dag = Dag::default();
            let root = s.vector_dag(v, &index, Some(inner), vty, &mut dag)?;
            let out_row = s.address(base, &index, shape, size);
            s.l.vector_hoist = Some(s.l.b.current_block());
            s.counted_loop(
                iterations * unroll * vector_bytes,
                unroll * vector_bytes,
                Vec::new(),
                &mut |s, at, _| {
                    s.vector_iteration(&dag, root, at, out_row, unroll, vty)?;
                    Ok(Vec::new())
                },
            )?;
            // The whole vectors left over, from pointers past the loop's
            // (a vector's offset stays small: AArch64 reaches 65520 bytes).
            let looped = iterations * unroll;
            if looped < vectors {
                let at = s.constant(looped * vector_bytes);
                let count = vectors - looped;
                s.vector_iteration(&dag, root, at, out_row, count, vty)?;
            }
            s.l.vector_hoist = None;
            s.l.vector_constants.clear();
            for t in vectors * lanes..n {
                index[inner] = s.constant(t);
                let e = s.element(v, &index)?;
                let at = s.offset(&index, shape);
                s.l.b.store(base, at, e);
            }
            Ok(Vec::new())
        })?;
        Ok(true)
    }

    /// How `v`'s element at an index varies with the inner index, which
    /// is component `inner` of that index (`None`: no component); `None`
    /// when the vector loop cannot compute it. Sets `long` when a
    /// transcendental function is computed on vectors.
    fn along(
        &self,
        v: ValueId,
        inner: Option<usize>,
        lane: DType,
        long: &mut bool,
    ) -> Option<Along> {
        let shape = self.shape(v);
        // `element` reads a dimension of size 1 at index 0.
        let Some(d) = inner.filter(|&d| !shape.is_empty() && shape[d] != 1) else {
            return Some(Along::Invariant);
        };
        let contiguous = |shape: &[usize]| shape[d + 1..].iter().all(|&s| s == 1);
        if self.bases[v.index()].is_some() {
            return (contiguous(shape) && self.dtype(v) == lane).then_some(Along::Lanes);
        }
        let eqn = &self.plan.region.eqns[self.plan.producer[v.index()]?];
        let x = eqn.inputs.first().copied();
        match &eqn.op {
            op if op.is_elementwise() => {
                let classes = eqn
                    .inputs
                    .iter()
                    .map(|&x| self.along(x, inner, lane, long))
                    .collect::<Option<Vec<_>>>()?;
                if classes.iter().all(|&c| c == Along::Invariant) {
                    return Some(Along::Invariant);
                }
                if !lanewise(op, lane) {
                    return None;
                }
                let operands_ok =
                    classes
                        .iter()
                        .zip(&eqn.inputs)
                        .enumerate()
                        .all(|(k, (&c, &x))| match c {
                            Along::Mask => *op == Op::Select && k == 0,
                            _ if *op == Op::Select && k == 0 => false,
                            Along::Lanes => true,
                            Along::Invariant => self.dtype(x) == lane,
                        });
                *long |= op.is_transcendental();
                if !operands_ok {
                    None
                } else if op.is_comparison() {
                    Some(Along::Mask)
                } else {
                    (self.dtype(v) == lane).then_some(Along::Lanes)
                }
            }
            Op::Squeeze { .. } | Op::Reshape { .. } if self.bases[x?.index()].is_some() => {
                // Read from the operand's buffer at the result's offset.
                (contiguous(shape) && self.dtype(v) == lane).then_some(Along::Lanes)
            }
            Op::BroadcastInDim { .. }
            | Op::Transpose { .. }
            | Op::Slice { .. }
            | Op::DynamicSlice { .. }
            | Op::Squeeze { .. }
            | Op::Reshape { .. } => self.along(x?, operand_inner(self, eqn, d), lane, long),
            _ => None,
        }
    }

    /// The node of `v`'s elements at `index` (component `inner` the inner
    /// index, at 0) in `dag`, adding it and the nodes it reads: invariant
    /// values computed and splat now, row pointers computed now. `v` is
    /// one [`Nests::along`] accepted.
    fn vector_dag(
        &mut self,
        v: ValueId,
        index: &[Value],
        inner: Option<usize>,
        vty: Ty,
        dag: &mut Dag<'g>,
    ) -> Result<usize, LowerError> {
        let shape = self.shape(v);
        let inner = inner.filter(|&d| !shape.is_empty() && shape[d] != 1);
        let zero = self.constant(0);
        let index: Vec<Value> = shape
            .iter()
            .zip(index)
            .map(|(&d, &i)| if d == 1 { zero } else { i })
            .collect();
        let key = (v, index.clone());
        if let Some(&k) = dag.seen.get(&key) {
            return Ok(k);
        }
        let size = self.dtype(v).size_of();
        let lane = self.dtype(v);
        let invariant =
            inner.is_none() || self.along(v, inner, lane, &mut false) == Some(Along::Invariant);
        let node = match inner {
            _ if invariant => {
                let e = self.element(v, &index)?;
                Node::Splat(self.l.b.splat(vty, e))
            }
            _ if let Some(base) = self.bases[v.index()] => {
                Node::Load(self.address(base, &index, shape, size))
            }
            inner => {
                let d = inner.expect("a varying value");
                let producer = self.plan.producer[v.index()].expect("a fused value");
                let eqn: &'g Eqn = &self.plan.region.eqns[producer];
                let x = eqn.inputs[0];
                match &eqn.op {
                    op if op.is_elementwise() => {
                        let args = eqn
                            .inputs
                            .iter()
                            .map(|&x| self.vector_dag(x, &index, inner, vty, dag))
                            .collect::<Result<Vec<_>, _>>()?;
                        Node::Op(eqn, args)
                    }
                    Op::Squeeze { .. } | Op::Reshape { .. }
                        if let Some(base) = self.bases[x.index()] =>
                    {
                        Node::Load(self.address(base, &index, shape, size))
                    }
                    _ => {
                        let at = self.operand_index(eqn, &index);
                        let k = self.vector_dag(x, &at, operand_inner(self, eqn, d), vty, dag)?;
                        dag.seen.insert(key, k);
                        return Ok(k);
                    }
                }
            }
        };
        dag.nodes.push(node);
        let k = dag.nodes.len() - 1;
        dag.seen.insert(key, k);
        Ok(k)
    }

    /// The address of the element at `index` of the buffer `base` of a
    /// value of `shape` with elements of `size` bytes.
    fn address(&mut self, base: Value, index: &[Value], shape: &[usize], size: usize) -> Value {
        let at = self.offset(index, shape);
        let size = self.constant(size);
        let bytes = self.l.b.binary(BinOp::Mul, at, size);
        self.l.b.binary(BinOp::Add, base, bytes)
    }

    /// `count` consecutive vectors of `dag`'s node `root`: the first at
    /// byte `at` from each row pointer, the next ones a vector further
    /// each (a constant offset from one pointer per row and call).
    fn vector_values(
        &mut self,
        dag: &Dag<'g>,
        root: usize,
        at: Value,
        count: usize,
        vty: Ty,
    ) -> Result<Vec<Value>, LowerError> {
        let lane = lane_dtype(vty);
        let vector_bytes = vty.lanes() as usize * lane.size_of();
        let mut pointers: HashMap<Value, Value> = HashMap::new();
        let mut roots = Vec::with_capacity(count);
        for k in 0..count {
            let offset = (k * vector_bytes) as u32;
            let mut values: Vec<Value> = Vec::with_capacity(dag.nodes.len());
            for node in &dag.nodes {
                let v = match node {
                    Node::Splat(v) => *v,
                    Node::Load(row) => {
                        let p = self.pointer(&mut pointers, *row, at);
                        self.l.b.vector_load(vty, p, offset)
                    }
                    Node::Op(eqn, args) => {
                        let args: Vec<Value> = args.iter().map(|&a| values[a]).collect();
                        if matches!(eqn.op, Op::Sin | Op::Cos | Op::Tan) {
                            self.l.vector_trig(&[&eqn.op], lane, args[0])?[0]
                        } else if eqn.op.is_transcendental() {
                            self.l.vector_math(&eqn.op, lane, args[0])?
                        } else {
                            self.l.elementwise(eqn, &args)?
                        }
                    }
                };
                values.push(v);
            }
            roots.push(values[root]);
        }
        Ok(roots)
    }

    /// `count` consecutive vectors of `dag`'s node `root` (see
    /// [`Nests::vector_values`]) stored at the same offsets from `out_row`.
    fn vector_iteration(
        &mut self,
        dag: &Dag<'g>,
        root: usize,
        at: Value,
        out_row: Value,
        count: usize,
        vty: Ty,
    ) -> Result<(), LowerError> {
        let vector_bytes = vty.lanes() as usize * lane_dtype(vty).size_of();
        let values = self.vector_values(dag, root, at, count, vty)?;
        let p = self.pointer(&mut HashMap::new(), out_row, at);
        for (k, v) in values.into_iter().enumerate() {
            self.l.b.vector_store(p, (k * vector_bytes) as u32, v);
        }
        Ok(())
    }

    /// `row + at`, made once per call in `made`.
    fn pointer(&mut self, made: &mut HashMap<Value, Value>, row: Value, at: Value) -> Value {
        *made
            .entry(row)
            .or_insert_with(|| self.l.b.binary(BinOp::Add, row, at))
    }

    /// A float reduction of `x` whose reduced elements are its inner
    /// dimension (every other reduced axis of size 1) on vectors, when `x`
    /// qualifies as a store nest's elements do; `None`, and nothing
    /// emitted, when it does not. Stored at `base`, or the total returned
    /// (`Some(Some(total))`) when the result is a scalar.
    ///
    /// A sum or product of `m >= S` (`reduction_stripes`) elements is
    /// `ReduceKind`'s order: `S / lanes` vector accumulators are the `S`
    /// stripes (vector `j`, lane `l` is stripe `j * lanes + l`), fed a
    /// stripe set per iteration, or one vector per iteration with the
    /// accumulators rotated when a transcendental function makes the body
    /// long, as the kernel's vector loop does; then halved vector by
    /// vector and lane by lane (`reduce_lanes`), and the `m % S` last
    /// elements combined in order with the scalar lowering. `max` and
    /// `min` are exact in any order (IEEE `maximum`/`minimum`: NaN if any
    /// is, `-0.0` below `+0.0`): a few vector accumulators, whole vectors
    /// left over, then the last `m % lanes` elements.
    pub(super) fn vector_reduce(
        &mut self,
        kind: ReduceKind,
        axes: &[usize],
        x: ValueId,
        out: ValueId,
        base: Option<Value>,
    ) -> Result<Option<Option<Value>>, LowerError> {
        let shape = self.shape(x);
        let lane = self.dtype(x);
        let Some(vty) = vector_type(lane, self.l.vector_bits()) else {
            return Ok(None);
        };
        let Some(inner) = shape.iter().rposition(|&d| d != 1) else {
            return Ok(None);
        };
        let striped = matches!(kind, ReduceKind::Sum | ReduceKind::Prod);
        let m = shape[inner];
        let lanes = vty.lanes() as usize;
        let stripes = reduction_stripes(lane);
        let only_inner = axes.contains(&inner)
            && axes.iter().all(|&a| a == inner || shape[a] == 1)
            && self.dtype(out) == lane;
        let long_enough = if striped { m >= stripes } else { m >= lanes };
        if !only_inner
            || !long_enough
            || !matches!(
                kind,
                ReduceKind::Sum | ReduceKind::Prod | ReduceKind::Max | ReduceKind::Min
            )
        {
            return Ok(None);
        }
        let mut long = false;
        match self.along(x, Some(inner), lane, &mut long) {
            Some(Along::Lanes | Along::Invariant) => {}
            _ => return Ok(None),
        }
        let vector_bytes = lanes * lane.size_of();
        let chunks = stripes / lanes;
        let (accumulators, unroll, looped) = if striped {
            let full = m - m % stripes;
            let unroll = if long { 1 } else { chunks };
            (chunks, unroll, full / lanes)
        } else {
            let vectors = m / lanes;
            let unroll = if long { 1 } else { UNROLL.min(vectors) };
            (unroll, unroll, vectors - vectors % unroll)
        };
        let done = if striped {
            looped * lanes
        } else {
            m - m % lanes
        };
        let combine = kind.combine_op();
        let identity = kind.identity(lane).to_slot();
        let (kept, _) = super::split_axes(shape, axes);
        let out_shape = self.shape(out);
        let mut total = None;
        self.each(&kept, Vec::new(), &mut |s, kept_index, _| {
            let zeros: Vec<Value> = axes.iter().map(|_| s.constant(0)).collect();
            let mut index = super::merge_axes(kept_index, &zeros, axes);
            let mut dag = Dag::default();
            let root = s.vector_dag(x, &index, Some(inner), vty, &mut dag)?;
            let start = s.l.b.const_bits(mir_ty(lane), identity);
            let start = s.l.b.splat(vty, start);
            s.l.vector_hoist = Some(s.l.b.current_block());
            let mut accs = s.counted_loop(
                looped * vector_bytes,
                unroll * vector_bytes,
                vec![start; accumulators],
                &mut |s, at, mut accs| {
                    let values = s.vector_values(&dag, root, at, unroll, vty)?;
                    for (acc, v) in accs.iter_mut().zip(values) {
                        *acc = s.l.op(&combine, lane, &[*acc, v])?;
                    }
                    accs.rotate_left(unroll % accumulators);
                    Ok(accs)
                },
            )?;
            if looped < done / lanes {
                // From pointers past the loop's, as in `vector_store_nest`.
                let at = s.constant(looped * vector_bytes);
                let count = done / lanes - looped;
                for v in s.vector_values(&dag, root, at, count, vty)? {
                    accs[0] = s.l.op(&combine, lane, &[accs[0], v])?;
                }
            }
            s.l.vector_hoist = None;
            s.l.vector_constants.clear();
            if striped {
                // The stripes halved pairwise, `ReduceKind`'s order.
                let mut half = accumulators / 2;
                while half >= 1 {
                    for j in 0..half {
                        accs[j] = s.l.op(&combine, lane, &[accs[j], accs[j + half]])?;
                    }
                    half /= 2;
                }
            } else {
                for j in 1..accumulators {
                    accs[0] = s.l.op(&combine, lane, &[accs[0], accs[j]])?;
                }
            }
            let op = match kind {
                ReduceKind::Sum => BinOp::Add,
                ReduceKind::Prod => BinOp::Mul,
                ReduceKind::Max => BinOp::Max,
                _ => BinOp::Min,
            };
            let mut acc = s.l.b.reduce_lanes(op, accs[0]);
            if done < m {
                let from = s.constant(done);
                acc = s.counted_loop(m - done, 1, vec![acc], &mut |s, r, acc| {
                    index[inner] = s.l.b.binary(BinOp::Add, r, from);
                    let e = s.element(x, &index)?;
                    Ok(vec![s.l.op(&combine, lane, &[acc[0], e])?])
                })?[0];
            }
            total = s.store_total(base, kept_index, out_shape, acc).or(total);
            Ok(Vec::new())
        })?;
        Ok(Some(total))
    }
}

/// The dtype of the lanes of the float vector type `vty`.
fn lane_dtype(vty: Ty) -> DType {
    if vty.lane() == Ty::F64 {
        DType::F64
    } else {
        DType::F32
    }
}

/// The component of `eqn`'s operand index that is component `d` of its
/// output index (see [`Nests::operand_index`]), if any.
fn operand_inner(s: &Nests<'_, '_>, eqn: &Eqn, d: usize) -> Option<usize> {
    let from = s.shape(eqn.inputs[0]);
    match &eqn.op {
        Op::BroadcastInDim {
            broadcast_dimensions,
            ..
        } => broadcast_dimensions
            .iter()
            .position(|&b| b == d)
            .filter(|&k| from[k] != 1),
        Op::Transpose { permutation } => Some(permutation[d]),
        Op::Slice { .. } | Op::DynamicSlice { .. } => Some(d),
        Op::Squeeze { .. } | Op::Reshape { .. } => {
            // The same dimensions of size > 1, in order.
            let out = s.shape(eqn.outputs[0]);
            let j = out[..d].iter().filter(|&&k| k != 1).count();
            (0..from.len()).filter(|&k| from[k] != 1).nth(j)
        }
        _ => None,
    }
}
