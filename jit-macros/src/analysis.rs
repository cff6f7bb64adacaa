//! Which bindings of a body are traced, and marking their uses.
//!
//! Terms: a *binding* is one introduction of a name (a parameter, a `let`
//! pattern, a closure parameter, a `for`/`match`/`if let` pattern); a *use* is a
//! single-identifier path expression that resolves to a binding through the
//! block scopes. A binding is *traced* when it is a traced parameter, a closure
//! parameter inside the body, or when its initialiser, or any later assignment
//! to it, mentions a traced binding; this is iterated to a fixed point (an
//! assignment late in a loop makes the binding traced from its `let` on).
//!
//! A *literal binding* is `let k = 2.0;` (or `-2`, `3`): one immutable name,
//! no type written, bound to an unsuffixed literal. Rust infers its type, but
//! its value is a Python-style weak scalar as far as JAX's promotion goes, so
//! its uses are weakened like the literal itself (`x * k` with `x: f32` stays
//! `f32`). A binding whose type is written (`let k: f64 = 2.0`) is strong.
//!
//! Result: every traced binding's `PatIdent` and every use of a traced binding
//! carries the marker attribute `#[__jit_traced]`, and every use of a literal
//! binding `#[__jit_weak_float]` or `#[__jit_weak_int]`, so the rewrites of
//! `rewrite.rs` decide with purely local, syntactic checks ([`is_traced`],
//! [`pat_is_traced`], [`literal_use`]).
//!
//! **Invariant:** markers exist only between [`mark_fn_body`] /
//! [`mark_closure`] and [`strip_markers`]; no marker survives into the
//! expansion. Nested items are never entered (they cannot see locals), and the
//! insides of macro invocations are never marked (they are only scanned, so
//! `let y = m!(x)` with a traced `x` makes `y` traced).

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{
    Attribute, BinOp, Block, Expr, ExprAssign, ExprBinary, ExprClosure, ExprForLoop, ExprIf,
    ExprLet, ExprMacro, ExprMatch, ExprPath, ExprWhile, Ident, Item, Local, Pat, PatIdent,
    StmtMacro, parse_quote,
};

/// The name of the marker attribute.
const MARKER: &str = "__jit_traced";
/// The markers of a use of a literal binding, by the literal's kind.
const WEAK_FLOAT_MARKER: &str = "__jit_weak_float";
const WEAK_INT_MARKER: &str = "__jit_weak_int";

fn marker() -> Attribute {
    named_marker(MARKER)
}

fn named_marker(name: &str) -> Attribute {
    let name = Ident::new(name, Span::call_site());
    parse_quote!(#[#name])
}

/// Whether `attrs` holds the marker.
fn is_marked(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident(MARKER))
}

/// What an unsuffixed numeric literal is: the kind decides which weak
/// constant it becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiteralKind {
    /// `2.0`, `1e-3`.
    Float,
    /// `2`, `0x10`.
    Int,
}

impl LiteralKind {
    fn marker_name(self) -> &'static str {
        match self {
            LiteralKind::Float => WEAK_FLOAT_MARKER,
            LiteralKind::Int => WEAK_INT_MARKER,
        }
    }
}

/// The kind of `lit` if it is an unsuffixed numeric literal.
pub fn unsuffixed_kind(lit: &syn::Lit) -> Option<LiteralKind> {
    match lit {
        syn::Lit::Float(l) if l.suffix().is_empty() => Some(LiteralKind::Float),
        syn::Lit::Int(l) if l.suffix().is_empty() => Some(LiteralKind::Int),
        _ => None,
    }
}

/// The kind of `expr` if it is an unsuffixed literal, possibly negated.
fn literal_expr_kind(expr: &Expr) -> Option<LiteralKind> {
    match expr {
        Expr::Lit(l) if l.attrs.is_empty() => unsuffixed_kind(&l.lit),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match &*u.expr {
            Expr::Lit(l) if l.attrs.is_empty() => unsuffixed_kind(&l.lit),
            _ => None,
        },
        Expr::Paren(p) => literal_expr_kind(&p.expr),
        _ => None,
    }
}

/// The kind of the literal binding `expr` uses, if it is a use of one.
/// Valid only while markers are present.
pub fn literal_use(expr: &syn::ExprPath) -> Option<LiteralKind> {
    [LiteralKind::Float, LiteralKind::Int]
        .into_iter()
        .find(|kind| {
            expr.attrs
                .iter()
                .any(|a| a.path().is_ident(kind.marker_name()))
        })
}

/// Resolves names through block scopes, decides which bindings are traced and,
/// on its last walk, marks them.
struct Resolver {
    /// Innermost scope last; within a scope, the latest binding of a name wins.
    scopes: Vec<Vec<(Ident, usize)>>,
    /// Indexed by binding id, ids given in walk order (identical every walk).
    traced: Vec<bool>,
    /// Indexed by binding id: the literal's kind for a literal binding.
    literal: Vec<Option<LiteralKind>>,
    next_id: usize,
    /// A binding became traced during this walk.
    changed: bool,
    /// The expression being walked mentions a traced binding.
    mentioned: bool,
    /// Last walk: attach markers.
    mark: bool,
}

impl Resolver {
    fn new() -> Self {
        Resolver {
            scopes: Vec::new(),
            traced: Vec::new(),
            literal: Vec::new(),
            next_id: 0,
            changed: false,
            mentioned: false,
            mark: false,
        }
    }

    /// Runs `walk` until no binding changes, then once more with marking on.
    fn run(params: &[(Ident, bool)], mut walk: impl FnMut(&mut Resolver)) {
        let mut r = Resolver::new();
        loop {
            r.start_walk(params);
            walk(&mut r);
            if !r.changed {
                break;
            }
        }
        r.mark = true;
        r.start_walk(params);
        walk(&mut r);
    }

    fn start_walk(&mut self, params: &[(Ident, bool)]) {
        self.scopes = vec![Vec::new()];
        self.next_id = 0;
        self.changed = false;
        self.mentioned = false;
        for (name, traced) in params {
            self.bind(name, *traced);
        }
    }

    /// Introduces `name`; returns whether the binding is traced.
    fn bind(&mut self, name: &Ident, traced: bool) -> bool {
        let id = self.next_id;
        self.next_id += 1;
        if id == self.traced.len() {
            self.traced.push(false);
            self.literal.push(None);
        }
        if traced && !self.traced[id] {
            self.traced[id] = true;
            self.changed = true;
        }
        self.scopes
            .last_mut()
            .expect("a scope is always open")
            .push((name.clone(), id));
        self.traced[id]
    }

    fn lookup(&self, name: &Ident) -> Option<usize> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }

    fn is_traced_name(&self, name: &Ident) -> bool {
        self.lookup(name).is_some_and(|id| self.traced[id])
    }

    fn scoped(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.push(Vec::new());
        f(self);
        self.scopes.pop();
    }

    /// Walks `f` and returns whether it mentioned a traced binding; the
    /// mention also counts for the enclosing expression.
    fn mentions(&mut self, f: impl FnOnce(&mut Self)) -> bool {
        let outer = std::mem::take(&mut self.mentioned);
        f(self);
        let inner = self.mentioned;
        self.mentioned = outer || inner;
        inner
    }

    /// Introduces every binding of `pat`, traced when `traced` or when an
    /// earlier walk found it so.
    fn bind_pat(&mut self, pat: &mut Pat, traced: bool) {
        match pat {
            Pat::Ident(pi) => {
                if is_binding(pi) {
                    let t = self.bind(&pi.ident, traced);
                    if t && self.mark && !is_marked(&pi.attrs) {
                        pi.attrs.push(marker());
                    }
                }
                if let Some((_, sub)) = &mut pi.subpat {
                    self.bind_pat(sub, traced);
                }
            }
            Pat::Tuple(t) => t.elems.iter_mut().for_each(|p| self.bind_pat(p, traced)),
            Pat::TupleStruct(t) => t.elems.iter_mut().for_each(|p| self.bind_pat(p, traced)),
            Pat::Slice(s) => s.elems.iter_mut().for_each(|p| self.bind_pat(p, traced)),
            Pat::Struct(s) => s
                .fields
                .iter_mut()
                .for_each(|f| self.bind_pat(&mut f.pat, traced)),
            Pat::Reference(r) => self.bind_pat(&mut r.pat, traced),
            Pat::Type(t) => self.bind_pat(&mut t.pat, traced),
            Pat::Paren(p) => self.bind_pat(&mut p.pat, traced),
            Pat::Or(o) => {
                let mut cases = o.cases.iter_mut();
                if let Some(first) = cases.next() {
                    self.bind_pat(first, traced);
                }
                // The other alternatives bind the same names again.
                for case in cases {
                    self.mark_alternative(case);
                }
            }
            _ => {}
        }
    }

    /// Walks `init`, pushing whether each part mentions a traced binding:
    /// one flag per part where a tuple pattern meets a tuple expression
    /// (so `let (a, k) = (x, 3)` leaves `k` plain), else one for the whole.
    fn init_mentions(&mut self, pat: &Pat, init: &mut Expr, flags: &mut Vec<bool>) {
        match (pat, init) {
            (Pat::Type(t), init) => self.init_mentions(&t.pat, init, flags),
            (Pat::Paren(p), init) => self.init_mentions(&p.pat, init, flags),
            (Pat::Tuple(p), Expr::Tuple(e)) if p.elems.len() == e.elems.len() => {
                for (p, e) in p.elems.iter().zip(&mut e.elems) {
                    self.init_mentions(p, e, flags);
                }
            }
            (_, init) => flags.push(self.mentions(|r| r.visit_expr_mut(init))),
        }
    }

    /// Binds `pat` with the flags [`Self::init_mentions`] pushed, in order.
    fn bind_init(
        &mut self,
        pat: &mut Pat,
        init: Option<&Expr>,
        flags: &mut impl Iterator<Item = bool>,
    ) {
        match (pat, init) {
            (Pat::Type(t), init) => self.bind_init(&mut t.pat, init, flags),
            (Pat::Paren(p), init) => self.bind_init(&mut p.pat, init, flags),
            (Pat::Tuple(p), Some(Expr::Tuple(e))) if p.elems.len() == e.elems.len() => {
                for (p, e) in p.elems.iter_mut().zip(&e.elems) {
                    self.bind_init(p, Some(e), flags);
                }
            }
            (pat, _) => {
                let traced = flags.next().unwrap_or(false);
                self.bind_pat(pat, traced);
            }
        }
    }

    /// Marks the bindings of a later `|` alternative like the first one's.
    fn mark_alternative(&mut self, pat: &mut Pat) {
        let mark = self.mark;
        let resolver = &*self;
        for_each_pat_ident(pat, &mut |pi| {
            if mark && resolver.is_traced_name(&pi.ident) && !is_marked(&pi.attrs) {
                pi.attrs.push(marker());
            }
        });
    }

    /// Shared by `=` and compound assignments: `left` becomes traced when
    /// `right` mentions a traced binding.
    fn assignment(&mut self, left: &mut Expr, right: &mut Expr) {
        let traced = self.mentions(|r| r.visit_expr_mut(right));
        self.visit_expr_mut(left);
        if traced
            && let Some(name) = place_base(left)
            && let Some(id) = self.lookup(name)
            && !self.traced[id]
        {
            self.traced[id] = true;
            self.changed = true;
        }
    }

    fn scan_tokens(&mut self, tokens: &TokenStream) {
        for tt in tokens.clone() {
            match tt {
                TokenTree::Ident(id) if self.is_traced_name(&id) => self.mentioned = true,
                TokenTree::Group(g) => self.scan_tokens(&g.stream()),
                _ => {}
            }
        }
    }
}

/// Whether a `PatIdent` introduces a binding rather than naming a unit
/// struct, variant or constant (`None`, `MAX`): by Rust naming convention,
/// a bare capitalised identifier is taken to be the latter.
fn is_binding(pi: &PatIdent) -> bool {
    pi.by_ref.is_some()
        || pi.mutability.is_some()
        || pi.subpat.is_some()
        || !pi.ident.to_string().starts_with(|c: char| c.is_uppercase())
}

fn for_each_pat_ident(pat: &mut Pat, f: &mut dyn FnMut(&mut PatIdent)) {
    struct Each<'a>(&'a mut dyn FnMut(&mut PatIdent));
    impl VisitMut for Each<'_> {
        fn visit_pat_ident_mut(&mut self, pi: &mut PatIdent) {
            (self.0)(pi);
            visit_mut::visit_pat_ident_mut(self, pi);
        }
        fn visit_expr_mut(&mut self, _: &mut Expr) {}
    }
    Each(f).visit_pat_mut(pat);
}

/// The variable a place expression writes through: `y`, `t.0`, `a[i]`, `(y)`.
pub fn place_base(place: &Expr) -> Option<&Ident> {
    match place {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident(),
        Expr::Field(f) => place_base(&f.base),
        Expr::Index(i) => place_base(&i.expr),
        Expr::Paren(p) => place_base(&p.expr),
        Expr::Group(g) => place_base(&g.expr),
        _ => None,
    }
}

/// Whether `op` is `+=`, `-=`, ... (an assignment to its left side).
pub fn is_compound_assign(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::AddAssign(_)
            | BinOp::SubAssign(_)
            | BinOp::MulAssign(_)
            | BinOp::DivAssign(_)
            | BinOp::RemAssign(_)
            | BinOp::BitXorAssign(_)
            | BinOp::BitAndAssign(_)
            | BinOp::BitOrAssign(_)
            | BinOp::ShlAssign(_)
            | BinOp::ShrAssign(_)
    )
}

impl VisitMut for Resolver {
    fn visit_block_mut(&mut self, block: &mut Block) {
        self.scoped(|r| visit_mut::visit_block_mut(r, block));
    }

    fn visit_local_mut(&mut self, local: &mut Local) {
        // The initialiser is walked before anything is bound, as Rust evaluates it.
        let mut flags = Vec::new();
        match &mut local.init {
            Some(init) => {
                self.init_mentions(&local.pat, &mut init.expr, &mut flags);
                if let Some((_, diverge)) = &mut init.diverge {
                    self.visit_expr_mut(diverge);
                }
            }
            None => flags.push(false),
        }
        let init = local.init.as_ref().map(|i| &*i.expr);
        self.bind_init(&mut local.pat, init, &mut flags.into_iter());
        if let Pat::Ident(pi) = &local.pat
            && pi.by_ref.is_none()
            && pi.mutability.is_none()
            && pi.subpat.is_none()
            && let Some(init) = &local.init
            && init.diverge.is_none()
            && let Some(id) = self.lookup(&pi.ident)
        {
            self.literal[id] = literal_expr_kind(&init.expr);
        }
    }

    fn visit_expr_closure_mut(&mut self, closure: &mut ExprClosure) {
        self.scoped(|r| {
            for input in &mut closure.inputs {
                r.bind_pat(input, true);
            }
            r.visit_expr_mut(&mut closure.body);
        });
    }

    fn visit_expr_for_loop_mut(&mut self, f: &mut ExprForLoop) {
        let traced = self.mentions(|r| r.visit_expr_mut(&mut f.expr));
        self.scoped(|r| {
            r.bind_pat(&mut f.pat, traced);
            r.visit_block_mut(&mut f.body);
        });
    }

    fn visit_expr_match_mut(&mut self, m: &mut ExprMatch) {
        let traced = self.mentions(|r| r.visit_expr_mut(&mut m.expr));
        for arm in &mut m.arms {
            self.scoped(|r| {
                r.bind_pat(&mut arm.pat, traced);
                if let Some((_, guard)) = &mut arm.guard {
                    r.visit_expr_mut(guard);
                }
                r.visit_expr_mut(&mut arm.body);
            });
        }
    }

    fn visit_expr_if_mut(&mut self, e: &mut ExprIf) {
        // `if let` bindings are visible in the condition's later parts and
        // the `then` branch only.
        self.scoped(|r| {
            r.visit_expr_mut(&mut e.cond);
            r.visit_block_mut(&mut e.then_branch);
        });
        if let Some((_, else_branch)) = &mut e.else_branch {
            self.visit_expr_mut(else_branch);
        }
    }

    fn visit_expr_while_mut(&mut self, e: &mut ExprWhile) {
        self.scoped(|r| {
            r.visit_expr_mut(&mut e.cond);
            r.visit_block_mut(&mut e.body);
        });
    }

    fn visit_expr_let_mut(&mut self, e: &mut ExprLet) {
        let traced = self.mentions(|r| r.visit_expr_mut(&mut e.expr));
        self.bind_pat(&mut e.pat, traced);
    }

    fn visit_expr_assign_mut(&mut self, e: &mut ExprAssign) {
        self.assignment(&mut e.left, &mut e.right);
    }

    fn visit_expr_binary_mut(&mut self, e: &mut ExprBinary) {
        if is_compound_assign(&e.op) {
            self.assignment(&mut e.left, &mut e.right);
        } else {
            visit_mut::visit_expr_binary_mut(self, e);
        }
    }

    fn visit_expr_path_mut(&mut self, e: &mut ExprPath) {
        let Some(id) = e
            .path
            .get_ident()
            .filter(|_| e.qself.is_none())
            .and_then(|name| self.lookup(name))
        else {
            return;
        };
        if self.traced[id] {
            self.mentioned = true;
            if self.mark && !is_marked(&e.attrs) {
                e.attrs.push(marker());
            }
        } else if let Some(kind) = self.literal[id]
            && self.mark
            && literal_use(e).is_none()
        {
            e.attrs.push(named_marker(kind.marker_name()));
        }
    }

    fn visit_expr_macro_mut(&mut self, e: &mut ExprMacro) {
        self.scan_tokens(&e.mac.tokens);
    }

    fn visit_stmt_macro_mut(&mut self, s: &mut StmtMacro) {
        self.scan_tokens(&s.mac.tokens);
    }

    fn visit_item_mut(&mut self, _: &mut Item) {}
}

/// Decides and marks the traced bindings of a function body; `params` are the
/// function's parameters with whether each is traced.
pub fn mark_fn_body(params: &[(Ident, bool)], body: &mut Block) {
    // The body's own block is the parameters' scope, as in Rust.
    Resolver::run(params, |r| {
        for stmt in &mut body.stmts {
            r.visit_stmt_mut(stmt);
        }
    });
}

/// Decides and marks the traced bindings of a `jit_fn!` closure, whose
/// parameters are all traced.
pub fn mark_closure(closure: &mut ExprClosure) {
    Resolver::run(&[], |r| r.visit_expr_closure_mut(closure));
}

/// Whether `expr` mentions a traced binding (outside nested items and macro
/// invocations). Valid only while markers are present.
pub fn is_traced(expr: &Expr) -> bool {
    struct Find(bool);
    impl Visit<'_> for Find {
        fn visit_expr_path(&mut self, e: &ExprPath) {
            self.0 |= is_marked(&e.attrs);
        }
        fn visit_item(&mut self, _: &Item) {}
        fn visit_expr(&mut self, e: &Expr) {
            if !self.0 {
                visit::visit_expr(self, e);
            }
        }
    }
    let mut find = Find(false);
    find.visit_expr(expr);
    find.0
}

/// Whether `pat` introduces a traced binding. Valid only while markers are present.
pub fn pat_is_traced(pat: &Pat) -> bool {
    struct Find(bool);
    impl Visit<'_> for Find {
        fn visit_pat_ident(&mut self, pi: &PatIdent) {
            self.0 |= is_marked(&pi.attrs);
            visit::visit_pat_ident(self, pi);
        }
        fn visit_expr(&mut self, _: &Expr) {}
    }
    let mut find = Find(false);
    find.visit_pat(pat);
    find.0
}

/// Removes every marker below `expr`.
pub fn strip_markers(expr: &mut Expr) {
    Strip.visit_expr_mut(expr);
}

/// Removes every marker below `block`.
pub fn strip_markers_block(block: &mut Block) {
    Strip.visit_block_mut(block);
}

struct Strip;

impl VisitMut for Strip {
    fn visit_expr_path_mut(&mut self, e: &mut ExprPath) {
        e.attrs.retain(|a| {
            ![MARKER, WEAK_FLOAT_MARKER, WEAK_INT_MARKER]
                .iter()
                .any(|m| a.path().is_ident(m))
        });
        visit_mut::visit_expr_path_mut(self, e);
    }

    fn visit_pat_ident_mut(&mut self, pi: &mut PatIdent) {
        pi.attrs.retain(|a| !a.path().is_ident(MARKER));
        visit_mut::visit_pat_ident_mut(self, pi);
    }
}
