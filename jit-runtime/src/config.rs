//! Settings: read once from the environment, changeable in code.
//!
//! | variable | setter | effect |
//! |---|---|---|
//! | `JIT_LOG_COMPILES=1` | [`set_log_compiles`] | one line on stderr per compile |
//! | `JIT_DUMP=DIR` | [`set_dump_dir`] | writes each compile's jaxpr into `DIR` |
//! | `JIT_DISABLE=1` | [`set_disabled`] | every call runs the reference interpreter |
//! | `JIT_ISA=baseline` | [`set_isa`] | code uses only the ISA's floor (x86-64: SSE2) |
//!
//! A setting changed in code applies to compiles that happen afterwards;
//! specialisations already cached keep how they were built.

use crate::backend::IsaLevel;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

const UNSET: u8 = 2;

static LOG_COMPILES: AtomicU8 = AtomicU8::new(UNSET);
static DISABLED: AtomicU8 = AtomicU8::new(UNSET);
static DUMP_DIR: Mutex<Option<Option<PathBuf>>> = Mutex::new(None);

fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

fn flag(cell: &AtomicU8, name: &str) -> bool {
    match cell.load(Ordering::Relaxed) {
        UNSET => {
            let value = env_flag(name);
            let _ = cell.compare_exchange(UNSET, value as u8, Ordering::Relaxed, Ordering::Relaxed);
            cell.load(Ordering::Relaxed) == 1
        }
        v => v == 1,
    }
}

/// Whether each compile prints a line on stderr (`JIT_LOG_COMPILES`).
pub fn log_compiles() -> bool {
    flag(&LOG_COMPILES, "JIT_LOG_COMPILES")
}

/// Turns compile logging on or off.
pub fn set_log_compiles(on: bool) {
    LOG_COMPILES.store(on as u8, Ordering::Relaxed);
}

/// Whether calls run the reference interpreter instead of native code
/// (`JIT_DISABLE`).
pub fn disabled() -> bool {
    flag(&DISABLED, "JIT_DISABLE")
}

/// Makes later compiles use the interpreter (`true`) or native code.
pub fn set_disabled(on: bool) {
    DISABLED.store(on as u8, Ordering::Relaxed);
}

/// The directory compiles are dumped into (`JIT_DUMP`), if any.
pub fn dump_dir() -> Option<PathBuf> {
    let mut dir = DUMP_DIR.lock().unwrap_or_else(|e| e.into_inner());
    dir.get_or_insert_with(|| std::env::var_os("JIT_DUMP").map(PathBuf::from))
        .clone()
}

/// Sets or clears the dump directory.
pub fn set_dump_dir(dir: Option<PathBuf>) {
    *DUMP_DIR.lock().unwrap_or_else(|e| e.into_inner()) = Some(dir);
}

static ISA: AtomicU8 = AtomicU8::new(UNSET);

/// The instruction-set level compiled code may use (`JIT_ISA=baseline`
/// restricts it to the ISA's floor; the default is what the CPU has).
pub fn isa() -> IsaLevel {
    let baseline = match ISA.load(Ordering::Relaxed) {
        UNSET => {
            let value = std::env::var("JIT_ISA").is_ok_and(|v| v.eq_ignore_ascii_case("baseline"));
            let _ = ISA.compare_exchange(UNSET, value as u8, Ordering::Relaxed, Ordering::Relaxed);
            ISA.load(Ordering::Relaxed) == 1
        }
        v => v == 1,
    };
    if baseline {
        IsaLevel::Baseline
    } else {
        IsaLevel::Native
    }
}

/// Sets the instruction-set level of later compiles.
pub fn set_isa(level: IsaLevel) {
    ISA.store((level == IsaLevel::Baseline) as u8, Ordering::Relaxed);
}
