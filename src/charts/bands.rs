//! "Run 20 seeds" as charts: each of the single run's time charts again, its lines as the
//! median over the seeds with the p10–p90 band around it, in the single run's colours.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{label_windows, time_chart, time_range, Axis, Error, Frame, Key, Mark};
use super::pattern::{self, Dash};
use super::style::{Palette, ERROR, FIRST, RETRY, SUCCESS};
use crate::sim::Scenario;
use crate::sweep::bands::{Bands, GROUPS};

/// Each group's line colours, as the single run's charts draw them.
const COLORS: [[RGBColor; 2]; 3] = [[FIRST, RETRY], [SUCCESS, ERROR], [FIRST, RETRY]];

/// Draw chart `group` of [`GROUPS`] (0 to 2) of `bands`, runs of scenario `sc`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bands: &Bands,
    group: usize,
    sc: &Scenario,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let g = GROUPS[group.min(GROUPS.len() - 1)];
    let first: usize = GROUPS[..group.min(GROUPS.len() - 1)]
        .iter()
        .map(|g| g.lines.len())
        .sum();
    let lines = bands.lines.get(first..first + g.lines.len()).unwrap_or(&[]);
    let colors = COLORS[group.min(COLORS.len() - 1)];
    let n = lines.iter().map(|l| l.median.len()).max().unwrap_or(0);
    let end = (n as f64 * bands.width_s).max(1e-3);
    let top = (lines.iter().flat_map(|l| l.p90.iter().copied()))
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.08;
    let mut keys: Vec<Key> = (lines.iter().zip(colors))
        .map(|(l, c)| Key::new(format!("{} (median)", l.name), c, Mark::LINE))
        .collect();
    keys.push(Key::new(
        "p10–p90 (shaded)",
        RGBColor(180, 180, 180),
        Mark::BOX,
    ));
    let title = format!("{} over {} seeds", g.title, bands.seeds);
    let mut chart = time_chart(
        area,
        &title,
        &keys,
        Axis::new(0.0, top, g.unit),
        end,
        sc,
        pal,
    )?;
    // bucket i drawn at its middle
    let t = |i: usize| (i as f64 + 0.5) * bands.width_s;
    for (l, c) in lines.iter().zip(colors) {
        let ring: Vec<(f64, f64)> = (l.p90.iter().enumerate())
            .map(|(i, &v)| (t(i), v))
            .chain(l.p10.iter().enumerate().rev().map(|(i, &v)| (t(i), v)))
            .collect();
        chart.draw_series(std::iter::once(Polygon::new(ring, c.mix(0.25).filled())))?;
    }
    for (l, c) in lines.iter().zip(colors) {
        let pts: Vec<(f64, f64)> = (l.median.iter().enumerate())
            .map(|(i, &v)| (t(i), v))
            .collect();
        let style = c.stroke_width(pattern::series_width(pal));
        pattern::line(&mut chart, pts, style, Dash::Solid, pal)?;
    }
    label_windows(&mut chart, sc, pal)?;
    Ok(Frame::of(&chart, time_range(end)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::to_svg;
    use crate::sim::{scenario::presets, Sim};

    #[test]
    fn each_line_is_a_median_in_its_band_in_the_runs_colours() {
        let mut cfg = presets::config("retry-storm").unwrap();
        cfg.clients.count = 200;
        let sc = cfg.validate().unwrap();
        let series: Vec<_> = (1..=5)
            .map(|seed| {
                let mut sim = Sim::new(&sc, seed);
                sim.run();
                sim.record().series
            })
            .collect();
        let bands = Bands::of(&series);
        for group in 0..GROUPS.len() {
            let svg = to_svg((900, 400), |a| {
                draw(a, &bands, group, &sc, &Palette::LIGHT).map(|_| ())
            })
            .unwrap();
            assert!(svg.contains("over 5 seeds"), "{group}");
            for (c, l) in COLORS[group].iter().zip(GROUPS[group].lines) {
                let hex = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
                // the band (a filled polygon) and the median's line, in the line's colour
                assert!(svg.contains("<polygon"), "{group}");
                assert!(svg.matches(&hex).count() >= 3, "{group} {}", l.name);
                assert!(svg.contains(&format!("{} (median)", l.name)), "{group}");
            }
        }
    }
}
