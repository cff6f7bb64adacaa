// Static arguments, loop indices of literal ranges and names shadowed by
// plain values are plain Rust values: `if`, `for` and `match` on them run
// while tracing (the loops unroll) and compile.
use jit::prelude::*;

#[jit(static = (n, mode))]
fn staged(x: f32, n: usize, mode: u8) -> f32 {
    let mut y = x;
    for i in 0..n {
        if i % 2 == 0 {
            y = y + x;
        } else {
            y = y * 2.0;
        }
    }
    match mode {
        0 => y,
        1 => -y,
        _ => y * 10.0,
    }
}

#[jit]
fn literal_loops(x: f64) -> f64 {
    let mut acc = x;
    for i in 0..4 {
        let k = match i {
            0 | 1 => 1.0f64,
            _ => 0.5,
        };
        if i == 3 {
            acc = acc - k;
        } else {
            acc = acc * 2.0 + k;
        }
    }
    let mut j = 0;
    while j < 3 && j != 7 {
        acc = acc + 1.0;
        j += 1;
    }
    acc
}

#[jit]
fn shadowed(x: i32) -> i32 {
    let y = x * 3;
    let x = 5; // plain from here on
    let mut z = y;
    if x > 4 || x < 0 {
        z = z + 1;
    }
    for _ in 0..x {
        z = z + 2;
    }
    let table = [10, 20, 30];
    z + table[(x as usize) % 3]
}

#[jit]
fn literal_indices(x: f32) -> f32 {
    let weights = [0.5f32, 0.25, 0.125];
    let mut acc = x * 0.0;
    for i in 0..3 {
        acc = acc + x * weights[i];
    }
    for c in 'a'..='b' {
        if c == 'b' {
            acc = acc * 2.0;
        }
    }
    acc
}

#[jit]
fn options(x: f32) -> f32 {
    let pair = Some(x);
    let y = if let Some(v) = pair { v + 1.0 } else { x };
    match (y, 2) {
        (v, 2) => v * 2.0,
        (v, _) => v,
    }
}

fn main() {
    assert_eq!(staged(1.0, 3, 0), 5.0); // y: 1 -> 2 -> 4 -> 5
    assert_eq!(staged(1.0, 3, 1), -5.0);
    assert_eq!(staged(1.0, 2, 2), 40.0); // y: 1 -> 2 -> 4, then * 10
    assert_eq!(staged::cache_size(), 3);
    // acc: 1 -> 3 -> 7 -> 14.5 -> 14, then + 3
    assert_eq!(literal_loops(1.0), 17.0);
    // z = 3x + 1 + 10, plus table[5 % 3] = 30
    assert_eq!(shadowed(2), 47);
    assert_eq!(options(1.5), 5.0);
    assert_eq!(literal_indices(8.0), 14.0); // 8 * 0.875 * 2
    let g = jit_fn!(|x: f32| {
        let mut y = x;
        for k in 1..=3 {
            if k != 2 {
                y = y + k as f32;
            }
        }
        y
    });
    assert_eq!(g(0.5), 4.5);
}
