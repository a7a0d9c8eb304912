//! Notable moments of a run, found in its record (for markers on the charts and for a
//! tour step's `until`): the markers a presenter points at (a
//! retry wave hitting the returning service, a breaker opening and closing again, a retry
//! budget running dry, the service recovering or declared collapsed). Read from the
//! bucketed series, so a moment is placed to within one bucket.

use serde::{Deserialize, Serialize};

use crate::sim::output::incident::Recovery;
use crate::sim::output::metrics::Series;
use crate::sim::{Micros, RunRecord};
use crate::units::{count, duration_ms, sig3};

/// Retry waves reported at most (a herd that keeps coming back is one story).
pub const MAX_WAVES: usize = 8;

/// A retry wave is arrivals above this multiple of capacity: clearly more than the
/// services can serve, not the noise of a busy service around its capacity.
pub const WAVE: f64 = 1.5;

/// What kind of moment (its `snake_case` name is the one a tour step's `until` uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MomentKind {
    /// A breaker opened for the first time.
    BreakerOpened,
    /// Every breaker is closed again after having opened.
    BreakerClosed,
    /// The success rate is back (`time_to_recover_ms` after the last disturbance).
    Recovered,
    /// After the last disturbance, attempts arrive at more than [`WAVE`] × what the
    /// services can serve.
    RetryWave,
    /// A retry budget refused its first retry.
    BudgetEmpty,
    /// Still failing (or hung) [`COLLAPSE_AFTER`] after the last disturbance ended, or as
    /// long again as it lasted, and never recovering.
    Collapsed,
    /// A replicated service's primary crashed.
    Crash,
    /// The crash was noticed (health checks, or the alert).
    CrashDetected,
    /// The service has a primary again (promoted, restarted or restored).
    PrimaryBack,
    /// The first successful write after the crash: the RTO.
    FirstWrite,
}

impl MomentKind {
    /// Every kind, in the order the tour format lists them.
    pub const ALL: [MomentKind; 10] = [
        MomentKind::BreakerOpened,
        MomentKind::BreakerClosed,
        MomentKind::Recovered,
        MomentKind::RetryWave,
        MomentKind::BudgetEmpty,
        MomentKind::Collapsed,
        MomentKind::Crash,
        MomentKind::CrashDetected,
        MomentKind::PrimaryBack,
        MomentKind::FirstWrite,
    ];

    /// Its name in a tour file.
    pub fn id(self) -> &'static str {
        match self {
            MomentKind::BreakerOpened => "breaker_opened",
            MomentKind::BreakerClosed => "breaker_closed",
            MomentKind::Recovered => "recovered",
            MomentKind::RetryWave => "retry_wave",
            MomentKind::BudgetEmpty => "budget_empty",
            MomentKind::Collapsed => "collapsed",
            MomentKind::Crash => "crash",
            MomentKind::CrashDetected => "crash_detected",
            MomentKind::PrimaryBack => "primary_back",
            MomentKind::FirstWrite => "first_write",
        }
    }
}

/// A moment: when, what, which service (if one) and a label in words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Moment {
    /// When (ms of simulated time).
    pub at_ms: f64,
    /// What.
    pub kind: MomentKind,
    /// The service it concerns; `None` for the run as a whole (or breakers and budgets
    /// that guard every service).
    pub service: Option<String>,
    /// What a marker says: "retry wave: 20.6× capacity".
    pub label: String,
}

/// Crashes of a primary given moments at most (random crashes can make hundreds).
pub const MAX_CRASHES: usize = 8;

/// A run is declared collapsed this long after its last disturbance ends at the earliest
/// (or the disturbance's own length, if longer), when it is still failing then.
pub const COLLAPSE_AFTER: Micros = 5_000_000;

/// The notable moments of `rec`, in time order.
///
/// ```
/// use herdsim::charts::moments::{moments, MomentKind};
/// use herdsim::sim::{scenario::presets, Sim};
/// let mut c = presets::config("herd-no-jitter").unwrap();
/// c.clients.count = 500;
/// let mut sim = Sim::new(&c.validate().unwrap(), 1);
/// sim.run();
/// let m = moments(&sim.record());
/// let wave = m.iter().find(|m| m.kind == MomentKind::RetryWave).unwrap();
/// assert!(wave.at_ms >= 10_000.0); // after the 10 s outage
/// ```
pub fn moments(rec: &RunRecord) -> Vec<Moment> {
    let mut out = Vec::new();
    let sc = &rec.scenario;
    let windows = rec.disturbances();
    let last_end = windows.iter().map(|w| w.1).max();
    let ms = |t: Micros| t as f64 / 1000.0;
    // retry waves: runs of buckets with arrivals above WAVE × capacity after the last
    // disturbance, each marked where it starts and labelled with its peak
    if let (Some(end), Some(cap)) = (last_end, sc.total_capacity_per_s()) {
        let s = &rec.series;
        let w = s.width_s();
        let mut waves: Vec<(Micros, f64)> = Vec::new(); // start, peak rate
                                                        // the wave being followed (an index into `waves`), if any
        let mut current: Option<usize> = None;
        for (i, b) in s.buckets.iter().enumerate() {
            let start = i as Micros * s.width;
            let rate = (b.first_attempts + b.retries) as f64 / w;
            if start < end || rate <= WAVE * cap {
                current = None;
            } else if let Some(k) = current {
                waves[k].1 = waves[k].1.max(rate);
            } else if waves.len() < MAX_WAVES {
                waves.push((start, rate));
                current = Some(waves.len() - 1);
            }
        }
        out.extend(waves.into_iter().map(|(start, peak)| Moment {
            at_ms: ms(start),
            kind: MomentKind::RetryWave,
            service: None,
            label: format!("retry wave: {}× capacity", sig3(peak / cap)),
        }));
    }
    // breakers and budgets, per service where they are the service's own
    let names: Vec<&str> = sc.services().iter().map(|s| s.name.as_str()).collect();
    let many = names.len() > 1;
    let own = rec
        .services
        .iter()
        .any(|s| s.buckets.iter().any(|b| b.breakers_opened > 0));
    let groups: Vec<(Option<&str>, &Series)> = if own {
        names.iter().map(|n| Some(*n)).zip(&rec.services).collect()
    } else {
        vec![(None, &rec.series)]
    };
    for (name, s) in groups {
        let who = |what: &str| match name {
            Some(n) if many => format!("{n} {what}"),
            _ => what.to_string(),
        };
        let opened: u64 = s.buckets.iter().map(|b| b.breakers_opened).sum();
        let Some(first) = s.buckets.iter().position(|b| b.breakers_opened > 0) else {
            continue;
        };
        let times = if opened == 1 {
            String::new()
        } else {
            format!(" ({} times in all)", count(opened))
        };
        out.push(Moment {
            at_ms: ms(first as Micros * s.width),
            kind: MomentKind::BreakerOpened,
            service: name.map(str::to_string),
            label: who(&format!("breaker opened{times}")),
        });
        // closed again: the first bucket after the opening with none open or half-open
        let closed = (s.buckets.iter().enumerate().skip(first + 1))
            .find(|(_, b)| b.open_area == 0 && b.half_open_area == 0 && b.breakers_opened == 0);
        if let Some((i, _)) = closed {
            out.push(Moment {
                at_ms: ms(i as Micros * s.width),
                kind: MomentKind::BreakerClosed,
                service: name.map(str::to_string),
                label: who("breakers closed again"),
            });
        }
    }
    for (name, s) in names.iter().zip(&rec.services) {
        if let Some(i) = s.buckets.iter().position(|b| b.budget_denied > 0) {
            out.push(Moment {
                at_ms: ms(i as Micros * s.width),
                kind: MomentKind::BudgetEmpty,
                service: Some(name.to_string()),
                label: if many {
                    format!("{name} retry budget ran dry")
                } else {
                    "retry budget ran dry".into()
                },
            });
        }
    }
    // recovered, or collapsed
    if let Some(end) = last_end {
        match rec.summary.time_to_recover_ms {
            Some(ttr) => out.push(Moment {
                at_ms: ms(end) + ttr,
                kind: MomentKind::Recovered,
                service: None,
                label: if ttr == 0.0 {
                    "recovered at once".into()
                } else {
                    format!("recovered {} after the fault", duration_ms(ttr))
                },
            }),
            None => {
                let first = windows.iter().map(|w| w.0).min().unwrap_or(end);
                let after = end + COLLAPSE_AFTER.max(end - first);
                let s = &rec.series;
                // failing: most attempts fail, or none ends while requests wait (a hang)
                let failing = (s.buckets.iter().enumerate())
                    .skip(after.div_ceil(s.width.max(1)) as usize)
                    .find(|(_, b)| match b.outcomes() {
                        0 => b.in_flight_area > 0,
                        n => 2 * b.success < n,
                    });
                if let Some((i, _)) = failing {
                    let at = i as Micros * s.width;
                    out.push(Moment {
                        at_ms: ms(at),
                        kind: MomentKind::Collapsed,
                        service: None,
                        label: format!(
                            "collapsed: still down {} after the fault",
                            duration_ms(ms(at - end))
                        ),
                    });
                }
            }
        }
    }
    out.extend(failover(rec));
    out.sort_by(in_time);
    out
}

/// The crash, detection, new primary and first write of each of the first [`MAX_CRASHES`]
/// crashes of a primary.
fn failover(rec: &RunRecord) -> Vec<Moment> {
    let names: Vec<&str> = rec
        .scenario
        .services()
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let many = names.len() > 1;
    let mut out = Vec::new();
    for (name, incidents) in names.iter().zip(&rec.incidents) {
        let who = |what: String| if many { format!("{name} {what}") } else { what };
        for o in incidents.iter().take(MAX_CRASHES) {
            let mut at = |t: Micros, kind, label: String| {
                out.push(Moment {
                    at_ms: t as f64 / 1000.0,
                    kind,
                    service: Some(name.to_string()),
                    label: who(label),
                })
            };
            let lost = match o.lost_writes {
                0 => "no write lost".to_string(),
                n => format!(
                    "{} writes lost, RPO {}",
                    count(n),
                    duration_ms(o.rpo() as f64 / 1000.0)
                ),
            };
            at(
                o.crash,
                MomentKind::Crash,
                format!("primary crashed: {lost}"),
            );
            if let Some(t) = o.detected {
                at(t, MomentKind::CrashDetected, "crash detected".into());
            }
            if let Some(t) = o.back {
                let how = match o.recovery {
                    Recovery::Promoted => format!("replica {} promoted", o.primary),
                    Recovery::Restarted => "primary restarted".into(),
                    Recovery::Restored => "restored from backup".into(),
                    Recovery::NotYet => "not back".into(),
                };
                at(t, MomentKind::PrimaryBack, how);
            }
            if let (Some(t), Some(rto)) = (o.first_write, o.rto()) {
                let rto = duration_ms(rto as f64 / 1000.0);
                at(t, MomentKind::FirstWrite, format!("first write: RTO {rto}"));
            }
        }
    }
    out
}

/// Moments in time order (one comparison for every sort of moments: one sort in the .wasm).
pub fn in_time(a: &Moment, b: &Moment) -> std::cmp::Ordering {
    a.at_ms.total_cmp(&b.at_ms)
}
