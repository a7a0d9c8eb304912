//! Many runs side by side (native only): `herdsim run --runs K` and the benchmarks spread
//! seeds over the cores with [`run_seeds`], `herdsim sweep` every run of a sweep with
//! [`sweep`], `herdsim scorecard` the suite's jobs with [`run_plans`]; all hand out jobs
//! with [`run_jobs`].
//!
//! Runs are independent and each is deterministic, so which thread runs which seed does
//! not change any result; only the wall-clock time depends on the machine.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::sim::{Scenario, Sim, Stop};
use crate::suite::{self, Plan, RunFigures, Scorecard};
use crate::sweep::{Job, Sweep, SweepError, Table};

/// How many threads [`run_seeds`] uses for `jobs` runs: one per core the OS gives this
/// process, no more than there are runs, and at least one.
pub fn threads_for(jobs: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs)
        .max(1)
}

/// Most memory all the runs side by side may take (each run is held to its scenario's
/// memory budget): 2 GiB.
pub const MAX_TOTAL_MEMORY: usize = 2 << 30;

/// How many runs with memory budget `per_run` (bytes) fit in [`MAX_TOTAL_MEMORY`] at once
/// (at least one).
pub fn within_memory(per_run: usize) -> usize {
    (MAX_TOTAL_MEMORY / per_run.max(1)).max(1)
}

/// A fresh engine for `scenario` and each seed, handed to `f` on [`threads_for`] threads;
/// the results in the order of `seeds`.
///
/// Threads take the next seed as they finish one, so runs of uneven length still keep
/// every core busy. A panic in `f` is passed on to the caller.
///
/// ```
/// use herdsim::batch::run_seeds;
/// use herdsim::sim::{scenario::presets, Sim};
///
/// let mut cfg = presets::config("aws-occ-full").unwrap();
/// cfg.clients.count = 20;
/// let scenario = cfg.validate().unwrap();
/// let seeds = [7, 3, 5];
/// let summaries = run_seeds(&scenario, &seeds, Sim::run_to_summary);
/// // in the order of `seeds`, each as if run on its own
/// assert_eq!(summaries.len(), 3);
/// assert_eq!(summaries[1], Sim::new(&scenario, 3).run_to_summary());
/// assert_eq!(summaries[1].seed, 3);
///
/// // any figure of a finished run: here the events each seed took
/// let events = run_seeds(&scenario, &seeds, |mut sim| sim.run().events);
/// assert_eq!(events[0], summaries[0].events);
/// ```
pub fn run_seeds<T, F>(scenario: &Scenario, seeds: &[u64], f: F) -> Vec<T>
where
    T: Send,
    F: Fn(Sim) -> T + Sync,
{
    let threads = threads_for(seeds.len()).min(within_memory(scenario.max_memory()));
    run_jobs(seeds, threads, |&seed| f(Sim::new(scenario, seed)))
}

/// `f` of every job on `threads` threads (at least one, no more than there are jobs); the
/// results in the order of `jobs`.
///
/// Threads take the next job as they finish one, so jobs of uneven length still keep every
/// thread busy. A panic in `f` is passed on to the caller.
pub fn run_jobs<J, T, F>(jobs: &[J], threads: usize, f: F) -> Vec<T>
where
    J: Sync,
    T: Send,
    F: Fn(&J) -> T + Sync,
{
    let threads = threads.min(jobs.len()).max(1);
    if threads == 1 {
        return jobs.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(k) else {
                return done;
            };
            done.push((k, f(job)));
        }
    };
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(jobs.len()).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        for w in workers {
            match w.join() {
                Ok(done) => {
                    for (k, t) in done {
                        slots[k] = Some(t);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    // every index was handed out once and every thread came back, so no slot is empty
    slots.into_iter().flatten().collect()
}

/// The scorecards of `plans`, every job of every plan side by side on all cores (within
/// [`MAX_TOTAL_MEMORY`]): the same scorecards as [`Plan::run`] gives each, in the order of
/// `plans`.
pub fn run_plans(plans: &[Plan]) -> Vec<Scorecard> {
    let jobs: Vec<Vec<suite::Job>> = plans.iter().map(Plan::jobs).collect();
    let all: Vec<(&Scenario, u64)> = jobs
        .iter()
        .flatten()
        .map(|j| (j.scenario, j.seed))
        .collect();
    let memory = all.iter().map(|j| j.0.max_memory()).max().unwrap_or(0);
    let threads = threads_for(all.len()).min(within_memory(memory));
    let mut figures = run_jobs(&all, threads, |&(sc, seed)| {
        RunFigures::of(&Sim::new(sc, seed).run_to_summary())
    })
    .into_iter();
    plans
        .iter()
        .zip(&jobs)
        .map(|(plan, jobs)| {
            let mine: Vec<RunFigures> = figures.by_ref().take(jobs.len()).collect();
            // the figures of exactly its jobs, in their order
            plan.scorecard(&mine).expect("figures of the plan's jobs")
        })
        .collect()
}

/// A finished sweep: its table, and the runs that stopped before their end (event or
/// memory budget: their figures are partial) with the reason.
#[derive(Debug)]
pub struct SweepRun {
    /// One row a point.
    pub table: Table,
    /// Runs that stopped early, in job order.
    pub partial: Vec<(Job, &'static str)>,
}

/// Every run of `sweep` as one list of jobs on `threads` threads (`None`: one per core,
/// within [`MAX_TOTAL_MEMORY`]), so the cores stay busy across points; `progress` is told
/// how many runs have finished after each one. The table is the same whatever the
/// threads: each run is deterministic and the figures are taken in job order.
///
/// ```
/// use herdsim::batch::sweep;
/// use herdsim::sim::scenario::presets;
/// use herdsim::sweep::{Metric, Sweep, Vary};
///
/// let mut base = presets::config("retry-storm").unwrap();
/// base.clients.count = 40;
/// base.duration_ms = 2000.0;
/// let axes = vec![Vary::parse("policy.max_attempts=1..3:3").unwrap()];
/// let s = Sweep::new(base, axes, 3, Metric::defaults()).unwrap();
/// let all = sweep(&s, None, |_| {}).unwrap();
/// let one = sweep(&s, Some(1), |_| {}).unwrap();
/// assert_eq!(all.table, one.table);
/// assert_eq!(all.table.points().len(), 3);
/// ```
pub fn sweep(
    sweep: &Sweep,
    threads: Option<usize>,
    progress: impl Fn(usize) + Sync,
) -> Result<SweepRun, SweepError> {
    let scenarios = (0..sweep.points())
        .map(|i| sweep.point_scenario(i))
        .collect::<Result<Vec<Scenario>, _>>()?;
    let jobs: Vec<Job> = sweep.jobs().collect();
    let memory = scenarios
        .iter()
        .map(Scenario::max_memory)
        .max()
        .unwrap_or(0);
    let threads = threads
        .unwrap_or_else(|| threads_for(jobs.len()))
        .min(within_memory(memory));
    let finished = AtomicUsize::new(0);
    let done = run_jobs(&jobs, threads, |job| {
        let s = Sim::new(&scenarios[job.point], job.seed).run_to_summary();
        progress(finished.fetch_add(1, Ordering::Relaxed) + 1);
        (sweep.measure(&s), s.stop.and_then(Stop::partial_reason))
    });
    let partial = (jobs.iter().zip(&done))
        .filter_map(|(job, (_, why))| why.map(|w| (*job, w)))
        .collect();
    let measured: Vec<Vec<Option<f64>>> = done.into_iter().map(|(m, _)| m).collect();
    Ok(SweepRun {
        table: sweep.table(&measured)?,
        partial,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets;

    fn scenario() -> Scenario {
        let mut cfg = presets::config("retry-storm").expect("preset");
        cfg.clients.count = 30;
        cfg.validate().expect("valid")
    }

    #[test]
    fn results_come_back_in_the_order_of_the_seeds() {
        let sc = scenario();
        let seeds: Vec<u64> = (0..40).rev().collect();
        let got = run_seeds(&sc, &seeds, |sim| sim.seed());
        assert_eq!(got, seeds);
        let one_by_one: Vec<_> = seeds
            .iter()
            .map(|&s| Sim::new(&sc, s).run_to_summary())
            .collect();
        assert_eq!(run_seeds(&sc, &seeds, Sim::run_to_summary), one_by_one);
    }

    #[test]
    fn no_seeds_no_runs_and_at_least_one_thread() {
        let sc = scenario();
        assert!(run_seeds(&sc, &[], Sim::run_to_summary).is_empty());
        assert_eq!(threads_for(0), 1);
        assert_eq!(threads_for(1), 1);
        assert!(threads_for(1000) >= 1);
        // runs side by side stay within the total memory
        assert_eq!(within_memory(256 << 20), 8);
        assert_eq!(within_memory(3 << 30), 1);
    }
}
