//! Staged control flow (`jit::lax`): every primitive with JAX's values,
//! nesting, pytree carries, weak-type promotion of carries, the jaxprs, the
//! trace-time errors, and the shape of compiled loops (bottom-tested: zero,
//! one and many trips, conditions with branches of their own, one
//! compare-and-branch per iteration).

use expect_test::expect;
use jit::prelude::*;

#[jit]
fn fori(x: f32, n: i32) -> f32 {
    lax::fori_loop(0, n, |_i, y| y + x, 0.0)
}

#[test]
fn fori_loop_with_a_traced_bound_compiles_once() {
    assert_eq!(fori(2.0, 10), 20.0);
    assert_eq!(fori(2.0, 15), 30.0);
    assert_eq!(fori(2.0, 0), 0.0);
    assert_eq!(fori(2.0, -5), 0.0, "a negative trip count runs zero times");
    assert_eq!(fori::cache_size(), 1, "a new n never recompiles");
}

#[test]
fn fori_loop_jaxpr_is_jaxs() {
    // JAX's `make_jaxpr` text, character for character: a re-blessed
    // snapshot must still be what JAX prints.
    expect![[r#"
        { lambda ; a:f32[] b:i32[]. let
            _:i32[] _:i32[] c:f32[] = while[
              body_jaxpr={ lambda ; d:f32[] e:i32[] f:i32[] g:f32[]. let
                  h:i32[] = add e 1:i32[]
                  i:f32[] = add g d
                in (h, f, i) }
              body_nconsts=1
              cond_jaxpr={ lambda ; j:i32[] k:i32[] l:f32[]. let
                  m:bool[] = lt j k
                in (m,) }
              cond_nconsts=0
            ] a 0:i32[] b 0.0:f32[]
          in (c,) }"#]]
    .assert_eq(&fori::make_jaxpr(2.0, 10).to_string());
}

#[jit]
fn sum_up_to(x: i32) -> i32 {
    lax::while_loop(|(_, n)| n <= x, |(s, n)| (s + n, n + 1), (0, 1)).0
}

#[test]
fn while_loop_sums() {
    assert_eq!(sum_up_to(10), 55);
    assert_eq!(sum_up_to(0), 0);
    assert_eq!(sum_up_to(-3), 0);
    assert_eq!(
        sum_up_to(100_000),
        5_000_050_000i64 as i32,
        "wraps like i32"
    );
    assert_eq!(sum_up_to::cache_size(), 1);
}

#[test]
fn while_loop_jaxpr_is_jaxs() {
    // JAX's `make_jaxpr` text, character for character: a re-blessed
    // snapshot must still be what JAX prints.
    expect![[r#"
        { lambda ; a:i32[]. let
            b:i32[] _:i32[] = while[
              body_jaxpr={ lambda ; c:i32[] d:i32[]. let
                  e:i32[] = add c d
                  f:i32[] = add d 1:i32[]
                in (e, f) }
              body_nconsts=0
              cond_jaxpr={ lambda ; g:i32[] h:i32[] i:i32[]. let
                  j:bool[] = le i g
                in (j,) }
              cond_nconsts=1
            ] a 0:i32[] 1:i32[]
          in (b,) }"#]]
    .assert_eq(&sum_up_to::make_jaxpr(10).to_string());
}

#[jit]
fn myabs(x: i32) -> i32 {
    lax::cond(x > 0, || x, || -x)
}

#[jit]
fn myabs_f(x: f32) -> f32 {
    lax::cond(x > 0.0, || x, || -x)
}

#[test]
fn cond_picks_a_branch() {
    assert_eq!(myabs(-2), 2);
    assert_eq!(myabs(3), 3);
    assert_eq!(myabs(i32::MIN), i32::MIN);
    assert_eq!(myabs_f(-2.5), 2.5);
    expect![[r#"
        { lambda ; a:i32[]. let
            b:bool[] = gt a 0:i32[]
            c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b
            d:i32[] = cond[
              branches=(
                { lambda ; e:i32[]. let f:i32[] = neg e in (f,) }
                { lambda ; g:i32[]. let  in (g,) }
              )
            ] c a
          in (d,) }"#]]
    .assert_eq(&myabs::make_jaxpr(-2).to_string());
}

#[jit]
fn pick(i: i32, x: f32) -> f32 {
    lax::switch(i, (|| x + 1.0, || x * 2.0, || -x))
}

#[test]
fn switch_clamps_its_index() {
    for (i, want) in [
        (-1, 4.0),
        (0, 4.0),
        (1, 6.0),
        (2, -3.0),
        (3, -3.0),
        (7, -3.0),
    ] {
        assert_eq!(pick(i, 3.0), want, "pick({i}, 3.)");
    }
    assert_eq!(pick(i32::MIN, 3.0), 4.0);
    assert_eq!(pick(i32::MAX, 3.0), -3.0);
    assert_eq!(pick::cache_size(), 1);
    expect![[r#"
        { lambda ; a:i32[] b:f32[]. let
            c:i32[] = clamp 0:i32[] a 2:i32[]
            d:f32[] = cond[
              branches=(
                { lambda ; e:f32[]. let f:f32[] = add e 1.0:f32[] in (f,) }
                { lambda ; g:f32[]. let h:f32[] = mul g 2.0:f32[] in (h,) }
                { lambda ; i:f32[]. let j:f32[] = neg i in (j,) }
              )
            ] c b
          in (d,) }"#]]
    .assert_eq(&pick::make_jaxpr(1, 3.0).to_string());
}

#[jit]
fn relu(x: f32) -> f32 {
    lax::select(x > 0.0, x, 0.0)
}

#[test]
fn select_is_elementwise() {
    assert_eq!(relu(2.0), 2.0);
    assert_eq!(relu(-2.0), 0.0);
}

#[jit]
fn promote_carry(x: f32) -> f32 {
    lax::while_loop(|c| c < x, |c| c + 1.5, 0)
}

#[test]
fn a_weak_int_carry_becomes_float() {
    // JAX: while_loop(c < 10, c + 1.5, 0) gives Array(10.5, dtype=float32).
    assert_eq!(promote_carry(10.0), 10.5);
}

#[jit]
fn fori_f64(x: f64, n: i64) -> f64 {
    lax::fori_loop(0, n, |i, y| y + x * (i as f64), 0.0)
}

#[test]
fn fori_loop_counts_in_the_bounds_dtype() {
    assert_eq!(fori_f64(1.0, 5), 10.0);
    assert_eq!(fori_f64(1.0, i64::MIN), 0.0);
}

#[jit]
fn plain_bounds(x: i32) -> i32 {
    lax::fori_loop(2, 6, |i, acc| acc + i * x, 0)
}

#[test]
fn fori_loop_with_plain_bounds() {
    assert_eq!(plain_bounds(1), 2 + 3 + 4 + 5);
}

#[jit]
fn huge_trip_count(n: i32) -> i32 {
    lax::fori_loop(i32::MAX - 3, n, |_i, c| c + 1, 0)
}

#[test]
fn loop_counters_never_overflow() {
    assert_eq!(huge_trip_count(i32::MAX), 3);
    assert_eq!(huge_trip_count(i32::MIN), 0);
}

#[jit]
fn nested(x: f32, n: i32) -> f32 {
    // A cond inside a fori_loop inside a while_loop.
    let (total, _) = lax::while_loop(
        |(_, k)| k < 3,
        |(acc, k)| {
            let inner = lax::fori_loop(
                0,
                n,
                |i, s| lax::cond(i % 2 == 0, || s + x, || s - 1.0),
                0.0,
            );
            (acc + inner, k + 1)
        },
        (0.0, 0),
    );
    total
}

#[test]
fn nested_control_flow() {
    // inner = x * ceil(n/2) - floor(n/2); three times.
    assert_eq!(nested(2.0, 5), 3.0 * (2.0 * 3.0 - 2.0));
    assert_eq!(nested(2.0, 0), 0.0);
    assert_eq!(nested::cache_size(), 1);
}

#[jit]
fn tuple_carry(x: f32, n: i32) -> (f32, f32) {
    // Fibonacci-like with an array and a tuple.
    let (pair, count) = lax::fori_loop(
        0,
        n,
        |_i, ([a, b], c)| ([b, a + b], c + x),
        ([0.0, 1.0], 0.0),
    );
    (pair[1], count)
}

#[test]
fn array_and_tuple_carries() {
    assert_eq!(tuple_carry(0.5, 10), (89.0, 5.0));
}

#[jit]
fn vec_carry(x: f32, n: i32) -> f32 {
    let v = lax::fori_loop(
        0,
        n,
        |_i, v: Vec<Tracer>| v.iter().map(|&e| e * x).collect(),
        vec![1.0, 2.0, 3.0],
    );
    v[0] + v[1] + v[2]
}

#[test]
fn vec_carries() {
    assert_eq!(vec_carry(2.0, 3), 48.0);
}

#[jit]
fn tuple_branches(p: bool, x: i32) -> (i32, f32) {
    lax::cond(p, || (x + 1, 2.0), || (x - 1, 0.5))
}

#[test]
fn branches_return_pytrees() {
    assert_eq!(tuple_branches(true, 5), (6, 2.0));
    assert_eq!(tuple_branches(false, 5), (4, 0.5));
}

#[jit]
fn many_branches(i: i32, x: i64) -> i64 {
    lax::switch(
        i,
        (
            || x,
            || x + 1,
            || x + 2,
            || x + 3,
            || x + 4,
            || x + 5,
            || x + 6,
            || x + 7,
        ),
    )
}

#[test]
fn switch_takes_up_to_eight_branches() {
    for i in -2..10 {
        assert_eq!(many_branches(i, 100), 100 + i64::from(i.clamp(0, 7)));
    }
}

#[jit]
fn cond_in_loop(x: f32, n: i32) -> f32 {
    lax::fori_loop(
        0,
        n,
        |i, acc| acc + lax::switch(i % 3, (|| x, || 2.0 * x, || -x)),
        0.0,
    )
}

#[test]
fn switch_inside_a_loop() {
    // Per 3 iterations: x + 2x - x = 2x.
    assert_eq!(cond_in_loop(1.0, 6), 4.0);
    assert_eq!(cond_in_loop(1.0, 7), 5.0);
}

#[jit]
fn bad_branches(p: bool, x: i32, y: f32) -> f32 {
    lax::cond(p, || x, || y)
}

#[test]
#[should_panic(
    expected = "`lax::cond`: the branches must return equal types, but false_fun returns f32[] and true_fun returns i32[]"
)]
fn branches_of_different_dtypes_are_an_error() {
    bad_branches(true, 1, 2.0);
}

#[jit]
fn bad_carry(x: f32, n: i32) -> i32 {
    lax::fori_loop(0, n, |_i, (a, b)| (a, b.sin()), (1i32, Tracer::from(0i32))).0 + x as i32
}

#[test]
#[should_panic(expected = "while tracing `bad_carry`: `lax::fori_loop`: the carry's type changes")]
fn a_carry_changing_dtype_is_an_error() {
    bad_carry(1.0, 3);
}

#[jit]
fn bad_structure(n: i32) -> i32 {
    lax::while_loop(|c: Vec<Tracer>| c[0] < n, |c| c[..1].to_vec(), vec![0, 1])[0]
}

#[test]
#[should_panic(expected = "`lax::while_loop`: the body must return the carry's structure")]
fn a_carry_changing_structure_is_an_error() {
    bad_structure(3);
}

#[test]
fn loops_and_branches_compile_to_native_code() {
    use jit::Element;
    let graphs = [
        ("fori", fori::make_jaxpr(2.0, 10)),
        ("sum_up_to", sum_up_to::make_jaxpr(10)),
        ("myabs", myabs::make_jaxpr(-2)),
        ("pick", pick::make_jaxpr(1, 3.0)),
        ("nested", nested::make_jaxpr(2.0, 5)),
        ("many_branches", many_branches::make_jaxpr(3, 100)),
        ("count_from", count_from::make_jaxpr(0, 1)),
        ("last_index_below", last_index_below::make_jaxpr(5)),
        ("branchy_condition", branchy_condition::make_jaxpr(5)),
    ];
    for (name, jaxpr) in graphs {
        let compiled = jit::internals::pipeline::compile_graph(jaxpr.graph().clone(), name);
        assert!(
            compiled.is_native(),
            "{name}: {:?}",
            compiled.fallback_reason()
        );
    }
    // The native loop gives the interpreter's bits.
    let graph = nested::make_jaxpr(2.0, 5).graph().clone();
    let native = jit::internals::pipeline::compile_graph(graph.clone(), "nested");
    for n in [-3, 0, 1, 7, 100] {
        for x in [-1.5f32, 0.0, 2.25] {
            let args = [x.to_scalar(), n.to_scalar()];
            assert_eq!(
                native.run_scalars(&args),
                jit::internals::interp::run(&graph, &args),
                "nested({x}, {n})"
            );
        }
    }
}

/// A particle under constant acceleration, carried as a struct.
#[derive(Pytree, Clone, Copy)]
struct Particle {
    x: Tracer,
    v: Tracer,
}

#[derive(Pytree)]
struct Pair(Tracer, (Tracer, Tracer));

#[jit]
fn fall(a: f32, n: i32) -> (f32, f32) {
    let start = Particle {
        x: Tracer::from(0.0f32),
        v: Tracer::from(0.0f32),
    };
    let p = lax::fori_loop(
        0,
        n,
        |_i, p: Particle| Particle {
            x: p.x + p.v,
            v: p.v + a,
        },
        start,
    );
    (p.x, p.v)
}

#[jit]
fn tuple_struct(p: bool, x: i32) -> i32 {
    let r = lax::cond(p, || Pair(x, (x + 1, x + 2)), || Pair(-x, (x, x)));
    r.0 + r.1.0 * r.1.1
}

#[test]
fn derived_pytrees_are_carries_and_branch_results() {
    assert_eq!(fall(1.0, 4), (6.0, 4.0));
    assert_eq!(tuple_struct(true, 2), 2 + 3 * 4);
    assert_eq!(tuple_struct(false, 2), -2 + 2 * 2);
}

#[jit]
fn count_from(a: i32, n: i32) -> (i32, i32) {
    lax::fori_loop(a, n, |i, (s, _last)| (s + i, i), (0, -1))
}

#[jit]
fn last_index_below(x: i32) -> (i32, bool) {
    // The carry the condition reads is a result too.
    let (n, _) = lax::while_loop(|(n, _)| n * n < x, |(n, m)| (n + 1, m), (0, 0));
    (n, n * n < x)
}

#[jit]
fn branchy_condition(x: i32) -> i32 {
    // A condition with a branch of its own, lowered before and inside the loop.
    lax::while_loop(
        |(n, _)| lax::cond(n % 2 == 0, || n < x, || n + 1 < x),
        |(n, s)| (n + 1, s + n),
        (0, 0),
    )
    .1
}

#[test]
fn rotated_loops_run_zero_one_and_many_times() {
    assert_eq!(
        count_from(0, 0),
        (0, -1),
        "zero trips keep the initial carry"
    );
    assert_eq!(count_from(5, -5), (0, -1));
    assert_eq!(count_from(i32::MIN, i32::MIN + 1), (i32::MIN, i32::MIN));
    assert_eq!(count_from(3, 4), (3, 3));
    assert_eq!(count_from(-3, 4), (0, 3));
    assert_eq!(
        count_from(i32::MAX - 1, i32::MAX),
        (i32::MAX - 1, i32::MAX - 1)
    );
    assert_eq!(last_index_below(0), (0, false));
    assert_eq!(last_index_below(1), (1, false));
    assert_eq!(last_index_below(50), (8, false));
    for x in [-2, 0, 1, 2, 3, 10, 11] {
        let (mut n, mut s) = (0, 0);
        while if n % 2 == 0 { n < x } else { n + 1 < x } {
            (n, s) = (n + 1, s + n);
        }
        assert_eq!(branchy_condition(x), s, "x = {x}");
    }
    assert_eq!(branchy_condition::cache_size(), 1);
}

#[test]
#[cfg(target_arch = "x86_64")] // reads the x86-64 disassembly
fn a_loop_iteration_is_one_compare_and_branch() {
    // `fori`: the back edge is `cmp; jl`, with no flag turned into a value
    // and no other jump inside the loop.
    let text = fori::lower(1.0, 10).compile().as_text();
    assert!(!text.contains("set"), "{text}");
    assert_eq!(text.matches(" jl ").count(), 1, "{text}");
    assert_eq!(text.matches(" jmp ").count(), 0, "{text}");
    let text = sum_up_to::lower(10).compile().as_text();
    assert!(!text.contains("set"), "{text}");
    assert_eq!(text.matches(" jle ").count(), 1, "{text}");
    assert_eq!(text.matches(" jmp ").count(), 0, "{text}");
}
