// The compiler's stages are not part of the API: naming them is an error.
use jit::backend::IsaLevel;
use jit::mir::Function;
use jit::pipeline::compile_graph;

fn main() {}
