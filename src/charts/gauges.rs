//! Chart 3: queue length, busy workers and requests in flight over time (each the time
//! average over its bucket; solid, dashed and dotted), with the fault windows shaded.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{
    bucket_at, label_windows, midpoints, peak, time_chart, time_range, title_of, Axis, Error,
    Frame, Key, Mark,
};
use super::pattern::{self, Dash};
use super::style::{Palette, FIRST, RETRY, THIRD};
use crate::sim::output::metrics::Series;
use crate::sim::RunRecord;

/// Time-averaged `(queue, busy, in_flight)` of every bucket.
pub fn averages(s: &Series) -> Vec<(f64, f64, f64)> {
    let w = s.width as f64;
    s.buckets
        .iter()
        .map(|b| {
            (
                b.queue_area as f64 / w,
                b.busy_area as f64 / w,
                b.in_flight_area as f64 / w,
            )
        })
        .collect()
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
        peak(averages(&r.series), |(q, b, f)| q.max(b).max(f))
    })
    .max(1.0)
        * 1.08;
    type Pick = fn(&(f64, f64, f64)) -> f64;
    let lines: [(&str, RGBColor, Dash, Pick); 3] = [
        ("in flight", FIRST, Dash::Solid, |v| v.2),
        ("queue length", RETRY, Dash::Dashed, |v| v.0),
        ("busy workers", THIRD, Dash::Dotted, |v| v.1),
    ];
    let keys: Vec<Key> = lines
        .iter()
        .map(|(name, c, dash, _)| Key::new(*name, *c, Mark::Line(*dash)))
        .collect();
    let mut chart = time_chart(
        area,
        &title_of("Queue, workers and requests in flight", rec, peer),
        &keys,
        Axis::new(0.0, top, "count"),
        end,
        &rec.scenario,
        pal,
    )?;
    let w = rec.series.width_s();
    let avg = averages(&rec.series);
    for (_, color, dash, pick) in lines {
        let pts = midpoints(avg.iter().map(pick).collect(), w).collect();
        let style = color.stroke_width(pattern::series_width(pal));
        pattern::line(&mut chart, pts, style, dash, pal)?;
    }
    label_windows(&mut chart, &rec.scenario, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

/// The values under time `t` (s).
pub fn readout(rec: &RunRecord, t: f64) -> String {
    let ts = crate::units::duration_ms(t * 1000.0);
    match bucket_at(&rec.series, t).map(|i| averages(&rec.series)[i]) {
        Some((q, b, f)) => format!("{ts}: in flight {f:.1}, queue {q:.1}, busy workers {b:.1}"),
        None => format!("{ts}: idle"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{scenario::presets, Sim};

    #[test]
    fn averages_respect_the_service_limits() {
        let mut cfg = presets::config("retry-storm").unwrap();
        cfg.clients.count = 400;
        let sc = cfg.validate().unwrap();
        let (workers, cap) = (
            cfg.service.workers.unwrap() as f64,
            cfg.service.queue_capacity.unwrap() as f64,
        );
        let mut sim = Sim::new(&sc, 4);
        sim.run();
        let rec = sim.record();
        let avg = averages(&rec.series);
        assert!(!avg.is_empty());
        for (q, b, f) in avg {
            assert!(
                b <= workers + 1e-9 && q <= cap + 1e-9,
                "busy {b}, queue {q}"
            );
            assert!((0.0..=400.0 * 60.0).contains(&f), "in flight {f}");
        }
    }
}
