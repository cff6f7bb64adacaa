//! Dead-code removal on MIR: drops every pure instruction whose results are
//! never used, transitively.
//!
//! Lowering emits some values that end up unused, most of them where
//! `lower/math.rs` folded a test its facts decide and the constants and
//! operands of the test were already emitted. Every instruction costs
//! register-allocation and emission time, and a kept dead value costs a
//! register, so they go before allocation.
//!
//! Pure: constants, argument reads, unary, binary, compare, select, convert,
//! bitcast, the vector lane operations and loads (every MIR instruction is total, so none can trap; a
//! load only reads). Calls, result stores, memory stores and terminators stay. Block parameters stay even when
//! unused (removing one would change every block call to it).
//!
//! **Invariant:** the result satisfies every invariant of [`Function`]; only
//! instructions are removed, block ranges shrink accordingly.

use super::function::Function;
use super::inst::Inst;

/// Removes the dead pure instructions of `func`.
///
/// One backward pass over the instructions in layout order: a definition
/// comes before its uses in that order except around loop back edges, so a
/// chain of dead instructions falls in one pass; what a back edge hides is
/// merely kept.
pub fn remove_dead_code(func: &mut Function) {
    let mut uses = vec![0u32; func.values.len()];
    for inst in &func.insts {
        count_uses(inst, &mut uses);
    }
    let mut dead = vec![false; func.insts.len()];
    let mut any = false;
    for (i, inst) in func.insts.iter().enumerate().rev() {
        if removable(inst, &uses) {
            dead[i] = true;
            any = true;
            for v in inst.uses().iter() {
                uses[v.index()] -= 1;
            }
        }
    }
    if !any {
        return;
    }
    let mut kept = 0u32;
    for block in &mut func.blocks {
        let start = kept;
        kept += block.insts.clone().filter(|&i| !dead[i as usize]).count() as u32;
        block.insts = start..kept;
    }
    let mut index = 0;
    func.insts.retain(|_| {
        index += 1;
        !dead[index - 1]
    });
}

fn count_uses(inst: &Inst, uses: &mut [u32]) {
    for v in inst.uses().iter() {
        uses[v.index()] += 1;
    }
    for call in inst.block_calls() {
        for v in &call.args {
            uses[v.index()] += 1;
        }
    }
}

/// A pure instruction none of whose results is used.
fn removable(inst: &Inst, uses: &[u32]) -> bool {
    let pure = matches!(
        inst,
        Inst::Const { .. }
            | Inst::Arg { .. }
            | Inst::Unary { .. }
            | Inst::Binary { .. }
            | Inst::Cmp { .. }
            | Inst::Select { .. }
            | Inst::Fma { .. }
            | Inst::Convert { .. }
            | Inst::Bitcast { .. }
            | Inst::Load { .. }
            | Inst::Splat { .. }
            | Inst::ReduceLanes { .. }
            | Inst::ShiftImm { .. }
            | Inst::Widen { .. }
            | Inst::Narrow { .. }
            | Inst::ConcatLow { .. }
            | Inst::Permute { .. }
            | Inst::ByteTable { .. }
            | Inst::ByteTableInto { .. }
            | Inst::AnyLane { .. }
            | Inst::ExtractLane { .. }
            | Inst::InsertLane { .. }
            | Inst::VectorLoad { .. }
    );
    pure && inst.defs().iter().all(|d| uses[d.index()] == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mir::{BinOp, Builder, CmpOp, Ty, UnOp};

    #[test]
    fn removes_dead_chains_and_keeps_effects_and_block_structure() {
        let mut b = Builder::new("f");
        let x = b.arg(Ty::F64, 0);
        let unused_arg = b.arg(Ty::F64, 1);
        let one = b.f64const(1.0);
        // A dead chain: neg(x + 1) < 1, its negation.
        let sum = b.binary(BinOp::Add, x, one);
        let neg = b.unary(UnOp::Neg, sum);
        let lt = b.cmp(CmpOp::Lt, neg, one);
        let _not = b.unary(UnOp::Not, lt);
        // Live: x * 1 goes through a block parameter to the result.
        let prod = b.binary(BinOp::Mul, x, one);
        let (next, params) = b.create_block(&[Ty::F64, Ty::F64]);
        b.jump(next, &[prod, unused_arg]);
        b.switch_to(next);
        let dead_in_second_block = b.f64const(2.0);
        let _ = dead_in_second_block;
        b.store_result(0, params[0]);
        b.ret();
        let mut f = b.finish();
        let before = f.clone();
        remove_dead_code(&mut f);
        let text = f.to_string();
        assert_eq!(f.insts.len(), 7, "{text}");
        assert!(
            !text.contains("Add") && !text.contains("Neg") && !text.contains("cmp"),
            "{text}"
        );
        assert!(text.contains("Mul.f64"), "{text}");
        assert!(
            text.contains("arg 1"),
            "a block-call argument is a use: {text}"
        );
        assert_eq!(f.blocks[0].insts, 0..5, "{text}");
        assert_eq!(f.blocks[1].insts, 5..7, "{text}");
        let args = [3.0f64.to_bits(), 0];
        assert_eq!(
            crate::mir::eval::eval(&f, &args),
            crate::mir::eval::eval(&before, &args)
        );
    }

    #[test]
    fn a_function_without_dead_code_is_unchanged() {
        let mut b = Builder::new("g");
        let x = b.arg(Ty::I32, 0);
        let y = b.unary(UnOp::Neg, x);
        b.store_result(0, y);
        b.ret();
        let mut f = b.finish();
        let before = f.clone();
        remove_dead_code(&mut f);
        assert_eq!(f, before);
    }
}
