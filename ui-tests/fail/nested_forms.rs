// The rules follow names through blocks, closures and shadowing, whatever
// they are called.
use jit::prelude::*;

#[jit(static = steps)]
fn nested(alpha: f64, count: i64, steps: usize) -> f64 {
    let mut acc = alpha;
    let limit = count * 2;
    {
        let inner = |t: f64| {
            let u = t * 2.0;
            if u < 1.0 { u } else { t }
        };
        acc = inner(acc);
    }
    for s in (0..steps).rev() {
        let scale = s as f64;
        for _ in 1..=limit {
            acc = acc + scale;
        }
    }
    let count = 3; // plain again: no error below
    for _ in 0..count {
        acc = acc * 0.5;
    }
    let count = limit; // traced again
    match count {
        c if c > 0 => acc,
        _ => -acc,
    }
}

fn main() {}
