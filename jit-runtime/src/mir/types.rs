//! Scalar types and entity indices of the MIR.
//!
//! Terms:
//! - [`Ty`]: the six scalar types a MIR value can have, three *vector*
//!   types of 128 bits (`F32x4`, `F64x2`, `I64x2`: lanes of one type, lane 0
//!   at the lowest address in memory) and their three *wide* 256-bit
//!   counterparts (`F32x8`, `F64x4`, `I64x4`), which only a target with
//!   256-bit registers compiles (x86-64 with AVX2 at the native level; see
//!   `backend::vector_bits`). Integers and `Bool` live in
//!   general-purpose registers ([`RegClass::Int`]), floats and vectors in
//!   vector registers ([`RegClass::Float`]); a scalar float occupies lane 0
//!   of its register.
//! - *mask*: the result of a vector comparison, a vector of the compared
//!   type whose lanes are all ones (true) or all zeros (false).
//! - [`Value`]: an SSA virtual register. Each value is defined exactly once,
//!   either by an instruction or as a block parameter, and has one [`Ty`].
//! - [`Block`]: a basic block of a [`super::Function`].
//!
//! Invariant: a value of a 32-bit type (`I32`, `U32`) or `Bool` holds its bits
//! in the low 32 bits of its 64-bit slot; the evaluator keeps the upper bits
//! zero, and `Bool` is always 0 or 1.

use std::fmt;

/// A scalar type of the MIR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// Signed 32-bit integer, wrapping arithmetic.
    I32,
    /// Unsigned 32-bit integer, wrapping arithmetic.
    U32,
    /// Signed 64-bit integer, wrapping arithmetic.
    I64,
    /// IEEE 754 binary32.
    F32,
    /// IEEE 754 binary64.
    F64,
    /// 0 or 1, held in an integer register.
    Bool,
    /// Four `F32` lanes (128 bits).
    F32x4,
    /// Two `F64` lanes (128 bits).
    F64x2,
    /// Two `I64` lanes (128 bits): bit patterns of `F64x2` lanes and
    /// integers the math library computes with.
    I64x2,
    // 256-bit vectors.
    /// Eight `F32` lanes (256 bits).
    F32x8,
    /// Four `F64` lanes (256 bits).
    F64x4,
    /// Four `I64` lanes (256 bits), as `I64x2` is to `F64x2`.
    I64x4,
}

impl Ty {
    /// Every type, in declaration order (handy for exhaustive tests).
    #[cfg(test)]
    pub const ALL: [Ty; 6] = [Ty::I32, Ty::U32, Ty::I64, Ty::F32, Ty::F64, Ty::Bool];

    /// The register class a value of this type lives in.
    pub fn class(self) -> RegClass {
        if self.is_float() || self.is_vector() {
            RegClass::Float
        } else {
            RegClass::Int
        }
    }

    /// `F32` or `F64`.
    pub fn is_float(self) -> bool {
        matches!(self, Ty::F32 | Ty::F64)
    }

    /// A vector type, of 128 or 256 bits.
    pub fn is_vector(self) -> bool {
        matches!(
            self,
            Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4
        )
    }

    /// A 256-bit vector type (`F32x8`, `F64x4`, `I64x4`).
    pub fn is_wide(self) -> bool {
        matches!(self, Ty::F32x8 | Ty::F64x4 | Ty::I64x4)
    }

    /// The vector of `bits` bits (128 or 256) of `F32`, `F64` or `I64`
    /// lanes: the lowering asks for the widest its target has
    /// (`backend::vector_bits`).
    pub fn vector_of_width(lane: Ty, bits: u32) -> Option<Ty> {
        match (lane, bits) {
            (_, 128) => Ty::vector_of(lane),
            (Ty::F32, 256) => Some(Ty::F32x8),
            (Ty::F64, 256) => Some(Ty::F64x4),
            (Ty::I64, 256) => Some(Ty::I64x4),
            _ => None,
        }
    }

    /// The type of one lane: the type itself for a scalar.
    pub fn lane(self) -> Ty {
        match self {
            Ty::F32x4 | Ty::F32x8 => Ty::F32,
            Ty::F64x2 | Ty::F64x4 => Ty::F64,
            Ty::I64x2 | Ty::I64x4 => Ty::I64,
            t => t,
        }
    }

    /// Lanes of a vector type; 1 for a scalar.
    pub fn lanes(self) -> u32 {
        match self {
            Ty::F32x8 => 8,
            Ty::F32x4 | Ty::F64x4 | Ty::I64x4 => 4,
            Ty::F64x2 | Ty::I64x2 => 2,
            _ => 1,
        }
    }

    /// The 128-bit vector of `F32`, `F64` or `I64` lanes.
    pub fn vector_of(lane: Ty) -> Option<Ty> {
        match lane {
            Ty::F32 => Some(Ty::F32x4),
            Ty::F64 => Some(Ty::F64x2),
            Ty::I64 => Some(Ty::I64x2),
            _ => None,
        }
    }

    /// `I32`, `U32` or `I64` (not `Bool`).
    pub fn is_int(self) -> bool {
        matches!(self, Ty::I32 | Ty::U32 | Ty::I64)
    }

    /// `I32` or `I64`.
    pub fn is_signed(self) -> bool {
        matches!(self, Ty::I32 | Ty::I64)
    }

    #[cfg(test)]
    /// Bytes of one element of this type in memory ([`super::Inst::Load`],
    /// [`super::Inst::Store`]): `Bool` 1 (the byte 0 or 1), 32-bit types
    /// 4, 64-bit types 8.
    pub fn size_of(self) -> u32 {
        match self {
            Ty::Bool => 1,
            Ty::I32 | Ty::U32 | Ty::F32 => 4,
            Ty::I64 | Ty::F64 => 8,
            Ty::F32x4 | Ty::F64x2 | Ty::I64x2 => 16,
            Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => 32,
        }
    }

    /// Width of the value in bits (`Bool` counts as 32: it is held in a 32-bit register).
    pub fn bits(self) -> u32 {
        match self {
            Ty::I64 | Ty::F64 => 64,
            Ty::F32x4 | Ty::F64x2 | Ty::I64x2 => 128,
            Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => 256,
            _ => 32,
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Ty::I32 => "i32",
            Ty::U32 => "u32",
            Ty::I64 => "i64",
            Ty::F32 => "f32",
            Ty::F64 => "f64",
            Ty::Bool => "bool",
            Ty::F32x4 => "f32x4",
            Ty::F64x2 => "f64x2",
            Ty::I64x2 => "i64x2",
            Ty::F32x8 => "f32x8",
            Ty::F64x4 => "f64x4",
            Ty::I64x4 => "i64x4",
        };
        f.write_str(s)
    }
}

/// Which kind of physical register holds a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegClass {
    /// General-purpose registers.
    Int,
    /// Floating-point / vector registers.
    Float,
}

/// An SSA value (virtual register), an index into [`super::Function::values`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Value(pub u32);

impl Value {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// A basic block, an index into [`super::Function::blocks`]. Block 0 is the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Block(pub u32);

impl Block {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b{}", self.0)
    }
}
