//! Register allocation: MIR seen through regalloc2's `Function` trait.
//!
//! Terms:
//! - *operand rules*: the target decides the regalloc2 [`Operand`]s and the
//!   clobbered registers of each instruction (fixed registers, calls); this
//!   module only asks for them ([`OperandRules`]) and caches the answers.
//! - MIR value `vN` is regalloc2 `VReg` number `N` in the class of its type,
//!   MIR block `bN` is regalloc2 block `N`, and instruction indices coincide.
//! - Block-call arguments are not operands: regalloc2 receives them through
//!   `branch_blockparams` and inserts the moves itself.
//!
//! Invariant: in tests every allocation is checked by regalloc2's checker.
//!
//! Allocators: loop-free functions go to the home-made one-pass allocator
//! ([`super::linear_scan`], several times faster than regalloc2's
//! `fastalloc` and close to `ion` in code quality, figures there);
//! functions with loops go to `ion`, whose splitting pays off where loops
//! carry values. `fastalloc` remains selectable, and takes over where the
//! one-pass allocator declines a function.

use regalloc2::{
    Algorithm, Block as RaBlock, Function as RaFunctionTrait, Inst as RaInst, InstRange,
    MachineEnv, Operand, Output, PRegSet, RegAllocError, RegClass as RaClass, RegallocOptions,
    VReg,
};

use super::function::Function;
use super::inst::Inst;
use super::linear_scan::{self, Unsupported};
use super::types::{Block, RegClass, Value};

/// What a target tells the allocator about each instruction.
pub trait OperandRules {
    /// Push the operands of `inst` (uses and defs, in the order the emitter
    /// will read the allocations) and return the registers it clobbers.
    fn operands(&self, func: &Function, inst: &Inst, out: &mut Vec<Operand>) -> PRegSet;
}

/// Which register allocator to run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AllocatorChoice {
    /// [`linear_scan`] where there is no loop, `ion` otherwise.
    #[default]
    Auto,
    /// [`linear_scan`]; where it declines (a loop: `ion`, else `fastalloc`).
    LinearScan,
    /// Always `ion`.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "the backend tests run every allocator")
    )]
    Ion,
    /// Always `fastalloc`.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "the backend tests run every allocator")
    )]
    Fastalloc,
}

/// The regalloc2 register class of a MIR class.
pub fn ra_class(class: RegClass) -> RaClass {
    match class {
        RegClass::Int => RaClass::Int,
        RegClass::Float => RaClass::Float,
    }
}

/// The regalloc2 virtual register of a MIR value.
pub fn vreg(func: &Function, v: Value) -> VReg {
    VReg::new(v.index(), ra_class(func.ty(v).class()))
}

/// A MIR function prepared for regalloc2 (operands, CFG edges cached).
pub struct RaFunction<'a> {
    func: &'a Function,
    operands: Vec<Operand>,
    operand_start: Vec<u32>,
    clobbers: Vec<PRegSet>,
    succs: Vec<Vec<RaBlock>>,
    preds: Vec<Vec<RaBlock>>,
    params: Vec<Vec<VReg>>,
    branch_args: Vec<Vec<Vec<VReg>>>,
}

impl<'a> RaFunction<'a> {
    /// Gather operands and CFG edges of `func` under `rules`.
    pub fn new(func: &'a Function, rules: &impl OperandRules) -> Self {
        // Most instructions have at most three operands.
        let mut operands = Vec::with_capacity(3 * func.insts.len());
        let mut operand_start = Vec::with_capacity(func.insts.len() + 1);
        let mut clobbers = Vec::with_capacity(func.insts.len());
        for inst in &func.insts {
            operand_start.push(operands.len() as u32);
            clobbers.push(rules.operands(func, inst, &mut operands));
        }
        operand_start.push(operands.len() as u32);
        let n = func.blocks.len();
        let mut succs = vec![Vec::new(); n];
        let mut preds = vec![Vec::new(); n];
        let mut branch_args = vec![Vec::new(); n];
        for b in 0..n {
            let last = func.block_insts(Block(b as u32)).last();
            for call in last.into_iter().flat_map(Inst::block_calls) {
                succs[b].push(RaBlock::new(call.block.index()));
                preds[call.block.index()].push(RaBlock::new(b));
                branch_args[b].push(call.args.iter().map(|v| vreg(func, *v)).collect());
            }
        }
        let params = func
            .blocks
            .iter()
            .map(|blk| blk.params.iter().map(|v| vreg(func, *v)).collect())
            .collect();
        RaFunction {
            func,
            operands,
            operand_start,
            clobbers,
            succs,
            preds,
            params,
            branch_args,
        }
    }
}

impl RaFunctionTrait for RaFunction<'_> {
    fn num_insts(&self) -> usize {
        self.func.insts.len()
    }
    fn num_blocks(&self) -> usize {
        self.func.blocks.len()
    }
    fn entry_block(&self) -> RaBlock {
        RaBlock::new(0)
    }
    fn block_insns(&self, block: RaBlock) -> InstRange {
        let r = &self.func.blocks[block.index()].insts;
        InstRange::new(RaInst::new(r.start as usize), RaInst::new(r.end as usize))
    }
    fn block_succs(&self, block: RaBlock) -> &[RaBlock] {
        &self.succs[block.index()]
    }
    fn block_preds(&self, block: RaBlock) -> &[RaBlock] {
        &self.preds[block.index()]
    }
    fn block_params(&self, block: RaBlock) -> &[VReg] {
        &self.params[block.index()]
    }
    fn is_ret(&self, insn: RaInst) -> bool {
        matches!(self.func.insts[insn.index()], Inst::Return)
    }
    fn is_branch(&self, insn: RaInst) -> bool {
        matches!(
            self.func.insts[insn.index()],
            Inst::Jump { .. } | Inst::Branch { .. }
        )
    }
    fn branch_blockparams(&self, block: RaBlock, _insn: RaInst, succ_idx: usize) -> &[VReg] {
        &self.branch_args[block.index()][succ_idx]
    }
    fn inst_operands(&self, insn: RaInst) -> &[Operand] {
        let i = insn.index();
        &self.operands[self.operand_start[i] as usize..self.operand_start[i + 1] as usize]
    }
    fn inst_clobbers(&self, insn: RaInst) -> PRegSet {
        self.clobbers[insn.index()]
    }
    fn num_vregs(&self) -> usize {
        self.func.values.len()
    }
    fn spillslot_size(&self, _regclass: RaClass) -> usize {
        // Scalars only for now: one 8-byte slot holds any of them.
        1
    }
}

/// Whether some branch goes to a block at or before its own (a loop).
fn has_back_edge(func: &Function) -> bool {
    func.blocks.iter().enumerate().any(|(b, data)| {
        data.insts
            .clone()
            .filter_map(|i| func.insts.get(i as usize))
            .flat_map(|inst| inst.block_calls())
            .any(|call| call.block.index() <= b)
    })
}

/// Run regalloc2 on `ra` in the register environment `env`.
pub fn allocate(
    ra: &RaFunction<'_>,
    env: &MachineEnv,
    choice: AllocatorChoice,
) -> Result<Output, RegAllocError> {
    let algorithm = match choice {
        AllocatorChoice::Ion => Algorithm::Ion,
        AllocatorChoice::Fastalloc => Algorithm::Fastalloc,
        // ion keeps loop-carried values in registers.
        AllocatorChoice::Auto if has_back_edge(ra.func) => Algorithm::Ion,
        // Without loops, the one-pass allocator is several times faster than
        // fastalloc and as good.
        AllocatorChoice::Auto | AllocatorChoice::LinearScan => match linear_scan::run(ra, env) {
            Ok(out) => {
                #[cfg(test)]
                check(ra, env, &out);
                return Ok(out);
            }
            Err(Unsupported::BackEdge) => Algorithm::Ion,
            // regalloc2 reports what is wrong with an invalid function; tests
            // make sure that linear scan is not silently bypassed.
            Err(e) => {
                if cfg!(test) && choice == AllocatorChoice::LinearScan {
                    panic!("linear scan declined\n{}\n{e:?}", ra.func);
                }
                Algorithm::Fastalloc
            }
        },
    };
    let options = RegallocOptions {
        verbose_log: false,
        validate_ssa: cfg!(debug_assertions),
        algorithm,
    };
    let out = regalloc2::run(ra, env, &options)?;
    #[cfg(test)]
    check(ra, env, &out);
    Ok(out)
}

/// regalloc2's symbolic checker over one allocation; panics on any error.
#[cfg(test)]
fn check(ra: &RaFunction<'_>, env: &MachineEnv, out: &Output) {
    let mut checker = regalloc2::checker::Checker::new(ra, env);
    checker.prepare(out);
    if let Err(e) = checker.run() {
        panic!(
            "regalloc2 checker rejected the allocation of\n{}\n{e:?}",
            ra.func
        );
    }
}
