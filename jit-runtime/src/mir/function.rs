//! A MIR function: values, blocks and a flat instruction list.
//!
//! Invariants (established by [`super::Builder::finish`]):
//! - block 0 is the entry and has no parameters;
//! - each block's instructions are a contiguous range of [`Function::insts`],
//!   block `i + 1` starting where block `i` ends; the last instruction of each
//!   block is its only terminator;
//! - every value is defined once (by an instruction or as a block parameter)
//!   and has the type recorded in [`Function::values`];
//! - block calls pass one value per parameter, of the parameter's type.
//!
//! Conditions the register allocator adds (checked there): a use is dominated
//! by its definition, and there are no critical edges (an edge from a block
//! with two successors to a block with two predecessors needs a block of its
//! own in between).

use std::fmt;
use std::ops::Range;

use super::inst::Inst;
use super::types::{Block, Ty, Value};

/// One basic block.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockData {
    /// Block parameters (SSA values defined on entry).
    pub params: Vec<Value>,
    /// Indices of this block's instructions in [`Function::insts`].
    pub insts: Range<u32>,
}

/// A function in MIR form, ready for register allocation.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// Name, for printing.
    pub name: String,
    /// The type of every value, indexed by [`Value`].
    pub values: Vec<Ty>,
    /// The blocks, entry first.
    pub blocks: Vec<BlockData>,
    /// All instructions, grouped by block.
    pub insts: Vec<Inst>,
    /// Number of argument slots read (one more than the highest `Arg` slot).
    pub num_args: usize,
    /// Number of result slots written (one more than the highest `StoreResult` slot).
    pub num_results: usize,
}

impl Function {
    /// The type of a value.
    pub fn ty(&self, v: Value) -> Ty {
        self.values[v.index()]
    }

    /// The instructions of a block.
    pub fn block_insts(&self, b: Block) -> &[Inst] {
        let r = &self.blocks[b.index()].insts;
        &self.insts[r.start as usize..r.end as usize]
    }

    /// Per value: whether it is the result of a `Cmp` whose only use is as
    /// the condition of the `Branch` right after it (so a target may branch
    /// on the flags of the comparison and never materialise the `Bool`).
    pub fn branch_only_cmps(&self) -> Vec<bool> {
        let mut uses = vec![0u32; self.values.len()];
        for inst in &self.insts {
            for v in inst.uses().iter() {
                uses[v.index()] += 1;
            }
            for call in inst.block_calls() {
                for v in &call.args {
                    uses[v.index()] += 1;
                }
            }
        }
        let mut fused = vec![false; self.values.len()];
        for block in &self.blocks {
            let insts = &self.insts[block.insts.start as usize..block.insts.end as usize];
            if let [.., Inst::Cmp { dst, .. }, Inst::Branch { cond, .. }] = insts
                && dst == cond
                && uses[dst.index()] == 1
            {
                fused[dst.index()] = true;
            }
        }
        fused
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "function {}(args: {}, results: {}) {{",
            self.name, self.num_args, self.num_results
        )?;
        for (i, block) in self.blocks.iter().enumerate() {
            write!(f, "b{i}(")?;
            for (k, p) in block.params.iter().enumerate() {
                if k > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{p}: {}", self.ty(*p))?;
            }
            writeln!(f, "):")?;
            for inst in self.block_insts(Block(i as u32)) {
                let tys: Vec<String> = inst
                    .defs()
                    .iter()
                    .map(|d| self.ty(*d).to_string())
                    .collect();
                if tys.is_empty() {
                    writeln!(f, "    {inst}")?;
                } else {
                    writeln!(f, "    {inst}    ; {}", tys.join(", "))?;
                }
            }
        }
        writeln!(f, "}}")
    }
}
