//! Per-service arrivals: attempts arriving at each service per second, a line each (with
//! several services), the calls to it that a breaker rejected, dashed, and each service's
//! capacity, a thin line named at its end; and the A/B overlay of them.

use plotters::coord::Shift;
use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::arrivals::with_caps;
use super::frame::text_w;
use super::frame::{
    bucket_at, label_windows, midpoints, peak, rates, time_chart, time_range, Axis, Error, Frame,
    Key, Linear, Mark,
};
use super::marks::{self, Bx};
use super::style::{service_color, Palette, FONT};
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

/// Draw each service's capacity as a thin line in its colour, named at the right end
/// ("users capacity 500/s"), a name skipped where it would run into another.
fn capacities<DB: DrawingBackend>(
    chart: &mut Linear<DB>,
    rec: &RunRecord,
    top: f64,
    pal: &Palette,
) -> Result<Vec<Bx>, Error<DB>> {
    let x = chart.x_range();
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let size = pal.font(12);
    let mut placed: Vec<(f64, f64)> = Vec::new();
    let mut boxes = Vec::new();
    for (i, svc) in rec.scenario.services().iter().enumerate() {
        let Some(cap) = rec.scenario.capacity_per_s(i).filter(|c| *c <= top) else {
            continue;
        };
        let c = service_color(i);
        chart.draw_series(LineSeries::new(
            [(x.start, cap), (x.end, cap)],
            c.mix(0.6).stroke_width(pal.px(1)),
        ))?;
        let text = format!("{} capacity {}/s", svc.name, sig3(cap));
        let y = chart.backend_coord(&(x.end, cap)).1 as f64 - pal.font(2);
        let (y0, y1) = (y - size, y);
        if y0 < ys.start as f64 || placed.iter().any(|p| y0 < p.1 && p.0 < y1) {
            continue;
        }
        placed.push((y0, y1));
        let right = xs.end - pal.px(4) as i32;
        let w = text_w(&text, size);
        boxes.push((f64::from(right) - w, y0, f64::from(right), y1));
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
        .map(|(i, s)| Key::new(s.name.clone(), service_color(i), Mark::Line))
        .collect();
    if both.iter().any(|r| any_rejected(r)) {
        keys.push(Key::new("rejected by a breaker", pal.ink, Mark::Dashed));
    }
    let marked = marks::markers(rec, super::Kind::Services);
    let keys = marks::with_key(keys, &marked, &rec.scenario, area.dim_in_pixel().0, pal);
    let y = Axis::new(0.0, top, "attempts / s");
    let title = "Arrivals per service";
    let mut chart = time_chart(area, title, &keys, y, end, &rec.scenario, pal)?;
    let mut taken = capacities(&mut chart, rec, top, pal)?;
    for (i, s) in rec.services.iter().enumerate() {
        let c = service_color(i);
        let w = s.width_s();
        chart.draw_series(LineSeries::new(
            midpoints(arrivals(s), w),
            c.stroke_width(pal.px(2)),
        ))?;
        let rej = rejected(s);
        if rej.iter().any(|&x| x > 0.0) {
            chart.draw_series(DashedLineSeries::new(
                midpoints(rej, w),
                pal.px(5),
                pal.px(4),
                c.stroke_width(pal.px(1)),
            ))?;
        }
    }
    taken.extend(label_windows(&mut chart, &rec.scenario, pal)?);
    marks::draw(&mut chart, &marked, &taken, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

/// Per-service arrivals of A and B overlaid: a colour per service, A solid, B dashed.
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
            Key::new(name, service_color(i), Mark::Line)
        })
        .collect();
    keys.push(Key::new("A", pal.ink, Mark::Line));
    keys.push(Key::new("B", pal.ink, Mark::Dashed));
    let y = Axis::new(0.0, top, "attempts / s");
    let title = "Arrivals per service: A and B";
    let mut chart = time_chart(area, title, &keys, y, end, &a.scenario, pal)?;
    for (i, s) in a.services.iter().enumerate() {
        let pts = midpoints(arrivals(s), s.width_s());
        chart.draw_series(LineSeries::new(
            pts,
            service_color(i).stroke_width(pal.px(2)),
        ))?;
    }
    for (i, s) in b.services.iter().enumerate() {
        chart.draw_series(DashedLineSeries::new(
            midpoints(arrivals(s), s.width_s()),
            pal.px(6),
            pal.px(4),
            service_color(i).stroke_width(pal.px(2)),
        ))?;
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
