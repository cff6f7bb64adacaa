//! Placeholder.
pub(super) type Sample = (&'static str, fn(f64) -> f64, &'static [[u64; 3]]);
pub(super) static SAMPLES: &[Sample] = &[];
