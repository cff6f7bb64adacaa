//! The calling convention of compiled code, on the Rust side: how a call's
//! values become argument slots and result slots become values.
//!
//! Compiled code is [`EntryFn`]: `fn(args: *const u64, results: *mut u64)`.
//! Terms and layout:
//! - a *slot* is 8 bytes; a scalar sits in its low bits ([`Scalar::to_slot`]).
//! - argument slot `k` holds graph input `k`: a scalar's bits, or an
//!   array's data pointer (its buffer, row-major, elements packed at their
//!   dtype's size, `bool` one byte);
//! - then one more argument slot per *array result*, in result order: the
//!   data pointer of a fresh buffer the caller allocated from the result's
//!   abstract value (dtype, weak flag, shape), uninitialised, which the
//!   code fills: every element of every result is stored (zeroing it first
//!   would be a second pass over the memory, a third of a copy's time);
//! - then one slot holding the address of the code's *scratch memory*, for
//!   arrays it computes and does not return (`scratch_bytes` long,
//!   64-byte aligned, contents unspecified);
//! - result slot `k` receives scalar result `k` (slots of array results
//!   are left alone).
//!
//! For signatures without arrays the typed fast path
//! ([`crate::pipeline::call_native`]) writes the same slots without building
//! [`Value`]s; everything with an array goes through [`call_values`].
//!
//! **Architecture Invariant:** the buffers passed are exactly as large as
//! the graph's abstract values say, and the lowering (`lower/kernel.rs`)
//! touches only elements inside them, and writes every element of each
//! result buffer (memcheck in `.ci/run` sees a read of one it left
//! unwritten); nothing else in the crate builds
//! argument slots holding pointers.

use crate::array::FreshArray;
use crate::exec::EntryFn;
use crate::ir::AVal;
use crate::scalar::Scalar;
use crate::value::Value;
use std::alloc::{Layout, alloc, dealloc, handle_alloc_error};
use std::ptr::NonNull;

/// Calls `entry` on `args` (one value per graph input, of its abstract
/// value) with `scratch_bytes` of scratch memory and returns one value per
/// entry of `results` (the graph's result abstract values).
pub(crate) fn call_values(
    entry: EntryFn,
    args: &[Value],
    results: &[AVal],
    scratch_bytes: usize,
) -> Vec<Value> {
    let mut slots: Vec<u64> = args
        .iter()
        .map(|a| match a {
            Value::Scalar(s) => s.to_slot(),
            Value::Array(a) => a.data_ptr() as u64,
        })
        .collect();
    let mut fresh: Vec<Option<FreshArray>> = results
        .iter()
        .map(|r| (!r.shape.is_empty()).then(|| FreshArray::for_code(r.ty, &r.shape)))
        .collect();
    slots.extend(fresh.iter_mut().flatten().map(|f| f.as_mut_ptr() as u64));
    let mut scratch = Scratch::new(scratch_bytes);
    slots.push(scratch.as_mut_ptr() as u64);
    // Never hand out an empty slot array (the code may still read none).
    slots.push(0);
    let mut result_slots = vec![0u64; results.len() + 1];
    // SAFETY: the code was lowered from the graph these values fit: it reads
    // one argument slot per input and per array result, and writes the
    // result slots of its scalar results, all inside the vectors above; the
    // arrays' buffers hold exactly the elements their abstract values say,
    // and the fresh ones are not shared until `finish` below; the scratch
    // memory is as large as the lowering asked for.
    unsafe { entry(slots.as_ptr(), result_slots.as_mut_ptr()) };
    results
        .iter()
        .zip(fresh)
        .zip(result_slots)
        .map(|((r, fresh), slot)| match fresh {
            Some(f) => Value::Array(f.finish()),
            None => Value::Scalar(Scalar::from_slot(r.ty.dtype, slot)),
        })
        .collect()
}

/// Scratch memory for one call: `bytes` at a 64-byte aligned address, a
/// heap block of exactly that size, so that valgrind's memcheck (`.ci/run`)
/// reports an access past its end. Left uninitialised (the contents are
/// unspecified): memcheck also reports code that depends on them.
struct Scratch {
    ptr: NonNull<u8>,
    layout: Layout,
}

impl Scratch {
    /// Alignment of the memory handed out, in bytes (that of scratch buffers).
    const ALIGN: usize = 64;

    fn new(bytes: usize) -> Scratch {
        let layout = Layout::from_size_align(bytes, Self::ALIGN).expect("scratch fits in memory");
        if bytes == 0 {
            // A dangling, aligned pointer: never read or written.
            let ptr = NonNull::new(Self::ALIGN as *mut u8).expect("non-null");
            return Scratch { ptr, layout };
        }
        // SAFETY: `layout` has a non-zero size.
        let raw = unsafe { alloc(layout) };
        let ptr = NonNull::new(raw).unwrap_or_else(|| handle_alloc_error(layout));
        Scratch { ptr, layout }
    }

    fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr.as_ptr()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.layout.size() != 0 {
            // SAFETY: allocated in `new` with this layout.
            unsafe { dealloc(self.ptr.as_ptr(), self.layout) }
        }
    }
}
