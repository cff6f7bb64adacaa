//! Random scalar graphs, compiled natively and checked against the
//! reference interpreter: bit for bit (any NaN equals any NaN) on
//! arithmetic, casts, comparisons and integer ops, and on transcendental
//! functions too, which both evaluate with the `math` module's algorithms
//! (their ULP bound against the exact result is `tests/numerics.rs`'s).
//!
//! Each graph draws inputs of every dtype and a chain of random ops over
//! them and over literals, fed with edge values (NaN, infinities, -0.0,
//! MIN, MAX, 0, subnormals) as well as random ones.
//!
//! Some equations are loops and branches: a `while` over a counter with a
//! small literal trip count whose body and condition are random graphs, and
//! a `cond` (index from a random `i32`) whose branches are random graphs with
//! the same result dtypes; they nest up to two deep.

use jit::DType;
use jit::dtype::Ty;
use jit::internals::interp;
use jit::internals::ir::{AVal, Graph, Op, Region, ValueDef, ValueId};
use jit::internals::pipeline::compile_graph;
use jit::scalar::Scalar;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[path = "support/mod.rs"]
mod support;
use support::{ops_for, scaled};

const GRAPHS: usize = 3000;

const INPUT_SETS: usize = 12;

fn edge_values(dtype: DType) -> Vec<Scalar> {
    match dtype {
        DType::Bool => vec![Scalar::Bool(false), Scalar::Bool(true)],
        DType::I32 => [0, 1, -1, 7, -7, 2, i32::MIN, i32::MAX, 12345, -98765]
            .map(Scalar::I32)
            .to_vec(),
        DType::U32 => [0, 1, 2, 7, u32::MAX, u32::MAX - 1, 1 << 31, 4_000_000_000]
            .map(Scalar::U32)
            .to_vec(),
        DType::I64 => [
            0,
            1,
            -1,
            7,
            -7,
            i64::MIN,
            i64::MAX,
            1 << 40,
            i32::MIN as i64,
        ]
        .map(Scalar::I64)
        .to_vec(),
        DType::F32 => [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -2.5,
            2.5,
            3.7,
            -3.7,
            1e10,
            -1e10,
            3e9,
            f32::MAX,
            f32::MIN,
            f32::MIN_POSITIVE,
            1e-40,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            8388609.0,
            0.49999997,
        ]
        .map(Scalar::F32)
        .to_vec(),
        DType::F64 => [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -2.5,
            2.5,
            3.7,
            -3.7,
            1e300,
            -1e19,
            9.3e18,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            4503599627370497.0,
            0.49999999999999994,
        ]
        .map(Scalar::F64)
        .to_vec(),
    }
}

fn random_value(rng: &mut StdRng, dtype: DType) -> Scalar {
    if rng.random_bool(0.5) {
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

struct Builder {
    graph: Graph,
    by_dtype: Vec<(DType, ValueId)>,
}

impl Builder {
    fn push(&mut self, v: ValueId) {
        self.by_dtype.push((self.graph.aval(v).ty.dtype, v));
    }

    fn pick(&mut self, rng: &mut StdRng, dtype: DType) -> ValueId {
        let candidates: Vec<ValueId> = self
            .by_dtype
            .iter()
            .filter(|(d, _)| *d == dtype)
            .map(|&(_, v)| v)
            .collect();
        if candidates.is_empty() || rng.random_bool(0.15) {
            let v = self.graph.literal(random_value(rng, dtype), false);
            self.push(v);
            return v;
        }
        candidates[rng.random_range(0..candidates.len())]
    }

    fn eqn(&mut self, op: Op, inputs: Vec<ValueId>, out: DType) -> ValueId {
        let v = self
            .graph
            .push_eqn(op, inputs, vec![AVal::scalar(Ty::strong(out))])[0];
        self.push(v);
        v
    }
}

fn random_graph(rng: &mut StdRng) -> Graph {
    let inputs: Vec<DType> = (0..rng.random_range(1..5))
        .map(|_| random_dtype(rng))
        .collect();
    random_graph_with(rng, &inputs, None, 2)
}

/// Copies `sub`'s values into `graph`'s arena; returns `sub`'s body renumbered.
fn import(graph: &mut Graph, sub: &Graph) -> Region {
    let offset = graph.values.len() as u32;
    graph.values.extend(sub.values.iter().cloned());
    let shift = |v: &ValueId| ValueId(v.0 + offset);
    fn renumber(r: &Region, shift: &impl Fn(&ValueId) -> ValueId) -> Region {
        Region {
            inputs: r.inputs.iter().map(shift).collect(),
            results: r.results.iter().map(shift).collect(),
            eqns: r
                .eqns
                .iter()
                .map(|e| {
                    let mut e = e.clone();
                    e.inputs = e.inputs.iter().map(shift).collect();
                    e.outputs = e.outputs.iter().map(shift).collect();
                    for r in e.op.regions_mut() {
                        *r = renumber(r, shift);
                    }
                    e
                })
                .collect(),
        }
    }
    renumber(&sub.body, &shift)
}

/// A random `while` or `cond` equation over values of `b`.
fn control_flow(rng: &mut StdRng, b: &mut Builder, depth: usize) {
    let dtypes: Vec<DType> = (0..rng.random_range(1..3))
        .map(|_| random_dtype(rng))
        .collect();
    let operands: Vec<ValueId> = dtypes.iter().map(|&d| b.pick(rng, d)).collect();
    let out_avals: Vec<AVal> = dtypes
        .iter()
        .map(|&d| AVal::scalar(Ty::strong(d)))
        .collect();
    if rng.random_bool(0.5) {
        // while: carry (counter, limit, values..).
        let mut carry = vec![DType::I32, DType::I32];
        carry.extend(&dtypes);
        let sub = random_graph_with(rng, &carry, Some(&carry), depth - 1);
        let mut body = import(&mut b.graph, &sub);
        let one = b.graph.literal(Scalar::I32(1), false);
        let next = b
            .graph
            .new_value(AVal::scalar(Ty::strong(DType::I32)), ValueDef::Eqn);
        body.eqns.push(jit::internals::ir::Eqn {
            op: Op::Add,
            inputs: vec![body.inputs[0], one],
            outputs: vec![next],
        });
        body.results[0] = next;
        body.results[1] = body.inputs[1];
        let cond_in: Vec<ValueId> = carry
            .iter()
            .map(|&d| {
                b.graph
                    .new_value(AVal::scalar(Ty::strong(d)), ValueDef::Input)
            })
            .collect();
        let p = b
            .graph
            .new_value(AVal::scalar(Ty::strong(DType::Bool)), ValueDef::Eqn);
        let cond = Region {
            eqns: vec![jit::internals::ir::Eqn {
                op: Op::Lt,
                inputs: vec![cond_in[0], cond_in[1]],
                outputs: vec![p],
            }],
            inputs: cond_in,
            results: vec![p],
        };
        let zero = b.graph.literal(Scalar::I32(0), false);
        let limit = b.graph.literal(Scalar::I32(rng.random_range(-1..5)), false);
        let mut inputs = vec![zero, limit];
        inputs.extend(&operands);
        let mut avals = vec![AVal::scalar(Ty::strong(DType::I32)); 2];
        avals.extend(out_avals);
        let outs = b.graph.push_eqn(
            Op::While {
                cond: Box::new(cond),
                body: Box::new(body),
                cond_nconsts: 0,
                body_nconsts: 0,
            },
            inputs,
            avals,
        );
        outs.iter().for_each(|&v| b.push(v));
    } else {
        let index = b.pick(rng, DType::I32);
        let n = rng.random_range(2..4);
        let branches: Vec<Region> = (0..n)
            .map(|_| {
                let sub = random_graph_with(rng, &dtypes, Some(&dtypes), depth - 1);
                import(&mut b.graph, &sub)
            })
            .collect();
        let mut inputs = vec![index];
        inputs.extend(&operands);
        let outs = b.graph.push_eqn(Op::Cond { branches }, inputs, out_avals);
        outs.iter().for_each(|&v| b.push(v));
    }
}

/// A random graph with inputs of `inputs`' dtypes and, if given, results of
/// `results`' dtypes; `depth` bounds the nesting of loops and branches.
fn random_graph_with(
    rng: &mut StdRng,
    inputs: &[DType],
    results: Option<&[DType]>,
    depth: usize,
) -> Graph {
    let mut b = Builder {
        graph: Graph::default(),
        by_dtype: Vec::new(),
    };
    for &dtype in inputs {
        let v = b.graph.add_input(AVal::scalar(Ty::strong(dtype)));
        b.push(v);
    }
    for _ in 0..rng.random_range(1..25) {
        let dtype = random_dtype(rng);
        if depth > 0 && rng.random_bool(0.04) {
            control_flow(rng, &mut b, depth);
            continue;
        }
        match rng.random_range(0..10) {
            0 | 1 => {
                let x = b.pick(rng, dtype);
                let to = random_dtype(rng);
                b.eqn(
                    Op::Convert {
                        new_dtype: to,
                        weak: false,
                    },
                    vec![x],
                    to,
                );
            }
            2 => {
                let p = b.pick(rng, DType::Bool);
                let (t, f) = (b.pick(rng, dtype), b.pick(rng, dtype));
                b.eqn(Op::Select, vec![p, f, t], dtype);
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
                let inputs = (0..arity).map(|_| b.pick(rng, dtype)).collect();
                b.eqn(op, inputs, out);
            }
        }
    }
    if let Some(results) = results {
        for &d in results {
            let v = b.pick(rng, d);
            b.graph.body.results.push(v);
        }
        return b.graph;
    }
    let computed: Vec<ValueId> = b
        .graph
        .body
        .eqns
        .iter()
        .flat_map(|e| e.outputs.clone())
        .collect();
    for _ in 0..rng.random_range(1..4) {
        let r = computed[rng.random_range(0..computed.len())];
        b.graph.body.results.push(r);
    }
    b.graph
}

fn inputs_for(rng: &mut StdRng, graph: &Graph) -> Vec<Scalar> {
    graph
        .body
        .inputs
        .iter()
        .map(|&v| random_value(rng, graph.aval(v).ty.dtype))
        .collect()
}

#[test]
fn native_code_agrees_with_the_interpreter_bit_for_bit() {
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let (mut native, mut loops) = (0, 0);
    let graphs = scaled(GRAPHS);
    for n in 0..graphs {
        let graph = random_graph(&mut rng);
        if graph.body.eqns.iter().any(|e| e.op.has_regions()) {
            loops += 1;
        }
        let compiled = compile_graph(graph.clone(), "random");
        if compiled.is_native() {
            native += 1;
        }
        for _ in 0..INPUT_SETS {
            let inputs = inputs_for(&mut rng, &graph);
            let want = interp::run(&graph, &inputs);
            let got = compiled.run_scalars(&inputs);
            let agree =
                want.len() == got.len() && want.iter().zip(&got).all(|(w, g)| w.same_bits(*g));
            assert!(
                agree,
                "graph {n} disagrees on inputs {inputs:?}\nwant {want:?}\ngot  {got:?}\n{}\n{}",
                jit::Jaxpr::new(graph.clone()),
                compiled.as_text()
            );
        }
    }
    assert_eq!(native, graphs, "every scalar graph compiles natively");
    assert!(
        loops > graphs / 20,
        "enough graphs hold loops or branches ({loops})"
    );
}
