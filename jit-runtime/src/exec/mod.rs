//! Executable code: the finished machine code of one compiled function.
//!
//! Terms:
//! - *entry*: the function pointer [`EntryFn`],
//!   `unsafe extern "C" fn(args: *const u64, results: *mut u64)`. Each scalar
//!   argument and result takes one 8-byte slot with the value in its low bits
//!   (f32 as its bit pattern in the low 32 bits, i32/u32 in the low 32 bits,
//!   bool as 0 or 1); arrays will put a pointer in a slot.
//!
//! Invariants:
//! - W^X: the bytes are written into writable, non-executable pages of the
//!   code arena (`arena.rs`), which are then made read+execute; no page is
//!   ever writable and executable at once.
//! - The entry is at offset 0 and the code is position-independent.
//! - On AArch64 the instruction cache is synchronised with the written bytes
//!   (`dc cvau` / `ic ivau`, then `isb`) before the code can run: its
//!   instruction and data caches are not coherent.

mod arena;

use std::fmt::Write as _;

use arena::CodePages;

/// The signature of every compiled function.
pub type EntryFn = unsafe extern "C" fn(args: *const u64, results: *mut u64);

/// Machine code ready to run. Owns its pages; dropping it returns them to
/// the code arena (`arena.rs`).
#[derive(Debug)]
pub struct CompiledCode {
    pages: CodePages,
    isa: CodeIsa,
}

/// The instruction set of a [`CompiledCode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeIsa {
    /// x86-64.
    X64,
    /// AArch64 (A64 instructions).
    Aarch64,
}

impl CompiledCode {
    /// Copy position-independent x86-64 machine code into fresh memory and make it executable.
    pub fn from_x64_bytes(bytes: &[u8]) -> std::io::Result<Self> {
        Self::from_bytes(bytes, CodeIsa::X64)
    }

    /// Copy position-independent AArch64 machine code into fresh memory,
    /// synchronise the instruction cache with it and make it executable.
    pub fn from_aarch64_bytes(bytes: &[u8]) -> std::io::Result<Self> {
        Self::from_bytes(bytes, CodeIsa::Aarch64)
    }

    fn from_bytes(bytes: &[u8], isa: CodeIsa) -> std::io::Result<Self> {
        Ok(CompiledCode {
            pages: CodePages::new(bytes)?,
            isa,
        })
    }

    /// The entry point.
    ///
    /// Calling it is sound when `args` points to at least as many readable
    /// slots and `results` to as many writable slots as the compiled
    /// function's signature names, and `self` outlives the call.
    pub fn entry(&self) -> EntryFn {
        let ptr = self.pages.ptr();
        // SAFETY: the buffer holds a complete function compiled for this
        // process's ISA with the `EntryFn` ABI, starting at offset 0.
        unsafe { std::mem::transmute::<*const u8, EntryFn>(ptr) }
    }

    /// Size of the machine code in bytes.
    pub fn code_size(&self) -> usize {
        self.pages.bytes().len()
    }

    /// The machine code.
    pub fn bytes(&self) -> &[u8] {
        self.pages.bytes()
    }

    /// The instruction set of the code.
    #[cfg(test)]
    pub fn isa(&self) -> CodeIsa {
        self.isa
    }

    /// Disassembly, one instruction per line: `offset  text`. x86-64 in
    /// Intel syntax; AArch64 as instruction words in hex (no disassembler is
    /// linked for it; `aarch64-linux-gnu-objdump -D -b binary -m aarch64`
    /// decodes them).
    pub fn disassemble(&self) -> String {
        match self.isa {
            CodeIsa::X64 => disassemble_x64(self.bytes(), 64),
            CodeIsa::Aarch64 => hex_words(self.bytes()),
        }
    }
}

/// AArch64 machine code as little-endian 32-bit words, one per line: `offset  word`.
pub fn hex_words(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, w) in bytes.chunks(4).enumerate() {
        let mut word = [0u8; 4];
        word[..w.len()].copy_from_slice(w);
        let _ = writeln!(out, "{:04x}  {:08x}", 4 * i, u32::from_le_bytes(word));
    }
    out
}

/// Intel-syntax disassembly of x86 machine code, one instruction per line.
pub fn disassemble_x64(bytes: &[u8], bitness: u32) -> String {
    use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter};
    let mut decoder = Decoder::with_ip(bitness, bytes, 0, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    let mut text = String::new();
    let mut out = String::new();
    let mut inst = Instruction::default();
    while decoder.can_decode() {
        decoder.decode_out(&mut inst);
        text.clear();
        formatter.format(&inst, &mut text);
        let _ = writeln!(out, "{:04x}  {text}", inst.ip());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_code_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<CompiledCode>();
    }

    #[cfg(target_arch = "aarch64")]
    #[test]
    fn runs_hand_written_aarch64_bytes() {
        // ldr x2, [x0]; str x2, [x1]; ret
        let words: [u32; 3] = [0xf940_0002, 0xf900_0022, 0xd65f_03c0];
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        let code = CompiledCode::from_aarch64_bytes(&bytes).unwrap();
        let args = [42u64];
        let mut results = [0u64];
        // SAFETY: one readable and one writable slot, as the code needs.
        unsafe { code.entry()(args.as_ptr(), results.as_mut_ptr()) };
        assert_eq!(results[0], 42);
        expect_test::expect![[r#"
            0000  f9400002
            0004  f9000022
            0008  d65f03c0
        "#]]
        .assert_eq(&code.disassemble());
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn runs_and_disassembles_hand_written_bytes() {
        // mov rax, [rdi]; mov [rsi], rax; ret
        let code =
            CompiledCode::from_x64_bytes(&[0x48, 0x8b, 0x07, 0x48, 0x89, 0x06, 0xc3]).unwrap();
        let args = [42u64];
        let mut results = [0u64];
        // SAFETY: one readable and one writable slot, as the code needs.
        unsafe { code.entry()(args.as_ptr(), results.as_mut_ptr()) };
        assert_eq!(results[0], 42);
        let text = code.disassemble();
        assert!(text.contains("mov rax,[rdi]"), "{text}");
        assert!(text.contains("ret"), "{text}");
        assert_eq!(code.code_size(), 7);
    }
}
