//! Results flattened to scalars and compared by bits: what the tests that
//! hold a traced program to a plain-Rust reference share. Included with
//! `#[path = "support/flat.rs"] mod flat;` (or the path from the including
//! file's directory).

use jit::Element;
use jit::scalar::Scalar;

/// A result flattened to scalars, for comparing bits.
pub(crate) trait Flat {
    fn flat(&self, out: &mut Vec<Scalar>);
}

macro_rules! flat_scalar {
    ($($t:ty),*) => {$(
        impl Flat for $t {
            fn flat(&self, out: &mut Vec<Scalar>) {
                out.push(self.to_scalar());
            }
        }
    )*};
}
flat_scalar!(f32, f64, i32, i64, u32, bool);

macro_rules! flat_tuple {
    ($($T:ident $i:tt),+) => {
        impl<$($T: Flat),+> Flat for ($($T,)+) {
            fn flat(&self, out: &mut Vec<Scalar>) {
                $(self.$i.flat(out);)+
            }
        }
    };
}
flat_tuple!(A 0, B 1);
flat_tuple!(A 0, B 1, C 2);
flat_tuple!(A 0, B 1, C 2, D 3);
flat_tuple!(A 0, B 1, C 2, D 3, E 4);
flat_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
flat_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
flat_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

pub(crate) fn scalars(value: &impl Flat) -> Vec<Scalar> {
    let mut out = Vec::new();
    value.flat(&mut out);
    out
}

pub(crate) fn expect_same(program: &str, path: &str, got: &[Scalar], want: &[Scalar]) {
    let same = got.len() == want.len() && got.iter().zip(want).all(|(g, w)| g.same_bits(*w));
    assert!(
        same,
        "{program} through {path}:\n got  {got:?}\n want {want:?}"
    );
}
