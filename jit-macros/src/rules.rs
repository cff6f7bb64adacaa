//! The purity rules of `API.md`: what cannot work in a traced body is a
//! compile error at the offending expression, naming the staged replacement.
//!
//! Two halves:
//!
//! - [`check_fn`] / [`check_closure`] walk a *marked* body (after
//!   `analysis.rs`, before `rewrite.rs`) and report every violation they can
//!   see syntactically, each pushed to the expansion's [`Errors`]
//!   ([`Violation`] lists the rules). Each error is spanned on the offending
//!   expression and its message is one line of why, then a `= help:` line
//!   naming the replacement (stable rustc has no real `help:` for proc
//!   macros; this is how its output reads).
//! - `guards.rs` wraps every `if`/`while` condition and every range of a
//!   `for` head of the staged body in an identity function of
//!   `::jit::__private` whose trait bound only plain Rust values meet, so a
//!   tracer the macro could not see (through a helper function, a method
//!   call, a macro) still fails to compile, with a
//!   `#[diagnostic::on_unimplemented]` message naming the replacement.
//!
//! Terms: a name is *captured* by a closure when it resolves to a binding
//! outside that closure, and by the whole body when it resolves to no binding
//! of the body at all (a `static`, or the environment of a `jit_fn!`).
//!
//! **Invariants:** the checks read the markers only, never change the body;
//! a body with a violation is never staged (the caller emits the original
//! code beside the errors, so rustc adds nothing unrelated). Nested items are
//! not entered, except that a `static mut` item in the body is itself a
//! violation; macro invocations are not entered, except that the printing
//! macros are violations.

use quote::{ToTokens, quote};
use syn::visit::{self, Visit};
use syn::{
    BinOp, Block, Expr, ExprAssign, ExprBinary, ExprCast, ExprClosure, ExprForLoop, ExprIf,
    ExprIndex, ExprLet, ExprMatch, ExprRange, ExprWhile, FnArg, Ident, Item, ItemStatic, Local,
    Macro, Pat, PatIdent, Signature, StaticMutability, Type, UnOp,
};

use crate::analysis::{is_compound_assign, is_traced, place_base, strip_markers};
use crate::errors::Errors;

/// One kind of purity violation: a row of the table in `API.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Violation {
    /// `if` / `else if` on a traced condition.
    If,
    /// `while` on a traced condition.
    While,
    /// `for` over a range with a traced bound.
    For,
    /// `match` (or `if let`) on a traced value.
    Match,
    /// `&&` / `||` with a traced operand.
    ShortCircuit,
    /// `as usize`, `as isize` (any non-traced integer type) on a traced value.
    IntCast,
    /// Indexing with a traced value.
    Index,
    /// `println!`, `print!`, `eprintln!`, `eprint!`, `dbg!`.
    Print,
    /// A `&mut` parameter.
    MutParam,
    /// A `static mut` item.
    StaticMut,
    /// An assignment to, or through, a captured name.
    CapturedAssign,
}

impl Violation {
    /// The `= help:` line: the staged replacement.
    pub fn help(self) -> &'static str {
        match self {
            Violation::If => {
                "use `lax::cond(pred, || .., || ..)` to stage both branches, \
                 or `lax::select(pred, a, b)` to pick without branching"
            }
            Violation::While => "use `lax::while_loop(cond, body, init)`",
            Violation::For => {
                "use `lax::fori_loop(lower, upper, body, init)`, \
                 or make the bound a static argument: `#[jit(static = n)]`"
            }
            Violation::Match => "use `lax::switch(index, (f0, f1, ..))`",
            Violation::ShortCircuit => {
                "use `&` or `|` on boolean tracers (both sides are evaluated), \
                 or `lax::select(pred, a, b)`"
            }
            Violation::IntCast | Violation::Index => {
                "make the value a static argument, `#[jit(static = ..)]`, \
                 or index with `lax::dynamic_index(array, i)`"
            }
            Violation::Print => {
                "use `jit::debug_print!` to print values on every call, \
                 or `jit::trace_print!` to print while tracing, on purpose"
            }
            Violation::MutParam | Violation::StaticMut | Violation::CapturedAssign => {
                "return the new value instead"
            }
        }
    }
}

/// The error for `violation` at `tokens`: `reason`, then the help line.
fn error(tokens: impl ToTokens, violation: Violation, reason: &str) -> syn::Error {
    syn::Error::new_spanned(tokens, format!("{reason}\n= help: {}", violation.help()))
}

/// `e` without the markers of `analysis.rs`, whose call-site spans would
/// otherwise move the error's span to the attribute.
fn unmarked(e: &Expr) -> Expr {
    let mut e = e.clone();
    strip_markers(&mut e);
    e
}

/// The error for a `&mut` parameter typed `ty`.
fn mut_param(ty: &Type) -> syn::Error {
    error(
        ty,
        Violation::MutParam,
        "`&mut` parameter: side effects are not staged, the compiled code never writes through it",
    )
}

/// Whether `ty` is `&mut T`; such parameters are reported by the rules, not
/// as an unsupported parameter type.
pub fn is_mut_ref(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => r.mutability.is_some(),
        Type::Paren(p) => is_mut_ref(&p.elem),
        Type::Group(g) => is_mut_ref(&g.elem),
        _ => false,
    }
}

/// Checks a `#[jit]` function: its parameters and its marked body. Every
/// violation is pushed to `errors`, after those of the signature.
pub fn check_fn(sig: &Signature, body: &Block, errors: &Errors) {
    let mut rules = Rules::new(errors);
    for input in &sig.inputs {
        if let FnArg::Typed(pt) = input {
            if is_mut_ref(&pt.ty) {
                errors.push(mut_param(&pt.ty));
            }
            rules.bind_pat(&pt.pat);
        }
    }
    for stmt in &body.stmts {
        rules.visit_stmt(stmt);
    }
}

/// Checks a marked `jit_fn!` closure: its parameters and its body. Names the
/// closure captures from its environment count as captured. Every violation
/// is pushed to `errors`, after those of the signature.
pub fn check_closure(closure: &ExprClosure, errors: &Errors) {
    Rules::new(errors).visit_expr_closure(closure);
}

/// The walker: scopes of the names bound so far, and where violations go.
struct Rules<'e> {
    /// Innermost scope last.
    scopes: Vec<Vec<Ident>>,
    /// Index of the first scope of the innermost closure (0: the body).
    closure_floor: usize,
    /// The expansion's errors, in the order the walk meets the violations.
    errors: &'e Errors,
}

impl<'e> Rules<'e> {
    fn new(errors: &'e Errors) -> Self {
        Rules {
            scopes: vec![Vec::new()],
            closure_floor: 0,
            errors,
        }
    }

    fn scoped(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.push(Vec::new());
        f(self);
        self.scopes.pop();
    }

    /// Introduces every binding of `pat` into the innermost scope.
    fn bind_pat(&mut self, pat: &Pat) {
        struct Names<'a>(&'a mut Vec<Ident>);
        impl Visit<'_> for Names<'_> {
            fn visit_pat_ident(&mut self, pi: &PatIdent) {
                let capitalised = pi.ident.to_string().starts_with(char::is_uppercase);
                if pi.by_ref.is_some() || pi.mutability.is_some() || !capitalised {
                    self.0.push(pi.ident.clone());
                }
                visit::visit_pat_ident(self, pi);
            }
            fn visit_expr(&mut self, _: &Expr) {}
        }
        let scope = self.scopes.last_mut().expect("a scope is always open");
        Names(scope).visit_pat(pat);
    }

    /// Whether an assignment to `name` writes to something captured: a name
    /// bound outside the innermost closure, or outside the body.
    fn is_captured(&self, name: &Ident) -> bool {
        match self
            .scopes
            .iter()
            .rposition(|scope| scope.iter().any(|n| n == name))
        {
            Some(depth) => depth < self.closure_floor,
            None => true,
        }
    }

    /// Reports an assignment whose place is captured.
    fn check_place(&mut self, assign: impl FnOnce() -> Expr, place: &Expr) {
        let (base, through) = match place {
            Expr::Unary(u) if matches!(u.op, UnOp::Deref(_)) => (place_base(&u.expr), true),
            place => (place_base(place), false),
        };
        let Some(name) = base else { return };
        if !self.is_captured(name) {
            return;
        }
        let inside = if self.closure_floor > 0 {
            "captured by this closure"
        } else {
            "which lives outside this body"
        };
        let how = if through { "through `" } else { "to `" };
        self.errors.push(error(
            unmarked(&assign()),
            Violation::CapturedAssign,
            &format!(
                "assignment {how}{name}`, {inside}: side effects are not staged, \
                 the write happens once, while tracing"
            ),
        ));
    }

    /// A condition of `if` or `while`: a `let` chain is checked part by part.
    fn condition(&mut self, cond: &Expr, violation: Violation, keyword: &str) {
        if has_let(cond) {
            let mut parts = Vec::new();
            let_chain_parts(cond, &mut parts);
            for part in parts {
                match part {
                    Expr::Let(_) => self.visit_expr(part),
                    part => self.condition_part(part, violation, keyword),
                }
            }
        } else {
            self.condition_part(cond, violation, keyword);
        }
    }

    /// Reports a traced condition. A traced `&&` / `||` chain that is the
    /// whole condition is reported once, as the condition.
    fn condition_part(&mut self, cond: &Expr, violation: Violation, keyword: &str) {
        if is_traced(cond) {
            self.errors.push(error(
                unmarked(cond),
                violation,
                &format!("`{keyword}` on a traced value: the condition is unknown while tracing"),
            ));
            self.logic_operands(cond);
        } else {
            self.visit_expr(cond);
        }
    }

    /// Visits the operands of a chain of `&&` / `||` without reporting the
    /// chain's inner operators again.
    fn logic_operands(&mut self, e: &Expr) {
        match e {
            Expr::Binary(b) if is_short_circuit(&b.op) => {
                self.logic_operands(&b.left);
                self.logic_operands(&b.right);
            }
            e => self.visit_expr(e),
        }
    }

    /// Reports every traced bound of a range in a `for` head.
    fn range_bounds(&mut self, iterable: &Expr) {
        struct Ranges<'a>(&'a mut Vec<Expr>);
        impl Visit<'_> for Ranges<'_> {
            fn visit_expr_range(&mut self, r: &ExprRange) {
                for bound in [&r.start, &r.end].into_iter().flatten() {
                    if is_traced(bound) {
                        self.0.push((**bound).clone());
                    }
                }
                visit::visit_expr_range(self, r);
            }
            fn visit_expr_closure(&mut self, _: &ExprClosure) {}
            fn visit_item(&mut self, _: &Item) {}
        }
        let mut bounds = Vec::new();
        Ranges(&mut bounds).visit_expr(iterable);
        for bound in bounds {
            self.errors.push(error(
                unmarked(&bound),
                Violation::For,
                "`for` over a range with a traced bound: the trip count is unknown while tracing",
            ));
        }
    }

    fn check_macro(&mut self, mac: &Macro) {
        let Some(last) = mac.path.segments.last() else {
            return;
        };
        let name = last.ident.to_string();
        if matches!(
            name.as_str(),
            "println" | "print" | "eprintln" | "eprint" | "dbg"
        ) {
            self.errors.push(error(
                mac,
                Violation::Print,
                &format!("`{name}!` in a traced body runs once, while tracing, not on each call"),
            ));
        }
    }
}

fn is_short_circuit(op: &BinOp) -> bool {
    matches!(op, BinOp::And(_) | BinOp::Or(_))
}

/// Whether `cond` is a `let` or a `&&` chain holding one.
pub fn has_let(cond: &Expr) -> bool {
    match cond {
        Expr::Let(_) => true,
        Expr::Binary(b) if matches!(b.op, BinOp::And(_)) => has_let(&b.left) || has_let(&b.right),
        _ => false,
    }
}

/// The operands of a `&&` chain, in order.
fn let_chain_parts<'a>(cond: &'a Expr, parts: &mut Vec<&'a Expr>) {
    match cond {
        Expr::Binary(b) if matches!(b.op, BinOp::And(_)) => {
            let_chain_parts(&b.left, parts);
            let_chain_parts(&b.right, parts);
        }
        part => parts.push(part),
    }
}

/// Whether `pat` tests the value of a traced part of `scrutinee`: a literal
/// or range pattern meets it, element by element where a tuple pattern meets
/// a tuple expression or a tuple-struct pattern a call (`Some(0)` against
/// `Some(x)`). Binding and wildcard patterns test nothing, so matching a
/// traced value against them (or `Some(c)` against `Some(x)`) is plain Rust.
fn tests_traced(pat: &Pat, scrutinee: &Expr) -> bool {
    match (pat, scrutinee) {
        (_, Expr::Paren(p)) => tests_traced(pat, &p.expr),
        (_, Expr::Group(g)) => tests_traced(pat, &g.expr),
        (Pat::Paren(p), _) => tests_traced(&p.pat, scrutinee),
        (Pat::Type(t), _) => tests_traced(&t.pat, scrutinee),
        (Pat::Reference(r), _) => tests_traced(&r.pat, scrutinee),
        (Pat::Or(o), _) => o.cases.iter().any(|case| tests_traced(case, scrutinee)),
        (Pat::Ident(pi), _) => pi
            .subpat
            .as_ref()
            .is_some_and(|(_, sub)| tests_traced(sub, scrutinee)),
        (Pat::Tuple(p), Expr::Tuple(e)) if p.elems.len() == e.elems.len() => p
            .elems
            .iter()
            .zip(&e.elems)
            .any(|(p, e)| tests_traced(p, e)),
        (Pat::TupleStruct(p), Expr::Call(c)) if p.elems.len() == c.args.len() => {
            p.elems.iter().zip(&c.args).any(|(p, e)| tests_traced(p, e))
        }
        (Pat::Lit(_) | Pat::Range(_), e) => is_traced(e),
        // Struct, path and slice patterns cannot meet a `Tracer` (its fields
        // are private): rustc rejects those; against an `Option` or a tuple
        // held in a traced binding they test the structure, known while tracing.
        _ => false,
    }
}

/// Whether `ty` is a primitive integer type a tracer cannot be cast to
/// (anything but the traced scalars of `types.rs`).
fn is_untraced_integer(ty: &Type) -> bool {
    const INTEGERS: [&str; 9] = [
        "usize", "isize", "u8", "u16", "u64", "u128", "i8", "i16", "i128",
    ];
    match ty {
        Type::Path(p) if p.qself.is_none() => p
            .path
            .get_ident()
            .is_some_and(|id| INTEGERS.iter().any(|s| id == s)),
        Type::Paren(p) => is_untraced_integer(&p.elem),
        Type::Group(g) => is_untraced_integer(&g.elem),
        _ => false,
    }
}

impl<'ast> Visit<'ast> for Rules<'_> {
    fn visit_block(&mut self, block: &'ast Block) {
        self.scoped(|r| visit::visit_block(r, block));
    }

    fn visit_local(&mut self, local: &'ast Local) {
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.visit_pat(&local.pat);
        self.bind_pat(&local.pat);
    }

    fn visit_expr_closure(&mut self, closure: &'ast ExprClosure) {
        for input in &closure.inputs {
            if let Pat::Type(pt) = input
                && is_mut_ref(&pt.ty)
            {
                self.errors.push(mut_param(&pt.ty));
            }
        }
        let floor = self.closure_floor;
        self.scopes.push(Vec::new());
        self.closure_floor = self.scopes.len() - 1;
        for input in &closure.inputs {
            self.bind_pat(input);
        }
        self.visit_expr(&closure.body);
        self.scopes.pop();
        self.closure_floor = floor;
    }

    fn visit_expr_if(&mut self, e: &'ast ExprIf) {
        self.scoped(|r| {
            r.condition(&e.cond, Violation::If, "if");
            r.visit_block(&e.then_branch);
        });
        if let Some((_, else_branch)) = &e.else_branch {
            self.visit_expr(else_branch);
        }
    }

    fn visit_expr_while(&mut self, e: &'ast ExprWhile) {
        self.scoped(|r| {
            r.condition(&e.cond, Violation::While, "while");
            r.visit_block(&e.body);
        });
    }

    fn visit_expr_let(&mut self, e: &'ast ExprLet) {
        if tests_traced(&e.pat, &e.expr) {
            self.errors.push(error(
                unmarked(&e.expr),
                Violation::Match,
                "`if let` on a traced value: the value is unknown while tracing",
            ));
        }
        self.visit_expr(&e.expr);
        self.bind_pat(&e.pat);
    }

    fn visit_expr_for_loop(&mut self, f: &'ast ExprForLoop) {
        self.range_bounds(&f.expr);
        self.visit_expr(&f.expr);
        self.scoped(|r| {
            r.bind_pat(&f.pat);
            r.visit_block(&f.body);
        });
    }

    fn visit_expr_match(&mut self, m: &'ast ExprMatch) {
        if m.arms.iter().any(|arm| tests_traced(&arm.pat, &m.expr)) {
            self.errors.push(error(
                unmarked(&m.expr),
                Violation::Match,
                "`match` on a traced value: the value is unknown while tracing",
            ));
        }
        self.visit_expr(&m.expr);
        for arm in &m.arms {
            self.scoped(|r| {
                r.bind_pat(&arm.pat);
                if let Some((_, guard)) = &arm.guard {
                    r.condition(guard, Violation::If, "if");
                }
                r.visit_expr(&arm.body);
            });
        }
    }

    fn visit_expr_binary(&mut self, e: &'ast ExprBinary) {
        if is_short_circuit(&e.op) {
            if is_traced(&e.left) || is_traced(&e.right) {
                let op = if matches!(e.op, BinOp::And(_)) {
                    "&&"
                } else {
                    "||"
                };
                self.errors.push(error(
                    unmarked(&Expr::Binary(e.clone())),
                    Violation::ShortCircuit,
                    &format!(
                        "`{op}` on a traced value: it short-circuits on a Rust `bool`, \
                         which is unknown while tracing"
                    ),
                ));
                self.logic_operands(&e.left);
                self.logic_operands(&e.right);
                return;
            }
        } else if is_compound_assign(&e.op) {
            self.check_place(|| Expr::Binary(e.clone()), &e.left);
        }
        visit::visit_expr_binary(self, e);
    }

    fn visit_expr_assign(&mut self, e: &'ast ExprAssign) {
        self.check_place(|| Expr::Assign(e.clone()), &e.left);
        visit::visit_expr_assign(self, e);
    }

    fn visit_expr_cast(&mut self, e: &'ast ExprCast) {
        if is_untraced_integer(&e.ty) && is_traced(&e.expr) {
            let ty = e.ty.to_token_stream();
            self.errors.push(error(
                unmarked(&Expr::Cast(e.clone())),
                Violation::IntCast,
                &format!(
                    "`as {ty}` on a traced value: a traced value cannot become a Rust integer"
                ),
            ));
        }
        visit::visit_expr_cast(self, e);
    }

    fn visit_expr_index(&mut self, e: &'ast ExprIndex) {
        // `t[i as usize]` is reported once, as the cast.
        let cast = matches!(&*e.index, Expr::Cast(c) if is_untraced_integer(&c.ty));
        if !cast && is_traced(&e.index) {
            self.errors.push(error(
                unmarked(&e.index),
                Violation::Index,
                "indexing with a traced value: a traced value cannot become a Rust index",
            ));
        }
        visit::visit_expr_index(self, e);
    }

    fn visit_macro(&mut self, mac: &'ast Macro) {
        self.check_macro(mac);
    }

    fn visit_item(&mut self, item: &'ast Item) {
        if let Item::Static(ItemStatic { ident, .. }) = item {
            // Declared in the body: writing to it is reported with the item.
            self.scopes
                .last_mut()
                .expect("a scope is always open")
                .push(ident.clone());
        }
        if let Item::Static(ItemStatic {
            static_token,
            mutability: StaticMutability::Mut(mutability),
            ident,
            ..
        }) = item
        {
            self.errors.push(error(
                quote!(#static_token #mutability #ident),
                Violation::StaticMut,
                "`static mut` in a traced body: side effects are not staged",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::expand_fn;

    /// The error messages of `#[jit(attr)] fn f(params) -> f32 { body }`.
    fn errors(attr: &str, params: &str, body: &str) -> Vec<String> {
        let item = format!("fn f({params}) -> f32 {{ {body} }}");
        let text = expand_fn(attr, &item).to_string();
        text.split("compile_error ! {")
            .skip(1)
            .map(|e| e.split('}').next().unwrap_or_default().trim().to_owned())
            .collect()
    }

    #[track_caller]
    fn one(params: &str, body: &str, reason: &str, help: &str) {
        let got = errors("", params, body);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains(reason), "`{reason}` not in {got:?}");
        assert!(got[0].contains(help), "`{help}` not in {got:?}");
    }

    #[test]
    fn each_rule() {
        one(
            "x: f32",
            "if x > 0.0 { x } else { 1.0 }",
            "`if` on a traced",
            "lax::cond",
        );
        one(
            "x: f32",
            "let mut y = x; while y > 1.0 { y = y / 2.0; } y",
            "`while`",
            "lax::while_loop",
        );
        one(
            "x: f32, n: i32",
            "for _ in 0..n {} x",
            "trip count",
            "lax::fori_loop",
        );
        one(
            "x: f32, i: i32",
            "match i { 0 => x, _ => -x }",
            "`match`",
            "lax::switch",
        );
        one(
            "x: f32",
            "let b = x > 0.0 || x < -1.0; x",
            "`||`",
            "`&` or `|`",
        );
        one(
            "x: f32, i: i32",
            "let k = i as usize; x",
            "`as usize`",
            "lax::dynamic_index",
        );
        one(
            "x: f32, i: i32",
            "let t = [x]; t[i]",
            "indexing",
            "lax::dynamic_index",
        );
        one("x: f32", "dbg!(x)", "`dbg!`", "jit::debug_print!");
        one(
            "x: f32, o: &mut f32",
            "x",
            "`&mut` parameter",
            "return the new value",
        );
        one(
            "x: f32",
            "static mut N: u8 = 0; x",
            "`static mut`",
            "return the new value",
        );
        one(
            "x: f32",
            "unsafe { TOTAL += 1.0 }; x",
            "`TOTAL`",
            "return the new value",
        );
        one(
            "x: f32",
            "let mut s = x; let mut g = |v: f32| s = v; x",
            "captured",
            "return the new value",
        );
    }

    #[test]
    fn plain_values_are_not_violations() {
        let ok = |attr: &str, params: &str, body: &str| {
            let got = errors(attr, params, body);
            assert!(got.is_empty(), "{got:?}");
        };
        ok(
            "static = n",
            "x: f32, n: usize",
            "if n > 2 { x } else { match n { 0 => x, _ => -x } }",
        );
        ok(
            "",
            "x: f32",
            "let mut y = x; for i in 0..3 { if i == 1 { y = y * 2.0; } } y",
        );
        ok(
            "",
            "x: f32",
            "let x = 3; if x > 2 && x < 5 { 1.0 } else { 2.0 }",
        );
        ok(
            "",
            "x: f32",
            "let p = Some(x); if let Some(v) = p { v } else { x }",
        );
        ok(
            "",
            "x: f32",
            "let mut y = x; { let r = &mut y; *r = *r + 1.0; } y",
        );
    }

    #[test]
    fn all_violations_are_reported_together() {
        let got = errors(
            "",
            "x: f32, o: &mut f32",
            "println!(\"{}\", 1); if x > 1.0 { x } else { x }",
        );
        assert_eq!(got.len(), 3, "{got:?}");
    }
}
