//! What a finished run leaves for charts and exports: the scenario, the summary, the time
//! series, both latency histograms and a per-client raster of a sample of clients.

use serde::{Deserialize, Serialize};

use crate::sim::output::histogram::Histogram;
use crate::sim::output::incident::Incident;
use crate::sim::output::metrics::{Column, Series, COLUMNS};
use crate::sim::output::outcome::Outcome;
use crate::sim::output::summary::Summary;
use crate::sim::output::view::RunView;
use crate::sim::scenario::Scenario;
use crate::sim::Micros;

/// Clients in the raster sample: the first `RASTER_ROWS` (clients are statistically
/// alike, each with its own stream, so the first ones are a fair sample).
pub const RASTER_ROWS: u32 = 100;
/// At most this many raster dots are kept (a 100-client sample rarely needs more).
pub const RASTER_MAX_DOTS: usize = 200_000;

/// One attempt of a sampled client: enough to tell what the client is doing at any time
/// (in flight from `sent` to `ended`, then backing off until its next attempt unless
/// `last`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dot {
    /// The client (its row).
    pub client: u32,
    /// When the attempt was sent (µs).
    pub sent: Micros,
    /// When it ended (µs): its reply, timeout or deadline, or a local rejection.
    pub ended: Micros,
    /// How it ended.
    pub outcome: Outcome,
    /// It was its request's last attempt: the request succeeded with it (the last call of
    /// a sequence) or gave up after it.
    pub last: bool,
}

/// Attempts of the first [`RASTER_ROWS`] clients, in the order they ended.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Raster {
    /// Rows shown (`min(clients, RASTER_ROWS)`).
    pub rows: u32,
    /// The dots.
    pub dots: Vec<Dot>,
    /// Dots not kept because the cap was reached.
    pub dropped: u64,
    /// Attempts of sampled clients still in flight when the run stopped (a hang): client
    /// and when it was sent. They have no dot, having never ended.
    pub open: Vec<(u32, Micros)>,
    /// The last attempt recorded was kept (its dot is `dots.last()`), so that
    /// [`Raster::request_ended`] marks that dot and no other.
    #[serde(skip)]
    kept: bool,
}

impl Raster {
    /// An empty raster for `clients` clients.
    pub fn new(clients: u32) -> Raster {
        Raster {
            rows: clients.min(RASTER_ROWS),
            dots: Vec::new(),
            dropped: 0,
            open: Vec::new(),
            kept: false,
        }
    }

    /// Record an attempt of `client` sent at `sent` and ended at `ended`, if the client is
    /// in the sample (as not its request's last: see [`Raster::request_ended`]).
    #[inline]
    pub fn record(&mut self, client: u32, sent: Micros, ended: Micros, outcome: Outcome) {
        self.kept = false;
        if client < self.rows {
            if self.dots.len() < RASTER_MAX_DOTS {
                self.dots.push(Dot {
                    client,
                    sent,
                    ended,
                    outcome,
                    last: false,
                });
                self.kept = true;
            } else {
                self.dropped += 1;
            }
        }
    }

    /// The request of `client` whose attempt was recorded last ended with that attempt
    /// (the engine ends a request only right after one of its attempts ends): mark its dot.
    #[inline]
    pub fn request_ended(&mut self, client: u32) {
        if let (true, Some(d)) = (self.kept, self.dots.last_mut()) {
            debug_assert_eq!(d.client, client);
            d.last = true;
            self.kept = false;
        }
    }
}

/// A finished (or stopped) run, detached from the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// The scenario that ran.
    pub scenario: Scenario,
    /// Its seed.
    pub seed: u64,
    /// The summary.
    pub summary: Summary,
    /// The time series of the whole run (every service added up).
    pub series: Series,
    /// Each service's own series (arrivals, outcomes of calls to it, queue, workers, its
    /// breakers and budget), in the scenario's order.
    pub services: Vec<Series>,
    /// Breakers in each breaker group: per service (per-service scopes) or, at index 0,
    /// the breakers that guard every service; 0 without breakers.
    pub breakers_per_group: usize,
    /// Budgets per service (0 without a budget) and the unit of their level.
    pub budgets_per_service: (usize, &'static str),
    /// End-to-end latency of logical requests.
    pub request_latency: Histogram,
    /// End-to-end latency of the requests that succeeded.
    pub success_latency: Histogram,
    /// Latency of single attempts.
    pub attempt_latency: Histogram,
    /// The per-client raster.
    pub raster: Raster,
    /// Each service's crashes of its primary (empty unless replicated).
    pub incidents: Vec<Vec<Incident>>,
}

impl RunRecord {
    /// Right end of the time axis in seconds: the run's end.
    pub fn end_s(&self) -> f64 {
        self.summary.end_ms / 1000.0
    }

    /// The run's disturbance windows, for recovery metrics: every service's faults (a
    /// crash of a primary lasting until the service is back,
    /// [`disturbances`](super::incident::disturbances)) and the load spikes.
    pub fn disturbances(&self) -> Vec<(Micros, Micros)> {
        let now = (self.summary.end_ms * 1000.0).round() as Micros;
        let none = Vec::new();
        (self.scenario.services().iter().enumerate())
            .flat_map(|(i, s)| {
                let incidents = self.incidents.get(i).unwrap_or(&none);
                super::incident::disturbances(&s.faults, incidents, now)
            })
            .chain(self.scenario.spikes())
            .collect()
    }

    /// The time series as CSV ([`Series::to_csv`]); with several services, each service's
    /// arrivals, successes, failures, breaker rejections, open breakers and budget level
    /// follow as `<name>.<column>` columns.
    pub fn to_csv(&self) -> String {
        let csv = self.series.to_csv();
        if self.services.len() < 2 {
            return csv;
        }
        let cols: Vec<&Column> = COLUMNS.iter().filter(|c| c.per_service).collect();
        let w = self.series.width as f64;
        let mut lines = csv.lines();
        let mut out = String::new();
        if let Some(head) = lines.next() {
            out += head;
            for s in self.scenario.services() {
                for c in &cols {
                    out += &format!(",{}.{}", s.name, c.name);
                }
            }
            out.push('\n');
        }
        for (i, line) in lines.enumerate() {
            out += line;
            for s in &self.services {
                let b = s.buckets.get(i).copied().unwrap_or_default();
                for c in &cols {
                    out.push(',');
                    c.write(&mut out, &b, w);
                }
            }
            out.push('\n');
        }
        out
    }
}

impl RunRecord {
    /// Everything charts and exports need, copied out of a run.
    pub(crate) fn of(run: &RunView) -> RunRecord {
        RunRecord {
            scenario: run.scenario.clone(),
            seed: run.seed,
            summary: Summary::of(run),
            series: run.series.clone().into_owned(),
            services: run.services.iter().map(|(s, _)| (*s).clone()).collect(),
            breakers_per_group: run.breakers_per_group,
            budgets_per_service: run.budgets_per_service,
            request_latency: run.request_latency.clone(),
            success_latency: run.success_latency.clone(),
            attempt_latency: run.attempt_latency.clone(),
            raster: Raster {
                open: run.open_attempts.clone(),
                ..run.raster.clone()
            },
            incidents: run.incidents.iter().map(|i| i.to_vec()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets;
    use crate::sim::Sim;

    #[test]
    fn the_raster_holds_every_ended_attempt_of_the_sampled_clients() {
        let mut cfg = presets::config("herd-no-jitter").unwrap();
        cfg.clients.count = 150;
        let mut sim = Sim::new(&cfg.validate().unwrap(), 3);
        sim.run();
        let r = sim.record();
        assert_eq!(r.raster.rows, 100);
        assert!(r.raster.dots.iter().all(|d| d.client < 100));
        // every request ends (drained), so sampled attempts = their share of all attempts,
        // and each sampled client's attempts are sent in time order
        assert!(r.raster.dots.len() as u64 <= r.summary.attempts);
        for c in 0..100 {
            let times: Vec<_> = r
                .raster
                .dots
                .iter()
                .filter(|d| d.client == c)
                .map(|d| d.sent)
                .collect();
            assert!(
                !times.is_empty() && times.windows(2).all(|w| w[0] <= w[1]),
                "client {c}"
            );
            // one request each (a burst), drained: its final attempt, and only that one,
            // ends the request, and each attempt ends before the next is sent
            let mine: Vec<&Dot> = r.raster.dots.iter().filter(|d| d.client == c).collect();
            assert!(mine.iter().all(|d| d.sent <= d.ended), "client {c}");
            assert!(mine
                .windows(2)
                .all(|w| w[0].ended <= w[1].sent && !w[0].last));
            assert!(mine.last().unwrap().last, "client {c}");
        }
        let last_ok = r
            .raster
            .dots
            .iter()
            .filter(|d| d.outcome == Outcome::Success)
            .count() as u64;
        assert!(last_ok <= 100);
    }
}
