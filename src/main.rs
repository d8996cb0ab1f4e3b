//! The `boardpack` command; all work is done by the library.

fn main() -> std::process::ExitCode {
    boardpack::cli::main()
}
