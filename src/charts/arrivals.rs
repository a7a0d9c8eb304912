//! Chart 1, the herd: attempts arriving at the service per second, first attempts (plain)
//! and retries (hatched) stacked, with fault windows and load spikes shaded and named, and
//! the services' capacity; and its A/B overlay (A solid, B dashed).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{
    label_windows, peak, side_names, time_chart, time_range, title_of, Axis, Error, Frame, Key,
    Linear, Mark,
};
use super::marks;
use super::pattern::{self, Dash, Hatch, Patch};
use super::style::{Palette, FIRST, RETRY, THIRD};
use crate::sim::output::metrics::Series;
use crate::sim::{RunRecord, Scenario};
use crate::units::sig3;

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

/// What the services can serve together, in attempts per second: the sum of their
/// capacities when every one has one (workers × 1000 / mean service time ms).
pub fn capacity(sc: &Scenario) -> Option<f64> {
    sc.total_capacity_per_s()
}

/// A capacity line is drawn when it lies within 3× the highest arrivals (higher, it would
/// squash the data; its legend entry says where it is).
pub fn in_view(cap: f64, data_top: f64) -> bool {
    cap <= 3.0 * data_top
}

/// The y axis top of a chart with data up to `top` and capacity lines `caps`.
pub fn with_caps(top: f64, caps: impl IntoIterator<Item = f64>) -> f64 {
    caps.into_iter()
        .filter(|&c| in_view(c, top))
        .fold(top, |t, c| t.max(c * 1.08))
}

/// What the services' queues hold together, when every one is bounded (`None`: unbounded,
/// or no worker limit to queue for).
pub fn queue_holds(sc: &Scenario) -> Option<u64> {
    sc.services()
        .iter()
        .map(|s| s.workers.and(s.queue_capacity).map(u64::from))
        .sum()
}

/// The legend entry and the drawn height of a capacity line (`note` after its figure).
fn cap_key(cap: f64, data_top: f64, who: &str, note: &str, color: RGBColor) -> (Key, Option<f64>) {
    let name = format!("{who}capacity {}/s{note}", sig3(cap));
    if in_view(cap, data_top) {
        (Key::new(name, color, CAP_MARK), Some(cap))
    } else {
        (Key::new(format!("{name} (above)"), color, CAP_MARK), None)
    }
}

/// Capacity lines are dotted: dashes are B's in the overlay.
const CAP_MARK: Mark = Mark::Line(Dash::Dotted);

/// How retries' bars are hatched (first attempts' are plain).
pub const RETRY_HATCH: Hatch = Hatch::Rising;

/// Draw a dotted capacity line at `y` across the time axis.
pub fn cap_line<DB: DrawingBackend>(
    chart: &mut Linear<DB>,
    y: f64,
    color: RGBColor,
    pal: &Palette,
) -> Result<(), Error<DB>> {
    let x = chart.x_range();
    let style = color.stroke_width(pattern::series_width(pal));
    pattern::line(
        chart,
        vec![(x.start, y), (x.end, y)],
        style,
        Dash::Dotted,
        pal,
    )
}

/// Draw the chart for `rec`; `peer` (the other side of an A/B comparison) only sets the
/// axes, so both sides are drawn to the same scale.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let end = end_s(rec, peer);
    let data_top = top(rec, peer);
    let caps = std::iter::once(rec)
        .chain(peer)
        .filter_map(|r| capacity(&r.scenario));
    let top = with_caps(data_top, caps);
    let mut keys = vec![
        Key::new("first attempts", FIRST, Mark::BOX),
        Key::new("retries", RETRY, Mark::Fill(RETRY_HATCH)),
    ];
    // and what can wait for it: a herd beyond both is rejected
    let note = queue_holds(&rec.scenario)
        .map(|q| format!(", queue {}", crate::units::count(q)))
        .unwrap_or_default();
    let cap = capacity(&rec.scenario).map(|c| cap_key(c, data_top, "", &note, pal.ink));
    keys.extend(cap.clone().map(|c| c.0));
    let marked = marks::markers(rec, super::Kind::Arrivals);
    let keys = marks::with_key(keys, &marked, &rec.scenario, area.dim_in_pixel().0, pal);
    let mut chart = time_chart(
        area,
        &title_of("Arrivals at the service", rec, peer),
        &keys,
        Axis::new(0.0, top, "attempts / s"),
        end,
        &rec.scenario,
        pal,
    )?;
    marks::rules(&mut chart, &marked, pal)?;
    let bars = bars(&rec.series);
    chart.draw_series(
        bars.iter()
            .filter(|b| b.first > 0.0)
            .map(|b| Rectangle::new([(b.t0, 0.0), (b.t1, b.first)], FIRST.filled())),
    )?;
    chart.draw_series(bars.iter().filter(|b| b.retries > 0.0).map(|b| {
        Patch::new(
            (b.t0, b.first),
            (b.t1, b.first + b.retries),
            RETRY,
            RETRY_HATCH,
            pal,
        )
    }))?;
    if let Some((_, Some(y))) = cap {
        cap_line(&mut chart, y, pal.ink, pal)?;
    }
    let taken = label_windows(&mut chart, &rec.scenario, pal)?;
    marks::draw(&mut chart, &marked, &taken, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

/// Chart 1 of A and B overlaid: total arrivals per second of each, as steps, A solid and
/// B dashed, named after their scenarios.
pub fn draw_overlay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    a: &RunRecord,
    b: &RunRecord,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let end = end_s(a, Some(b));
    let data_top = top(a, Some(b));
    let (ca, cb) = (capacity(&a.scenario), capacity(&b.scenario));
    let top = with_caps(data_top, ca.into_iter().chain(cb));
    let [name_a, name_b] = side_names(a, b);
    let mut keys = vec![
        Key::new(name_a.clone(), FIRST, Mark::LINE),
        Key::new(name_b.clone(), THIRD, Mark::DASHED),
    ];
    // one capacity line when A and B agree, else each side's in its colour
    let caps: Vec<(Key, Option<f64>)> = if ca == cb {
        ca.map(|c| cap_key(c, data_top, "", "", pal.ink))
            .into_iter()
            .collect()
    } else {
        [(ca, name_a, FIRST), (cb, name_b, THIRD)]
            .into_iter()
            .filter_map(|(c, who, color)| {
                c.map(|c| cap_key(c, data_top, &format!("{who} "), "", color))
            })
            .collect()
    };
    keys.extend(caps.iter().map(|c| c.0.clone()));
    let title = "Arrivals at the service, overlaid";
    let y = Axis::new(0.0, top, "attempts / s");
    let mut chart = time_chart(area, title, &keys, y, end, &a.scenario, pal)?;
    for (rec, color, dash) in [(a, FIRST, Dash::Solid), (b, THIRD, Dash::Dashed)] {
        let steps = bars(&rec.series)
            .into_iter()
            .flat_map(|b| [(b.t0, b.first + b.retries), (b.t1, b.first + b.retries)]);
        let style = color.stroke_width(pattern::series_width(pal));
        pattern::line(&mut chart, steps.collect(), style, dash, pal)?;
    }
    for (k, y) in &caps {
        if let Some(y) = y {
            cap_line(&mut chart, *y, k.color, pal)?;
        }
    }
    label_windows(&mut chart, &a.scenario, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

/// The values under time `t` (s).
pub fn readout(rec: &RunRecord, t: f64) -> String {
    let ts = crate::units::duration_ms(t * 1000.0);
    let bars = bars(&rec.series);
    match bars.iter().find(|b| b.t0 <= t && t < b.t1) {
        Some(b) => format!(
            "{ts}: first attempts {:.0}/s, retries {:.0}/s",
            b.first, b.retries
        ),
        None => format!("{ts}: no arrivals"),
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
        // every fault window plus its legend entry
        assert_eq!(
            svg.matches(&fill(FAULT)).count(),
            rec.scenario.faults().count() + 1
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
        // the axis starts a little before t = 0, so the first bar clears the y axis
        let lead = -rec.end_s() * crate::charts::frame::LEAD;
        assert_eq!(f.x, (lead, rec.end_s()));
        assert_eq!(f.x_at(f.px.0), Some(lead));
        assert!((f.x_at(f.px.1).unwrap() - rec.end_s()).abs() < 1e-9);
        // the first bucket holds the burst of first attempts
        let b = bars(&rec.series)[0];
        assert!(readout(&rec, b.t0).contains(&format!("first attempts {:.0}/s", b.first)));
    }

    #[test]
    fn the_capacity_line_says_what_the_queue_holds_when_it_is_bounded() {
        let rec = herd();
        let q: u64 = rec
            .scenario
            .services()
            .iter()
            .map(|s| u64::from(s.queue_capacity.unwrap()))
            .sum();
        assert_eq!(queue_holds(&rec.scenario), Some(q));
        let svg = to_svg((900, 400), |a| {
            draw(a, &rec, None, &Palette::LIGHT).map(|_| ())
        })
        .unwrap();
        assert!(
            svg.contains(&format!(", queue {q}")),
            "the legend names the queue"
        );
        let mut cfg = crate::sim::scenario::presets::config("herd-no-jitter").unwrap();
        cfg.service.queue_capacity = None;
        assert_eq!(queue_holds(&cfg.validate().unwrap()), None, "unbounded");
    }
}
