//! The one reading and check of a tour file: text → JSON value (a key given twice refused)
//! → [`TourFile`] (the scenario's strict reader) → [`Tour`]. Each step's scenarios go
//! through the scenario's own path: the preset's JSON, the overrides by
//! [`edit::set`](crate::sim::scenario::edit::set) as `--set` applies them, then strict
//! reading and validation, whose messages are kept and prefixed with the step and field.
//!
//! Work is bounded: at most [`MAX_TOUR_BYTES`] of text, [`MAX_STEPS`] steps (counted before
//! any step is read), [`MAX_SETS`] overrides a scenario, and each scenario's validation is
//! bounded by its own limits.

use serde_json::Value;

use crate::charts::Kind;
use crate::sim::random::dist::to_micros;
use crate::sim::scenario::bounds::{self, shorten, Field};
use crate::sim::scenario::edit;
use crate::sim::scenario::presets;
use crate::sim::scenario::validate::text::{self, TextError};
use crate::sim::scenario::validate::{read_strict, syntax_message, RawJson, ReadError};
use crate::sim::{ScenarioConfig, ScenarioError};

use super::file::{EventName, PresetFile, StepFile, TourFile, UntilFile};
use super::link::{valid_name, MAX_NAME};
use super::*;

/// The allowed playback speeds, for messages ("0.25..=20").
const SPEED: Field = Field {
    key: "steps.N.speed",
    variant: None,
    label: "speed",
    unit: "×",
    min: SPEED_RANGE.0,
    min_inclusive: true,
    max: SPEED_RANGE.1,
    max_inclusive: true,
    whole: false,
    null: Some("the default (the run plays in about 15 s)"),
    after: None,
};

/// The step (counted from 1) a dotted path in the file is in: `steps.3.title` → 4.
fn step_of(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("steps.")?;
    let index = rest.split('.').next()?;
    index.parse::<usize>().ok()?.checked_add(1)
}

fn error(path: impl Into<String>, message: impl Into<String>) -> TourError {
    let path = path.into();
    TourError {
        step: step_of(&path),
        path,
        message: message.into(),
    }
}

/// A reading error of the whole file (its message names the full path).
fn read_error(e: &ReadError) -> TourError {
    error(e.path(), e.to_string())
}

/// A reading error inside the part of the file at `base` (its message names the path
/// below `base`).
fn read_error_at(base: &str, e: &ReadError) -> TourError {
    let path = if e.path().is_empty() {
        base.to_string()
    } else {
        format!("{base}.{}", e.path())
    };
    error(path, format!("{base}: {e}"))
}

fn what(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// How a tour's JSON becomes its file form: [`Strict`] for any tour (every mistake named, as
/// a scenario's are), [`Trusted`] for the text of a tour compiled into the app, which the
/// tests read strictly. They are type parameters, not a flag, so the page's build holds
/// only the reading it uses (the strict one's serde code is most of a tour's weight).
pub(super) trait Reading {
    /// The file's fields.
    fn tour(v: &Value) -> Result<TourFile, TourError>;
    /// A `{"preset", "set"}` scenario at `p`.
    fn preset(p: &str, v: &Value) -> Result<PresetFile, TourError>;
}

/// Any tour file, read as strictly as a scenario.
pub(super) struct Strict;

impl Reading for Strict {
    fn tour(v: &Value) -> Result<TourFile, TourError> {
        read_strict(v).map_err(|e| read_error(&e))
    }
    fn preset(p: &str, v: &Value) -> Result<PresetFile, TourError> {
        read_strict(v).map_err(|e| read_error_at(p, &e))
    }
}

/// A shipped tour's text, walked without serde (anything unexpected is still refused).
pub(super) struct Trusted;

fn field<'a>(v: &'a Value, p: &str, key: &str) -> Result<&'a Value, TourError> {
    v.get(key)
        .ok_or_else(|| error(p, format!("{p}: no field `{key}`")))
}

fn string(v: &Value, p: &str, key: &str) -> Result<String, TourError> {
    field(v, p, key)?
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| error(p, format!("{p}.{key} is not a text")))
}

fn optional<T>(
    v: &Value,
    key: &str,
    read: impl FnOnce(&Value) -> Option<T>,
    p: &str,
) -> Result<Option<T>, TourError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => read(x)
            .map(Some)
            .ok_or_else(|| error(p, format!("{p}.{key} does not read"))),
    }
}

impl Reading for Trusted {
    fn tour(v: &Value) -> Result<TourFile, TourError> {
        let steps = field(v, "", "steps")?
            .as_array()
            .ok_or_else(|| error("steps", "steps is not a list"))?
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let p = format!("steps.{i}");
                let charts = field(s, &p, "charts")?
                    .as_array()
                    .and_then(|c| c.iter().map(|k| k.as_str().map(str::to_string)).collect())
                    .ok_or_else(|| error(&p, format!("{p}.charts is not a list of texts")))?;
                let until = optional(
                    s,
                    "until",
                    |u| {
                        Some(UntilFile {
                            time_ms: u.get("time_ms").and_then(Value::as_f64),
                            event: match u.get("event") {
                                None => None,
                                Some(e) => Some(
                                    EventName::ALL
                                        .into_iter()
                                        .find(|k| Some(k.id()) == e.as_str())?,
                                ),
                            },
                            service: u.get("service").and_then(Value::as_str).map(str::to_string),
                        })
                    },
                    &p,
                )?;
                Ok(StepFile {
                    title: string(s, &p, "title")?,
                    narration: string(s, &p, "narration")?,
                    scenario: RawJson(field(s, &p, "scenario")?.clone()),
                    b: s.get("b").map(|b| RawJson(b.clone())),
                    charts,
                    speed: optional(s, "speed", Value::as_f64, &p)?,
                    question: optional(s, "question", |q| q.as_str().map(str::to_string), &p)?,
                    until,
                })
            })
            .collect::<Result<Vec<_>, TourError>>()?;
        Ok(TourFile {
            name: string(v, "", "name")?,
            title: string(v, "", "title")?,
            steps,
        })
    }
    fn preset(p: &str, v: &Value) -> Result<PresetFile, TourError> {
        let set = match v.get("set") {
            None => Default::default(),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, x)| (k.clone(), RawJson(x.clone())))
                .collect(),
            Some(_) => return Err(error(p, format!("{p}.set is not an object"))),
        };
        Ok(PresetFile {
            preset: string(v, p, "preset")?,
            set,
        })
    }
}

pub(super) fn tour<R: Reading>(text: &str) -> Result<Tour, TourError> {
    if text.len() > MAX_TOUR_BYTES {
        return Err(error(
            "",
            format!(
                "the tour file is {} bytes; at most {} (256 KB) are read",
                crate::units::count(text.len() as u64),
                crate::units::count(MAX_TOUR_BYTES as u64)
            ),
        ));
    }
    let value = text::parse(text).map_err(|e| match e {
        TextError::Syntax(e) => error("", syntax_message(&e)),
        dup => error(dup.path(), dup.to_string()),
    })?;
    // count the steps before reading any of them
    if let Some(Value::Array(steps)) = value.get("steps") {
        if steps.is_empty() || steps.len() > MAX_STEPS {
            return Err(error(
                "steps",
                format!(
                    "steps: {} steps; allowed 1 to {MAX_STEPS}",
                    crate::units::count(steps.len() as u64)
                ),
            ));
        }
    }
    let file = R::tour(&value)?;
    if !valid_name(&file.name) {
        return Err(error(
            "name",
            format!(
                "name = {:?}: allowed 1 to {MAX_NAME} letters, digits, - or _ (it names the file and the tour's links)",
                shorten(&file.name)
            ),
        ));
    }
    text_field("title", &file.title, MAX_TITLE, "a short title")?;
    let steps = file
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| step::<R>(&format!("steps.{i}"), s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Tour {
        name: file.name,
        title: file.title,
        steps,
    })
}

/// A text of 1 to `max` characters, not only spaces.
fn text_field(path: &str, s: &str, max: usize, what: &str) -> Result<(), TourError> {
    let n = s.chars().count();
    if s.trim().is_empty() {
        return Err(error(
            path,
            format!("{path} is empty; allowed 1 to {max} characters ({what})"),
        ));
    }
    if n > max {
        return Err(error(
            path,
            format!(
                "{path}: {} characters; allowed 1 to {max} ({what})",
                crate::units::count(n as u64)
            ),
        ));
    }
    Ok(())
}

fn step<R: Reading>(p: &str, s: &StepFile) -> Result<Step, TourError> {
    text_field(&format!("{p}.title"), &s.title, MAX_TITLE, "a short title")?;
    text_field(
        &format!("{p}.narration"),
        &s.narration,
        MAX_NARRATION,
        "one or two short sentences",
    )?;
    if let Some(q) = &s.question {
        text_field(
            &format!("{p}.question"),
            q,
            MAX_QUESTION,
            "one question to the room",
        )?;
    }
    let a = scenario::<R>(&format!("{p}.scenario"), &s.scenario.0)?;
    let b = match &s.b {
        Some(v) => Some(scenario::<R>(&format!("{p}.b"), &v.0)?),
        None => None,
    };
    let sides: Vec<&StepScenario> = std::iter::once(&a).chain(b.as_ref()).collect();
    let charts = charts(&format!("{p}.charts"), &s.charts, &sides, b.is_some())?;
    let longest_ms = sides
        .iter()
        .map(|x| x.scenario.duration() as f64 / 1000.0)
        .fold(0.0, f64::max);
    let speed = match s.speed {
        None => (longest_ms / 1000.0 / DEFAULT_PLAY_S).clamp(SPEED_RANGE.0, SPEED_RANGE.1),
        Some(v) if SPEED.contains(v) => v,
        Some(v) => {
            let path = format!("{p}.speed");
            return Err(error(
                &path,
                format!(
                    "{path} = {}: allowed {}",
                    bounds::fmt_value(v),
                    SPEED.allowed()
                ),
            ));
        }
    };
    let until = match &s.until {
        Some(u) => Some(until(&format!("{p}.until"), u, &sides)?),
        None => None,
    };
    Ok(Step {
        title: s.title.clone(),
        narration: s.narration.clone(),
        a,
        b,
        charts,
        speed,
        question: s.question.clone(),
        until,
    })
}

/// A step's scenario at `p`: a preset and overrides, or a whole scenario.
fn scenario<R: Reading>(p: &str, v: &Value) -> Result<StepScenario, TourError> {
    let Value::Object(m) = v else {
        return Err(error(
            p,
            format!(
                "{p} must be an object: {{\"preset\": NAME, \"set\": {{PATH: VALUE, …}}}} or a whole scenario; got {}",
                what(v)
            ),
        ));
    };
    if !m.contains_key("preset") {
        let config = ScenarioConfig::from_value(v.clone()).map_err(|e| scenario_error(p, &e, p))?;
        let scenario = config.validate().map_err(|e| scenario_error(p, &e, p))?;
        return Ok(StepScenario {
            source: Source::Inline,
            config,
            scenario,
        });
    }
    let pf = R::preset(p, v)?;
    let set_path = format!("{p}.set");
    if pf.set.len() > MAX_SETS {
        return Err(error(
            &set_path,
            format!(
                "{set_path}: {} overrides; allowed at most {MAX_SETS} (write a whole scenario instead)",
                pf.set.len()
            ),
        ));
    }
    let Some(text) = presets::json(&pf.preset) else {
        let path = format!("{p}.preset");
        return Err(error(
            &path,
            format!(
                "{path}: unknown preset `{}`; allowed: {}",
                shorten(&pf.preset),
                presets::names().collect::<Vec<_>>().join(", ")
            ),
        ));
    };
    let base = ScenarioConfig::from_json(text).map_err(|e| scenario_error(p, &e, p))?;
    let mut doc = serde_json::to_value(&base).map_err(|e| error(p, format!("{p}: {e}")))?;
    let mut set = Vec::new();
    for (path, value) in &pf.set {
        let raw = value.0.to_string();
        edit::set(&mut doc, path, &raw)
            .map_err(|m| error(&set_path, format!("{set_path}: {m}")))?;
        set.push((path.clone(), raw));
    }
    // a problem with a field that an override touched is the override's; any other is
    // the preset's (as edited)
    let whose = |e: &ScenarioError| {
        let field = match e {
            ScenarioError::Parse { path, .. } => path.as_str(),
            ScenarioError::Invalid(errs) => errs.first().map_or("", |f| f.path.as_str()),
        };
        let overridden = pf.set.keys().any(|k| {
            field == k || field.starts_with(&format!("{k}.")) || k.starts_with(&format!("{field}."))
        });
        let label = if overridden {
            set_path.clone()
        } else {
            format!("{p} (preset {})", pf.preset)
        };
        let base = if overridden { set_path.as_str() } else { p };
        scenario_error(&label, e, base)
    };
    let config = ScenarioConfig::from_value(doc).map_err(|e| whose(&e))?;
    let scenario = config.validate().map_err(|e| whose(&e))?;
    Ok(StepScenario {
        source: Source::Preset {
            name: pf.preset,
            set,
        },
        config,
        scenario,
    })
}

/// A scenario's own message, after the place in the tour (`steps.1.scenario.set: …`).
fn scenario_error(label: &str, e: &ScenarioError, base: &str) -> TourError {
    let field = match e {
        ScenarioError::Parse { path, .. } => path.clone(),
        ScenarioError::Invalid(errs) => errs.first().map(|f| f.path.clone()).unwrap_or_default(),
    };
    let path = if field.is_empty() {
        base.to_string()
    } else {
        format!("{base}.{field}")
    };
    error(path, format!("{label}: {e}"))
}

fn charts(
    p: &str,
    ids: &[String],
    sides: &[&StepScenario],
    ab: bool,
) -> Result<Vec<Kind>, TourError> {
    if !(2..=3).contains(&ids.len()) {
        return Err(error(
            p,
            format!(
                "{p}: {} charts; allowed 2 or 3 (one idea per screen)",
                ids.len()
            ),
        ));
    }
    let any = |f: &dyn Fn(&StepScenario) -> bool| sides.iter().any(|s| f(s));
    let mut out = Vec::new();
    for (j, id) in ids.iter().enumerate() {
        let path = format!("{p}.{j}");
        let Some(kind) = Kind::from_id(id) else {
            let allowed: Vec<&str> = Kind::ALL.iter().map(|k| k.id()).collect();
            return Err(error(
                &path,
                format!(
                    "{path}: unknown chart `{}`; allowed: {}",
                    shorten(id),
                    allowed.join(", ")
                ),
            ));
        };
        if out.contains(&kind) {
            return Err(error(&path, format!("{path}: `{id}` is given twice")));
        }
        let unfit = match kind {
            Kind::Overlay | Kind::ServicesOverlay if !ab => {
                Some("it compares A and B: give the step a `b` scenario")
            }
            Kind::Services | Kind::ServicesOverlay
                if !any(&|s| s.scenario.services().len() > 1) =>
            {
                Some("it shows several services, and the step's scenario has one")
            }
            Kind::Breakers if !any(&|s| s.scenario.breaker().is_some()) => {
                Some("the step's scenario has no breaker")
            }
            Kind::Budget if !any(&|s| s.scenario.budget().is_some()) => {
                Some("the step's scenario has no retry budget")
            }
            Kind::Failover if !any(&|s| s.scenario.replicated()) => {
                Some("the step's scenario has no replicated service")
            }
            _ => None,
        };
        if let Some(why) = unfit {
            return Err(error(
                &path,
                format!("{path}: `{id}` would be empty: {why}"),
            ));
        }
        out.push(kind);
    }
    Ok(out)
}

fn until(p: &str, u: &UntilFile, sides: &[&StepScenario]) -> Result<Until, TourError> {
    let events = || {
        EventName::ALL
            .iter()
            .map(|e| e.id())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (u.time_ms, u.event, &u.service) {
        (Some(t), None, None) => {
            let path = format!("{p}.time_ms");
            let shortest = sides
                .iter()
                .map(|s| s.scenario.duration() as f64 / 1000.0)
                .fold(f64::INFINITY, f64::min);
            let field = Field {
                key: "steps.N.until.time_ms",
                variant: None,
                label: "until",
                unit: "ms",
                min: 0.0,
                min_inclusive: false,
                max: shortest,
                max_inclusive: true,
                whole: false,
                null: None,
                after: Some("within the step's run"),
            };
            if field.contains(t) {
                Ok(Until::Time(to_micros(t * 1000.0)))
            } else {
                Err(error(
                    &path,
                    format!(
                        "{path} = {}: allowed {}",
                        bounds::fmt_value(t),
                        field.allowed()
                    ),
                ))
            }
        }
        (None, Some(event), Some(service)) => {
            let path = format!("{p}.service");
            for (side, s) in sides.iter().enumerate() {
                let names: Vec<&str> = s.scenario.services().iter().map(|x| x.name.as_str()).collect();
                if !names.contains(&service.as_str()) {
                    let whose = if side == 0 { "scenario" } else { "b scenario" };
                    return Err(error(
                        &path,
                        format!(
                            "{path} = {:?}: allowed a service of the step's {whose}: {}",
                            shorten(service),
                            names.join(", ")
                        ),
                    ));
                }
            }
            let any = |f: &dyn Fn(&StepScenario) -> bool| sides.iter().any(|s| f(s));
            let missing = match event {
                EventName::BreakerOpened | EventName::BreakerClosed
                    if !any(&|s| s.scenario.breaker().is_some()) =>
                {
                    Some("the step's scenario has no breaker")
                }
                EventName::BudgetEmpty if !any(&|s| s.scenario.budget().is_some()) => {
                    Some("the step's scenario has no retry budget")
                }
                EventName::Recovered | EventName::RetryWave | EventName::Collapsed
                    if !any(&|s| s.scenario.disturbances().next().is_some()) =>
                {
                    Some("the step's scenario has no fault or load spike to recover from")
                }
                EventName::Crash
                | EventName::CrashDetected
                | EventName::PrimaryBack
                | EventName::FirstWrite
                    if !any(&|s| s.scenario.replicated()) =>
                {
                    Some("the step's scenario has no replicated service")
                }
                _ => None,
            };
            match missing {
                Some(why) => {
                    let path = format!("{p}.event");
                    Err(error(
                        &path,
                        format!("{path} = {:?}: it can never happen: {why}", event.id()),
                    ))
                }
                None => Ok(Until::Event {
                    event,
                    service: service.clone(),
                }),
            }
        }
        (None, Some(_), None) => Err(error(
            p,
            format!("{p}: `event` needs the `service` it is about"),
        )),
        (None, None, Some(_)) => Err(error(
            p,
            format!("{p}: `service` needs an `event` (one of {})", events()),
        )),
        (Some(_), _, _) => Err(error(
            p,
            format!("{p}: give either time_ms, or event and service, not both"),
        )),
        (None, None, None) => Err(error(
            p,
            format!(
                "{p} is empty; give {{\"time_ms\": N}} or {{\"event\": E, \"service\": S}} with E one of {}",
                events()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_names_its_step_counted_from_one() {
        assert_eq!(step_of("steps.3.title"), Some(4));
        assert_eq!(step_of("steps.0"), Some(1));
        assert_eq!(step_of("steps"), None);
        assert_eq!(step_of("name"), None);
        assert_eq!(step_of("steps.x.title"), None);
    }
}
