//! A one-pass register allocator for loop-free functions.
//!
//! Owns: [`run`], which allocates any regalloc2 [`Function`] whose control
//! flow has no back edge and returns a regalloc2 [`Output`] (allocations,
//! moves, spill-slot count), so that code generation and regalloc2's checker
//! consume it exactly as they consume regalloc2's own results.
//!
//! Terms:
//! - *position*: an instruction index; with blocks in index order and every
//!   edge going forward, a value is live only between its definition and its
//!   last use in this order, so that interval over-approximates liveness.
//! - *global*: a block parameter, or a value used outside its defining block
//!   (as an operand or a branch argument). Every other value is *local*.
//! - *home*: the one location (register or spill slot) a global holds from
//!   its definition to its last use. Globals are never moved, so all edges
//!   into a block agree on where each live value is.
//! - *cached copy*: a global whose home is a slot, reloaded into a register
//!   for use inside one block; dropped at the end of the block.
//!
//! Algorithm: a backward pass finds each value's last use, whether it is
//! global, and for each operand the position of the next use of its value.
//! A forward pass then walks the blocks in order, and per instruction:
//! 1. gives each use its location, reloading into a free register (or
//!    evicting the register value whose next use is furthest, storing it to
//!    a slot if it has none) when the operand needs a register;
//! 2. before a call, stores every value still needed after it that sits in
//!    a clobbered register, and drops it from that register;
//! 3. frees the values whose last use this is (defs are late: a result may
//!    take the register of an operand that dies here);
//! 4. gives each def a register, or for a global its home: a free register
//!    if the function-wide budget of registers held by globals allows (a
//!    callee-saved one if a call lies inside its interval), else a slot, the
//!    def then going to a register and stored after the instruction;
//! 5. at a terminator, the first predecessor processed chooses the homes of
//!    the successor's parameters (taking over the register of an argument
//!    that dies there when it can), and every edge gets its moves: before a
//!    `jump`, or at the start of the successor of a two-way branch (no
//!    critical edges, so that successor has no other predecessor). Edge
//!    moves never form a cycle (destinations are fresh homes or their own
//!    source), so they run in sequence; slot-to-slot goes through the
//!    class's scratch register.
//!
//! The budget leaves, per class, as many registers to locals as the most
//! demanding instruction has register operands, so step 1 and 4 always find
//! a register.
//!
//! Invariants: edits are sorted by program point; a live value is always in
//! a register or a slot it owns; in tests every result passes regalloc2's
//! checker (`regalloc::allocate`).
//!
//! Limits: no back edges, no critical edges; operand constraints `Reg`,
//! `Any` and `Stack` only, uses early and defs late; at most one spill slot
//! per value (size 1); every class used needs a scratch register. Anything
//! else is refused ([`Unsupported`]) and the caller runs regalloc2 instead.
//!
//! Measured (release, this 2-core machine, `compile_time` tests in
//! `backend::x64::tests::ops`): see the figures at the end of this doc.
//! - `sin(x) + cos(x)` on f32 (MIR: about 270 instructions in 7 blocks):
//!   allocation alone FILL_SINCOS.
//! - the 10-instruction function: FILL_TEN.

use regalloc2::{
    Allocation, Block, Edit, Function, Inst, MachineEnv, OperandConstraint, OperandKind,
    OperandPos, Output, PReg, PRegSet, ProgPoint, SpillSlot, VReg,
};

/// Why [`run`] declined a function; the caller runs regalloc2 instead
/// (which also reports a function that is invalid for every allocator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unsupported {
    /// A branch to the same or an earlier block.
    BackEdge,
    /// An edge from a block with several successors to one with several predecessors.
    CriticalEdge,
    /// An operand constraint or position other than early `Reg`/`Any`/`Stack`
    /// uses and late defs, or a class without registers or scratch register.
    Constraint,
    /// A use of a value with no location (not dominated by its definition).
    Invalid,
}

const NONE: u32 = u32::MAX;

/// Allocate `f` (acyclic) in `env`.
pub fn run<F: Function>(f: &F, env: &MachineEnv) -> Result<Output, Unsupported> {
    let mut a = Allocator::new(f, env)?;
    a.analyse();
    for b in 0..f.num_blocks() {
        a.block(Block::new(b))?;
    }
    Ok(Output {
        num_spillslots: a.num_slots as usize,
        edits: a.edits,
        allocs: a.allocs,
        inst_alloc_offsets: a.op_base[..f.num_insts()].to_vec(),
        debug_locations: Vec::new(),
        stats: Default::default(),
    })
}

struct Allocator<'a, F: Function> {
    f: &'a F,
    /// Allocation order per class: preferred registers first.
    order: [Vec<PReg>; 3],
    scratch: [Option<PReg>; 3],
    /// Registers globals may hold at once, per class.
    budget: [u32; 3],
    globals_in_regs: [u32; 3],
    /// Union of every instruction's clobbers.
    all_clobbers: PRegSet,
    /// Number of clobbering instructions before each position.
    calls_before: Vec<u32>,
    /// Index of each instruction's first operand (one extra entry at the end).
    op_base: Vec<u32>,
    /// Per operand: the position of the next use of its value after it.
    op_next: Vec<u32>,
    /// Per value: its last use, whether it is global, its home if global.
    last_use: Vec<u32>,
    global: Vec<bool>,
    home: Vec<Allocation>,
    /// Per value: where it is now (a register and/or a slot) and its next use.
    reg_of: Vec<Option<PReg>>,
    slot_of: Vec<u32>,
    next_use: Vec<u32>,
    /// The value in each register (by `PReg::index`), or `NONE`.
    owner: Vec<u32>,
    free_slots: Vec<u32>,
    num_slots: u32,
    /// Edge moves to run at the start of a block (from, to, class).
    pending: Vec<Vec<(Allocation, Allocation, regalloc2::RegClass)>>,
    edits: Vec<(ProgPoint, Edit)>,
    allocs: Vec<Allocation>,
    after: Vec<(Allocation, Allocation)>,
}

impl<'a, F: Function> Allocator<'a, F> {
    fn new(f: &'a F, env: &MachineEnv) -> Result<Self, Unsupported> {
        let nb = f.num_blocks();
        for b in 0..nb {
            let succs = f.block_succs(Block::new(b));
            for &s in succs {
                if s.index() <= b {
                    return Err(Unsupported::BackEdge);
                }
                if succs.len() > 1 && f.block_preds(s).len() > 1 {
                    return Err(Unsupported::CriticalEdge);
                }
            }
        }
        let n = f.num_insts();
        let mut op_base = Vec::with_capacity(n + 1);
        let mut calls_before = Vec::with_capacity(n + 1);
        let mut all_clobbers = PRegSet::empty();
        let (mut nops, mut calls) = (0u32, 0u32);
        let mut need = [0u32; 3];
        for i in 0..n {
            op_base.push(nops);
            calls_before.push(calls);
            let inst = Inst::new(i);
            let ops = f.inst_operands(inst);
            let mut regs = [0u32; 3];
            for op in ops {
                match (op.kind(), op.pos(), op.constraint()) {
                    (OperandKind::Use, OperandPos::Early, c)
                    | (OperandKind::Def, OperandPos::Late, c)
                        if matches!(
                            c,
                            OperandConstraint::Reg
                                | OperandConstraint::Any
                                | OperandConstraint::Stack
                        ) =>
                    {
                        if c == OperandConstraint::Reg {
                            regs[op.class() as usize] += 1;
                        }
                    }
                    _ => return Err(Unsupported::Constraint),
                }
            }
            for c in 0..3 {
                need[c] = need[c].max(regs[c]);
            }
            nops += ops.len() as u32;
            let clobbers = f.inst_clobbers(inst);
            if clobbers != PRegSet::empty() {
                calls += 1;
                all_clobbers.union_from(clobbers);
            }
        }
        op_base.push(nops);
        calls_before.push(calls);
        let mut order: [Vec<PReg>; 3] = Default::default();
        let mut budget = [0u32; 3];
        for c in 0..3 {
            order[c].extend(env.preferred_regs_by_class[c]);
            order[c].extend(env.non_preferred_regs_by_class[c]);
            let have = order[c].len() as u32;
            if need[c] > 0 && (have < need[c] || env.scratch_by_class[c].is_none()) {
                return Err(Unsupported::Constraint);
            }
            budget[c] = have.saturating_sub(need[c]);
        }
        let nv = f.num_vregs();
        Ok(Allocator {
            f,
            order,
            scratch: env.scratch_by_class,
            budget,
            globals_in_regs: [0; 3],
            all_clobbers,
            calls_before,
            op_next: vec![NONE; nops as usize],
            op_base,
            last_use: vec![NONE; nv],
            global: vec![false; nv],
            home: vec![Allocation::none(); nv],
            reg_of: vec![None; nv],
            slot_of: vec![NONE; nv],
            next_use: vec![NONE; nv],
            owner: vec![NONE; PReg::NUM_INDEX],
            free_slots: Vec::new(),
            num_slots: 0,
            pending: vec![Vec::new(); nb],
            edits: Vec::with_capacity(n / 2),
            allocs: vec![Allocation::none(); nops as usize],
            after: Vec::new(),
        })
    }

    /// Backward pass: last uses, globals, next uses.
    fn analyse(&mut self) {
        let f = self.f;
        // The block of the last use seen so far (the latest in program order).
        let mut use_block = vec![NONE; self.last_use.len()];
        let mut next = vec![NONE; self.last_use.len()];
        for b in (0..f.num_blocks()).rev() {
            let block = Block::new(b);
            let bi = b as u32;
            // The first use met (going backward) is the last; a use in
            // another block than that one makes the value global.
            let touch = |this: &mut Self, use_block: &mut [u32], v: VReg, pos: u32| {
                let v = v.vreg();
                if this.last_use[v] == NONE {
                    this.last_use[v] = pos;
                    use_block[v] = bi;
                } else if use_block[v] != bi {
                    this.global[v] = true;
                }
            };
            for i in f.block_insns(block).iter().rev() {
                let pos = i.index() as u32;
                if f.is_branch(i) {
                    for k in 0..f.block_succs(block).len() {
                        for &v in f.branch_blockparams(block, i, k) {
                            touch(self, &mut use_block, v, pos);
                            next[v.vreg()] = pos;
                        }
                    }
                }
                let base = self.op_base[i.index()] as usize;
                let ops = f.inst_operands(i);
                for (k, op) in ops.iter().enumerate() {
                    let v = op.vreg().vreg();
                    self.op_next[base + k] = next[v];
                    if op.kind() == OperandKind::Def {
                        next[v] = NONE;
                        if self.last_use[v] != NONE && use_block[v] != bi {
                            self.global[v] = true;
                        }
                    }
                }
                for op in ops.iter().filter(|op| op.kind() == OperandKind::Use) {
                    touch(self, &mut use_block, op.vreg(), pos);
                    next[op.vreg().vreg()] = pos;
                }
            }
            for &p in f.block_params(block) {
                self.global[p.vreg()] = self.last_use[p.vreg()] != NONE;
            }
        }
    }

    /// Whether a clobbering instruction lies strictly between `from` and `to`.
    fn crosses_call(&self, from: u32, to: u32) -> bool {
        to != NONE
            && to > from + 1
            && self.calls_before[to as usize] > self.calls_before[from as usize + 1]
    }

    fn new_slot(&mut self) -> u32 {
        self.free_slots.pop().unwrap_or_else(|| {
            self.num_slots += 1;
            self.num_slots - 1
        })
    }

    fn stack(slot: u32) -> Allocation {
        Allocation::stack(SpillSlot::new(slot as usize))
    }

    /// Where `v` can be read now: its register if any, else its slot.
    fn location(&self, v: usize) -> Result<Allocation, Unsupported> {
        match (self.reg_of[v], self.slot_of[v]) {
            (Some(r), _) => Ok(Allocation::reg(r)),
            (None, NONE) => Err(Unsupported::Invalid),
            (None, s) => Ok(Self::stack(s)),
        }
    }

    fn is_home_reg(&self, v: usize, r: PReg) -> bool {
        self.global[v] && self.home[v] == Allocation::reg(r)
    }

    fn assign(&mut self, v: usize, r: PReg) {
        self.owner[r.index()] = v as u32;
        self.reg_of[v] = Some(r);
    }

    /// Drop `v` from its register (storing it first if it has no slot).
    fn evict(&mut self, r: PReg, at: Inst) {
        let v = self.owner[r.index()] as usize;
        if self.slot_of[v] == NONE {
            let s = self.new_slot();
            self.slot_of[v] = s;
            let edit = Edit::Move {
                from: Allocation::reg(r),
                to: Self::stack(s),
            };
            self.edits.push((ProgPoint::before(at), edit));
        }
        self.reg_of[v] = None;
        self.owner[r.index()] = NONE;
    }

    /// A free register of `class` outside `avoid` (outside the clobbers if
    /// `safe` and one is free), or else the evictable register whose value
    /// is needed last, evicted before `at`.
    fn take_reg(&mut self, class: usize, avoid: PRegSet, safe: bool, at: Inst) -> PReg {
        let mut fallback = None;
        let mut victim: Option<(PReg, u32)> = None;
        for k in 0..self.order[class].len() {
            let r = self.order[class][k];
            if avoid.contains(r) {
                continue;
            }
            let v = self.owner[r.index()];
            if v == NONE {
                if !safe || !self.all_clobbers.contains(r) {
                    return r;
                }
                fallback = fallback.or(Some(r));
            } else if !self.is_home_reg(v as usize, r)
                && victim.is_none_or(|(_, n)| self.next_use[v as usize] > n)
            {
                victim = Some((r, self.next_use[v as usize]));
            }
        }
        if let Some(r) = fallback {
            return r;
        }
        let (r, _) = victim.expect("the register budget leaves a register to evict");
        self.evict(r, at);
        r
    }

    /// A home for global `v` of `class` live from `from` to its last use:
    /// a free register outside `avoid` if `allow_reg` and the budget allow,
    /// else a slot.
    fn choose_home(
        &mut self,
        v: usize,
        class: usize,
        from: u32,
        mut avoid: PRegSet,
        allow_reg: bool,
    ) -> Allocation {
        if self.crosses_call(from, self.last_use[v]) {
            avoid.union_from(self.all_clobbers);
        }
        if allow_reg && self.globals_in_regs[class] < self.budget[class] {
            let free = self.order[class]
                .iter()
                .copied()
                .find(|&r| self.owner[r.index()] == NONE && !avoid.contains(r));
            if let Some(r) = free {
                self.globals_in_regs[class] += 1;
                self.assign(v, r);
                self.home[v] = Allocation::reg(r);
                return self.home[v];
            }
        }
        let s = self.new_slot();
        self.slot_of[v] = s;
        self.home[v] = Self::stack(s);
        self.home[v]
    }

    /// `v` is dead: free its register and slot.
    fn release(&mut self, v: usize) {
        // A parameter may have taken the register over (see `edges`).
        if let Some(r) = self.reg_of[v].take()
            && self.owner[r.index()] == v as u32
        {
            self.owner[r.index()] = NONE;
            if self.is_home_reg(v, r) {
                self.globals_in_regs[r.class() as usize] -= 1;
            }
        }
        if self.slot_of[v] != NONE {
            self.free_slots.push(self.slot_of[v]);
            self.slot_of[v] = NONE;
        }
    }

    /// A move, through the scratch register if both ends are slots.
    fn push_move(
        &mut self,
        at: ProgPoint,
        from: Allocation,
        to: Allocation,
        class: regalloc2::RegClass,
    ) {
        if from == to {
            return;
        }
        if from.is_stack() && to.is_stack() {
            let s = Allocation::reg(self.scratch[class as usize].expect("checked in new"));
            self.edits.push((at, Edit::Move { from, to: s }));
            self.edits.push((at, Edit::Move { from: s, to }));
        } else {
            self.edits.push((at, Edit::Move { from, to }));
        }
    }

    fn block(&mut self, block: Block) -> Result<(), Unsupported> {
        let f = self.f;
        let insts = f.block_insns(block);
        let first = ProgPoint::before(insts.first());
        for (from, to, class) in std::mem::take(&mut self.pending[block.index()]) {
            self.push_move(first, from, to, class);
        }
        // Parameters of a block no processed predecessor reaches.
        for &p in f.block_params(block) {
            let v = p.vreg();
            if self.global[v] && self.home[v] == Allocation::none() {
                self.choose_home(
                    v,
                    p.class() as usize,
                    insts.first().index() as u32,
                    PRegSet::empty(),
                    true,
                );
            }
        }
        for i in insts.iter() {
            self.inst(block, i)?;
        }
        // Drop cached copies: only homes survive a block boundary.
        for r in 0..self.owner.len() {
            let v = self.owner[r];
            if v != NONE && self.home[v as usize].as_reg().map(|h| h.index()) != Some(r) {
                self.reg_of[v as usize] = None;
                self.owner[r] = NONE;
            }
        }
        Ok(())
    }

    fn inst(&mut self, block: Block, i: Inst) -> Result<(), Unsupported> {
        let f = self.f;
        let pos = i.index() as u32;
        let ops = f.inst_operands(i);
        let base = self.op_base[i.index()] as usize;
        let mut pinned = PRegSet::empty();
        // 1. Uses.
        for (k, op) in ops.iter().enumerate() {
            if op.kind() != OperandKind::Use {
                continue;
            }
            let v = op.vreg().vreg();
            let loc = self.location(v)?;
            let alloc = match op.constraint() {
                OperandConstraint::Reg => match self.reg_of[v] {
                    Some(r) => Allocation::reg(r),
                    None => {
                        let r = self.take_reg(op.class() as usize, pinned, false, i);
                        self.edits.push((
                            ProgPoint::before(i),
                            Edit::Move {
                                from: loc,
                                to: Allocation::reg(r),
                            },
                        ));
                        self.assign(v, r);
                        Allocation::reg(r)
                    }
                },
                OperandConstraint::Stack => {
                    if self.slot_of[v] == NONE {
                        let s = self.new_slot();
                        self.slot_of[v] = s;
                        self.edits.push((
                            ProgPoint::before(i),
                            Edit::Move {
                                from: loc,
                                to: Self::stack(s),
                            },
                        ));
                    }
                    Self::stack(self.slot_of[v])
                }
                _ => loc,
            };
            if let Some(r) = alloc.as_reg() {
                pinned.add(r);
            }
            self.allocs[base + k] = alloc;
            self.next_use[v] = self.op_next[base + k];
        }
        // 2. Values needed after a call leave its clobbered registers.
        let clobbers = f.inst_clobbers(i);
        if clobbers != PRegSet::empty() {
            for r in clobbers {
                let v = self.owner[r.index()];
                if v != NONE && self.last_use[v as usize] != pos {
                    debug_assert!(
                        !self.is_home_reg(v as usize, r),
                        "global home in a clobbered register"
                    );
                    self.evict(r, i);
                }
            }
        }
        // 5 (first half). Edge moves read the arguments before they are freed.
        if f.is_branch(i) {
            self.edges(block, i)?;
        }
        // 3. Values dying here.
        for op in ops.iter().filter(|op| op.kind() == OperandKind::Use) {
            let v = op.vreg().vreg();
            if self.last_use[v] == pos {
                self.release(v);
            }
        }
        if f.is_branch(i) {
            for k in 0..f.block_succs(block).len() {
                for &a in f.branch_blockparams(block, i, k) {
                    if self.last_use[a.vreg()] == pos {
                        self.release(a.vreg());
                    }
                }
            }
        }
        // 4. Defs.
        // A def may take the register of a use (stored first if still live):
        // uses read early, defs write late.
        let mut avoid = clobbers;
        for (k, op) in ops.iter().enumerate() {
            if op.kind() != OperandKind::Def {
                continue;
            }
            let v = op.vreg().vreg();
            let class = op.class() as usize;
            let alloc = if self.global[v] {
                let home = self.choose_home(
                    v,
                    class,
                    pos,
                    avoid,
                    op.constraint() != OperandConstraint::Stack,
                );
                if home.is_stack() && op.constraint() == OperandConstraint::Reg {
                    let r = self.take_reg(class, avoid, false, i);
                    self.assign(v, r);
                    self.after.push((Allocation::reg(r), home));
                    Allocation::reg(r)
                } else {
                    home
                }
            } else {
                let safe = self.crosses_call(pos, self.last_use[v]);
                match op.constraint() {
                    OperandConstraint::Reg => {
                        let r = self.take_reg(class, avoid, safe, i);
                        self.assign(v, r);
                        Allocation::reg(r)
                    }
                    c => {
                        let free = self.order[class].iter().copied().find(|&r| {
                            self.owner[r.index()] == NONE
                                && !avoid.contains(r)
                                && !(safe && self.all_clobbers.contains(r))
                        });
                        match free {
                            Some(r) if c == OperandConstraint::Any => {
                                self.assign(v, r);
                                Allocation::reg(r)
                            }
                            _ => {
                                let s = self.new_slot();
                                self.slot_of[v] = s;
                                Self::stack(s)
                            }
                        }
                    }
                }
            };
            if let Some(r) = alloc.as_reg() {
                avoid.add(r);
            }
            self.allocs[base + k] = alloc;
            self.next_use[v] = self.op_next[base + k];
        }
        for (from, to) in std::mem::take(&mut self.after) {
            self.edits
                .push((ProgPoint::after(i), Edit::Move { from, to }));
        }
        for op in ops.iter().filter(|op| op.kind() == OperandKind::Def) {
            if self.last_use[op.vreg().vreg()] == NONE {
                self.release(op.vreg().vreg());
            }
        }
        Ok(())
    }

    /// Homes for the parameters of successors not yet reached, and the moves of every edge.
    fn edges(&mut self, block: Block, i: Inst) -> Result<(), Unsupported> {
        let f = self.f;
        let pos = i.index() as u32;
        let succs = f.block_succs(block);
        let at = ProgPoint::before(i);
        for (k, &succ) in succs.iter().enumerate() {
            let args = f.branch_blockparams(block, i, k);
            let params = f.block_params(succ);
            let mut moves = Vec::new();
            for (&a, &p) in args.iter().zip(params) {
                let (a, pv) = (a.vreg(), p.vreg());
                if !self.global[pv] {
                    continue; // unused parameter
                }
                let src = self.location(a)?;
                if self.home[pv] == Allocation::none() {
                    let class = p.class() as usize;
                    // Take over the register of an argument that dies here.
                    let takeover = self.reg_of[a].filter(|&r| {
                        let was_home = self.is_home_reg(a, r);
                        self.last_use[a] == pos
                            && self.owner[r.index()] == a as u32
                            && (was_home || self.globals_in_regs[class] < self.budget[class])
                            && !(self.crosses_call(pos, self.last_use[pv])
                                && self.all_clobbers.contains(r))
                    });
                    if let Some(r) = takeover {
                        if !self.is_home_reg(a, r) {
                            self.globals_in_regs[class] += 1;
                        }
                        // `a` keeps naming `r` for the other edges; `release` spares it.
                        self.owner[r.index()] = pv as u32;
                        self.reg_of[pv] = Some(r);
                        self.home[pv] = Allocation::reg(r);
                    } else {
                        self.choose_home(pv, class, pos, PRegSet::empty(), true);
                    }
                }
                moves.push((src, self.home[pv], p.class()));
            }
            if succs.len() == 1 {
                for (from, to, class) in moves {
                    self.push_move(at, from, to, class);
                }
            } else {
                self.pending[succ.index()] = moves;
            }
        }
        Ok(())
    }
}
