//! The uptime budget panel: the downtime a target allows per period (with each period's
//! length), the reverse, what this run's downtime costs against the target, and the
//! availability of components in series and in parallel ([`crate::uptime`]).
//!
//! Its inputs are the panel's own (nothing else reads them): each is kept as typed, and a
//! value that does not read says why beside it while the figures keep the last good one.

use yew::prelude::*;

use crate::units::{duration_ms, sig3};
use crate::uptime::{
    allowed_s, duration, incident_cost, nines, parallel, read_target, series, uptime_percent,
    Period, TARGETS,
};

/// Props: this run's downtime (and B's, when comparing).
#[derive(Properties, PartialEq)]
pub struct UptimeProps {
    /// Downtime of each run shown, with its side's name ("A", "B"; empty for one run).
    pub downtimes: Vec<(&'static str, f64)>,
}

/// What the panel's inputs say, once read.
#[derive(Clone, Debug, PartialEq)]
struct Inputs {
    target: f64,
    /// Downtime for the reverse, in seconds, and the period it is over.
    reverse_s: f64,
    reverse_period: Period,
    /// Components' availabilities (shares), and the share of downtime they have in common.
    parts: Vec<f64>,
    correlated: f64,
}

impl Default for Inputs {
    fn default() -> Inputs {
        Inputs {
            target: 99.9,
            reverse_s: 600.0,
            reverse_period: Period::Month,
            parts: vec![0.995, 0.995],
            correlated: 0.1,
        }
    }
}

/// The raw text of each input.
#[derive(Clone, Debug, PartialEq)]
struct Raw {
    target: String,
    reverse_min: String,
    parts: String,
    correlated: String,
}

impl Default for Raw {
    fn default() -> Raw {
        Raw {
            target: "99.9".into(),
            reverse_min: "10".into(),
            parts: "99.5, 99.5".into(),
            correlated: "10".into(),
        }
    }
}

/// A percentage 0..=100 as a share, or why not (naming the field).
fn share(field: &str, raw: &str) -> Result<f64, String> {
    read_target(raw)
        .map(|p| p / 100.0)
        .map_err(|_| format!("{field}: a percentage from 0 to 100, got \"{raw}\""))
}

/// Read `raw` over `good`: the inputs that read replace theirs; the messages of those
/// that do not.
fn read(raw: &Raw, good: &Inputs) -> (Inputs, Vec<String>) {
    let mut out = good.clone();
    let mut errors = Vec::new();
    match read_target(&raw.target) {
        Ok(t) => out.target = t,
        Err(_) => errors.push(format!(
            "target: a percentage from 0 to 100, got \"{}\"",
            raw.target
        )),
    }
    match raw.reverse_min.trim().parse::<f64>() {
        Ok(m) if m.is_finite() && m >= 0.0 && m * 60.0 <= out.reverse_period.days() * 86_400.0 => {
            out.reverse_s = m * 60.0
        }
        _ => errors.push(format!(
            "downtime: minutes from 0 to the length of a {}, got \"{}\"",
            out.reverse_period.key(),
            raw.reverse_min
        )),
    }
    let parts: Result<Vec<f64>, String> = raw
        .parts
        .split(',')
        .filter(|p| !p.trim().is_empty())
        .take(10)
        .map(|p| share("components", p))
        .collect();
    match parts {
        Ok(p) if !p.is_empty() => out.parts = p,
        Ok(_) => errors.push("components: at least one availability, e.g. 99.5, 99.5".into()),
        Err(e) => errors.push(e),
    }
    match share("shared downtime", &raw.correlated) {
        Ok(c) => out.correlated = c,
        Err(e) => errors.push(e),
    }
    (out, errors)
}

/// How a period's length reads ("30.1875 days (4.3125 weeks)").
fn length(p: Period) -> String {
    match p {
        Period::Day => "24 hours".into(),
        Period::Week => "7 days".into(),
        Period::Month => "30.1875 days (4.3125 weeks)".into(),
        Period::Quarter => "90.5625 days (3 months)".into(),
        Period::Year => "362.25 days (12 months)".into(),
    }
}

/// The panel.
#[function_component(UptimePanel)]
pub fn uptime_panel(p: &UptimeProps) -> Html {
    // what was typed, and the figures of the last inputs that read
    let panel = use_state(|| (Raw::default(), Inputs::default()));
    let (raw, now) = (&panel.0, &panel.1);
    let errors = read(raw, now).1;
    let change = |f: fn(&mut Raw, &mut Inputs, String)| {
        let panel = panel.clone();
        move |value: String| {
            let (mut raw, mut good) = (*panel).clone();
            f(&mut raw, &mut good, value);
            let good = read(&raw, &good).0;
            panel.set((raw, good));
        }
    };
    let edit = |f: fn(&mut Raw, &mut Inputs, String)| {
        let change = change(f);
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            change(el.value());
        })
    };
    let choose = |f: fn(&mut Raw, &mut Inputs, String)| {
        let change = change(f);
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            change(el.value());
        })
    };
    let choose_target = choose(|r, _, v| {
        if !v.is_empty() {
            r.target = v;
        }
    });
    let choose_period = choose(|_, g, v| {
        if let Some(&p) = Period::ALL.iter().find(|p| p.key() == v) {
            g.reverse_period = p;
        }
    });
    let t = now.target;
    let preset_value = TARGETS
        .iter()
        .find(|x| (**x - t).abs() < 1e-12)
        .map_or(String::new(), |x| x.to_string());
    let serial = series(&now.parts);
    let paper = parallel(&now.parts, 0.0);
    let real = parallel(&now.parts, now.correlated);
    html! {
        <section id="uptime" class="uptime" aria-label="Uptime budget">
            <h2>{"Uptime budget"}</h2>
            <div class="uptime-choose">
                <label for="uptime-target">{"Target"}</label>
                <select id="uptime-target" onchange={choose_target}>
                    { for TARGETS.iter().map(|x| html! {
                        <option value={x.to_string()} selected={preset_value == x.to_string()}>{format!("{x}%")}</option>
                    }) }
                    <option value="" selected={preset_value.is_empty()}>{"other"}</option>
                </select>
                <label for="uptime-custom">{"or any value"}</label>
                <input id="uptime-custom" class="num" value={raw.target.clone()} oninput={edit(|r, _, v| r.target = v)} />
                <span>{"%"}</span>
            </div>
            if !errors.is_empty() {
                <p class="error" role="alert" id="uptime-error">{errors.join(" · ")}</p>
            }
            <table id="uptime-table" class="summary">
                <thead><tr>
                    <th scope="col">{"period"}</th>
                    <th scope="col">{"length used"}</th>
                    <th scope="col">{format!("downtime allowed at {t}%")}</th>
                </tr></thead>
                <tbody>
                    { for Period::ALL.iter().map(|&per| html! {
                        <tr data-period={per.key()}>
                            <th scope="row">{per.key()}</th>
                            <td>{length(per)}</td>
                            <td data-field="allowed">{duration(allowed_s(t, per))}</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="hint">{"Calculators differ in their periods: this table, like the lecture's, takes a month as 4.3125 weeks and a year as 12 such months (362.25 days). With a calendar month (30.4375 days) 99.9% allows 43 min 50 s, not 43 min 28 s; with a 365-day year, 8 h 45 min 36 s, not 8 h 41 min 38 s."}</p>
            { for p.downtimes.iter().map(|(side, ms)| html! {
                <p class="uptime-incident" data-side={side.to_lowercase()}>{incident_cost(side, ms / 1000.0, t)}</p>
            }) }
            <h3>{"The reverse: downtime to uptime"}</h3>
            <div class="uptime-choose">
                <input id="uptime-reverse" class="num" value={raw.reverse_min.clone()} oninput={edit(|r, _, v| r.reverse_min = v)} />
                <label for="uptime-reverse">{"minutes down per"}</label>
                <select id="uptime-reverse-period" onchange={choose_period} aria-label="period">
                    { for Period::ALL.iter().map(|per| html! {
                        <option value={per.key()} selected={*per == now.reverse_period}>{per.key()}</option>
                    }) }
                </select>
                <output id="uptime-reverse-result">{format!("= {} uptime", nines(uptime_percent(now.reverse_s, now.reverse_period) / 100.0))}</output>
            </div>
            <h3>{"Composition"}</h3>
            <div class="uptime-choose">
                <label for="uptime-parts">{"components (%)"}</label>
                <input id="uptime-parts" value={raw.parts.clone()} oninput={edit(|r, _, v| r.parts = v)} />
                <label for="uptime-correlated">{"shared downtime (%)"}</label>
                <input id="uptime-correlated" class="num" value={raw.correlated.clone()} oninput={edit(|r, _, v| r.correlated = v)} />
            </div>
            <ul id="uptime-composition">
                <li data-field="series">{format!("In series (all needed): {} — each one multiplies the downtime in.", nines(serial))}</li>
                <li data-field="parallel">{format!("In parallel (any one enough), independent: {} on paper.", nines(paper))}</li>
                <li data-field="correlated">{format!(
                    "In parallel with {}% of their downtime shared (a zone, a deploy, a dependency): {} — {} a month down instead of {}.",
                    sig3(now.correlated * 100.0),
                    nines(real),
                    duration_ms((1.0 - real) * Period::Month.days() * 86_400_000.0),
                    duration_ms((1.0 - paper) * Period::Month.days() * 86_400_000.0),
                )}</li>
            </ul>
        </section>
    }
}
