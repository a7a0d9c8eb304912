//! Chart 1, the herd: attempts arriving at the service per second, first attempts and
//! retries stacked, with fault windows and load spikes shaded.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{FAULT, FIRST, FONT, INK, RETRY, SPIKE};
use super::DrawResult;
use crate::sim::metrics::Series;
use crate::sim::scenario::Scenario;

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

/// Shaded windows `(start s, end s, is_fault)` of a scenario.
pub fn windows(sc: &Scenario) -> Vec<(f64, f64, bool)> {
    let s = |t: u64| t as f64 / 1e6;
    let faults = sc.faults.iter().map(|f| (s(f.start), s(f.end), true));
    let spikes = sc
        .clients
        .load
        .iter()
        .filter(|w| w.multiplier > 1.0)
        .map(|w| (s(w.start), s(w.end), false));
    faults.chain(spikes).collect()
}

/// Draw the chart on `area`; `end_s` is the right end of the time axis.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &Series,
    sc: &Scenario,
    end_s: f64,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let bars = bars(series);
    let top = bars
        .iter()
        .map(|b| b.first + b.retries)
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.08;
    let end_s = end_s.max(bars.last().map_or(0.0, |b| b.t1)).max(1e-3);
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Arrivals at the service",
            (FONT, 18).into_font().color(&INK),
        )
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..end_s, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc("time (s)")
        .y_desc("attempts / s")
        .axis_desc_style((FONT, 14))
        .label_style((FONT, 12))
        .x_label_formatter(&|v| super::style::num(*v))
        .y_label_formatter(&|v| super::style::num(*v))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    chart.draw_series(windows(sc).into_iter().map(|(a, b, fault)| {
        let c = if fault { FAULT } else { SPIKE };
        Rectangle::new([(a, 0.0), (b, top)], c.mix(0.15).filled())
    }))?;
    chart
        .draw_series(
            bars.iter()
                .filter(|b| b.first > 0.0)
                .map(|b| Rectangle::new([(b.t0, 0.0), (b.t1, b.first)], FIRST.filled())),
        )?
        .label("first attempts")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], FIRST.filled()));
    chart
        .draw_series(bars.iter().filter(|b| b.retries > 0.0).map(|b| {
            Rectangle::new(
                [(b.t0, b.first), (b.t1, b.first + b.retries)],
                RETRY.filled(),
            )
        }))?
        .label("retries")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], RETRY.filled()));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(INK.mix(0.3))
        .label_font((FONT, 13))
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::to_svg;
    use crate::sim::{presets, Sim};

    #[test]
    fn bars_are_per_second_rates_of_each_bucket() {
        let mut s = Series::new(Some(500_000));
        s.at(100).first_attempts = 10;
        s.at(600_000).retries = 3;
        let b = bars(&s);
        assert_eq!(b.len(), 2);
        assert_eq!(
            b[0],
            Bar {
                t0: 0.0,
                t1: 0.5,
                first: 20.0,
                retries: 0.0
            }
        );
        assert_eq!(
            b[1],
            Bar {
                t0: 0.5,
                t1: 1.0,
                first: 0.0,
                retries: 6.0
            }
        );
    }

    #[test]
    fn svg_has_one_bar_per_nonzero_segment_and_the_fault_shading() {
        let sc = presets::config("herd-no-jitter")
            .unwrap()
            .validate()
            .unwrap();
        let mut sim = Sim::new(&sc, 1);
        sim.run();
        let svg = to_svg((800, 400), |a| draw(a, sim.series(), &sc, 60.0)).unwrap();
        let segments = bars(sim.series())
            .iter()
            .map(|b| (b.first > 0.0) as usize + (b.retries > 0.0) as usize)
            .sum::<usize>();
        let fill =
            |c: plotters::style::RGBColor| format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
        // every bar plus its legend swatch
        assert_eq!(
            svg.matches(&fill(FIRST)).count() + svg.matches(&fill(RETRY)).count(),
            segments + 2
        );
        assert_eq!(svg.matches(&fill(FAULT)).count(), sc.faults.len());
        assert!(svg.contains("Arrivals at the service") && svg.contains("retries"));
    }
}
