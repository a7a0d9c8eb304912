//! Markers for a run's notable moments on the time charts that explain them: retry waves
//! on the arrivals charts, breakers opening and closing on the breaker chart, a budget
//! running dry on the budget chart, recovered or collapsed on the outcomes chart. Each is
//! a thin vertical line with a small triangle at the top of the plot and a short label
//! ("wave 20.6×", "opened", "dry") placed where it runs into no other label; one that
//! would is left out (the line and triangle stay).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{legend_rows, text_w, window_keys, Error, Key, Linear, Mark};
use super::moments::{moments, Moment, MomentKind};
use super::style::{Palette, FONT};
use super::Kind;
use crate::sim::{RunRecord, Scenario};
use crate::units::sig3;

pub use super::frame::Bx;

/// A marker: when (s) and its short label, if it gets one.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// When (s of simulated time).
    pub at_s: f64,
    /// What it says ("wave 20.6×", "opened"); `None` marks the moment without words.
    pub label: Option<String>,
    /// What it marks.
    pub kind: MomentKind,
}

/// The kinds of moment chart `kind` marks.
pub fn kinds(kind: Kind) -> &'static [MomentKind] {
    match kind {
        Kind::Arrivals | Kind::Services => &[
            MomentKind::RetryWave,
            MomentKind::Crash,
            MomentKind::PrimaryBack,
        ],
        Kind::Breakers => &[MomentKind::BreakerOpened, MomentKind::BreakerClosed],
        Kind::Budget => &[MomentKind::BudgetEmpty],
        Kind::Outcomes => &[
            MomentKind::Recovered,
            MomentKind::Collapsed,
            MomentKind::Crash,
            MomentKind::CrashDetected,
            MomentKind::PrimaryBack,
            MomentKind::FirstWrite,
        ],
        _ => &[],
    }
}

/// How many times capacity a retry wave's label says ("retry wave: 20.6× capacity": 20.6).
pub fn wave_factor(m: &Moment) -> Option<f64> {
    let s = m.label.strip_prefix("retry wave: ")?;
    s[..s.find('×')?].replace(',', "").parse().ok()
}

/// The markers of `moments` a chart of `kind` of scenario `sc` shows: of several retry
/// waves the first and the biggest are labelled, the rest marked without words.
pub fn select(moments: &[Moment], kind: Kind, sc: &Scenario) -> Vec<Marker> {
    let many = sc.services().len() > 1;
    let shown: Vec<&Moment> = moments
        .iter()
        .filter(|m| kinds(kind).contains(&m.kind))
        .collect();
    let waves: Vec<(usize, f64)> = (shown.iter().enumerate())
        .filter_map(|(i, m)| wave_factor(m).map(|f| (i, f)))
        .collect();
    let first = waves.first().map(|w| w.0);
    let biggest = waves.iter().max_by(|a, b| a.1.total_cmp(&b.1)).map(|w| w.0);
    shown
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let who = |what: &str| match &m.service {
                Some(s) if many => format!("{s} {what}"),
                _ => what.to_string(),
            };
            let label = match m.kind {
                MomentKind::RetryWave => (Some(i) == first || Some(i) == biggest)
                    .then(|| wave_factor(m).map(|f| format!("wave {}×", sig3(f))))
                    .flatten(),
                MomentKind::BreakerOpened => Some(who("opened")),
                MomentKind::BreakerClosed => Some(who("closed")),
                MomentKind::BudgetEmpty => Some(who("dry")),
                MomentKind::Recovered => Some("recovered".into()),
                MomentKind::Collapsed => Some("collapsed".into()),
                MomentKind::Crash => Some(who("crash")),
                MomentKind::CrashDetected => Some(who("detected")),
                MomentKind::PrimaryBack => Some(who(["promoted", "restarted", "restored"]
                    .into_iter()
                    .find(|w| m.label.contains(w))
                    .unwrap_or("back"))),
                MomentKind::FirstWrite => Some(who("first write")),
            };
            Marker {
                at_s: m.at_ms / 1000.0,
                label,
                kind: m.kind,
            }
        })
        .collect()
}

/// The markers of chart `kind` of `rec`.
pub fn markers(rec: &RunRecord, kind: Kind) -> Vec<Marker> {
    if kinds(kind).is_empty() {
        return Vec::new();
    }
    select(&moments(rec), kind, &rec.scenario)
}

/// The legend's name for markers.
pub const KEY: &str = "moment";

/// `keys` with an entry for the markers when there are any and it fits in the legend's
/// rows (the chart's `width` pixels wide, window keys included) without adding one.
pub fn with_key(
    mut keys: Vec<Key>,
    markers: &[Marker],
    sc: &Scenario,
    width: u32,
    pal: &Palette,
) -> Vec<Key> {
    if markers.is_empty() {
        return keys;
    }
    let w = f64::from(width) - 2.0 * pal.font(6) - pal.font(12);
    let mut all = keys.clone();
    all.extend(window_keys(sc));
    let before = legend_rows(&all, w, pal).1.len();
    all.push(Key::new(KEY, pal.ink, Mark::Marker));
    if legend_rows(&all, w, pal).1.len() == before {
        keys.push(Key::new(KEY, pal.ink, Mark::Marker));
    }
    keys
}

/// Draw the thin line of each of `markers` across a time chart: before the series, so that
/// the wave or the change it marks shows on top of it (a spike one bar wide would hide
/// under a line drawn over it).
pub fn rules<DB: DrawingBackend>(
    chart: &mut Linear<DB>,
    markers: &[Marker],
    pal: &Palette,
) -> Result<(), Error<DB>> {
    let (x_range, y_range) = (chart.x_range(), chart.y_range());
    let (lo, hi) = (x_range.start, x_range.end);
    for m in markers.iter().filter(|m| m.at_s >= lo && m.at_s <= hi) {
        chart.draw_series(LineSeries::new(
            [(m.at_s, y_range.start), (m.at_s, y_range.end)],
            pal.ink.mix(0.45).stroke_width(pal.px(1)),
        ))?;
    }
    Ok(())
}

/// Draw `markers` on a time chart whose [`rules`] are drawn: a triangle at the top at each
/// moment, and each label where it overlaps none of the `taken` boxes (other labels, in
/// pixels of the drawing area) nor another marker's label.
pub fn draw<DB: DrawingBackend>(
    chart: &mut Linear<DB>,
    markers: &[Marker],
    taken: &[Bx],
    pal: &Palette,
) -> Result<(), Error<DB>> {
    if markers.is_empty() {
        return Ok(());
    }
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let x_range = chart.x_range();
    let (lo, hi) = (x_range.start, x_range.end);
    let px = |t: f64| xs.start as f64 + (t - lo) / (hi - lo) * (xs.end - xs.start) as f64;
    let ink = pal.ink;
    let size = pal.font(12);
    let (pad, row_h) = (pal.font(3), (size * 1.3).round());
    let tri = pal.font(5);
    let root = chart.plotting_area().strip_coord_spec();
    let (ox, oy) = (xs.start, ys.start);
    let top = ys.start as f64;
    for m in markers.iter().filter(|m| m.at_s >= lo && m.at_s <= hi) {
        let x = px(m.at_s);
        root.draw(&Polygon::new(
            vec![
                ((x - tri) as i32 - ox, 0),
                ((x + tri) as i32 - ox, 0),
                (x as i32 - ox, (tri * 1.4) as i32),
            ],
            ink.filled(),
        ))?;
    }
    // a label covers neither another label nor another marker's triangle
    let mut placed: Vec<Bx> = taken.to_vec();
    placed.extend(
        (markers.iter().filter(|m| m.at_s >= lo && m.at_s <= hi))
            .map(|m| (px(m.at_s) - tri, top, px(m.at_s) + tri, top + tri * 1.4)),
    );
    for m in markers.iter().filter(|m| m.at_s >= lo && m.at_s <= hi) {
        let Some(label) = &m.label else { continue };
        let x = px(m.at_s);
        let tw = text_w(label, size);
        // right of the line, or left of it at the plot's right edge
        let x0 = if x + tri + pad + tw <= xs.end as f64 - pad {
            x + tri + pad
        } else {
            x - tri - pad - tw
        };
        if x0 < xs.start as f64 + pad {
            continue;
        }
        let spot = (0..3).map(f64::from).find_map(|r| {
            let y = top + pad + r * row_h;
            let b = (x0 - pad, y - 1.0, x0 + tw + pad, y + size + 1.0);
            let free = !placed
                .iter()
                .any(|p| b.0 < p.2 && p.0 < b.2 && b.1 < p.3 && p.1 < b.3);
            (free && b.3 <= ys.end as f64).then_some((y, b))
        });
        let Some((y, b)) = spot else { continue };
        placed.push(b);
        root.draw(&Rectangle::new(
            [
                (b.0 as i32 - ox, b.1 as i32 - oy),
                (b.2 as i32 - ox, b.3 as i32 - oy),
            ],
            pal.bg.mix(0.7).filled(),
        ))?;
        root.draw(&Text::new(
            label.clone(),
            (x0 as i32 - ox, y as i32 - oy),
            (FONT, size)
                .into_font()
                .color(&ink)
                .pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets;

    fn wave(at_ms: f64, f: &str) -> Moment {
        Moment {
            at_ms,
            kind: MomentKind::RetryWave,
            service: None,
            label: format!("retry wave: {f}× capacity"),
        }
    }

    #[test]
    fn the_first_and_the_biggest_wave_are_labelled_the_rest_only_marked() {
        let sc = presets::config("herd-no-jitter")
            .unwrap()
            .validate()
            .unwrap();
        let m = [
            wave(10_000.0, "3.2"),
            wave(11_000.0, "20.6"),
            wave(13_000.0, "120"),
            wave(17_000.0, "4"),
        ];
        let labels: Vec<_> = select(&m, Kind::Arrivals, &sc)
            .into_iter()
            .map(|m| m.label)
            .collect();
        let want = [Some("wave 3.2×"), None, Some("wave 120×"), None];
        assert_eq!(labels, want.map(|l| l.map(String::from)));
        assert!(select(&m, Kind::Breakers, &sc).is_empty());
        assert_eq!(wave_factor(&m[1]), Some(20.6));
    }
}
