//! `Array`'s `Display` against JAX: every case of `array_display.py` built
//! in Rust, its text compared with `repr()` of the JAX array, as checked in
//! in `array_display.txt`.
//!
//! The cases are keyed by the Python expression that builds them, so a case
//! added to the script without a Rust twin fails here rather than going
//! unchecked.

use jit::prelude::*;

const EXPECTED: &str = include_str!("array_display.txt");

/// The cases the script prints but no public constructor can build: weak
/// arrays come only from literals in traced code, so `display.rs` covers
/// `weak_type=True` with a unit test.
const WEAK_ONLY: &[&str] = &["jnp.asarray(1.0)", "jnp.asarray(1)"];

/// `(expression, repr)` for each block of `array_display.txt`.
fn cases() -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for line in EXPECTED.lines() {
        match line.strip_prefix("### ") {
            Some(expression) => out.push((expression, Vec::new())),
            None => out.last_mut().expect("a `###` line first").1.push(line),
        }
    }
    out.into_iter()
        .map(|(expression, lines)| (expression, lines.join("\n")))
        .collect()
}

fn shaped<T: jit::Element>(shape: &[usize], values: Vec<T>) -> Array {
    Array::from_shape_vec(shape, values).expect("the shape fits the values")
}

/// `np.arange(n)` converted by `f`, as NumPy computes it elementwise.
fn arange<T>(n: usize, f: impl Fn(usize) -> T) -> Vec<T> {
    (0..n).map(f).collect()
}

/// The Rust twin of a case of `array_display.py`. Python parses float
/// literals as `f64` and NumPy rounds them to `float32`, hence `as f32`
/// where a literal is not exact.
fn build(expression: &str) -> Option<Array> {
    let (nan32, inf32) = (f32::NAN, f32::INFINITY);
    let (nan, inf) = (f64::NAN, f64::INFINITY);
    Some(match expression {
        "np.array(True)" => Array::scalar(true),
        "np.array(False)" => Array::scalar(false),
        "np.array([True, False, True])" => Array::from(vec![true, false, true]),
        "np.array(7, np.int32)" => Array::scalar(7i32),
        "np.array([1, 2, 3], np.int32)" => Array::from(vec![1i32, 2, 3]),
        "np.array(7, np.uint32)" => Array::scalar(7u32),
        "np.array([0, 7, 4294967295], np.uint32)" => Array::from(vec![0u32, 7, u32::MAX]),
        "np.array(-7, np.int64)" => Array::scalar(-7i64),
        "np.array([1, -9223372036854775808, 9223372036854775807], np.int64)" => {
            Array::from(vec![1i64, i64::MIN, i64::MAX])
        }
        "np.array(2.0, f32)" => Array::scalar(2.0f32),
        "np.array([1.0, 2.0, 3.0], f32)" => Array::from(vec![1.0f32, 2.0, 3.0]),
        "np.array(2.0, f64)" => Array::scalar(2.0f64),
        "np.array([1.0, 2.0, 3.0], f64)" => Array::from(vec![1.0f64, 2.0, 3.0]),
        "np.array([1, -20, 300], np.int32)" => Array::from(vec![1i32, -20, 300]),
        "np.array([1, -20, 300], np.int64)" => Array::from(vec![1i64, -20, 300]),
        "np.array([5, 20, 300], np.uint32)" => Array::from(vec![5u32, 20, 300]),
        "np.array([0.1, 0.2, 0.3], f32)" => {
            Array::from(vec![0.1f64 as f32, 0.2f64 as f32, 0.3f64 as f32])
        }
        "np.array([0.1, 0.2, 0.3], f64)" => Array::from(vec![0.1f64, 0.2, 0.3]),
        "np.array([1.0, 2.5, -3.25], f32)" => Array::from(vec![1.0f32, 2.5, -3.25]),
        "np.array([1 / 3, 2 / 3, 1.0], f32)" => {
            Array::from(vec![(1.0f64 / 3.0) as f32, (2.0f64 / 3.0) as f32, 1.0])
        }
        "np.array([1 / 3, 2 / 3, 1.0], f64)" => Array::from(vec![1.0f64 / 3.0, 2.0 / 3.0, 1.0]),
        "np.array([12.3456789012345, -2.718281828459045], f64)" => {
            Array::from(vec![12.3456789012345f64, -std::f64::consts::E])
        }
        "np.array([123456.789, 0.5], f64)" => Array::from(vec![123456.789f64, 0.5]),
        "np.array([123456.789, 0.5], f32)" => Array::from(vec![123456.789f64 as f32, 0.5]),
        "np.array([0.125, 0.0625, 1.0], f64)" => Array::from(vec![0.125f64, 0.0625, 1.0]),
        "np.array([0.0001, 0.001], f32)" => Array::from(vec![0.0001f64 as f32, 0.001f64 as f32]),
        "np.array([0.0001, 0.001], f64)" => Array::from(vec![0.0001f64, 0.001]),
        "np.array([nan, 1.0, -inf, inf], f32)" => Array::from(vec![nan32, 1.0, -inf32, inf32]),
        "np.array([nan, 1.5, inf], f64)" => Array::from(vec![nan, 1.5, inf]),
        "np.array([nan, inf], f32)" => Array::from(vec![nan32, inf32]),
        "np.array([nan, -inf], f64)" => Array::from(vec![nan, -inf]),
        "np.array([-0.0, 0.0, 1.0], f32)" => Array::from(vec![-0.0f32, 0.0, 1.0]),
        "np.array(-0.0, f64)" => Array::scalar(-0.0f64),
        "np.array(nan, f32)" => Array::scalar(nan32),
        "np.array(-inf, f64)" => Array::scalar(-inf),
        "np.array([1e-05, 1.0, 2.0], f32)" => Array::from(vec![1e-5f64 as f32, 1.0, 2.0]),
        "np.array([1e10, 1.0, -2.5], f64)" => Array::from(vec![1e10f64, 1.0, -2.5]),
        "np.array([1e-05, 1e10, -0.0, nan, 3.0], f64)" => {
            Array::from(vec![1e-5f64, 1e10, -0.0, nan, 3.0])
        }
        "np.array([1e-05, 1e10, -0.0, nan, 3.0], f32)" => {
            Array::from(vec![1e-5f64 as f32, 1e10, -0.0, nan32, 3.0])
        }
        "np.array([1e7, 1.0], f64)" => Array::from(vec![1e7f64, 1.0]),
        "np.array([1e7, 1.0], f32)" => Array::from(vec![1e7f32, 1.0]),
        "np.array([1e6, 2e6], f32)" => Array::from(vec![1e6f32, 2e6]),
        "np.array([1e8, 2e8], f64)" => Array::from(vec![1e8f64, 2e8]),
        "np.array([1.5e-300, 2e300], f64)" => Array::from(vec![1.5e-300f64, 2e300]),
        "np.array([0.1, 1000.0], f64)" => Array::from(vec![0.1f64, 1000.0]),
        "np.array([0.1, 1000.1], f64)" => Array::from(vec![0.1f64, 1000.1]),
        "np.array([1.23456789e-7, 1.0], f64)" => Array::from(vec![1.23456789e-7f64, 1.0]),
        "np.array([-inf, 1e-09, 1.0], f32)" => Array::from(vec![-inf32, 1e-9f64 as f32, 1.0]),
        "np.array(1e-05, f32)" => Array::scalar(1e-5f64 as f32),
        "np.array(1e20, f64)" => Array::scalar(1e20f64),
        "np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], f32)" => {
            shaped(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])
        }
        "np.array([[1, -20, 300], [4, 5, 6]], np.int32)" => {
            shaped(&[2, 3], vec![1i32, -20, 300, 4, 5, 6])
        }
        "np.array([[True, False, True], [False, False, True]])" => {
            shaped(&[2, 3], vec![true, false, true, false, false, true])
        }
        "np.array([[1.5, nan, -2.0], [0.25, inf, 100.0]], f64)" => {
            shaped(&[2, 3], vec![1.5f64, nan, -2.0, 0.25, inf, 100.0])
        }
        "np.arange(8, dtype=f32).reshape(2, 2, 2)" => shaped(&[2, 2, 2], arange(8, |i| i as f32)),
        "np.arange(8, dtype=np.int64).reshape(2, 2, 2) - 3" => {
            shaped(&[2, 2, 2], arange(8, |i| i as i64 - 3))
        }
        "np.array([True, False] * 4).reshape(2, 2, 2)" => {
            shaped(&[2, 2, 2], arange(8, |i| i % 2 == 0))
        }
        "np.arange(16, dtype=f64).reshape(2, 2, 2, 2) / 4" => {
            shaped(&[2, 2, 2, 2], arange(16, |i| i as f64 / 4.0))
        }
        "np.arange(6, dtype=np.uint32).reshape(1, 2, 3, 1)" => {
            shaped(&[1, 2, 3, 1], arange(6, |i| i as u32))
        }
        "np.array([[7.0]], f32)" => shaped(&[1, 1], vec![7.0f32]),
        "np.arange(40, dtype=f32) * f32(1.5)" => Array::from(arange(40, |i| i as f32 * 1.5)),
        "np.arange(40, dtype=f64) / 3" => Array::from(arange(40, |i| i as f64 / 3.0)),
        "np.arange(40, dtype=f32) / f32(3)" => Array::from(arange(40, |i| i as f32 / 3.0)),
        "np.arange(30, dtype=np.int64) * 1000 - 7" => {
            Array::from(arange(30, |i| i as i64 * 1000 - 7))
        }
        "np.arange(60, dtype=np.uint32)" => Array::from(arange(60, |i| i as u32)),
        "np.arange(34, dtype=f32) * f32(0.5)" => Array::from(arange(34, |i| i as f32 * 0.5)),
        "np.arange(12, dtype=f64).reshape(2, 6) * 1e5 + 0.5" => {
            shaped(&[2, 6], arange(12, |i| i as f64 * 1e5 + 0.5))
        }
        "np.arange(30, dtype=f32).reshape(2, 15) / f32(7)" => {
            shaped(&[2, 15], arange(30, |i| i as f32 / 7.0))
        }
        "np.array([True, False] * 15)" => Array::from(arange(30, |i| i % 2 == 0)),
        "np.arange(18, dtype=np.int32) * 1000000" => {
            Array::from(arange(18, |i| i as i32 * 1_000_000))
        }
        "np.arange(17, dtype=np.int32) * 1000000" => {
            Array::from(arange(17, |i| i as i32 * 1_000_000))
        }
        "np.arange(1001, dtype=f32)" => Array::from(arange(1001, |i| i as f32)),
        "np.arange(1001, dtype=np.int32)" => Array::from(arange(1001, |i| i as i32)),
        "np.arange(1001, dtype=f64) / 7" => Array::from(arange(1001, |i| i as f64 / 7.0)),
        "np.arange(1200, dtype=np.int32).reshape(3, 400)" => {
            shaped(&[3, 400], arange(1200, |i| i as i32))
        }
        "np.arange(1200, dtype=f32).reshape(3, 400) / f32(8)" => {
            shaped(&[3, 400], arange(1200, |i| i as f32 / 8.0))
        }
        "np.arange(2000, dtype=np.int64).reshape(10, 10, 20)" => {
            shaped(&[10, 10, 20], arange(2000, |i| i as i64))
        }
        "np.arange(2000, dtype=f64).reshape(100, 20) - 1000" => {
            shaped(&[100, 20], arange(2000, |i| i as f64 - 1000.0))
        }
        "np.arange(1001, dtype=np.uint32) % 2 == 0" => Array::from(arange(1001, |i| i % 2 == 0)),
        "np.concatenate([np.full(500, 1e-08), np.full(501, 2.0)]).astype(f64)" => {
            Array::from(arange(1001, |i| if i < 500 { 1e-8f64 } else { 2.0 }))
        }
        "np.zeros((0,), f32)" => Array::from(Vec::<f32>::new()),
        "np.zeros((0, 3), f32)" => shaped(&[0, 3], Vec::<f32>::new()),
        "np.zeros((2, 0), np.int32)" => shaped(&[2, 0], Vec::<i32>::new()),
        "np.zeros((0,), bool)" => Array::from(Vec::<bool>::new()),
        _ => return None,
    })
}

#[test]
fn display_matches_jax_repr() {
    let cases = cases();
    assert!(cases.len() > 80, "array_display.txt holds every case");
    let mut failures = Vec::new();
    for (expression, expected) in &cases {
        if WEAK_ONLY.contains(expression) {
            continue;
        }
        let Some(array) = build(expression) else {
            failures.push(format!("no Rust twin for `{expression}`"));
            continue;
        };
        let shown = format!("{array}");
        if &shown != expected {
            failures.push(format!(
                "{expression}\nexpected:\n{expected}\nfound:\n{shown}"
            ));
        }
        assert_eq!(format!("{array:?}"), shown, "Debug is Display");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
