//! Breakers and budgets over time. The breaker chart has a band per breaker group (each
//! service for per-service scopes, one for breakers that guard everything) showing the
//! share of its breakers closed, half-open and open on a y axis in percent; the budget chart draws each
//! service's mean budget level in the budget's own unit (a windowed budget's level as of
//! its last use: one no client touches is not re-read as its window slides).

use plotters::coord::Shift;
use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::text_w;
use super::frame::{
    bucket_at, label_windows, message, midpoints, peak, time_chart, time_range, title_of, Axis,
    Error, Frame, Key, Mark,
};
use super::marks;
use super::pattern::{self, Dash, Hatch, Patch};
use super::style::{
    outcome_hatch, service_color, service_shape, Palette, ERROR, FONT, SUCCESS, THROTTLED,
};
use crate::sim::output::metrics::Series;
use crate::sim::{Outcome, RunRecord};
use crate::units::count;

/// The breaker states in stacking order, bottom first: name, colour and hatching (closed as
/// a success, half-open as a throttled call, open as an error).
pub fn states() -> [(&'static str, RGBColor, Hatch); 3] {
    [
        ("closed", SUCCESS, outcome_hatch(Outcome::Success)),
        ("half-open", THROTTLED, outcome_hatch(Outcome::Throttled)),
        ("open", ERROR, outcome_hatch(Outcome::Error)),
    ]
}

/// The breaker bands of a run: `(label, series)` for each group.
pub fn bands(rec: &RunRecord) -> Vec<(String, &Series)> {
    match rec.scenario.breaker() {
        None => Vec::new(),
        Some(b) if b.scope.per_service() => rec
            .scenario
            .services()
            .iter()
            .zip(&rec.services)
            .map(|(s, series)| (s.name.clone(), series))
            .collect(),
        Some(_) => vec![("all services".to_string(), &rec.series)],
    }
}

/// `(open, half-open)` fractions of each bucket of a band.
pub fn fractions(rec: &RunRecord, s: &Series) -> Vec<(f64, f64)> {
    let n = rec.breakers_per_group.max(1) as f64;
    let w = s.width as f64;
    s.buckets
        .iter()
        .map(|b| {
            let open = (b.open_area as f64 / w / n).clamp(0.0, 1.0);
            let half = (b.half_open_area as f64 / w / n).clamp(0.0, 1.0 - open);
            (open, half)
        })
        .collect()
}

/// An empty chart that says why it is empty.
pub(super) fn nothing<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    note: &str,
    end: f64,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    message(area, title, &[note.to_string()], pal)?;
    let (w, _) = area.dim_in_pixel();
    Ok(Frame {
        px: (0, w as i32),
        x: (0.0, end.max(1e-3)),
        log: false,
    })
}

/// Gap between the bands of a breaker chart with several (in band heights).
const GAP: f64 = 0.3;

/// The y extent `(bottom, top)` of band `i` of `rows` (the first on top).
pub fn band_span(i: usize, rows: usize) -> (f64, f64) {
    let y0 = (rows - 1 - i) as f64;
    if rows == 1 {
        (0.0, 1.0)
    } else {
        (y0 + GAP / 2.0, y0 + 1.0 - GAP / 2.0)
    }
}

/// The y ticks of a breaker chart: 0–100% in quarters with one band, each band's 0% and
/// 100% with several.
pub fn band_ticks(rows: usize) -> Vec<(f64, String)> {
    if rows == 1 {
        return (0..=4)
            .map(|q| (q as f64 / 4.0, format!("{}%", q * 25)))
            .collect();
    }
    let mut t: Vec<(f64, String)> = (0..rows)
        .rev()
        .flat_map(|i| {
            let (a, b) = band_span(i, rows);
            [(a, "0%".to_string()), (b, "100%".to_string())]
        })
        .collect();
    t.sort_by(|a, b| a.0.total_cmp(&b.0));
    t
}

/// Draw the breaker state bands (`peer` sets shared axes only).
pub fn draw_breakers<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let end = peak(std::iter::once(rec).chain(peer), |r| r.end_s());
    let bands = bands(rec);
    if bands.is_empty() {
        return nothing(
            area,
            &title_of("Breaker states", rec, peer),
            "no circuit breaker in this scenario",
            end,
            pal,
        );
    }
    let n = bands.len();
    let rows = n as f64;
    let keys = states().map(|(name, c, hatch)| Key::new(name, c, Mark::Fill(hatch)));
    let per = rec.breakers_per_group;
    let desc = format!(
        "% of {} breaker{}",
        count(per as u64),
        if per == 1 { "" } else { "s" }
    );
    let y = Axis::new(0.0, rows, &desc).fixed(band_ticks(n));
    let title = title_of(
        if n == 1 {
            "Breaker states"
        } else {
            "Breaker states per service"
        },
        rec,
        peer,
    );
    let marked = marks::markers(rec, super::Kind::Breakers);
    let keys = marks::with_key(
        keys.to_vec(),
        &marked,
        &rec.scenario,
        area.dim_in_pixel().0,
        pal,
    );
    let mut chart = time_chart(area, &title, &keys, y, end, &rec.scenario, pal)?;
    marks::rules(&mut chart, &marked, pal)?;
    for (i, (_, s)) in bands.iter().enumerate() {
        let (y0, y1) = band_span(i, n);
        let h = y1 - y0;
        let w = s.width_s();
        for (k, (open, half)) in fractions(rec, s).into_iter().enumerate() {
            let (x0, x1) = (k as f64 * w, (k + 1) as f64 * w);
            let closed = 1.0 - open - half;
            let mut y = y0;
            for (frac, (_, c, hatch)) in [closed, half, open].into_iter().zip(states()) {
                if frac > 0.0 {
                    chart.draw_series([Patch::new((x0, y), (x1, y + frac * h), c, hatch, pal)])?;
                }
                y += frac * h;
            }
        }
    }
    // group names at the left of each band
    let mut taken = Vec::new();
    for (i, (name, _)) in bands.iter().enumerate() {
        let (y0, y1) = band_span(i, n);
        let (x, y) = chart.backend_coord(&(end * 0.01, (y0 + y1) / 2.0));
        let (x, y, size) = (f64::from(x), f64::from(y), pal.font(13));
        taken.push((x, y - size / 2.0, x + text_w(name, size), y + size / 2.0));
        chart.draw_series([Text::new(
            name.clone(),
            (end * 0.01, (y0 + y1) / 2.0),
            (FONT, pal.font(13))
                .into_font()
                .color(&pal.bg)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        )])?;
    }
    taken.extend(label_windows(&mut chart, &rec.scenario, pal)?);
    marks::draw(&mut chart, &marked, &taken, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

/// The mean budget level of each bucket of a service's series.
pub fn levels(rec: &RunRecord, s: &Series) -> Vec<f64> {
    let n = rec.budgets_per_service.0.max(1) as f64;
    let w = s.width as f64;
    s.buckets.iter().map(|b| b.budget_area / w / n).collect()
}

/// Draw each service's budget level (`peer` sets shared axes only).
pub fn draw_budget<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let both = || std::iter::once(rec).chain(peer);
    let end = peak(both(), |r| r.end_s());
    if rec.budgets_per_service.0 == 0 {
        return nothing(
            area,
            &title_of("Retry budget", rec, peer),
            "no retry budget in this scenario",
            end,
            pal,
        );
    }
    let unit = rec.budgets_per_service.1;
    let top = peak(both().filter(|r| r.budgets_per_service.1 == unit), |r| {
        peak(&r.services, |s| peak(levels(r, s), |x| x))
    })
    .max(1e-6)
        * 1.1;
    let title = title_of("Retry budget: mean level", rec, peer);
    // with several services, each line also has its service's shape
    let many = rec.services.len() > 1;
    let mark = |i: usize| {
        if many {
            Mark::Shaped(service_shape(i))
        } else {
            Mark::LINE
        }
    };
    let keys: Vec<Key> = rec
        .scenario
        .services()
        .iter()
        .enumerate()
        .map(|(i, svc)| Key::new(svc.name.clone(), service_color(i), mark(i)))
        .collect();
    let marked = marks::markers(rec, super::Kind::Budget);
    let keys = marks::with_key(keys, &marked, &rec.scenario, area.dim_in_pixel().0, pal);
    let y = Axis::new(0.0, top, unit);
    let mut chart = time_chart(area, &title, &keys, y, end, &rec.scenario, pal)?;
    marks::rules(&mut chart, &marked, pal)?;
    let n = rec.services.len();
    for (i, s) in rec.services.iter().enumerate() {
        let (c, pts) = (
            service_color(i),
            midpoints(levels(rec, s), s.width_s()).collect(),
        );
        if many {
            let look = (Dash::Solid, service_shape(i));
            pattern::shaped_line(&mut chart, pts, c, look, (i, n), pal)?;
        } else {
            let style = c.stroke_width(pattern::series_width(pal));
            pattern::line(&mut chart, pts, style, Dash::Solid, pal)?;
        }
    }
    let taken = label_windows(&mut chart, &rec.scenario, pal)?;
    marks::draw(&mut chart, &marked, &taken, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

/// Breaker states under time `t` (s).
pub fn breakers_readout(rec: &RunRecord, t: f64) -> String {
    let ts = crate::units::duration_ms(t * 1000.0);
    let parts: Vec<String> = bands(rec)
        .iter()
        .filter_map(|(name, s)| {
            let (open, half) = fractions(rec, s)[bucket_at(s, t)?];
            Some(format!(
                "{name}: {:.0}% open, {:.0}% half-open",
                open * 100.0,
                half * 100.0
            ))
        })
        .collect();
    if parts.is_empty() {
        return format!("{ts}: no breaker");
    }
    format!("{ts}: {}", parts.join("; "))
}

/// Budget levels under time `t` (s).
pub fn budget_readout(rec: &RunRecord, t: f64) -> String {
    let ts = crate::units::duration_ms(t * 1000.0);
    let parts: Vec<String> = rec
        .services
        .iter()
        .zip(rec.scenario.services())
        .filter_map(|(s, svc)| {
            let i = bucket_at(s, t)?;
            let v = levels(rec, s)[i];
            let denied = s.buckets[i].budget_denied;
            Some(format!("{} {v:.2} ({denied} denied)", svc.name))
        })
        .collect();
    if rec.budgets_per_service.0 == 0 || parts.is_empty() {
        return format!("{ts}: no budget");
    }
    format!("{ts}: {} — {}", rec.budgets_per_service.1, parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{scenario::presets, Sim};

    fn record(name: &str) -> RunRecord {
        let mut sim = Sim::new(&presets::config(name).unwrap().validate().unwrap(), 1);
        sim.run();
        sim.record()
    }

    #[test]
    fn breaker_fractions_follow_the_outage() {
        let rec = record("breaker-per-service-vs-global");
        let b = bands(&rec);
        assert_eq!(b.len(), 1, "global scope: one band");
        let f = fractions(&rec, b[0].1);
        let w = b[0].1.width_s();
        let at = |s: f64| f[(s / w) as usize];
        assert_eq!(at(10.0), (0.0, 0.0), "all closed before the outage");
        assert!(at(45.0).0 > 0.3, "many open during it: {:?}", at(45.0));
        assert!(f
            .iter()
            .all(|(o, h)| *o >= 0.0 && *h >= 0.0 && o + h <= 1.0 + 1e-9));
        let mut cfg = presets::config("breaker-per-service-vs-global").unwrap();
        cfg.breaker.scope = crate::sim::scenario::config::BreakerScopeConfig::PerService;
        let mut sim = Sim::new(&cfg.validate().unwrap(), 1);
        sim.run();
        let rec = sim.record();
        let b = bands(&rec);
        assert_eq!(
            b.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["users", "payments", "search"]
        );
        let open = |k: usize| {
            fractions(&rec, b[k].1)
                .iter()
                .map(|x| x.0)
                .fold(0.0, f64::max)
        };
        assert_eq!(
            (open(0), open(2)),
            (0.0, 0.0),
            "healthy services' breakers never open"
        );
        assert!(open(1) > 0.5);
    }

    #[test]
    fn the_budget_level_starts_full_and_drains_in_the_storm() {
        let rec = record("budget-vs-storm");
        assert_eq!(rec.budgets_per_service, (1, "tokens"));
        let l = levels(&rec, &rec.services[0]);
        let w = rec.services[0].width_s();
        assert!((l[0] - 10.0).abs() < 1e-9, "full at first: {}", l[0]);
        let low = l[(20.0 / w) as usize..(26.0 / w) as usize]
            .iter()
            .cloned()
            .fold(f64::MAX, f64::min);
        assert!(
            low <= 5.0,
            "drained to the threshold during the slowdown: {low}"
        );
        assert!(l.iter().all(|&x| (0.0..=10.0 + 1e-9).contains(&x)));
    }
}
