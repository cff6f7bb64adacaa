//! The VJP rule of every op: cotangents of an equation's inputs from the
//! cotangents of its outputs and the primal values, as traced operations.
//!
//! Each rule follows JAX's (`jax/_src/lax/lax.py` and friends) so that
//! gradients agree with JAX's, including its conventions at points where
//! a function is not differentiable: `abs'(0) = 0` (`sign`), `max`/`min`
//! split the cotangent evenly between tied operands, `floor`, `ceil`,
//! `round` and comparisons have zero derivative, and a `reduce_max` sends
//! the cotangent to every location of the maximum in equal parts.
//!
//! A rule returns one `Option` per input: `None` for no contribution
//! (integer operands, indices, predicates, or a zero derivative).

use crate::dtype::{DType, Ty};
use crate::ir::{AVal, Eqn, Op, ReduceKind, dot_free_dims};
use crate::scalar::Scalar;
use crate::trace::Tracer;
use crate::trace::array_ops;
use crate::trace::ops::select;

type Cotangents = Vec<Option<Tracer>>;

/// The cotangents of `eqn`'s inputs, given its outputs' (`outputs[k]` is
/// `None` when output `k` has none), or why the op has no rule.
pub(super) fn rule(eqn: &Eqn, outputs: &[Option<Tracer>]) -> Result<Cotangents, String> {
    let x = |k: usize| Tracer::of(eqn.inputs[k]);
    let z = || Tracer::of(eqn.outputs[0]);
    let none = || vec![None; eqn.inputs.len()];
    match &eqn.op {
        Op::Cond { branches } => return super::control::cond(eqn, branches, outputs),
        Op::Scan {
            body,
            length,
            num_consts,
            num_carry,
        } => return super::control::scan(eqn, body, *length, *num_consts, *num_carry, outputs),
        _ => {}
    }
    let Some(g) = outputs.first().copied().flatten() else {
        return if eqn.op.has_regions() {
            Err(control_flow(&eqn.op))
        } else {
            Ok(none())
        };
    };
    let shape = |k: usize| x(k).shape();
    let weak = crate::private::weak_float;
    Ok(match &eqn.op {
        Op::Add => vec![unbroadcast(g, &shape(0)), unbroadcast(g, &shape(1))],
        Op::Sub => vec![unbroadcast(g, &shape(0)), unbroadcast(-g, &shape(1))],
        Op::Mul => vec![
            unbroadcast(g * x(1), &shape(0)),
            unbroadcast(g * x(0), &shape(1)),
        ],
        Op::Div if g.dtype().is_float() => vec![
            unbroadcast(g / x(1), &shape(0)),
            unbroadcast(-(g * z()) / x(1), &shape(1)),
        ],
        Op::Rem if g.dtype().is_float() => {
            // d/dx = 1, d/dy = -trunc(x / y), as JAX's `rem` JVP.
            let q = x(0) / x(1);
            let trunc = select(q.lt(0.0), q.ceil(), q.floor());
            vec![
                unbroadcast(g, &shape(0)),
                unbroadcast(-(g * trunc), &shape(1)),
            ]
        }
        Op::Max | Op::Min => {
            let (a, b, m) = (x(0), x(1), z());
            vec![
                unbroadcast(g * balanced_eq(a, m, b), &shape(0)),
                unbroadcast(g * balanced_eq(b, m, a), &shape(1)),
            ]
        }
        Op::Neg => vec![Some(-g)],
        Op::Abs => vec![Some(g * sign(x(0)))],
        Op::Sqrt => vec![Some(g * (crate::private::weak_float(0.5) / z()))],
        Op::Exp => vec![Some(g * z())],
        Op::Log => vec![Some(g / x(0))],
        // Exponential/logarithmic family, JAX's rules.
        Op::Exp2 => vec![Some(g * (z() * weak(std::f64::consts::LN_2)))],
        Op::Expm1 => vec![Some(g * (z() + weak(1.0)))],
        Op::Log1p => vec![Some(g / (x(0) + weak(1.0)))],
        Op::Log2 => vec![Some(g / (x(0) * weak(std::f64::consts::LN_2)))],
        Op::Log10 => vec![Some(g / (x(0) * weak(std::f64::consts::LN_10)))],
        Op::Pow => {
            // JAX's `_pow_jvp_lhs`/`_rhs`: d/dx = 0 where y == 0, else
            // y x^(y-1); d/dy = ln(x) x^y with ln(0) read as ln(1) = 0.
            let (a, b) = (x(0), x(1));
            let one = weak(1.0);
            let y_zero = b.eq(0.0);
            let safe_y = select(y_zero, one, b);
            let dx = select(y_zero, weak(0.0), safe_y * a.powf(b - one));
            let safe_x = select(a.eq(0.0), one, a);
            let dy = safe_x.ln() * z();
            vec![
                unbroadcast(g * dx, &shape(0)),
                unbroadcast(g * dy, &shape(1)),
            ]
        }
        Op::Cbrt => vec![Some(g * (weak(1.0 / 3.0) / (z() * z())))],
        Op::Erf => vec![Some(
            g * (weak(std::f64::consts::FRAC_2_SQRT_PI) * (-(x(0) * x(0))).exp()),
        )],
        Op::Logistic => vec![Some(g * (z() * (weak(1.0) - z())))],
        Op::Sin => vec![Some(g * x(0).cos())],
        Op::Cos => vec![Some(-(g * x(0).sin()))],
        Op::Tan => vec![Some(g * (crate::private::weak_float(1.0) + z() * z()))],
        // Inverse trigonometric and hyperbolic functions (JAX's rules; `hypot`,
        // not a lax primitive, as x / h and y / h).
        Op::Asin => vec![Some(
            g * (crate::private::weak_float(1.0) - x(0) * x(0))
                .sqrt()
                .recip(),
        )],
        Op::Acos => vec![Some(
            g * -(crate::private::weak_float(1.0) - x(0) * x(0))
                .sqrt()
                .recip(),
        )],
        Op::Atan => vec![Some(g / (crate::private::weak_float(1.0) + x(0) * x(0)))],
        Op::Atan2 => {
            let (a, b) = (x(0), x(1));
            let denom = a * a + b * b;
            vec![
                unbroadcast(g * (b / denom), &shape(0)),
                unbroadcast(g * (-a / denom), &shape(1)),
            ]
        }
        Op::Sinh => vec![Some(g * x(0).cosh())],
        Op::Cosh => vec![Some(g * x(0).sinh())],
        Op::Asinh => vec![Some(
            g * (x(0) * x(0) + crate::private::weak_float(1.0))
                .sqrt()
                .recip(),
        )],
        Op::Acosh => {
            let one = || crate::private::weak_float(1.0);
            vec![Some(g * ((x(0) - one()) * (x(0) + one())).sqrt().recip())]
        }
        Op::Atanh => {
            let one = || crate::private::weak_float(1.0);
            vec![Some((one() + x(0)).recip() * (g / (one() - x(0))))]
        }
        Op::Hypot => {
            let h = z();
            vec![
                unbroadcast(g * (x(0) / h), &shape(0)),
                unbroadcast(g * (x(1) / h), &shape(1)),
            ]
        }
        Op::Tanh => vec![Some(
            (g + g * z()) * (crate::private::weak_float(1.0) - z()),
        )],
        Op::Floor | Op::Ceil | Op::Round => none(),
        // Rust semantics: the bit operations have integer operands.
        Op::Fma => vec![
            unbroadcast(g * x(1), &shape(0)),
            unbroadcast(g * x(0), &shape(1)),
            unbroadcast(g, &shape(2)),
        ],
        Op::Convert { .. } if x(0).dtype().is_float() => vec![Some(convert(g, x(0).dtype()))],
        Op::Select => {
            let (pred, zero) = (x(0), zeros(g.dtype(), &g.shape()));
            vec![
                None,
                unbroadcast(select(pred, zero, g), &shape(1)),
                unbroadcast(select(pred, g, zero), &shape(2)),
            ]
        }
        Op::BroadcastInDim {
            shape: out_shape,
            broadcast_dimensions,
        } => {
            let from = shape(0);
            let summed: Vec<usize> = (0..out_shape.len())
                .filter(|d| match broadcast_dimensions.iter().position(|b| b == d) {
                    None => true,
                    Some(k) => from[k] == 1 && out_shape[*d] != 1,
                })
                .collect();
            vec![Some(reshape(sum_axes(g, &summed), &from))]
        }
        Op::Reshape { .. } | Op::Squeeze { .. } => vec![Some(reshape(g, &shape(0)))],
        Op::Transpose { permutation } => {
            let mut inverse = vec![0; permutation.len()];
            for (k, &p) in permutation.iter().enumerate() {
                inverse[p] = k;
            }
            vec![Some(transpose(g, &inverse))]
        }
        Op::Reduce { kind, axes } => {
            let from = shape(0);
            let kept: Vec<usize> = (0..from.len()).filter(|d| !axes.contains(d)).collect();
            let spread = |t: Tracer| broadcast(t, &from, &kept);
            match kind {
                ReduceKind::Sum => vec![Some(spread(g))],
                ReduceKind::Max | ReduceKind::Min => {
                    // Every location of the extremum gets an equal share.
                    let at = convert(x(0).eq(spread(z())), g.dtype());
                    let counts = sum_axes(at, axes);
                    vec![Some(spread(g) * at / spread(counts))]
                }
                ReduceKind::Prod => vec![Some(spread(g * z()) / x(0))],
                ReduceKind::And | ReduceKind::Or => none(),
            }
        }
        Op::DotGeneral { contracting, batch } => {
            let (lhs, rhs) = (x(0), x(1));
            let dims = DotDims {
                contracting: contracting.clone(),
                batch: batch.clone(),
            };
            vec![
                Some(dot_transpose_lhs(g, lhs, rhs, &dims, false)),
                Some(dot_transpose_rhs(g, lhs, rhs, &dims)),
            ]
        }
        Op::Slice { start_indices, .. } => {
            let starts: Vec<Tracer> = start_indices
                .iter()
                .map(|&s| Tracer::constant(Scalar::I32(s as i32)))
                .collect();
            let zero = zeros(g.dtype(), &shape(0));
            vec![Some(array_ops::dynamic_update_slice(zero, g, &starts))]
        }
        Op::DynamicSlice { .. } => {
            let starts: Vec<Tracer> = (1..eqn.inputs.len()).map(x).collect();
            let zero = zeros(g.dtype(), &shape(0));
            let mut out = vec![Some(array_ops::dynamic_update_slice(zero, g, &starts))];
            out.resize(eqn.inputs.len(), None);
            out
        }
        Op::DynamicUpdateSlice => {
            let starts: Vec<Tracer> = (2..eqn.inputs.len()).map(x).collect();
            let update = shape(1);
            let hole = zeros(g.dtype(), &update);
            let mut out = vec![
                Some(array_ops::dynamic_update_slice(g, hole, &starts)),
                Some(array_ops::dynamic_slice(g, &starts, update)),
            ];
            out.resize(eqn.inputs.len(), None);
            out
        }
        Op::Concatenate { dimension } => {
            let mut at = 0;
            (0..eqn.inputs.len())
                .map(|k| {
                    let size = shape(k)[*dimension];
                    let part = array_ops::slice_axis(g, *dimension, at..at + size);
                    at += size;
                    Some(part)
                })
                .collect()
        }
        op if op.has_regions() => return Err(control_flow(op)),
        _ => none(),
    })
}

/// Why a loop or branch is not differentiated in reverse mode.
fn control_flow(op: &Op) -> String {
    match op {
        Op::While { .. } => "reverse-mode differentiation does not go through `while_loop` or a \
             `fori_loop` with a traced bound (as in JAX); use `lax::scan`, or `fori_loop` with \
             static bounds"
            .to_owned(),
        _ => format!("`{}` is not differentiated in reverse mode yet", op.name()),
    }
}

/// `x` as `dtype` (strong), unchanged when it is already.
pub(super) fn convert(x: Tracer, dtype: DType) -> Tracer {
    if x.dtype() == dtype && !x.is_weak() {
        return x;
    }
    let out = AVal {
        ty: Ty::strong(dtype),
        shape: x.shape(),
    };
    Tracer::record(
        Op::Convert {
            new_dtype: dtype,
            weak: false,
        },
        &[x],
        out,
    )
}

/// Zeros of `dtype` and `shape`.
pub(super) fn zeros(dtype: DType, shape: &[usize]) -> Tracer {
    let zero = Tracer::constant(Scalar::I32(0).convert(dtype));
    if shape.is_empty() {
        zero
    } else {
        broadcast(zero, shape, &[])
    }
}

/// Zeros of `dtype` and `shape` defined by an equation (never a literal),
/// to stand for a variable.
pub(super) fn fresh_zeros(dtype: DType, shape: &[usize]) -> Tracer {
    let zero = Tracer::constant(Scalar::I32(0).convert(dtype));
    let out = AVal {
        ty: Ty::strong(dtype),
        shape: shape.to_vec(),
    };
    Tracer::record(
        Op::BroadcastInDim {
            shape: shape.to_vec(),
            broadcast_dimensions: Vec::new(),
        },
        &[zero],
        out,
    )
}

/// 1 where `x == z` and `y != z`, 0.5 where both equal `z`, else 0: JAX's
/// `_balanced_eq`, how `max` and `min` share a cotangent.
fn balanced_eq(x: Tracer, z: Tracer, y: Tracer) -> Tracer {
    let dtype = z.dtype();
    let one = convert(crate::private::weak_float(1.0), dtype);
    let half = convert(crate::private::weak_float(0.5), dtype);
    let zero = convert(crate::private::weak_float(0.0), dtype);
    select(x.eq(z), select(y.eq(z), half, one), zero)
}

/// -1, 0 or 1 by the sign of `x` (0 at ±0; NaN gives 0).
fn sign(x: Tracer) -> Tracer {
    let dtype = x.dtype();
    let one = convert(crate::private::weak_float(1.0), dtype);
    let zero = convert(crate::private::weak_float(0.0), dtype);
    select(x.gt(0.0), one, select(x.lt(0.0), -one, zero))
}

/// `c` summed down to `shape` (NumPy broadcasting undone): `c` itself when
/// the shapes agree, its total for a scalar operand.
fn unbroadcast(c: Tracer, shape: &[usize]) -> Option<Tracer> {
    let from = c.shape();
    if from == shape {
        return Some(c);
    }
    let lead = from.len() - shape.len();
    let summed: Vec<usize> = (0..from.len())
        .filter(|&d| d < lead || (shape[d - lead] == 1 && from[d] != 1))
        .collect();
    Some(reshape(sum_axes(c, &summed), shape))
}

/// `reduce_sum` of `x` over `axes` (none: `x`).
fn sum_axes(x: Tracer, axes: &[usize]) -> Tracer {
    if axes.is_empty() {
        return x;
    }
    let shape: Vec<usize> = x
        .shape()
        .iter()
        .enumerate()
        .filter(|(d, _)| !axes.contains(d))
        .map(|(_, &n)| n)
        .collect();
    let out = AVal { ty: x.ty(), shape };
    Tracer::record(
        Op::Reduce {
            kind: ReduceKind::Sum,
            axes: axes.to_vec(),
        },
        &[x],
        out,
    )
}

/// `x` reshaped to `shape` (same number of elements).
fn reshape(x: Tracer, shape: &[usize]) -> Tracer {
    if x.shape() == shape {
        return x;
    }
    let out = AVal {
        ty: x.ty(),
        shape: shape.to_vec(),
    };
    Tracer::record(
        Op::Reshape {
            new_sizes: shape.to_vec(),
        },
        &[x],
        out,
    )
}

/// `broadcast_in_dim(x, shape, dims)`.
fn broadcast(x: Tracer, shape: &[usize], dims: &[usize]) -> Tracer {
    if x.shape() == shape {
        return x;
    }
    let out = AVal {
        ty: x.ty(),
        shape: shape.to_vec(),
    };
    Tracer::record(
        Op::BroadcastInDim {
            shape: shape.to_vec(),
            broadcast_dimensions: dims.to_vec(),
        },
        &[x],
        out,
    )
}

/// `transpose(x, permutation)`.
fn transpose(x: Tracer, permutation: &[usize]) -> Tracer {
    if permutation.iter().enumerate().all(|(k, &p)| k == p) {
        return x;
    }
    let from = x.shape();
    let out = AVal {
        ty: x.ty(),
        shape: permutation.iter().map(|&p| from[p]).collect(),
    };
    Tracer::record(
        Op::Transpose {
            permutation: permutation.to_vec(),
        },
        &[x],
        out,
    )
}

/// `dot_general`'s dimension numbers.
struct DotDims {
    contracting: (Vec<usize>, Vec<usize>),
    batch: (Vec<usize>, Vec<usize>),
}

/// `dot_general(lhs, rhs)` with result dimensions batch, lhs free, rhs free.
fn dot_general(lhs: Tracer, rhs: Tracer, dims: &DotDims) -> Tracer {
    let ty = lhs.ty();
    array_ops::dot_general(lhs, rhs, dims.contracting.clone(), dims.batch.clone(), ty)
}

/// Indices that sort `v`.
fn argsort(v: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by_key(|&k| v[k]);
    order
}

/// The cotangent of `dot_general`'s lhs: JAX's `_dot_general_transpose_lhs`.
fn dot_transpose_lhs(g: Tracer, x: Tracer, y: Tracer, dims: &DotDims, swap_ans: bool) -> Tracer {
    let (x_contract, y_contract) = (&dims.contracting.0, &dims.contracting.1);
    let (x_batch, y_batch) = (&dims.batch.0, &dims.batch.1);
    let x_kept = dot_free_dims(x.shape().len(), x_contract, x_batch);
    let y_kept = dot_free_dims(y.shape().len(), y_contract, y_batch);
    let nb = x_batch.len();
    let ans_batch: Vec<usize> = (0..nb).collect();
    let ans_y: Vec<usize> = if swap_ans {
        (nb..nb + y_kept.len()).collect()
    } else {
        (nb + x_kept.len()..nb + x_kept.len() + y_kept.len()).collect()
    };
    let product = dot_general(
        g,
        y,
        &DotDims {
            contracting: (ans_y, y_kept),
            batch: (ans_batch, y_batch.clone()),
        },
    );
    let x_contract_sorted_by_y: Vec<usize> =
        argsort(y_contract).iter().map(|&k| x_contract[k]).collect();
    let order: Vec<usize> = x_batch
        .iter()
        .chain(&x_kept)
        .chain(&x_contract_sorted_by_y)
        .copied()
        .collect();
    transpose(product, &argsort(&order))
}

/// The cotangent of `dot_general`'s rhs: JAX's `_dot_general_transpose_rhs`.
fn dot_transpose_rhs(g: Tracer, x: Tracer, y: Tracer, dims: &DotDims) -> Tracer {
    let swapped = DotDims {
        contracting: (dims.contracting.1.clone(), dims.contracting.0.clone()),
        batch: (dims.batch.1.clone(), dims.batch.0.clone()),
    };
    dot_transpose_lhs(g, y, x, &swapped, true)
}
