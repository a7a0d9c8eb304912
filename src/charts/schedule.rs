//! Chart 6: the backoff schedule. For retries 1..n, the delay each retry waits under the
//! scenario's backoff and jitter: median and 5–95% band from many draws of the same code
//! the simulation runs ([`Backoff::sleep`]), and the un-jittered delay for reference.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{legend, linear, peak, swatch, Frame};
use super::style::{Palette, FIRST, RETRY};
use crate::sim::backoff::Backoff;
use crate::sim::rng::{Entity, Rng};
use crate::sim::RunRecord;

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
            d.sort_by(f64::total_cmp);
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
    rec.scenario.policy.max_attempts.saturating_sub(1)
}

/// Draw the chart (`peer` sets shared axes only).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, DrawingAreaErrorKind<DB::ErrorType>> {
    let both: Vec<&RunRecord> = std::iter::once(rec).chain(peer).collect();
    let n = peak(&both, |r| retries(r).clamp(1, MAX_RETRIES) as f64);
    let top = peak(&both, |r| {
        peak(rows(&r.scenario.policy.backoff, retries(r), r.seed), |x| {
            x.hi.max(x.nominal)
        })
    });
    let top = top.max(1.0) * 1.1;
    let title = if retries(rec) == 0 {
        "Backoff schedule (max_attempts 1: no retries)"
    } else {
        "Backoff schedule"
    };
    let mut chart = linear(
        area,
        title,
        "retry",
        "delay (ms)",
        (0.5, n + 0.5),
        (0.0, top),
        pal,
    )?;
    let rows = rows(&rec.scenario.policy.backoff, retries(rec), rec.seed);
    let band: Vec<(f64, f64)> = rows
        .iter()
        .map(|r| (r.n as f64, r.hi))
        .chain(rows.iter().rev().map(|r| (r.n as f64, r.lo)))
        .collect();
    chart
        .draw_series([Polygon::new(band, RETRY.mix(0.3).filled())])?
        .label("5–95% of draws")
        .legend(swatch(RETRY));
    chart
        .draw_series(
            LineSeries::new(
                rows.iter().map(|r| (r.n as f64, r.p50)),
                RETRY.stroke_width(2),
            )
            .point_size(3),
        )?
        .label("median")
        .legend(swatch(RETRY));
    chart
        .draw_series(DashedLineSeries::new(
            rows.iter().map(|r| (r.n as f64, r.nominal)),
            6,
            4,
            FIRST.stroke_width(2),
        ))?
        .label("without jitter")
        .legend(swatch(FIRST));
    legend(&mut chart, pal)?;
    Ok(Frame::of(&chart, (0.5, n + 0.5)))
}

/// The delays of the retry nearest `x`.
pub fn readout(rec: &RunRecord, x: f64) -> String {
    let rows = rows(&rec.scenario.policy.backoff, retries(rec), rec.seed);
    let n = (x.round().max(1.0) as usize).min(rows.len());
    match rows.get(n.wrapping_sub(1)) {
        Some(r) => format!(
            "retry {}: median {:.1} ms, 5–95% {:.1}–{:.1} ms, without jitter {:.1} ms",
            r.n, r.p50, r.lo, r.hi, r.nominal
        ),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::backoff::{Jitter, Schedule};

    fn exp(jitter: Jitter) -> Backoff {
        Backoff {
            schedule: Schedule::Exponential,
            base: 100_000,
            multiplier: 2.0,
            cap: 1_000_000,
            jitter,
        }
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
}
