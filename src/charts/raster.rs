//! Chart 5: a per-client raster. One row per sampled client, one dot per attempt at the
//! time it was sent, coloured and shaped by how it ended: synchronized retries line up in
//! columns without jitter and scatter with it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{
    label_windows, peak, time_chart, time_range, title_of, Axis, Error, Frame, Key, Mark,
};
use super::outcomes::{name, shown};
use super::pattern::Glyph;
use super::style::{outcome_color, outcome_shape, Palette};

/// The size of a dot (radius in pixels at scale 1).
const DOT: u32 = 2;
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
    let title = title_of(
        &format!("Attempts of {} sampled clients", rec.raster.rows),
        rec,
        peer,
    );
    let shown = shown(rec, None);
    let keys: Vec<Key> = shown
        .iter()
        .map(|&o| Key::new(name(o), outcome_color(o), Mark::Dot(outcome_shape(o))))
        .collect();
    let y = Axis::new(0.0, rows, "client").min_step(1.0);
    let mut chart = time_chart(area, &title, &keys, y, end, &rec.scenario, pal)?;
    for o in shown {
        let (c, shape) = (outcome_color(o), outcome_shape(o));
        let dots = rec
            .raster
            .dots
            .iter()
            .filter(move |d| d.outcome == o)
            .map(move |d| {
                let at = (d.sent as f64 / 1e6, d.client as f64 + 0.5);
                Glyph::new(at, shape, DOT, c, pal)
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
    use crate::sim::{scenario::presets, Outcome, Sim};

    #[test]
    fn one_mark_per_sampled_attempt_in_its_outcomes_colour_and_shape() {
        use crate::charts::pattern::Shape;
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
        assert!(
            rec.raster.dots.len() >= 100,
            "every sampled client made an attempt"
        );
        // every <circle> is a success (the legend draws its disc as a polygon)
        let n = |o: Outcome| rec.raster.dots.iter().filter(|d| d.outcome == o).count();
        assert_eq!(svg.matches("<circle").count(), n(Outcome::Success));
        let mut outcomes = 0;
        for o in shown(&rec, None) {
            let c = outcome_color(o);
            let color = format!("\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
            let (tag, per) = match outcome_shape(o) {
                Shape::Circle => ("<circle", 1),
                Shape::Square => ("<rect", 1),
                Shape::Cross | Shape::Plus => ("<line", 2),
                _ => ("<polygon", 1),
            };
            // marks of this shape in this colour, opaque: one per dot and the legend's
            let marks = svg
                .split(tag)
                .skip(1)
                .map(|t| t.split_once("/>").map_or(t, |x| x.0))
                .filter(|t| t.contains(&color) && t.contains("opacity=\"1\""))
                .count();
            let legend = usize::from(outcome_shape(o) != Shape::Circle);
            assert_eq!(marks, (n(o) + legend) * per, "{o:?}");
            outcomes += usize::from(n(o) > 0);
        }
        assert!(outcomes >= 2, "the run has more than one outcome");
    }
}
