//! Arrays end to end: `Array` in and out of `#[jit]` functions, every array
//! operation, broadcasting, dtypes and weak types, each against the value
//! JAX 0.10.2 gives (`tests/arrays_jax.py`, whose output `arrays_jax.txt`
//! this file reads), and the trace-time errors in JAX's words.

use expect_test::expect;
use jit::prelude::*;

/// One line of `arrays_jax.txt`: `name: float32[2, 3] [weak] [1.0, ...]`.
struct Expected {
    dtype: String,
    shape: Vec<usize>,
    weak: bool,
    values: Vec<f64>,
}

fn expected(name: &str) -> Expected {
    let text = include_str!("arrays_jax.txt");
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no case `{name}` in arrays_jax.txt"));
    let (head, values) = line.split_once(" [").expect("a value list");
    let (dtype, rest) = head.split_once('[').expect("a shape");
    let (shape, weak) = rest.split_once(']').expect("a closed shape");
    let shape = shape
        .split(", ")
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("a size"))
        .collect();
    let values = values
        .trim_end_matches(']')
        .split(", ")
        .filter(|s| !s.is_empty())
        .map(|s| match s {
            "True" => 1.0,
            "False" => 0.0,
            s => s.parse().expect("a number"),
        })
        .collect();
    Expected {
        dtype: dtype.to_owned(),
        shape,
        weak: weak.trim() == "weak",
        values,
    }
}

fn values_of(a: &Array) -> Vec<f64> {
    match a.dtype() {
        DType::F32 => a
            .to_vec::<f32>()
            .unwrap()
            .into_iter()
            .map(f64::from)
            .collect(),
        DType::F64 => a.to_vec::<f64>().unwrap(),
        DType::I32 => a
            .to_vec::<i32>()
            .unwrap()
            .into_iter()
            .map(f64::from)
            .collect(),
        DType::U32 => a
            .to_vec::<u32>()
            .unwrap()
            .into_iter()
            .map(f64::from)
            .collect(),
        DType::I64 => a
            .to_vec::<i64>()
            .unwrap()
            .into_iter()
            .map(|v| v as f64)
            .collect(),
        DType::Bool => a
            .to_vec::<bool>()
            .unwrap()
            .into_iter()
            .map(|b| b as u8 as f64)
            .collect(),
    }
}

/// Checks `got` against JAX's case `name`: dtype, shape, weak flag, and
/// values (floats within a few rounding errors: sums may add in another
/// order, and transcendental functions are within their ULP bounds).
#[track_caller]
fn check(name: &str, got: Array) {
    let want = expected(name);
    assert_eq!(got.dtype().numpy_name(), want.dtype, "{name}: dtype");
    assert_eq!(got.shape(), &want.shape[..], "{name}: shape");
    assert_eq!(got.is_weak(), want.weak, "{name}: weak flag");
    let got = values_of(&got);
    assert_eq!(got.len(), want.values.len(), "{name}: element count");
    let tolerance = match want.dtype.as_str() {
        "float32" => 4.0 * f64::from(f32::EPSILON),
        "float64" => 4.0 * f64::EPSILON,
        _ => 0.0,
    };
    for (k, (g, w)) in got.iter().zip(&want.values).enumerate() {
        let close = (g - w).abs() <= tolerance * w.abs().max(1e-30) || g == w;
        assert!(close, "{name}[{k}]: got {g}, JAX gives {w}");
    }
}

fn x5() -> Array {
    Array::from(vec![-2.0f32, -0.5, 0.0, 1.5, 3.0])
}
fn m23() -> Array {
    Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap()
}
fn v3() -> Array {
    Array::from(vec![10.0f32, 20.0, 30.0])
}
fn t234() -> Array {
    Array::from_shape_vec(&[2, 3, 4], (0..24).map(|v| v as f32 - 5.0).collect()).unwrap()
}
fn i23() -> Array {
    Array::from_shape_vec(&[2, 3], vec![3i32, -1, 4, 1, -5, 9]).unwrap()
}

#[jit]
fn poly(x: &Array) -> Array {
    x * x + 2.0 * x + 1.0
}

#[test]
fn poly_is_jaxs_value_and_jaxpr() {
    check("poly", poly(&x5()));
    assert_eq!(poly::make_jaxpr(&x5()).to_string(), jaxpr_of("poly"));
}

/// The jaxpr JAX printed for case `name`.
fn jaxpr_of(name: &str) -> String {
    let text = include_str!("arrays_jax.txt");
    let rest = text
        .split(&format!("{name} jaxpr:\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("no jaxpr of `{name}`"));
    let mut lines = Vec::new();
    for line in rest.lines() {
        lines.push(line);
        if line.trim_start().starts_with("in (") || line.ends_with(") }") {
            break;
        }
    }
    lines.join("\n")
}

#[jit]
fn softmax(x: &Array) -> Array {
    let e = (x - jnp::max(x, ..)).exp();
    e / jnp::sum(e, ..)
}

#[jit]
fn broadcast_add(a: &Array, b: &Array) -> Array {
    a + b
}

#[test]
fn elementwise_chains_and_broadcasting() {
    check("softmax", softmax(&x5()));
    check("broadcast_add", broadcast_add(&m23(), &v3()));
    assert_eq!(
        broadcast_add::make_jaxpr(&m23(), &v3()).to_string(),
        jaxpr_of("broadcast_add")
    );
}

#[jit]
fn reductions(t: &Array, m: &Array, i: &Array) -> (Array, Array, Array, Array, Array, Array) {
    (
        jnp::sum(t, ..),
        jnp::sum(t, 0),
        jnp::sum(t, -1),
        jnp::sum(t, [0, 2]),
        jnp::mean(m, 1),
        jnp::mean(i, ..),
    )
}

#[jit]
fn more_reductions(t: &Array, m: &Array, i: &Array) -> (Array, Array, Array, Array, Array) {
    (
        jnp::max(i, 0),
        jnp::min(t, ..),
        jnp::prod(m, 1),
        jnp::argmax(i, 1),
        jnp::argmin(i, ..),
    )
}

#[jit]
fn logical_reductions(m: &Array) -> (Array, Array, Array) {
    (
        jnp::any(m > 5.5, ..),
        jnp::all(m > 1.5, 0),
        jnp::sum(m > 2.5, ..),
    )
}

#[test]
fn reductions_take_every_axis_form() {
    let (a, b, c, d, e, f) = reductions(&t234(), &m23(), &i23());
    check("sum_all", a);
    check("sum_0", b);
    check("sum_neg1", c);
    check("sum_0_2", d);
    check("mean_1", e);
    check("mean_int", f);
    let (a, b, c, d, e) = more_reductions(&t234(), &m23(), &i23());
    check("max_0", a);
    check("min_all", b);
    check("prod_1", c);
    check("argmax_1", d);
    check("argmin_all", e);
    let (a, b, c) = logical_reductions(&m23());
    check("any_gt", a);
    check("all_gt_0", b);
    check("sum_bool", c);
}

#[jit]
fn products(v: &Array, m: &Array) -> (Array, Array, Array) {
    (jnp::dot(v, v), jnp::dot(m, v), m.dot(m.transpose()))
}

#[jit]
fn batched(a: &Array, b: &Array, v: &Array) -> (Array, Array) {
    (jnp::matmul(a, b), jnp::matmul(v, b))
}

#[test]
fn dot_and_matmul() {
    let (a, b, c) = products(&v3(), &m23());
    check("dot_vv", a);
    check("dot_mv", b);
    check("dot_mm", c);
    let b223 = Array::from_shape_vec(&[2, 2, 3], (0..12).map(|v| v as f32).collect()).unwrap();
    let b232 =
        Array::from_shape_vec(&[2, 3, 2], (0..12).map(|v| v as f32 * 0.5).collect()).unwrap();
    let (a, b) = batched(&b223, &b232, &v3());
    check("matmul_batched", a);
    check("matmul_vec_batched", b);
}

#[jit]
fn shapes(m: &Array, t: &Array, v: &Array) -> (Array, Array, Array, Array, Array) {
    (
        m.reshape([3, 2]).transpose(),
        jnp::reshape(t, [4, -1]),
        jnp::transpose(t, [1, 0, 2]).at(0),
        jnp::broadcast_to(v, [2, 3]),
        jnp::squeeze(jnp::expand_dims(v, 0), 0) + jnp::expand_dims(v, 1).sum(),
    )
}

#[jit]
fn slices(x: &Array, m: &Array) -> (Array, Array, Array, Array) {
    (x.slice(1..3), m.at(1), m.at(-1), m.slice_axis(1, 0..2))
}

#[test]
fn shape_operations_and_static_slices() {
    let (a, b, c, d, e) = shapes(&m23(), &t234(), &v3());
    check("reshape_transpose", a);
    check("reshape_neg1", b);
    check("transpose_axes", c);
    check("broadcast_to", d);
    check("expand_squeeze", e);
    let (a, b, c, d) = slices(&x5(), &m23());
    check("slice", a);
    check("at", b);
    check("at_neg", c);
    check("slice_axis", d);
}

#[jit]
fn creation(x: f32) -> (Array, Array, Array, Array, Array, Array) {
    let _ = x;
    (
        jnp::arange(5),
        jnp::arange(4.0),
        jnp::linspace(0.0, 1.0, 5),
        jnp::linspace(-1.0, 2.0, 7),
        jnp::zeros([2, 3], DType::F32),
        jnp::ones([3], DType::I32),
    )
}

#[jit]
fn more_creation(v: &Array) -> (Array, Array, Array) {
    (jnp::full([2], 7.0), jnp::eye(3), jnp::zeros_like(v) + 1.0)
}

#[test]
fn arrays_made_in_the_body() {
    let (a, b, c, d, e, f) = creation(0.0);
    check("arange", a);
    check("arange_f", b);
    check("linspace", c);
    check("linspace_7", d);
    check("zeros", e);
    check("ones_i", f);
    let (a, b, c) = more_creation(&v3());
    check("full", a);
    check("eye", b);
    assert_eq!(c.to_vec::<f32>().unwrap(), vec![1.0; 3]);
}

#[jit]
fn joins(v: &Array, x: &Array, m: &Array) -> (Array, Array, Array) {
    (
        jnp::concatenate([v, x], 0),
        jnp::concatenate([m, m], 1),
        jnp::stack([v, v * 2.0], 1),
    )
}

#[test]
fn concatenate_and_stack() {
    let (a, b, c) = joins(&v3(), &x5(), &m23());
    check("concatenate", a);
    check("concatenate_1", b);
    check("stack_1", c);
}

#[jit]
fn promotions(i: &Array, x: &Array, m: &Array, v: &Array) -> (Array, Array, Array, Array, Array) {
    (
        i + 1.5,
        i * 2,
        jnp::where_(x > 0.0, x, 0.0),
        jnp::clip(x, -1.0, 1.0),
        jnp::maximum(m, v / 10.0 + 1.0),
    )
}

#[jit]
fn integer_division(i: &Array) -> (Array, Array) {
    (jnp::divide(i, 2), jnp::floor_divide(i, 2))
}

#[jit]
fn scalar_times_array(s: f32, a: &Array) -> Array {
    s * a
}

#[jit]
fn float_only_of_ints(i: &Array, x: &Array) -> (Array, Array) {
    (jnp::sin(i), (x * 1.7) as i32)
}

#[test]
fn dtypes_and_weak_types_follow_jax() {
    let (a, b, c, d, e) = promotions(&i23(), &x5(), &m23(), &v3());
    check("int_plus_float", a);
    check("int_times_int", b);
    check("where", c);
    check("clip", d);
    check("maximum_bcast", e);
    let (a, b) = integer_division(&i23());
    check("divide_int", a);
    check("floor_divide_int", b);
    check("scalar_times_array", scalar_times_array(3.0, &v3()));
    let ints = Array::from(vec![0i32, 1, 2]);
    let (a, b) = float_only_of_ints(&ints, &x5());
    check("sin_int", a);
    check("cast", b);
}

#[jit]
fn wide(x: &Array, a: &Array, b: &Array) -> (Array, Array) {
    (jnp::sum(x, ..), jnp::dot(a, b))
}

#[test]
fn sixty_four_bit_arrays() {
    let x = Array::from(vec![0.1f64, 0.2, 0.3]);
    let (a, b) = wide(
        &x,
        &Array::from(vec![1i64 << 40, 3]),
        &Array::from(vec![2i64, 5]),
    );
    check("f64_sum", a);
    check("i64_dot", b);
}

#[jit]
fn double(x: &Array) -> Array {
    x * 2.0
}

#[test]
fn a_new_shape_or_dtype_compiles_a_new_specialisation() {
    double::clear_cache();
    let a = double(&Array::from(vec![1.0f32, 2.0]));
    assert_eq!(a.to_vec::<f32>().unwrap(), vec![2.0, 4.0]);
    double(&Array::from(vec![3.0f32, 4.0]));
    assert_eq!(double::cache_size(), 1, "same shape and dtype: a cache hit");
    double(&Array::from(vec![1.0f32, 2.0, 3.0]));
    assert_eq!(double::cache_size(), 2, "a new shape");
    let f = double(&Array::from(vec![1.0f64]));
    assert_eq!(f.dtype(), DType::F64);
    assert_eq!(double::cache_size(), 3, "a new dtype");
    // An owned array works too; `i32 * 2.0` is a weak f32, as in JAX.
    let owned = double(Array::from(vec![5i32]));
    assert_eq!(owned.to_vec::<f32>().unwrap(), vec![10.0]);
    assert!(owned.is_weak());
}

#[jit]
fn mixed_results(x: &Array, k: f32) -> (Array, f32) {
    let s = jnp::sum(x * k, ..);
    (x + s, s)
}

#[test]
fn arrays_and_scalars_in_and_out() {
    let (a, s) = mixed_results(&v3(), 0.5);
    assert_eq!(s, 30.0);
    assert_eq!(a.to_vec::<f32>().unwrap(), vec![40.0, 50.0, 60.0]);
}

#[jit]
fn nested_caller(x: &Array) -> Array {
    double(x) + poly(x)
}

#[test]
fn a_jit_function_called_with_a_traced_array_is_inlined() {
    let got = nested_caller(&x5());
    let want: Vec<f32> = [-2.0f32, -0.5, 0.0, 1.5, 3.0]
        .iter()
        .map(|&x| x * 2.0 + (x * x + 2.0 * x + 1.0))
        .collect();
    assert_eq!(got.to_vec::<f32>().unwrap(), want);
}

/// The message of a trace-time error of `f`.
fn error_of<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> String {
    let payload = std::panic::catch_unwind(f)
        .err()
        .expect("a trace-time error");
    payload
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default()
}

#[jit]
fn add_any(a: &Array, b: &Array) -> Array {
    a + b
}

#[jit]
fn dot_any(a: &Array, b: &Array) -> Array {
    jnp::dot(a, b)
}

#[jit]
fn sum_axis_2(a: &Array) -> Array {
    jnp::sum(a, 2)
}

#[jit]
fn reshape_4_2(a: &Array) -> Array {
    a.reshape([4, 2])
}

#[jit]
fn scalar_result(a: &Array) -> f32 {
    a * 2.0
}

#[test]
fn shape_mistakes_are_trace_time_errors_in_jaxs_words() {
    let (a3, a4) = (Array::from(vec![1.0f32; 3]), Array::from(vec![1.0f32; 4]));
    let m = Array::from_shape_vec(&[2, 3], vec![1.0f32; 6]).unwrap();
    let n = Array::from_shape_vec(&[4, 5], vec![1.0f32; 20]).unwrap();
    let cases = [
        (
            error_of(|| add_any(&a3, &a4)),
            "while tracing `add_any`: add got incompatible shapes for broadcasting: (3,), (4,).",
        ),
        (
            error_of(|| dot_any(&m, &n)),
            "dot_general requires contracting dimensions to have the same shape, got (3,) and (4,).",
        ),
        (
            error_of(|| sum_axis_2(&m)),
            "axis 2 is out of bounds for array of dimension 2",
        ),
        (
            error_of(|| reshape_4_2(&m)),
            "cannot reshape array of shape (2, 3) (size 6) into shape (4, 2) (size 8)",
        ),
        (
            error_of(|| scalar_result(&a3)),
            "declared to return f32 but its body returns f32[3]",
        ),
    ];
    for (message, want) in cases {
        assert!(message.contains(want), "{message}\nshould contain: {want}");
    }
}

#[test]
fn bad_arrays_are_errors_not_panics() {
    assert!(Array::from_shape_vec(&[2, 3], vec![0i32; 5]).is_err());
    assert!(Array::from(vec![1.0f32]).to_vec::<i32>().is_err());
    assert!(Array::from(vec![1.0f32, 2.0]).item::<f32>().is_err());
    assert_eq!(Array::scalar(2.5f64).item::<f64>(), Ok(2.5));
}

#[jit]
fn cumsum(xs: &Array) -> (f32, Array) {
    lax::scan(|c, x| (c + x, c + x), 0.0, xs)
}

#[jit]
fn two_xs(a: &Array, b: &Array) -> (f32, Array, Array, Array) {
    let ((s, p), (d, prev)) = lax::scan(
        |(s, p), (x, y)| ((s + jnp::sum(x * y, ..), p * 0.5 + y), (x - y, s)),
        (0.0, jnp::zeros([3], DType::F32)),
        (a, b),
    );
    (s, p, d, prev)
}

#[test]
fn scan_carries_and_stacks() {
    let (carry, ys) = cumsum(&Array::from(vec![0.0f32, 1.0, 2.0, 3.0, 4.0]));
    check("scan_carry", Array::scalar(carry));
    check("scan_ys", ys);
    let half = Array::from_shape_vec(&[2, 3], vec![0.5f32, 1.0, 1.5, 2.0, 2.5, 3.0]).unwrap();
    let (s, p, d, prev) = two_xs(&m23(), &half);
    check("scan2_s", Array::scalar(s));
    check("scan2_p", p);
    check("scan2_d", d);
    check("scan2_prev", prev);
    let jaxpr = cumsum::make_jaxpr(&Array::from(vec![0.0f32; 5])).to_string();
    assert!(
        jaxpr.contains("= scan[") && jaxpr.contains("length=5"),
        "{jaxpr}"
    );
}

fn m34() -> Array {
    Array::from_shape_vec(&[3, 4], (0..12).map(|v| v as f32).collect()).unwrap()
}

#[jit]
fn index_at(x: &Array, i: i32) -> Array {
    lax::dynamic_index(x, i)
}

#[jit]
fn block_at(x: &Array, i: i32, j: i32) -> Array {
    lax::dynamic_slice(x, [i, j], [2, 2])
}

#[jit]
fn write_at(x: &Array, u: &Array, i: i32) -> Array {
    lax::dynamic_update_slice(x, u, [i])
}

#[jit]
fn set_and_add(x: &Array, i: i32) -> (Array, Array) {
    (x.at_set(i, 9.0), x.at_add(i, 9.0))
}

#[jit]
fn set_row(m: &Array, row: &Array) -> Array {
    m.at_set(1, row)
}

#[test]
fn dynamic_indexing_clamps_as_jax_does() {
    for i in [0, 2, 4, 5, 100, -1, -2, -100] {
        check(&format!("dynamic_index_{i}"), index_at(&m34(), i));
    }
    assert_eq!(index_at::cache_size(), 1, "a traced index never recompiles");
    for (i, j) in [(0, 0), (2, 3), (-1, 1), (5, -3)] {
        check(&format!("dynamic_slice_{i}_{j}"), block_at(&m34(), i, j));
    }
    let u = Array::from(vec![10.0f32, 20.0]);
    for i in [0, 3, 4, -1, 10] {
        check(&format!("dynamic_update_slice_{i}"), write_at(&x5(), &u, i));
    }
    for i in [0, 4, 5, -1, -6, 100] {
        let (set, add) = set_and_add(&x5(), i);
        check(&format!("at_set_{i}"), set);
        check(&format!("at_add_{i}"), add);
    }
    check(
        "at_set_row",
        set_row(&m23(), &Array::from(vec![7.0f32, 8.0, 9.0])),
    );
}

#[jit]
fn fori_array(v: &Array, n: i32) -> Array {
    lax::fori_loop(0, n, |i, a| a * 2.0 + i, v)
}

#[jit]
fn cond_array(p: bool, v: &Array) -> Array {
    lax::cond(p, || v * 2.0, || -v)
}

#[jit]
fn carry_changes_shape(v: &Array, n: i32) -> Array {
    lax::fori_loop(0, n, |_i, a| jnp::concatenate([a, a], 0), v)
}

#[test]
fn arrays_as_loop_carries_and_branch_results() {
    check("fori_array", fori_array(&v3(), 3));
    check("cond_array", cond_array(true, &v3()));
    let message = error_of(|| carry_changes_shape(&v3(), 2));
    assert!(
        message.contains(
            "the carry's shape changes: a leaf starts as f32[3] but the body returns f32[6]"
        ),
        "{message}"
    );
}

#[jit]
fn tree_in(pair: (f32, Array), weights: &[Array; 2], rows: Vec<Array>) -> (Array, [f64; 3]) {
    let (k, x) = pair;
    let mut total = x * k + weights[0] - weights[1];
    for r in rows.iter() {
        total += *r;
    }
    let s = jnp::sum(total, ..) as f64;
    (total, [s, s * 2.0, -s])
}

#[test]
fn pytrees_of_arrays_in_and_out() {
    let x = Array::from(vec![1.0f32, 2.0]);
    let w = [
        Array::from(vec![10.0f32, 20.0]),
        Array::from(vec![1.0f32, 1.0]),
    ];
    let rows = vec![
        Array::from(vec![0.5f32, 0.5]),
        Array::from(vec![0.25f32, 0.25]),
    ];
    let (total, sums) = tree_in((2.0, x.clone()), &w, rows.clone());
    assert_eq!(total.to_vec::<f32>().unwrap(), vec![11.75, 23.75]);
    assert_eq!(sums, [35.5, 71.0, -35.5]);
    assert_eq!(tree_in::cache_size(), 1);
    tree_in((2.0, x.clone()), &w, rows[..1].to_vec());
    assert_eq!(
        tree_in::cache_size(),
        2,
        "a Vec of another length is a new signature"
    );
    tree_in((2.0, x), &w, rows);
    assert_eq!(tree_in::cache_size(), 2);
}

#[derive(Pytree, Clone, Debug)]
struct Params<T = Array> {
    w: T,
    b: T,
}

#[jit]
fn predict(p: &Params, x: &Array) -> Array {
    (x.dot(p.w) + p.b).tanh()
}

#[jit]
fn loss(p: &Params, x: &Array, y: &Array) -> f32 {
    let e = predict(p, x) - y;
    jnp::mean(e * e, ..)
}

#[jit]
fn step(p: Params, x: &Array, lr: f32) -> Params {
    let scale = 1.0 - lr;
    Params {
        w: p.w * scale,
        b: p.b + jnp::sum(x, ..) * lr,
    }
}

#[test]
fn derived_generic_structs_in_and_out() {
    let p = Params {
        w: Array::from_shape_vec(&[2, 1], vec![0.5f32, -0.25]).unwrap(),
        b: Array::from(vec![0.1f32]),
    };
    let x = Array::from_shape_vec(&[3, 2], vec![1.0f32, 2.0, 3.0, 4.0, -1.0, 0.5]).unwrap();
    let y = Array::from_shape_vec(&[3, 1], vec![0.0f32, 0.5, -0.5]).unwrap();
    let out = predict(&p, &x);
    assert_eq!(out.shape(), &[3, 1]);
    let want: Vec<f32> = [(1.0f32, 2.0f32), (3.0, 4.0), (-1.0, 0.5)]
        .iter()
        .map(|&(a, b)| (a * 0.5 + b * -0.25 + 0.1).tanh())
        .collect();
    let got = out.to_vec::<f32>().unwrap();
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() <= 2.0 * f32::EPSILON, "{g} vs {w}");
    }
    let l = loss(&p, &x, &y);
    let mean: f32 = got
        .iter()
        .zip([0.0f32, 0.5, -0.5])
        .map(|(g, t)| (g - t) * (g - t))
        .sum::<f32>()
        / 3.0;
    assert!(
        (l - mean).abs() <= 4.0 * f32::EPSILON * mean.max(1.0),
        "{l} vs {mean}"
    );
    assert_eq!(
        predict::cache_size(),
        1,
        "inlined into loss, not dispatched"
    );
    let next = step(p.clone(), &x, 0.5);
    assert_eq!(next.w.to_vec::<f32>().unwrap(), vec![0.25, -0.125]);
    assert_eq!(next.b.to_vec::<f32>().unwrap(), vec![0.1f32 + 9.5f32 * 0.5]);
}

// ---------------------------------------------------------------------------
// The array table of the lecture's JAX reference (`jax-reference.md`, JAX
// 0.10.2, x64 off), restated: values and reprs as JAX prints them.

#[jit]
fn reference_values(x: f32) -> (Array, Array, Array, Array, Array, Array) {
    let ones_i = jnp::ones([3], DType::I32);
    (
        x * jnp::ones([3], DType::F32),
        ones_i * 2.5,
        ones_i + 1,
        jnp::arange(6).reshape([2, 3]),
        jnp::linspace(0.0, 1.0, 5),
        jnp::eye(2),
    )
}

#[jit]
fn reference_reductions(x: f32) -> (i32, f32, i32, f32, f32, Array) {
    let a = jnp::arange(4);
    let ones = jnp::ones([3], DType::F32);
    let batched = jnp::matmul(
        jnp::ones([4, 2, 3], DType::F32),
        jnp::ones([3, 5], DType::F32),
    );
    (
        jnp::sum(a, ..),
        jnp::mean(a, ..),
        jnp::argmax(
            jnp::concatenate([jnp::ones([1], DType::F32), jnp::full([2], 3.0)], 0),
            ..,
        ),
        jnp::sum(jnp::zeros([0], DType::F32), ..) + x,
        jnp::dot(ones, ones),
        batched,
    )
}

#[jit]
fn reference_indexing(x: i32) -> (Array, Array, Array, i32, Array, Array) {
    let a6 = jnp::arange(6);
    let a5 = jnp::arange(5);
    let a3 = jnp::arange(3);
    (
        lax::dynamic_slice(a6, [4 + x], [3]),
        lax::dynamic_update_slice(jnp::zeros([5], DType::F32), jnp::ones([2], DType::F32), [4]),
        a5.at_set(7, 9),
        a5.at(-1),
        jnp::divide(a3, 2),
        jnp::floor_divide(a3, 2),
    )
}

#[test]
fn the_lectures_array_table() {
    let (a, b, c, d, e, f) = reference_values(2.5);
    assert_eq!(a.to_string(), "Array([2.5, 2.5, 2.5], dtype=float32)");
    assert_eq!(
        b.to_string(),
        "Array([2.5, 2.5, 2.5], dtype=float32, weak_type=True)"
    );
    assert_eq!(c.to_string(), "Array([2, 2, 2], dtype=int32)");
    // The lecture's reprs, as JAX prints them, character for character.
    expect![[r#"
        Array([[0, 1, 2],
               [3, 4, 5]], dtype=int32)"#]]
    .assert_eq(&d.to_string());
    assert_eq!(
        e.to_string(),
        "Array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)"
    );
    expect![[r#"
        Array([[1., 0.],
               [0., 1.]], dtype=float32)"#]]
    .assert_eq(&f.to_string());
    let (sum, mean, argmax, empty, dot, batched) = reference_reductions(0.0);
    assert_eq!((sum, mean, argmax, empty, dot), (6, 1.5, 1, 0.0, 3.0));
    assert_eq!(batched.shape(), &[4, 2, 5]);
    let (a, b, c, d, e, f) = reference_indexing(0);
    assert_eq!(a.to_string(), "Array([3, 4, 5], dtype=int32)");
    assert_eq!(b.to_string(), "Array([0., 0., 0., 1., 1.], dtype=float32)");
    assert_eq!(c.to_string(), "Array([0, 1, 2, 3, 4], dtype=int32)");
    assert_eq!(d, 4);
    assert_eq!(e.to_string(), "Array([0. , 0.5, 1. ], dtype=float32)");
    assert_eq!(f.to_string(), "Array([0, 0, 1], dtype=int32)");
    let long = Array::from((0..2000).map(|v| v as f32).collect::<Vec<_>>());
    expect![[r#"
        Array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,
               1.999e+03], dtype=float32)"#]]
    .assert_eq(&long.to_string());
    assert_eq!(
        Array::from(vec![true, false]).to_string(),
        "Array([ True, False], dtype=bool)"
    );
    assert_eq!(
        Array::from(vec![1.5f32, f32::NAN, f32::INFINITY]).to_string(),
        "Array([1.5, nan, inf], dtype=float32)"
    );
    assert_eq!(
        Array::from(vec![1e-8f32, 1.0, 1e8]).to_string(),
        "Array([1.e-08, 1.e+00, 1.e+08], dtype=float32)"
    );
    let ones3 = Array::from(vec![1.0f32; 3]);
    assert!(
        error_of(|| sum_axis_2(&ones3))
            .contains("axis 2 is out of bounds for array of dimension 1")
    );
}

#[jit]
fn matmul_any(a: &Array, b: &Array) -> Array {
    a.dot(b)
}

#[test]
fn larger_matrix_products_agree_with_a_wide_reference() {
    let (m, k, n) = (37, 129, 23);
    let a: Vec<f32> = (0..m * k)
        .map(|i| ((i * 7919 % 1000) as f32 - 500.0) / 250.0)
        .collect();
    let b: Vec<f32> = (0..k * n)
        .map(|i| ((i * 104729 % 997) as f32 - 498.0) / 333.0)
        .collect();
    let got = matmul_any(
        &Array::from_shape_vec(&[m, k], a.clone()).unwrap(),
        &Array::from_shape_vec(&[k, n], b.clone()).unwrap(),
    );
    assert_eq!(got.shape(), &[m, n]);
    let got = got.to_vec::<f32>().unwrap();
    for i in 0..m {
        for j in 0..n {
            let exact: f64 = (0..k)
                .map(|l| f64::from(a[i * k + l]) * f64::from(b[l * n + j]))
                .sum();
            let bound: f64 = (0..k)
                .map(|l| (f64::from(a[i * k + l]) * f64::from(b[l * n + j])).abs())
                .sum::<f64>()
                * 1e-6;
            let g = f64::from(got[i * n + j]);
            assert!((g - exact).abs() <= bound, "[{i},{j}]: {g} vs {exact}");
        }
    }
}

#[test]
fn jit_fn_closures_take_arrays() {
    let scale = jit_fn!(|x: &Array, k: f32| x * k + 1.0);
    let got = scale(&v3(), 0.5);
    assert_eq!(got.to_vec::<f32>().unwrap(), vec![6.0, 11.0, 16.0]);
    let total = jit_fn!(|x: Array| -> f32 { jnp::sum(x, ..) });
    assert_eq!(total(v3()), 60.0);
}

/// The results of `edge_cases` (a type alias works as a declared result).
type Edges = ((Array, f32, i32, i32), (f32, Array, i32, u32, Array));

#[jit]
fn edge_cases(
    a: &Array,
    b: &Array,
    empty: &Array,
    nans: &Array,
    ints: &Array,
    wide: &Array,
) -> Edges {
    (
        (
            a + b,
            jnp::mean(empty, ..),
            jnp::argmax(nans, ..),
            jnp::argmin(nans.slice(0..3) * -1.0, ..),
        ),
        (
            jnp::max(nans.slice(0..3), ..),
            jnp::concatenate([empty, a.reshape([2])], 0),
            jnp::prod(jnp::full([2], 100000), ..),
            jnp::sum(wide, ..),
            jnp::argmax(ints, 1),
        ),
    )
}

#[jit]
fn where_broadcasts(p: &Array, x: &Array) -> Array {
    jnp::where_(p, x, 0.0)
}

#[test]
fn edge_cases_give_jaxs_values() {
    // JAX 0.10.2: [[1],[2]] + [[10, 20, 30]], mean of nothing, the first
    // NaN for argmax/argmin, NaN through max, an empty part, wrapping
    // integer products and sums, the first of equal maxima.
    let a = Array::from_shape_vec(&[2, 1], vec![1.0f32, 2.0]).unwrap();
    let b = Array::from_shape_vec(&[1, 3], vec![10.0f32, 20.0, 30.0]).unwrap();
    let empty = Array::from(Vec::<f32>::new());
    let nans = Array::from(vec![1.0f32, f32::NAN, 3.0, f32::NAN]);
    let ints = Array::from_shape_vec(&[2, 3], vec![1i32, 5, 5, 7, 7, 0]).unwrap();
    let wide = Array::from(vec![4_000_000_000u32, 4_000_000_000]);
    let ((sum, mean, argmax, argmin), (max, joined, prod, wrapped, ties)) =
        edge_cases(&a, &b, &empty, &nans, &ints, &wide);
    assert_eq!(
        sum.to_vec::<f32>().unwrap(),
        vec![11.0, 21.0, 31.0, 12.0, 22.0, 32.0]
    );
    assert!(mean.is_nan());
    assert_eq!((argmax, argmin), (1, 1));
    assert!(max.is_nan());
    assert_eq!(joined.to_vec::<f32>().unwrap(), vec![1.0, 2.0]);
    assert_eq!((prod, wrapped), (1410065408, 3705032704));
    assert_eq!(ties.to_vec::<i32>().unwrap(), vec![1, 0]);
    let p = Array::from(vec![true, false, true]);
    let got = where_broadcasts(&p, &a);
    assert_eq!(got.shape(), &[2, 3]);
    assert_eq!(
        got.to_vec::<f32>().unwrap(),
        vec![1.0, 0.0, 1.0, 2.0, 0.0, 2.0]
    );
}

#[jit]
fn sine(x: &Array) -> Array {
    x.sin()
}

/// A vector loop of `sin` assumes every lane is small and finite on its
/// inline path, and recomputes a vector with a huge or non-finite lane lane
/// by lane: so the huge-argument reduction is never emitted inline. Per
/// `f32` vector one branch (to the lane-by-lane path: the `f32` kernel runs
/// on all the lanes at once), plus the loop's back edge.
#[test]
fn vector_sines_leave_huge_arguments_to_the_lane_by_lane_path() {
    let x = Array::from((0..1024).map(|k| k as f32 * 0.37).collect::<Vec<_>>());
    let ir = sine::lower(&x).as_text();
    assert_eq!(ir.matches("branch ").count(), 2, "{ir}");
    let want: Vec<f32> = (0..1024).map(|k| (k as f32 * 0.37).sin()).collect();
    let got = sine(&x).to_vec::<f32>().unwrap();
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() <= 1e-6 * w.abs().max(1.0), "{g} {w}");
    }
}

/// The 8 elements after the last whole iteration of 32 run one copy of the
/// scalar `sin` in a loop (its huge-argument branch and its back edge), not
/// 8 copies straight-line, in order and agreeing with the interpreter.
#[test]
fn a_transcendental_kernels_tail_is_one_loop() {
    let x = Array::from((0..1000).map(|k| k as f32 * 0.37 - 7.0).collect::<Vec<_>>());
    let ir = sine::lower(&x).as_text();
    assert_eq!(ir.matches("branch ").count(), 4, "{ir}");
    let graph = sine::make_jaxpr(&x).graph().clone();
    let interpreted = jit::internals::interp::run_values(&graph, &[x.clone().into()]);
    let interpreted = interpreted[0]
        .clone()
        .into_array(graph.aval(graph.body.results[0]))
        .to_vec::<f32>()
        .unwrap();
    let native = sine(&x).to_vec::<f32>().unwrap();
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&native), bits(&interpreted));
}

#[test]
fn elementwise_kernels_compile_to_one_native_loop() {
    let x = Array::from((0..1000).map(|k| k as f32 / 7.0 - 50.0).collect::<Vec<_>>());
    let lowered = poly::lower(&x);
    let ir = lowered.as_text();
    // One loop: one conditional branch, its back edge.
    assert_eq!(ir.matches("branch ").count(), 1, "{ir}");
    assert!(ir.contains("load.f32") && ir.contains("store.f32"), "{ir}");
    let compiled = lowered.compile();
    assert!(
        compiled.is_native(),
        "{:?}\n{ir}",
        compiled.fallback_reason()
    );
    let want: Vec<f32> = x
        .to_vec::<f32>()
        .unwrap()
        .into_iter()
        .map(|x| x * x + 2.0 * x + 1.0)
        .collect();
    assert_eq!(poly(&x).to_vec::<f32>().unwrap(), want);
    // Empty arrays run no iteration.
    let empty = Array::from(Vec::<f32>::new());
    assert!(poly::lower(&empty).compile().is_native());
    assert_eq!(poly(&empty).shape(), &[0]);
}

#[jit]
fn sum_of_squares(x: &Array) -> (Array, Array) {
    let y = x * x - 1.0;
    (y, jnp::sum(y, ..))
}

#[test]
fn a_trailing_full_reduction_accumulates_in_the_loop_as_the_interpreter_does() {
    let x = Array::from((0..777).map(|k| (k as f32).sin() * 1e3).collect::<Vec<_>>());
    let compiled = sum_of_squares::lower(&x).compile();
    assert!(compiled.is_native(), "{:?}", compiled.fallback_reason());
    let (y, s) = sum_of_squares(&x);
    // In `ReduceKind`'s order, as the interpreter adds: 32 stripes of f32,
    // halved, then the tail in order.
    let ys = y.to_vec::<f32>().unwrap();
    let full = ys.len() - ys.len() % 32;
    let mut stripes = [0.0f32; 32];
    for (r, &v) in ys[..full].iter().enumerate() {
        stripes[r % 32] += v;
    }
    let mut half = 16;
    while half >= 1 {
        for k in 0..half {
            stripes[k] += stripes[k + half];
        }
        half /= 2;
    }
    let total = ys[full..].iter().fold(stripes[0], |acc, &v| acc + v);
    assert_eq!(s.item::<f32>().unwrap().to_bits(), total.to_bits());
    let sequential = ys.iter().fold(0.0f32, |acc, &v| acc + v);
    assert_ne!(total, sequential, "the sample tells the two orders apart");
    let x5 = x.to_vec::<f32>().unwrap()[5];
    assert_eq!(ys[5], x5 * x5 - 1.0);
}

// ---------------------------------------------------------------------------
// Dense layers: the product computed into the result, then the bias and the
// activation in place (`lower/nest`), bit for bit as the interpreter.

#[jit]
fn dense_layer(x: &Array, w: &Array, b: &Array) -> Array {
    (x.dot(w) + b).tanh()
}

/// The same layer with the weights given transposed: the product reads
/// `wt.transpose()`, gathered into a row-major buffer first.
#[jit]
fn dense_layer_wt(x: &Array, wt: &Array, b: &Array) -> Array {
    (x.dot(wt.transpose()) + b).tanh()
}

/// Two products in one chain: only one of them can be computed into the
/// result's buffer.
#[jit]
fn dense_layer_two(x: &Array, w: &Array, b: &Array) -> Array {
    (x.dot(w) + b + x.dot(w * 0.5)).tanh()
}

fn dense_operand(shape: &[usize], seed: f32) -> Array {
    let n: usize = shape.iter().product();
    let data: Vec<f32> = (0..n)
        .map(|k| ((k as f32 + seed) * 0.731).sin() * 1.5)
        .collect();
    Array::from_shape_vec(shape, data).unwrap()
}

/// Compiles `graph` natively and checks its result against the
/// interpreter's, bit for bit.
fn dense_agrees(what: &str, graph: jit::internals::ir::Graph, args: &[Array]) -> Array {
    use jit::internals::value::Value;
    let values: Vec<Value> = args.iter().cloned().map(Value::Array).collect();
    let want = jit::internals::interp::run_values(&graph, &values);
    let compiled = jit::internals::pipeline::compile_graph(graph, what);
    assert!(
        compiled.is_native(),
        "{what}: {:?}",
        compiled.fallback_reason()
    );
    let got = compiled.run_values(&values);
    let (Value::Array(w), Value::Array(g)) = (&want[0], &got[0]) else {
        panic!("{what}: an array result");
    };
    assert_eq!(w.shape(), g.shape(), "{what}");
    let (w, g) = (w.to_vec::<f32>().unwrap(), g.to_vec::<f32>().unwrap());
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&g), bits(&w), "{what}");
    Array::from_shape_vec(want[0].shape(), w).unwrap()
}

#[test]
fn dense_layers_agree_with_the_interpreter_bit_for_bit() {
    for (m, k, n) in [
        (1, 1, 1),
        (0, 3, 4),
        (3, 0, 4),
        (3, 4, 0),
        (1, 7, 5),
        (6, 1, 3),
        (5, 9, 1),
        (17, 33, 9),
        (40, 70, 50),
    ] {
        let x = dense_operand(&[m, k], 1.0);
        let w = dense_operand(&[k, n], 2.0);
        let b = dense_operand(&[n], 3.0);
        let what = format!("dense {m}x{k}x{n}");
        let graph = dense_layer::make_jaxpr(&x, &w, &b).graph().clone();
        let want = dense_agrees(&what, graph, &[x.clone(), w.clone(), b.clone()]);
        assert_eq!(want.shape(), &[m, n], "{what}");
        // The typed call path runs the same code.
        assert_eq!(dense_layer(&x, &w, &b), want, "{what}");
        if k == 0 {
            // An empty sum: tanh(0 + b) in every row.
            let row: Vec<f32> = b
                .to_vec::<f32>()
                .unwrap()
                .iter()
                .map(|v| v.tanh())
                .collect();
            let got = want.to_vec::<f32>().unwrap();
            for r in got.chunks(n.max(1)) {
                for (g, t) in r.iter().zip(&row) {
                    assert!((g - t).abs() <= 2.0 * f32::EPSILON, "{what}: {g} vs {t}");
                }
            }
        }
        let graph = dense_layer_two::make_jaxpr(&x, &w, &b).graph().clone();
        dense_agrees(
            &format!("{what} (two products)"),
            graph,
            &[x.clone(), w.clone(), b.clone()],
        );
        // Non-contiguous weights: the same product, the same bits.
        let wv = w.to_vec::<f32>().unwrap();
        let wt = Array::from_shape_vec(
            &[n, k],
            (0..n * k).map(|i| wv[(i % k) * n + i / k]).collect(),
        )
        .unwrap();
        let graph = dense_layer_wt::make_jaxpr(&x, &wt, &b).graph().clone();
        let got = dense_agrees(&format!("{what} (wᵀ)"), graph, &[x, wt, b]);
        assert_eq!(got, want, "{what}: transposed weights");
    }
}

#[jit]
fn two_integer_sums(base: i32) -> (i32, i32) {
    let i = jnp::arange(1024) + base;
    (jnp::sum(i % 3, ..), jnp::sum(i % 5, ..))
}

#[jit]
fn sum_of_selected(base: i32) -> f64 {
    let i = jnp::arange(1024) + base;
    let mf = i as f64;
    jnp::sum(lax::select(i > 0, mf + 1.0, mf), ..)
}

#[test]
fn two_reductions_of_a_traced_iota_agree_with_rust() {
    let want = |b: i32, m: i32| (0..1024).map(|k| (k + b) % m).sum::<i32>();
    assert_eq!(two_integer_sums(7), (want(7, 3), want(7, 5)));
    assert_eq!(two_integer_sums(-9), (want(-9, 3), want(-9, 5)));
    let f = |b: i32| -> f64 {
        let e: Vec<f64> = (0..1024)
            .map(|k| {
                let i = k + b;
                if i > 0 { i as f64 + 1.0 } else { i as f64 }
            })
            .collect();
        e.iter().sum()
    };
    // Integers summed as f64 are exact here, in any order.
    assert_eq!(sum_of_selected(3), f(3));
}
