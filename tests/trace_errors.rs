//! Misuse found while tracing is reported, naming the function, and never
//! becomes a wrong answer, a broken graph or a hang: tracers carried to
//! another thread, a panic caught inside a loop body, a function calling
//! itself with plain arguments, weak literals too large for their dtype,
//! and a carry whose structure changes.

use jit::prelude::*;
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

/// The message of a panic payload.
fn message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .unwrap_or_default(),
    }
}

/// Runs `f` on another thread and returns its panic message; fails the
/// test if it returns, or if it has not finished within a minute (a hang).
fn panic_message_of<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> String {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = send.send(outcome.map(|_| ()).map_err(message));
    });
    match receive.recv_timeout(Duration::from_secs(60)) {
        Ok(Err(message)) => message,
        Ok(Ok(())) => panic!("expected a trace-time error, got a value"),
        Err(_) => panic!("no answer within a minute: the call hangs"),
    }
}

static STASH: Mutex<Option<Tracer>> = Mutex::new(None);

#[jit]
fn keep(x: f32) -> f32 {
    *STASH.lock().unwrap() = Some(x);
    x + 1.0
}

#[jit]
fn use_stash(x: f32) -> f32 {
    let s = STASH.lock().unwrap().unwrap();
    x * 2.0 + s
}

#[test]
fn a_tracer_moved_to_another_thread_is_an_error_naming_the_function() {
    assert_eq!(std::thread::spawn(|| keep(1.0)).join().unwrap(), 2.0);
    let message = panic_message_of(|| use_stash(5.0));
    assert!(
        message.contains("`use_stash`") && message.contains("another trace"),
        "{message}"
    );
}

#[jit]
fn caught(x: f32, n: i32) -> f32 {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lax::fori_loop(
            0,
            n,
            |_i, y| {
                if true {
                    std::panic::resume_unwind(Box::new("boom"));
                }
                y + x
            },
            x,
        )
    }));
    x * 2.0 + 1.0
}

#[test]
fn a_panic_caught_inside_a_loop_body_leaves_a_valid_graph() {
    assert_eq!(caught(3.0, 2), 7.0);
    assert_eq!(caught(-1.0, 0), -1.0);
    let jaxpr = caught::make_jaxpr(3.0, 2).to_string();
    assert!(!jaxpr.contains("while"), "{jaxpr}");
}

static INSIDE: Mutex<Option<Tracer>> = Mutex::new(None);

#[jit]
fn caught_then_uses_the_body_value(x: f32, n: i32) -> f32 {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lax::fori_loop(
            0,
            n,
            |_i, y| {
                *INSIDE.lock().unwrap() = Some(y * 2.0);
                std::panic::resume_unwind(Box::new("boom"))
            },
            x,
        )
    }));
    let inside = INSIDE.lock().unwrap().take().unwrap();
    x + inside
}

#[test]
fn a_value_of_an_abandoned_body_is_an_escaped_tracer() {
    let message = panic_message_of(|| caught_then_uses_the_body_value(1.0, 2));
    assert!(
        message.contains("`caught_then_uses_the_body_value`")
            && message.contains("inside a loop or branch body"),
        "{message}"
    );
}

#[jit]
fn rec(x: f32) -> f32 {
    x + rec(1.0)
}

#[jit]
fn rec_fallible(x: f32) -> Result<f32, jit::Error> {
    let again = rec_fallible(1.0)?;
    Ok(x + again)
}

#[test]
fn a_function_calling_itself_with_plain_arguments_is_an_error_not_a_hang() {
    let message = panic_message_of(|| rec(2.0));
    assert!(
        message.contains("`rec`") && message.contains("calls itself"),
        "{message}"
    );
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || send.send(rec_fallible(2.0)));
    let result = receive
        .recv_timeout(Duration::from_secs(60))
        .expect("no hang");
    match result {
        Err(jit::Error::Trace(m)) => assert!(m.contains("calls itself"), "{m}"),
        other => panic!("expected Err, got {other:?}"),
    }
    assert_eq!(rec::cache_size(), 0);
}

/// Recursion that ends on a static argument compiles one specialisation
/// per level.
#[jit(static = n)]
fn countdown(x: f32, n: u32) -> f32 {
    if n == 0 { x } else { x + countdown(1.0, n - 1) }
}

#[test]
fn recursion_on_a_static_argument_still_works() {
    assert_eq!(countdown(2.0, 3), 5.0);
    assert_eq!(countdown::cache_size(), 4);
}

#[jit]
fn too_wide(x: i32) -> i32 {
    x + 1_099_511_627_776
}

#[jit]
fn too_wide_for_u32(x: u32) -> u32 {
    x * 5_000_000_000
}

#[jit]
fn wraps_into_u32(x: u32) -> (u32, u32) {
    (x + -1, x * 4_000_000_000)
}

#[test]
fn a_weak_literal_that_does_not_fit_is_an_error() {
    let message = panic_message_of(|| too_wide(1));
    assert!(
        message.contains("`too_wide`") && message.contains("1099511627776 does not fit i32"),
        "{message}"
    );
    let message = panic_message_of(|| too_wide_for_u32(1));
    assert!(message.contains("does not fit u32"), "{message}");
    // JAX 0.10.2 (`tests/jax_values.py`): uint32(5) + (-1) == 4.
    assert_eq!(wraps_into_u32(5), (4, 5u32.wrapping_mul(4_000_000_000)));
}

#[jit]
fn bad_vec_carry(n: i32) -> i32 {
    lax::fori_loop(0, n, |_i, c: Vec<Tracer>| c[..2].to_vec(), vec![0, 1, 2])[0]
}

#[test]
fn a_vec_carry_of_another_length_names_both_lengths() {
    let message = panic_message_of(|| bad_vec_carry(3));
    assert!(
        message.contains(
            "the carry's structure [~i32[], ~i32[], ~i32[]], but returns [~i32[], ~i32[]]"
        ),
        "{message}"
    );
}
