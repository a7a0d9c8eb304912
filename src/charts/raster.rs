//! Chart 5: a per-client raster. One row per sampled client, one dot per attempt at the
//! time it was sent, coloured by how it ended: synchronized retries line up in columns
//! without jitter and scatter with it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{label_windows, peak, time_chart, time_range, Axis, Error, Frame, Key, Mark};
use super::outcomes::{name, shown};
use super::style::{outcome_color, Palette};
use crate::sim::RunRecord;

/// Draw the chart (`peer` sets the shared time axis only).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let end = peak(std::iter::once(rec).chain(peer), |r| r.end_s());
    let rows = rec.raster.rows.max(1) as f64;
    let title = format!("Attempts of {} sampled clients", rec.raster.rows);
    let shown = shown(rec, None);
    let keys: Vec<Key> = shown
        .iter()
        .map(|&o| Key::new(name(o), outcome_color(o), Mark::Box))
        .collect();
    let y = Axis::new(0.0, rows, "client").min_step(1.0);
    let mut chart = time_chart(area, &title, &keys, y, end, &rec.scenario, pal)?;
    for o in shown {
        let c = outcome_color(o);
        let dots = rec
            .raster
            .dots
            .iter()
            .filter(move |d| d.outcome == o)
            .map(move |d| {
                Circle::new(
                    (d.sent as f64 / 1e6, d.client as f64 + 0.5),
                    pal.px(2),
                    c.filled(),
                )
            });
        chart.draw_series(dots)?;
    }
    label_windows(&mut chart, &rec.scenario, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

/// Attempts sent near time `t` (s): within half a percent of the axis.
pub fn readout(rec: &RunRecord, t: f64) -> String {
    let ts = crate::units::duration_ms(t * 1000.0);
    let half = (rec.end_s() * 0.005).max(1e-3);
    let n = rec
        .raster
        .dots
        .iter()
        .filter(|d| (d.sent as f64 / 1e6 - t).abs() <= half)
        .count();
    format!(
        "{ts}: {n} sampled attempts sent within ±{}",
        crate::units::duration_ms(half * 1000.0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::to_svg;
    use crate::sim::{scenario::presets, Sim};

    #[test]
    fn one_circle_per_sampled_attempt() {
        let sc = presets::config("herd-full-jitter")
            .unwrap()
            .validate()
            .unwrap();
        let mut sim = Sim::new(&sc, 1);
        sim.run();
        let rec = sim.record();
        let svg = to_svg((800, 400), |a| {
            draw(a, &rec, None, &Palette::LIGHT).map(|_| ())
        })
        .unwrap();
        assert_eq!(svg.matches("<circle").count(), rec.raster.dots.len());
        assert!(
            rec.raster.dots.len() >= 100,
            "every sampled client made an attempt"
        );
    }
}
