//! The traced graph: a jaxpr-like, typed, SSA program.
//!
//! Terms:
//! - A **value** ([`ValueId`]) is defined exactly once: as an input of a
//!   region, as a literal, or as an output of an equation. Every value has an
//!   abstract value ([`AVal`]: dtype, weak flag, shape).
//! - An **equation** ([`Eqn`]) applies one [`Op`] to input values and defines
//!   its output values, like a line of a jaxpr.
//! - A **region** ([`Region`]) is an ordered list of equations with inputs
//!   and results; the graph's body is one. Ops with sub-programs (`while`,
//!   `cond`) own nested regions, which are *closed*: they use only their own
//!   inputs, literals and values their own equations define.
//!
//! **Architecture Invariant:** values are numbered in one arena per graph,
//! and an equation only uses values defined before it (inputs, literals, or
//! earlier equations). `verify` checks this. Literals are values too, so
//! every operand is a `ValueId`; the printer shows literals inline, as JAX
//! does (`add 0.0:f32[] a`).

mod op;
mod printer;
mod verify;

pub use op::{Op, ReduceKind, dot_free_dims, reduction_stripes};
pub use printer::Jaxpr;
pub use verify::{VerifyError, verify};

use crate::dtype::Ty;
use crate::scalar::Scalar;

/// A value of a graph: an index into its value arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ValueId(pub u32);

impl ValueId {
    /// The arena index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The abstract value of a graph value: what is known while tracing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AVal {
    /// Dtype and weak flag.
    pub ty: Ty,
    /// The shape; empty for a scalar.
    pub shape: Vec<usize>,
}

/// `f32[2,3]`, with `~` in front when weakly typed, as error messages
/// show values.
impl std::fmt::Display for AVal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dims: Vec<String> = self.shape.iter().map(usize::to_string).collect();
        let weak = if self.ty.weak { "~" } else { "" };
        write!(f, "{weak}{}[{}]", self.ty.dtype, dims.join(","))
    }
}

impl AVal {
    /// A scalar of type `ty`.
    pub fn scalar(ty: Ty) -> AVal {
        AVal {
            ty,
            shape: Vec::new(),
        }
    }
}

/// Where a value comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueDef {
    /// An input of the region that owns it.
    Input,
    /// A constant.
    Literal(Scalar),
    /// An array constant (a Rust `Array` met while tracing), printed as
    /// one of the jaxpr's `constvars`.
    Const(crate::array::Array),
    /// Output `index` of an equation.
    Eqn,
}

/// A value's record in the arena.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueInfo {
    /// Its abstract value.
    pub aval: AVal,
    /// How it is defined.
    pub def: ValueDef,
}

/// One operation applied to values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Eqn {
    /// What it computes.
    pub op: Op,
    /// Its operands, in the op's documented order.
    pub inputs: Vec<ValueId>,
    /// The values it defines.
    pub outputs: Vec<ValueId>,
}

/// A straight-line list of equations with inputs and results.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Region {
    /// Values defined on entry.
    pub inputs: Vec<ValueId>,
    /// The equations, in execution order.
    pub eqns: Vec<Eqn>,
    /// The values the region returns.
    pub results: Vec<ValueId>,
}

/// A traced program: a value arena and its top-level region.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    /// Every value of every region.
    pub values: Vec<ValueInfo>,
    /// The program.
    pub body: Region,
}

impl Graph {
    /// Adds a value to the arena.
    pub fn new_value(&mut self, aval: AVal, def: ValueDef) -> ValueId {
        let id = ValueId(u32::try_from(self.values.len()).expect("fewer than 2^32 values"));
        self.values.push(ValueInfo { aval, def });
        id
    }

    /// Adds an input to the top-level region.
    pub fn add_input(&mut self, aval: AVal) -> ValueId {
        let id = self.new_value(aval, ValueDef::Input);
        self.body.inputs.push(id);
        id
    }

    /// Adds a literal.
    pub fn literal(&mut self, value: Scalar, weak: bool) -> ValueId {
        let ty = Ty {
            dtype: value.dtype(),
            weak,
        };
        self.new_value(AVal::scalar(ty), ValueDef::Literal(value))
    }

    /// Appends `op(inputs)` to the top-level region, defining one output per
    /// aval.
    pub fn push_eqn(&mut self, op: Op, inputs: Vec<ValueId>, outputs: Vec<AVal>) -> Vec<ValueId> {
        let outputs: Vec<ValueId> = outputs
            .into_iter()
            .map(|aval| self.new_value(aval, ValueDef::Eqn))
            .collect();
        self.body.eqns.push(Eqn {
            op,
            inputs,
            outputs: outputs.clone(),
        });
        outputs
    }

    /// The abstract value of `v`.
    pub fn aval(&self, v: ValueId) -> &AVal {
        &self.values[v.index()].aval
    }

    /// Adds an array constant (an array of at least one dimension; a
    /// scalar is a [`Graph::literal`]).
    pub fn array_const(&mut self, value: crate::array::Array) -> ValueId {
        let aval = AVal {
            ty: value.ty(),
            shape: value.shape().to_vec(),
        };
        self.new_value(aval, ValueDef::Const(value))
    }

    /// The literal `v` holds, if it is one.
    pub fn literal_value(&self, v: ValueId) -> Option<Scalar> {
        match self.values[v.index()].def {
            ValueDef::Literal(s) => Some(s),
            _ => None,
        }
    }
}
