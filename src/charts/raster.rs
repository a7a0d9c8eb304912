//! Chart 5: a per-client raster. One row per sampled client, one dot per attempt at the
//! time it was sent, coloured and shaped by how it ended: synchronized retries line up in
//! columns without jitter and scatter with it.

use std::collections::HashSet;

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
    // a dot on the very pixel of one of its outcome drawn already is not drawn again: the
    // marks are opaque, so the chart looks the same, drawn in a fraction of the time when
    // attempts crowd (a retry storm's timeouts)
    let mut drawn = HashSet::new();
    for o in shown {
        let (c, shape) = (outcome_color(o), outcome_shape(o));
        drawn.clear();
        let spec = chart.as_coord_spec();
        let dots: Vec<_> = (rec.raster.dots.iter())
            .filter(|d| d.outcome == o)
            .map(|d| (d.sent as f64 / 1e6, d.client as f64 + 0.5))
            .filter(|at| drawn.insert(spec.translate(at)))
            .map(|at| Glyph::new(at, shape, DOT, c, pal))
            .collect();
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
    fn a_mark_on_every_sampled_attempt_in_its_outcomes_colour_and_shape() {
        use crate::charts::pattern::Shape;
        let sc = presets::config("herd-full-jitter")
            .unwrap()
            .validate()
            .unwrap();
        let mut sim = Sim::new(&sc, 1);
        sim.run();
        let rec = sim.record();
        let mut frame = None;
        let svg = to_svg((800, 400), |a| {
            frame = Some(draw(a, &rec, None, &Palette::LIGHT)?);
            Ok(())
        })
        .unwrap();
        let frame = frame.unwrap();
        assert!(
            rec.raster.dots.len() >= 100,
            "every sampled client made an attempt"
        );
        // every <circle> is a success (the legend draws its disc as a polygon), one a
        // pixel: each success's place (from the chart's frame) has one, none has two
        let circles: Vec<(i32, i32)> = (svg.split("<circle").skip(1))
            .map(|t| {
                let at = |k: &str| t.split(k).nth(1)?.split('"').nth(1)?.parse().ok();
                (at(" cx=").unwrap(), at(" cy=").unwrap())
            })
            .collect();
        let distinct: std::collections::HashSet<_> = circles.iter().collect();
        assert_eq!(distinct.len(), circles.len(), "a pixel drawn twice");
        let f = frame;
        let per_s = f64::from(f.px.1 - f.px.0) / (f.x.1 - f.x.0);
        for d in rec
            .raster
            .dots
            .iter()
            .filter(|d| d.outcome == Outcome::Success)
        {
            let x = f64::from(f.px.0) + (d.sent as f64 / 1e6 - f.x.0) * per_s;
            let near = |&&(cx, _): &&(i32, i32)| (f64::from(cx) - x).abs() <= 2.0;
            assert!(circles.iter().any(|c| near(&c)), "no mark at {x} for {d:?}");
        }
        let n = |o: Outcome| rec.raster.dots.iter().filter(|d| d.outcome == o).count();
        assert!(circles.len() <= n(Outcome::Success) && circles.len() * 2 > n(Outcome::Success));
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
            // one a pixel: as many as dots, less any on a pixel drawn already
            assert!(marks <= (n(o) + legend) * per, "{o:?}");
            assert_eq!(marks > legend * per, n(o) > 0, "{o:?}");
            outcomes += usize::from(n(o) > 0);
        }
        assert!(outcomes >= 2, "the run has more than one outcome");
    }
}
