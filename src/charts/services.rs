//! Per-service arrivals: attempts arriving at each service per second, a line each (with
//! several services), and the calls to it that a breaker rejected, dashed.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{bucket_at, legend, midpoints, peak, rates, swatch, time_chart, Frame};
use super::style::{service_color, Palette};
use crate::sim::output::metrics::Series;
use crate::sim::RunRecord;

/// Arrivals per second of each bucket of a service's series.
pub fn arrivals(s: &Series) -> Vec<f64> {
    rates(s, |b| b.first_attempts + b.retries)
}

/// Breaker rejections per second of each bucket.
fn rejected(s: &Series) -> Vec<f64> {
    rates(s, |b| b.short_circuited)
}

/// Draw the chart (`peer` sets shared axes only).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, DrawingAreaErrorKind<DB::ErrorType>> {
    let both = || std::iter::once(rec).chain(peer);
    let end = peak(both(), |r| r.end_s());
    let top = peak(both(), |r| {
        peak(&r.services, |s| {
            peak(arrivals(s), |x| x).max(peak(rejected(s), |x| x))
        })
    })
    .max(1.0)
        * 1.08;
    let mut chart = time_chart(
        area,
        "Arrivals per service (dashed: rejected by a breaker)",
        "attempts / s",
        end,
        top,
        &rec.scenario,
        pal,
    )?;
    for (i, (s, svc)) in rec.services.iter().zip(rec.scenario.services()).enumerate() {
        let c = service_color(i);
        let w = s.width_s();
        chart
            .draw_series(LineSeries::new(
                midpoints(arrivals(s), w),
                c.stroke_width(pal.px(2)),
            ))?
            .label(svc.name.clone())
            .legend(swatch(c, pal));
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
    legend(&mut chart, pal)?;
    Ok(Frame::of(&chart, (0.0, end.max(1e-3))))
}

/// Each service's arrivals (and breaker rejections) under time `t` (s).
pub fn readout(rec: &RunRecord, t: f64) -> String {
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
    format!("{t:.2} s: {}", parts.join(", "))
}
