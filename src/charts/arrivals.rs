//! Chart 1, the herd: attempts arriving at the service per second, first attempts and
//! retries stacked, with fault windows and load spikes shaded; and its A/B overlay.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{legend, peak, swatch, time_chart, Frame};
use super::style::{Palette, FIRST, RETRY, THIRD};
use crate::sim::output::metrics::Series;
use crate::sim::RunRecord;

/// One bar: `[t0, t1)` in seconds, first attempts and retries per second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    /// Bucket start (s).
    pub t0: f64,
    /// Bucket end (s).
    pub t1: f64,
    /// First attempts per second.
    pub first: f64,
    /// Retries per second.
    pub retries: f64,
}

/// Per-second arrival rates of every bucket.
pub fn bars(series: &Series) -> Vec<Bar> {
    let w = series.width_s();
    series
        .buckets
        .iter()
        .enumerate()
        .map(|(i, b)| Bar {
            t0: i as f64 * w,
            t1: (i + 1) as f64 * w,
            first: b.first_attempts as f64 / w,
            retries: b.retries as f64 / w,
        })
        .collect()
}

fn top(rec: &RunRecord, peer: Option<&RunRecord>) -> f64 {
    let all = std::iter::once(rec)
        .chain(peer)
        .flat_map(|r| bars(&r.series));
    peak(all, |b| b.first + b.retries).max(1.0) * 1.08
}

fn end_s(rec: &RunRecord, peer: Option<&RunRecord>) -> f64 {
    peak(std::iter::once(rec).chain(peer), |r| r.end_s())
}

/// Draw the chart for `rec`; `peer` (the other side of an A/B comparison) only sets the
/// axes, so both sides are drawn to the same scale.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, DrawingAreaErrorKind<DB::ErrorType>> {
    let (end, top) = (end_s(rec, peer), top(rec, peer));
    let mut chart = time_chart(
        area,
        "Arrivals at the service",
        "attempts / s",
        end,
        top,
        &rec.scenario,
        pal,
    )?;
    let bars = bars(&rec.series);
    chart
        .draw_series(
            bars.iter()
                .filter(|b| b.first > 0.0)
                .map(|b| Rectangle::new([(b.t0, 0.0), (b.t1, b.first)], FIRST.filled())),
        )?
        .label("first attempts")
        .legend(swatch(FIRST, pal));
    chart
        .draw_series(bars.iter().filter(|b| b.retries > 0.0).map(|b| {
            Rectangle::new(
                [(b.t0, b.first), (b.t1, b.first + b.retries)],
                RETRY.filled(),
            )
        }))?
        .label("retries")
        .legend(swatch(RETRY, pal));
    legend(&mut chart, pal)?;
    Ok(Frame::of(&chart, (0.0, end.max(1e-3))))
}

/// Chart 1 of A and B overlaid: total arrivals per second of each, as steps.
pub fn draw_overlay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    a: &RunRecord,
    b: &RunRecord,
    pal: &Palette,
) -> Result<Frame, DrawingAreaErrorKind<DB::ErrorType>> {
    let (end, top) = (end_s(a, Some(b)), top(a, Some(b)));
    let title = "Arrivals at the service: A and B";
    let mut chart = time_chart(area, title, "attempts / s", end, top, &a.scenario, pal)?;
    for (rec, color, name) in [(a, FIRST, "A"), (b, THIRD, "B")] {
        let steps = bars(&rec.series)
            .into_iter()
            .flat_map(|b| [(b.t0, b.first + b.retries), (b.t1, b.first + b.retries)]);
        chart
            .draw_series(LineSeries::new(steps, color.stroke_width(pal.px(2))))?
            .label(name)
            .legend(swatch(color, pal));
    }
    legend(&mut chart, pal)?;
    Ok(Frame::of(&chart, (0.0, end.max(1e-3))))
}

/// The values under time `t` (s).
pub fn readout(rec: &RunRecord, t: f64) -> String {
    let bars = bars(&rec.series);
    match bars.iter().find(|b| b.t0 <= t && t < b.t1) {
        Some(b) => format!(
            "{:.2} s: first attempts {:.0}/s, retries {:.0}/s",
            t, b.first, b.retries
        ),
        None => format!("{t:.2} s: no arrivals"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::style::FAULT;
    use crate::charts::to_svg;
    use crate::sim::{scenario::presets, Sim};

    #[test]
    fn bars_are_per_second_rates_of_each_bucket() {
        let mut s = Series::new(Some(500_000));
        s.at(100).first_attempts = 10;
        s.at(600_000).retries = 3;
        let b = bars(&s);
        assert_eq!(b.len(), 2);
        assert_eq!(
            (b[0].t0, b[0].t1, b[0].first, b[0].retries),
            (0.0, 0.5, 20.0, 0.0)
        );
        assert_eq!((b[1].t0, b[1].first, b[1].retries), (0.5, 0.0, 6.0));
    }

    fn herd() -> RunRecord {
        let sc = presets::config("herd-no-jitter")
            .unwrap()
            .validate()
            .unwrap();
        let mut sim = Sim::new(&sc, 1);
        sim.run();
        sim.record()
    }

    #[test]
    fn svg_has_one_bar_per_nonzero_segment_and_the_fault_shading() {
        let rec = herd();
        let svg = to_svg((800, 400), |a| {
            draw(a, &rec, None, &Palette::LIGHT).map(|_| ())
        })
        .unwrap();
        let segments = bars(&rec.series)
            .iter()
            .map(|b| (b.first > 0.0) as usize + (b.retries > 0.0) as usize)
            .sum::<usize>();
        let fill = |c: RGBColor| format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
        // every bar plus its legend swatch
        assert_eq!(
            svg.matches(&fill(FIRST)).count() + svg.matches(&fill(RETRY)).count(),
            segments + 2
        );
        assert_eq!(
            svg.matches(&fill(FAULT)).count(),
            rec.scenario.faults().count()
        );
        assert!(svg.contains("Arrivals at the service") && svg.contains("retries"));
    }

    #[test]
    fn the_frame_maps_pixels_back_to_seconds_and_the_readout_names_the_bucket() {
        let rec = herd();
        let mut frame = None;
        to_svg((800, 400), |a| {
            draw(a, &rec, None, &Palette::LIGHT).map(|f| frame = Some(f))
        })
        .unwrap();
        let f = frame.unwrap();
        assert_eq!(f.x, (0.0, rec.end_s()));
        assert_eq!(f.x_at(f.px.0), Some(0.0));
        assert!((f.x_at(f.px.1).unwrap() - rec.end_s()).abs() < 1e-9);
        // the first bucket holds the burst of first attempts
        let b = bars(&rec.series)[0];
        assert!(readout(&rec, b.t0).contains(&format!("first attempts {:.0}/s", b.first)));
    }
}
