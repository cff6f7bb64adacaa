use jit::prelude::*;

#[jit]
fn counted(x: f32) -> f32 {
    static mut CALLS: u32 = 0;
    unsafe { CALLS += 1 };
    x + 1.0
}

fn main() {}
