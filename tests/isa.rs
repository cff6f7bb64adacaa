//! The ISA level is part of the cache key: changing it with
//! `config::set_isa` compiles a new specialisation (whose recompile
//! explanation names the level), and both levels give the same bits. Alone in its own test binary, because the level is a
//! process-wide setting.

use jit::config::IsaLevel;
use jit::prelude::*;

#[jit]
fn rounded(x: f64) -> f64 {
    (x * 1.5).floor() + (x - 0.25).round() + x.sin()
}

#[test]
fn each_isa_level_compiles_its_own_specialisation() {
    let start = jit::config::isa();
    let inputs = [0.0, -0.0, 1.25, -2.5, 1e300, f64::NAN, 7.0e-310];
    jit::config::set_isa(IsaLevel::Baseline);
    let baseline: Vec<u64> = inputs.iter().map(|&x| rounded(x).to_bits()).collect();
    assert_eq!(rounded::cache_size(), 1);
    jit::config::set_isa(IsaLevel::Native);
    let native: Vec<u64> = inputs.iter().map(|&x| rounded(x).to_bits()).collect();
    assert_eq!(rounded::cache_size(), 2);
    // Back to the first level: a hit, not a third compile.
    jit::config::set_isa(IsaLevel::Baseline);
    let again: Vec<u64> = inputs.iter().map(|&x| rounded(x).to_bits()).collect();
    assert_eq!(rounded::cache_size(), 2);
    jit::config::set_isa(start);
    // The second compile says why it happened.
    assert_eq!(
        rounded::cache_misses(),
        vec!["ISA level: baseline -> native".to_owned()]
    );
    let same = |a: &[u64], b: &[u64]| {
        a.iter()
            .zip(b)
            .all(|(&x, &y)| x == y || (f64::from_bits(x).is_nan() && f64::from_bits(y).is_nan()))
    };
    assert!(same(&baseline, &native), "{baseline:x?} vs {native:x?}");
    assert!(same(&baseline, &again));
}
