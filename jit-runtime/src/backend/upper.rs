//! Where a function's 256-bit values die, for any [`super::MacroAssembler`]
//! with wide vectors: the points after which no 256-bit value is live, so
//! that the ISA may clear the upper halves of its vector registers there
//! ([`super::masm::Vector::vec_wide_dead`], x86-64's `vzeroupper`) and the
//! scalar SSE code after a 256-bit vector loop (its reductions' last
//! steps, its tail elements) runs without the AVX-SSE transition penalty or
//! the false dependency on the upper halves.
//!
//! Terms: *wide* values are those of a 256-bit type (`mir::Ty::is_wide`);
//! *live* is the usual SSA liveness over the MIR's blocks, block-call
//! arguments being uses of the terminator and block parameters definitions
//! at the block's start.
//!
//! The same liveness tells the moves, spills and reloads around each
//! instruction whether they may carry a wide value: where none is live
//! they move 128 bits (x86-64: SSE moves that leave the upper halves
//! clean), else whole 256-bit registers.
//!
//! Invariant: a clear is placed only where no wide value is live (after
//! an instruction that is not a terminator, or at the start of a block
//! without wide parameters or wide live-in values), and every point where
//! the last wide value dies gets one: after the instruction that last
//! touches a wide value, or at the start of a successor reached over an
//! edge that leaves wide values behind. A clear keeps the low 128 bits of
//! every register, so the scalar and 128-bit values live there survive.

use std::collections::BTreeSet;

use crate::mir::{Function, Value};

/// The clears of one function, and where wide values are live.
pub(super) struct Clears {
    /// Per instruction: clear right after it.
    pub(super) after: Vec<bool>,
    /// Per block: clear at its start.
    pub(super) at_start: Vec<bool>,
    /// Per instruction: a wide value is live right before it, or it uses
    /// or defines one (so the moves before it and the instruction itself
    /// may carry one).
    pub(super) live_at: Vec<bool>,
    /// Per instruction: a wide value is live right after it (so the moves
    /// after it may carry one).
    pub(super) live_after: Vec<bool>,
}

impl Clears {
    /// The clears of `func` (none when it holds no wide value).
    pub(super) fn new(func: &Function) -> Clears {
        let n = func.blocks.len();
        let mut clears = Clears {
            after: vec![false; func.insts.len()],
            at_start: vec![false; n],
            live_at: vec![false; func.insts.len()],
            live_after: vec![false; func.insts.len()],
        };
        let wide = |v: &Value| func.ty(*v).is_wide();
        if !func.values.iter().any(|ty| ty.is_wide()) {
            return clears;
        }
        let succs: Vec<Vec<usize>> = (0..n)
            .map(|b| {
                let last = func.blocks[b].insts.end as usize - 1;
                func.insts[last]
                    .block_calls()
                    .map(|c| c.block.index())
                    .collect()
            })
            .collect();
        // Backward liveness of the wide values, to a fixed point.
        let mut live_in: Vec<BTreeSet<Value>> = vec![BTreeSet::new(); n];
        let mut live_out: Vec<BTreeSet<Value>> = vec![BTreeSet::new(); n];
        let mut changed = true;
        while changed {
            changed = false;
            for b in (0..n).rev() {
                let out: BTreeSet<Value> = succs[b]
                    .iter()
                    .flat_map(|&s| live_in[s].iter().copied())
                    .collect();
                let mut live = out.clone();
                for inst in func.insts
                    [func.blocks[b].insts.start as usize..func.blocks[b].insts.end as usize]
                    .iter()
                    .rev()
                {
                    for d in inst.defs().iter() {
                        live.remove(d);
                    }
                    live.extend(inst.uses().iter().filter(|v| wide(v)));
                    for call in inst.block_calls() {
                        live.extend(call.args.iter().filter(|v| wide(v)));
                    }
                }
                for p in &func.blocks[b].params {
                    live.remove(p);
                }
                if live != live_in[b] || out != live_out[b] {
                    live_in[b] = live;
                    live_out[b] = out;
                    changed = true;
                }
            }
        }
        let mut ends_dirty = vec![false; n];
        for b in 0..n {
            let range = func.blocks[b].insts.start as usize..func.blocks[b].insts.end as usize;
            let mut live = live_out[b].clone();
            for i in range.clone().rev() {
                let inst = &func.insts[i];
                let live_after = !live.is_empty();
                for d in inst.defs().iter() {
                    live.remove(d);
                }
                let touches = inst.defs().iter().chain(inst.uses().iter()).any(wide)
                    || inst.block_calls().any(|c| c.args.iter().any(wide));
                live.extend(inst.uses().iter().filter(|v| wide(v)));
                for call in inst.block_calls() {
                    live.extend(call.args.iter().filter(|v| wide(v)));
                }
                clears.live_at[i] = touches || !live.is_empty();
                clears.live_after[i] = live_after;
                if inst.is_terminator() {
                    ends_dirty[b] = live_after || touches;
                } else if touches && !live_after {
                    clears.after[i] = true;
                }
            }
        }
        for (b, (at_start, live)) in clears.at_start.iter_mut().zip(&live_in).enumerate() {
            let clean = live.is_empty() && !func.blocks[b].params.iter().any(wide);
            let entered_dirty = (0..n).any(|p| ends_dirty[p] && succs[p].contains(&b));
            *at_start = clean && entered_dirty;
        }
        clears
    }
}
