//! Chart 4: the latency distribution (CDF on a logarithmic time axis) of the requests
//! that succeeded, of every ended request (retries and backoff included) and of single
//! attempts (solid, dashed and dotted), with the p50 and p99 of successes marked (instant
//! failures would otherwise pass for fast service).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use plotters::coord::combinators::LogCoord;
use plotters::coord::types::RangedCoordf64;

use super::frame::{
    builder, head, layout, mesh, peak, text_w, title_of, Axis, Error, Frame, Key, Mark, Ticked,
};
use super::pattern::{self, Dash};
use super::style::{Palette, FIRST, FONT, RETRY, SUCCESS};
use crate::sim::output::histogram::Histogram;
use crate::sim::RunRecord;
use crate::units::duration_ms;

/// The CDF as `(ms, fraction ≤)` points.
pub fn cdf_ms(h: &Histogram) -> Vec<(f64, f64)> {
    h.cdf()
        .into_iter()
        .map(|(us, f)| ((us as f64 / 1000.0).max(1e-3), f))
        .collect()
}

/// The x range (ms) covering both histograms of the record and its peer.
fn range(rec: &RunRecord, peer: Option<&RunRecord>) -> (f64, f64) {
    let all: Vec<(f64, f64)> = std::iter::once(rec)
        .chain(peer)
        .flat_map(|r| {
            [
                cdf_ms(&r.success_latency),
                cdf_ms(&r.request_latency),
                cdf_ms(&r.attempt_latency),
            ]
        })
        .flatten()
        .collect();
    let lo = all.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let hi = peak(&all, |p| p.0);
    if lo.is_finite() && hi > lo {
        (lo / 1.5, hi * 1.5)
    } else {
        (0.1, 10_000.0)
    }
}

/// Draw the chart (`peer` sets shared axes only).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let (lo, hi) = range(rec, peer);
    let lines = [
        (
            &rec.success_latency,
            SUCCESS,
            "succeeded requests",
            Dash::Solid,
        ),
        (
            &rec.request_latency,
            FIRST,
            "all requests (with retries)",
            Dash::Dashed,
        ),
        (&rec.attempt_latency, RETRY, "attempts", Dash::Dotted),
    ];
    let keys: Vec<Key> = lines
        .iter()
        .map(|(_, c, name, dash)| Key::new(*name, *c, Mark::Line(*dash)))
        .collect();
    let title = title_of("Latency distribution", rec, peer);
    let top = head(area, &title, &keys, pal)?;
    let x = Axis::log(lo, hi, "latency (log scale)").in_ms();
    let y = Axis::new(0.0, 1.0, "fraction ≤ latency");
    let l = layout(area, top, &x, &y, pal);
    let xs = Ticked::<LogCoord<f64>>::new((lo..hi).log_scale(), &l.x);
    let ys = Ticked::<RangedCoordf64>::new(0.0..1.0, &l.y);
    let mut chart = builder(area, &l).build_cartesian_2d(xs, ys)?;
    mesh(&mut chart, &l, &x.desc, &y.desc, pal)?;
    // successes last, on top: the curve the markers belong to
    for (h, color, _, dash) in lines.into_iter().rev() {
        let mut pts = vec![(lo, 0.0)];
        for (x, f) in cdf_ms(h) {
            let prev = pts.last().map_or(0.0, |p| p.1);
            pts.extend([(x, prev), (x, f)]);
        }
        let style = color.stroke_width(pattern::series_width(pal));
        pattern::line(&mut chart, pts, style, dash, pal)?;
    }
    let q = rec.success_latency.quantiles_ms();
    // Where the successes' curve is not: a CDF stays below ½ left of its median and above
    // 0.99 right of its p99. So the p50 label goes left of its line, high up, and the p99
    // label right of its line, low down; neither crosses the other line. A label that
    // would leave the plot goes left of both lines, a little lower. On a light backing,
    // so another curve under it does not garble it.
    let (left_end, right_end) = {
        let r = chart.plotting_area().get_pixel_range().0;
        (r.start as f64, r.end as f64)
    };
    let first = q.p50.or(q.p99);
    let bottom = f64::from(chart.plotting_area().get_pixel_range().1.end);
    // the label placed (pixels), for the other to keep clear of
    let mut placed: Option<(f64, f64, f64, f64)> = None;
    for (v, label, y, leftward) in [
        (q.p50, "success p50", 0.82, true),
        (q.p99, "success p99", 0.42, false),
    ] {
        if let Some(v) = v.filter(|v| *v > lo && *v < hi) {
            chart.draw_series(DashedLineSeries::new(
                [(v, 0.0), (v, 1.0)],
                pal.px(4),
                pal.px(4),
                pal.ink.stroke_width(pal.px(1)),
            ))?;
            let text = format!("{label} {}", duration_ms(v));
            let size = pal.font(13);
            let w = text_w(&text, size);
            let px = |x: f64| chart.backend_coord(&(x, 0.0)).0 as f64;
            let fits_left = |x: f64| px(x / 1.04) - w >= left_end;
            let fits_right = px(v * 1.04) + w <= right_end;
            let first = first.map_or(v, |p| p.min(v));
            let (x0, y) = if leftward && fits_left(v) {
                (px(v / 1.04) - w, y)
            } else if !leftward && fits_right {
                (px(v * 1.04), y)
            } else if fits_left(first) {
                (px(first / 1.04) - w, 0.66)
            } else {
                (px(v * 1.04).min(right_end - w), y)
            };
            let mut yc = chart.backend_coord(&(lo, y)).1 as f64;
            let half = size * 0.7;
            // on a short plot the labels may meet: the second goes below the first, or is
            // left out (its line stays)
            if let Some(p) =
                placed.filter(|p| x0 < p.2 && p.0 < x0 + w && yc - half < p.3 && p.1 < yc + half)
            {
                yc = p.3 + half + 1.0;
                if yc + half > bottom {
                    continue;
                }
            }
            placed = Some((x0, yc - half, x0 + w, yc + half));
            let (ox, oy) = {
                let (xs, ys) = chart.plotting_area().get_pixel_range();
                (xs.start, ys.start)
            };
            let root = chart.plotting_area().strip_coord_spec();
            let pad = pal.font(3);
            root.draw(&Rectangle::new(
                [
                    ((x0 - pad) as i32 - ox, (yc - size * 0.7) as i32 - oy),
                    ((x0 + w + pad) as i32 - ox, (yc + size * 0.7) as i32 - oy),
                ],
                pal.bg.mix(0.8).filled(),
            ))?;
            let style = (FONT, size)
                .into_font()
                .color(&pal.ink)
                .pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(text, (x0 as i32 - ox, yc as i32 - oy), style))?;
        }
    }
    let (xs, _) = chart.plotting_area().get_pixel_range();
    Ok(Frame {
        px: (xs.start, xs.end),
        x: (lo, hi),
        log: true,
    })
}

/// The fractions at latency `ms`.
pub fn readout(rec: &RunRecord, ms: f64) -> String {
    let at = |h: &Histogram| {
        let pts = cdf_ms(h);
        pts.iter()
            .take_while(|p| p.0 <= ms)
            .last()
            .map_or(0.0, |p| p.1)
    };
    format!(
        "≤ {}: {:.1}% of successes, {:.1}% of requests, {:.1}% of attempts",
        duration_ms(ms),
        100.0 * at(&rec.success_latency),
        100.0 * at(&rec.request_latency),
        100.0 * at(&rec.attempt_latency)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cdf_rises_to_one_and_the_readout_reads_it() {
        let mut h = Histogram::default();
        for v in [1000u64, 2000, 3000, 4000] {
            h.record(v);
        }
        let c = cdf_ms(&h);
        assert_eq!(c.last().unwrap().1, 1.0);
        assert!(c.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
        assert!((c[1].1 - 0.5).abs() < 1e-12 && (c[1].0 - 2.0).abs() < 0.05);
    }
}
