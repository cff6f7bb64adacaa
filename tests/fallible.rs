//! Functions declared `-> Result<T, jit::Error>`: trace-time errors (a carry
//! or branch whose type changes, a result of the wrong dtype, a tracer that
//! escaped its loop) come back as `Err` with the panic's message, nothing is
//! printed or cached, and the `Ok` path runs compiled code like any other.

use jit::prelude::*;
use std::cell::Cell;

/// Whether `f` ran without the panic hook being called on this thread: an
/// error returned as a value must not print a panic message.
fn silently<T>(f: impl FnOnce() -> T) -> T {
    thread_local! {
        static HOOK_CALLS: Cell<u32> = const { Cell::new(0) };
    }
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            HOOK_CALLS.with(|c| c.set(c.get() + 1));
            previous(info);
        }));
    });
    let before = HOOK_CALLS.with(Cell::get);
    let value = f();
    assert_eq!(
        HOOK_CALLS.with(Cell::get),
        before,
        "a panic message was printed"
    );
    value
}

#[jit]
fn carry_changes(x: f32, n: i32) -> Result<i32, jit::Error> {
    let (a, _) = lax::fori_loop(0, n, |_i, (a, b)| (a, b.sin()), (1i32, Tracer::from(0i32)));
    Ok(a + x as i32)
}

#[test]
fn a_changing_carry_is_an_err_naming_function_primitive_and_types() {
    let err = silently(|| carry_changes(1.0, 3)).unwrap_err();
    let message = err.to_string();
    assert!(
        message
            .contains("while tracing `carry_changes`: `lax::fori_loop`: the carry's type changes"),
        "{message}"
    );
    assert!(
        message.contains("i32") && message.contains("f32"),
        "{message}"
    );
    assert!(matches!(err, jit::Error::Trace(_)));
    assert_eq!(
        carry_changes::cache_size(),
        0,
        "a failed trace is not cached"
    );
    assert!(carry_changes(1.0, 3).is_err(), "the next call traces again");
}

#[jit]
fn branches_differ(p: bool, x: f32) -> Result<f32, jit::Error> {
    let y = lax::cond(p, || x * 2.0, || x.sin() as f64);
    Ok(y as f32)
}

#[test]
fn branches_of_different_types_are_an_err() {
    let message = silently(|| branches_differ(true, 1.0))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("`lax::cond`: the branches must return equal types"),
        "{message}"
    );
}

#[jit]
fn scaled(x: f32, k: i32) -> Result<(f32, i32), jit::Error> {
    let y = lax::fori_loop(0, k, |_i, y| y * 2.0, x);
    Ok((y + 1.0, k * 3))
}

#[test]
fn the_ok_path_compiles_once_and_runs_native_code() {
    assert_eq!(scaled(1.5, 3), Ok((13.0, 9)));
    assert_eq!(scaled(1.5, 0), Ok((2.5, 0)));
    assert_eq!(scaled::cache_size(), 1);
    assert!(
        scaled::lower(1.0, 1).compile().is_native(),
        "compiles to native code"
    );
}

#[jit]
fn wrong_result_dtype(x: f32) -> Result<f32, jit::Error> {
    Ok(x as f64 * 2.0)
}

#[test]
fn a_result_of_the_wrong_dtype_is_an_err() {
    let message = silently(|| wrong_result_dtype(1.0))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("declared to return f32 but its body returns f64"),
        "{message}"
    );
}

/// A helper that reports its own error; `?` passes it on. (A plain helper is
/// plain Rust: its literals have Rust's types, so `2.0f32` keeps an `f32`.)
fn checked_double(x: Tracer, limit: usize) -> Result<Tracer, jit::Error> {
    if limit == 0 {
        return Err(jit::Error::Trace("limit must be positive".into()));
    }
    Ok(x * 2.0f32)
}

#[jit(static = limit)]
fn with_question_mark(x: f32, limit: usize) -> Result<f32, jit::Error> {
    let y = checked_double(x, limit)?;
    Ok(y + 1.0)
}

#[test]
fn the_body_may_return_its_own_err() {
    assert_eq!(with_question_mark(2.0, 1), Ok(5.0));
    assert_eq!(
        silently(|| with_question_mark(2.0, 0)),
        Err(jit::Error::Trace("limit must be positive".into()))
    );
    assert_eq!(with_question_mark::cache_size(), 1);
}

#[jit]
fn escapes(x: f32) -> Result<f32, jit::Error> {
    let inner = Cell::new(None);
    let y = lax::fori_loop(
        0,
        3,
        |_i, y| {
            let z = y + x;
            inner.set(Some(z));
            z
        },
        x,
    );
    Ok(y + inner.get().unwrap_or(y))
}

#[test]
fn a_tracer_escaping_its_loop_is_an_err() {
    let message = silently(|| escapes(1.0)).unwrap_err().to_string();
    assert!(
        message.contains("a Tracer from inside a loop or branch body was used outside it"),
        "{message}"
    );
}

#[jit]
fn user_panic(x: f32) -> Result<f32, jit::Error> {
    let values: Vec<f32> = Vec::new();
    Ok(x + values[0])
}

#[test]
#[should_panic(expected = "index out of bounds")]
fn other_panics_stay_panics() {
    let _ = user_panic(1.0);
}

#[jit]
fn fails_inside_a_branch(x: f32) -> Result<f32, jit::Error> {
    let y = lax::cond(x > 0.0, || lax::fori_loop(0, 2, |_i, c| c as f64, x), || x);
    Ok(y)
}

/// Infallible, but handles the error of a fallible function it inlines, and
/// goes on tracing after it (the regions the error left open are dropped).
#[jit]
fn recovers(x: f32) -> f32 {
    let fallback = lax::fori_loop(0, 3, |_i, c| c + 1.0, x);
    match fails_inside_a_branch(x) {
        Ok(y) => y,
        Err(_) => fallback * 2.0,
    }
}

#[test]
fn an_inlined_fallible_call_returns_err_to_its_caller() {
    assert_eq!(silently(|| recovers(1.0)), 8.0);
    assert_eq!(recovers(-4.0), -2.0);
    assert_eq!(recovers::cache_size(), 1);
    assert!(fails_inside_a_branch(1.0).is_err());
}

#[test]
#[should_panic(expected = "while tracing `carry_changes`")]
fn make_jaxpr_of_a_failing_function_panics_with_the_message() {
    let _ = carry_changes::make_jaxpr(1.0, 3);
}

#[test]
fn closures_may_be_fallible() {
    let ok = jit_fn!(|x: f32| -> Result<f32, jit::Error> { Ok(x * 3.0) });
    assert_eq!(ok(2.0), Ok(6.0));
    let bad = jit_fn!(|x: f32| -> Result<f32, jit::Error> { Ok(lax::select(x, x, -x)) });
    let message = silently(|| bad(2.0)).unwrap_err().to_string();
    assert!(
        message.contains("select needs a bool predicate, got f32"),
        "{message}"
    );
}

#[jit]
fn grows(x: f32, n: i32) -> Result<f32, jit::Error> {
    let (a, _) = lax::fori_loop(0, n, |_i, (a, b)| (a, b as f64), (x, x));
    Ok(a)
}

#[test]
fn the_readme_example_gives_its_message() {
    let message = silently(|| grows(1.0, 3)).unwrap_err().to_string();
    assert!(
        message
            .starts_with("jit: while tracing `grows`: `lax::fori_loop`: the carry's type changes"),
        "{message}"
    );
}
