//! The tuner's candidates on two metrics: each candidate policy a point (feasible ones
//! solid discs, the others grey crosses), the Pareto front joined by a line, the best
//! feasible policy ringed and the current policy a square. Each axis is a metric taken
//! over the fault suite's scenarios (its sum, worst or mean).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{linear, Axis, Error, Key, Mark};
use super::pattern::{self, Dash, Glyph, Shape};
use super::style::{Palette, FIRST, RETRY, SHORT_CIRCUIT};
use crate::tune::search::{aggregate, Report};

/// A policy's figures on the front's two metrics (`None` where it has none).
type Point = Option<(f64, f64)>;

/// Each candidate's point, and the current policy's.
fn points(r: &Report) -> Option<(Vec<Point>, Point)> {
    let [(mx, ox), (my, oy)] = r.pareto.as_ref()?.axes;
    let at = |card| Some((aggregate(card, mx, ox)?, aggregate(card, my, oy)?));
    let all = r.candidates.iter().map(|c| at(&c.scorecard)).collect();
    Some((all, at(&r.current.scorecard)))
}

/// Draw the front (a chart saying why there is none without two metrics).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &Report,
    pal: &Palette,
) -> Result<(), Error<DB>> {
    let (Some(p), Some((all, current))) = (r.pareto.as_ref(), points(r)) else {
        let why = "Choose two metrics for a Pareto front.".to_string();
        return super::frame::message(area, "Pareto front", &[why], pal);
    };
    let [(mx, ox), (my, oy)] = p.axes;
    let label = |m: crate::suite::Metric, o: crate::tune::search::Over| {
        format!("{} ({} over the scenarios)", m.label(), o.word())
    };
    let (xs, ys): (Vec<f64>, Vec<f64>) =
        all.iter().flatten().chain(current.iter()).copied().unzip();
    let range = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
        let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.02).max(1e-9);
        (
            if lo >= 0.0 {
                (lo - pad).max(0.0)
            } else {
                lo - pad
            },
            hi + pad,
        )
    };
    let ((x0, x1), (y0, y1)) = (range(&xs), range(&ys));
    let mut keys = vec![
        Key::new("feasible", FIRST, Mark::Dot(Shape::Circle)),
        Key::new("not feasible", SHORT_CIRCUIT, Mark::Dot(Shape::Cross)),
        Key::new("Pareto front", FIRST, Mark::LINE),
    ];
    if r.best.is_some() {
        keys.push(Key::new("best", RETRY, Mark::Dot(Shape::Diamond)));
    }
    keys.push(Key::new(
        "current policy",
        pal.ink,
        Mark::Dot(Shape::Square),
    ));
    let title = format!("Pareto front: {} against {}", mx.key(), my.key());
    let mut chart = linear(
        area,
        &title,
        &keys,
        Axis::new(x0, x1, &label(mx, ox)),
        Axis::new(y0, y1, &label(my, oy)),
        pal,
    )?;
    let front: Vec<(f64, f64)> = p.front.iter().map(|&(_, x, y)| (x, y)).collect();
    let style = FIRST.stroke_width(pattern::series_width(pal));
    pattern::line(&mut chart, front, style, Dash::Solid, pal)?;
    let feasible = |i: usize| r.candidates.get(i).is_some_and(|c| c.feasible);
    chart.draw_series(all.iter().enumerate().filter_map(|(i, pt)| {
        let (shape, color) = if feasible(i) {
            (Shape::Circle, FIRST)
        } else {
            (Shape::Cross, SHORT_CIRCUIT)
        };
        Some(Glyph::new((*pt)?, shape, 4, color, pal))
    }))?;
    if let Some(b) = r.best.and_then(|b| all.get(b).copied().flatten()) {
        chart.draw_series(std::iter::once(Glyph::new(
            b,
            Shape::Diamond,
            8,
            RETRY,
            pal,
        )))?;
    }
    if let Some(c) = current {
        chart.draw_series(std::iter::once(Glyph::new(
            c,
            Shape::Square,
            6,
            pal.ink,
            pal,
        )))?;
    }
    Ok(())
}
