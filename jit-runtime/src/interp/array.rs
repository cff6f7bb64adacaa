//! The meaning of the array ops: broadcasts, shape changes, reductions,
//! `dot_general`, `iota`, slices and concatenation, and elementwise ops
//! mapped over arrays.
//!
//! Every op here is defined element by element in row-major order on
//! [`Value`]s, as simply as it can be said: this is the definition native
//! code must match, not a fast path. Reductions and integer `dot_general`
//! add in row-major order of the reduced indices, from the identity; float
//! `dot_general` is the matrix product of `dot.rs` (`gemm`), which native
//! code calls too.

use super::{binary, eval as eval_scalar};
use crate::dtype::DType;
use crate::ir::{AVal, Op, ReduceKind, dot_free_dims, reduction_stripes};
use crate::scalar::Scalar;
use crate::value::Value;

/// Row-major strides of `shape`, in elements.
fn strides(shape: &[usize]) -> Vec<usize> {
    let mut strides = vec![1; shape.len()];
    for k in (0..shape.len().saturating_sub(1)).rev() {
        strides[k] = strides[k + 1] * shape[k + 1];
    }
    strides
}

/// Calls `f` with every multi-index of `shape` in row-major order.
fn for_each_index(shape: &[usize], mut f: impl FnMut(&[usize])) {
    if shape.contains(&0) {
        return;
    }
    let mut index = vec![0; shape.len()];
    loop {
        f(&index);
        let mut k = shape.len();
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            index[k] += 1;
            if index[k] < shape[k] {
                break;
            }
            index[k] = 0;
        }
    }
}

/// The flat index of `index` in an array of `strides`.
fn flat(index: &[usize], strides: &[usize]) -> usize {
    index.iter().zip(strides).map(|(i, s)| i * s).sum()
}

/// A value of abstract value `out` whose element at each index is
/// `source`'s element at `source_index(index)` (a flat index).
fn gather(out: &AVal, source: &Value, source_index: impl Fn(&[usize]) -> usize) -> Value {
    let mut elements = Vec::with_capacity(out.shape.iter().product());
    for_each_index(&out.shape, |index| {
        elements.push(source.element(source_index(index)))
    });
    Value::from_elements(out, &elements)
}

/// The strides to read an operand of `shape` at the indices of an
/// elementwise op's result: 0 along a dimension of size 1 (and for a
/// shape-`[]` operand), so that it repeats.
fn broadcast_strides(shape: &[usize], rank: usize) -> Vec<usize> {
    if shape.is_empty() {
        return vec![0; rank];
    }
    strides(shape)
        .into_iter()
        .zip(shape)
        .map(|(s, &n)| if n == 1 { 0 } else { s })
        .collect()
}

/// An elementwise op on operands of `out`'s rank, each dimension of `out`'s
/// size or 1, or of shape `[]`.
pub(super) fn elementwise(op: &Op, args: &[Value], out: &AVal) -> Value {
    let rank = out.shape.len();
    let arg_strides: Vec<Vec<usize>> = args
        .iter()
        .map(|a| broadcast_strides(a.shape(), rank))
        .collect();
    let mut scalars = Vec::with_capacity(args.len());
    let mut elements = Vec::with_capacity(out.shape.iter().product());
    for_each_index(&out.shape, |index| {
        scalars.clear();
        for (a, s) in args.iter().zip(&arg_strides) {
            scalars.push(a.element(flat(index, s)));
        }
        elements.push(eval_scalar(op, &scalars));
    });
    Value::from_elements(out, &elements)
}

/// The output index of an input index once `axes` are removed.
fn kept(index: &[usize], axes: &[usize]) -> Vec<usize> {
    index
        .iter()
        .enumerate()
        .filter(|(k, _)| !axes.contains(k))
        .map(|(_, &i)| i)
        .collect()
}

/// In the order `ReduceKind` defines: stripes, halving, then the tail.
fn reduce(kind: ReduceKind, axes: &[usize], a: &Value, out: &AVal) -> Value {
    let combine = kind.combine_op();
    let out_strides = strides(&out.shape);
    let outputs: usize = out.shape.iter().product();
    let identity = kind.identity(a.dtype());
    let m: usize = axes.iter().map(|&k| a.shape()[k]).product();
    let s = reduction_stripes(a.dtype());
    let full = m - m % s;
    let mut stripes = vec![identity; outputs * s];
    let mut acc = vec![identity; outputs];
    let mut seen = vec![0usize; outputs];
    let halve = |stripes: &mut [Scalar]| {
        let mut half = stripes.len() / 2;
        while half >= 1 {
            for k in 0..half {
                stripes[k] = binary(&combine, stripes[k], stripes[k + half]);
            }
            half /= 2;
        }
        stripes[0]
    };
    let mut i = 0;
    for_each_index(a.shape(), |index| {
        let o = flat(&kept(index, axes), &out_strides);
        let r = seen[o];
        seen[o] += 1;
        let e = a.element(i);
        i += 1;
        if r < full {
            let stripe = &mut stripes[o * s + r % s];
            *stripe = binary(&combine, *stripe, e);
        } else {
            if r == full {
                acc[o] = halve(&mut stripes[o * s..(o + 1) * s]);
            }
            acc[o] = binary(&combine, acc[o], e);
        }
    });
    if full == m {
        for (o, acc) in acc.iter_mut().enumerate() {
            *acc = halve(&mut stripes[o * s..(o + 1) * s]);
        }
    }
    Value::from_elements(out, &acc)
}

fn is_nan(s: Scalar) -> bool {
    s.dtype().is_float() && s.as_f64().is_nan()
}

fn arg_reduce(max: bool, axis: usize, a: &Value, out: &AVal) -> Value {
    let shape = a.shape();
    let in_strides = strides(shape);
    let mut elements = Vec::new();
    for_each_index(&out.shape, |out_index| {
        let mut index: Vec<usize> = out_index.to_vec();
        index.insert(axis, 0);
        let mut best = 0usize;
        let mut best_value = a.element(flat(&index, &in_strides));
        for k in 1..shape[axis] {
            index[axis] = k;
            let x = a.element(flat(&index, &in_strides));
            if is_nan(best_value) {
                break;
            }
            let better = if max {
                binary(&Op::Gt, x, best_value)
            } else {
                binary(&Op::Lt, x, best_value)
            };
            if is_nan(x) || better == Scalar::Bool(true) {
                best = k;
                best_value = x;
            }
        }
        elements.push(Scalar::I64(best as i64));
    });
    Value::from_elements(out, &elements)
}

/// `dot_general` on floats through `gemm` (`dot.rs`): the operands are
/// gathered into `batch × m × k` and `batch × k × n` row-major matrices,
/// where `m` (`n`) is the product of the lhs's (rhs's) free dimensions and
/// `k` of the contracting ones; the result's dimensions are batch, lhs
/// free, rhs free, which is `batch × m × n` row-major.
fn dot_general_gemm(
    contracting: &(Vec<usize>, Vec<usize>),
    batch: &(Vec<usize>, Vec<usize>),
    lhs: &Value,
    rhs: &Value,
    out: &AVal,
) -> Value {
    let (ls, rs) = (lhs.shape(), rhs.shape());
    let (lfree, rfree) = (
        dot_free_dims(ls.len(), &contracting.0, &batch.0),
        dot_free_dims(rs.len(), &contracting.1, &batch.1),
    );
    let size = |s: &[usize], dims: &[usize]| -> usize { dims.iter().map(|&d| s[d]).product() };
    let (b, m, k, n) = (
        size(ls, &batch.0),
        size(ls, &lfree),
        size(ls, &contracting.0),
        size(rs, &rfree),
    );
    // Each operand's dimensions in the order batch, free, contracting
    // (lhs) or batch, contracting, free (rhs): a transpose gives the
    // row-major matrices.
    let order = |b: &[usize], x: &[usize], y: &[usize]| -> Vec<usize> {
        b.iter().chain(x).chain(y).copied().collect()
    };
    let gathered = |v: &Value, perm: &[usize]| -> Vec<Scalar> {
        let (shape, st) = (v.shape(), strides(v.shape()));
        let new_shape: Vec<usize> = perm.iter().map(|&p| shape[p]).collect();
        let mut out = Vec::with_capacity(new_shape.iter().product());
        for_each_index(&new_shape, |index| {
            let at: usize = index.iter().zip(perm).map(|(i, &p)| i * st[p]).sum();
            out.push(v.element(at));
        });
        out
    };
    let l = gathered(lhs, &order(&batch.0, &lfree, &contracting.0));
    let r = gathered(rhs, &order(&batch.1, &contracting.1, &rfree));
    let elements: Vec<Scalar> = match out.ty.dtype {
        DType::F32 => {
            let as_f32 =
                |v: &[Scalar]| -> Vec<f32> { v.iter().map(|s| s.as_f64() as f32).collect() };
            crate::dot::batched_matmul(b, m, k, n, &as_f32(&l), &as_f32(&r))
                .into_iter()
                .map(Scalar::F32)
                .collect()
        }
        _ => {
            let as_f64 = |v: &[Scalar]| -> Vec<f64> { v.iter().map(|s| s.as_f64()).collect() };
            crate::dot::batched_matmul(b, m, k, n, &as_f64(&l), &as_f64(&r))
                .into_iter()
                .map(Scalar::F64)
                .collect()
        }
    };
    Value::from_elements(out, &elements)
}

/// `dot_general` on integers: sums of products in increasing order of the
/// contracting index, wrapping.
fn dot_general(
    contracting: &(Vec<usize>, Vec<usize>),
    batch: &(Vec<usize>, Vec<usize>),
    lhs: &Value,
    rhs: &Value,
    out: &AVal,
) -> Value {
    if out.ty.dtype.is_float() {
        return dot_general_gemm(contracting, batch, lhs, rhs, out);
    }
    let (ls, rs) = (lhs.shape(), rhs.shape());
    let (lstr, rstr) = (strides(ls), strides(rs));
    let lfree = dot_free_dims(ls.len(), &contracting.0, &batch.0);
    let rfree = dot_free_dims(rs.len(), &contracting.1, &batch.1);
    let csizes: Vec<usize> = contracting.0.iter().map(|&k| ls[k]).collect();
    let zero = Scalar::I32(0).convert(out.ty.dtype);
    let mut elements = Vec::new();
    let (mut li, mut ri) = (vec![0; ls.len()], vec![0; rs.len()]);
    for_each_index(&out.shape, |o| {
        let (b, rest) = o.split_at(batch.0.len());
        let (lf, rf) = rest.split_at(lfree.len());
        for (k, &i) in b.iter().enumerate() {
            li[batch.0[k]] = i;
            ri[batch.1[k]] = i;
        }
        for (&k, &i) in lfree.iter().zip(lf) {
            li[k] = i;
        }
        for (&k, &i) in rfree.iter().zip(rf) {
            ri[k] = i;
        }
        let mut acc = zero;
        let sizes = if csizes.is_empty() {
            &[][..]
        } else {
            &csizes[..]
        };
        let mut body = |c: &[usize]| {
            for (j, &i) in c.iter().enumerate() {
                li[contracting.0[j]] = i;
                ri[contracting.1[j]] = i;
            }
            let product = binary(
                &Op::Mul,
                lhs.element(flat(&li, &lstr)),
                rhs.element(flat(&ri, &rstr)),
            );
            acc = binary(&Op::Add, acc, product);
        };
        if sizes.is_empty() {
            body(&[]);
        } else {
            for_each_index(sizes, body);
        }
        elements.push(acc);
    });
    Value::from_elements(out, &elements)
}

/// `x[i]` along the leading axis, of abstract value `out`.
pub(super) fn index_leading(x: &Value, i: usize, out: &AVal) -> Value {
    let n: usize = out.shape.iter().product();
    let elements: Vec<Scalar> = (i * n..(i + 1) * n).map(|k| x.element(k)).collect();
    Value::from_elements(out, &elements)
}

/// Stacks each output's values (`ys[step][output]`) along a new leading
/// axis; `outs` are the stacked abstract values.
pub(super) fn stack_leading(ys: &[Vec<Value>], outs: &[&AVal]) -> Vec<Value> {
    outs.iter()
        .enumerate()
        .map(|(k, out)| {
            let elements: Vec<Scalar> = ys.iter().flat_map(|step| step[k].elements()).collect();
            Value::from_elements(out, &elements)
        })
        .collect()
}

/// The starts of a dynamic slice: each clamped to `0..=dim - size`.
fn clamped_starts(starts: &[Value], shape: &[usize], sizes: &[usize]) -> Vec<usize> {
    starts
        .iter()
        .zip(shape.iter().zip(sizes))
        .map(|(s, (&dim, &size))| {
            let start = match s.scalar() {
                Scalar::I32(v) => i64::from(v),
                Scalar::U32(v) => i64::from(v),
                Scalar::I64(v) => v,
                other => panic!("a slice start is an integer, not {other:?}"),
            };
            start.clamp(0, (dim - size) as i64) as usize
        })
        .collect()
}

/// Applies an array op (not elementwise, not control flow).
pub(super) fn eval(op: &Op, args: &[Value], out: &AVal) -> Value {
    match (op, args) {
        (
            Op::BroadcastInDim {
                broadcast_dimensions,
                ..
            },
            [a],
        ) => {
            let (shape, a_strides) = (a.shape(), strides(a.shape()));
            gather(out, a, |index| {
                broadcast_dimensions
                    .iter()
                    .enumerate()
                    .map(|(k, &d)| {
                        if shape[k] == 1 {
                            0
                        } else {
                            index[d] * a_strides[k]
                        }
                    })
                    .sum()
            })
        }
        (Op::Reshape { .. } | Op::Squeeze { .. }, [a]) => Value::from_elements(out, &a.elements()),
        (Op::Transpose { permutation }, [a]) => {
            let a_strides = strides(a.shape());
            gather(out, a, |index| {
                permutation
                    .iter()
                    .enumerate()
                    .map(|(k, &p)| index[k] * a_strides[p])
                    .sum()
            })
        }
        (Op::Reduce { kind, axes }, [a]) => reduce(*kind, axes, a, out),
        (Op::ArgReduce { max, axis, .. }, [a]) => arg_reduce(*max, *axis, a, out),
        (Op::DotGeneral { contracting, batch }, [lhs, rhs]) => {
            dot_general(contracting, batch, lhs, rhs, out)
        }
        (Op::Iota { dimension, .. }, []) => {
            let mut elements = Vec::new();
            for_each_index(&out.shape, |index| {
                elements.push(Scalar::I64(index[*dimension] as i64))
            });
            Value::from_elements(out, &elements)
        }
        (Op::Slice { start_indices, .. }, [a]) => {
            let a_strides = strides(a.shape());
            gather(out, a, |index| {
                index
                    .iter()
                    .zip(start_indices)
                    .zip(&a_strides)
                    .map(|((i, s), st)| (i + s) * st)
                    .sum()
            })
        }
        (Op::Concatenate { dimension }, parts) => {
            let d = *dimension;
            let mut elements = Vec::new();
            for_each_index(&out.shape, |index| {
                let mut at = index[d];
                let mut local = index.to_vec();
                for part in parts {
                    let len = part.shape()[d];
                    if at < len {
                        local[d] = at;
                        elements.push(part.element(flat(&local, &strides(part.shape()))));
                        break;
                    }
                    at -= len;
                }
            });
            Value::from_elements(out, &elements)
        }
        (Op::DynamicSlice { slice_sizes }, [x, starts @ ..]) => {
            let (shape, x_strides) = (x.shape(), strides(x.shape()));
            let starts = clamped_starts(starts, shape, slice_sizes);
            gather(out, x, |index| {
                index
                    .iter()
                    .zip(&starts)
                    .zip(&x_strides)
                    .map(|((i, s), st)| (i + s) * st)
                    .sum()
            })
        }
        (Op::DynamicUpdateSlice, [x, update, starts @ ..]) => {
            let starts = clamped_starts(starts, x.shape(), update.shape());
            let mut elements = x.elements();
            let x_strides = strides(x.shape());
            let mut u = 0;
            for_each_index(update.shape(), |index| {
                let at: usize = index
                    .iter()
                    .zip(&starts)
                    .zip(&x_strides)
                    .map(|((i, s), st)| (i + s) * st)
                    .sum();
                elements[at] = update.element(u);
                u += 1;
            });
            Value::from_elements(out, &elements)
        }
        (op, args) => panic!("{} applied to {} operands", op.name(), args.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::Ty;

    fn f32s(shape: &[usize], v: &[f32]) -> Value {
        let s: Vec<Scalar> = v.iter().map(|&x| Scalar::F32(x)).collect();
        Value::from_elements(&aval(shape), &s)
    }

    fn aval(shape: &[usize]) -> AVal {
        AVal {
            ty: Ty::strong(DType::F32),
            shape: shape.to_vec(),
        }
    }

    fn floats(v: &Value) -> Vec<f32> {
        v.elements().iter().map(|s| s.as_f64() as f32).collect()
    }

    #[test]
    fn broadcast_transpose_and_reduce() {
        let row = f32s(&[3], &[1.0, 2.0, 3.0]);
        let op = Op::BroadcastInDim {
            shape: vec![2, 3],
            broadcast_dimensions: vec![1],
        };
        let m = eval(&op, &[row], &aval(&[2, 3]));
        assert_eq!(floats(&m), [1.0, 2.0, 3.0, 1.0, 2.0, 3.0]);
        let t = eval(
            &Op::Transpose {
                permutation: vec![1, 0],
            },
            std::slice::from_ref(&m),
            &aval(&[3, 2]),
        );
        assert_eq!(floats(&t), [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]);
        let sums = eval(
            &Op::Reduce {
                kind: ReduceKind::Sum,
                axes: vec![0],
            },
            &[m],
            &aval(&[3]),
        );
        assert_eq!(floats(&sums), [2.0, 4.0, 6.0]);
    }

    #[test]
    fn matrix_product_and_argmax() {
        let a = f32s(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let b = f32s(&[3, 2], &[1.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
        let op = Op::DotGeneral {
            contracting: (vec![1], vec![0]),
            batch: (vec![], vec![]),
        };
        let c = eval(&op, &[a.clone(), b], &aval(&[2, 2]));
        assert_eq!(floats(&c), [4.0, 5.0, 10.0, 11.0]);
        let out = AVal {
            ty: Ty::strong(DType::I32),
            shape: vec![2],
        };
        let op = Op::ArgReduce {
            max: true,
            axis: 1,
            index_dtype: DType::I32,
        };
        let idx = eval(&op, &[a], &out);
        assert_eq!(idx.elements(), [Scalar::I32(2), Scalar::I32(2)]);
    }
}
