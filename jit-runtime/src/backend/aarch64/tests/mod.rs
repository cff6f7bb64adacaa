//! AArch64 encodings, checked byte for byte on any host.
//!
//! Each row is a small MIR function (arguments, one instruction or a short
//! pattern, stored results), the assembly text it must become, and the
//! instruction words GNU `as` (binutils 2.40, `aarch64-linux-gnu-as`)
//! assembles that text to. The words were pasted from the assembler, never
//! computed by dynasm, so a row fails when dynasm encodes differently or
//! the emitter picks other instructions. Register numbers come from the
//! linear-scan allocator, which is deterministic.
//!
//! To re-check a row: put its text in a file, `aarch64-linux-gnu-as f.s -o
//! f.o && aarch64-linux-gnu-objdump -d f.o`. `JIT_TEST_PRINT_A64=1` prints
//! what the backend emits for every row.
//!
//! Execution of the same code is tested in `backend/tests/` when the tests
//! run on an AArch64 host (natively or under `qemu-aarch64`).

mod table;

use super::A64Backend;
use crate::backend::generate;
use crate::mir::Function;
use crate::mir::regalloc::AllocatorChoice;

/// The instruction words the AArch64 backend emits for `func`.
pub(super) fn words(func: &Function) -> Vec<u32> {
    let code = generate(A64Backend::new(), func, AllocatorChoice::LinearScan)
        .unwrap_or_else(|e| panic!("{e}\n{func}"));
    code.bytes()
        .chunks(4)
        .map(|w| u32::from_le_bytes(w.try_into().unwrap()))
        .collect()
}

#[test]
fn every_row_encodes_as_gnu_as_does() {
    let print = std::env::var_os("JIT_TEST_PRINT_A64").is_some();
    let mut failures = Vec::new();
    for row in table::rows() {
        let func = (row.build)();
        let got = words(&func);
        if print {
            println!("== {}", row.name);
            for w in &got {
                println!("  .inst 0x{w:08x}");
            }
        }
        if got != row.words {
            failures.push(format!(
                "{}: expected\n{}\n{:08x?}\ngot\n{:08x?}\n{func}",
                row.name, row.text, row.words, got
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_table_covers_every_kind_of_instruction() {
    use crate::mir::Inst;
    let mut kinds = std::collections::BTreeSet::new();
    for row in table::rows() {
        for inst in &(row.build)().insts {
            kinds.insert(match inst {
                Inst::Const { .. } => "const",
                Inst::Arg { .. } => "arg",
                Inst::StoreResult { .. } => "result",
                Inst::Unary { .. } => "unary",
                Inst::Binary { .. } => "binary",
                Inst::Cmp { .. } => "cmp",
                Inst::Select { .. } => "select",
                Inst::Fma { .. } => "fma",
                Inst::Convert { .. } => "convert",
                Inst::Bitcast { .. } => "bitcast",
                Inst::Call { .. } => "call",
                Inst::Load { .. } => "load",
                Inst::Store { .. } => "store",
                Inst::Jump { .. } => "jump",
                Inst::Branch { .. } => "branch",
                Inst::Return => "return",
                Inst::Splat { .. } => "splat",
                Inst::ReduceLanes { .. } => "reduce_lanes",
                Inst::ShiftImm { .. } => "shift_imm",
                Inst::Widen { .. } => "widen",
                Inst::Narrow { .. } => "narrow",
                Inst::ConcatLow { .. } => "concat_low",
                Inst::Permute { .. } => "permute",
                Inst::ByteTable { .. } => "byte_table",
                Inst::ByteTableInto { .. } => "byte_table_into",
                Inst::AnyLane { .. } => "any_lane",
                Inst::ExtractLane { .. } => "extract_lane",
                Inst::InsertLane { .. } => "insert_lane",
                Inst::VectorLoad { .. } => "vector_load",
                Inst::VectorStore { .. } => "vector_store",
            });
        }
    }
    assert_eq!(kinds.len(), 29, "{kinds:?}");
}
