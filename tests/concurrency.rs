//! Many threads making the first call of a `#[jit]` function at once:
//! exactly one trace and compile per signature, and every caller gets the
//! right value.

use jit::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

static TRACES: AtomicUsize = AtomicUsize::new(0);

#[jit(static = k)]
fn scaled(x: f32, k: i64) -> f32 {
    // Counts traces: this line runs while tracing only.
    TRACES.fetch_add(1, Ordering::SeqCst);
    let mut y = x;
    for _ in 0..k {
        y = y * 2.0 + 1.0;
    }
    y
}

fn expected(x: f32, k: i64) -> f32 {
    (0..k).fold(x, |y, _| y * 2.0 + 1.0)
}

#[test]
fn racing_first_calls_compile_once_per_signature() {
    const THREADS: usize = 16;
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                // Two signatures, eight threads racing on each.
                let k = (t % 2) as i64 + 3;
                for i in 0..200 {
                    let x = i as f32 * 0.5;
                    assert_eq!(scaled(x, k), expected(x, k));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("no thread panics");
    }
    assert_eq!(TRACES.load(Ordering::SeqCst), 2, "one trace per signature");
    assert_eq!(scaled::cache_size(), 2);
}

#[jit(static = k)]
fn shifted(x: i32, k: i32) -> i32 {
    x + k
}

#[test]
fn clearing_while_other_threads_call_keeps_every_result_right() {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let callers: Vec<_> = (0..3)
        .map(|t| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) || n < 1000 {
                    // Alternating static values exercise the per-thread
                    // recent list as well as the shared map.
                    let k = n % 3 + t;
                    assert_eq!(shifted(n, k), n + k);
                    n += 1;
                }
            })
        })
        .collect();
    for _ in 0..200 {
        shifted::clear_cache();
        std::thread::yield_now();
    }
    stop.store(true, Ordering::Relaxed);
    for c in callers {
        c.join().expect("no caller panics");
    }
}
