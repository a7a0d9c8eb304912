//! Per-service arrivals: attempts arriving at each service per second, a line each in the
//! service's colour and marked with its shape (with several services), the calls to it that
//! a breaker rejected, dashed, and each service's capacity, a thin line named at its end;
//! and the A/B overlay of them (A solid, B dashed).

use plotters::coord::Shift;
use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::arrivals::with_caps;
use super::frame::text_w;
use super::frame::{
    bucket_at, label_windows, midpoints, peak, rates, side_names, time_chart, time_range, title_of,
    Axis, Error, Frame, Key, Linear, Mark,
};
use super::marks::{self, Bx};
use super::pattern::{self, Dash};
use super::style::{service_color, service_shape, Palette, FONT};
use crate::sim::output::metrics::Series;
use crate::sim::RunRecord;
use crate::units::sig3;

/// Arrivals per second of each bucket of a service's series.
pub fn arrivals(s: &Series) -> Vec<f64> {
    rates(s, |b| b.first_attempts + b.retries)
}

/// Breaker rejections per second of each bucket.
fn rejected(s: &Series) -> Vec<f64> {
    rates(s, |b| b.short_circuited)
}

fn any_rejected(r: &RunRecord) -> bool {
    r.services
        .iter()
        .any(|s| s.buckets.iter().any(|b| b.short_circuited > 0))
}

fn top(recs: &[&RunRecord]) -> f64 {
    let data = peak(recs.iter(), |r| {
        peak(&r.services, |s| {
            peak(arrivals(s), |x| x).max(peak(rejected(s), |x| x))
        })
    })
    .max(1.0)
        * 1.08;
    let caps = recs.iter().flat_map(|r| {
        (0..r.scenario.services().len()).filter_map(|i| r.scenario.capacity_per_s(i))
    });
    with_caps(data, caps)
}

/// The capacities in view: each service's index and capacity (attempts / s).
fn caps(rec: &RunRecord, top: f64) -> Vec<(usize, f64)> {
    (0..rec.scenario.services().len())
        .filter_map(|i| Some((i, rec.scenario.capacity_per_s(i).filter(|c| *c <= top)?)))
        .collect()
}

/// Draw each service's capacity as a thin line in its colour (before the series).
fn capacity_lines<DB: DrawingBackend>(
    chart: &mut Linear<DB>,
    rec: &RunRecord,
    top: f64,
    pal: &Palette,
) -> Result<(), Error<DB>> {
    let x = chart.x_range();
    for (i, cap) in caps(rec, top) {
        chart.draw_series(LineSeries::new(
            [(x.start, cap), (x.end, cap)],
            service_color(i).mix(0.6).stroke_width(pal.px(1)),
        ))?;
    }
    Ok(())
}

/// Name each capacity line at its right end ("users capacity 500/s"), a name skipped where
/// it would run into another or into one of the `taken` boxes (the windows' names); the
/// boxes of the names placed.
fn capacity_labels<DB: DrawingBackend>(
    chart: &mut Linear<DB>,
    rec: &RunRecord,
    top: f64,
    taken: &[Bx],
    pal: &Palette,
) -> Result<Vec<Bx>, Error<DB>> {
    let x = chart.x_range();
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let size = pal.font(12);
    let mut boxes: Vec<Bx> = Vec::new();
    let services = rec.scenario.services();
    for (i, cap) in caps(rec, top) {
        let text = format!("{} capacity {}/s", services[i].name, sig3(cap));
        let y = chart.backend_coord(&(x.end, cap)).1 as f64 - pal.font(2);
        let right = xs.end - pal.px(4) as i32;
        let w = text_w(&text, size);
        let b = (f64::from(right) - w, y - size, f64::from(right), y);
        let meets = |p: &Bx| b.0 < p.2 && p.0 < b.2 && b.1 < p.3 && p.1 < b.3;
        if b.1 < ys.start as f64 || boxes.iter().chain(taken).any(meets) {
            continue;
        }
        boxes.push(b);
        chart.plotting_area().strip_coord_spec().draw(&Text::new(
            text,
            (right - xs.start, y as i32 - ys.start),
            (FONT, size)
                .into_font()
                .color(&pal.ink)
                .pos(Pos::new(HPos::Right, VPos::Bottom)),
        ))?;
    }
    Ok(boxes)
}

/// Draw service `i`'s line of `n` through `pts`, in its colour, dashed as `dash`, marked with
/// its shape.
fn service_line<DB: DrawingBackend>(
    chart: &mut Linear<DB>,
    pts: Vec<(f64, f64)>,
    (i, n): (usize, usize),
    dash: Dash,
    pal: &Palette,
) -> Result<(), Error<DB>> {
    let look = (dash, service_shape(i));
    pattern::shaped_line(chart, pts, service_color(i), look, (i, n), pal)
}

/// Draw the chart (`peer` sets shared axes only).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let both: Vec<&RunRecord> = std::iter::once(rec).chain(peer).collect();
    let end = peak(&both, |r| r.end_s());
    let top = top(&both);
    let mut keys: Vec<Key> = rec
        .scenario
        .services()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Key::new(
                s.name.clone(),
                service_color(i),
                Mark::Shaped(service_shape(i)),
            )
        })
        .collect();
    if both.iter().any(|r| any_rejected(r)) {
        keys.push(Key::new("rejected by a breaker", pal.ink, Mark::DASHED));
    }
    let marked = marks::markers(rec, super::Kind::Services);
    let keys = marks::with_key(keys, &marked, &rec.scenario, area.dim_in_pixel().0, pal);
    let y = Axis::new(0.0, top, "attempts / s");
    let title = title_of("Arrivals per service", rec, peer);
    let mut chart = time_chart(area, &title, &keys, y, end, &rec.scenario, pal)?;
    marks::rules(&mut chart, &marked, pal)?;
    capacity_lines(&mut chart, rec, top, pal)?;
    let n = rec.services.len();
    for (i, s) in rec.services.iter().enumerate() {
        let w = s.width_s();
        service_line(
            &mut chart,
            midpoints(arrivals(s), w).collect(),
            (i, n),
            Dash::Solid,
            pal,
        )?;
        let rej = rejected(s);
        if rej.iter().any(|&x| x > 0.0) {
            let style = service_color(i).stroke_width(pattern::series_width(pal));
            pattern::line(
                &mut chart,
                midpoints(rej, w).collect(),
                style,
                Dash::Dashed,
                pal,
            )?;
        }
    }
    let mut taken = label_windows(&mut chart, &rec.scenario, pal)?;
    taken.extend(capacity_labels(&mut chart, rec, top, &taken, pal)?);
    marks::draw(&mut chart, &marked, &taken, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

/// Per-service arrivals of A and B overlaid: a colour and shape per service, A solid, B
/// dashed, named after their scenarios.
pub fn draw_overlay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    a: &RunRecord,
    b: &RunRecord,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let end = peak([a, b], |r| r.end_s());
    let top = top(&[a, b]);
    let names = |r: &RunRecord| {
        r.scenario
            .services()
            .iter()
            .map(|s| s.name.clone())
            .collect::<Vec<_>>()
    };
    let (na, nb) = (names(a), names(b));
    let mut keys: Vec<Key> = (0..na.len().max(nb.len()))
        .map(|i| {
            let name = match (na.get(i), nb.get(i)) {
                (Some(x), Some(y)) if x != y => format!("{x} / {y}"),
                (Some(x), _) | (None, Some(x)) => x.clone(),
                (None, None) => String::new(),
            };
            Key::new(name, service_color(i), Mark::Shaped(service_shape(i)))
        })
        .collect();
    let [name_a, name_b] = side_names(a, b);
    keys.push(Key::new(name_a, pal.ink, Mark::LINE));
    keys.push(Key::new(name_b, pal.ink, Mark::DASHED));
    let y = Axis::new(0.0, top, "attempts / s");
    let title = "Arrivals per service, overlaid";
    let mut chart = time_chart(area, title, &keys, y, end, &a.scenario, pal)?;
    let n = na.len().max(nb.len());
    for (rec, dash) in [(a, Dash::Solid), (b, Dash::Dashed)] {
        for (i, s) in rec.services.iter().enumerate() {
            let pts = midpoints(arrivals(s), s.width_s()).collect();
            service_line(&mut chart, pts, (i, n), dash, pal)?;
        }
    }
    label_windows(&mut chart, &a.scenario, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

/// A's and B's arrivals at each service under time `t` (s).
pub fn overlay_readout(a: &RunRecord, b: &RunRecord, t: f64) -> String {
    let ts = crate::units::duration_ms(t * 1000.0);
    let side = |r: &RunRecord| {
        r.services
            .iter()
            .zip(r.scenario.services())
            .filter_map(|(s, svc)| {
                let v = arrivals(s)[bucket_at(s, t)?];
                Some(format!("{} {:.0}/s", svc.name, v))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("{ts}: A {} · B {}", side(a), side(b))
}

/// Each service's arrivals (and breaker rejections) under time `t` (s).
pub fn readout(rec: &RunRecord, t: f64) -> String {
    let ts = crate::units::duration_ms(t * 1000.0);
    let parts: Vec<String> = rec
        .services
        .iter()
        .zip(rec.scenario.services())
        .filter_map(|(s, svc)| {
            let b = &s.buckets[bucket_at(s, t)?];
            let w = s.width_s();
            Some(format!(
                "{} {:.0}/s ({:.0} rejected)",
                svc.name,
                (b.first_attempts + b.retries) as f64 / w,
                b.short_circuited as f64 / w
            ))
        })
        .collect();
    format!("{ts}: {}", parts.join(", "))
}
