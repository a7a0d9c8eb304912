//! Charts of a run, drawn with plotters on any [`DrawingBackend`](plotters::prelude::DrawingBackend):
//! a canvas in the page, SVG natively (tests) and for export. Charts read `sim` result types
//! only, and every one follows the same shape: a pure data-preparation function (tested
//! against formulas), a `draw` function over a drawing area that returns its [`Frame`] (so
//! the page can map the cursor back to a value), and a `readout` of the value under it.

pub mod arrivals;
pub mod bands;
pub mod failover;
pub mod frame;
pub mod gauges;
pub mod guards;
pub mod latency;
pub mod marks;
pub mod moments;
pub mod outcomes;
pub mod pareto;
pub mod pattern;
pub mod raster;
pub mod schedule;
pub mod services;
pub mod style;
pub mod sweep;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use frame::Frame;
use style::Palette;

use crate::sim::RunRecord;

/// Result of drawing a chart.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The charts, in page order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 1. Arrivals per second, first attempts vs retries.
    Arrivals,
    /// 2. Outcomes per second.
    Outcomes,
    /// 3. Queue, busy workers, in flight.
    Gauges,
    /// 4. Latency CDF.
    Latency,
    /// 5. Per-client raster.
    Raster,
    /// 6. Backoff schedule.
    Schedule,
    /// Arrivals per service.
    Services,
    /// Breaker states per service.
    Breakers,
    /// Retry budget level.
    Budget,
    /// Chart 1 of A and B overlaid.
    Overlay,
    /// Per-service arrivals of A and B overlaid.
    ServicesOverlay,
    /// The RPO/RTO strip of the crashes of a replicated service's primary.
    Failover,
}

impl Kind {
    /// The six charts of one run.
    pub const RUN: [Kind; 6] = [
        Kind::Arrivals,
        Kind::Outcomes,
        Kind::Gauges,
        Kind::Latency,
        Kind::Raster,
        Kind::Schedule,
    ];

    /// The charts of a run (and its peer's, so that A and B show the same charts): first
    /// per-service arrivals with several services, breaker states with a breaker and the
    /// budget level with a budget (what such a scenario is about, so on a 1280×720 screen
    /// the first charts in view), then the six.
    pub fn for_run(rec: &RunRecord, peer: Option<&RunRecord>) -> Vec<Kind> {
        let any = |f: fn(&RunRecord) -> bool| std::iter::once(rec).chain(peer).any(f);
        let mut kinds = Vec::new();
        if any(|r| r.scenario.replicated()) {
            kinds.push(Kind::Failover);
        }
        if any(|r| r.services.len() > 1) {
            kinds.push(Kind::Services);
        }
        if any(|r| r.scenario.breaker().is_some()) {
            kinds.push(Kind::Breakers);
        }
        if any(|r| r.scenario.budget().is_some()) {
            kinds.push(Kind::Budget);
        }
        kinds.extend(Kind::RUN);
        kinds
    }

    /// The overlays of an A/B comparison: arrivals, and per-service arrivals when either
    /// side has several services.
    pub fn overlays(a: &RunRecord, b: &RunRecord) -> Vec<Kind> {
        let mut kinds = vec![Kind::Overlay];
        if a.services.len() > 1 || b.services.len() > 1 {
            kinds.push(Kind::ServicesOverlay);
        }
        kinds
    }

    /// Every chart, in page order.
    pub const ALL: [Kind; 12] = [
        Kind::Arrivals,
        Kind::Outcomes,
        Kind::Gauges,
        Kind::Latency,
        Kind::Raster,
        Kind::Schedule,
        Kind::Services,
        Kind::Breakers,
        Kind::Budget,
        Kind::Overlay,
        Kind::ServicesOverlay,
        Kind::Failover,
    ];

    /// The chart whose [`id`](Kind::id) is `id`.
    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Short id (element ids, file names).
    pub fn id(self) -> &'static str {
        match self {
            Kind::Arrivals => "arrivals",
            Kind::Outcomes => "outcomes",
            Kind::Gauges => "gauges",
            Kind::Latency => "latency",
            Kind::Raster => "raster",
            Kind::Schedule => "schedule",
            Kind::Services => "services",
            Kind::Breakers => "breakers",
            Kind::Budget => "budget",
            Kind::Overlay => "overlay",
            Kind::ServicesOverlay => "services-overlay",
            Kind::Failover => "failover",
        }
    }

    /// What the chart shows, for screen readers.
    pub fn description(self) -> &'static str {
        match self {
            Kind::Arrivals => {
                "Attempts arriving at the service per second, first attempts and retries (hatched) stacked"
            }
            Kind::Outcomes => {
                "Outcomes of attempts per second: success, timeout, error, rejected, refused"
            }
            Kind::Gauges => "Queue length, busy workers and requests in flight over time",
            Kind::Latency => {
                "Cumulative latency distribution of requests and attempts, log time axis"
            }
            Kind::Raster => "One row per sampled client, one dot per attempt coloured and shaped by outcome",
            Kind::Schedule => "Backoff delay before each retry under every jitter mode: median and 5 to 95 percent band",
            Kind::Services => "Attempts arriving at each service per second, and calls to it rejected by a breaker",
            Kind::Breakers => "For each service, the fraction of its circuit breakers closed, half-open and open over time",
            Kind::Budget => "Mean retry budget level of each service over time",
            Kind::Overlay => "Arrivals per second of scenario A (solid) and scenario B (dashed) overlaid",
            Kind::ServicesOverlay => {
                "Attempts arriving at each service per second, scenario A solid and B dashed"
            }
            Kind::Failover => "For each crash of a primary: the writes lost before it (the RPO) and the time to the first successful write after it (the RTO), with detection and the new primary marked",
        }
    }
}

/// Draw chart `kind` of `rec` on `area`. `peer` is the other side of an A/B comparison:
/// it sets shared axes (and is the B line of the overlay).
pub fn draw<DB: DrawingBackend>(
    kind: Kind,
    area: &DrawingArea<DB, Shift>,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
) -> Result<Frame, DrawingAreaErrorKind<DB::ErrorType>> {
    match kind {
        Kind::Arrivals => arrivals::draw(area, rec, peer, pal),
        Kind::Outcomes => outcomes::draw(area, rec, peer, pal),
        Kind::Gauges => gauges::draw(area, rec, peer, pal),
        Kind::Latency => latency::draw(area, rec, peer, pal),
        Kind::Raster => raster::draw(area, rec, peer, pal),
        Kind::Schedule => schedule::draw(area, rec, peer, pal),
        Kind::Services => services::draw(area, rec, peer, pal),
        Kind::Breakers => guards::draw_breakers(area, rec, peer, pal),
        Kind::Budget => guards::draw_budget(area, rec, peer, pal),
        Kind::Overlay => match peer {
            Some(b) => arrivals::draw_overlay(area, rec, b, pal),
            None => arrivals::draw(area, rec, None, pal),
        },
        Kind::ServicesOverlay => match peer {
            Some(b) => services::draw_overlay(area, rec, b, pal),
            None => services::draw(area, rec, None, pal),
        },
        Kind::Failover => failover::draw(area, rec, peer, pal),
    }
}

/// The read-out of chart `kind` at x value `x` (seconds, milliseconds or retry number).
pub fn readout(kind: Kind, rec: &RunRecord, peer: Option<&RunRecord>, x: f64) -> String {
    match kind {
        Kind::Arrivals => arrivals::readout(rec, x),
        Kind::Outcomes => outcomes::readout(rec, x),
        Kind::Gauges => gauges::readout(rec, x),
        Kind::Latency => latency::readout(rec, x),
        Kind::Raster => raster::readout(rec, x),
        Kind::Schedule => schedule::readout(rec, x),
        Kind::Services => services::readout(rec, x),
        Kind::Breakers => guards::breakers_readout(rec, x),
        Kind::Budget => guards::budget_readout(rec, x),
        Kind::Overlay => {
            let b = peer.map(|b| arrivals::readout(b, x)).unwrap_or_default();
            format!("A {} · B {}", arrivals::readout(rec, x), b)
        }
        Kind::ServicesOverlay => match peer {
            Some(b) => services::overlay_readout(rec, b, x),
            None => services::readout(rec, x),
        },
        Kind::Failover => failover::readout(rec, x),
    }
}

/// Render `draw` to an SVG string of the given size (for tests and export).
pub fn to_svg<F>(size: (u32, u32), draw: F) -> Result<String, String>
where
    F: for<'a> FnOnce(
        &DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
    ) -> DrawResult<SVGBackend<'a>>,
{
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Chart `kind` as an SVG document (the page's SVG export).
pub fn svg(
    kind: Kind,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
    size: (u32, u32),
) -> Result<String, String> {
    to_svg(size, |a| draw(kind, a, rec, peer, pal).map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{scenario::presets, Sim};

    #[test]
    fn every_chart_of_every_preset_draws_in_both_themes() {
        for name in presets::names() {
            let mut cfg = presets::config(name).unwrap();
            cfg.clients.count = cfg.clients.count.min(200);
            let mut sim = Sim::new(&cfg.validate().unwrap(), 1);
            sim.run();
            let rec = sim.record();
            for kind in [
                Kind::Services,
                Kind::Breakers,
                Kind::Budget,
                Kind::Overlay,
                Kind::ServicesOverlay,
                Kind::Failover,
            ]
            .into_iter()
            .chain(Kind::RUN)
            {
                for pal in [Palette::LIGHT, Palette::DARK] {
                    let svg = svg(kind, &rec, Some(&rec), &pal, (640, 320)).unwrap();
                    // a chart with nothing to plot says why in a sentence
                    assert!(
                        svg.len() > 400 && svg.matches("<text").count() >= 2,
                        "{name} {kind:?}"
                    );
                }
                assert!(!readout(kind, &rec, Some(&rec), 1.0).is_empty() || kind == Kind::Schedule);
            }
        }
    }
}
