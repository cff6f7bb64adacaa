//! High-precision reference values for the `f64` functions (test only).
//!
//! Each entry is `[x, hi, lo]` (`[y, x, hi, lo]` for `atan2`, `[x, y, hi,
//! lo]` for `hypot`) as `f64` bit patterns, where `hi + lo` is the
//! exact function value at `x` rounded to about 106 bits (`hi` rounded to
//! nearest, `lo` the rounded remainder). The values live in
//! `testdata/<function>.txt`, one sample per line as three hex words, `#`
//! starting a comment line, and are parsed here at compile time.
//! `testdata/generate.py` produced them with Python's `mpmath` at 2400 bits
//! of working precision and checks or extends them (its docstring says how):
//! uniform samples of the main ranges, random bit patterns over all finite
//! values, doubles nearest to multiples of `pi/2` up to 2^60, and the classic
//! hardest case for `pi/2` reduction, `6381956970095103 * 2^797`.

pub(super) type Sample = (&'static str, fn(f64) -> f64, &'static [[u64; 3]]);

/// One function's samples: its name, its `eval` implementation and the
/// parsed contents of `testdata/<name>.txt`.
macro_rules! sample {
    ($name:ident) => {{
        const TEXT: &str = include_str!(concat!("testdata/", stringify!($name), ".txt"));
        const DATA: [[u64; 3]; count(TEXT)] = parse(TEXT);
        (
            stringify!($name),
            super::eval::$name as fn(f64) -> f64,
            &DATA,
        )
    }};
}

pub(super) static SAMPLES: &[Sample] = &[
    sample!(sin_f64),
    sample!(cos_f64),
    sample!(tan_f64),
    sample!(exp_f64),
    sample!(ln_f64),
    sample!(exp2_f64),
    sample!(log2_f64),
    sample!(atan_f64),
    sample!(tanh_f64),
    // Inverse trigonometric and hyperbolic functions.
    sample!(asin_f64),
    sample!(acos_f64),
    sample!(sinh_f64),
    sample!(cosh_f64),
    sample!(asinh_f64),
    sample!(acosh_f64),
    sample!(atanh_f64),
    sample!(exp_m1_f64),
    sample!(ln_1p_f64),
    sample!(log10_f64),
    sample!(cbrt_f64),
    sample!(erf_f64),
    sample!(sigmoid_f64),
];

// Inverse trigonometric and hyperbolic functions: the two-argument ones,
// `[y, x, hi, lo]` for `atan2(y, x)` and `[x, y, hi, lo]` for `hypot`.
pub(super) type Sample2 = (&'static str, fn(f64, f64) -> f64, &'static [[u64; 4]]);

macro_rules! sample2 {
    ($name:ident) => {{
        const TEXT: &str = include_str!(concat!("testdata/", stringify!($name), ".txt"));
        const DATA: [[u64; 4]; count(TEXT)] = parse(TEXT);
        (
            stringify!($name),
            super::eval::$name as fn(f64, f64) -> f64,
            &DATA,
        )
    }};
}

pub(super) static SAMPLES2: &[Sample2] = &[sample2!(atan2_f64), sample2!(hypot_f64)];

/// Whether the line `text[start..end]` holds a sample (neither blank nor a
/// `#` comment).
const fn is_sample(text: &[u8], start: usize, end: usize) -> bool {
    let mut i = start;
    while i < end && is_space(text[i]) {
        i += 1;
    }
    i < end && text[i] != b'#'
}

const fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

/// The end of the line starting at `start` (its `\n` or the end of text).
const fn line_end(text: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < text.len() && text[i] != b'\n' {
        i += 1;
    }
    i
}

/// The number of sample lines in `text`.
const fn count(text: &str) -> usize {
    let text = text.as_bytes();
    let (mut n, mut start) = (0, 0);
    while start < text.len() {
        let end = line_end(text, start);
        if is_sample(text, start, end) {
            n += 1;
        }
        start = end + 1;
    }
    n
}

/// The samples of `text`, each line `W` hex words of at most 16 digits;
/// anything else stops the build.
const fn parse<const N: usize, const W: usize>(text: &str) -> [[u64; W]; N] {
    let text = text.as_bytes();
    let mut out = [[0u64; W]; N];
    let (mut row, mut start) = (0, 0);
    while start < text.len() {
        let end = line_end(text, start);
        if is_sample(text, start, end) {
            let mut i = start;
            let mut word = 0;
            while word < W {
                while i < end && is_space(text[i]) {
                    i += 1;
                }
                let (mut value, mut digits) = (0u64, 0);
                while i < end && !is_space(text[i]) {
                    let d = match text[i] {
                        b'0'..=b'9' => text[i] - b'0',
                        b'a'..=b'f' => text[i] - b'a' + 10,
                        b'A'..=b'F' => text[i] - b'A' + 10,
                        _ => panic!("testdata: not a hex digit"),
                    };
                    value = value << 4 | d as u64;
                    digits += 1;
                    i += 1;
                }
                assert!(digits > 0, "testdata: too few words on a line");
                assert!(digits <= 16, "testdata: a word longer than 16 digits");
                out[row][word] = value;
                word += 1;
            }
            while i < end && is_space(text[i]) {
                i += 1;
            }
            assert!(i == end, "testdata: too many words on a line");
            row += 1;
        }
        start = end + 1;
    }
    out
}
