//! `Display` and `Debug` for [`Array`]: the text `repr()` gives for a
//! `jax.Array` (JAX 0.10.2), with NumPy's element formatting and layout
//! under its default print options.
//!
//! The layout is NumPy's `array2string` (`numpy/_core/arrayprint.py`) with
//! the arguments JAX passes (`prefix="Array("`, `suffix=","`,
//! `separator=", "`), followed by JAX's own `dtype=` suffix rule. The
//! defaults are fixed here: `linewidth=75`, `threshold=1000`, `edgeitems=3`,
//! `precision=8`, `floatmode="maxprec"`, `sign="-"`, no `suppress`.
//!
//! Terms: a *shown* element is one that is printed; when an array has more
//! than [`THRESHOLD`] elements, only the first and last [`EDGE_ITEMS`] of
//! each longer axis are shown, with `...` between. As in NumPy, the format
//! of the elements (padding, positional or scientific notation) is chosen
//! from the shown elements only.

use super::Array;
use crate::dtype::DType;
use crate::scalar::Scalar;
use std::fmt;

/// NumPy's default `linewidth`; JAX reads it to place its `dtype=` suffix.
const LINE_WIDTH: usize = 75;
/// NumPy's default `threshold`: larger arrays are summarised.
const THRESHOLD: usize = 1000;
/// NumPy's default `edgeitems`: shown at each end of a summarised axis.
const EDGE_ITEMS: usize = 3;
/// NumPy's default `precision` in `floatmode="maxprec"`: at most this many
/// digits after the point, fewer when fewer identify the value.
const PRECISION: usize = 8;
/// What JAX's `repr` opens with; continuation lines are indented past it.
const PREFIX: &str = "Array(";
const SEPARATOR: &str = ", ";
const SUMMARY: &str = "...";

impl fmt::Display for Array {
    /// As `repr()` of the same `jax.Array` (NumPy's digits, alignment and
    /// `...` for long arrays):
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// let a = Array::from_shape_vec(&[2, 2], vec![1.5f64, -2.0, 0.25, 10.0])?;
    /// assert_eq!(
    ///     a.to_string(),
    ///     "Array([[ 1.5 , -2.  ],\n       [ 0.25, 10.  ]], dtype=float64)"
    /// );
    /// assert_eq!(Array::from(vec![true, false]).to_string(), "Array([ True, False], dtype=bool)");
    /// # Ok::<(), jit::Error>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.dtype().numpy_name();
        let dtype = if self.is_weak() {
            format!("dtype={name}, weak_type=True")
        } else {
            format!("dtype={name}")
        };
        let body = if self.size() == 0 {
            // JAX prints empty arrays itself, with their shape as a tuple.
            format!("[], shape={}", python_tuple(self.shape()))
        } else {
            array2string(self)
        };
        // JAX's own arithmetic: `len(s) - s.rfind('\n') + 1`, where `rfind`
        // gives -1 when there is no newline. When the suffix would pass the
        // line width, JAX separates it by the prefix's width of spaces, not
        // a newline; the text is reproduced as JAX prints it.
        let last_line_len = match body.rfind('\n') {
            Some(i) => body.len() - i + 1,
            None => body.len() + 2,
        };
        let sep = if last_line_len + dtype.len() + 2 > LINE_WIDTH {
            " ".repeat(PREFIX.len())
        } else {
            " ".to_string()
        };
        write!(f, "{PREFIX}{body},{sep}{dtype})")
    }
}

impl fmt::Debug for Array {
    /// The same text as `Display`, so `{:?}` in assertions reads like JAX.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A shape as Python prints a tuple: `()`, `(0,)`, `(0, 3)`.
fn python_tuple(shape: &[usize]) -> String {
    match shape {
        [] => "()".to_string(),
        [n] => format!("({n},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// NumPy's `array2string(a, prefix="Array(", suffix=",", separator=", ")`
/// for a non-empty array.
fn array2string(a: &Array) -> String {
    let summarize = a.size() > THRESHOLD;
    let shown = shown_indices(a.shape(), summarize);
    let format = ElementFormat::new(a, &shown);
    let layout = Layout {
        array: a,
        format: &format,
        summarize,
    };
    let hanging_indent = " ".repeat(1 + PREFIX.len());
    // NumPy keeps room for the suffix on the last line.
    let width = (LINE_WIDTH - 1) as isize;
    layout.recurse(&mut Vec::with_capacity(a.ndim()), &hanging_indent, width)
}

/// The flat indices of the shown elements, in row-major order.
fn shown_indices(shape: &[usize], summarize: bool) -> Vec<usize> {
    let per_axis: Vec<Vec<usize>> = shape
        .iter()
        .map(|&n| {
            if summarize && n > 2 * EDGE_ITEMS {
                (0..EDGE_ITEMS).chain(n - EDGE_ITEMS..n).collect()
            } else {
                (0..n).collect()
            }
        })
        .collect();
    let mut flat = vec![0usize];
    for (axis, indices) in per_axis.iter().enumerate() {
        flat = flat
            .iter()
            .flat_map(|&outer| indices.iter().map(move |&i| outer * shape[axis] + i))
            .collect();
    }
    flat
}

/// `_formatArray`'s state that does not change while recursing.
struct Layout<'a> {
    array: &'a Array,
    format: &'a ElementFormat,
    summarize: bool,
}

impl Layout<'_> {
    /// `_formatArray`'s `recurser`: the text of the sub-array at `index`,
    /// its first line indented by `hanging_indent` (then removed), its lines
    /// at most `width` wide where the elements allow it.
    fn recurse(&self, index: &mut Vec<usize>, hanging_indent: &str, width: isize) -> String {
        let shape = self.array.shape();
        let axis = index.len();
        if axis == shape.len() {
            let flat = index.iter().zip(shape).fold(0, |acc, (&i, &n)| acc * n + i);
            return self.format.format(self.array.scalar_at(flat));
        }
        let axes_left = shape.len() - axis;
        let next_indent = format!("{hanging_indent} ");
        // One column less for the `]` that closes this level.
        let next_width = width - 1;
        let len = shape[axis];
        let summary = self.summarize && len > 2 * EDGE_ITEMS;
        let (leading, trailing) = if summary {
            (EDGE_ITEMS, EDGE_ITEMS)
        } else {
            (0, len)
        };
        let mut child = |i: usize| {
            index.push(i);
            let text = self.recurse(index, &next_indent, next_width);
            index.pop();
            text
        };

        let mut s = String::new();
        if axes_left == 1 {
            let elem_width = width - SEPARATOR.trim_end().len().max(1) as isize;
            let mut line = hanging_indent.to_string();
            for i in 0..leading {
                extend_line(&mut s, &mut line, &child(i), elem_width, hanging_indent);
                line.push_str(SEPARATOR);
            }
            if summary {
                extend_line(&mut s, &mut line, SUMMARY, elem_width, hanging_indent);
                line.push_str(SEPARATOR);
            }
            for i in (2..=trailing).rev() {
                extend_line(
                    &mut s,
                    &mut line,
                    &child(len - i),
                    elem_width,
                    hanging_indent,
                );
                line.push_str(SEPARATOR);
            }
            extend_line(
                &mut s,
                &mut line,
                &child(len - 1),
                elem_width,
                hanging_indent,
            );
            s.push_str(&line);
        } else {
            // Rows end in `,`; each further axis adds a blank line.
            let line_sep = format!("{}{}", SEPARATOR.trim_end(), "\n".repeat(axes_left - 1));
            for i in 0..leading {
                s += &format!("{hanging_indent}{}{line_sep}", child(i));
            }
            if summary {
                s += &format!("{hanging_indent}{SUMMARY}{line_sep}");
            }
            for i in (2..=trailing).rev() {
                s += &format!("{hanging_indent}{}{line_sep}", child(len - i));
            }
            s += &format!("{hanging_indent}{}", child(len - 1));
        }
        format!("[{}]", &s[hanging_indent.len()..])
    }
}

/// NumPy's `_extendLine`: appends `word` to `line`, first moving `line` to
/// `s` and starting a new one at `indent` if `word` would pass `width`
/// (unless the line holds nothing but its indent, where wrapping cannot
/// help).
fn extend_line(s: &mut String, line: &mut String, word: &str, width: isize, indent: &str) {
    let needs_wrap = (line.len() + word.len()) as isize > width && line.len() > indent.len();
    if needs_wrap {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = indent.to_string();
    }
    line.push_str(word);
}

/// How every element of one array is printed (NumPy's `BoolFormat`,
/// `IntegerFormat` and `FloatingFormat`), chosen from the shown elements.
enum ElementFormat {
    /// `True` pads to `False`'s width except in a shape-`[]` array.
    Bool {
        pad: bool,
    },
    /// Right-aligned to the widest of the largest and smallest value.
    Int {
        width: usize,
    },
    Float(FloatFormat),
}

impl ElementFormat {
    fn new(a: &Array, shown: &[usize]) -> ElementFormat {
        let values: Vec<Scalar> = shown.iter().map(|&i| a.scalar_at(i)).collect();
        match a.dtype() {
            DType::Bool => ElementFormat::Bool { pad: a.ndim() != 0 },
            DType::I32 | DType::U32 | DType::I64 => {
                let as_i128 = |s: &Scalar| match *s {
                    Scalar::I32(v) => v as i128,
                    Scalar::U32(v) => v as i128,
                    Scalar::I64(v) => v as i128,
                    _ => unreachable!("an integer dtype holds integers"),
                };
                let max = values.iter().map(as_i128).max().unwrap_or(0);
                let min = values.iter().map(as_i128).min().unwrap_or(0);
                let width = max.to_string().len().max(min.to_string().len());
                ElementFormat::Int { width }
            }
            DType::F32 | DType::F64 => ElementFormat::Float(FloatFormat::new(&values)),
        }
    }

    fn format(&self, s: Scalar) -> String {
        match (self, s) {
            (ElementFormat::Bool { pad }, Scalar::Bool(v)) => match (v, pad) {
                (true, true) => " True",
                (true, false) => "True",
                (false, _) => "False",
            }
            .to_string(),
            (ElementFormat::Int { width }, s) => {
                // `Scalar`'s `Display` ignores the width: pad its text.
                let text = s.to_string();
                format!("{text:>width$}")
            }
            (ElementFormat::Float(float), s) => float.format(Float::from_scalar(s)),
            (ElementFormat::Bool { .. }, _) => unreachable!("a bool array holds bools"),
        }
    }
}

/// A float element with the precision it was stored in: `f32` values get
/// the digits that identify them among `f32`s, as NumPy's `float32` does.
#[derive(Clone, Copy)]
enum Float {
    F32(f32),
    F64(f64),
}

impl Float {
    fn from_scalar(s: Scalar) -> Float {
        match s {
            Scalar::F32(v) => Float::F32(v),
            Scalar::F64(v) => Float::F64(v),
            _ => unreachable!("a float array holds floats"),
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            Float::F32(v) => v as f64,
            Float::F64(v) => v,
        }
    }

    /// The sign as NumPy writes it: `-` for every value with the sign bit,
    /// `-0.` included.
    fn sign(self) -> &'static str {
        if self.as_f64().is_sign_negative() {
            "-"
        } else {
            ""
        }
    }

    /// `|x|` as `mantissa × 2^exponent`, the index of the mantissa's top
    /// bit, and whether the gap to the next smaller float is half the gap to
    /// the next larger (at a power of two): the input of Dragon4.
    fn decompose(self) -> dragon4::Binary {
        let (mantissa, biased, mantissa_bits, bias) = match self {
            Float::F32(v) => {
                let bits = v.to_bits();
                ((bits & 0x7f_ffff) as u64, (bits >> 23) & 0xff, 23, 127)
            }
            Float::F64(v) => {
                let bits = v.to_bits();
                (
                    bits & ((1 << 52) - 1),
                    (bits >> 52) as u32 & 0x7ff,
                    52,
                    1023,
                )
            }
        };
        if biased == 0 {
            // Subnormal: no implicit bit.
            dragon4::Binary {
                mantissa,
                exponent: 1 - bias - mantissa_bits as i32,
                top_bit: mantissa.checked_ilog2().unwrap_or(0),
                unequal_margins: false,
            }
        } else {
            dragon4::Binary {
                mantissa: mantissa | 1 << mantissa_bits,
                exponent: biased as i32 - bias - mantissa_bits as i32,
                top_bit: mantissa_bits,
                unequal_margins: biased != 1 && mantissa == 0,
            }
        }
    }

    /// NumPy's `dragon4_positional(x, precision, min_digits, unique=True,
    /// fractional=True, trim='.')` of a finite value, as its sign and
    /// integer part, and its fraction (trailing zeros trimmed; the point
    /// goes between).
    fn positional(self, precision: i32, min_digits: i32) -> (String, String) {
        let (digits, exp) = dragon4::digits(
            self.decompose(),
            dragon4::Cutoff::Fraction,
            precision,
            min_digits,
        );
        let digit_text = |ds: &[u8]| ds.iter().map(|&d| char::from(b'0' + d)).collect::<String>();
        let (whole, mut frac) = if exp >= 0 {
            let whole_len = exp as usize + 1;
            if digits.len() <= whole_len {
                let zeros = "0".repeat(whole_len - digits.len());
                (digit_text(&digits) + &zeros, String::new())
            } else {
                (
                    digit_text(&digits[..whole_len]),
                    digit_text(&digits[whole_len..]),
                )
            }
        } else {
            let zeros = "0".repeat((-(exp + 1)) as usize);
            ("0".to_string(), zeros + &digit_text(&digits))
        };
        frac.truncate(frac.trim_end_matches('0').len());
        (format!("{}{whole}", self.sign()), frac)
    }

    /// NumPy's `dragon4_scientific(x, precision, min_digits, unique=True)`
    /// of a finite value, as its sign and first digit, the digits after the
    /// point, and the exponent. `keep_zeros` is `trim='k'` (the fraction
    /// padded with zeros to `min_digits`), otherwise `trim='.'` (trailing
    /// zeros trimmed).
    fn scientific(
        self,
        precision: i32,
        min_digits: i32,
        keep_zeros: bool,
    ) -> (String, String, i32) {
        let total = |n: i32| if n < 0 { -1 } else { n + 1 };
        let (digits, exp) = dragon4::digits(
            self.decompose(),
            dragon4::Cutoff::Total,
            total(precision),
            total(min_digits),
        );
        let mut frac: String = digits[1..].iter().map(|&d| char::from(b'0' + d)).collect();
        if keep_zeros {
            while (frac.len() as i32) < min_digits {
                frac.push('0');
            }
        } else {
            frac.truncate(frac.trim_end_matches('0').len());
        }
        (format!("{}{}", self.sign(), digits[0]), frac, exp)
    }
}

/// NumPy's `FloatingFormat` with `floatmode="maxprec"`, `precision=8`: one
/// notation for the whole array, columns aligned on the point.
struct FloatFormat {
    scientific: bool,
    /// Digits after the point in scientific notation: every value shows
    /// this many.
    precision: usize,
    /// The width of the sign and integer part.
    pad_left: usize,
    /// The width of the fraction (positional), or of everything after the
    /// point (scientific; for NaN and infinity only).
    pad_right: usize,
    /// The least number of exponent digits (scientific).
    exp_size: usize,
}

impl FloatFormat {
    /// `fillFormat`: the notation and the paddings from the shown values,
    /// each printed once with the shortest digits (at most [`PRECISION`]
    /// after the point).
    fn new(values: &[Scalar]) -> FloatFormat {
        let values: Vec<Float> = values.iter().map(|&s| Float::from_scalar(s)).collect();
        let finite: Vec<Float> = values
            .iter()
            .copied()
            .filter(|v| v.as_f64().is_finite())
            .collect();
        let mut format = FloatFormat {
            scientific: needs_scientific(&finite),
            precision: 0,
            pad_left: 0,
            pad_right: 0,
            exp_size: 0,
        };
        let precision = PRECISION as i32;
        if finite.is_empty() {
            // Only NaN and infinities: their widths alone, below.
        } else if format.scientific {
            for v in &finite {
                let (int, frac, exp) = v.scientific(precision, -1, false);
                format.exp_size = format
                    .exp_size
                    .max(exp.unsigned_abs().to_string().len().max(2));
                format.precision = format.precision.max(frac.len());
                format.pad_left = format.pad_left.max(int.len());
            }
            format.pad_right = format.exp_size + 2 + format.precision;
        } else {
            for v in &finite {
                let (int, frac) = v.positional(precision, -1);
                format.pad_left = format.pad_left.max(int.len());
                format.pad_right = format.pad_right.max(frac.len());
            }
        }
        if finite.len() != values.len() {
            // `nan`, `inf` and `-inf` are right-aligned in the same width.
            let neg_inf = values.iter().any(|v| v.as_f64() == f64::NEG_INFINITY) as usize;
            let offset = format.pad_right + 1;
            format.pad_left = format
                .pad_left
                .max(3usize.saturating_sub(offset))
                .max((3 + neg_inf).saturating_sub(offset));
        }
        format
    }

    fn format(&self, v: Float) -> String {
        let x = v.as_f64();
        if !x.is_finite() {
            let text = match () {
                _ if x.is_nan() => "nan",
                _ if x < 0.0 => "-inf",
                _ => "inf",
            };
            let width = self.pad_left + self.pad_right + 1;
            return format!("{text:>width$}");
        }
        if self.scientific {
            // NumPy asks for `precision` digits at least and at most: past
            // the shortest digits they are the value's exact digits,
            // rounded, not zeros.
            let precision = self.precision as i32;
            let (int, frac, exp) = v.scientific(precision, precision, true);
            let exp_sign = if exp < 0 { '-' } else { '+' };
            let exp = exp.unsigned_abs();
            format!(
                "{int:>left$}.{frac}e{exp_sign}{exp:0size$}",
                left = self.pad_left,
                size = self.exp_size
            )
        } else {
            let (int, frac) = v.positional(PRECISION as i32, 0);
            format!(
                "{int:>left$}.{frac:<right$}",
                left = self.pad_left,
                right = self.pad_right
            )
        }
    }
}

/// NumPy's choice of scientific notation, from the finite non-zero values:
/// the largest magnitude reaches `10^min(8, digits of the dtype)` (`1e6`
/// for `float32`, `1e8` for `float64`), the smallest is below `1e-4`, or
/// they span more than three orders of magnitude. NumPy computes in the
/// array's dtype, so `float32` arrays are compared in `f32`.
fn needs_scientific(finite: &[Float]) -> bool {
    let non_zero: Vec<Float> = finite
        .iter()
        .copied()
        .filter(|v| v.as_f64() != 0.0)
        .collect();
    match non_zero.first() {
        None => false,
        Some(Float::F32(_)) => {
            let abs: Vec<f32> = non_zero.iter().map(|v| v.as_f64().abs() as f32).collect();
            let max = abs.iter().copied().fold(0.0f32, f32::max);
            let min = abs.iter().copied().fold(f32::INFINITY, f32::min);
            max >= 1e6 || min < 0.0001 || max / min > 1000.0
        }
        Some(Float::F64(_)) => {
            let abs: Vec<f64> = non_zero.iter().map(|v| v.as_f64().abs()).collect();
            let max = abs.iter().copied().fold(0.0f64, f64::max);
            let min = abs.iter().copied().fold(f64::INFINITY, f64::min);
            max >= 1e8 || min < 0.0001 || max / min > 1000.0
        }
    }
}

/// NumPy's Dragon4 (`numpy/_core/src/multiarray/dragon4.c`, after Steele &
/// White and Burger & Dybvig), in its `unique` digit mode: exact big-integer
/// arithmetic on the binary value, so the digits are NumPy's to the last
/// one, ties and all.
///
/// Rust's own float formatting is not enough: NumPy breaks a tie between
/// two equally short candidates towards the even digit (`215050.62` for the
/// `f32` value 215050.625; Rust prints `215050.63`), and with a minimum
/// number of digits it continues past the shortest digits with the exact
/// ones, rounded by the same rule.
mod dragon4 {
    use std::cmp::Ordering;

    /// A finite non-negative float as `mantissa × 2^exponent`.
    pub(super) struct Binary {
        pub(super) mantissa: u64,
        pub(super) exponent: i32,
        /// The index of the highest set bit of `mantissa`.
        pub(super) top_bit: u32,
        /// The next larger float is twice as far as the next smaller one.
        pub(super) unequal_margins: bool,
    }

    /// What the digit limits count.
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub(super) enum Cutoff {
        /// Digits in all.
        Total,
        /// Digits after the decimal point.
        Fraction,
    }

    /// NumPy's output buffer: the most digits ever produced.
    const MAX_DIGITS: i32 = 16384;

    /// The decimal digits of `x` and the power of ten of the first: the
    /// shortest that identify `x` among its neighbours (the closest of
    /// those, ties to the even digit), but none past `cutoff_max` digits
    /// and at least `cutoff_min` (each `-1` for no limit).
    pub(super) fn digits(
        x: Binary,
        cutoff: Cutoff,
        cutoff_max: i32,
        cutoff_min: i32,
    ) -> (Vec<u8>, i32) {
        if x.mantissa == 0 {
            return (vec![0], 0);
        }
        // Within the round-trip interval's ends counts only when
        // round-to-even reads them back as `x`.
        let is_even = x.mantissa.is_multiple_of(2);
        // value = scaled_value / scale; the margins are half the gaps to
        // the neighbouring floats, over the same scale.
        let (mut value, mut scale, mut margin_low) = match (x.unequal_margins, x.exponent > 0) {
            (true, true) => (
                Big::from(x.mantissa).shl(x.exponent as u32 + 2),
                Big::from(4),
                Big::pow2(x.exponent as u32),
            ),
            (true, false) => (
                Big::from(x.mantissa).shl(2),
                Big::pow2((2 - x.exponent) as u32),
                Big::from(1),
            ),
            (false, true) => (
                Big::from(x.mantissa).shl(x.exponent as u32 + 1),
                Big::from(2),
                Big::pow2(x.exponent as u32),
            ),
            (false, false) => (
                Big::from(x.mantissa).shl(1),
                Big::pow2((1 - x.exponent) as u32),
                Big::from(1),
            ),
        };
        let margin_factor = if x.unequal_margins { 2 } else { 1 };

        // An estimate of floor(log10(x)) + 1 that is right or one low.
        let estimate =
            ((x.top_bit as i32 + x.exponent) as f64 * std::f64::consts::LOG10_2 - 0.69).ceil();
        let mut digit_exp = estimate as i32;
        if cutoff_max >= 0 && cutoff == Cutoff::Fraction && digit_exp <= -cutoff_max {
            digit_exp = -cutoff_max + 1;
        }
        if digit_exp > 0 {
            scale = scale.mul(&Big::pow10(digit_exp as u32));
        } else if digit_exp < 0 {
            let pow10 = Big::pow10((-digit_exp) as u32);
            value = value.mul(&pow10);
            margin_low = margin_low.mul(&pow10);
        }
        if value.cmp(&scale) != Ordering::Less {
            digit_exp += 1;
        } else {
            value = value.mul_small(10);
            margin_low = margin_low.mul_small(10);
        }

        let mut max_exp = digit_exp - MAX_DIGITS;
        if cutoff_max >= 0 {
            let desired = match cutoff {
                Cutoff::Total => digit_exp - cutoff_max,
                Cutoff::Fraction => -cutoff_max,
            };
            max_exp = max_exp.max(desired);
        }
        let mut min_exp = digit_exp;
        if cutoff_min >= 0 {
            let desired = match cutoff {
                Cutoff::Total => digit_exp - cutoff_min,
                Cutoff::Fraction => -cutoff_min,
            };
            min_exp = min_exp.min(desired);
        }
        let mut out_exp = digit_exp - 1;

        let mut digits = Vec::new();
        let (digit, low, high) = loop {
            digit_exp -= 1;
            let digit = value.div_rem_small_quotient(&scale);
            let margin_high = margin_low.mul_small(margin_factor);
            let value_high = value.add(&margin_high);
            let low_cmp = value.cmp(&margin_low);
            let low = if is_even {
                low_cmp != Ordering::Greater
            } else {
                low_cmp == Ordering::Less
            };
            let high_cmp = value_high.cmp(&scale);
            let high = if is_even {
                high_cmp != Ordering::Less
            } else {
                high_cmp == Ordering::Greater
            };
            if ((low || high) && digit_exp <= min_exp) || digit_exp == max_exp {
                break (digit, low, high);
            }
            digits.push(digit);
            value = value.mul_small(10);
            margin_low = margin_low.mul_small(10);
        };

        // Round the last digit: down if only that is in the interval, else
        // to the closer, a tie to the even digit.
        let mut round_down = low;
        if low == high {
            round_down = match value.mul_small(2).cmp(&scale) {
                Ordering::Less => true,
                Ordering::Greater => false,
                Ordering::Equal => digit % 2 == 0,
            };
        }
        if round_down {
            digits.push(digit);
        } else if digit < 9 {
            digits.push(digit + 1);
        } else {
            // Carry through trailing nines, dropping them.
            loop {
                match digits.pop() {
                    None => {
                        digits.push(1);
                        out_exp += 1;
                        break;
                    }
                    Some(9) => {}
                    Some(d) => {
                        digits.push(d + 1);
                        break;
                    }
                }
            }
        }
        (digits, out_exp)
    }

    /// An unsigned big integer: little-endian 32-bit limbs, no zero limb
    /// at the top.
    #[derive(Clone)]
    struct Big(Vec<u32>);

    impl Big {
        fn from(v: u64) -> Big {
            Big(vec![v as u32, (v >> 32) as u32]).normalized()
        }

        fn normalized(mut self) -> Big {
            while self.0.last() == Some(&0) {
                self.0.pop();
            }
            self
        }

        fn pow2(n: u32) -> Big {
            Big::from(1).shl(n)
        }

        fn pow10(n: u32) -> Big {
            (0..n).fold(Big::from(1), |acc, _| acc.mul_small(10))
        }

        fn shl(&self, n: u32) -> Big {
            let (limbs, bits) = ((n / 32) as usize, n % 32);
            let mut out = vec![0u32; limbs];
            let mut carry = 0u32;
            for &l in &self.0 {
                out.push(l << bits | carry);
                carry = if bits == 0 { 0 } else { l >> (32 - bits) };
            }
            out.push(carry);
            Big(out).normalized()
        }

        fn mul_small(&self, m: u32) -> Big {
            let mut out = Vec::with_capacity(self.0.len() + 1);
            let mut carry = 0u64;
            for &l in &self.0 {
                let p = l as u64 * m as u64 + carry;
                out.push(p as u32);
                carry = p >> 32;
            }
            out.push(carry as u32);
            Big(out).normalized()
        }

        fn mul(&self, other: &Big) -> Big {
            let mut out = vec![0u32; self.0.len() + other.0.len()];
            for (i, &a) in self.0.iter().enumerate() {
                let mut carry = 0u64;
                for (j, &b) in other.0.iter().enumerate() {
                    let p = out[i + j] as u64 + a as u64 * b as u64 + carry;
                    out[i + j] = p as u32;
                    carry = p >> 32;
                }
                out[i + other.0.len()] = carry as u32;
            }
            Big(out).normalized()
        }

        fn add(&self, other: &Big) -> Big {
            let len = self.0.len().max(other.0.len());
            let mut out = Vec::with_capacity(len + 1);
            let mut carry = 0u64;
            for i in 0..len {
                let s = *self.0.get(i).unwrap_or(&0) as u64
                    + *other.0.get(i).unwrap_or(&0) as u64
                    + carry;
                out.push(s as u32);
                carry = s >> 32;
            }
            out.push(carry as u32);
            Big(out).normalized()
        }

        /// `self -= other`; `other` must not be larger.
        fn sub_assign(&mut self, other: &Big) {
            let mut borrow = 0i64;
            for i in 0..self.0.len() {
                let d = self.0[i] as i64 - *other.0.get(i).unwrap_or(&0) as i64 - borrow;
                self.0[i] = d.rem_euclid(1 << 32) as u32;
                borrow = (d < 0) as i64;
            }
            let trimmed = std::mem::take(&mut self.0);
            *self = Big(trimmed).normalized();
        }

        fn cmp(&self, other: &Big) -> Ordering {
            self.0
                .len()
                .cmp(&other.0.len())
                .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
        }

        /// `self / divisor` for a quotient below 10 (Dragon4 keeps it so),
        /// leaving the remainder in `self`.
        fn div_rem_small_quotient(&mut self, divisor: &Big) -> u8 {
            let mut quotient = 0;
            while self.cmp(divisor) != Ordering::Less {
                self.sub_assign(divisor);
                quotient += 1;
            }
            debug_assert!(quotient < 10, "Dragon4 extracts one digit at a time");
            quotient
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::Ty;

    #[test]
    fn weak_arrays_say_so() {
        let a = Array::from_scalars(Ty::weak(DType::F32), &[], &[Scalar::F32(1.0)]);
        assert_eq!(a.to_string(), "Array(1., dtype=float32, weak_type=True)");
        let b = Array::from_scalars(
            Ty::weak(DType::I32),
            &[2],
            &[Scalar::I32(1), Scalar::I32(-2)],
        );
        assert_eq!(
            format!("{b:?}"),
            "Array([ 1, -2], dtype=int32, weak_type=True)"
        );
    }

    #[test]
    fn floats_follow_numpy() {
        let f64s = |v: Vec<f64>| Array::from(v).to_string();
        assert_eq!(f64s(vec![0.1, 0.2]), "Array([0.1, 0.2], dtype=float64)");
        assert_eq!(f64s(vec![1.0 / 3.0]), "Array([0.33333333], dtype=float64)");
        assert_eq!(
            f64s(vec![1e-5, 1.0]),
            "Array([1.e-05, 1.e+00], dtype=float64)"
        );
        assert_eq!(
            f64s(vec![1e100, 1.0]),
            "Array([1.e+100, 1.e+000], dtype=float64)"
        );
        assert_eq!(
            f64s(vec![f64::NAN, -f64::INFINITY]),
            "Array([ nan, -inf], dtype=float64)"
        );
        assert_eq!(
            Array::scalar(-0.0f32).to_string(),
            "Array(-0., dtype=float32)"
        );
        assert_eq!(
            Array::scalar(1e6f32).to_string(),
            "Array(1.e+06, dtype=float32)"
        );
        assert_eq!(
            Array::scalar(1e6f64).to_string(),
            "Array(1000000., dtype=float64)"
        );
    }

    #[test]
    fn digits_are_dragon4s() {
        // A tie between two shortest candidates goes to the even digit:
        // the `f32` 215050.625 is as close to 215050.62 as to 215050.63.
        let tie = f32::from_bits(0x4852_02a8);
        assert_eq!(tie as f64, 215050.625);
        assert_eq!(
            Array::from(vec![tie, 1000.0]).to_string(),
            "Array([215050.62,   1000.  ], dtype=float32)"
        );
        // Past its shortest digits a value shows its exact ones, rounded:
        // 2.743816e-07 is this `f32`'s shortest form.
        let a = Array::from(vec![
            f32::from_bits(0x3493_4eb8),
            f32::from_bits(0x35aa_c44c),
        ]);
        assert_eq!(
            a.to_string(),
            "Array([2.7438159e-07, 1.2723117e-06], dtype=float32)"
        );
        assert_eq!(
            Array::from(vec![9.999999999f64, 1.0]).to_string(),
            "Array([10.,  1.], dtype=float64)"
        );
        assert_eq!(
            Array::from(vec![3.0 * f64::from_bits(1), 1.0]).to_string(),
            "Array([1.5e-323, 1.0e+000], dtype=float64)"
        );
    }

    #[test]
    fn summaries_keep_the_edges() {
        assert_eq!(
            shown_indices(&[2, 8], true),
            vec![0, 1, 2, 5, 6, 7, 8, 9, 10, 13, 14, 15]
        );
        assert_eq!(shown_indices(&[3], false), vec![0, 1, 2]);
        assert_eq!(shown_indices(&[], false), vec![0]);
    }
}
