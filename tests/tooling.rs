//! The tools around a `#[jit]` function: `f::lower(..)` and its compiled
//! form and `jit::debug_print!`.

use jit::prelude::*;

#[jit]
fn poly(x: f64) -> f64 {
    x * x + 3.0 * x - 1.0
}

#[test]
fn lower_shows_the_optimised_ir_and_compile_the_machine_code() {
    let lowered = poly::lower(2.0);
    let ir = lowered.as_text();
    assert!(ir.contains("mul"), "{ir}");
    assert!(ir.contains("add"), "{ir}");
    let compiled = lowered.compile();
    assert!(compiled.is_native());
    assert!(compiled.code_size() > 0);
    let asm = compiled.as_text();
    if cfg!(target_arch = "aarch64") {
        // AArch64 code is shown as instruction words: `fmul d_, d_, d_` and `ret`.
        assert!(words(&asm).any(|w| w & 0xffe0_fc00 == 0x1e60_0800), "{asm}");
        assert!(words(&asm).any(|w| w == 0xd65f_03c0), "{asm}");
    } else {
        assert!(asm.contains("mulsd"), "{asm}");
        assert!(asm.contains("ret"), "{asm}");
    }
    assert_eq!(
        compiled.run_scalars(&[jit::scalar::Scalar::F64(2.0)]),
        vec![jit::scalar::Scalar::F64(9.0)]
    );
    assert_eq!(poly::cache_size(), 0, "lower does not fill the cache");
}

#[jit]
fn noisy(x: f32, k: i32) -> f32 {
    jit::debug_print!("x = {}, k = {:?}", x, k);
    x * 2.0
}

#[test]
fn debug_print_runs_on_every_call_of_native_code() {
    assert_eq!(noisy(1.5, 3), 3.0);
    assert_eq!(noisy(2.5, 4), 5.0);
    assert_eq!(noisy::cache_size(), 1);
    let jaxpr = noisy::make_jaxpr(1.0, 1).to_string();
    assert!(
        jaxpr.contains("debug_callback[format=\"x = {}, k = {:?}\"] a b"),
        "{jaxpr}"
    );
    let asm = noisy::lower(1.0, 1).compile().as_text();
    if cfg!(target_arch = "aarch64") {
        // `blr x16`: helpers are called through x16.
        assert!(words(&asm).any(|w| w == 0xd63f_0200), "{asm}");
    } else {
        assert!(asm.contains("call"), "{asm}");
    }
}

/// The instruction words of an AArch64 listing (`offset  word` lines).
fn words(asm: &str) -> impl Iterator<Item = u32> + '_ {
    asm.lines().filter_map(|l| {
        let word = l.split_whitespace().nth(1)?;
        u32::from_str_radix(word, 16).ok()
    })
}
