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
//! Measured with the `compile_time` and `sin_cos_compile_time` tests in
//! `backend::x64::tests::ops` (release build, fastest of 200-500 runs, on a
//! 2-core machine busy with other builds, so absolute figures are high;
//! compare within a row), allocation alone with operand gathering (7.7 us
//! for sin+cos) excluded:
//!
//! | function                         | linear scan | fastalloc | ion    |
//! |----------------------------------|-------------|-----------|--------|
//! | `sin(x) + cos(x)` f32, 266 insts | 28 us       | 68 us     | 335 us |
//! | the same, code bytes             | 3077        | 4259      | 3119   |
//! | the same, moves / spill slots    | 12 / 3      | 92 / 27   | 9 / 3  |
//! | 10-instruction function          | 1.3 us      | 3.0 us    | 10 us  |
//!
//! The table predates the folding of decided tests in `lower/math.rs` and
//! the MIR dead-code pass: `sin(x) + cos(x)` is now 78 instructions, which
//! this allocator handles in about 9 us on an idle machine. The cost is
//! spread thinly over operands (about 800 machine instructions per MIR
//! instruction under callgrind), the largest single stage of a first call.

use regalloc2::{
    Allocation, Block, Edit, Function, Inst, MachineEnv, OperandConstraint, OperandKind,
    OperandPos, Output, PReg, PRegSet, ProgPoint, RegClass, SpillSlot,
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

/// Registers of one class as a bit mask by hardware encoding.
type Mask = u64;

/// A register set as one mask per class.
fn masks(set: PRegSet) -> [Mask; 3] {
    let mut m = [0; 3];
    for r in set {
        m[r.class() as usize] |= 1 << r.hw_enc();
    }
    m
}

fn bit(r: PReg) -> Mask {
    1 << r.hw_enc()
}

fn class_of(c: usize) -> RegClass {
    [RegClass::Int, RegClass::Float, RegClass::Vector][c]
}

/// Allocate `f` (acyclic) in `env`.
pub fn run<F: Function>(f: &F, env: &MachineEnv) -> Result<Output, Unsupported> {
    let mut a = Allocator::new(f, env)?;
    a.analyse();
    for b in 0..f.num_blocks() {
        a.block(Block::new(b))?;
    }
    a.op_base.pop();
    Ok(Output {
        num_spillslots: a.num_slots as usize,
        edits: a.edits,
        allocs: a.allocs,
        inst_alloc_offsets: a.op_base,
        debug_locations: Vec::new(),
        stats: Default::default(),
    })
}

/// An operand, decoded once (regalloc2's accessors decode bit fields).
#[derive(Clone, Copy)]
struct Op {
    /// The value.
    v: u32,
    /// Register class index.
    c: u8,
    def: bool,
    constraint: Constraint,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Constraint {
    Reg,
    Any,
    Stack,
}

/// What the allocator knows of one value.
#[derive(Clone, Copy)]
struct Val {
    /// Position of the last use (`NONE`: unused).
    last_use: u32,
    /// Position of the next use (while analysing: of the latest use seen).
    next_use: u32,
    /// While analysing: the block of the last use.
    use_block: u32,
    /// The slot holding it (its home, or a spilled copy), or `NONE`.
    slot: u32,
    /// For a global, once chosen.
    home: Allocation,
    /// The register holding it now, if any.
    reg: Option<PReg>,
    global: bool,
}

struct Allocator<'a, F: Function> {
    f: &'a F,
    /// Allocatable and preferred registers per class.
    allocatable: [Mask; 3],
    preferred: [Mask; 3],
    scratch: [Option<PReg>; 3],
    /// Registers globals may hold at once, per class.
    budget: [u32; 3],
    /// Union of every instruction's clobbers.
    all_clobbers: [Mask; 3],
    /// Number of clobbering instructions before each position.
    calls_before: Vec<u32>,
    /// Index of each instruction's first operand (one extra entry at the end).
    op_base: Vec<u32>,
    /// Every instruction's operands, in order.
    ops: Vec<Op>,
    /// Per operand: the position of the next use of its value after it.
    op_next: Vec<u32>,
    vals: Vec<Val>,
    /// Free registers, and registers that are homes of globals.
    free: [Mask; 3],
    homes: [Mask; 3],
    /// The value in each register (by `PReg::index`), or `NONE`.
    owner: [u32; 3 * 64],
    free_slots: Vec<u32>,
    num_slots: u32,
    /// Edge moves to run at the start of a block (from, to, class).
    pending: Vec<Vec<(Allocation, Allocation, RegClass)>>,
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
        let mut decoded = Vec::with_capacity(2 * n);
        let mut calls_before = Vec::with_capacity(n + 1);
        let mut all_clobbers = [0; 3];
        let (mut nops, mut calls) = (0u32, 0u32);
        let mut need = [0u32; 3];
        for i in 0..n {
            op_base.push(nops);
            calls_before.push(calls);
            let inst = Inst::new(i);
            let ops = f.inst_operands(inst);
            let mut regs = [0u32; 3];
            for op in ops {
                let (kind, c) = (op.kind(), op.class() as usize);
                let ok = matches!(
                    (kind, op.pos()),
                    (OperandKind::Use, OperandPos::Early) | (OperandKind::Def, OperandPos::Late)
                );
                let constraint = match op.constraint() {
                    OperandConstraint::Reg if ok => Constraint::Reg,
                    OperandConstraint::Any if ok => Constraint::Any,
                    OperandConstraint::Stack if ok => Constraint::Stack,
                    _ => return Err(Unsupported::Constraint),
                };
                if constraint == Constraint::Reg {
                    regs[c] += 1;
                }
                decoded.push(Op {
                    v: op.vreg().vreg() as u32,
                    c: c as u8,
                    def: kind == OperandKind::Def,
                    constraint,
                });
            }
            for c in 0..3 {
                need[c] = need[c].max(regs[c]);
            }
            nops += ops.len() as u32;
            let clobbers = f.inst_clobbers(inst);
            if clobbers != PRegSet::empty() {
                calls += 1;
                let m = masks(clobbers);
                for c in 0..3 {
                    all_clobbers[c] |= m[c];
                }
            }
        }
        op_base.push(nops);
        calls_before.push(calls);
        let mut pref = [0; 3];
        let mut allocatable = [0; 3];
        let mut budget = [0u32; 3];
        for c in 0..3 {
            pref[c] = masks(env.preferred_regs_by_class[c])[c];
            allocatable[c] = pref[c] | masks(env.non_preferred_regs_by_class[c])[c];
            let have = allocatable[c].count_ones();
            if need[c] > 0 && (have < need[c] || env.scratch_by_class[c].is_none()) {
                return Err(Unsupported::Constraint);
            }
            budget[c] = have.saturating_sub(need[c]);
        }
        let val = Val {
            last_use: NONE,
            next_use: NONE,
            use_block: NONE,
            slot: NONE,
            home: Allocation::none(),
            reg: None,
            global: false,
        };
        Ok(Allocator {
            f,
            allocatable,
            preferred: pref,
            scratch: env.scratch_by_class,
            budget,
            all_clobbers,
            calls_before,
            op_next: vec![NONE; nops as usize],
            op_base,
            ops: decoded,
            vals: vec![val; f.num_vregs()],
            free: allocatable,
            homes: [0; 3],
            owner: [NONE; 3 * 64],
            free_slots: Vec::with_capacity(8),
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
        for b in (0..f.num_blocks()).rev() {
            let block = Block::new(b);
            let bi = b as u32;
            // The first use met (going backward) is the last; a use in
            // another block than that one makes the value global.
            let touch = |val: &mut Val, pos: u32| {
                if val.last_use == NONE {
                    val.last_use = pos;
                    val.use_block = bi;
                } else if val.use_block != bi {
                    val.global = true;
                }
                val.next_use = pos;
            };
            let insts = f.block_insns(block);
            for i in insts.iter().rev() {
                let pos = i.index() as u32;
                if i == insts.last() {
                    for k in 0..f.block_succs(block).len() {
                        for &v in f.branch_blockparams(block, i, k) {
                            touch(&mut self.vals[v.vreg()], pos);
                        }
                    }
                }
                let ops = self.op_base[i.index()] as usize..self.op_base[i.index() + 1] as usize;
                for k in ops.clone() {
                    let op = self.ops[k];
                    let val = &mut self.vals[op.v as usize];
                    self.op_next[k] = val.next_use;
                    if op.def {
                        val.next_use = NONE;
                        if val.last_use != NONE && val.use_block != bi {
                            val.global = true;
                        }
                    }
                }
                for k in ops {
                    let op = self.ops[k];
                    if !op.def {
                        touch(&mut self.vals[op.v as usize], pos);
                    }
                }
            }
            for &p in f.block_params(block) {
                let val = &mut self.vals[p.vreg()];
                val.global = val.last_use != NONE;
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
        match (self.vals[v].reg, self.vals[v].slot) {
            (Some(r), _) => Ok(Allocation::reg(r)),
            (None, NONE) => Err(Unsupported::Invalid),
            (None, s) => Ok(Self::stack(s)),
        }
    }

    /// The preferred register of `m` if any, else its first.
    fn first(&self, c: usize, m: Mask) -> PReg {
        let p = m & self.preferred[c];
        let m = if p != 0 { p } else { m };
        PReg::new(m.trailing_zeros() as usize, class_of(c))
    }

    fn assign(&mut self, v: usize, r: PReg) {
        self.owner[r.index()] = v as u32;
        self.free[r.class() as usize] &= !bit(r);
        self.vals[v].reg = Some(r);
    }

    fn unassign(&mut self, r: PReg) {
        let c = r.class() as usize;
        self.owner[r.index()] = NONE;
        self.free[c] |= bit(r);
        self.homes[c] &= !bit(r);
    }

    /// Drop the value in `r` from it (storing it first if it has no slot).
    fn evict(&mut self, r: PReg, at: Inst) {
        let v = self.owner[r.index()] as usize;
        if self.vals[v].slot == NONE {
            let s = self.new_slot();
            self.vals[v].slot = s;
            let edit = Edit::Move {
                from: Allocation::reg(r),
                to: Self::stack(s),
            };
            self.edits.push((ProgPoint::before(at), edit));
        }
        self.vals[v].reg = None;
        self.unassign(r);
    }

    /// A free register of class `c` outside `avoid` (outside the clobbers
    /// if `safe` and one is free), or else the evictable register whose
    /// value is needed last, evicted before `at`.
    fn take_reg(&mut self, c: usize, avoid: Mask, safe: bool, at: Inst) -> PReg {
        let cand = self.free[c] & !avoid;
        if cand != 0 {
            let safe_cand = cand & !self.all_clobbers[c];
            return self.first(
                c,
                if safe && safe_cand != 0 {
                    safe_cand
                } else {
                    cand
                },
            );
        }
        let mut evictable = self.allocatable[c] & !self.homes[c] & !avoid;
        let mut victim: Option<(PReg, u32)> = None;
        while evictable != 0 {
            let r = PReg::new(evictable.trailing_zeros() as usize, class_of(c));
            evictable &= evictable - 1;
            let next = self.vals[self.owner[r.index()] as usize].next_use;
            if victim.is_none_or(|(_, n)| next > n) {
                victim = Some((r, next));
            }
        }
        let (r, _) = victim.expect("the register budget leaves a register to evict");
        self.evict(r, at);
        r
    }

    /// A home for global `v` of class `c` live from `from` to its last use:
    /// a free register outside `avoid` if `allow_reg` and the budget allow,
    /// else a slot.
    fn choose_home(&mut self, v: usize, c: usize, from: u32, mut avoid: Mask, allow_reg: bool) {
        if self.crosses_call(from, self.vals[v].last_use) {
            avoid |= self.all_clobbers[c];
        }
        let cand = self.free[c] & !avoid;
        if allow_reg && cand != 0 && self.homes[c].count_ones() < self.budget[c] {
            let r = self.first(c, cand);
            self.assign(v, r);
            self.homes[c] |= bit(r);
            self.vals[v].home = Allocation::reg(r);
        } else {
            let s = self.new_slot();
            self.vals[v].slot = s;
            self.vals[v].home = Self::stack(s);
        }
    }

    /// `v` is dead: free its register and slot.
    fn release(&mut self, v: usize) {
        // A parameter may have taken the register over (see `edges`).
        if let Some(r) = self.vals[v].reg.take()
            && self.owner[r.index()] == v as u32
        {
            self.unassign(r);
        }
        if self.vals[v].slot != NONE {
            self.free_slots.push(self.vals[v].slot);
            self.vals[v].slot = NONE;
        }
    }

    /// A move, through the scratch register if both ends are slots.
    fn push_move(&mut self, at: ProgPoint, from: Allocation, to: Allocation, class: RegClass) {
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
            if self.vals[v].global && self.vals[v].home == Allocation::none() {
                let from = insts.first().index() as u32;
                self.choose_home(v, p.class() as usize, from, 0, true);
            }
        }
        let branch = !f.block_succs(block).is_empty();
        for i in insts.iter() {
            self.inst(block, i, branch && i == insts.last())?;
        }
        // Drop cached copies: only homes survive a block boundary.
        for c in 0..3 {
            let mut cached = self.allocatable[c] & !self.free[c] & !self.homes[c];
            while cached != 0 {
                let r = PReg::new(cached.trailing_zeros() as usize, class_of(c));
                cached &= cached - 1;
                self.vals[self.owner[r.index()] as usize].reg = None;
                self.unassign(r);
            }
        }
        Ok(())
    }

    fn inst(&mut self, block: Block, i: Inst, branch: bool) -> Result<(), Unsupported> {
        let pos = i.index() as u32;
        let ops = self.op_base[i.index()] as usize..self.op_base[i.index() + 1] as usize;
        let mut pinned = [0; 3];
        // 1. Uses.
        for k in ops.clone() {
            let op = self.ops[k];
            if op.def {
                continue;
            }
            let (v, c) = (op.v as usize, op.c as usize);
            let loc = self.location(v)?;
            let alloc = match op.constraint {
                Constraint::Reg if self.vals[v].reg.is_none() => {
                    let r = self.take_reg(c, pinned[c], false, i);
                    let to = Allocation::reg(r);
                    self.edits
                        .push((ProgPoint::before(i), Edit::Move { from: loc, to }));
                    self.assign(v, r);
                    pinned[c] |= bit(r);
                    to
                }
                Constraint::Reg => {
                    pinned[c] |= bit(self.vals[v].reg.expect("in a register"));
                    loc
                }
                Constraint::Stack if self.vals[v].slot == NONE => {
                    let s = self.new_slot();
                    self.vals[v].slot = s;
                    let to = Self::stack(s);
                    self.edits
                        .push((ProgPoint::before(i), Edit::Move { from: loc, to }));
                    to
                }
                Constraint::Stack => Self::stack(self.vals[v].slot),
                Constraint::Any => loc,
            };
            self.allocs[k] = alloc;
            self.vals[v].next_use = self.op_next[k];
        }
        // 2. Values needed after a call leave its clobbered registers.
        let mut avoid = [0; 3];
        if self.calls_before[i.index() + 1] > self.calls_before[i.index()] {
            avoid = masks(self.f.inst_clobbers(i));
            for (c, clobbered) in avoid.into_iter().enumerate() {
                let mut held = clobbered & self.allocatable[c] & !self.free[c];
                while held != 0 {
                    let r = PReg::new(held.trailing_zeros() as usize, class_of(c));
                    held &= held - 1;
                    if self.vals[self.owner[r.index()] as usize].last_use != pos {
                        debug_assert!(self.homes[c] & bit(r) == 0, "home in a clobbered register");
                        self.evict(r, i);
                    }
                }
            }
        }
        // 5 (first half). Edge moves read the arguments before they are freed.
        if branch {
            self.edges(block, i)?;
        }
        // 3. Values dying here.
        for k in ops.clone() {
            let op = self.ops[k];
            if !op.def && self.vals[op.v as usize].last_use == pos {
                self.release(op.v as usize);
            }
        }
        if branch {
            let f = self.f;
            for k in 0..f.block_succs(block).len() {
                for &a in f.branch_blockparams(block, i, k) {
                    if self.vals[a.vreg()].last_use == pos {
                        self.release(a.vreg());
                    }
                }
            }
        }
        // 4. Defs. A def may take the register of a use (stored first if
        // still live): uses read early, defs write late.
        let mut any_def = false;
        for k in ops.clone() {
            let op = self.ops[k];
            if !op.def {
                continue;
            }
            any_def = true;
            let (v, c) = (op.v as usize, op.c as usize);
            let alloc = if self.vals[v].global {
                let allow_reg = op.constraint != Constraint::Stack;
                self.choose_home(v, c, pos, avoid[c], allow_reg);
                let home = self.vals[v].home;
                if home.is_stack() && op.constraint == Constraint::Reg {
                    let r = self.take_reg(c, avoid[c], false, i);
                    self.assign(v, r);
                    self.after.push((Allocation::reg(r), home));
                    Allocation::reg(r)
                } else {
                    home
                }
            } else {
                let safe = self.crosses_call(pos, self.vals[v].last_use);
                let cand = self.free[c] & !avoid[c];
                let safe_cand = cand & !self.all_clobbers[c];
                if op.constraint == Constraint::Reg {
                    let r = self.take_reg(c, avoid[c], safe, i);
                    self.assign(v, r);
                    Allocation::reg(r)
                } else if op.constraint == Constraint::Any && cand != 0 && (!safe || safe_cand != 0)
                {
                    let r = self.first(c, if safe { safe_cand } else { cand });
                    self.assign(v, r);
                    Allocation::reg(r)
                } else {
                    let s = self.new_slot();
                    self.vals[v].slot = s;
                    Self::stack(s)
                }
            };
            if let Some(r) = alloc.as_reg() {
                avoid[c] |= bit(r);
            }
            self.allocs[k] = alloc;
            self.vals[v].next_use = self.op_next[k];
        }
        if !any_def {
            return Ok(());
        }
        for (from, to) in std::mem::take(&mut self.after) {
            self.edits
                .push((ProgPoint::after(i), Edit::Move { from, to }));
        }
        for k in ops {
            let op = self.ops[k];
            if op.def && self.vals[op.v as usize].last_use == NONE {
                self.release(op.v as usize);
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
                let (a, pv): (usize, usize) = (a.vreg(), p.vreg());
                if !self.vals[pv].global {
                    continue; // unused parameter
                }
                let src = self.location(a)?;
                if self.vals[pv].home == Allocation::none() {
                    let c = p.class() as usize;
                    let crosses = self.crosses_call(pos, self.vals[pv].last_use);
                    // Take over the register of an argument that dies here.
                    let takeover = self.vals[a].reg.filter(|&r| {
                        let was_home = self.homes[c] & bit(r) != 0;
                        self.vals[a].last_use == pos
                            && self.owner[r.index()] == a as u32
                            && (was_home || self.homes[c].count_ones() < self.budget[c])
                            && !(crosses && self.all_clobbers[c] & bit(r) != 0)
                    });
                    if let Some(r) = takeover {
                        // `a` keeps naming `r` for the other edges; `release` spares it.
                        self.owner[r.index()] = pv as u32;
                        self.homes[c] |= bit(r);
                        self.vals[pv].reg = Some(r);
                        self.vals[pv].home = Allocation::reg(r);
                    } else {
                        self.choose_home(pv, c, pos, 0, true);
                    }
                }
                moves.push((src, self.vals[pv].home, p.class()));
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
