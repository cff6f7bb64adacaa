// A fallible `#[jit]` function returns `Result<T, jit::Error>`: trace-time
// errors arrive as `jit::Error`, so another error type cannot be declared.
use jit::prelude::*;

#[derive(Debug)]
struct MyError;

#[jit]
fn f(x: f32) -> Result<f32, MyError> {
    Ok(x * 2.0)
}

fn main() {
    let _ = f(1.0);
}
