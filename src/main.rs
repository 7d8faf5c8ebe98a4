use clap::Parser;

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let code = match chartwright::cli::Cli::try_parse_from(&args) {
        Ok(cli) => chartwright::cli::run(cli),
        Err(e) => chartwright::boundary::command_line_error(e, &args),
    };
    std::process::exit(code);
}
