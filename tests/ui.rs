//! The purity rules as rustc prints them: every case of `ui-tests/fail` must
//! fail to compile with exactly its checked-in `.stderr` (the span on the
//! offending expression, the reason, the help naming the replacement), and
//! every case of `ui-tests/pass` must compile and run.
//!
//! Re-bless the `.stderr` files after a deliberate change with
//! `TRYBUILD=overwrite cargo test --test ui`, then read every diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui-tests/fail/*.rs");
    t.pass("ui-tests/pass/*.rs");
}
