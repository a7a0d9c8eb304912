//! Chart 6: the backoff schedule. For retries 1..n, the delay each retry waits under the
//! scenario's schedule with every jitter mode (the scenario's own highlighted; each mode's
//! medians marked with its own shape): median and 5–95% band from many draws of the same
//! code the simulation runs ([`Backoff::sleep`]).
//! With no retries, or retries that all go at once, it says so in words instead.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{linear, message, peak, title_of, Axis, Error, Frame, Key, Mark};
use super::pattern::{self, Dash, Glyph, Shape, SHAPE_R};
use super::style::{Palette, FIRST, RETRY, SPIKE, SUCCESS};
use crate::sim::policy::backoff::{Backoff, Jitter};
use crate::sim::random::rng::{Entity, Rng};
use crate::sim::RunRecord;
use crate::units::duration_ms;

/// Retries shown at most.
pub const MAX_RETRIES: u32 = 12;
/// Draws per retry.
pub const DRAWS: usize = 2000;

/// Delays before one retry, in ms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
    /// Retry number (1 = first retry).
    pub n: u32,
    /// Un-jittered delay.
    pub nominal: f64,
    /// 5th percentile.
    pub lo: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub hi: f64,
}

/// The schedule for `retries` retries, from `DRAWS` independent retry sequences (so
/// decorrelated jitter's state evolves as it does in a run).
pub fn rows(b: &Backoff, retries: u32, seed: u64) -> Vec<Row> {
    let retries = retries.clamp(1, MAX_RETRIES) as usize;
    let mut by_n = vec![Vec::with_capacity(DRAWS); retries];
    for k in 0..DRAWS {
        let mut rng = Rng::stream(seed, Entity::Client(k as u32));
        let mut prev = b.initial_sleep();
        for (i, draws) in by_n.iter_mut().enumerate() {
            draws.push(b.sleep(i as u32 + 1, &mut prev, &mut rng) as f64 / 1000.0);
        }
    }
    by_n.into_iter()
        .enumerate()
        .map(|(i, mut d)| {
            d.sort_unstable_by(f64::total_cmp);
            let q = |p: f64| d[((d.len() - 1) as f64 * p).round() as usize];
            let n = i as u32 + 1;
            Row {
                n,
                nominal: b.delay(n) as f64 / 1000.0,
                lo: q(0.05),
                p50: q(0.5),
                hi: q(0.95),
            }
        })
        .collect()
}

fn retries(rec: &RunRecord) -> u32 {
    rec.scenario.policy().max_attempts.saturating_sub(1)
}

/// The shape marking jitter mode `j`'s medians.
pub fn shape(j: Jitter) -> Shape {
    match j {
        Jitter::None => Shape::Square,
        Jitter::Full => Shape::Circle,
        Jitter::Equal => Shape::Triangle,
        Jitter::Decorrelated | Jitter::DecorrelatedV2 => Shape::TriangleDown,
        Jitter::Proportional(_) => Shape::Diamond,
        Jitter::Multiplier(..) => Shape::Cross,
    }
}

/// Every jitter mode on the scenario's schedule, the scenario's own first: `(backoff, name,
/// colour)`. Proportional jitter uses the scenario's factor if it has one, else ±50%.
pub fn modes(b: &Backoff) -> Vec<(Backoff, String, RGBColor)> {
    let r = match b.jitter {
        Jitter::Proportional(r) => r,
        _ => 0.5,
    };
    let all = [
        (Jitter::None, "none".to_string(), INK_GREY),
        (Jitter::Full, "full".into(), FIRST),
        (Jitter::Equal, "equal".into(), SUCCESS),
        (Jitter::Decorrelated, "decorrelated".into(), RETRY),
        (
            Jitter::Proportional(r),
            format!("±{:.0}%", r * 100.0),
            SPIKE,
        ),
    ];
    let mut out: Vec<_> = all
        .into_iter()
        .map(|(j, name, c)| (Backoff { jitter: j, ..*b }, name, c))
        .collect();
    if let Some(i) = out.iter().position(|m| m.0.jitter == b.jitter) {
        let mut mine = out.remove(i);
        mine.1 = format!("{} (this scenario)", mine.1);
        out.insert(0, mine);
    }
    out
}

/// Neutral colour of the un-jittered schedule.
const INK_GREY: RGBColor = RGBColor(120, 120, 120);

/// Why a backoff chart would be empty or flat, in words: no retries, or every retry at once.
pub fn why_flat(rec: &RunRecord) -> Option<Vec<String>> {
    let p = rec.scenario.policy();
    if retries(rec) == 0 {
        return Some(vec![
            format!("max_attempts {}: no retries,", p.max_attempts),
            "so no backoff delay to show".to_string(),
        ]);
    }
    let n = retries(rec).clamp(1, MAX_RETRIES);
    let all_zero = modes(&p.backoff).iter().all(|(b, _, _)| {
        rows(b, n, rec.seed)
            .iter()
            .all(|r| r.hi == 0.0 && r.nominal == 0.0)
    });
    all_zero.then(|| {
        vec![
            "Every retry goes at once: the backoff delay is 0 ms".to_string(),
            format!(
                "({} retries per request; jitter has nothing to spread)",
                retries(rec)
            ),
        ]
    })
}

/// Draw the chart (`peer` sets shared axes only).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, Error<DB>> {
    let both: Vec<&RunRecord> = std::iter::once(rec).chain(peer).collect();
    let n = peak(&both, |r| retries(r).clamp(1, MAX_RETRIES) as f64);
    if let Some(lines) = why_flat(rec) {
        message(area, &title_of("Backoff delay", rec, peer), &lines, pal)?;
        let (w, _) = area.dim_in_pixel();
        return Ok(Frame {
            px: (0, w as i32),
            x: (0.5, n + 0.5),
            log: false,
        });
    }
    let mine = modes(&rec.scenario.policy().backoff);
    let all: Vec<(Vec<Row>, &str, RGBColor, Shape)> = mine
        .iter()
        .map(|(b, name, c)| {
            let rows = rows(b, retries(rec), rec.seed);
            (rows, name.as_str(), *c, shape(b.jitter))
        })
        .collect();
    let highest = |rows: &[Row]| peak(rows, |x| x.hi.max(x.nominal));
    let mut top = peak(&all, |(rows, _, _, _)| highest(rows));
    if let Some(p) = peer {
        top = top.max(peak(modes(&p.scenario.policy().backoff), |(b, _, _)| {
            highest(&rows(&b, retries(p), p.seed))
        }));
    }
    let top = top.max(1.0) * 1.1;
    let keys: Vec<Key> = all
        .iter()
        .map(|(_, name, c, shape)| Key::new(*name, *c, Mark::Shaped(*shape)))
        .collect();
    // whole retries only
    let ticks = (1..=n as u32).map(|k| (k as f64, k.to_string())).collect();
    let x = Axis::new(0.5, n + 0.5, "retry").fixed(ticks);
    let title = title_of("Backoff delay by jitter mode", rec, peer);
    let mut chart = linear(
        area,
        &title,
        &keys,
        x,
        Axis::new(0.0, top, "delay").in_ms(),
        pal,
    )?;
    // the other modes first, faint; the scenario's own on top
    for (i, (rows, _, color, shape)) in all.iter().enumerate().rev() {
        let own = i == 0;
        let band: Vec<(f64, f64)> = rows
            .iter()
            .map(|r| (r.n as f64, r.hi))
            .chain(rows.iter().rev().map(|r| (r.n as f64, r.lo)))
            .collect();
        chart.draw_series([Polygon::new(
            band,
            color.mix(if own { 0.3 } else { 0.08 }).filled(),
        )])?;
        let medians: Vec<(f64, f64)> = rows.iter().map(|r| (r.n as f64, r.p50)).collect();
        let width = pattern::series_width(pal) + if own { pal.px(1) } else { 0 };
        let style = color.stroke_width(width);
        pattern::line(&mut chart, medians.clone(), style, Dash::Solid, pal)?;
        let r = if own { SHAPE_R + 1 } else { SHAPE_R };
        chart.draw_series(
            medians
                .into_iter()
                .map(|p| Glyph::new(p, *shape, r, *color, pal)),
        )?;
    }
    Ok(Frame::of(&chart, (0.5, n + 0.5)))
}

/// The delays of the retry nearest `x`: the scenario's mode in full, the others' medians.
pub fn readout(rec: &RunRecord, x: f64) -> String {
    let n = x
        .round()
        .clamp(1.0, retries(rec).clamp(1, MAX_RETRIES) as f64) as usize;
    let parts: Vec<String> = modes(&rec.scenario.policy().backoff)
        .iter()
        .enumerate()
        .filter_map(|(i, (b, name, _))| {
            // the first n retries are drawn as in the chart (each draw's sequence is the
            // same however many retries follow), so stop at the one under the cursor
            let r = *rows(b, n as u32, rec.seed).get(n - 1)?;
            Some(if i == 0 {
                format!(
                    "{name}: median {}, 5–95% {} to {}",
                    duration_ms(r.p50),
                    duration_ms(r.lo),
                    duration_ms(r.hi)
                )
            } else {
                format!("{name} {}", duration_ms(r.p50))
            })
        })
        .collect();
    format!("retry {n}: {}", parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::policy::backoff::{Jitter, Schedule};

    fn exp(jitter: Jitter) -> Backoff {
        Backoff::new(Schedule::Exponential, 100_000, 2.0, 1_000_000, jitter)
    }

    #[test]
    fn bands_follow_each_jitter_formula() {
        for r in rows(&exp(Jitter::None), 6, 1) {
            assert_eq!((r.lo, r.p50, r.hi), (r.nominal, r.nominal, r.nominal));
        }
        let nominal = [100.0, 200.0, 400.0, 800.0, 1000.0, 1000.0];
        for (r, d) in rows(&exp(Jitter::Full), 6, 1).iter().zip(nominal) {
            // U(0, d): median d/2, 5% and 95% quantiles 0.05 d and 0.95 d
            assert_eq!(r.nominal, d);
            assert!((r.p50 - d / 2.0).abs() < 0.05 * d, "{r:?}");
            assert!(
                (r.lo - 0.05 * d).abs() < 0.03 * d && (r.hi - 0.95 * d).abs() < 0.03 * d,
                "{r:?}"
            );
        }
        for (r, d) in rows(&exp(Jitter::Equal), 6, 1).iter().zip(nominal) {
            // d/2 + U(0, d/2): median 3d/4
            assert!(
                (r.p50 - 0.75 * d).abs() < 0.03 * d && r.lo >= d / 2.0 && r.hi <= d,
                "{r:?}"
            );
        }
        for r in rows(&exp(Jitter::Decorrelated), 6, 1) {
            assert!(r.lo >= 100.0 && r.hi <= 1000.0, "{r:?}");
        }
        assert_eq!(rows(&exp(Jitter::Full), 0, 1).len(), 1);
        assert_eq!(
            rows(&exp(Jitter::Full), 1000, 1).len(),
            MAX_RETRIES as usize
        );
    }

    #[test]
    fn every_mode_is_shown_with_the_scenarios_own_first() {
        let m = modes(&exp(Jitter::Proportional(0.2)));
        assert_eq!(m.len(), 5);
        assert_eq!(m[0].0.jitter, Jitter::Proportional(0.2));
        assert!(m[0].1.contains("this scenario") && m[0].1.contains("20%"));
        let m = modes(&exp(Jitter::None));
        assert_eq!(m[0].0.jitter, Jitter::None);
        assert!(m.iter().any(|x| x.0.jitter == Jitter::Proportional(0.5)));
        // all share the scenario's schedule
        assert!(m
            .iter()
            .all(|x| x.0.base == 100_000 && x.0.cap == 1_000_000));
    }

    #[test]
    fn the_first_retries_do_not_depend_on_how_many_follow() {
        for j in [Jitter::Full, Jitter::Decorrelated, Jitter::DecorrelatedV2] {
            let all = rows(&exp(j), 8, 3);
            assert_eq!(rows(&exp(j), 3, 3)[..], all[..3], "{j:?}");
        }
    }
}
