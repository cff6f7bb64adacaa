//! [`Errors`]: the one collector of the compile errors a macro expansion
//! reports, so one compile shows every mistake instead of the first.
//!
//! It owns the errors pushed since it was created and nothing else: the
//! checks (`expand.rs`, `closure.rs`, `rules.rs`) push into it as they find
//! mistakes and keep going, and the caller turns them into one `syn::Error`
//! with [`Errors::check`] or [`Errors::finish`].
//!
//! **Invariants:** every error pushed is reported, in the order it was pushed
//! (rustc prints them in that order, which the UI tests pin). Dropping a
//! collector without `check` or `finish` would lose its errors silently; that
//! is a bug in the macro, so `Drop` panics (in the style of serde_derive's
//! `Ctxt`).

use std::cell::RefCell;
use std::fmt::Display;
use std::thread;

use proc_macro2::Span;

/// The errors of one expansion, in the order they were found.
///
/// Pushing takes `&self`, so a check can report through a shared reference
/// while it also reads the syntax it walks.
pub struct Errors {
    /// `None` once `check` or `finish` has taken the errors.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Errors {
    pub fn new() -> Self {
        Errors {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Reports `message` at `span`.
    pub fn error(&self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Reports `error` (all of its messages, if it combines several).
    pub fn push(&self, error: syn::Error) {
        self.errors
            .borrow_mut()
            .as_mut()
            .expect("no error is pushed after `check`")
            .push(error);
    }

    /// `result.ok()`, but its error is reported instead of dropped.
    pub fn ok<T>(&self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    /// Every error pushed, combined into one in order; `Ok` when there is none.
    pub fn check(self) -> syn::Result<()> {
        self.finish(Some(()))
    }

    /// `value` when no error was pushed, else every error combined in order.
    ///
    /// `value` is what the checks produced; `None` means one of them found
    /// a mistake, so it must come with an error (a `None` without one is a
    /// bug in the check, and panics rather than reporting nothing).
    pub fn finish<T>(self, value: Option<T>) -> syn::Result<T> {
        let errors = self
            .errors
            .borrow_mut()
            .take()
            .expect("`check` consumes the collector, so it runs once");
        let mut errors = errors.into_iter();
        match (errors.next(), value) {
            (None, Some(value)) => Ok(value),
            (Some(mut all), _) => {
                all.extend(errors);
                Err(all)
            }
            (None, None) => panic!("a check failed without reporting an error"),
        }
    }
}

impl Drop for Errors {
    fn drop(&mut self) {
        // Not while unwinding: a second panic would abort and hide the first.
        if !thread::panicking() && self.errors.get_mut().is_some() {
            panic!("`Errors` dropped without `check`: its errors would be lost");
        }
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::Span;

    use super::Errors;

    fn messages(e: syn::Error) -> Vec<String> {
        e.into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn nothing_pushed_is_ok() {
        assert!(Errors::new().check().is_ok());
        assert_eq!(Errors::new().finish(Some(3)).ok(), Some(3));
    }

    #[test]
    fn every_error_in_order() {
        let errors = Errors::new();
        errors.error(Span::call_site(), "first");
        let mut two = syn::Error::new(Span::call_site(), "second");
        two.combine(syn::Error::new(Span::call_site(), "third"));
        assert_eq!(errors.ok::<()>(Err(two)), None);
        assert_eq!(errors.ok(Ok(1)), Some(1));
        errors.error(Span::call_site(), "fourth");
        let all = errors.finish(Some(())).expect_err("errors were pushed");
        assert_eq!(messages(all), ["first", "second", "third", "fourth"]);
    }

    #[test]
    #[should_panic(expected = "without reporting an error")]
    fn a_failed_check_must_report() {
        let _ = Errors::new().finish(None::<()>);
    }

    #[test]
    #[should_panic(expected = "dropped without `check`")]
    fn dropping_unchecked_panics() {
        let errors = Errors::new();
        errors.error(Span::call_site(), "lost");
    }
}
