//! The `govcheck` binary: parse the command line, run, map the result to
//! an exit code (0 complete, 1 failed, 2 complete with inconclusive rows,
//! 130 interrupted by Ctrl-C or SIGTERM).

use clap::Parser;

fn main() {
    let cli = govcheck::cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GOVCHECK_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let code = match runtime.block_on(govcheck::cli::main(cli)) {
        Ok(code) => code,
        Err(e) => match e
            .downcast_ref::<govcheck::run::RunError>()
            .and_then(govcheck::run::RunError::interrupted)
        {
            Some(interrupted) => {
                eprintln!("{interrupted}");
                govcheck::run::interrupt::EXIT_CODE
            }
            None => {
                eprintln!("error: {e:#}");
                1
            }
        },
    };
    std::process::exit(code);
}
