//! Random elementwise array programs, compiled natively (one fused loop)
//! and checked against the reference interpreter bit for bit (any NaN
//! equals any NaN), transcendental functions included: both evaluate them
//! with the `math` module's algorithms.
//!
//! Each program has one to three array inputs of one shape (sizes 0, 1, 7,
//! 13, 1000 and a few two-dimensional shapes: loops with and without a
//! tail after the unrolled iterations), sometimes a scalar input, and a
//! chain of random elementwise ops of random dtypes over them, over
//! literals and over broadcasts of scalars; its results are some of the
//! arrays and scalars it computed and sometimes a full `reduce_sum`,
//! `reduce_max` or `reduce_min` of an array. Elements are edge values
//! (NaN, infinities, -0.0, MIN, MAX, 0, subnormals) as well as random ones.

use jit::DType;
use jit::dtype::Ty;
use jit::internals::interp;
use jit::internals::ir::{AVal, Graph, Op, ReduceKind, ValueId};
use jit::internals::pipeline::compile_graph;
use jit::internals::value::Value;
use jit::scalar::Scalar;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[path = "support/mod.rs"]
mod support;
use support::ops_for;
use support::same;
use support::scaled;

const PROGRAMS: usize = 400;

/// The kernel shapes programs draw from.
const SHAPES: [&[usize]; 9] = [
    &[0],
    &[1],
    &[7],
    &[13],
    &[1000],
    &[2, 3],
    &[3, 0],
    &[5, 7],
    &[1, 1],
];

fn edge_values(dtype: DType) -> Vec<Scalar> {
    match dtype {
        DType::Bool => vec![Scalar::Bool(false), Scalar::Bool(true)],
        DType::I32 => [0, 1, -1, 7, -7, i32::MIN, i32::MAX]
            .map(Scalar::I32)
            .to_vec(),
        DType::U32 => [0, 1, 7, u32::MAX, 1 << 31].map(Scalar::U32).to_vec(),
        DType::I64 => [0, 1, -1, 7, i64::MIN, i64::MAX, 1 << 40]
            .map(Scalar::I64)
            .to_vec(),
        DType::F32 => [
            0.0,
            -0.0,
            1.0,
            -2.5,
            2.5,
            1e10,
            f32::MAX,
            f32::MIN_POSITIVE,
            1e-40,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
        ]
        .map(Scalar::F32)
        .to_vec(),
        DType::F64 => [
            0.0,
            -0.0,
            1.0,
            -2.5,
            2.5,
            1e300,
            f64::MAX,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ]
        .map(Scalar::F64)
        .to_vec(),
    }
}

fn random_value(rng: &mut StdRng, dtype: DType) -> Scalar {
    if rng.random_bool(0.3) {
        let edges = edge_values(dtype);
        return edges[rng.random_range(0..edges.len())];
    }
    match dtype {
        DType::Bool => Scalar::Bool(rng.random()),
        DType::I32 => Scalar::I32(rng.random_range(-1000..1000)),
        DType::U32 => Scalar::U32(rng.random()),
        DType::I64 => Scalar::I64(rng.random::<i64>() >> rng.random_range(0..60)),
        DType::F32 => Scalar::F32(rng.random_range(-100.0..100.0)),
        DType::F64 => Scalar::F64(rng.random_range(-1e6..1e6)),
    }
}

fn random_dtype(rng: &mut StdRng) -> DType {
    DType::ALL[rng.random_range(0..DType::ALL.len())]
}

struct Program {
    graph: Graph,
    shape: Vec<usize>,
    /// Every value so far: (dtype, is an array, id).
    values: Vec<(DType, bool, ValueId)>,
}

impl Program {
    fn aval(&self, dtype: DType, array: bool) -> AVal {
        AVal {
            ty: Ty::strong(dtype),
            shape: if array {
                self.shape.clone()
            } else {
                Vec::new()
            },
        }
    }

    /// A value of `dtype`: an existing one, a literal, or a broadcast scalar.
    fn pick(&mut self, rng: &mut StdRng, dtype: DType) -> (ValueId, bool) {
        let candidates: Vec<(ValueId, bool)> = self
            .values
            .iter()
            .filter(|(d, _, _)| *d == dtype)
            .map(|&(_, a, v)| (v, a))
            .collect();
        if candidates.is_empty() || rng.random_bool(0.2) {
            let v = self.graph.literal(random_value(rng, dtype), false);
            if rng.random_bool(0.3) {
                let op = Op::BroadcastInDim {
                    shape: self.shape.clone(),
                    broadcast_dimensions: Vec::new(),
                };
                let b = self
                    .graph
                    .push_eqn(op, vec![v], vec![self.aval(dtype, true)])[0];
                self.values.push((dtype, true, b));
                return (b, true);
            }
            return (v, false);
        }
        candidates[rng.random_range(0..candidates.len())]
    }

    fn eqn(&mut self, op: Op, inputs: Vec<(ValueId, bool)>, out: DType) {
        let array = inputs.iter().any(|&(_, a)| a);
        let ids = inputs.iter().map(|&(v, _)| v).collect();
        let v = self.graph.push_eqn(op, ids, vec![self.aval(out, array)])[0];
        self.values.push((out, array, v));
    }
}

fn random_program(rng: &mut StdRng) -> Program {
    let shape = SHAPES[rng.random_range(0..SHAPES.len())].to_vec();
    random_program_of(rng, shape, None)
}

/// Kernel shapes of the vector loops: one iteration (32 `f32` or 16 `f64`
/// elements) or more, with and without a tail.
const VECTOR_SHAPES: [&[usize]; 8] = [
    &[32],
    &[33],
    &[16],
    &[47],
    &[64],
    &[1000],
    &[4, 40],
    &[17, 3],
];

/// The lanewise ops of the vector loops, transcendental functions included.
const LANEWISE: [Op; 37] = [
    Op::Exp2,
    Op::Expm1,
    Op::Log1p,
    Op::Log2,
    Op::Log10,
    Op::Cbrt,
    Op::Erf,
    Op::Logistic,
    Op::Asin,
    Op::Acos,
    Op::Atan,
    Op::Sinh,
    Op::Cosh,
    Op::Asinh,
    Op::Acosh,
    Op::Atanh,
    Op::Exp,
    Op::Log,
    Op::Sin,
    Op::Cos,
    Op::Tan,
    Op::Tanh,
    Op::Add,
    Op::Sub,
    Op::Mul,
    Op::Div,
    Op::Max,
    Op::Min,
    Op::Neg,
    Op::Abs,
    Op::Sqrt,
    Op::Lt,
    Op::Le,
    Op::Gt,
    Op::Ge,
    Op::Eq,
    Op::Ne,
];

/// A program whose values are all of `lane` (bools only as `select_n`
/// predicates) and whose ops mostly have a lanewise form, when `lane` is
/// given; any program otherwise.
fn random_program_of(rng: &mut StdRng, shape: Vec<usize>, lane: Option<DType>) -> Program {
    let random_dtype = |rng: &mut StdRng| lane.unwrap_or_else(|| random_dtype(rng));
    let mut p = Program {
        graph: Graph::default(),
        shape,
        values: Vec::new(),
    };
    for _ in 0..rng.random_range(1..4) {
        let dtype = random_dtype(rng);
        let v = p.graph.add_input(p.aval(dtype, true));
        p.values.push((dtype, true, v));
    }
    if rng.random_bool(0.3) {
        let dtype = random_dtype(rng);
        let v = p.graph.add_input(p.aval(dtype, false));
        p.values.push((dtype, false, v));
    }
    for _ in 0..rng.random_range(1..20) {
        let dtype = random_dtype(rng);
        match rng.random_range(0..10) {
            0 | 1 if lane.is_some() && rng.random_bool(0.9) => {
                let pred = p.pick(rng, DType::Bool);
                let (t, f) = (p.pick(rng, dtype), p.pick(rng, dtype));
                p.eqn(Op::Select, vec![pred, f, t], dtype);
            }
            _ if lane.is_some() && rng.random_bool(0.95) => {
                let op = LANEWISE[rng.random_range(0..LANEWISE.len())].clone();
                let out = if op.is_comparison() {
                    DType::Bool
                } else {
                    dtype
                };
                let inputs = if op.is_binary() {
                    vec![p.pick(rng, dtype), p.pick(rng, dtype)]
                } else {
                    vec![p.pick(rng, dtype)]
                };
                p.eqn(op, inputs, out);
            }
            0 | 1 => {
                let x = p.pick(rng, dtype);
                let to = random_dtype(rng);
                let op = Op::Convert {
                    new_dtype: to,
                    weak: false,
                };
                p.eqn(op, vec![x], to);
            }
            2 => {
                let pred = p.pick(rng, DType::Bool);
                let (t, f) = (p.pick(rng, dtype), p.pick(rng, dtype));
                p.eqn(Op::Select, vec![pred, f, t], dtype);
            }
            _ => {
                let ops = ops_for(dtype);
                let op = ops[rng.random_range(0..ops.len())].clone();
                let out = if op.is_comparison() {
                    DType::Bool
                } else {
                    dtype
                };
                let arity = op.arity().expect("elementwise ops have an arity");
                let inputs = (0..arity).map(|_| p.pick(rng, dtype)).collect();
                p.eqn(op, inputs, out);
            }
        }
    }
    let computed: Vec<ValueId> = p
        .graph
        .body
        .eqns
        .iter()
        .flat_map(|e| e.outputs.clone())
        .filter(|&v| lane.is_none() || p.graph.aval(v).ty.dtype != DType::Bool)
        .collect();
    if computed.is_empty() {
        let first = p.values[0].2;
        p.graph.body.results.push(first);
    }
    for _ in 0..rng.random_range(1..4) {
        if computed.is_empty() {
            break;
        }
        let r = computed[rng.random_range(0..computed.len())];
        p.graph.body.results.push(r);
    }
    // A trailing full reduction of an array.
    let arrays: Vec<(DType, ValueId)> = p
        .values
        .iter()
        .filter(|&&(d, a, _)| a && d != DType::Bool)
        .map(|&(d, _, v)| (d, v))
        .collect();
    if !arrays.is_empty() && rng.random_bool(0.5) {
        let (dtype, x) = arrays[rng.random_range(0..arrays.len())];
        let kinds = [ReduceKind::Sum, ReduceKind::Max, ReduceKind::Min];
        let op = Op::Reduce {
            kind: kinds[rng.random_range(0..3)],
            axes: (0..p.shape.len()).collect(),
        };
        let total = p.graph.push_eqn(op, vec![x], vec![p.aval(dtype, false)])[0];
        p.graph.body.results.push(total);
    }
    p
}

fn random_inputs(rng: &mut StdRng, graph: &Graph) -> Vec<Value> {
    graph
        .body
        .inputs
        .iter()
        .map(|&v| {
            let aval = graph.aval(v);
            let n = aval.shape.iter().product::<usize>();
            let elements: Vec<Scalar> = (0..n).map(|_| random_value(rng, aval.ty.dtype)).collect();
            Value::from_elements(aval, &elements)
        })
        .collect()
}

#[test]
fn fused_loops_agree_with_the_interpreter_bit_for_bit() {
    let mut rng = StdRng::seed_from_u64(0xa77a7);
    let programs: Vec<Program> = (0..scaled(PROGRAMS))
        .map(|_| random_program(&mut rng))
        .collect();
    check_programs(&mut rng, programs);
}

#[test]
fn vector_loops_agree_with_the_interpreter_bit_for_bit() {
    let mut rng = StdRng::seed_from_u64(0x05ee_d51d);
    let mut vectorised = 0;
    // Half as many: each compiles vector math, slow under memcheck.
    let programs: Vec<Program> = (0..scaled(PROGRAMS / 2))
        .map(|_| {
            let shape = VECTOR_SHAPES[rng.random_range(0..VECTOR_SHAPES.len())].to_vec();
            let lane = [DType::F32, DType::F64][rng.random_range(0..2)];
            let p = random_program_of(&mut rng, shape, Some(lane));
            let text = jit::internals::pipeline::lower_graph(p.graph.clone(), "v").as_text();
            vectorised += usize::from(["x2", "x4", "x8"].iter().any(|w| text.contains(w)));
            p
        })
        .collect();
    // Most of them run on vectors (the others have an op with no lanewise
    // form, or fewer elements than one iteration).
    assert!(
        vectorised * 2 > programs.len(),
        "{vectorised} of {} vectorised",
        programs.len()
    );
    check_programs(&mut rng, programs);
}

fn check_programs(rng: &mut StdRng, programs: Vec<Program>) {
    let rng = &mut *rng;
    for (program, p) in programs.into_iter().enumerate() {
        let compiled = compile_graph(p.graph.clone(), "random_kernel");
        assert!(
            compiled.is_native(),
            "program {program} is not native: {:?}\n{}",
            compiled.fallback_reason(),
            jit::Jaxpr::new(p.graph.clone())
        );
        for _ in 0..3 {
            let inputs = random_inputs(rng, &p.graph);
            let want = interp::run_values(&p.graph, &inputs);
            let got = compiled.run_values(&inputs);
            for (k, (w, g)) in want.iter().zip(&got).enumerate() {
                assert_eq!(w.shape(), g.shape(), "program {program} result {k}");
                let agree = (0..w.size()).all(|i| same(w.element(i), g.element(i)));
                assert!(
                    agree,
                    "program {program} result {k}: interpreter {:?}, native {:?}\n{}\ninputs {inputs:?}",
                    w.elements(),
                    g.elements(),
                    jit::Jaxpr::new(p.graph.clone())
                );
            }
        }
    }
}
