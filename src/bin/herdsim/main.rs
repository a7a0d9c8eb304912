//! `herdsim`: the command-line front end. Exit status 0 on success, 2 on bad input
//! (arguments, JSON, fields out of range, unknown preset), 1 on I/O failure.
//!
//! Native only (lexopt, threads); on wasm32, where the wasm checks build every binary,
//! it is an empty program.

/// `eprintln!` that never panics: a closed or full standard error (`2>/dev/full`) loses
/// the message, not the run.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

#[cfg(not(target_arch = "wasm32"))]
mod args;
#[cfg(not(target_arch = "wasm32"))]
mod commands;
#[cfg(not(target_arch = "wasm32"))]
mod defs;
#[cfg(not(target_arch = "wasm32"))]
mod export;
#[cfg(not(target_arch = "wasm32"))]
mod output;
#[cfg(not(target_arch = "wasm32"))]
mod scorecard;
#[cfg(not(target_arch = "wasm32"))]
mod tune;
#[cfg(not(target_arch = "wasm32"))]
mod uptime;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use args::Command;
    use commands::{emit, Failure};

    let result = args::parse(std::env::args_os().skip(1))
        .map_err(Failure::Input)
        .and_then(|cmd| match cmd {
            Command::Help(cmd) => emit(&defs::help(cmd)),
            Command::Version => emit(&defs::version()),
            Command::Presets => emit(&commands::preset_list()),
            Command::Show(name) => commands::show(&name),
            Command::Run(r) => commands::run(&r),
            Command::Scorecard(r) => scorecard::run(&r),
            Command::Sweep(r) => commands::sweep(&r),
            Command::Tune(r) => tune::tune(&r),
            Command::Advise(r) => tune::advise(&r),
            Command::Export(r) => export::run(&r),
            Command::Uptime(t, f) => uptime::run(t, f),
        });
    let (code, msg) = match result {
        Ok(()) => return std::process::ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => (2, msg),
        Err(Failure::Io(msg)) => (1, msg),
    };
    // messages quote what the user typed or the scenario holds: keep its control
    // characters from reaching the terminal
    let msg: Vec<String> = msg
        .lines()
        .map(|l| output::escape(l).into_owned())
        .collect();
    note!("herdsim: {}", msg.join("\n"));
    std::process::ExitCode::from(code)
}

#[cfg(target_arch = "wasm32")]
fn main() {
    note!("herdsim is the command-line tool: build it natively (cargo build --release)");
}
