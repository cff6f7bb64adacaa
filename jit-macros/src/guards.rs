//! The type-level half of the purity rules: the concrete slots of a staged
//! body wrapped in trait-bounded identity functions of `::jit::__private`.
//!
//! `rules.rs` reports what the macro sees; a tracer it cannot see (returned by
//! a helper function, a method, a macro) reaches these guards instead, whose
//! traits only plain Rust values implement, and fails to compile with a
//! `#[diagnostic::on_unimplemented]` message naming the staged replacement:
//!
//! - `if c` -> `if concrete_if(c)` (each part of a `let` chain but the
//!   `let`s; match-arm guards too), `while c` -> `while concrete_while(c)`;
//! - in a `for` head, `a..b` -> `concrete_range(a, b)`, `a..=b` ->
//!   `concrete_range_inclusive(a, b)`, a lone bound `concrete_bound(a)`.
//!
//! **Invariants:** each guard is the identity on plain values and is spanned
//! at the user's expression, so an error points at user code; `let`
//! patterns, nested items and macro invocations are left alone.

use proc_macro2::TokenStream;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, ExprForLoop, ExprIf, ExprMatch, ExprWhile, Item, RangeLimits};

use crate::paths;
use crate::rules::has_let;

/// Moves the expression out, leaving a placeholder to be overwritten.
fn take(e: &mut Expr) -> Expr {
    std::mem::replace(e, Expr::Verbatim(TokenStream::new()))
}

/// Wraps the concrete slots of a staged body in the trait-bounded guards of
/// `::jit::__private`: `if` and `while` conditions (each part of a `let`
/// chain but the `let`s), match-arm guards, and the range bounds of `for`
/// heads, closures' bodies included (they are staged too). Nested items and
/// macro invocations are not entered.
pub struct Guards;

impl Guards {
    fn wrap(name: &str, e: &mut Expr) {
        let span = e.span();
        let guard = paths::guard(name, span);
        let inner = take(e);
        *e = syn::parse_quote_spanned!(span=> #guard(#inner));
    }

    /// Wraps a condition; in a `let` chain, each part but the `let`s.
    fn wrap_condition(name: &str, cond: &mut Expr) {
        if !has_let(cond) {
            Self::wrap(name, cond);
        } else if let Expr::Binary(b) = cond {
            Self::wrap_condition(name, &mut b.left);
            Self::wrap_condition(name, &mut b.right);
        }
    }
}

/// Guards every range in a `for` head: `a..b` becomes `concrete_range(a, b)`
/// (`..=`: `concrete_range_inclusive`), a lone bound `concrete_bound(a)`.
struct RangeBounds;

impl VisitMut for RangeBounds {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        visit_mut::visit_expr_mut(self, e);
        let span = e.span();
        let Expr::Range(r) = e else { return };
        match (&mut r.start, &mut r.end) {
            (Some(start), Some(end)) if r.attrs.is_empty() => {
                let name = match r.limits {
                    RangeLimits::HalfOpen(_) => "concrete_range",
                    RangeLimits::Closed(_) => "concrete_range_inclusive",
                };
                let guard = paths::guard(name, span);
                let (start, end) = (take(start), take(end));
                *e = syn::parse_quote_spanned!(span=> #guard(#start, #end));
            }
            (start, end) => {
                for bound in [start, end].into_iter().flatten() {
                    Guards::wrap("concrete_bound", bound);
                }
            }
        }
    }
    fn visit_expr_closure_mut(&mut self, _: &mut ExprClosure) {}
    fn visit_item_mut(&mut self, _: &mut Item) {}
}

impl VisitMut for Guards {
    fn visit_expr_if_mut(&mut self, e: &mut ExprIf) {
        visit_mut::visit_expr_if_mut(self, e);
        Self::wrap_condition("concrete_if", &mut e.cond);
    }

    fn visit_expr_while_mut(&mut self, e: &mut ExprWhile) {
        visit_mut::visit_expr_while_mut(self, e);
        Self::wrap_condition("concrete_while", &mut e.cond);
    }

    fn visit_expr_match_mut(&mut self, m: &mut ExprMatch) {
        visit_mut::visit_expr_match_mut(self, m);
        for arm in &mut m.arms {
            if let Some((_, guard)) = &mut arm.guard {
                Self::wrap_condition("concrete_if", guard);
            }
        }
    }

    fn visit_expr_for_loop_mut(&mut self, f: &mut ExprForLoop) {
        visit_mut::visit_expr_for_loop_mut(self, f);
        RangeBounds.visit_expr_mut(&mut f.expr);
    }

    fn visit_item_mut(&mut self, _: &mut Item) {}
}
