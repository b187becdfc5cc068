use std::process::ExitCode;

fn main() -> ExitCode {
    zhengce::cli::main()
}
