use clap::Parser;

fn main() {
    let cli = chartwright::cli::Cli::parse();
    std::process::exit(chartwright::cli::run(cli));
}
