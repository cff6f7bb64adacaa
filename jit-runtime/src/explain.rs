//! Why a function compiled again: the explanation of a cache miss.
//!
//! Terms:
//! - a *signature* is what a specialisation was compiled for: one entry per
//!   parameter, `(name, text)`, where the text of a traced argument is its
//!   dtype and shape (`f32` for a scalar, `f32[3]` for an array, a
//!   parenthesised list of leaves for a pytree) and the text of a static
//!   argument its value (`Debug`), then the ISA level.
//! - the *explanation* of a compile after a function's first names every
//!   entry that differs from the closest signature compiled before (the one
//!   with the fewest differences; the latest of equals), `name: old -> new`,
//!   joined by `, `; a compile whose signature was compiled before (after
//!   `clear_cache`) says so.
//!
//! JAX users ask for this most (`jax.config.explain_cache_misses`): a
//! function that recompiles on every call is slow for a reason the call
//! site cannot see.

use std::fmt::Write;

/// What one specialisation was compiled for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Signature(pub(crate) Vec<(String, String)>);

impl Signature {
    /// The entries of `self` that differ from `before`, as `name: old -> new`.
    fn changes_from(&self, before: &Signature) -> Vec<String> {
        let mut changes = Vec::new();
        for (k, (name, now)) in self.0.iter().enumerate() {
            match before.0.get(k) {
                Some((_, then)) if then == now => {}
                Some((_, then)) => changes.push(format!("{name}: {then} -> {now}")),
                None => changes.push(format!("{name}: new, {now}")),
            }
        }
        changes
    }
}

/// The signatures a function compiled, and the explanations of its misses.
#[derive(Debug, Default)]
pub(crate) struct History {
    seen: Vec<Signature>,
    misses: Vec<String>,
}

impl History {
    /// An empty history.
    pub(crate) const fn new() -> History {
        History {
            seen: Vec::new(),
            misses: Vec::new(),
        }
    }

    /// Records a compile for `signature`; returns its explanation unless it
    /// is the function's first.
    pub(crate) fn record(&mut self, signature: Signature) -> Option<String> {
        let closest = self
            .seen
            .iter()
            .rev()
            .map(|s| signature.changes_from(s))
            .min_by_key(Vec::len);
        if !self.seen.contains(&signature) {
            self.seen.push(signature);
        }
        let closest = closest?;
        let why = if closest.is_empty() {
            "the same signature as an earlier specialisation (the cache was cleared)".to_owned()
        } else {
            closest.join(", ")
        };
        self.misses.push(why.clone());
        Some(why)
    }

    /// Every explanation so far, in order.
    pub(crate) fn misses(&self) -> &[String] {
        &self.misses
    }
}

impl History {
    /// Records the first signature (see [`History::record`]).
    #[cfg(test)]
    fn first(signature: Signature) -> History {
        History {
            seen: vec![signature],
            misses: Vec::new(),
        }
    }
}

/// The text of a traced argument whose leaves have these abstract values.
pub(crate) fn describe_leaves(leaves: &[crate::ir::AVal]) -> String {
    let leaf = |a: &crate::ir::AVal| {
        let mut text = a.ty.dtype.to_string();
        if !a.shape.is_empty() {
            let dims: Vec<String> = a.shape.iter().map(usize::to_string).collect();
            let _ = write!(text, "[{}]", dims.join(","));
        }
        text
    };
    match leaves {
        [one] => leaf(one),
        many => {
            let parts: Vec<String> = many.iter().map(leaf).collect();
            format!("({})", parts.join(", "))
        }
    }
}

/// A static argument's text: its `Debug` form, or for a type without one
/// its name and hash. Called as `(&&Describe(&value)).describe()`: method lookup
/// picks [`DescribeDebug`] (on `&Describe`) when the type is `Debug`, else
/// [`DescribeOther`] (on `Describe`, one auto-deref further).
pub struct Describe<'a, T>(pub &'a T);

/// See [`Describe`].
pub trait DescribeDebug {
    /// The value's `Debug` text.
    fn describe(&self) -> String;
}

impl<T: std::fmt::Debug> DescribeDebug for &Describe<'_, T> {
    fn describe(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// See [`Describe`].
pub trait DescribeOther {
    /// The type's name and the value's hash (static arguments are `Hash`),
    /// so that two values still read differently.
    fn describe(&self) -> String;
}

impl<T: std::hash::Hash> DescribeOther for Describe<'_, T> {
    fn describe(&self) -> String {
        use std::hash::{DefaultHasher, Hasher};
        let mut hasher = DefaultHasher::new();
        self.0.hash(&mut hasher);
        let name = std::any::type_name::<T>();
        let name = name.rsplit("::").next().unwrap_or(name);
        format!("{name} with hash {:016x}", hasher.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(entries: &[(&str, &str)]) -> Signature {
        Signature(
            entries
                .iter()
                .map(|&(n, t)| (n.to_owned(), t.to_owned()))
                .collect(),
        )
    }

    #[test]
    fn a_miss_names_what_changed_against_the_closest_signature() {
        let mut h = History::first(sig(&[
            ("x", "f32[3]"),
            ("n", "10"),
            ("ISA level", "native"),
        ]));
        assert_eq!(
            h.record(sig(&[
                ("x", "f32[3]"),
                ("n", "11"),
                ("ISA level", "native")
            ])),
            Some("n: 10 -> 11".to_owned())
        );
        // Closest is the second signature: only `x` differs from it.
        assert_eq!(
            h.record(sig(&[
                ("x", "f64[3]"),
                ("n", "11"),
                ("ISA level", "native")
            ])),
            Some("x: f32[3] -> f64[3]".to_owned())
        );
        assert_eq!(
            h.record(sig(&[
                ("x", "f32[4]"),
                ("n", "12"),
                ("ISA level", "baseline")
            ])),
            // Three changes from each earlier signature: the latest is named.
            Some("x: f64[3] -> f32[4], n: 11 -> 12, ISA level: native -> baseline".to_owned())
        );
        assert_eq!(h.misses().len(), 3);
    }

    #[test]
    #[expect(clippy::needless_borrow, reason = "the borrows choose the impl")]
    fn static_arguments_print_with_debug_or_a_placeholder() {
        #[derive(Hash)]
        struct Opaque;
        assert_eq!((&&Describe(&3usize)).describe(), "3");
        assert_eq!((&&Describe(&"a")).describe(), "\"a\"");
        assert!((&&Describe(&Opaque)).describe().contains("Opaque"));
    }
}
