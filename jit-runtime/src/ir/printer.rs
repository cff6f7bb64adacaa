//! Prints a graph in JAX's jaxpr text form.
//!
//! `{ lambda ; a:f32[]. let b:f32[] = sin a ... in (d,) }`, one equation a
//! line as `jax.make_jaxpr` prints them. Values get names in order of
//! definition (`a`..`z`, `ba`, `bb`, ...); literals print inline as
//! `2.0:f32[]`.

use super::{Graph, Op, ValueDef, ValueId};
use std::collections::HashMap;
use std::fmt::{self, Write};

/// A traced program as `make_jaxpr` returns it; `Display` prints it in
/// JAX's style.
#[derive(Clone, Debug, PartialEq)]
pub struct Jaxpr {
    graph: Graph,
}

impl Jaxpr {
    /// Wraps a graph for printing.
    pub fn new(graph: Graph) -> Jaxpr {
        Jaxpr { graph }
    }

    /// The graph.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }
}

/// JAX's variable names: 0 -> `a`, 25 -> `z`, 26 -> `ba`.
fn name_of(mut n: usize) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).expect("ascii")
}

struct Names<'g> {
    graph: &'g Graph,
    names: HashMap<ValueId, String>,
}

impl Names<'_> {
    fn define(&mut self, v: ValueId) -> String {
        let name = name_of(self.names.len());
        self.names.insert(v, name.clone());
        format!("{name}:{}", type_text(self.graph, v))
    }

    fn operand(&self, v: ValueId) -> String {
        match &self.graph.values[v.index()].def {
            ValueDef::Literal(s) => format!("{s}:{}", type_text(self.graph, v)),
            _ => self
                .names
                .get(&v)
                .cloned()
                .unwrap_or_else(|| format!("?{}", v.0)),
        }
    }
}

fn type_text(graph: &Graph, v: ValueId) -> String {
    let aval = graph.aval(v);
    let dims: Vec<String> = aval.shape.iter().map(usize::to_string).collect();
    format!("{}[{}]", aval.ty.dtype, dims.join(","))
}

fn params_text(op: &Op) -> String {
    match op {
        Op::Convert { new_dtype, weak } => format!(
            "[new_dtype={} weak_type={}]",
            new_dtype.numpy_name(),
            if *weak { "True" } else { "False" }
        ),
        Op::DebugPrint { format } => format!("[format={format:?}]"),
        _ => String::new(),
    }
}

impl fmt::Display for Jaxpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let graph = &self.graph;
        let mut names = Names {
            graph,
            names: HashMap::new(),
        };
        let inputs: Vec<String> = graph.body.inputs.iter().map(|&v| names.define(v)).collect();
        let mut lines = Vec::new();
        for eqn in &graph.body.eqns {
            let mut line = String::new();
            let outs: Vec<String> = eqn.outputs.iter().map(|&v| names.define(v)).collect();
            if !outs.is_empty() {
                write!(line, "{} = ", outs.join(" "))?;
            }
            write!(line, "{}{}", eqn.op.name(), params_text(&eqn.op))?;
            for &input in &eqn.inputs {
                write!(line, " {}", names.operand(input))?;
            }
            lines.push(line);
        }
        let results: Vec<String> = graph
            .body
            .results
            .iter()
            .map(|&v| names.operand(v))
            .collect();
        let results = if results.len() == 1 {
            format!("({},)", results[0])
        } else {
            format!("({})", results.join(", "))
        };
        write!(f, "{{ lambda ; {}. let", inputs.join(" "))?;
        if lines.is_empty() {
            return write!(f, "  in {results} }}");
        }
        for line in lines {
            write!(f, "\n    {line}")?;
        }
        write!(f, "\n  in {results} }}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::{DType, Ty};
    use crate::ir::AVal;
    use crate::scalar::Scalar;

    #[test]
    fn names_follow_jax() {
        assert_eq!(name_of(0), "a");
        assert_eq!(name_of(25), "z");
        assert_eq!(name_of(26), "ba");
    }

    #[test]
    fn prints_like_make_jaxpr() {
        let f32 = AVal::scalar(Ty::strong(DType::F32));
        let mut g = Graph::default();
        let a = g.add_input(f32.clone());
        let zero = g.literal(Scalar::F32(0.0), false);
        let b = g.push_eqn(Op::Add, vec![zero, a], vec![f32.clone()])[0];
        let c = g.push_eqn(Op::Add, vec![b, a], vec![f32])[0];
        g.body.results.push(c);
        assert_eq!(
            Jaxpr::new(g).to_string(),
            "{ lambda ; a:f32[]. let\n    b:f32[] = add 0.0:f32[] a\n    c:f32[] = add b a\n  in (c,) }"
        );
    }
}
