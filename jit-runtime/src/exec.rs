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
//! - W^X: the bytes are written into a writable, non-executable mapping and
//!   then remapped read+execute ([`dynasmrt::ExecutableBuffer`]); no page is
//!   ever writable and executable at once.
//! - The entry is at offset 0 and the code is position-independent.

use std::fmt::Write as _;

use dynasmrt::mmap::MutableBuffer;
use dynasmrt::{AssemblyOffset, ExecutableBuffer};

/// The signature of every compiled function.
pub type EntryFn = unsafe extern "C" fn(args: *const u64, results: *mut u64);

/// Machine code ready to run. Owns its memory; dropping it unmaps the code.
#[derive(Debug)]
pub struct CompiledCode {
    buf: ExecutableBuffer,
    size: usize,
    bitness: u32,
}

impl CompiledCode {
    /// Copy position-independent x86-64 machine code into fresh memory and make it executable.
    pub fn from_x64_bytes(bytes: &[u8]) -> std::io::Result<Self> {
        let mut mem = MutableBuffer::new(bytes.len().max(1))?;
        mem.set_len(bytes.len());
        mem[..].copy_from_slice(bytes);
        let buf = mem.make_exec()?;
        Ok(CompiledCode {
            buf,
            size: bytes.len(),
            bitness: 64,
        })
    }

    /// The entry point.
    ///
    /// Calling it is sound when `args` points to at least as many readable
    /// slots and `results` to as many writable slots as the compiled
    /// function's signature names, and `self` outlives the call.
    pub fn entry(&self) -> EntryFn {
        let ptr = self.buf.ptr(AssemblyOffset(0));
        // SAFETY: the buffer holds a complete function compiled for this
        // process's ISA with the `EntryFn` ABI, starting at offset 0.
        unsafe { std::mem::transmute::<*const u8, EntryFn>(ptr) }
    }

    /// Size of the machine code in bytes.
    pub fn code_size(&self) -> usize {
        self.size
    }

    /// The machine code.
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.size]
    }

    /// Intel-syntax disassembly, one instruction per line: `offset  text`.
    pub fn disassemble(&self) -> String {
        disassemble_x64(self.bytes(), self.bitness)
    }
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
