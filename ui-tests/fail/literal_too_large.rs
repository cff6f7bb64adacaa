use jit::prelude::*;

// A weak integer literal must fit i64, the widest integer dtype.
#[jit]
fn too_large(x: i64) -> i64 {
    x + 9_223_372_036_854_775_808
}

#[jit]
fn fits(x: i64) -> i64 {
    x + -9_223_372_036_854_775_808
}

fn main() {}
