//! Chart 2: how attempts ended, per second, stacked (success, timeout, error, rejected,
//! refused, and, when they happen, calls a breaker or throttle rejected on the client), at
//! the time the client learned the outcome; successes plain, each failure hatched its own
//! way.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{
    bucket_at, label_windows, peak, time_chart, time_range, title_of, Axis, Error, Frame, Key, Mark,
};
use super::marks;
use super::pattern::Patch;
use super::style::{outcome_color, outcome_hatch, Palette};
use crate::sim::{Outcome, RunRecord};

/// The outcomes in stacking order (bottom first).
pub const ORDER: [Outcome; 7] = Outcome::ALL;

/// The outcomes a chart of `rec` (and `peer`) shows: the five a service gives, and the
/// client-side rejections when there are any.
pub fn shown(rec: &RunRecord, peer: Option<&RunRecord>) -> Vec<Outcome> {
    let any = |o: Outcome| {
        std::iter::once(rec)
            .chain(peer)
            .any(|r| r.series.buckets.iter().any(|b| b.count(o) > 0))
    };
    ORDER
        .into_iter()
        .filter(|&o| o.was_sent() || any(o))
        .collect()
}

/// The outcome's name as the legend shows it.
pub fn name(o: Outcome) -> &'static str {
    match o {
        Outcome::Success => "success",
        Outcome::Timeout => "timeout",
        Outcome::Error => "error",
        Outcome::Rejected => "rejected",
        Outcome::Refused => "refused",
        Outcome::ShortCircuit => "breaker open",
        Outcome::Throttled => "throttled",
    }
}

/// Draw the chart (`peer` sets shared axes only).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let both = || std::iter::once(rec).chain(peer);
    let end = peak(both(), |r| r.end_s());
    let top = peak(both(), |r| {
        peak(&r.series.buckets, |b| b.outcomes() as f64) / r.series.width_s()
    })
    .max(1.0)
        * 1.08;
    let shown = shown(rec, peer);
    let keys: Vec<Key> = shown
        .iter()
        .map(|&o| Key::new(name(o), outcome_color(o), Mark::Fill(outcome_hatch(o))))
        .collect();
    let marked = marks::markers(rec, super::Kind::Outcomes);
    let keys = marks::with_key(keys, &marked, &rec.scenario, area.dim_in_pixel().0, pal);
    let mut chart = time_chart(
        area,
        &title_of("Outcomes of attempts", rec, peer),
        &keys,
        Axis::new(0.0, top, "attempts / s"),
        end,
        &rec.scenario,
        pal,
    )?;
    marks::rules(&mut chart, &marked, pal)?;
    let w = rec.series.width_s();
    let mut base = vec![0.0; rec.series.buckets.len()];
    for o in shown {
        let (c, hatch) = (outcome_color(o), outcome_hatch(o));
        let rects: Vec<_> = rec
            .series
            .buckets
            .iter()
            .enumerate()
            .filter(|(_, b)| b.count(o) > 0)
            .map(|(i, b)| {
                let (y0, y1) = (base[i], base[i] + b.count(o) as f64 / w);
                base[i] = y1;
                Patch::new((i as f64 * w, y0), ((i + 1) as f64 * w, y1), c, hatch, pal)
            })
            .collect();
        chart.draw_series(rects)?;
    }
    let taken = label_windows(&mut chart, &rec.scenario, pal)?;
    marks::draw(&mut chart, &marked, &taken, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

/// The values under time `t` (s).
pub fn readout(rec: &RunRecord, t: f64) -> String {
    let ts = crate::units::duration_ms(t * 1000.0);
    let w = rec.series.width_s();
    match bucket_at(&rec.series, t).map(|i| &rec.series.buckets[i]) {
        Some(b) => {
            let parts: Vec<String> = shown(rec, None)
                .into_iter()
                .map(|o| format!("{} {:.0}/s", name(o), b.count(o) as f64 / w))
                .collect();
            format!("{ts}: {}", parts.join(", "))
        }
        None => format!("{ts}: no attempts ended"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::to_svg;
    use crate::sim::{scenario::presets, Sim};

    #[test]
    fn every_outcome_segment_is_drawn_once_with_its_colour() {
        let sc = presets::config("retry-storm").unwrap();
        let mut cfg = sc;
        cfg.clients.count = 300;
        let mut sim = Sim::new(&cfg.validate().unwrap(), 2);
        sim.run();
        let rec = sim.record();
        let svg = to_svg((800, 400), |a| {
            draw(a, &rec, None, &Palette::LIGHT).map(|_| ())
        })
        .unwrap();
        for o in shown(&rec, None) {
            let c = outcome_color(o);
            let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
            let segments = rec.series.buckets.iter().filter(|b| b.count(o) > 0).count();
            // bars plus the legend swatch (success and error share no colour with others)
            assert!(svg.matches(&fill).count() > segments, "{o:?}");
        }
        // the totals add up to the summary's attempts that ended
        let ended: u64 = rec.series.buckets.iter().map(|b| b.outcomes()).sum();
        assert!(ended <= rec.summary.attempts && ended + 2000 >= rec.summary.attempts);
    }
}
