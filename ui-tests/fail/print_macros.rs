use jit::prelude::*;

#[jit]
fn noisy(x: f32) -> f32 {
    println!("x = {:?}", x);
    print!("tracing ");
    eprintln!("called");
    eprint!("again ");
    dbg!(x) + 1.0
}

fn main() {}
