//! `sambandh`: the one binary. Parses the command line, sets up logging, opens the
//! database and hands over to the command. Commands are thin: each calls
//! `sambandh-app` operations and prints the result.

mod cli;
mod desk_cli;
mod greetings_cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of glibc's allocator: a server answers each request with many small
/// allocations freed soon after, on threads that the runtime moves work between, and
/// `perf` put glibc's malloc and free at a sixth of a busy server's time. (The
/// benchmarks' minimal handler uses it too, so the comparison stays like for like.)
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped reading (`sambandh export … | head`) is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
