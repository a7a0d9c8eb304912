//! The RPO/RTO strip: one row per crash of a replicated service's primary (the first few),
//! the writes lost to the left of the crash (from the oldest lost write to the crash: the
//! RPO) and the recovery to its right (to the first successful write after it: the RTO),
//! with the crash, its detection and the new primary marked on the way.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{linear, text_w, title_of, Axis, Error, Frame, Key, Mark};
use super::pattern::{self, Dash};
use super::style::{Palette, ERROR, FONT, TIMEOUT};
use crate::sim::output::incident::{Incident, Recovery};
use crate::sim::RunRecord;
use crate::units::{count, duration_ms};

/// Crashes drawn at most (one row each).
pub const ROWS: usize = 4;

/// One crash as the strip draws it (times in s).
#[derive(Clone, Debug, PartialEq)]
pub struct Strip {
    /// The service, when there are several.
    pub service: Option<String>,
    /// The crash.
    pub crash: f64,
    /// The oldest lost write, if any was lost.
    pub oldest_lost: Option<f64>,
    /// Writes lost.
    pub lost: u64,
    /// The crash noticed.
    pub detected: Option<f64>,
    /// A primary again, and how.
    pub back: Option<(f64, Recovery)>,
    /// The first successful write after it.
    pub first_write: Option<f64>,
}

impl Strip {
    fn of(o: &Incident, service: Option<String>) -> Strip {
        let s = |t: u64| t as f64 / 1e6;
        Strip {
            service,
            crash: s(o.crash),
            oldest_lost: o.oldest_lost.map(s),
            lost: o.lost_writes,
            detected: o.detected.map(s),
            back: o.back.map(|b| (s(b), o.recovery)),
            first_write: o.first_write.map(s),
        }
    }

    /// "RPO 899 ms: 100 writes lost", or "RPO 0: no write lost".
    pub fn rpo_label(&self) -> String {
        match self.oldest_lost {
            Some(o) if self.lost > 0 => format!(
                "RPO {}: {} writes lost",
                duration_ms((self.crash - o) * 1000.0),
                count(self.lost)
            ),
            _ => "RPO 0: no write lost".into(),
        }
    }

    /// "RTO 8.01 s", or "no write succeeded after it".
    pub fn rto_label(&self) -> String {
        match self.first_write {
            Some(w) => format!("RTO {}", duration_ms((w - self.crash) * 1000.0)),
            None => "no write succeeded after it".into(),
        }
    }
}

/// The first [`ROWS`] crashes of `rec`'s primaries, in time order.
pub fn strips(rec: &RunRecord) -> Vec<Strip> {
    let many = rec.scenario.services().len() > 1;
    let mut out: Vec<Strip> = (rec.scenario.services().iter().zip(&rec.incidents))
        .flat_map(|(svc, incidents)| {
            let name = many.then(|| svc.name.clone());
            incidents.iter().map(move |o| Strip::of(o, name.clone()))
        })
        .collect();
    out.sort_by(|a, b| a.crash.total_cmp(&b.crash));
    out.truncate(ROWS);
    out
}

/// The strip's time range (s): from the oldest lost write to the last first write (or the
/// run's end), with a margin, within the run.
fn range(strips: &[Strip], end: f64) -> (f64, f64) {
    let lo = strips
        .iter()
        .map(|s| s.oldest_lost.unwrap_or(s.crash))
        .fold(f64::INFINITY, f64::min);
    let hi = strips
        .iter()
        .map(|s| s.first_write.unwrap_or(end))
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.08).max(0.05);
    ((lo - pad).max(0.0), (hi + pad).min(end.max(hi)))
}

/// Draw the strip.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let title = title_of(
        "Failover: data lost (RPO) and time to the first write (RTO)",
        rec,
        peer,
    );
    let rows = strips(rec);
    let end = rec.end_s();
    if rows.is_empty() {
        let why = if rec.scenario.replicated() {
            "no primary crashed in this run"
        } else {
            "no replicated service in this scenario"
        };
        return super::guards::nothing(area, &title, why, end, pal);
    }
    let (lo, hi) = range(&rows, end);
    let n = rows.len();
    let keys = [
        Key::new("writes lost (RPO)", ERROR, Mark::BOX),
        Key::new("until the first write (RTO)", TIMEOUT, Mark::BOX),
        Key::new("crash", pal.ink, Mark::LINE),
        Key::new("detected", pal.ink, Mark::DASHED),
        Key::new("new primary", pal.ink, Mark::Line(Dash::Dotted)),
    ];
    // row i from the top: y in [n − 1 − i, n − i]
    let y_of = |i: usize| (n - 1 - i) as f64;
    let ticks: Vec<(f64, String)> = (0..n)
        .map(|i| {
            let s = &rows[i];
            let label = match &s.service {
                Some(name) => format!("{name} #{}", i + 1),
                None => format!("crash {}", i + 1),
            };
            (y_of(i) + 0.5, label)
        })
        .collect();
    let y = Axis::new(0.0, n as f64, "").fixed(ticks);
    let mut chart = linear(area, &title, &keys, Axis::new(lo, hi, "time (s)"), y, pal)?;
    let size = pal.font(12);
    for (i, s) in rows.iter().enumerate() {
        let (y0, y1) = (y_of(i) + 0.3, y_of(i) + 0.7);
        if let Some(o) = s.oldest_lost.filter(|_| s.lost > 0) {
            chart.draw_series([Rectangle::new(
                [(o, y0), (s.crash, y1)],
                ERROR.mix(0.75).filled(),
            )])?;
        }
        let until = s.first_write.unwrap_or(end);
        chart.draw_series([Rectangle::new(
            [(s.crash, y0), (until, y1)],
            TIMEOUT.mix(0.55).filled(),
        )])?;
        let tick = |t: f64| vec![(t, y0), (t, y1)];
        let ink = pal.ink.stroke_width(pal.px(2));
        pattern::line(&mut chart, tick(s.crash), ink, Dash::Solid, pal)?;
        if let Some(d) = s.detected {
            pattern::line(&mut chart, tick(d), ink, Dash::Dashed, pal)?;
        }
        if let Some((b, _)) = s.back {
            pattern::line(&mut chart, tick(b), ink, Dash::Dotted, pal)?;
        }
        // the two figures in words: the RPO above the bar, ending at the crash (or from
        // the plot's left edge if it does not fit there), the RTO below it from the crash
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let (ox, oy) = (xs.start, ys.start);
        let gap = pal.font(6);
        let crash_px = f64::from(chart.backend_coord(&(s.crash, y1)).0);
        let rpo = s.rpo_label();
        let rto = s.rto_label();
        let rpo_x = (crash_px - gap - text_w(&rpo, size)).max(f64::from(xs.start) + 2.0);
        let rto_x = (crash_px + gap).min(f64::from(xs.end) - text_w(&rto, size) - 2.0);
        let above = chart.backend_coord(&(s.crash, y1)).1 - pal.px(3) as i32;
        let below = chart.backend_coord(&(s.crash, y0)).1 + pal.px(3) as i32;
        let style = |v| {
            (FONT, size)
                .into_font()
                .color(&pal.ink)
                .pos(Pos::new(HPos::Left, v))
        };
        let root = chart.plotting_area().strip_coord_spec();
        root.draw(&Text::new(
            rpo,
            (rpo_x as i32 - ox, above - oy),
            style(VPos::Bottom),
        ))?;
        root.draw(&Text::new(
            rto,
            (rto_x as i32 - ox, below - oy),
            style(VPos::Top),
        ))?;
    }
    Ok(Frame::of(&chart, (lo, hi)))
}

/// What the strip says at time `t` (s): each crash's figures, and where `t` falls.
pub fn readout(rec: &RunRecord, t: f64) -> String {
    let rows = strips(rec);
    if rows.is_empty() {
        return "no crash of a primary".into();
    }
    let at = duration_ms(t * 1000.0);
    let parts: Vec<String> = rows
        .iter()
        .map(|s| {
            let phase = if t < s.crash {
                "before the crash"
            } else if s.detected.is_some_and(|d| t < d) {
                "crashed, not yet detected"
            } else if s.back.is_some_and(|(b, _)| t < b) {
                "detected, no primary yet"
            } else if s.first_write.is_none_or(|w| t < w) {
                "primary back, no write yet"
            } else {
                "writing again"
            };
            format!("{}, {}: {phase}", s.rpo_label(), s.rto_label())
        })
        .collect();
    format!("{at}: {}", parts.join(" · "))
}
