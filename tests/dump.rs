//! `JIT_DUMP`: each compile writes its IR and disassembly. Alone in its own
//! test binary, because the dump directory is a process-wide setting.

use jit::prelude::*;

#[jit]
fn poly(x: f64) -> f64 {
    x * x + 3.0 * x - 1.0
}

#[test]
fn dump_writes_ir_and_disassembly() {
    let dir = std::env::temp_dir().join(format!("jit-dump-{}", std::process::id()));
    jit::config::set_dump_dir(Some(dir.clone()));
    let compiled =
        jit::internals::pipeline::compile_graph(poly::make_jaxpr(1.0).graph().clone(), "dumped");
    jit::config::set_dump_dir(None);
    assert!(compiled.is_native());
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the dump directory exists")
        .map(|e| {
            e.expect("readable")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("dumped.") && n.ends_with(".ir")),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("dumped.") && n.ends_with(".asm")),
        "{names:?}"
    );
    std::fs::remove_dir_all(&dir).expect("removable");
}
