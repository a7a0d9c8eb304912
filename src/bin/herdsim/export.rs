//! `herdsim export`: a scenario's client policy as configuration for a real library
//! ([`herdsim::export`]), with its fidelity report.

use herdsim::export::{export, Library, IDS};
use herdsim::sim::ScenarioConfig;

use crate::args::{self, Command};
use crate::commands::{emit, input_error, load, Failure};
use crate::defs::{preset_flag, text_or_json, Args, Flag, Format, Values, EXPORT};

pub const FLAGS: &[Flag] = &[
    preset_flag("export a preset's policy instead of a file's"),
    Flag {
        name: "to",
        value: "LIBRARY",
        help: "the library to write the policy for",
        values: Values::OneOf(&IDS),
        repeats: false,
        update: |f, v, r| {
            r.export_to = Some(Library::ALL[f.one_of(&v)?]);
            Ok(())
        },
    },
    Flag {
        name: "set",
        value: "PATH=VALUE",
        help: "override a scenario field first (VALUE is read as JSON, or else as a string)",
        values: Values::Shape("a field path and a value joined by =, e.g. policy.max_attempts=4"),
        repeats: true,
        update: |f, v, r| {
            let (path, val) = v.split_once('=').ok_or_else(|| f.invalid(&v))?;
            r.sets.push((path.trim().to_string(), val.to_string()));
            Ok(())
        },
    },
    text_or_json("text: the snippet, then the fidelity report (the default); json: both as data"),
];

/// Parse `export`'s arguments (after the command's name).
pub fn parse(p: &mut lexopt::Parser) -> Result<Command, String> {
    let defaults = Args {
        format: Format::Text,
        ..Args::default()
    };
    let Some(r) = args::read_flags(p, &EXPORT, defaults)? else {
        return Ok(Command::Help(Some(&EXPORT)));
    };
    match (&r.file, &r.preset) {
        (None, None) => {
            return Err(
                "export needs a scenario FILE, - for standard input, or --preset NAME".into(),
            )
        }
        (Some(_), Some(_)) => {
            return Err("give either a scenario FILE or --preset NAME, not both".into())
        }
        _ => {}
    }
    if r.export_to.is_none() {
        return Err(format!(
            "export needs --to LIBRARY, one of {}",
            IDS.join(", ")
        ));
    }
    Ok(Command::Export(r))
}

/// The scenario of `r` with its `--set`s.
pub fn scenario(r: &Args) -> Result<ScenarioConfig, Failure> {
    let mut doc = load(r)?;
    for (path, value) in &r.sets {
        args::apply_set(&mut doc, path, value).map_err(Failure::Input)?;
    }
    ScenarioConfig::from_value(doc).map_err(input_error)
}

/// `herdsim export`.
pub fn run(r: &Args) -> Result<(), Failure> {
    let cfg = scenario(r)?;
    let Some(to) = r.export_to else {
        return Err(Failure::Input("export needs --to LIBRARY".into()));
    };
    let e = export(&cfg, to).map_err(input_error)?;
    emit(&match r.format {
        Format::Json => serde_json::to_string_pretty(&e)
            .map(|s| s + "\n")
            .map_err(|e| Failure::Io(e.to_string()))?,
        _ => {
            let mut out = e.snippet.clone();
            out += "\nfidelity: ";
            out += &e.report_text();
            if e.differs(&cfg) {
                out += &format!(
                    "\nthe library would run a different policy: herdsim scorecard --as-library {} compares the two\n",
                    to.id()
                );
            }
            out
        }
    })
}
