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
//! specialisations already cached keep how they were built. The settings
//! are process-wide.
//!
//! ```rust,standalone_crate
//! use jit::prelude::*;
//!
//! #[jit]
//! fn f(x: f32) -> f32 {
//!     x * 2.0 + 1.0
//! }
//!
//! # fn main() {
//! jit::config::set_disabled(true); // debug with the reference interpreter
//! assert_eq!(f(3.0), 7.0);
//! jit::config::set_disabled(false);
//! f::clear_cache();
//! assert_eq!(f(3.0), 7.0); // native code again
//! # }
//! ```

pub use crate::backend::IsaLevel;
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
///
/// ```rust,standalone_crate
/// // Unset in the environment, so off until set in code.
/// # unsafe { std::env::remove_var("JIT_LOG_COMPILES") };
/// assert!(!jit::config::log_compiles());
/// ```
pub fn log_compiles() -> bool {
    flag(&LOG_COMPILES, "JIT_LOG_COMPILES")
}

/// Turns compile logging on or off.
///
/// ```rust,standalone_crate
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     x * 2.0
/// }
///
/// # fn main() {
/// jit::config::set_log_compiles(true);
/// f(&Array::from(vec![1.0f32, 2.0]));
/// // stderr: jit: compiled `f` for (f32[2]): trace .. us, compile .. us, .. code bytes
/// assert!(jit::config::log_compiles());
/// jit::config::set_log_compiles(false);
/// # }
/// ```
pub fn set_log_compiles(on: bool) {
    LOG_COMPILES.store(on as u8, Ordering::Relaxed);
}

/// Whether calls run the reference interpreter instead of native code
/// (`JIT_DISABLE`).
///
/// ```rust,standalone_crate
/// # unsafe { std::env::remove_var("JIT_DISABLE") };
/// assert!(!jit::config::disabled()); // native code by default
/// ```
pub fn disabled() -> bool {
    flag(&DISABLED, "JIT_DISABLE")
}

/// Makes later compiles use the interpreter (`true`) or native code.
///
/// ```rust,standalone_crate
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: i32) -> i32 {
///     x / 0 // never traps: -1, as XLA gives
/// }
///
/// # fn main() {
/// jit::config::set_disabled(true);
/// assert_eq!(f(7), -1); // computed by the interpreter
/// jit::config::set_disabled(false);
/// # }
/// ```
pub fn set_disabled(on: bool) {
    DISABLED.store(on as u8, Ordering::Relaxed);
}

/// The directory compiles are dumped into (`JIT_DUMP`), if any.
///
/// ```rust,standalone_crate
/// # unsafe { std::env::remove_var("JIT_DUMP") };
/// assert_eq!(jit::config::dump_dir(), None);
/// ```
pub fn dump_dir() -> Option<PathBuf> {
    let mut dir = DUMP_DIR.lock().unwrap_or_else(|e| e.into_inner());
    dir.get_or_insert_with(|| std::env::var_os("JIT_DUMP").map(PathBuf::from))
        .clone()
}

/// Sets or clears the dump directory.
///
/// ```rust,standalone_crate
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f32) -> f32 {
///     x.sin()
/// }
///
/// # fn main() {
/// let dir = std::env::temp_dir().join(format!("jit-dump-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// jit::config::set_dump_dir(Some(dir.clone()));
/// f(1.0); // writes the jaxpr, the optimised IR and the disassembly into `dir`
/// assert!(std::fs::read_dir(&dir).unwrap().count() > 0);
/// jit::config::set_dump_dir(None);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn set_dump_dir(dir: Option<PathBuf>) {
    *DUMP_DIR.lock().unwrap_or_else(|e| e.into_inner()) = Some(dir);
}

static ISA: AtomicU8 = AtomicU8::new(UNSET);

/// The instruction-set level compiled code may use (`JIT_ISA=baseline`
/// restricts it to the ISA's floor; the default is what the CPU has).
///
/// ```rust,standalone_crate
/// # unsafe { std::env::remove_var("JIT_ISA") };
/// let level = jit::config::isa();
/// println!("compiling for {level:?}"); // Native
/// ```
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

/// Sets the instruction-set level of later compiles. The level is part of
/// the cache key: a function compiled at one level compiles again at
/// another.
///
/// ```rust,standalone_crate
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f32) -> f32 {
///     x.floor()
/// }
///
/// # fn main() {
/// let native = jit::config::isa();
/// assert_eq!(f(2.5), 2.0);
/// jit::config::set_isa(jit::config::IsaLevel::Baseline); // x86-64: SSE2 only
/// assert_eq!(f(2.5), 2.0);
/// jit::config::set_isa(native);
/// # }
/// ```
pub fn set_isa(level: IsaLevel) {
    ISA.store((level == IsaLevel::Baseline) as u8, Ordering::Relaxed);
}
