//! Random array programs whose arrays have several shapes (the loop-nest
//! lowering, `lower/nest.rs`), compiled natively and checked against the
//! reference interpreter bit for bit (any NaN equals any NaN; same dtype
//! and shape).
//!
//! Programs are built top-down: a value of a wanted dtype and shape (rank
//! 0 to 3, dimensions of size 0 and 1 included) is an input, a literal, a
//! value computed before (so values are read twice and get materialised),
//! or the result of a random op producing that shape from operands built
//! the same way:
//! - elementwise ops (unary, binary, comparisons, `select_n`, `clamp`,
//!   conversions) whose operands broadcast: scalars, size-1 dimensions, and
//!   `broadcast_in_dim` from lower ranks (`[2,3] + [3]`-style);
//! - `reduce_{sum,max,min,prod}` (`and`/`or`/`max`/`min` on `bool`) over
//!   random sets of axes, all axes included, and softmax-like chains
//!   (`exp(x - max)` broadcast back, divided by the broadcast sum);
//! - `transpose` with random permutations, `reshape` (moving size-1
//!   dimensions only, or moving elements between dimensions), `squeeze`,
//!   `slice` with random static bounds, `iota` of every dtype,
//!   `concatenate` along a random axis, `argmax`/`argmin` along a random
//!   axis (floats with NaN and ties, integers);
//! - `dynamic_slice` and `dynamic_update_slice` with `i32`, `u32` and `i64`
//!   starts, literal, passed in or computed, negative and past the end
//!   (clamped);
//! - `dot_general` in `f32`, `f64`, `i32`, `i64`, `u32`: vector·vector,
//!   matrix·vector, matrix·matrix, batched, and random contracting and
//!   batch dimensions in any positions;
//! - `scan` (`lower/nest/control.rs`), producing the wanted value as a
//!   final carry or as stacked `ys`: trip counts 0, 1, small and about
//!   20; 1 to 3 carries (and sometimes a step counter `i + 1` the body
//!   can index with), 0 to 2 consts, 0 to 2 `xs` and 0 to 3 `ys`,
//!   scalars and arrays of every dtype; consts, `xs`, `ys` and other
//!   carries often of a carry's type, so that values pass through
//!   (`y = carry`, `carry = x`, carries swapped). The operands are outer
//!   values; the body (a closed region sharing the graph's arena) is
//!   built by the same generator from the body's inputs (used as they
//!   are, converted, broadcast, or reduced and broadcast) with every op
//!   above, and may hold a `scan` itself. The other outputs of a `scan`
//!   are read by later equations or returned. A second test returns a
//!   `scan` whose body returns a `scan`'s output (nested loops, each of
//!   trip count 0 to ~20).
//!
//! Leaves are inputs, literals, broadcast scalars, `iota`s and array
//! constants (in a `scan` body, which has no inputs of its own to add,
//! literals stand for inputs). Every generated graph's shapes are checked
//! against the ops' rules (`infer` below) and the graph against
//! `jit::internals::ir::verify`. Inputs draw from edge values (NaN,
//! infinities, -0.0, MIN, MAX) and from small palettes that make ties.
//! `JIT_TEST_SEED` (a number) draws other programs than the default ones.
//!
//! The tests at the end of this file are the generator's past findings,
//! shrunk: `slice`, `dynamic_slice` and `iota` values read along a size-1
//! dimension an elementwise op broadcasts; arrays orphaned by `cse`;
//! rank-0 `dynamic_update_slice`, `dot_general` and `broadcast_in_dim`;
//! array constants in one-shape kernels. `clamp` is generated on integers
//! only, as tracing makes it only for indices (floats clamp with
//! `max`/`min`).

use jit::DType;
use jit::dtype::Ty;
use jit::internals::interp;
use jit::internals::ir::{AVal, Eqn, Graph, Op, ReduceKind, Region, ValueDef, ValueId};
use jit::internals::pipeline::compile_graph;
use jit::internals::value::Value;
use jit::scalar::Scalar;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;

#[path = "support/mod.rs"]
mod support;
use support::same;
use support::scaled;

const PROGRAMS: usize = 1500;

/// Past this many equations, operands are leaves.
const MAX_EQNS: usize = 40;

/// Past this many equations in a `scan` body, operands are leaves.
const MAX_BODY_EQNS: usize = 14;

/// How deep `scan`s nest (a body's scan is at depth 2).
const MAX_NESTING: usize = 2;

fn aval(dtype: DType, shape: &[usize]) -> AVal {
    AVal {
        ty: Ty::strong(dtype),
        shape: shape.to_vec(),
    }
}

/// The abstract value of `op(inputs)` by the op's shape rules, panicking on
/// operands that break them.
fn infer(g: &Graph, op: &Op, inputs: &[ValueId]) -> AVal {
    let shapes: Vec<&[usize]> = inputs.iter().map(|&v| &g.aval(v).shape[..]).collect();
    let dtypes: Vec<DType> = inputs.iter().map(|&v| g.aval(v).ty.dtype).collect();
    let increasing = |v: &[usize]| v.windows(2).all(|w| w[0] < w[1]);
    let start_ok = |v: &ValueId| {
        g.aval(*v).shape.is_empty()
            && matches!(g.aval(*v).ty.dtype, DType::I32 | DType::U32 | DType::I64)
    };
    match op {
        op if op.is_elementwise() => {
            let rank = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
            let mut out = vec![1; rank];
            for s in shapes.iter().filter(|s| !s.is_empty()) {
                assert_eq!(s.len(), rank, "{} operands of one rank", op.name());
                for (o, &d) in out.iter_mut().zip(s.iter()) {
                    if d != 1 {
                        assert!(*o == 1 || *o == d, "{} operand dims", op.name());
                        *o = d;
                    }
                }
            }
            let dtype = match op {
                Op::Convert { new_dtype, .. } => *new_dtype,
                Op::Select => {
                    assert_eq!(dtypes[0], DType::Bool);
                    assert_eq!(dtypes[1], dtypes[2]);
                    dtypes[1]
                }
                Op::Clamp => {
                    assert!(dtypes[0] == dtypes[1] && dtypes[1] == dtypes[2]);
                    dtypes[1]
                }
                op if op.is_comparison() => DType::Bool,
                _ => dtypes[0],
            };
            aval(dtype, &out)
        }
        Op::BroadcastInDim {
            shape,
            broadcast_dimensions: bd,
        } => {
            assert_eq!(bd.len(), shapes[0].len());
            assert!(increasing(bd) && bd.iter().all(|&d| d < shape.len()));
            for (k, &d) in bd.iter().enumerate() {
                assert!(shapes[0][k] == 1 || shapes[0][k] == shape[d]);
            }
            aval(dtypes[0], shape)
        }
        Op::Reshape { new_sizes } => {
            let size = |s: &[usize]| s.iter().product::<usize>();
            assert_eq!(size(shapes[0]), size(new_sizes));
            aval(dtypes[0], new_sizes)
        }
        Op::Transpose { permutation } => {
            let mut sorted = permutation.clone();
            sorted.sort();
            assert_eq!(sorted, (0..shapes[0].len()).collect::<Vec<_>>());
            let out: Vec<usize> = permutation.iter().map(|&p| shapes[0][p]).collect();
            aval(dtypes[0], &out)
        }
        Op::Reduce { kind, axes } => {
            assert!(increasing(axes) && axes.iter().all(|&a| a < shapes[0].len()));
            assert!(
                dtypes[0] != DType::Bool || !matches!(kind, ReduceKind::Sum | ReduceKind::Prod)
            );
            let out: Vec<usize> = (0..shapes[0].len())
                .filter(|k| !axes.contains(k))
                .map(|k| shapes[0][k])
                .collect();
            aval(dtypes[0], &out)
        }
        Op::ArgReduce {
            axis, index_dtype, ..
        } => {
            assert!(shapes[0][*axis] > 0, "argmax along a dimension of size 0");
            let mut out = shapes[0].to_vec();
            out.remove(*axis);
            aval(*index_dtype, &out)
        }
        Op::DotGeneral { contracting, batch } => {
            assert_eq!(dtypes[0], dtypes[1]);
            let (l, r) = (shapes[0], shapes[1]);
            assert_eq!(contracting.0.len(), contracting.1.len());
            assert_eq!(batch.0.len(), batch.1.len());
            for (a, b) in contracting.0.iter().zip(&contracting.1) {
                assert_eq!(l[*a], r[*b], "contracting sizes");
            }
            let mut out: Vec<usize> = Vec::new();
            for (a, b) in batch.0.iter().zip(&batch.1) {
                assert_eq!(l[*a], r[*b], "batch sizes");
                out.push(l[*a]);
            }
            for (s, c, b) in [(l, &contracting.0, &batch.0), (r, &contracting.1, &batch.1)] {
                let mut used: Vec<usize> = c.iter().chain(b).copied().collect();
                used.sort();
                used.dedup();
                assert_eq!(used.len(), c.len() + b.len(), "dims used once");
                out.extend((0..s.len()).filter(|k| !used.contains(k)).map(|k| s[k]));
            }
            aval(dtypes[0], &out)
        }
        Op::Iota {
            dtype,
            shape,
            dimension,
        } => {
            assert!(inputs.is_empty() && *dimension < shape.len());
            aval(*dtype, shape)
        }
        Op::Slice {
            start_indices,
            limit_indices,
        } => {
            let s = shapes[0];
            assert!(start_indices.len() == s.len() && limit_indices.len() == s.len());
            let out: Vec<usize> = (0..s.len())
                .map(|k| {
                    assert!(start_indices[k] <= limit_indices[k] && limit_indices[k] <= s[k]);
                    limit_indices[k] - start_indices[k]
                })
                .collect();
            aval(dtypes[0], &out)
        }
        Op::Squeeze { dimensions } => {
            assert!(increasing(dimensions) && dimensions.iter().all(|&d| shapes[0][d] == 1));
            let out: Vec<usize> = (0..shapes[0].len())
                .filter(|k| !dimensions.contains(k))
                .map(|k| shapes[0][k])
                .collect();
            aval(dtypes[0], &out)
        }
        Op::Concatenate { dimension } => {
            let d = *dimension;
            let mut out = shapes[0].to_vec();
            assert!(d < out.len());
            out[d] = 0;
            for (s, &t) in shapes.iter().zip(&dtypes) {
                assert_eq!(t, dtypes[0]);
                assert_eq!(s.len(), out.len());
                assert!((0..s.len()).all(|k| k == d || s[k] == out[k]));
                out[d] += s[d];
            }
            aval(dtypes[0], &out)
        }
        Op::DynamicSlice { slice_sizes } => {
            assert_eq!(inputs.len(), 1 + shapes[0].len());
            assert!(inputs[1..].iter().all(start_ok));
            assert_eq!(slice_sizes.len(), shapes[0].len());
            assert!(slice_sizes.iter().zip(shapes[0]).all(|(a, b)| a <= b));
            aval(dtypes[0], slice_sizes)
        }
        Op::DynamicUpdateSlice => {
            assert_eq!(inputs.len(), 2 + shapes[0].len());
            assert!(inputs[2..].iter().all(start_ok));
            assert_eq!(dtypes[0], dtypes[1]);
            assert_eq!(shapes[1].len(), shapes[0].len());
            assert!(shapes[1].iter().zip(shapes[0]).all(|(a, b)| a <= b));
            aval(dtypes[0], shapes[0])
        }
        op => panic!("no shape rule for {}", op.name()),
    }
}

fn edge_values(dtype: DType) -> Vec<Scalar> {
    match dtype {
        DType::Bool => vec![Scalar::Bool(false), Scalar::Bool(true)],
        DType::I32 => [0, 1, -1, 7, i32::MIN, i32::MAX].map(Scalar::I32).to_vec(),
        DType::U32 => [0, 1, 7, u32::MAX, 1 << 31].map(Scalar::U32).to_vec(),
        DType::I64 => [0, 1, -1, i64::MIN, i64::MAX, 1 << 40]
            .map(Scalar::I64)
            .to_vec(),
        DType::F32 => [0.0, -0.0, 1.0, -2.5, 1e30, f32::MAX, 1e-40, f32::INFINITY]
            .into_iter()
            .chain([f32::NEG_INFINITY, f32::NAN])
            .map(Scalar::F32)
            .collect(),
        DType::F64 => [0.0, -0.0, 1.0, -2.5, 1e300, f64::MAX, 5e-324, f64::INFINITY]
            .into_iter()
            .chain([f64::NEG_INFINITY, f64::NAN])
            .map(Scalar::F64)
            .collect(),
    }
}

fn random_value(rng: &mut StdRng, dtype: DType) -> Scalar {
    if rng.random_bool(0.2) {
        let edges = edge_values(dtype);
        return edges[rng.random_range(0..edges.len())];
    }
    match dtype {
        DType::Bool => Scalar::Bool(rng.random()),
        DType::I32 => Scalar::I32(rng.random_range(-1000..1000)),
        DType::U32 => Scalar::U32(rng.random()),
        DType::I64 => Scalar::I64(rng.random::<i64>() >> rng.random_range(0..60)),
        DType::F32 => Scalar::F32(rng.random_range(-10.0..10.0)),
        DType::F64 => Scalar::F64(rng.random_range(-1e3..1e3)),
    }
}

/// A value from a small palette, so that elements tie.
fn tie_value(rng: &mut StdRng, dtype: DType) -> Scalar {
    let k = rng.random_range(0..6);
    let float = [0.0, -0.0, 1.0, -1.0, 2.0, f64::NAN][k];
    match dtype {
        DType::Bool => Scalar::Bool(k % 2 == 0),
        DType::I32 => Scalar::I32(k as i32 - 2),
        DType::U32 => Scalar::U32(k as u32 % 3),
        DType::I64 => Scalar::I64(k as i64 - 3),
        DType::F32 => Scalar::F32(float as f32),
        DType::F64 => Scalar::F64(float),
    }
}

/// A slice start for a dimension of `dim` and a block of `size`: mostly
/// near the valid range `0..=dim - size`, sometimes far outside it.
fn start_value(rng: &mut StdRng, dtype: DType, dim: usize, size: usize) -> Scalar {
    let hi = (dim - size) as i64;
    let v: i64 = match rng.random_range(0..10) {
        0 => [i64::MIN, i64::MAX, i64::from(i32::MIN), 1 << 40][rng.random_range(0..4)],
        1 => [-1, i64::from(i32::MAX), i64::from(u32::MAX), 1 << 31][rng.random_range(0..4)],
        _ => rng.random_range(-3..=hi + 3),
    };
    match dtype {
        DType::I32 => Scalar::I32(v as i32),
        DType::U32 => Scalar::U32(v as u32),
        _ => Scalar::I64(v),
    }
}

/// How an input's elements are drawn.
#[derive(Clone, Copy, Debug)]
enum Draw {
    /// Random and edge values.
    Data,
    /// A small palette (ties, NaN, signed zeros).
    Ties,
    /// A slice start for `dim` and a block of `size`.
    Start { dim: usize, size: usize },
}

const DTYPES: [DType; 6] = [
    DType::F32,
    DType::F64,
    DType::I32,
    DType::I64,
    DType::U32,
    DType::Bool,
];

const INDEX_DTYPES: [DType; 3] = [DType::I32, DType::U32, DType::I64];

/// Unary elementwise ops valid on `dtype`.
fn unary_ops(dtype: DType) -> Vec<Op> {
    use Op::*;
    match dtype {
        DType::Bool => vec![Not],
        DType::F32 | DType::F64 => {
            let mut ops = vec![
                Neg, Abs, Floor, Ceil, Round, Sqrt, Exp, Log, Sin, Cos, Tan, Tanh,
            ];
            // Inverse trigonometric and hyperbolic functions.
            ops.extend([Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh]);
            ops
        }
        _ => vec![Neg, Not, Abs],
    }
}

/// Binary elementwise ops from `dtype` to `dtype`.
fn binary_ops(dtype: DType) -> Vec<Op> {
    use Op::*;
    match dtype {
        DType::Bool => vec![And, Or, Xor, Max, Min],
        DType::F32 | DType::F64 => {
            let mut ops = vec![Add, Sub, Mul, Div, Rem, Max, Min];
            // Inverse trigonometric and hyperbolic functions.
            ops.extend([Atan2, Hypot]);
            ops
        }
        _ => vec![Add, Sub, Mul, Div, Rem, Max, Min, And, Or, Xor],
    }
}

fn reduce_kinds(dtype: DType) -> Vec<ReduceKind> {
    use ReduceKind::*;
    match dtype {
        DType::Bool => vec![And, Or, Max, Min],
        _ => vec![Sum, Max, Min, Prod],
    }
}

struct Gen {
    rng: StdRng,
    graph: Graph,
    /// How each graph input's elements are drawn.
    draws: Vec<Draw>,
    /// Values defined so far (inputs and equation outputs).
    pool: Vec<ValueId>,
    /// One literal per value, and the equations so far by op and operands:
    /// the generator never repeats an equation (nor makes one that folds
    /// into a repeat), since `cse` would orphan the array it defines, a
    /// known bug (`arrays_merged_by_cse_*` below).
    literals: HashMap<(u64, DType), ValueId>,
    eqns: HashMap<(Op, Vec<ValueId>), ValueId>,
    /// The equations of the `scan` body being built, if any (equations go
    /// to the graph's top-level region otherwise), and its inputs.
    region: Option<Vec<Eqn>>,
    body_inputs: Vec<ValueId>,
    /// How many `scan` bodies enclose the values being built.
    nesting: usize,
    /// The chance that an op is a `scan`, and how many more `scan`s the
    /// program may have.
    scan_chance: f64,
    scans_left: usize,
    /// Whether a `scan` body's first result is itself a `scan`'s (while
    /// nesting allows).
    nest_first: bool,
    /// When set, the sizes dimensions draw from, and the ops (`op`'s
    /// choices) values are made by.
    dims: Option<&'static [usize]>,
    choices: Option<&'static [u32]>,
}

/// What [`Gen`] builds into, saved while it builds a `scan` body.
struct Scope {
    pool: Vec<ValueId>,
    eqns: HashMap<(Op, Vec<ValueId>), ValueId>,
    region: Option<Vec<Eqn>>,
    body_inputs: Vec<ValueId>,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen {
            rng: StdRng::seed_from_u64(seed),
            graph: Graph::default(),
            draws: Vec::new(),
            pool: Vec::new(),
            literals: HashMap::new(),
            eqns: HashMap::new(),
            region: None,
            body_inputs: Vec::new(),
            nesting: 0,
            scan_chance: 0.0,
            scans_left: 0,
            nest_first: false,
            dims: None,
            choices: None,
        }
    }

    /// Equations of the region being built so far.
    fn eqn_count(&self) -> usize {
        match &self.region {
            Some(eqns) => eqns.len(),
            None => self.graph.body.eqns.len(),
        }
    }

    fn max_eqns(&self) -> usize {
        if self.region.is_some() {
            MAX_BODY_EQNS
        } else {
            MAX_EQNS
        }
    }

    /// Appends `op(inputs)` to the region being built.
    fn emit(&mut self, op: Op, inputs: Vec<ValueId>, avals: Vec<AVal>) -> Vec<ValueId> {
        let Some(eqns) = &mut self.region else {
            return self.graph.push_eqn(op, inputs, avals);
        };
        let outputs: Vec<ValueId> = avals
            .into_iter()
            .map(|a| self.graph.new_value(a, ValueDef::Eqn))
            .collect();
        eqns.push(Eqn {
            op,
            inputs,
            outputs: outputs.clone(),
        });
        outputs
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())].clone()
    }

    fn push(&mut self, op: Op, inputs: Vec<ValueId>) -> ValueId {
        let out = infer(&self.graph, &op, &inputs);
        let key = (op.clone(), inputs.clone());
        // A repeated equation, sometimes: `cse` merges it and orphans the
        // array it defined.
        if let Some(&v) = self.eqns.get(&key)
            && self.chance(0.5)
        {
            return v;
        }
        // Fold scalar elementwise ops of literals as `opt::fold` does.
        let literals: Option<Vec<Scalar>> = inputs
            .iter()
            .map(|&v| self.graph.literal_value(v))
            .collect();
        if let Some(args) = literals
            && op.is_elementwise()
            && out.shape.is_empty()
        {
            return self.literal_of(interp::eval(&op, &args));
        }
        let v = self.emit(op, inputs, vec![out])[0];
        self.eqns.insert(key, v);
        self.pool.push(v);
        v
    }

    fn input(&mut self, dtype: DType, shape: &[usize], draw: Draw) -> ValueId {
        if self.region.is_some() {
            // A body has no inputs of its own to add: a literal instead.
            let s = match draw {
                Draw::Start { dim, size } => start_value(&mut self.rng, dtype, dim, size),
                Draw::Ties => tie_value(&mut self.rng, dtype),
                Draw::Data => random_value(&mut self.rng, dtype),
            };
            let x = self.literal_of(s);
            return if shape.is_empty() {
                x
            } else {
                self.broadcast(x, shape, Vec::new())
            };
        }
        let v = self.graph.add_input(aval(dtype, shape));
        self.draws.push(draw);
        self.pool.push(v);
        v
    }

    fn literal(&mut self, dtype: DType) -> ValueId {
        let s = random_value(&mut self.rng, dtype);
        self.literal_of(s)
    }

    fn literal_of(&mut self, s: Scalar) -> ValueId {
        let graph = &mut self.graph;
        *self
            .literals
            .entry((s.to_slot(), s.dtype()))
            .or_insert_with(|| graph.literal(s, false))
    }

    fn random_dim(&mut self) -> usize {
        if let Some(dims) = self.dims {
            return self.pick(dims);
        }
        match self.rng.random_range(0..30) {
            0 | 1 => 0,
            2..=8 => 1,
            9 => self.rng.random_range(6..=17),
            _ => self.rng.random_range(2..=5),
        }
    }

    fn random_shape(&mut self, max_rank: usize) -> Vec<usize> {
        let rank = self.rng.random_range(0..=max_rank);
        (0..rank).map(|_| self.random_dim()).collect()
    }

    fn random_dtype(&mut self) -> DType {
        let weights = [30, 20, 20, 10, 10, 10];
        let mut k = self.rng.random_range(0..100);
        for (d, w) in DTYPES.iter().zip(weights) {
            if k < w {
                return *d;
            }
            k -= w;
        }
        unreachable!()
    }

    fn broadcast(&mut self, x: ValueId, shape: &[usize], dims: Vec<usize>) -> ValueId {
        let op = Op::BroadcastInDim {
            shape: shape.to_vec(),
            broadcast_dimensions: dims,
        };
        self.push(op, vec![x])
    }

    /// A slice start for `dim` and a block of `size`: a literal, an input,
    /// or computed (a reduction, an `argmax`, ...).
    fn start(&mut self, dim: usize, size: usize) -> ValueId {
        let dtype = self.pick(&INDEX_DTYPES);
        match self.rng.random_range(0..10) {
            0..=3 => {
                let s = start_value(&mut self.rng, dtype, dim, size);
                self.literal_of(s)
            }
            4..=7 => match self.body_input_as(dtype, &[]) {
                // In a `scan` body, often a carried counter's or an `x`'s.
                Some(v) => v,
                None => self.input(dtype, &[], Draw::Start { dim, size }),
            },
            _ => self.value(dtype, &[], 2),
        }
    }

    /// A value of `dtype` and `shape` that is not computed by an op.
    fn leaf(&mut self, dtype: DType, shape: &[usize]) -> ValueId {
        if let Some(v) = self.body_input_as(dtype, shape) {
            return v;
        }
        let draw = if self.chance(0.35) {
            Draw::Ties
        } else {
            Draw::Data
        };
        if shape.is_empty() {
            return if self.chance(0.5) {
                self.literal(dtype)
            } else {
                self.input(dtype, shape, draw)
            };
        }
        match self.rng.random_range(0..20) {
            0..=2 => {
                let x = self.literal(dtype);
                self.broadcast(x, shape, Vec::new())
            }
            3 => {
                let x = self.input(dtype, &[], draw);
                self.broadcast(x, shape, Vec::new())
            }
            4..=6 => {
                let dimension = self.rng.random_range(0..shape.len());
                let op = Op::Iota {
                    dtype,
                    shape: shape.to_vec(),
                    dimension,
                };
                self.push(op, Vec::new())
            }
            7 => {
                let n: usize = shape.iter().product();
                let elements: Vec<Scalar> =
                    (0..n).map(|_| random_value(&mut self.rng, dtype)).collect();
                let Value::Array(constant) = Value::from_elements(&aval(dtype, shape), &elements)
                else {
                    unreachable!("an array of rank >= 1")
                };
                let v = self.graph.array_const(constant);
                self.pool.push(v);
                v
            }
            _ => self.input(dtype, shape, draw),
        }
    }

    /// A value computed before of `dtype` and `shape`, sometimes.
    fn reuse(&mut self, dtype: DType, shape: &[usize]) -> Option<ValueId> {
        let want = aval(dtype, shape);
        let candidates: Vec<ValueId> = self
            .pool
            .iter()
            .copied()
            .filter(|&v| *self.graph.aval(v) == want)
            .collect();
        (!candidates.is_empty() && self.chance(0.3)).then(|| self.pick(&candidates))
    }

    /// A value of `dtype` and `shape`, computed by up to `depth` levels of ops.
    fn value(&mut self, dtype: DType, shape: &[usize], depth: usize) -> ValueId {
        if let Some(v) = self.reuse(dtype, shape) {
            return v;
        }
        if depth == 0 || self.eqn_count() >= self.max_eqns() || self.chance(0.1) {
            return self.leaf(dtype, shape);
        }
        loop {
            let choice = if self.scans_left > 0
                && self.nesting < MAX_NESTING
                && self.chance(self.scan_chance)
            {
                19
            } else if let Some(choices) = self.choices {
                self.pick(choices)
            } else {
                self.rng.random_range(0..19)
            };
            let made = self.op(choice, dtype, shape, depth - 1);
            if let Some(v) = made {
                let got = self.graph.aval(v);
                assert_eq!(
                    (got.ty.dtype, &got.shape[..]),
                    (dtype, shape),
                    "the generator built a value of the wrong type"
                );
                return v;
            }
        }
    }

    /// Operand shapes for an elementwise op with result `shape`: each
    /// dimension the result's or 1, or a scalar; `None` for a scalar.
    fn operand_shapes(&mut self, shape: &[usize], n: usize) -> Vec<Option<Vec<usize>>> {
        let rank = shape.len();
        let mut shapes: Vec<Option<Vec<usize>>> = (0..n)
            .map(|_| {
                if rank > 0 && self.chance(0.15) {
                    None
                } else {
                    Some(
                        shape
                            .iter()
                            .map(|&d| if self.chance(0.2) { 1 } else { d })
                            .collect(),
                    )
                }
            })
            .collect();
        if rank > 0 && shapes.iter().all(Option::is_none) {
            let j = self.rng.random_range(0..n);
            shapes[j] = Some(vec![1; rank]);
        }
        for k in 0..rank {
            let covered = shapes.iter().flatten().any(|s| s[k] == shape[k]);
            if !covered {
                let j = self.rng.random_range(0..n);
                shapes[j].get_or_insert_with(|| vec![1; rank])[k] = shape[k];
            }
        }
        shapes
    }

    fn operands(
        &mut self,
        dtypes: &[DType],
        shape: &[usize],
        depth: usize,
    ) -> Option<Vec<ValueId>> {
        let shapes = self.operand_shapes(shape, dtypes.len());
        let mut xs = Vec::new();
        for (&d, s) in dtypes.iter().zip(shapes) {
            xs.push(self.value(d, &s.unwrap_or_default(), depth));
        }
        Some(xs)
    }

    /// Op number `choice` producing `dtype` and `shape`, or `None` when it
    /// cannot.
    fn op(&mut self, choice: u32, dtype: DType, shape: &[usize], depth: usize) -> Option<ValueId> {
        let rank = shape.len();
        let float = matches!(dtype, DType::F32 | DType::F64);
        match choice {
            0 => {
                let op = self.pick(&unary_ops(dtype));
                let x = self.value(dtype, shape, depth);
                Some(self.push(op, vec![x]))
            }
            1 | 2 => {
                let op = self.pick(&binary_ops(dtype));
                let xs = self.operands(&[dtype, dtype], shape, depth)?;
                Some(self.push(op, xs))
            }
            3 => {
                use Op::*;
                if dtype != DType::Bool {
                    return None;
                }
                let op = self.pick(&[Lt, Le, Gt, Ge, Eq, Ne]);
                let d = self.random_dtype();
                let xs = self.operands(&[d, d], shape, depth)?;
                Some(self.push(op, xs))
            }
            4 => {
                // `clamp` of floats has no native lowering (any graph).
                let op = if INDEX_DTYPES.contains(&dtype) && self.chance(0.3) {
                    Op::Clamp
                } else {
                    Op::Select
                };
                let first = if op == Op::Select { DType::Bool } else { dtype };
                let xs = self.operands(&[first, dtype, dtype], shape, depth)?;
                Some(self.push(op, xs))
            }
            5 => {
                let from = self.random_dtype();
                let x = self.value(from, shape, depth);
                let op = Op::Convert {
                    new_dtype: dtype,
                    weak: false,
                };
                Some(self.push(op, vec![x]))
            }
            6 | 7 => {
                // broadcast_in_dim: numpy-style trailing dimensions, or any.
                let kept: Vec<usize> = if self.chance(0.5) {
                    let n = self.rng.random_range(0..=rank);
                    (rank - n..rank).collect()
                } else {
                    (0..rank).filter(|_| self.chance(0.5)).collect()
                };
                let from: Vec<usize> = kept
                    .iter()
                    .map(|&k| if self.chance(0.25) { 1 } else { shape[k] })
                    .collect();
                let x = self.value(dtype, &from, depth);
                Some(self.broadcast(x, shape, kept))
            }
            8 => {
                let mut permutation: Vec<usize> = (0..rank).collect();
                permutation.shuffle(&mut self.rng);
                let mut from = vec![0; rank];
                for (k, &p) in permutation.iter().enumerate() {
                    from[p] = shape[k];
                }
                let x = self.value(dtype, &from, depth);
                Some(self.push(Op::Transpose { permutation }, vec![x]))
            }
            9 => {
                let from = self.reshape_source(shape)?;
                let x = self.value(dtype, &from, depth);
                let op = Op::Reshape {
                    new_sizes: shape.to_vec(),
                };
                Some(self.push(op, vec![x]))
            }
            10 => {
                if rank >= 3 {
                    return None;
                }
                let mut from = shape.to_vec();
                let mut dimensions = Vec::new();
                for _ in 0..self.rng.random_range(1..=3 - rank) {
                    let at = self.rng.random_range(0..=from.len());
                    from.insert(at, 1);
                    dimensions.iter_mut().for_each(|d: &mut usize| {
                        if *d >= at {
                            *d += 1
                        }
                    });
                    dimensions.push(at);
                }
                dimensions.sort();
                let x = self.value(dtype, &from, depth);
                Some(self.push(Op::Squeeze { dimensions }, vec![x]))
            }
            11 => {
                let from: Vec<usize> = shape
                    .iter()
                    .map(|&d| d + self.rng.random_range(0..=2))
                    .collect();
                let start_indices: Vec<usize> = from
                    .iter()
                    .zip(shape)
                    .map(|(&f, &d)| self.rng.random_range(0..=f - d))
                    .collect();
                let limit_indices = start_indices.iter().zip(shape).map(|(s, d)| s + d);
                let op = Op::Slice {
                    limit_indices: limit_indices.collect(),
                    start_indices,
                };
                let x = self.value(dtype, &from, depth);
                Some(self.push(op, vec![x]))
            }
            12 => {
                let from: Vec<usize> = shape
                    .iter()
                    .map(|&d| d + self.rng.random_range(0..=3))
                    .collect();
                let x = self.value(dtype, &from, depth);
                let mut inputs = vec![x];
                for (&f, &d) in from.iter().zip(shape) {
                    inputs.push(self.start(f, d));
                }
                let op = Op::DynamicSlice {
                    slice_sizes: shape.to_vec(),
                };
                Some(self.push(op, inputs))
            }
            13 => {
                let x = self.value(dtype, shape, depth);
                let sizes: Vec<usize> = shape
                    .iter()
                    .map(|&d| self.rng.random_range(0..=d))
                    .collect();
                let update = self.value(dtype, &sizes, depth);
                let mut inputs = vec![x, update];
                for (&d, &s) in shape.iter().zip(&sizes) {
                    inputs.push(self.start(d, s));
                }
                Some(self.push(Op::DynamicUpdateSlice, inputs))
            }
            14 => {
                if rank == 0 {
                    return None;
                }
                let dimension = self.rng.random_range(0..rank);
                let mut left = shape[dimension];
                let parts = self.rng.random_range(1..=3);
                let mut inputs = Vec::new();
                for p in 0..parts {
                    let n = if p + 1 == parts {
                        left
                    } else {
                        self.rng.random_range(0..=left)
                    };
                    left -= n;
                    let mut s = shape.to_vec();
                    s[dimension] = n;
                    inputs.push(self.value(dtype, &s, depth));
                }
                Some(self.push(Op::Concatenate { dimension }, inputs))
            }
            15 | 16 => {
                if rank >= 3 {
                    return None;
                }
                let kind = self.pick(&reduce_kinds(dtype));
                let mut from = shape.to_vec();
                let mut axes: Vec<usize> = Vec::new();
                let extra = if rank == 0 && self.chance(0.1) {
                    0
                } else {
                    self.rng.random_range(1..=3 - rank)
                };
                for _ in 0..extra {
                    let at = self.rng.random_range(0..=from.len());
                    let dim = self.random_dim();
                    from.insert(at, dim);
                    axes.iter_mut().for_each(|a| {
                        if *a >= at {
                            *a += 1
                        }
                    });
                    axes.push(at);
                }
                axes.sort();
                let x = self.value(dtype, &from, depth);
                Some(self.push(Op::Reduce { kind, axes }, vec![x]))
            }
            17 => {
                if !INDEX_DTYPES.contains(&dtype) || rank >= 3 {
                    return None;
                }
                let axis = self.rng.random_range(0..=rank);
                let mut from = shape.to_vec();
                from.insert(axis, self.rng.random_range(1..=5));
                let operand = if self.chance(0.1) {
                    DType::Bool
                } else {
                    self.pick(&DTYPES[..5])
                };
                let x = self.value(operand, &from, depth);
                let op = Op::ArgReduce {
                    max: self.chance(0.5),
                    axis,
                    index_dtype: dtype,
                };
                Some(self.push(op, vec![x]))
            }
            18 => {
                if dtype == DType::Bool {
                    return None;
                }
                if float && self.chance(0.5) {
                    return Some(self.softmax(dtype, shape, depth));
                }
                self.dot(dtype, shape, depth)
            }
            19 => Some(self.scan(dtype, shape, depth)),
            _ => unreachable!(),
        }
    }

    /// An operand shape with as many elements as `shape`: the same
    /// dimensions of size > 1 with size-1 ones moved, or a real reshape.
    fn reshape_source(&mut self, shape: &[usize]) -> Option<Vec<usize>> {
        let size: usize = shape.iter().product();
        if self.chance(0.5) {
            let mut from: Vec<usize> = shape.iter().copied().filter(|&d| d != 1).collect();
            while from.len() < 3 && self.chance(0.5) {
                let at = self.rng.random_range(0..=from.len());
                from.insert(at, 1);
            }
            return Some(from);
        }
        let lowest = usize::from(size != 1);
        let rank = self.rng.random_range(lowest..=3);
        if size == 0 {
            let mut from: Vec<usize> = (0..rank).map(|_| self.rng.random_range(0..=4)).collect();
            from[self.rng.random_range(0..rank)] = 0;
            return Some(from);
        }
        // Deal the prime factors of `size` out to `rank` dimensions.
        let mut from = vec![1; rank];
        let (mut n, mut p) = (size, 2);
        while n > 1 {
            if n % p == 0 {
                from[self.rng.random_range(0..rank)] *= p;
                n /= p;
            } else {
                p += 1;
            }
        }
        Some(from)
    }

    /// `exp(x - max(x)) / sum(exp(x - max(x)))` over random axes of `x`,
    /// the reductions broadcast back (keeping size-1 dimensions or not).
    fn softmax(&mut self, dtype: DType, shape: &[usize], depth: usize) -> ValueId {
        let rank = shape.len();
        let x = self.value(dtype, shape, depth);
        let axes: Vec<usize> = (0..rank).filter(|_| self.chance(0.5)).collect();
        let kept: Vec<usize> = (0..rank).filter(|k| !axes.contains(k)).collect();
        let keepdims: Vec<usize> = (0..rank)
            .map(|k| if axes.contains(&k) { 1 } else { shape[k] })
            .collect();
        let back = |g: &mut Gen, r: ValueId| {
            let to = if g.chance(0.5) { &keepdims[..] } else { shape };
            if to.is_empty() {
                return r;
            }
            g.broadcast(r, to, kept.clone())
        };
        let max = self.push(
            Op::Reduce {
                kind: ReduceKind::Max,
                axes: axes.clone(),
            },
            vec![x],
        );
        let max = back(self, max);
        let centred = self.push(Op::Sub, vec![x, max]);
        let e = self.push(Op::Exp, vec![centred]);
        let sum = self.push(
            Op::Reduce {
                kind: ReduceKind::Sum,
                axes,
            },
            vec![e],
        );
        let sum = back(self, sum);
        self.push(Op::Div, vec![e, sum])
    }

    /// A `dot_general` with result `shape`: its leading dimensions batch,
    /// then the lhs's free ones, then the rhs's; up to two contracting
    /// dimensions; the operands' dimensions in canonical order or shuffled.
    fn dot(&mut self, dtype: DType, shape: &[usize], depth: usize) -> Option<ValueId> {
        #[derive(Clone, Copy, PartialEq)]
        enum Role {
            Batch(usize),
            Free(usize),
            Contract(usize),
        }
        let rank = shape.len();
        let nb = self.rng.random_range(0..=rank);
        let nl = self.rng.random_range(0..=rank - nb);
        let nc = self.pick(&[0, 1, 1, 1, 2]);
        let csizes: Vec<usize> = (0..nc).map(|_| self.random_dim()).collect();
        let operand = |g: &mut Gen, free: std::ops::Range<usize>| {
            let mut roles: Vec<Role> = (0..nb).map(Role::Batch).collect();
            roles.extend(free.clone().map(Role::Free));
            roles.extend((0..nc).map(Role::Contract));
            if g.chance(0.5) {
                roles.shuffle(&mut g.rng);
                // Free dimensions keep their order.
                let mut frees = free.clone();
                for r in roles.iter_mut() {
                    if let Role::Free(_) = r {
                        *r = Role::Free(frees.next().expect("one per free dimension"));
                    }
                }
            }
            let dims: Vec<usize> = roles
                .iter()
                .map(|r| match *r {
                    Role::Batch(j) | Role::Free(j) => shape[j],
                    Role::Contract(j) => csizes[j],
                })
                .collect();
            let at = |want: Role| roles.iter().position(|&r| r == want).expect("a role");
            let batch: Vec<usize> = (0..nb).map(|j| at(Role::Batch(j))).collect();
            let contracting: Vec<usize> = (0..nc).map(|j| at(Role::Contract(j))).collect();
            (dims, batch, contracting)
        };
        let (ldims, lbatch, lcontract) = operand(self, nb..nb + nl);
        let (rdims, rbatch, rcontract) = operand(self, nb + nl..rank);
        if ldims.len() > 4 || rdims.len() > 4 {
            return None;
        }
        let lhs = self.value(dtype, &ldims, depth);
        let rhs = self.value(dtype, &rdims, depth);
        let op = Op::DotGeneral {
            contracting: (lcontract, rcontract),
            batch: (lbatch, rbatch),
        };
        Some(self.push(op, vec![lhs, rhs]))
    }

    /// In a `scan` body, often a value made from one of the body's
    /// inputs: converted to `dtype` if need be, then broadcast to `shape`
    /// along trailing dimensions, or reduced to a scalar and broadcast.
    fn body_input_as(&mut self, dtype: DType, shape: &[usize]) -> Option<ValueId> {
        if self.body_inputs.is_empty() || !self.chance(0.7) {
            return None;
        }
        let alike: Vec<ValueId> = (self.body_inputs.iter().copied())
            .filter(|&v| self.graph.aval(v).shape == shape)
            .collect();
        let mut x = if !alike.is_empty() && self.chance(0.5) {
            self.pick(&alike)
        } else {
            self.pick(&self.body_inputs.clone())
        };
        let from = self.graph.aval(x).clone();
        if from.ty.dtype != dtype {
            let op = Op::Convert {
                new_dtype: dtype,
                weak: false,
            };
            x = self.push(op, vec![x]);
        }
        if from.shape == shape {
            return Some(x);
        }
        let (rank, to) = (from.shape.len(), shape.len());
        if rank <= to
            && (from.shape.iter())
                .zip(&shape[to - rank..])
                .all(|(&f, &d)| f == d || f == 1)
        {
            return Some(self.broadcast(x, shape, (to - rank..to).collect()));
        }
        let kind = self.pick(&reduce_kinds(dtype));
        let op = Op::Reduce {
            kind,
            axes: (0..rank).collect(),
        };
        x = self.push(op, vec![x]);
        if !shape.is_empty() {
            x = self.broadcast(x, shape, Vec::new());
        }
        Some(x)
    }

    /// A trip count: 0, 1, small, or about 20.
    fn scan_length(&mut self) -> usize {
        match self.rng.random_range(0..20) {
            0 | 1 => 0,
            2..=4 => 1,
            5 => self.rng.random_range(17..=23),
            _ => self.rng.random_range(2..=5),
        }
    }

    fn random_aval(&mut self) -> AVal {
        let dtype = self.random_dtype();
        let shape = self.random_shape(2);
        aval(dtype, &shape)
    }

    /// A `scan` one of whose outputs has `dtype` and `shape`: a final
    /// carry, or stacked `ys` (then `shape[0]` is the trip count). It has
    /// 1 to 3 carries (and maybe a step counter first), 0 to 2 consts and
    /// `xs`, and 0 to 2 other `ys`, of random dtypes and shapes (scalars
    /// included, and often a carry's, for values to pass through); the
    /// operands are built in the enclosing region, the body by the same
    /// generator from the body's inputs (a body may hold a `scan`
    /// itself). The other outputs join the pool, for later equations to
    /// read.
    fn scan(&mut self, dtype: DType, shape: &[usize], depth: usize) -> ValueId {
        self.scans_left = self.scans_left.saturating_sub(1);
        let as_y = !shape.is_empty() && self.chance(0.5);
        let length = if as_y { shape[0] } else { self.scan_length() };
        // Sometimes carry 0 counts the steps (`i + 1`), for the body to
        // index arrays with.
        let counter = self.chance(0.3);
        let num_carry = self.rng.random_range(1..=3) + usize::from(counter);
        let mut carries: Vec<AVal> = Vec::new();
        for k in 0..num_carry {
            // Carries of one type, sometimes, that the body may swap.
            let a = if k > 0 && self.chance(0.3) {
                self.pick(&carries)
            } else {
                self.random_aval()
            };
            carries.push(a);
        }
        if counter {
            let index = self.pick(&INDEX_DTYPES);
            carries[0] = aval(index, &[]);
        }
        // Consts, `xs` and `ys` often of a carry's type, so that bodies
        // pass values through (`y = carry`, `carry = x`, ...).
        let like_carry = |g: &mut Gen, avals: &[AVal]| {
            if g.chance(0.4) {
                g.pick(avals)
            } else {
                g.random_aval()
            }
        };
        let xs: Vec<AVal> = (0..self.rng.random_range(0..=2))
            .map(|_| like_carry(self, &carries))
            .collect();
        let mut ys: Vec<AVal> = (0..self.rng.random_range(0..=2))
            .map(|_| like_carry(self, &carries))
            .collect();
        let wanted = if as_y {
            let k = self.rng.random_range(0..=ys.len());
            ys.insert(k, aval(dtype, &shape[1..]));
            num_carry + k
        } else {
            let k = self.rng.random_range(usize::from(counter)..num_carry);
            carries[k] = aval(dtype, shape);
            k
        };
        let consts: Vec<AVal> = (0..self.rng.random_range(0..=2))
            .map(|_| like_carry(self, &carries))
            .collect();
        // The operands.
        let outer = depth.min(2);
        let mut operands = Vec::new();
        for a in consts.iter().chain(&carries) {
            operands.push(self.value(a.ty.dtype, &a.shape, outer));
        }
        for a in &xs {
            let mut stacked = vec![length];
            stacked.extend_from_slice(&a.shape);
            operands.push(self.value(a.ty.dtype, &stacked, outer));
        }
        // The body, in a scope of its own.
        let saved = Scope {
            pool: std::mem::take(&mut self.pool),
            eqns: std::mem::take(&mut self.eqns),
            region: self.region.replace(Vec::new()),
            body_inputs: std::mem::take(&mut self.body_inputs),
        };
        self.nesting += 1;
        let inputs: Vec<ValueId> = (consts.iter().chain(&carries).chain(&xs))
            .map(|a| self.graph.new_value(a.clone(), ValueDef::Input))
            .collect();
        self.pool = inputs.clone();
        self.body_inputs = inputs.clone();
        let body_depth = self.rng.random_range(1..=3);
        let mut results = Vec::new();
        if counter {
            let i = inputs[consts.len()];
            let one = self.literal_of(Scalar::I32(1).convert(carries[0].ty.dtype));
            results.push(self.push(Op::Add, vec![i, one]));
        }
        for a in carries.iter().chain(&ys).skip(usize::from(counter)) {
            let nest = self.nest_first
                && results.len() == usize::from(counter)
                && self.nesting < MAX_NESTING;
            let same: Vec<ValueId> = (inputs.iter().copied())
                .filter(|&v| self.graph.aval(v) == a)
                .collect();
            results.push(if nest {
                self.scan(a.ty.dtype, &a.shape, body_depth)
            } else if !same.is_empty() && self.chance(0.2) {
                // Passed through: a const, a carry (maybe another one's),
                // an `x`.
                self.pick(&same)
            } else {
                self.value(a.ty.dtype, &a.shape, body_depth)
            });
        }
        let eqns = self.region.take().expect("a body being built");
        self.nesting -= 1;
        self.pool = saved.pool;
        self.eqns = saved.eqns;
        self.region = saved.region;
        self.body_inputs = saved.body_inputs;
        // The equation.
        let mut outputs = carries;
        for y in ys {
            let mut stacked = vec![length];
            stacked.extend_from_slice(&y.shape);
            outputs.push(aval(y.ty.dtype, &stacked));
        }
        let op = Op::Scan {
            body: Box::new(Region {
                inputs,
                eqns,
                results,
            }),
            length,
            num_consts: consts.len(),
            num_carry,
        };
        let outs = self.emit(op, operands, outputs);
        self.pool.extend_from_slice(&outs);
        outs[wanted]
    }
}

/// A random program with at least one array (programs of scalars only
/// are not lowered as loop nests).
fn random_program(rng: &mut StdRng) -> Gen {
    loop {
        let g = random_program_from(rng.random());
        if g.graph.values.iter().any(|v| !v.aval.shape.is_empty()) {
            return g;
        }
    }
}

fn random_program_from(seed: u64) -> Gen {
    let mut g = Gen::new(seed);
    g.scan_chance = 0.04;
    g.scans_left = g.rng.random_range(0..=2);
    for _ in 0..g.rng.random_range(1..=3) {
        let dtype = g.random_dtype();
        let shape = g.random_shape(3);
        let depth = g.rng.random_range(2..=5);
        let v = g.value(dtype, &shape, depth);
        g.graph.body.results.push(v);
    }
    // Sometimes also a value computed on the way, or an input, twice.
    for _ in 0..g.rng.random_range(0..=2) {
        if g.pool.is_empty() {
            break;
        }
        let v = g.pick(&g.pool.clone());
        g.graph.body.results.push(v);
    }
    g
}

fn random_inputs(rng: &mut StdRng, graph: &Graph, draws: &[Draw]) -> Vec<Value> {
    graph
        .body
        .inputs
        .iter()
        .zip(draws)
        .map(|(&v, &draw)| {
            let aval = graph.aval(v);
            let n = aval.shape.iter().product::<usize>();
            let dtype = aval.ty.dtype;
            let elements: Vec<Scalar> = (0..n)
                .map(|_| match draw {
                    Draw::Data => random_value(rng, dtype),
                    Draw::Ties => tie_value(rng, dtype),
                    Draw::Start { dim, size } => start_value(rng, dtype, dim, size),
                })
                .collect();
            Value::from_elements(aval, &elements)
        })
        .collect()
}

/// Compiles `graph`, asserts it runs natively, and compares it with the
/// interpreter on each of `inputs`.
fn check(name: &str, graph: &Graph, inputs: &[Vec<Value>]) {
    if let Err(e) = jit::internals::ir::verify(graph) {
        panic!("{name}: the generator made an invalid graph: {e}\n{graph:?}");
    }
    let jaxpr = || jit::Jaxpr::new(graph.clone());
    let compiled = std::panic::catch_unwind(|| compile_graph(graph.clone(), "random_nest"))
        .unwrap_or_else(|panic| {
            eprintln!("{name} panicked compiling\n{}", jaxpr());
            std::panic::resume_unwind(panic)
        });
    assert!(
        compiled.is_native(),
        "{name} is not native: {:?}\n{}",
        compiled.fallback_reason(),
        jaxpr()
    );
    for inputs in inputs {
        let want = interp::run_values(graph, inputs);
        let got = compiled.run_values(inputs);
        assert_eq!(want.len(), got.len());
        for (k, (w, g)) in want.iter().zip(&got).enumerate() {
            let agree = w.dtype() == g.dtype()
                && w.shape() == g.shape()
                && (0..w.size()).all(|i| same(w.element(i), g.element(i)));
            assert!(
                agree,
                "{name} result {k}:\ninterpreter {:?} {:?} {:?}\nnative      {:?} {:?} {:?}\n{}\ninputs {inputs:?}",
                w.dtype(),
                w.shape(),
                w.elements(),
                g.dtype(),
                g.shape(),
                g.elements(),
                jaxpr()
            );
        }
    }
}

/// `JIT_TEST_SEED` if set (to explore other programs), else `default`.
fn seed(default: u64) -> u64 {
    std::env::var("JIT_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn loop_nests_agree_with_the_interpreter_bit_for_bit() {
    let mut rng = StdRng::seed_from_u64(seed(0x6e57));
    let mut scans = [0; MAX_NESTING + 1];
    for program in 0..scaled(PROGRAMS) {
        let g = random_program(&mut rng);
        count_scans(&g.graph.body, 0, &mut scans);
        let inputs: Vec<Vec<Value>> = (0..3)
            .map(|_| random_inputs(&mut rng, &g.graph, &g.draws))
            .collect();
        check(&format!("program {program}"), &g.graph, &inputs);
    }
    eprintln!("scans by depth: {scans:?}");
}

/// Programs returning a `scan` whose body's first result is a `scan`'s
/// (and others, sometimes, anywhere).
#[test]
fn nested_scans_agree_with_the_interpreter_bit_for_bit() {
    let mut rng = StdRng::seed_from_u64(seed(0x5ca7));
    for program in 0..scaled(PROGRAMS / 10) {
        let mut g = Gen::new(rng.random());
        g.scan_chance = 0.1;
        g.scans_left = 2;
        g.nest_first = true;
        let dtype = g.random_dtype();
        let shape = g.random_shape(3);
        let depth = g.rng.random_range(1..=3);
        let v = g.scan(dtype, &shape, depth);
        g.graph.body.results.push(v);
        if g.chance(0.5) {
            let v = g.pick(&g.pool.clone());
            g.graph.body.results.push(v);
        }
        let inputs: Vec<Vec<Value>> = (0..3)
            .map(|_| random_inputs(&mut rng, &g.graph, &g.draws))
            .collect();
        check(&format!("nested program {program}"), &g.graph, &inputs);
    }
}

/// Counts the `scan`s in `region` by how deep they nest.
fn count_scans(region: &Region, depth: usize, scans: &mut [usize]) {
    for eqn in &region.eqns {
        if matches!(eqn.op, Op::Scan { .. }) {
            scans[depth] += 1;
        }
        for body in eqn.op.regions() {
            count_scans(body, depth + 1, scans);
        }
    }
}

// The generator's past findings, shrunk.

fn array(dtype: DType, shape: &[usize], elements: &[f64]) -> Value {
    let elements: Vec<Scalar> = elements
        .iter()
        .map(|&e| Scalar::F64(e).convert(dtype))
        .collect();
    Value::from_elements(&aval(dtype, shape), &elements)
}

/// `add c b` with `c` of shape `[1]` made by `make(graph, a)` from
/// `a:f32[3]`, `b:f32[2]`: the element of `c` is read at the index of the
/// result along its broadcast size-1 dimension instead of at 0.
fn broadcast_size_1_dimension(make: impl Fn(&mut Graph, ValueId) -> ValueId) {
    let mut g = Graph::default();
    let a = g.add_input(aval(DType::F32, &[3]));
    let b = g.add_input(aval(DType::F32, &[2]));
    let c = make(&mut g, a);
    let d = g.push_eqn(Op::Add, vec![c, b], vec![aval(DType::F32, &[2])])[0];
    g.body.results.push(d);
    let inputs = [
        array(DType::F32, &[3], &[1.0, 2.0, 3.0]),
        array(DType::F32, &[2], &[10.0, 20.0]),
    ];
    check("repro", &g, &[inputs.to_vec()]);
}

/// `c:f32[1] = slice[start_indices=(1,) limit_indices=(2,)] a;
/// d:f32[2] = add c b`: the interpreter gives `[12, 22]`, native code
/// `[12, 23]` (it reads `a[1 + i]`, past the end for longer `b`).
#[test]
fn size_1_dimensions_of_slices_broadcast_by_elementwise_ops() {
    broadcast_size_1_dimension(|g, a| {
        let op = Op::Slice {
            start_indices: vec![1],
            limit_indices: vec![2],
        };
        g.push_eqn(op, vec![a], vec![aval(DType::F32, &[1])])[0]
    });
}

/// `c:f32[1] = dynamic_slice[slice_sizes=(1,)] a 1:i32[]; d:f32[2] = add c
/// b`: the interpreter gives `[12, 22]`, native code `[12, 23]`.
#[test]
fn size_1_dimensions_of_dynamic_slices_broadcast_by_elementwise_ops() {
    broadcast_size_1_dimension(|g, a| {
        let start = g.literal(Scalar::I32(1), false);
        let op = Op::DynamicSlice {
            slice_sizes: vec![1],
        };
        g.push_eqn(op, vec![a, start], vec![aval(DType::F32, &[1])])[0]
    });
}

/// `c:f32[1] = iota[dimension=0 shape=(1,)]; d:f32[2] = add c b`: the
/// interpreter gives `[10, 20]`, native code `[10, 21]`.
#[test]
fn size_1_dimensions_of_iotas_broadcast_by_elementwise_ops() {
    broadcast_size_1_dimension(|g, _| {
        let op = Op::Iota {
            dtype: DType::F32,
            shape: vec![1],
            dimension: 0,
        };
        g.push_eqn(op, vec![], vec![aval(DType::F32, &[1])])[0]
    });
}

/// `c = neg a; d = neg a; e = add c d` with `a:f32[2]` and a second input
/// `b:f32[3]` returned as is: `cse` merges `d` into `c`, and the orphaned
/// `d` (an array no equation defines) makes the graph fall back to the
/// interpreter ("arrays inside a loop or branch body").
#[test]
fn arrays_merged_by_cse_run_natively() {
    let mut g = Graph::default();
    let a = g.add_input(aval(DType::F32, &[2]));
    let b = g.add_input(aval(DType::F32, &[3]));
    let c = g.push_eqn(Op::Neg, vec![a], vec![aval(DType::F32, &[2])])[0];
    let d = g.push_eqn(Op::Neg, vec![a], vec![aval(DType::F32, &[2])])[0];
    let e = g.push_eqn(Op::Add, vec![c, d], vec![aval(DType::F32, &[2])])[0];
    g.body.results.extend([e, b]);
    let inputs = [
        array(DType::F32, &[2], &[1.0, 2.0]),
        array(DType::F32, &[3], &[1.0, 2.0, 3.0]),
    ];
    check("repro", &g, &[inputs.to_vec()]);
}

/// `op(b, c)` of two `f32[]` inputs next to `neg a` of `a:f32[2]`.
fn rank_0(op: Op, extra: usize) {
    let mut g = Graph::default();
    let a = g.add_input(aval(DType::F32, &[2]));
    let b = g.add_input(aval(DType::F32, &[]));
    let c = g.add_input(aval(DType::F32, &[]));
    let mut operands = vec![b, c];
    operands.extend((0..extra).map(|_| g.literal(Scalar::I32(0), false)));
    let d = g.push_eqn(op, operands, vec![aval(DType::F32, &[])])[0];
    let e = g.push_eqn(Op::Neg, vec![a], vec![aval(DType::F32, &[2])])[0];
    g.body.results.extend([d, e]);
    let inputs = [
        array(DType::F32, &[2], &[1.0, 2.0]),
        array(DType::F32, &[], &[3.0]),
        array(DType::F32, &[], &[4.0]),
    ];
    check("repro", &g, &[inputs.to_vec()]);
}

/// `d:f32[] = dynamic_update_slice b c` of scalars in a graph with arrays
/// falls back: "`dynamic_update_slice` on f32 has no native lowering".
#[test]
fn rank_0_dynamic_update_slices_run_natively() {
    rank_0(Op::DynamicUpdateSlice, 0);
}

/// `d:f32[] = dot_general[dimension_numbers=(([], []), ([], []))] b c` of
/// scalars in a graph with arrays falls back: "`dot_general` on f32 has no
/// native lowering".
#[test]
fn rank_0_dot_generals_run_natively() {
    let op = Op::DotGeneral {
        contracting: (vec![], vec![]),
        batch: (vec![], vec![]),
    };
    rank_0(op, 0);
}

/// `b:f32[] = broadcast_in_dim a; c:f64[] = convert_element_type b` next to
/// `e:i32[2] = broadcast_in_dim 1:i32[]` (one array shape: `kernel.rs`)
/// panics while lowering: "the verifier guarantees definition before use"
/// (the kernel lowers its scalar equations before it binds broadcasts).
#[test]
fn scalar_broadcasts_read_by_scalar_ops_in_kernels() {
    let mut g = Graph::default();
    let a = g.add_input(aval(DType::F32, &[]));
    let to_scalar = Op::BroadcastInDim {
        shape: vec![],
        broadcast_dimensions: vec![],
    };
    let b = g.push_eqn(to_scalar, vec![a], vec![aval(DType::F32, &[])])[0];
    let convert = Op::Convert {
        new_dtype: DType::F64,
        weak: false,
    };
    let c = g.push_eqn(convert, vec![b], vec![aval(DType::F64, &[])])[0];
    let one = g.literal(Scalar::I32(1), false);
    let to_array = Op::BroadcastInDim {
        shape: vec![2],
        broadcast_dimensions: vec![],
    };
    let e = g.push_eqn(to_array, vec![one], vec![aval(DType::I32, &[2])])[0];
    g.body.results.extend([c, e]);
    check("repro", &g, &[vec![array(DType::F32, &[], &[1.5])]]);
}

/// `d:f32[2] = add a c` with `a:f32[2]` an input and `c:f32[2]` an array
/// constant (a jaxpr constvar): the graph has one array shape, so
/// `kernel.rs` lowers it, and panics: "the verifier guarantees definition
/// before use" (it has no buffer for constants). Returning `c` itself
/// panics the same way.
#[test]
fn array_constants_in_kernels() {
    let mut g = Graph::default();
    let a = g.add_input(aval(DType::F32, &[2]));
    let Value::Array(constant) = array(DType::F32, &[2], &[1.0, 2.0]) else {
        unreachable!("an array of rank 1")
    };
    let c = g.array_const(constant);
    let d = g.push_eqn(Op::Add, vec![a, c], vec![aval(DType::F32, &[2])])[0];
    g.body.results.push(d);
    check("repro", &g, &[vec![array(DType::F32, &[2], &[10.0, 20.0])]]);
}

/// An array constant read only by ops with scalar results: the graph has
/// no array input, output or result, yet the constant is an array, so it
/// lowers as loop nests (the scalar lowering has no buffer for it).
#[test]
fn array_constants_read_into_scalars() {
    let mut g = Graph::default();
    let b = g.add_input(aval(DType::F32, &[]));
    let Value::Array(constant) = array(DType::F32, &[1, 1, 1], &[2.5]) else {
        unreachable!("an array of rank 3")
    };
    let a = g.array_const(constant);
    let squeezed = Op::Squeeze {
        dimensions: vec![0, 1, 2],
    };
    let f = g.push_eqn(squeezed, vec![a], vec![aval(DType::F32, &[])])[0];
    let h = g.push_eqn(Op::Mul, vec![f, b], vec![aval(DType::F32, &[])])[0];
    g.body.results.push(h);
    check("repro", &g, &[vec![Value::Scalar(Scalar::F32(3.0))]]);
}

/// Float sums and products of 32 or more elements (16 for `f64`) combine
/// in stripes (`ReduceKind`'s order); the loop nests follow it over any
/// axes, kept axes before, between and after the reduced ones, with and
/// without a tail, and the values are spread so that any other order gives
/// other bits.
#[test]
fn long_float_reductions_combine_in_stripes() {
    let mut rng = StdRng::seed_from_u64(0x57e1fe5);
    let cases: [(&[usize], &[usize]); 6] = [
        (&[3, 70], &[1]),
        (&[70, 3], &[0]),
        (&[4, 9, 5], &[1, 2]),
        (&[33], &[0]),
        (&[2, 16, 3], &[0, 1]),
        (&[5, 64], &[1]),
    ];
    for dtype in [DType::F32, DType::F64] {
        for (shape, axes) in cases {
            for kind in [ReduceKind::Sum, ReduceKind::Prod] {
                let mut g = Graph::default();
                let x = g.add_input(aval(dtype, shape));
                // Through an `exp`: not a one-loop kernel, a nest.
                let e = g.push_eqn(Op::Exp, vec![x], vec![aval(dtype, shape)])[0];
                let op = Op::Reduce {
                    kind,
                    axes: axes.to_vec(),
                };
                let out = infer(&g, &op, &[e]);
                let r = g.push_eqn(op, vec![e], vec![out])[0];
                g.body.results.push(r);
                let n: usize = shape.iter().product();
                let elements: Vec<f64> = (0..n).map(|_| rng.random_range(-3.0..3.0)).collect();
                check(
                    &format!("{kind:?} over {axes:?} of {dtype:?}{shape:?}"),
                    &g,
                    &[vec![array(dtype, shape, &elements)]],
                );
            }
        }
    }
}

// Vector loops in nests (`lower/nest/vector.rs`): the innermost loop of an
// elementwise store nest runs on vectors when each leaf is contiguous or
// invariant along it.

/// How many vector stores the lowered code of `graph` has.
fn vector_stores(graph: &Graph) -> usize {
    let text = jit::internals::pipeline::lower_graph(graph.clone(), "vector").as_text();
    text.matches("store.f32x").count() + text.matches("store.f64x").count()
}

/// Lanes of the widest `f32` vector the code uses (4, or 8 with AVX2).
fn f32_lanes() -> usize {
    jit::internals::vector_bits() as usize / 32
}

/// Whether `graph`'s arrays have several shapes (loop nests, not the
/// one-shape kernel).
fn several_shapes(graph: &Graph) -> bool {
    let mut shapes: Vec<&[usize]> = graph
        .values
        .iter()
        .map(|v| &v.aval.shape[..])
        .filter(|s| !s.is_empty())
        .collect();
    shapes.sort();
    shapes.dedup();
    shapes.len() > 1
}

/// Dimension sizes around the vector widths (`L` `f32` lanes, `L / 2`
/// `f64`): below, at and above them, with and without a tail.
static VECTOR_DIMS: std::sync::LazyLock<[usize; 10]> = std::sync::LazyLock::new(|| {
    let l = f32_lanes();
    [
        1,
        1,
        2,
        l - 1,
        l,
        l + 1,
        2 * l - 1,
        2 * l,
        2 * l + 1,
        4 * l + 1,
    ]
});

/// `op`'s choices for programs of elementwise chains over broadcast,
/// transposed, reshaped and sliced leaves, reductions and softmaxes.
const VECTOR_CHOICES: [u32; 17] = [0, 0, 1, 1, 2, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 15, 18];

#[test]
fn vector_nests_agree_with_the_interpreter_bit_for_bit() {
    let mut rng = StdRng::seed_from_u64(seed(0x7ec7));
    let (mut nests, mut vectorised) = (0, 0);
    for program in 0..scaled(PROGRAMS / 3) {
        let mut g = Gen::new(rng.random());
        g.dims = Some(&*VECTOR_DIMS);
        g.choices = Some(&VECTOR_CHOICES);
        for _ in 0..g.rng.random_range(1..=2) {
            let dtype = g.pick(&[DType::F32, DType::F64]);
            let rank = g.rng.random_range(1..=3);
            let shape: Vec<usize> = (0..rank).map(|_| g.random_dim()).collect();
            let depth = g.rng.random_range(2..=4);
            let v = g.value(dtype, &shape, depth);
            g.graph.body.results.push(v);
        }
        if several_shapes(&g.graph) {
            nests += 1;
            vectorised += usize::from(vector_stores(&g.graph) > 0);
        }
        let inputs: Vec<Vec<Value>> = (0..3)
            .map(|_| random_inputs(&mut rng, &g.graph, &g.draws))
            .collect();
        check(&format!("vector program {program}"), &g.graph, &inputs);
    }
    eprintln!("{vectorised} of {nests} nests vectorised");
    // Many nests run on vectors (the others are too short, read a leaf
    // transposed, or compute with an op that has no lanewise form).
    assert!(
        vectorised * 2 > nests,
        "{vectorised} of {nests} nests vectorised"
    );
}

/// `op(x + b)` (and `op(x + b, y)` for binary ops), `x` of `[3, n]`, `b`
/// of `[n]` broadcast along the rows (contiguous), `y` of `[3]` broadcast
/// along the columns (invariant), for each float op and lengths below, at
/// and above the vector width, edge values included; and the same with
/// `x` read transposed from `[n, 3]`, which must stay scalar.
#[test]
fn vector_nests_of_each_op_at_each_length() {
    let mut rng = StdRng::seed_from_u64(0x0e_ac40);
    let l = f32_lanes();
    for (dtype, lanes, lengths) in [
        (DType::F32, l, &[l - 1, l, l + 1, 2 * l + 1, 4 * l + 1][..]),
        (DType::F64, l / 2, &[l / 2 - 1, l / 2, l / 2 + 1, l + 1][..]),
    ] {
        let mut ops = unary_ops(dtype);
        ops.extend(binary_ops(dtype));
        // `JIT_TEST_SCALE` below 1 leaves each op fewer lengths, rotating.
        let per_op = scaled(lengths.len()).min(lengths.len());
        for (k, op) in ops.into_iter().enumerate() {
            let lengths = (0..per_op).map(|j| lengths[(k + j) % lengths.len()]);
            for n in lengths {
                for transposed in [false, true] {
                    let mut g = Graph::default();
                    let x = if transposed {
                        let t = g.add_input(aval(dtype, &[n, 3]));
                        let op = Op::Transpose {
                            permutation: vec![1, 0],
                        };
                        g.push_eqn(op, vec![t], vec![aval(dtype, &[3, n])])[0]
                    } else {
                        g.add_input(aval(dtype, &[3, n]))
                    };
                    let b = g.add_input(aval(dtype, &[n]));
                    let broadcast = |dims: Vec<usize>| Op::BroadcastInDim {
                        shape: vec![3, n],
                        broadcast_dimensions: dims,
                    };
                    let bb = g.push_eqn(broadcast(vec![1]), vec![b], vec![aval(dtype, &[3, n])])[0];
                    let sum = g.push_eqn(Op::Add, vec![x, bb], vec![aval(dtype, &[3, n])])[0];
                    let mut operands = vec![sum];
                    if binary_ops(dtype).contains(&op) {
                        let y = g.add_input(aval(dtype, &[3]));
                        let yb =
                            g.push_eqn(broadcast(vec![0]), vec![y], vec![aval(dtype, &[3, n])])[0];
                        operands.push(yb);
                    }
                    let r = g.push_eqn(op.clone(), operands, vec![aval(dtype, &[3, n])])[0];
                    g.body.results.push(r);
                    let name = format!(
                        "{} of {dtype:?}[3, {n}], transposed {transposed}",
                        op.name()
                    );
                    let stores = vector_stores(&g);
                    if n == 1 {
                        // The rows are the innermost dimension, and `x`
                        // is contiguous along it, transposed or not.
                    } else if transposed || n < lanes {
                        assert_eq!(stores, 0, "{name} runs on vectors");
                    } else if matches!(
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
                            | Op::Exp
                            | Op::Tanh
                    ) {
                        assert!(stores > 0, "{name} does not run on vectors");
                    }
                    let draws = vec![Draw::Data; g.body.inputs.len()];
                    let inputs: Vec<Vec<Value>> = (0..3)
                        .map(|_| random_inputs(&mut rng, &g, &draws))
                        .collect();
                    check(&name, &g, &inputs);
                }
            }
        }
    }
}

/// The two passes the benchmarks time, as `#[jit]` traces them.
mod traced {
    use jit::prelude::*;

    #[jit]
    pub fn dense(x: &Array, w: &Array, b: &Array) -> Array {
        (x.dot(w) + b).tanh()
    }

    #[jit]
    pub fn softmax(x: &Array) -> Array {
        let e = (x - jnp::max(x, 1).reshape([-1, 1])).exp();
        e / jnp::sum(e, 1).reshape([-1, 1])
    }
}

/// The dense layer's pass `tanh(acc + b)` (in place over the product) and
/// the softmax's two elementwise passes (`exp(x - max)`, the division by
/// the sum) and its two reductions (`max`, `sum` along the rows) run on
/// vectors, at the benchmarks' shapes, in `f32` and `f64`.
#[test]
fn dense_layers_and_softmaxes_run_on_vectors() {
    for dtype in [DType::F32, DType::F64] {
        let zeros = |shape: &[usize]| {
            let n: usize = shape.iter().product();
            let v = match dtype {
                DType::F32 => jit::Array::from_shape_vec(shape, vec![0.0f32; n]),
                _ => jit::Array::from_shape_vec(shape, vec![0.0f64; n]),
            };
            v.expect("a shape of n elements")
        };
        let (x, w, b) = (zeros(&[256, 512]), zeros(&[512, 512]), zeros(&[512]));
        let text = traced::dense::lower(&x, &w, &b).as_text();
        let stores = text.matches("store.f32x").count() + text.matches("store.f64x").count();
        assert!(stores >= 1, "the dense layer's pass is scalar:\n{text}");
        let text = traced::softmax::lower(&zeros(&[256, 1024])).as_text();
        let stores = text.matches("store.f32x").count() + text.matches("store.f64x").count();
        assert!(stores >= 2, "a softmax pass is scalar:\n{text}");
        for reduction in ["reduce_lanes.Max", "reduce_lanes.Add"] {
            assert!(
                text.contains(reduction),
                "no {reduction} in a softmax:\n{text}"
            );
        }
    }
}

/// The dense layer `tanh(x @ w + b)` and the row softmax, built as they
/// trace, at row lengths with and without a tail (below, at and above
/// the vector width and a stripe set), against the interpreter.
#[test]
fn dense_layers_and_softmaxes_agree_with_the_interpreter() {
    let mut rng = StdRng::seed_from_u64(0xde05e);
    for dtype in [DType::F32, DType::F64] {
        for n in [1, 2, 4, 5, 8, 11, 16, 17, 32, 33, 70] {
            let (m, k) = (3, 6);
            let mut g = Graph::default();
            let x = g.add_input(aval(dtype, &[m, k]));
            let w = g.add_input(aval(dtype, &[k, n]));
            let b = g.add_input(aval(dtype, &[n]));
            let product = Op::DotGeneral {
                contracting: (vec![1], vec![0]),
                batch: (vec![], vec![]),
            };
            let p = g.push_eqn(product, vec![x, w], vec![aval(dtype, &[m, n])])[0];
            let bias = Op::BroadcastInDim {
                shape: vec![m, n],
                broadcast_dimensions: vec![1],
            };
            let bb = g.push_eqn(bias, vec![b], vec![aval(dtype, &[m, n])])[0];
            let sum = g.push_eqn(Op::Add, vec![p, bb], vec![aval(dtype, &[m, n])])[0];
            let t = g.push_eqn(Op::Tanh, vec![sum], vec![aval(dtype, &[m, n])])[0];
            g.body.results.push(t);
            let draws = vec![Draw::Data; 3];
            let inputs: Vec<Vec<Value>> = (0..3)
                .map(|_| random_inputs(&mut rng, &g, &draws))
                .collect();
            check(&format!("dense {dtype:?} n = {n}"), &g, &inputs);

            // `e = exp(x - max(x, 1)[:, None]); e / sum(e, 1)[:, None]`.
            let mut g = Graph::default();
            let x = g.add_input(aval(dtype, &[m, n]));
            let reduce = |g: &mut Graph, kind, x| {
                let op = Op::Reduce {
                    kind,
                    axes: vec![1],
                };
                let r = g.push_eqn(op, vec![x], vec![aval(dtype, &[m])])[0];
                let op = Op::Reshape {
                    new_sizes: vec![m, 1],
                };
                g.push_eqn(op, vec![r], vec![aval(dtype, &[m, 1])])[0]
            };
            let max = reduce(&mut g, ReduceKind::Max, x);
            let centred = g.push_eqn(Op::Sub, vec![x, max], vec![aval(dtype, &[m, n])])[0];
            let e = g.push_eqn(Op::Exp, vec![centred], vec![aval(dtype, &[m, n])])[0];
            let sum = reduce(&mut g, ReduceKind::Sum, e);
            let r = g.push_eqn(Op::Div, vec![e, sum], vec![aval(dtype, &[m, n])])[0];
            g.body.results.push(r);
            // Spread values (any other order of the sum gives other bits),
            // a NaN in the first row, signed zeros in the second, an
            // infinity in the third; and random and edge values.
            let mut elements: Vec<f64> = (0..m * n).map(|_| rng.random_range(-3.0..3.0)).collect();
            elements[rng.random_range(0..n)] = f64::NAN;
            for e in &mut elements[n..2 * n] {
                *e = if rng.random_bool(0.5) { 0.0 } else { -0.0 };
            }
            elements[2 * n + rng.random_range(0..n)] = f64::INFINITY;
            let spread = vec![array(dtype, &[m, n], &elements)];
            let random = random_inputs(&mut rng, &g, &[Draw::Data]);
            check(&format!("softmax {dtype:?} n = {n}"), &g, &[spread, random]);
        }
    }
}

/// Reductions along the rows of `x * b` (or of `tanh(x) * b`, a long body
/// with one vector per iteration), `x` of `[3, n]`, `b` of `[n]`
/// broadcast: sums and products in `ReduceKind`'s stripes, `max` and `min`
/// in any order, at lengths below, at and above the vector width and a
/// stripe set, on spread values and on random and edge values (NaN, ±0,
/// infinities).
#[test]
fn vector_reductions_along_rows_agree_with_the_interpreter() {
    let mut rng = StdRng::seed_from_u64(0x5ed0c3);
    let l = f32_lanes();
    for (dtype, lanes, stripes) in [(DType::F32, l, 32), (DType::F64, l / 2, 16)] {
        for kind in [
            ReduceKind::Sum,
            ReduceKind::Prod,
            ReduceKind::Max,
            ReduceKind::Min,
        ] {
            for n in [2, 3, 4, 5, 9, 16, 17, 32, 33, 70] {
                let long = n % 2 == 1;
                let mut g = Graph::default();
                let x = g.add_input(aval(dtype, &[3, n]));
                let b = g.add_input(aval(dtype, &[n]));
                let bias = Op::BroadcastInDim {
                    shape: vec![3, n],
                    broadcast_dimensions: vec![1],
                };
                let bb = g.push_eqn(bias, vec![b], vec![aval(dtype, &[3, n])])[0];
                let x = if long {
                    g.push_eqn(Op::Tanh, vec![x], vec![aval(dtype, &[3, n])])[0]
                } else {
                    x
                };
                let y = g.push_eqn(Op::Mul, vec![x, bb], vec![aval(dtype, &[3, n])])[0];
                let op = Op::Reduce {
                    kind,
                    axes: vec![1],
                };
                let r = g.push_eqn(op, vec![y], vec![aval(dtype, &[3])])[0];
                g.body.results.push(r);
                let name = format!("{kind:?} of {dtype:?}[3, {n}], long {long}");
                let text = jit::internals::pipeline::lower_graph(g.clone(), "r").as_text();
                let striped = matches!(kind, ReduceKind::Sum | ReduceKind::Prod);
                let vectorised = if striped { n >= stripes } else { n >= lanes };
                assert_eq!(text.contains("reduce_lanes"), vectorised, "{name}:\n{text}");
                let spread = |rng: &mut StdRng, k: usize| -> Vec<f64> {
                    (0..k).map(|_| rng.random_range(0.5..2.0)).collect()
                };
                let inputs = vec![
                    vec![
                        array(dtype, &[3, n], &spread(&mut rng, 3 * n)),
                        array(dtype, &[n], &spread(&mut rng, n)),
                    ],
                    random_inputs(&mut rng, &g, &[Draw::Data, Draw::Data]),
                    random_inputs(&mut rng, &g, &[Draw::Ties, Draw::Data]),
                ];
                check(&name, &g, &inputs);
            }
        }
    }
}
