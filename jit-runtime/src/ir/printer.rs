//! Prints a graph in JAX's jaxpr text form.
//!
//! `{ lambda ; a:f32[]. let b:f32[] = sin a ... in (d,) }`, one equation a
//! line as `jax.make_jaxpr` prints them. Values get names in order of
//! definition (`a`..`z`, `ba`, `bb`, ...); literals print inline as
//! `2.0:f32[]`. Loops and branches print their regions nested, as JAX does
//! (`while[body_jaxpr={ .. } body_nconsts=1 cond_jaxpr={ .. } ..]`,
//! `cond[branches=( .. )]`); their unused outputs print as `_`.

use super::{Eqn, Graph, Op, Region, ValueDef, ValueId};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// A traced program as `make_jaxpr` returns it; `Display` prints it in
/// JAX's style.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn fori(x: f32, n: i32) -> f32 {
///     lax::fori_loop(0, n, |_i, y| y + x, 0.0)
/// }
///
/// # fn main() {
/// let jaxpr = fori::make_jaxpr(2.0, 10).to_string();
/// assert!(jaxpr.starts_with("{ lambda ; a:f32[] b:i32[]. let"));
/// assert!(jaxpr.contains("while")); // one staged loop, as JAX's fori_loop
/// # }
/// ```
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
    used: HashSet<ValueId>,
}

impl Names<'_> {
    fn define(&mut self, v: ValueId) -> String {
        let name = name_of(self.names.len());
        self.names.insert(v, name.clone());
        format!("{name}:{}", type_text(self.graph, v))
    }

    /// An output of an equation with regions: `_` when nothing uses it, as
    /// JAX prints dropped outputs of loops and branches.
    fn define_output(&mut self, v: ValueId) -> String {
        if self.used.contains(&v) {
            self.define(v)
        } else {
            format!("_:{}", type_text(self.graph, v))
        }
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

    /// One equation; `indent` is the column it starts at (continuation
    /// lines of nested regions are indented from there).
    fn eqn(&mut self, eqn: &Eqn, indent: usize) -> String {
        let mut line = String::new();
        let outs: Vec<String> = if eqn.op.has_regions() {
            eqn.outputs.iter().map(|&v| self.define_output(v)).collect()
        } else {
            eqn.outputs.iter().map(|&v| self.define(v)).collect()
        };
        if !outs.is_empty() {
            line.push_str(&outs.join(" "));
            line.push_str(" = ");
        }
        line.push_str(eqn.op.name());
        let pad = " ".repeat(indent + 2);
        match &eqn.op {
            Op::While {
                cond,
                body,
                cond_nconsts,
                body_nconsts,
            } => {
                let body = self.region(body, indent + 2, false);
                let cond = self.region(cond, indent + 2, false);
                line.push_str(&format!(
                    "[\n{pad}body_jaxpr={body}\n{pad}body_nconsts={body_nconsts}\n{pad}cond_jaxpr={cond}\n{pad}cond_nconsts={cond_nconsts}\n{}]",
                    " ".repeat(indent)
                ));
            }
            Op::Scan {
                body,
                length,
                num_consts,
                num_carry,
            } => {
                let body = self.region(body, indent + 2, false);
                line.push_str(&format!(
                    "[\n{pad}jaxpr={body}\n{pad}length={length}\n{pad}num_carry={num_carry}\n{pad}num_consts={num_consts}\n{pad}reverse=False\n{pad}unroll=1\n{}]",
                    " ".repeat(indent)
                ));
            }
            Op::Cond { branches } => {
                let inner = " ".repeat(indent + 4);
                let texts: Vec<String> = branches
                    .iter()
                    .map(|b| format!("{inner}{}", self.region(b, indent + 4, true)))
                    .collect();
                line.push_str(&format!(
                    "[\n{pad}branches=(\n{}\n{pad})\n{}]",
                    texts.join("\n"),
                    " ".repeat(indent)
                ));
            }
            op => {
                let mut params = params(op);
                if let Op::DotGeneral { .. } = op {
                    let dtype = self.graph.aval(eqn.outputs[0]).ty.dtype;
                    if let Some(last) = params.last_mut() {
                        last.push_str(dtype.numpy_name());
                    }
                }
                let mut args = String::new();
                for &input in &eqn.inputs {
                    args.push(' ');
                    args.push_str(&self.operand(input));
                }
                if params.is_empty() {
                    line.push_str(&args);
                    return line;
                }
                let flat = format!("{line}[{}]{args}", params.join(" "));
                // JAX breaks the parameters onto their own lines when the
                // equation does not fit in 80 columns.
                if indent + flat.len() <= 80 {
                    return flat;
                }
                line.push('[');
                for p in params {
                    line.push('\n');
                    line.push_str(&pad);
                    line.push_str(&p);
                }
                line.push('\n');
                line.push_str(&" ".repeat(indent));
                line.push(']');
                line.push_str(&args);
                return line;
            }
        }
        for &input in &eqn.inputs {
            line.push(' ');
            line.push_str(&self.operand(input));
        }
        line
    }

    /// `{ lambda ; inputs. let ... in (results) }`; equations at `indent + 4`,
    /// `in` at `indent + 2`. With `one_line`, short regions print on one line.
    fn region(&mut self, region: &Region, indent: usize, one_line: bool) -> String {
        let inputs: Vec<String> = region.inputs.iter().map(|&v| self.define(v)).collect();
        let eqns: Vec<String> = region
            .eqns
            .iter()
            .map(|e| self.eqn(e, indent + 4))
            .collect();
        let results: Vec<String> = region.results.iter().map(|&v| self.operand(v)).collect();
        let results = if results.len() == 1 {
            format!("({},)", results[0])
        } else {
            format!("({})", results.join(", "))
        };
        let head = format!("{{ lambda ; {}. let", inputs.join(" "));
        let flat = format!("{head} {} in {results} }}", eqns.join("  "));
        // JAX prints a short region on one line: a nested one (a loop body, a
        // branch) when it fits, the function itself when it has one equation
        // and fits in 80 columns.
        let top = indent == 0 && !one_line;
        let fits = if one_line {
            flat.len() <= 72
        } else {
            top && eqns.len() == 1 && flat.len() <= 80
        };
        if eqns.is_empty() || (fits && !flat.contains('\n')) {
            return flat;
        }
        let mut text = head;
        for e in eqns {
            text.push('\n');
            text.push_str(&" ".repeat(indent + 4));
            text.push_str(&e);
        }
        text.push('\n');
        text.push_str(&" ".repeat(indent + 2));
        text.push_str(&format!("in {results} }}"));
        text
    }
}

fn type_text(graph: &Graph, v: ValueId) -> String {
    let aval = graph.aval(v);
    let dims: Vec<String> = aval.shape.iter().map(usize::to_string).collect();
    format!("{}[{}]", aval.ty.dtype, dims.join(","))
}

/// `(1, 2)`, `(0,)`, `()`: a Python tuple of numbers.
fn tuple_text(items: &[usize]) -> String {
    match items {
        [one] => format!("({one},)"),
        _ => {
            let items: Vec<String> = items.iter().map(usize::to_string).collect();
            format!("({})", items.join(", "))
        }
    }
}

/// `[1, 2]`: a Python list of numbers.
fn list_text(items: &[usize]) -> String {
    let items: Vec<String> = items.iter().map(usize::to_string).collect();
    format!("[{}]", items.join(", "))
}

/// The parameters of an op as JAX names and prints them, without brackets,
/// one `name=value` an item.
fn params(op: &Op) -> Vec<String> {
    match op {
        Op::Convert { new_dtype, weak } => vec![
            format!("new_dtype={}", new_dtype.numpy_name()),
            format!("weak_type={}", if *weak { "True" } else { "False" }),
        ],
        Op::DebugPrint { format } => vec![format!("format={format:?}")],
        // Rust semantics.
        Op::BitcastConvertType { new_dtype } => {
            vec![format!("new_dtype={}", new_dtype.numpy_name())]
        }
        // JAX omits empty broadcast dimensions (a scalar broadcast).
        Op::BroadcastInDim {
            broadcast_dimensions,
            ..
        } if broadcast_dimensions.is_empty() => Vec::new(),
        Op::BroadcastInDim {
            broadcast_dimensions,
            ..
        } => vec![format!(
            "broadcast_dimensions={}",
            tuple_text(broadcast_dimensions)
        )],
        Op::Reshape { new_sizes } => vec![
            "dimensions=None".to_owned(),
            format!("new_sizes={}", tuple_text(new_sizes)),
            "sharding=None".to_owned(),
        ],
        Op::Transpose { permutation } => vec![format!("permutation={}", tuple_text(permutation))],
        Op::Reduce { kind, axes } => {
            let mut p = vec![format!("axes={}", tuple_text(axes))];
            if *kind == super::ReduceKind::Sum {
                p.push("out_sharding=None".to_owned());
            }
            p
        }
        Op::ArgReduce {
            axis, index_dtype, ..
        } => vec![
            format!("axes={}", tuple_text(&[*axis])),
            format!("index_dtype={}", index_dtype.numpy_name()),
        ],
        Op::DotGeneral { contracting, batch } => vec![
            format!(
                "dimension_numbers=(({}, {}), ({}, {}))",
                list_text(&contracting.0),
                list_text(&contracting.1),
                list_text(&batch.0),
                list_text(&batch.1)
            ),
            // The dtype of the operands, as JAX records it.
            "preferred_element_type=".to_owned(),
        ],
        Op::Iota {
            dtype,
            shape,
            dimension,
        } => vec![
            format!("dimension={dimension}"),
            format!("dtype={}", dtype.numpy_name()),
            format!("shape={}", tuple_text(shape)),
            "sharding=None".to_owned(),
        ],
        Op::Slice {
            start_indices,
            limit_indices,
        } => vec![
            format!("limit_indices={}", tuple_text(limit_indices)),
            format!("start_indices={}", tuple_text(start_indices)),
            "strides=None".to_owned(),
        ],
        Op::Squeeze { dimensions } => vec![format!("dimensions={}", tuple_text(dimensions))],
        Op::Concatenate { dimension } => vec![format!("dimension={dimension}")],
        Op::DynamicSlice { slice_sizes } => {
            vec![format!("slice_sizes={}", tuple_text(slice_sizes))]
        }
        _ => Vec::new(),
    }
}

/// Every value some equation or region result uses, in every region.
fn used_values(region: &Region, used: &mut HashSet<ValueId>) {
    used.extend(region.results.iter().copied());
    for eqn in &region.eqns {
        used.extend(eqn.inputs.iter().copied());
        for r in eqn.op.regions() {
            used_values(r, used);
        }
    }
}

impl fmt::Display for Jaxpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let graph = &self.graph;
        let mut used = HashSet::new();
        used_values(&graph.body, &mut used);
        let mut names = Names {
            graph,
            names: HashMap::new(),
            used,
        };
        // Array constants are the jaxpr's `constvars`, named first.
        let consts: Vec<String> = (0..graph.values.len())
            .map(|i| ValueId(i as u32))
            .filter(|&v| matches!(graph.values[v.index()].def, ValueDef::Const(_)))
            .map(|v| names.define(v))
            .collect();
        let text = names.region(&graph.body, 0, false);
        match consts.is_empty() {
            true => f.write_str(&text),
            false => f.write_str(&text.replacen(
                "{ lambda ;",
                &format!("{{ lambda {};", consts.join(" ")),
                1,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::{DType, Ty};
    use crate::ir::AVal;
    use crate::scalar::Scalar;
    use expect_test::expect;

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
        expect![[r#"
            { lambda ; a:f32[]. let
                b:f32[] = add 0.0:f32[] a
                c:f32[] = add b a
              in (c,) }"#]]
        .assert_eq(&Jaxpr::new(g).to_string());
    }
}
