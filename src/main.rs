//! The `hcdb-lint` binary. Everything is in the `cli` module, which only the binary compiles.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
