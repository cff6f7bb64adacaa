//! The reference interpreter: the definition of every op's meaning.
//!
//! Native code must agree with it bit for bit on arithmetic, casts,
//! comparisons and integer ops (any NaN equals any NaN), and within the
//! documented ULP bound on transcendental functions. It runs when
//! `JIT_DISABLE=1`, in `make_jaxpr`-style tooling, and as the oracle of the
//! differential tests.
//!
//! Transcendental functions use the `math` module's algorithms evaluated on
//! plain values: the very operations native code performs, so the two agree
//! bit for bit there too, on every platform.
//!
//! **Architecture Invariant:** nothing here panics on any input value;
//! integer division by zero, overflow and NaN all have defined results.

mod array;

use crate::ir::{AVal, Graph, Op, Region, ValueDef};
use crate::math::eval as math;
use crate::scalar::Scalar;
use crate::value::Value;

/// Runs a graph whose inputs and results are all scalars on `inputs` (one
/// per graph input, of its dtype) and returns its results.
///
/// # Panics
/// If `inputs` do not match the graph's inputs, a result is an array, or the
/// graph breaks the invariants `ir::verify` checks.
pub fn run(graph: &Graph, inputs: &[Scalar]) -> Vec<Scalar> {
    let inputs: Vec<Value> = inputs.iter().map(|&s| Value::Scalar(s)).collect();
    run_values(graph, &inputs)
        .iter()
        .map(Value::scalar)
        .collect()
}

/// Runs `graph` on `inputs` (one value per graph input, of its dtype and
/// shape) and returns its results.
///
/// # Panics
/// If `inputs` do not match the graph's inputs, or the graph breaks the
/// invariants `ir::verify` checks.
pub fn run_values(graph: &Graph, inputs: &[Value]) -> Vec<Value> {
    assert_eq!(inputs.len(), graph.body.inputs.len(), "one value per input");
    let mut env: Vec<Option<Value>> = graph
        .values
        .iter()
        .map(|v| match v.def {
            ValueDef::Literal(s) => Some(Value::Scalar(s)),
            ValueDef::Const(ref a) => Some(Value::Array(a.clone())),
            _ => None,
        })
        .collect();
    run_region(graph, &graph.body, inputs, &mut env)
}

/// Runs one region on `inputs`; values live in `env`, one slot per value of
/// the graph (regions are closed, so nested runs never clash).
fn run_region(
    graph: &Graph,
    region: &Region,
    inputs: &[Value],
    env: &mut [Option<Value>],
) -> Vec<Value> {
    for (&id, value) in region.inputs.iter().zip(inputs) {
        env[id.index()] = Some(value.clone());
    }
    for eqn in &region.eqns {
        let args: Vec<Value> = eqn
            .inputs
            .iter()
            .map(|v| {
                env[v.index()]
                    .clone()
                    .expect("operands are defined before use")
            })
            .collect();
        let outs = match &eqn.op {
            Op::DebugPrint { format } => {
                println!("{}", format_values(format, &args));
                continue;
            }
            Op::While {
                cond,
                body,
                cond_nconsts,
                body_nconsts,
            } => {
                let nconsts = cond_nconsts + body_nconsts;
                let mut carry = args[nconsts..].to_vec();
                let mut cond_in = args[..*cond_nconsts].to_vec();
                let mut body_in = args[*cond_nconsts..nconsts].to_vec();
                loop {
                    cond_in.truncate(*cond_nconsts);
                    cond_in.extend_from_slice(&carry);
                    if run_region(graph, cond, &cond_in, env)[0]
                        != Value::Scalar(Scalar::Bool(true))
                    {
                        break carry;
                    }
                    body_in.truncate(*body_nconsts);
                    body_in.extend_from_slice(&carry);
                    carry = run_region(graph, body, &body_in, env);
                }
            }
            Op::Scan {
                body,
                length,
                num_consts,
                num_carry,
            } => {
                let (consts, rest) = args.split_at(*num_consts);
                let (init, xs) = rest.split_at(*num_carry);
                let mut carry = init.to_vec();
                let mut ys: Vec<Vec<Value>> = Vec::new();
                let mut body_in = Vec::with_capacity(args.len());
                for i in 0..*length {
                    body_in.clear();
                    body_in.extend_from_slice(consts);
                    body_in.extend_from_slice(&carry);
                    let x_avals = &body.inputs[num_consts + num_carry..];
                    for (x, &v) in xs.iter().zip(x_avals) {
                        body_in.push(array::index_leading(x, i, graph.aval(v)));
                    }
                    let mut out = run_region(graph, body, &body_in, env);
                    let y = out.split_off(*num_carry);
                    carry = out;
                    ys.push(y);
                }
                let y_avals: Vec<&AVal> = eqn.outputs[*num_carry..]
                    .iter()
                    .map(|&v| graph.aval(v))
                    .collect();
                carry.extend(array::stack_leading(&ys, &y_avals));
                carry
            }
            Op::Cond { branches } => {
                let Value::Scalar(Scalar::I32(index)) = args[0] else {
                    panic!("cond's index is an i32 scalar")
                };
                let last = branches.len() as i64 - 1;
                let index = i64::from(index).clamp(0, last) as usize;
                run_region(graph, &branches[index], &args[1..], env)
            }
            op => {
                let outs: Vec<&AVal> = eqn.outputs.iter().map(|&v| graph.aval(v)).collect();
                vec![eval_value(op, &args, outs[0])]
            }
        };
        for (&out, value) in eqn.outputs.iter().zip(outs) {
            env[out.index()] = Some(value);
        }
    }
    region
        .results
        .iter()
        .map(|v| env[v.index()].clone().expect("results are defined"))
        .collect()
}

/// Applies one op (not a loop, branch or print) to operand values; `out`
/// is the result's abstract value.
pub fn eval_value(op: &Op, args: &[Value], out: &AVal) -> Value {
    if op.is_elementwise() {
        if out.shape.is_empty() {
            let scalars: Vec<Scalar> = args.iter().map(Value::scalar).collect();
            return Value::Scalar(eval(op, &scalars));
        }
        return array::elementwise(op, args, out);
    }
    array::eval(op, args, out)
}

/// Applies one op to scalar operands.
pub fn eval(op: &Op, args: &[Scalar]) -> Scalar {
    match (op, args) {
        (Op::Convert { new_dtype, .. }, [a]) => a.convert(*new_dtype),
        (Op::Select, [Scalar::Bool(p), on_false, on_true]) => {
            if *p {
                *on_true
            } else {
                *on_false
            }
        }
        (Op::Clamp, [lo, x, hi]) => {
            let raised = binary(&Op::Max, *x, *lo);
            binary(&Op::Min, raised, *hi)
        }
        // Rust semantics.
        (Op::Fma, [a, b, c]) => fma(*a, *b, *c),
        (Op::BitcastConvertType { new_dtype }, [a]) => bitcast(*a, *new_dtype),
        (op @ (Op::ShiftLeft | Op::ShiftRightArithmetic | Op::ShiftRightLogical), [a, b]) => {
            shift(op, *a, *b)
        }
        (op, [a]) => unary(op, *a),
        (op, [a, b]) => binary(op, *a, *b),
        _ => panic!("{} applied to {} operands", op.name(), args.len()),
    }
}

fn unary(op: &Op, a: Scalar) -> Scalar {
    use Scalar::*;
    match (op, a) {
        (Op::Neg, I32(x)) => I32(x.wrapping_neg()),
        (Op::Neg, U32(x)) => U32(x.wrapping_neg()),
        (Op::Neg, I64(x)) => I64(x.wrapping_neg()),
        (Op::Abs, I32(x)) => I32(x.wrapping_abs()),
        (Op::Abs, U32(x)) => U32(x),
        (Op::Abs, I64(x)) => I64(x.wrapping_abs()),
        (Op::Not, Bool(x)) => Bool(!x),
        (Op::Not, I32(x)) => I32(!x),
        (Op::Not, U32(x)) => U32(!x),
        (Op::Not, I64(x)) => I64(!x),
        // Rust semantics.
        (Op::PopulationCount, I32(x)) => I32(x.count_ones() as i32),
        (Op::PopulationCount, U32(x)) => U32(x.count_ones()),
        (Op::PopulationCount, I64(x)) => I64(i64::from(x.count_ones())),
        (Op::Clz, I32(x)) => I32(x.leading_zeros() as i32),
        (Op::Clz, U32(x)) => U32(x.leading_zeros()),
        (Op::Clz, I64(x)) => I64(i64::from(x.leading_zeros())),
        (op, F32(x)) => F32(float_unary32(op, x)),
        (op, F64(x)) => F64(float_unary64(op, x)),
        (op, a) => panic!("{} is not defined on {}", op.name(), a.dtype()),
    }
}

fn float_unary32(op: &Op, x: f32) -> f32 {
    match op {
        Op::Neg => -x,
        Op::Abs => x.abs(),
        Op::Floor => x.floor(),
        Op::Ceil => x.ceil(),
        Op::Round => x.round(),
        Op::Sqrt => x.sqrt(),
        Op::Exp => math::exp_f32(x),
        Op::Log => math::ln_f32(x),
        // Exponential/logarithmic family.
        Op::Exp2 => math::exp2_f32(x),
        Op::Expm1 => math::exp_m1_f32(x),
        Op::Log1p => math::ln_1p_f32(x),
        Op::Log2 => math::log2_f32(x),
        Op::Log10 => math::log10_f32(x),
        Op::Cbrt => math::cbrt_f32(x),
        Op::Erf => math::erf_f32(x),
        Op::Logistic => math::sigmoid_f32(x),
        Op::Sin => math::sin_f32(x),
        Op::Cos => math::cos_f32(x),
        Op::Tan => math::tan_f32(x),
        // Inverse trigonometric and hyperbolic functions.
        Op::Asin => math::asin_f32(x),
        Op::Acos => math::acos_f32(x),
        Op::Atan => math::atan_f32(x),
        Op::Sinh => math::sinh_f32(x),
        Op::Cosh => math::cosh_f32(x),
        Op::Asinh => math::asinh_f32(x),
        Op::Acosh => math::acosh_f32(x),
        Op::Atanh => math::atanh_f32(x),
        Op::Tanh => math::tanh_f32(x),
        op => panic!("{} is not defined on f32", op.name()),
    }
}

fn float_unary64(op: &Op, x: f64) -> f64 {
    match op {
        Op::Neg => -x,
        Op::Abs => x.abs(),
        Op::Floor => x.floor(),
        Op::Ceil => x.ceil(),
        Op::Round => x.round(),
        Op::Sqrt => x.sqrt(),
        Op::Exp => math::exp_f64(x),
        Op::Log => math::ln_f64(x),
        // Exponential/logarithmic family.
        Op::Exp2 => math::exp2_f64(x),
        Op::Expm1 => math::exp_m1_f64(x),
        Op::Log1p => math::ln_1p_f64(x),
        Op::Log2 => math::log2_f64(x),
        Op::Log10 => math::log10_f64(x),
        Op::Cbrt => math::cbrt_f64(x),
        Op::Erf => math::erf_f64(x),
        Op::Logistic => math::sigmoid_f64(x),
        Op::Sin => math::sin_f64(x),
        Op::Cos => math::cos_f64(x),
        Op::Tan => math::tan_f64(x),
        // Inverse trigonometric and hyperbolic functions.
        Op::Asin => math::asin_f64(x),
        Op::Acos => math::acos_f64(x),
        Op::Atan => math::atan_f64(x),
        Op::Sinh => math::sinh_f64(x),
        Op::Cosh => math::cosh_f64(x),
        Op::Asinh => math::asinh_f64(x),
        Op::Acosh => math::acosh_f64(x),
        Op::Atanh => math::atanh_f64(x),
        Op::Tanh => math::tanh_f64(x),
        op => panic!("{} is not defined on f64", op.name()),
    }
}

// Rust semantics: the fused multiply-add, XLA's shifts, bit casts.

/// `a * b + c` rounded once (Rust's `mul_add`: libm's exact `fma`, or the
/// instruction when the target has it; both are correctly rounded).
fn fma(a: Scalar, b: Scalar, c: Scalar) -> Scalar {
    match (a, b, c) {
        (Scalar::F32(a), Scalar::F32(b), Scalar::F32(c)) => Scalar::F32(a.mul_add(b, c)),
        (Scalar::F64(a), Scalar::F64(b), Scalar::F64(c)) => Scalar::F64(a.mul_add(b, c)),
        (a, b, c) => panic!(
            "fma applied to {}, {} and {}",
            a.dtype(),
            b.dtype(),
            c.dtype()
        ),
    }
}

/// XLA's shifts: the amount is read as unsigned; an amount of at least the
/// width shifts every bit out (`0`, or the sign fill for the arithmetic
/// right shift).
fn shift(op: &Op, a: Scalar, b: Scalar) -> Scalar {
    macro_rules! shifted {
        ($a:expr, $b:expr, $s:ty, $u:ty, $wrap:path) => {{
            let (a, n) = ($a as $u, $b as $u);
            let width = <$u>::BITS as $u;
            $wrap(match op {
                Op::ShiftLeft if n >= width => 0,
                Op::ShiftLeft => (a << n) as _,
                Op::ShiftRightLogical if n >= width => 0,
                Op::ShiftRightLogical => (a >> n) as _,
                _ => ((a as $s) >> n.min(width - 1)) as _,
            })
        }};
    }
    match (a, b) {
        (Scalar::I32(a), Scalar::I32(b)) => shifted!(a, b, i32, u32, Scalar::I32),
        (Scalar::U32(a), Scalar::U32(b)) => shifted!(a, b, i32, u32, Scalar::U32),
        (Scalar::I64(a), Scalar::I64(b)) => shifted!(a, b, i64, u64, Scalar::I64),
        (a, b) => panic!("{} applied to {} and {}", op.name(), a.dtype(), b.dtype()),
    }
}

/// The bits of `a` read as `dtype` (a float and an integer of its width).
fn bitcast(a: Scalar, dtype: crate::dtype::DType) -> Scalar {
    use crate::dtype::DType;
    match (a, dtype) {
        (Scalar::F32(x), DType::U32) => Scalar::U32(x.to_bits()),
        (Scalar::F32(x), DType::I32) => Scalar::I32(x.to_bits() as i32),
        (Scalar::F64(x), DType::I64) => Scalar::I64(x.to_bits() as i64),
        (Scalar::U32(x), DType::F32) => Scalar::F32(f32::from_bits(x)),
        (Scalar::I32(x), DType::F32) => Scalar::F32(f32::from_bits(x as u32)),
        (Scalar::I64(x), DType::F64) => Scalar::F64(f64::from_bits(x as u64)),
        (a, to) => panic!("bitcast_convert_type from {} to {to}", a.dtype()),
    }
}

/// XLA's integer division and remainder: never trap.
macro_rules! int_binary {
    ($op:expr, $a:expr, $b:expr, $t:ty, $wrap:path, $signed:expr) => {{
        let (a, b): ($t, $t) = ($a, $b);
        let cmp = |r: bool| Scalar::Bool(r);
        match $op {
            Op::Add => $wrap(a.wrapping_add(b)),
            Op::Sub => $wrap(a.wrapping_sub(b)),
            Op::Mul => $wrap(a.wrapping_mul(b)),
            Op::Div if b == 0 => $wrap(if $signed {
                (0 as $t).wrapping_sub(1)
            } else {
                <$t>::MAX
            }),
            Op::Div => $wrap(a.wrapping_div(b)),
            Op::Rem if b == 0 => $wrap(a),
            Op::Rem => $wrap(a.wrapping_rem(b)),
            Op::Max => $wrap(if a > b { a } else { b }),
            Op::Min => $wrap(if a < b { a } else { b }),
            Op::And => $wrap(a & b),
            Op::Or => $wrap(a | b),
            Op::Xor => $wrap(a ^ b),
            Op::Lt => cmp(a < b),
            Op::Le => cmp(a <= b),
            Op::Gt => cmp(a > b),
            Op::Ge => cmp(a >= b),
            Op::Eq => cmp(a == b),
            Op::Ne => cmp(a != b),
            op => panic!("{} is not a binary op", op.name()),
        }
    }};
}

macro_rules! float_binary {
    ($op:expr, $a:expr, $b:expr, $wrap:path) => {{
        let (a, b) = ($a, $b);
        let cmp = |r: bool| Scalar::Bool(r);
        match $op {
            Op::Add => $wrap(a + b),
            Op::Sub => $wrap(a - b),
            Op::Mul => $wrap(a * b),
            Op::Div => $wrap(a / b),
            Op::Rem => $wrap(a % b),
            Op::Max if a.is_nan() || b.is_nan() => $wrap(a + b),
            // Equal operands differ only in the sign of a zero: -0 < +0.
            Op::Max => $wrap(if a > b || (a == b && b.is_sign_negative()) {
                a
            } else {
                b
            }),
            Op::Min if a.is_nan() || b.is_nan() => $wrap(a + b),
            Op::Min => $wrap(if a < b || (a == b && a.is_sign_negative()) {
                a
            } else {
                b
            }),
            Op::Lt => cmp(a < b),
            Op::Le => cmp(a <= b),
            Op::Gt => cmp(a > b),
            Op::Ge => cmp(a >= b),
            Op::Eq => cmp(a == b),
            Op::Ne => cmp(a != b),
            op => panic!("{} is not defined on floats", op.name()),
        }
    }};
}

fn binary(op: &Op, a: Scalar, b: Scalar) -> Scalar {
    use Scalar::*;
    // Inverse trigonometric and hyperbolic functions.
    match (op, a, b) {
        (Op::Atan2, F32(a), F32(b)) => return F32(math::atan2_f32(a, b)),
        (Op::Atan2, F64(a), F64(b)) => return F64(math::atan2_f64(a, b)),
        (Op::Hypot, F32(a), F32(b)) => return F32(math::hypot_f32(a, b)),
        (Op::Hypot, F64(a), F64(b)) => return F64(math::hypot_f64(a, b)),
        _ => {}
    }
    match (a, b) {
        // Exponential/logarithmic family.
        (F32(a), F32(b)) if *op == Op::Pow => F32(math::powf_f32(a, b)),
        (F64(a), F64(b)) if *op == Op::Pow => F64(math::powf_f64(a, b)),
        (I32(a), I32(b)) => int_binary!(op, a, b, i32, Scalar::I32, true),
        (U32(a), U32(b)) => int_binary!(op, a, b, u32, Scalar::U32, false),
        (I64(a), I64(b)) => int_binary!(op, a, b, i64, Scalar::I64, true),
        (F32(a), F32(b)) => float_binary!(op, a, b, Scalar::F32),
        (F64(a), F64(b)) => float_binary!(op, a, b, Scalar::F64),
        (Bool(a), Bool(b)) => match op {
            Op::And | Op::Min => Bool(a & b),
            Op::Or | Op::Max => Bool(a | b),
            Op::Xor | Op::Ne => Bool(a ^ b),
            Op::Eq => Bool(a == b),
            Op::Lt => Bool(!a & b),
            Op::Le => Bool(!a | b),
            Op::Gt => Bool(a & !b),
            Op::Ge => Bool(a | !b),
            op => panic!("{} is not defined on bool", op.name()),
        },
        (a, b) => panic!("{} applied to {} and {}", op.name(), a.dtype(), b.dtype()),
    }
}

/// Fills `{}` / `{:?}` placeholders of a `debug_print!` format with values
/// (`{{` and `}}` are literal braces), as Rust's `format!` would print them.
pub fn format_values(format: &str, values: &[Value]) -> String {
    let mut out = String::new();
    let mut values = values.iter();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let spec: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let Some(v) = values.next() else { continue };
                let debug = spec.contains('?');
                match v {
                    Value::Scalar(s) => out.push_str(&display_scalar(*s, debug)),
                    Value::Array(a) => out.push_str(&a.to_string()),
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn display_scalar(v: Scalar, debug: bool) -> String {
    macro_rules! show {
        ($x:expr) => {
            if debug {
                format!("{:?}", $x)
            } else {
                format!("{}", $x)
            }
        };
    }
    match v {
        Scalar::Bool(x) => show!(x),
        Scalar::I32(x) => show!(x),
        Scalar::U32(x) => show!(x),
        Scalar::I64(x) => show!(x),
        Scalar::F32(x) => show!(x),
        Scalar::F64(x) => show!(x),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xla_integer_division() {
        let div = |a, b| binary(&Op::Div, Scalar::I32(a), Scalar::I32(b));
        let rem = |a, b| binary(&Op::Rem, Scalar::I32(a), Scalar::I32(b));
        assert_eq!(div(7, 2), Scalar::I32(3));
        assert_eq!(div(-7, 2), Scalar::I32(-3));
        assert_eq!(div(7, 0), Scalar::I32(-1));
        assert_eq!(rem(-7, 0), Scalar::I32(-7));
        assert_eq!(rem(7, -2), Scalar::I32(1));
        assert_eq!(div(i32::MIN, -1), Scalar::I32(i32::MIN));
        assert_eq!(rem(i32::MIN, -1), Scalar::I32(0));
        assert_eq!(
            binary(&Op::Div, Scalar::U32(7), Scalar::U32(0)),
            Scalar::U32(u32::MAX)
        );
        assert_eq!(
            binary(&Op::Rem, Scalar::U32(7), Scalar::U32(0)),
            Scalar::U32(7)
        );
    }

    #[test]
    fn float_max_propagates_nan() {
        let max = binary(&Op::Max, Scalar::F32(f32::NAN), Scalar::F32(1.0));
        assert!(matches!(max, Scalar::F32(x) if x.is_nan()));
        assert_eq!(
            binary(&Op::Max, Scalar::F32(-0.0), Scalar::F32(0.0)),
            Scalar::F32(0.0)
        );
        assert_eq!(
            binary(&Op::Rem, Scalar::F32(-7.5), Scalar::F32(2.0)),
            Scalar::F32(-1.5)
        );
    }

    #[test]
    fn formats_like_rust() {
        assert_eq!(
            format_values(
                "x = {}, y = {:?} {{}}",
                &[
                    Value::Scalar(Scalar::F32(2.0)),
                    Value::Scalar(Scalar::F32(2.0))
                ]
            ),
            "x = 2, y = 2.0 {}"
        );
    }
}
