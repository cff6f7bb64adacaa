//! The rewrites that turn a marked body into a staged one.
//!
//! Each rewrite is one small `VisitMut` that always delegates to
//! `visit_mut::visit_*`, and decides with the markers of `analysis.rs` only:
//!
//! - [`WeakLiterals`]: unsuffixed numeric literals in traced positions become
//!   `weak_float(..)` / `weak_int(..)`, and so do uses of literal bindings
//!   (`let k = 2.0;`, see `analysis.rs`), as `weak_float(k as f64)`. Traced
//!   positions are operands of arithmetic and comparisons with a traced side,
//!   initialisers and assignments of traced bindings, closure bodies, returns,
//!   the arguments of `lax::` and `jnp::` functions and the arguments of the `Tracer`
//!   methods that take values ([`VALUE_METHODS`]). Everywhere else a literal
//!   keeps its Rust type: a plain Rust scalar meeting a tracer is strong;
//! - [`TracedTypes`]: scalar type annotations of traced bindings become `Tracer`;
//! - [`Comparisons`]: `<`, `<=`, `>`, `>=`, `==`, `!=` with a traced side become
//!   `lt`, `le`, `gt`, `ge`, `eq`, `ne` calls;
//! - [`Casts`]: `e as T` with traced `e` and scalar `T` becomes `cast::<T>(e)`;
//! - [`Returns`]: `return e` becomes `return ret::<R>(e)`; [`wrap_tail`] does
//!   the same for the tail expression.
//!
//! **Invariant:** concrete slots stay plain Rust: `if`/`while` conditions,
//! `match` scrutinees, index operands, range endpoints, array-repeat lengths,
//! macro arguments and nested items are never weakened; `&&`, `||`, `if`,
//! `while` and `match` are left as written. The one input rejected here is
//! an integer literal in a traced position that fits no integer dtype (past
//! `i64`): it becomes a `compile_error!` at the literal.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{
    BinOp, Block, Expr, ExprBinary, ExprCall, ExprCast, ExprClosure, ExprLit, ExprMethodCall,
    ExprPath, ExprReturn, Item, Lit, Local, Pat, PatType, Stmt, Type, UnOp, parse_quote_spanned,
};

use crate::analysis::{
    self, LiteralKind, is_compound_assign, is_traced, literal_use, pat_is_traced, unsuffixed_kind,
};
use crate::{guards, paths, types};

/// Rewrites a marked function body in place: everything but tail wrapping.
pub fn rewrite_body(block: &mut Block, ret: &Type) {
    WeakLiterals.visit_block_mut(block);
    if let Some(tail) = tail_mut(block) {
        weaken_value(tail);
    }
    TracedTypes.visit_block_mut(block);
    Comparisons.visit_block_mut(block);
    Casts.visit_block_mut(block);
    Returns { ret }.visit_block_mut(block);
    guards::Guards.visit_block_mut(block);
    wrap_tail(block, ret);
    analysis::strip_markers_block(block);
}

/// Rewrites a marked closure body in place, including its tail.
pub fn rewrite_closure_body(body: &mut Expr, ret: &Type) {
    WeakLiterals.visit_expr_mut(body);
    weaken_value(body);
    TracedTypes.visit_expr_mut(body);
    Comparisons.visit_expr_mut(body);
    Casts.visit_expr_mut(body);
    Returns { ret }.visit_expr_mut(body);
    guards::Guards.visit_expr_mut(body);
    match &mut *body {
        Expr::Block(b) if b.label.is_none() => wrap_tail(&mut b.block, ret),
        Expr::Return(_) => {}
        _ => *body = ret_call(ret, take(body)),
    }
    analysis::strip_markers(body);
}

/// Moves the expression out, leaving a placeholder to be overwritten.
fn take(e: &mut Expr) -> Expr {
    std::mem::replace(e, Expr::Verbatim(TokenStream::new()))
}

/// The block's tail expression, if it has one.
fn tail_mut(block: &mut Block) -> Option<&mut Expr> {
    match block.stmts.last_mut() {
        Some(Stmt::Expr(e, None)) => Some(e),
        _ => None,
    }
}

/// The call `func(args..)`, spanned at `span`. The arguments are moved in
/// as syntax trees, never printed and parsed again.
fn call(func: TokenStream, span: Span, args: impl IntoIterator<Item = Expr>) -> Expr {
    let mut call: ExprCall = parse_quote_spanned!(span=> #func());
    call.args.extend(args);
    Expr::Call(call)
}

/// `::jit::__private::ret::<R>(e)`.
fn ret_call(ret: &Type, e: Expr) -> Expr {
    let f = paths::ret();
    call(quote!(#f::<#ret>), e.span(), [e])
}

/// Wraps the block's tail expression (unless it is a `return`) in `ret::<R>`.
pub fn wrap_tail(block: &mut Block, ret: &Type) {
    if let Some(tail) = tail_mut(block)
        && !matches!(tail, Expr::Return(_))
    {
        *tail = ret_call(ret, take(tail));
    }
}

/// The `Tracer` methods whose parameters are values (`impl IntoTracer`):
/// an unsuffixed literal passed to one is weak, as it is in an operator
/// (`x.max(0)` on a `u32` stays `u32`, `x.gt(0.5)` compares in `x`'s dtype).
/// Other methods keep their
/// arguments' Rust types (`powi(2)` takes an `i32`, `v.get(0)` a `usize`).
pub const VALUE_METHODS: &[&str] = &[
    "max",
    "min",
    "clamp",
    "mul_add",
    "lt",
    "le",
    "gt",
    "ge",
    "eq",
    "ne",
    "dot",
    "at_set",
    "at_add",
    // Rust semantics: the float and integer methods with a value operand.
    "copysign",
    "rem_euclid",
    "div_euclid",
    "wrapping_add",
    "wrapping_sub",
    "wrapping_mul",
    "wrapping_shl",
    "wrapping_shr",
    "rotate_left",
    "rotate_right",
    // Exponential/logarithmic family: `x.powf(2.0)` stays in `x`'s dtype.
    "powf",
];

/// Whether `func` names a function of `lax` or `jnp` (`lax::select`,
/// `jit::lax::fori_loop`, `jnp::maximum`, `jit::numpy::minimum`): their
/// parameters take values (`impl IntoTracer` or pytrees), so every
/// unsuffixed literal argument is weak. A function of these modules with a
/// structural parameter (an axis, a shape) must accept a weak literal there.
fn is_lax_function(func: &Expr) -> bool {
    match func {
        Expr::Path(p) => {
            let segments = &p.path.segments;
            segments.len() >= 2 && {
                let module = &segments[segments.len() - 2].ident;
                module == "lax" || module == "jnp" || module == "numpy"
            }
        }
        _ => false,
    }
}

/// The replacement of an unsuffixed numeric literal `lit`, negated when `neg`.
fn weak_literal(lit: &ExprLit, neg: bool) -> Option<Expr> {
    let kind = unsuffixed_kind(&lit.lit)?;
    let span = lit.span();
    if let Lit::Int(l) = &lit.lit
        && !fits_i64(l, neg)
    {
        let sign = if neg { "-" } else { "" };
        let message = format!(
            "the integer literal `{sign}{}` fits no dtype: a weak integer literal must fit in \
             i64 (JAX raises OverflowError)",
            l.base10_digits()
        );
        return Some(parse_quote_spanned!(span=> ::core::compile_error!(#message)));
    }
    let arg: Expr = if neg {
        parse_quote_spanned!(span=> -#lit)
    } else {
        Expr::Lit(lit.clone())
    };
    Some(call(weak_fn(kind), span, [arg]))
}

/// `weak_float` or `weak_int`.
fn weak_fn(kind: LiteralKind) -> TokenStream {
    match kind {
        LiteralKind::Float => paths::weak_float(),
        LiteralKind::Int => paths::weak_int(),
    }
}

/// Whether the integer literal `l`, negated when `neg`, fits in an `i64`.
fn fits_i64(l: &syn::LitInt, neg: bool) -> bool {
    match l.base10_parse::<u64>() {
        Ok(v) if neg => v <= i64::MIN.unsigned_abs(),
        Ok(v) => i64::try_from(v).is_ok(),
        Err(_) => false,
    }
}

/// The replacement of a use of a literal binding: `weak_float(k as f64)`
/// (the `as` leaves rustc free to infer `k`'s type from its other uses).
fn weak_binding_use(path: &ExprPath, kind: LiteralKind) -> Expr {
    let span = path.span();
    let target = match kind {
        LiteralKind::Float => quote!(f64),
        LiteralKind::Int => quote!(i64),
    };
    let arg: Expr = parse_quote_spanned!(span=> #path as #target);
    call(weak_fn(kind), span, [arg])
}

/// Weakens the literals whose value becomes the value of `expr`: `expr`
/// itself, tuple and array elements, operands of arithmetic, block tails and
/// the branches of `if` and `match` (never their conditions or scrutinees).
pub fn weaken_value(expr: &mut Expr) {
    match expr {
        Expr::Lit(lit) if lit.attrs.is_empty() => {
            if let Some(new) = weak_literal(lit, false) {
                *expr = new;
            }
        }
        Expr::Unary(u) if matches!(u.op, UnOp::Neg(_)) => match &*u.expr {
            Expr::Lit(lit) => {
                if let Some(new) = weak_literal(lit, true) {
                    *expr = new;
                }
            }
            _ => weaken_value(&mut u.expr),
        },
        Expr::Path(p) => {
            if let Some(kind) = literal_use(p) {
                *expr = weak_binding_use(p, kind);
            }
        }
        Expr::Unary(u) if matches!(u.op, UnOp::Not(_)) => weaken_value(&mut u.expr),
        Expr::Paren(p) => weaken_value(&mut p.expr),
        Expr::Group(g) => weaken_value(&mut g.expr),
        Expr::Tuple(t) => t.elems.iter_mut().for_each(weaken_value),
        Expr::Array(a) => a.elems.iter_mut().for_each(weaken_value),
        Expr::Repeat(r) => weaken_value(&mut r.expr),
        Expr::Binary(b) if is_arithmetic(&b.op) => {
            weaken_value(&mut b.left);
            weaken_value(&mut b.right);
        }
        Expr::Block(b) => {
            if let Some(tail) = tail_mut(&mut b.block) {
                weaken_value(tail);
            }
        }
        Expr::Unsafe(b) => {
            if let Some(tail) = tail_mut(&mut b.block) {
                weaken_value(tail);
            }
        }
        Expr::If(i) => {
            if let Some(tail) = tail_mut(&mut i.then_branch) {
                weaken_value(tail);
            }
            if let Some((_, e)) = &mut i.else_branch {
                weaken_value(e);
            }
        }
        Expr::Match(m) => m.arms.iter_mut().for_each(|a| weaken_value(&mut a.body)),
        Expr::Macro(m) if m.mac.path.is_ident("vec") => weaken_vec_macro(&mut m.mac),
        _ => {}
    }
}

/// Weakens the elements of `vec![a, b, ..]` and the element of `vec![a; n]`
/// (never the length), re-emitting the macro's tokens. A `vec!` whose tokens
/// are not one of those forms is left alone.
fn weaken_vec_macro(mac: &mut syn::Macro) {
    use syn::parse::Parser;
    use syn::punctuated::Punctuated;
    let repeat = |input: syn::parse::ParseStream| {
        let elem: Expr = input.parse()?;
        let semi: syn::Token![;] = input.parse()?;
        let len: Expr = input.parse()?;
        Ok((elem, semi, len))
    };
    if let Ok((mut elem, semi, len)) = repeat.parse2(mac.tokens.clone()) {
        weaken_value(&mut elem);
        mac.tokens = quote!(#elem #semi #len);
    } else if let Ok(mut elems) =
        Punctuated::<Expr, syn::Token![,]>::parse_terminated.parse2(mac.tokens.clone())
    {
        elems.iter_mut().for_each(weaken_value);
        mac.tokens = quote!(#elems);
    }
}

/// Weakens an initialiser for the traced bindings of `pat`, element by
/// element where a tuple pattern meets a tuple expression.
fn weaken_for_pattern(pat: &Pat, init: &mut Expr) {
    match (pat, &mut *init) {
        (Pat::Type(t), _) => weaken_for_pattern(&t.pat, init),
        (Pat::Paren(p), _) => weaken_for_pattern(&p.pat, init),
        (Pat::Tuple(p), Expr::Tuple(e)) if p.elems.len() == e.elems.len() => {
            for (p, e) in p.elems.iter().zip(e.elems.iter_mut()) {
                weaken_for_pattern(p, e);
            }
        }
        _ if pat_is_traced(pat) => weaken_value(init),
        _ => {}
    }
}

/// `+ - * / % ^ & | << >>`.
fn is_arithmetic(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::Add(_)
            | BinOp::Sub(_)
            | BinOp::Mul(_)
            | BinOp::Div(_)
            | BinOp::Rem(_)
            | BinOp::BitXor(_)
            | BinOp::BitAnd(_)
            | BinOp::BitOr(_)
            | BinOp::Shl(_)
            | BinOp::Shr(_)
    )
}

/// The runtime function staging a comparison operator.
fn comparison_fn(op: &BinOp) -> Option<&'static str> {
    Some(match op {
        BinOp::Lt(_) => "lt",
        BinOp::Le(_) => "le",
        BinOp::Gt(_) => "gt",
        BinOp::Ge(_) => "ge",
        BinOp::Eq(_) => "eq",
        BinOp::Ne(_) => "ne",
        _ => return None,
    })
}

/// Unsuffixed literals in traced positions -> `weak_float` / `weak_int`.
pub struct WeakLiterals;

impl VisitMut for WeakLiterals {
    fn visit_local_mut(&mut self, local: &mut Local) {
        if let Some(init) = &mut local.init {
            weaken_for_pattern(&local.pat, &mut init.expr);
        }
        visit_mut::visit_local_mut(self, local);
    }

    fn visit_expr_binary_mut(&mut self, e: &mut ExprBinary) {
        if is_compound_assign(&e.op) {
            if is_traced(&e.left) {
                weaken_value(&mut e.right);
            }
        } else if is_arithmetic(&e.op) || comparison_fn(&e.op).is_some() {
            if is_traced(&e.left) {
                weaken_value(&mut e.right);
            }
            if is_traced(&e.right) {
                weaken_value(&mut e.left);
            }
        }
        visit_mut::visit_expr_binary_mut(self, e);
    }

    fn visit_expr_assign_mut(&mut self, e: &mut syn::ExprAssign) {
        if is_traced(&e.left) {
            weaken_value(&mut e.right);
        }
        visit_mut::visit_expr_assign_mut(self, e);
    }

    fn visit_expr_call_mut(&mut self, e: &mut ExprCall) {
        if is_lax_function(&e.func) {
            e.args.iter_mut().for_each(weaken_value);
        }
        visit_mut::visit_expr_call_mut(self, e);
    }

    fn visit_expr_method_call_mut(&mut self, e: &mut ExprMethodCall) {
        if is_traced(&e.receiver) && VALUE_METHODS.iter().any(|m| e.method == m) {
            e.args.iter_mut().for_each(weaken_value);
        }
        visit_mut::visit_expr_method_call_mut(self, e);
    }

    fn visit_expr_closure_mut(&mut self, e: &mut ExprClosure) {
        weaken_value(&mut e.body);
        visit_mut::visit_expr_closure_mut(self, e);
    }

    fn visit_expr_return_mut(&mut self, e: &mut ExprReturn) {
        if let Some(value) = &mut e.expr {
            weaken_value(value);
        }
        visit_mut::visit_expr_return_mut(self, e);
    }

    fn visit_item_mut(&mut self, _: &mut Item) {}
}

/// Replaces the scalar types in `ty` by `Tracer` where `pat` binds traced
/// values, element by element where a tuple pattern meets a tuple type.
fn retype(pat: &Pat, ty: &mut Type) {
    match (pat, &mut *ty) {
        (Pat::Paren(p), _) => retype(&p.pat, ty),
        (Pat::Tuple(p), Type::Tuple(t)) if p.elems.len() == t.elems.len() => {
            for (p, t) in p.elems.iter().zip(t.elems.iter_mut()) {
                retype(p, t);
            }
        }
        _ if pat_is_traced(pat) => tracer_types(ty),
        _ => {}
    }
}

/// Every scalar in `ty` (a scalar, or tuples of them) -> `Tracer`.
fn tracer_types(ty: &mut Type) {
    match ty {
        Type::Tuple(t) => t.elems.iter_mut().for_each(tracer_types),
        Type::Paren(p) => tracer_types(&mut p.elem),
        ty if types::is_scalar(ty) || types::is_array(ty) => {
            let tracer = paths::tracer();
            let span = ty.span();
            *ty = syn::parse2(quote_spanned!(span=> #tracer)).expect("a type path");
        }
        _ => {}
    }
}

/// Scalar annotations of traced bindings -> `Tracer`.
pub struct TracedTypes;

impl VisitMut for TracedTypes {
    fn visit_pat_type_mut(&mut self, p: &mut PatType) {
        retype(&p.pat, &mut p.ty);
        visit_mut::visit_pat_type_mut(self, p);
    }

    fn visit_item_mut(&mut self, _: &mut Item) {}
}

/// Comparisons with a traced side -> `lt(a, b)` and friends.
pub struct Comparisons;

impl VisitMut for Comparisons {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        visit_mut::visit_expr_mut(self, e);
        if let Expr::Binary(b) = e
            && let Some(name) = comparison_fn(&b.op)
            && (is_traced(&b.left) || is_traced(&b.right))
        {
            let span = b.op.span();
            let (left, right) = (take(&mut b.left), take(&mut b.right));
            *e = call(paths::compare(name), span, [left, right]);
        }
    }

    fn visit_item_mut(&mut self, _: &mut Item) {}
}

/// `e as T` with traced `e` and scalar `T` -> `cast::<T>(e)`.
pub struct Casts;

impl VisitMut for Casts {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        visit_mut::visit_expr_mut(self, e);
        if let Expr::Cast(ExprCast {
            expr, ty, as_token, ..
        }) = e
            && types::is_scalar(ty)
            && is_traced(expr)
        {
            let f = paths::cast();
            let span = as_token.span;
            let value = match take(expr) {
                Expr::Paren(p) => *p.expr,
                value => value,
            };
            *e = call(quote!(#f::<#ty>), span, [value]);
        }
    }

    fn visit_item_mut(&mut self, _: &mut Item) {}
}

/// `return e` -> `return ret::<R>(e)`, outside closures and nested items.
pub struct Returns<'a> {
    /// The declared return type `R`.
    pub ret: &'a Type,
}

impl VisitMut for Returns<'_> {
    fn visit_expr_return_mut(&mut self, e: &mut ExprReturn) {
        visit_mut::visit_expr_return_mut(self, e);
        if let Some(value) = &mut e.expr {
            **value = ret_call(self.ret, take(value));
        }
    }

    fn visit_expr_closure_mut(&mut self, _: &mut ExprClosure) {}

    fn visit_item_mut(&mut self, _: &mut Item) {}
}

#[cfg(test)]
mod tests {
    use crate::test_util::{norm, same_tokens, staged_body};

    /// Asserts that the staged body of `fn f(params) -> ret { body }`, with
    /// `static = statics`, is `expected` (written without `::jit::__private::`).
    #[track_caller]
    fn check(statics: &str, params: &str, ret: &str, body: &str, expected: &str) {
        let attr = if statics.is_empty() {
            String::new()
        } else {
            format!("static = ({statics})")
        };
        let item = format!("fn f({params}) -> {ret} {{ {body} }}");
        let (got, want) = (
            staged_body(&attr, &item),
            norm(&format!("{{ {expected} }}")),
        );
        assert!(same_tokens(&got, &want), "got:  {got}\nwant: {want}");
    }

    #[test]
    fn tail_is_wrapped() {
        check(
            "",
            "x: f32",
            "f32",
            "x.sin() + x.cos()",
            "ret::<f32>(x.sin() + x.cos())",
        );
    }

    #[test]
    fn accumulator_becomes_traced_through_a_later_assignment() {
        check(
            "n",
            "x: f32, n: usize",
            "f32",
            "let mut y = 0.0; for _ in 0..n { y = y + x; } y",
            "let mut y = weak_float(0.0); \
             for _ in concrete_range(0, n) { y = y + x; } ret::<f32>(y)",
        );
    }

    #[test]
    fn plain_bindings_stay_plain() {
        check(
            "",
            "x: f32",
            "f32",
            "let k = 5; let mut y = x; for _ in 0..k { y = y * 2.0; } y",
            "let k = 5; let mut y = x; \
             for _ in concrete_range(0, k) { y = y * weak_float(2.0); } ret::<f32>(y)",
        );
    }

    #[test]
    fn literal_ranges_and_loop_variables_are_plain() {
        check(
            "",
            "x: f32",
            "f32",
            "let mut y = x; for i in 0..3 { y = y + x * i as f32; } y",
            "let mut y = x; \
             for i in concrete_range(0, 3) { y = y + x * i as f32; } ret::<f32>(y)",
        );
    }

    #[test]
    fn shadowing_works_both_ways() {
        check(
            "",
            "x: f32",
            "f32",
            "let y = x + 1.0; let x = 3; let k = x + 1; let x = y * 2.0; x + k as f32",
            "let y = x + weak_float(1.0); let x = 3; let k = x + 1; \
             let x = y * weak_float(2.0); ret::<f32>(x + k as f32)",
        );
    }

    #[test]
    fn block_scopes_end() {
        check(
            "",
            "x: f32",
            "f32",
            "let k = 2; { let k = x; let _ = k + 1.0; } let j = k + 1; x",
            "let k = 2; { let k = x; let _ = k + weak_float(1.0); } let j = k + 1; ret::<f32>(x)",
        );
    }

    #[test]
    fn comparisons_with_a_traced_side_are_staged() {
        check(
            "",
            "x: f32, i: i32",
            "(bool, bool, bool)",
            "let k = 1; let c = k < 2; (x < 1.0, 2 >= i, x != x)",
            "let k = 1; let c = k < 2; \
             ret::<(bool, bool, bool)>((lt(x, weak_float(1.0)), ge(weak_int(2), i), ne(x, x)))",
        );
    }

    #[test]
    fn casts_of_traced_values_are_staged() {
        check(
            "",
            "x: f32",
            "i32",
            "let k = 2.5; let j = k as i32; let u = k as usize; (x * 2.0) as i32 + j",
            "let k = 2.5; let j = k as i32; let u = k as usize; \
             ret::<i32>(cast::<i32>(x * weak_float(2.0)) + j)",
        );
    }

    #[test]
    fn annotations_of_traced_bindings_become_tracer() {
        check(
            "",
            "x: f32",
            "f32",
            "let y: f32 = x; let (a, b): (f32, usize) = (x, 3); let c: f64 = 1.0; y + a",
            "let y: Tracer = x; let (a, b): (Tracer, usize) = (x, 3); let c: f64 = 1.0; ret::<f32>(y + a)",
        );
    }

    #[test]
    fn returns_are_wrapped() {
        check(
            "n",
            "x: f32, n: i64",
            "f32",
            "if n > 2 { return x * 2.0; } let g = |v: f32| { return v; }; return x;",
            "if concrete_if(n > 2) { return ret::<f32>(x * weak_float(2.0)); } \
             let g = |v: Tracer| { return v; }; return ret::<f32>(x);",
        );
    }

    #[test]
    fn closure_bodies_lax_arguments_and_value_method_arguments_are_traced_positions() {
        check(
            "",
            "x: f32, n: i32",
            "f32",
            "let a = lax::fori_loop(0, n, |_i, y| y + x, 0.0); \
             let b = lax::cond(x > 0.0, || 1.0, || x); \
             let v = jit::lax::fori_loop(0, 3, |_i, v| v, vec![1.0, -2.0]); \
             let w = lax::fori_loop(0, 3, |_i, v| v, (vec![0; 4], [1, 2])); \
             a.max(-0.5).clamp(0, 1.5) + b.powi(2) + v.get(0)",
            "let a = lax::fori_loop(weak_int(0), n, |_i, y| y + x, weak_float(0.0)); \
             let b = lax::cond(gt(x, weak_float(0.0)), || weak_float(1.0), || x); \
             let v = jit::lax::fori_loop(weak_int(0), weak_int(3), |_i, v| v, \
                 vec![weak_float(1.0), weak_float(-2.0)]); \
             let w = lax::fori_loop(weak_int(0), weak_int(3), |_i, v| v, \
                 (vec![weak_int(0); 4], [weak_int(1), weak_int(2)])); \
             ret::<f32>(a.max(weak_float(-0.5)).clamp(weak_int(0), weak_float(1.5)) \
                 + b.powi(2) + v.get(0))",
        );
    }

    #[test]
    fn literal_bindings_are_weak_where_literals_are() {
        check(
            "",
            "x: f32",
            "f32",
            "let k = 2.0; let n = -3; let t: f64 = 1.0; let mut m = 4; m += 1; \
             let y = x * k + n; let z = y.max(k) * t * m; for _ in 0..n {} k * z",
            "let k = 2.0; let n = -3; let t: f64 = 1.0; let mut m = 4; m += 1; \
             let y = x * weak_float(k as f64) + weak_int(n as i64); \
             let z = y.max(weak_float(k as f64)) * t * m; \
             for _ in concrete_range(0, n) {} ret::<f32>(weak_float(k as f64) * z)",
        );
    }

    #[test]
    fn shadowing_ends_a_literal_binding() {
        check(
            "",
            "x: f32",
            "f32",
            "let k = 2.0; let k = x; let j = 3; { let j = 1.5f32; let _ = x * j; } x * k * j",
            "let k = 2.0; let k = x; let j = 3; { let j = 1.5f32; let _ = x * j; } \
             ret::<f32>(x * k * weak_int(j as i64))",
        );
    }

    #[test]
    fn concrete_slots_stay_plain() {
        check(
            "",
            "x: f32",
            "f32",
            "let mut a = [0.0; 3]; a[1] = x; let t = 2; \
             trace_print!(\"{}\", 1.0); fn helper() -> f64 { 1.0 } \
             if t > 1 { a[0] + 1.0f32 } else { 2.0 }",
            "let mut a = [weak_float(0.0); 3]; a[1] = x; let t = 2; \
             trace_print!(\"{}\", 1.0); fn helper() -> f64 { 1.0 } \
             ret::<f32>(if concrete_if(t > 1) { a[0] + 1.0f32 } else { weak_float(2.0) })",
        );
    }

    #[test]
    fn macros_are_scanned_not_rewritten() {
        check(
            "",
            "x: f32",
            "f32",
            "let mut y = m!(x); y = 1.0; y",
            "let mut y = m!(x); y = weak_float(1.0); ret::<f32>(y)",
        );
    }

    #[test]
    fn patterns_of_traced_scrutinees_are_traced() {
        check(
            "",
            "x: f32",
            "f32",
            "let (a, b) = (x, 2); if let Some(c) = Some(x) { c + 1.0 } else { match b { k => a + k as f32 } }",
            "let (a, b) = (x, 2); ret::<f32>(if let Some(c) = Some(x) { c + weak_float(1.0) } \
             else { match b { k => a + k as f32 } })",
        );
    }

    #[test]
    fn compound_assignment_makes_traced() {
        check(
            "",
            "x: f32",
            "f32",
            "let mut s = 0.0; s += x; s -= 1.0; s",
            "let mut s = weak_float(0.0); s += x; s -= weak_float(1.0); ret::<f32>(s)",
        );
    }
}
