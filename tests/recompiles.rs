//! Recompiles explained: `f::cache_misses()` names the argument whose
//! dtype, shape or static value changed (`JIT_LOG_COMPILES=1` prints the
//! same text in each compile's line: `cache.rs`'s unit test).

use jit::prelude::*;

#[jit(static = n)]
fn scaled(x: &Array, n: usize) -> Array {
    x * n as f32
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Opaque(u8);

#[jit(static = tag)]
fn tagged(x: f32, tag: Opaque) -> f32 {
    x + f32::from(tag.0)
}

#[test]
fn each_recompile_names_what_changed() {
    let f32s = Array::from(vec![1.0f32, 2.0, 3.0]);
    scaled(&f32s, 10);
    assert!(
        scaled::cache_misses().is_empty(),
        "the first compile needs no reason"
    );
    scaled(&f32s, 10);
    assert!(scaled::cache_misses().is_empty(), "a hit is no miss");
    scaled(&f32s, 11);
    scaled(&Array::from(vec![1.0f32, 2.0, 3.0, 4.0]), 11);
    scaled(&Array::from(vec![1.0f64, 2.0, 3.0]), 11);
    assert_eq!(
        scaled::cache_misses(),
        vec![
            "n: 10 -> 11".to_owned(),
            "x: f32[3] -> f32[4]".to_owned(),
            // Closest: both earlier `n = 11` specialisations; the latest wins.
            "x: f32[4] -> f64[3]".to_owned(),
        ]
    );
    scaled::clear_cache();
    scaled(&f32s, 10);
    assert!(scaled::cache_misses()[3].contains("cache was cleared"));
}

#[test]
fn a_static_argument_without_debug_still_explains() {
    tagged(1.0, Opaque(1));
    tagged(1.0, Opaque(2));
    let misses = tagged::cache_misses();
    assert_eq!(misses.len(), 1);
    assert!(
        misses[0].starts_with("tag: Opaque with hash ")
            && misses[0].contains(" -> Opaque with hash "),
        "{misses:?}"
    );
}
