//! `herdsim uptime TARGET`: the downtime an uptime target allows per day, week, month,
//! quarter and year ([`herdsim::uptime`]).

use herdsim::uptime::{budget_share, duration, incidents_allowed, read_target, Budget, Period};

use crate::args::{self, Command};
use crate::commands::{emit, Failure};
use crate::defs::{text_or_json, Args, Flag, Format, UPTIME};

pub const FLAGS: &[Flag] = &[text_or_json(
    "text: a row per period (the default); json: see below",
)];

/// Parse `uptime`'s arguments: the target (the one positional) and `--format`.
pub fn parse(p: &mut lexopt::Parser) -> Result<Command, String> {
    let defaults = Args {
        format: Format::Text,
        ..Args::default()
    };
    let Some(r) = args::read_flags(p, &UPTIME, defaults)? else {
        return Ok(Command::Help(Some(&UPTIME)));
    };
    let Some(raw) = r.file.as_ref().map(|f| f.to_string_lossy().into_owned()) else {
        return Err("uptime needs a target percentage, e.g. herdsim uptime 99.9".into());
    };
    let target = read_target(&raw).map_err(|e| format!("uptime: {e}"))?;
    Ok(Command::Uptime(target, r.format))
}

/// `herdsim uptime`.
pub fn run(target: f64, format: Format) -> Result<(), Failure> {
    let b = Budget::of(target);
    emit(&match format {
        Format::Json => serde_json::to_string_pretty(&b)
            .map(|s| s + "\n")
            .map_err(|e| Failure::Io(e.to_string()))?,
        _ => {
            let mut out = format!("uptime {target}%: downtime allowed\n");
            for p in Period::ALL {
                out += &format!(
                    "  {:8} {:>18}   ({} days)\n",
                    p.key(),
                    duration(herdsim::uptime::allowed_s(target, p)),
                    p.days()
                );
            }
            let more = |days: f64, p: Period| 100.0 * (days / p.days() - 1.0);
            out += &format!(
                "\na month is 4.3125 weeks (30.1875 days) and a year 12 such months (362.25 days), as\n\
                 the lecture's table; with a calendar month (30.4375 days) the budget is {:.2}% more,\n\
                 with a 365-day year {:.2}% more\n",
                more(30.4375, Period::Month),
                more(365.0, Period::Year)
            );
            out
        }
    })
}

/// What a run's downtime (`what`: "downtime", or "mean downtime" over several runs) costs
/// against `target`: its share of a month's budget and how many such incidents a month, a
/// quarter and a year allow (the text report's `--target` lines).
pub fn budget_text(what: &str, downtime_ms: f64, target: f64) -> String {
    let s = downtime_ms / 1000.0;
    let allowed = herdsim::uptime::allowed_s(target, Period::Month);
    if allowed <= 0.0 {
        return format!(
            "budget       a {target}% target allows no downtime; {what} {}\n",
            duration(s)
        );
    }
    let mut out = format!(
        "budget       {what} {} = {} of a month at {target}% ({} allowed)\n",
        duration(s),
        herdsim::units::percent(budget_share(s, target, Period::Month)),
        duration(allowed)
    );
    let fits = [Period::Month, Period::Quarter, Period::Year].map(|p| {
        incidents_allowed(s, target, p).map_or("any number".into(), herdsim::units::count)
    });
    out += &format!(
        "             such incidents allowed: {} a month, {} a quarter, {} a year\n",
        fits[0], fits[1], fits[2]
    );
    out
}
