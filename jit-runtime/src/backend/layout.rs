//! Branch threading over empty blocks, for any [`super::MacroAssembler`].
//!
//! Terms: a *forwarder* is a block other than the entry whose only content
//! after register allocation is a `Jump` (no instruction before it, no move
//! regalloc2 inserted). MIR needs such blocks to split critical edges, e.g.
//! the back edge of a bottom-tested loop (`branch p, again, leave` with
//! `again: jump body(next..)`); once regalloc2 has put no move in them they
//! are pure detours.
//!
//! Invariant: a forwarder is never emitted, and every branch to it goes to
//! the first non-forwarder down its chain of jumps instead, so no label of a
//! forwarder is ever used. A cycle of forwarders (an empty infinite loop)
//! keeps one of its blocks.

use regalloc2::{InstOrEdit, Output};

use crate::mir::regalloc::RaFunction;
use crate::mir::{Block, Function, Inst};

/// Where each block's branches really go.
pub(super) struct Threading {
    /// Per block: itself, or for a forwarder the block its jumps end at.
    target: Vec<Block>,
}

impl Threading {
    /// Find the forwarders of `func` under the allocation `out`.
    pub(super) fn new(func: &Function, ra: &RaFunction<'_>, out: &Output) -> Self {
        let n = func.blocks.len();
        let mut step: Vec<Option<Block>> = vec![None; n];
        for (b, slot) in step.iter_mut().enumerate().skip(1) {
            let mut items = out.block_insts_and_edits(ra, regalloc2::Block::new(b));
            if let (Some(InstOrEdit::Inst(i)), None) = (items.next(), items.next())
                && let Inst::Jump { dest } = &func.insts[i.index()]
            {
                *slot = Some(dest.block);
            }
        }
        let target = (0..n)
            .map(|b| {
                let mut at = Block(b as u32);
                // At most n steps: a longer chain is a cycle, which stops anywhere.
                for _ in 0..n {
                    match step[at.index()] {
                        Some(to) if to.index() != b => at = to,
                        _ => break,
                    }
                }
                if step[at.index()].is_some_and(|to| to.index() == b) {
                    // `b` is on a cycle of forwarders: keep it.
                    return Block(b as u32);
                }
                at
            })
            .collect();
        Threading { target }
    }

    /// Whether `b` is a forwarder, left out of the code.
    pub(super) fn skips(&self, b: Block) -> bool {
        self.target[b.index()] != b
    }

    /// The block emitted after `b`, if any.
    pub(super) fn next_after(&self, b: Block) -> Option<Block> {
        (b.index() + 1..self.target.len())
            .map(|k| Block(k as u32))
            .find(|&k| !self.skips(k))
    }

    /// `inst` with its block calls sent past forwarders, if that changes it.
    pub(super) fn retarget(&self, inst: &Inst) -> Option<Inst> {
        if !inst.block_calls().any(|c| self.skips(c.block)) {
            return None;
        }
        let mut inst = inst.clone();
        match &mut inst {
            Inst::Jump { dest } => dest.block = self.target[dest.block.index()],
            Inst::Branch {
                then, otherwise, ..
            } => {
                then.block = self.target[then.block.index()];
                otherwise.block = self.target[otherwise.block.index()];
            }
            _ => {}
        }
        Some(inst)
    }
}
