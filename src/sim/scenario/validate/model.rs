//! Validation of the model: clients, services (one, or several with a route) and faults.

use std::collections::HashSet;

use super::{fmt_num, Check};
use crate::sim::scenario::bounds as b;
use crate::sim::scenario::config::*;
use crate::sim::scenario::*;

/// Where the faults of the service at path `p` live: `faults` for the single `service`,
/// `services.N.faults` for an entry of `services`.
fn faults_path(p: &str) -> String {
    match p.strip_suffix(".service") {
        Some(entry) => format!("{entry}.faults"),
        None => "faults".into(),
    }
}

impl ScenarioConfig {
    pub(super) fn clients_typed(&self, c: &mut Check) -> Clients {
        let k = &self.clients;
        c.whole("clients.count", &b::CLIENTS, k.count);
        let arrival = match &k.arrival {
            ArrivalConfig::Poisson { rate_per_s } => {
                Arrival::Poisson(c.num("clients.arrival.rate_per_s", &b::RATE_PER_S, *rate_per_s))
            }
            ArrivalConfig::Interval { every_ms } => {
                Arrival::Interval(c.ms("clients.arrival.every_ms", &b::EVERY, *every_ms))
            }
            ArrivalConfig::Burst { at_ms } => {
                Arrival::Burst(c.ms("clients.arrival.at_ms", &b::AT, *at_ms))
            }
            ArrivalConfig::ClosedLoop { think } => {
                Arrival::ClosedLoop(c.dist("clients.arrival.think", think))
            }
        };
        let start_spread = c.ms(
            "clients.start_spread_ms",
            &b::START_SPREAD,
            k.start_spread_ms,
        );
        // each window with its index in the user's list, which messages name
        let mut load = Vec::new();
        for (i, w) in k.load.iter().enumerate() {
            let p = format!("clients.load.{i}");
            let (start, end) = c.window(&p, (&b::LOAD_START, &b::LOAD_END), w.start_ms, w.end_ms);
            let multiplier = c.num(
                &format!("{p}.multiplier"),
                &b::LOAD_MULTIPLIER,
                w.multiplier,
            );
            let window = LoadWindow {
                start,
                end,
                multiplier,
            };
            load.push((i, window));
        }
        load.sort_by_key(|(_, w)| w.start);
        for pair in load.windows(2) {
            let ((j, before), (i, w)) = (&pair[0], &pair[1]);
            if w.start < before.end {
                c.ok(
                    &format!("clients.load.{i}.start_ms"),
                    fmt_num(w.start as f64 / 1000.0),
                    false,
                    format!(
                        "load windows that do not overlap (this one starts before clients.load.{j} ends, at {} ms)",
                        fmt_num(before.end as f64 / 1000.0)
                    ),
                );
            }
        }
        let load = load.into_iter().map(|(_, w)| w).collect();
        Clients {
            count: k.count,
            arrival,
            start_spread,
            load,
        }
    }

    /// The services and the route: `service` + `faults`, or the `services` list.
    pub(super) fn services_typed(&self, c: &mut Check) -> (Vec<Service>, Route) {
        if self.services.is_empty() {
            let s = self.service_typed(c, "service", "service", &self.service, &self.faults);
            return (vec![s], Route::Weighted(vec![1.0]));
        }
        if self.service != ServiceConfig::default() || !self.faults.is_empty() {
            c.ok(
                "service",
                "(given)",
                false,
                "left out when services is given (put each service's model and faults in its services entry)",
            );
        }
        if self.workload == WorkloadConfig::Occ && self.services.len() > 1 {
            c.ok(
                "services",
                self.services.len(),
                false,
                "one service with the occ workload",
            );
        }
        let mut out = Vec::new();
        let mut names = HashSet::new();
        for (i, e) in self.services.iter().enumerate() {
            let p = format!("services.{i}");
            let ok_name = !e.name.is_empty()
                && e.name.len() <= 32
                && e.name
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
            c.ok(
                &format!("{p}.name"),
                format!("{:?}", b::shorten(&e.name)),
                ok_name,
                "1 to 32 letters, digits, - or _",
            );
            if !names.insert(e.name.as_str()) {
                c.ok(
                    &format!("{p}.name"),
                    format!("{:?}", b::shorten(&e.name)),
                    false,
                    "a name no other service has",
                );
            }
            c.num(&format!("{p}.weight"), &b::WEIGHT, e.weight);
            out.push(self.service_typed(
                c,
                &format!("{p}.service"),
                &e.name,
                &e.service,
                &e.faults,
            ));
        }
        let route = match self.route {
            RouteConfig::Sequence => Route::Sequence,
            RouteConfig::Weighted => {
                let total: f64 = self.services.iter().map(|e| e.weight.max(0.0)).sum();
                if !(total > 0.0 && total.is_finite()) {
                    c.ok(
                        "services.0.weight",
                        "0",
                        false,
                        "weights that are not all 0",
                    );
                }
                let mut acc = 0.0;
                let cumulative = self
                    .services
                    .iter()
                    .map(|e| {
                        acc += e.weight.max(0.0) / total.max(f64::MIN_POSITIVE);
                        acc
                    })
                    .collect();
                Route::Weighted(cumulative)
            }
        };
        (out, route)
    }

    fn service_typed(
        &self,
        c: &mut Check,
        p: &str,
        name: &str,
        s: &ServiceConfig,
        faults: &[FaultConfig],
    ) -> Service {
        if let Some(w) = s.workers {
            c.whole(&format!("{p}.workers"), &b::WORKERS, w);
        }
        if let Some(q) = s.queue_capacity {
            c.whole(&format!("{p}.queue_capacity"), &b::QUEUE_CAPACITY, q);
        }
        Service {
            name: name.to_string(),
            workers: s.workers,
            queue_capacity: s.queue_capacity,
            discipline: s.queue,
            service_time: c.dist(&format!("{p}.service_time"), &s.service_time),
            load_factor: c.num(&format!("{p}.load_factor"), &b::LOAD_FACTOR, s.load_factor),
            network: c.dist(&format!("{p}.network_delay"), &s.network_delay),
            abandoned: s.abandoned,
            faults: self.faults_typed(c, &faults_path(p), s, faults),
            replication: s.replication.as_ref().map(|r| c.replication(p, r)),
        }
    }

    fn faults_typed(
        &self,
        c: &mut Check,
        list: &str,
        svc: &ServiceConfig,
        faults: &[FaultConfig],
    ) -> Vec<Fault> {
        let mut out = Vec::new();
        for (i, f) in faults.iter().enumerate() {
            let p = format!("{list}.{i}");
            let (start_ms, end_ms) = f.window();
            let (start, end) = c.window(&p, (&b::FAULT_START, &b::FAULT_END), start_ms, end_ms);
            let kind = match *f {
                FaultConfig::Down { .. } => FaultKind::Down,
                FaultConfig::Blackhole { .. } => FaultKind::Blackhole,
                FaultConfig::ErrorRate { rate, .. } => {
                    FaultKind::ErrorRate(c.num(&format!("{p}.rate"), &b::FAULT_RATE, rate))
                }
                FaultConfig::Slow { multiplier, .. } => FaultKind::Slow(c.num(
                    &format!("{p}.multiplier"),
                    &b::FAULT_MULTIPLIER,
                    multiplier,
                )),
                FaultConfig::Capacity { lost, .. } => {
                    if svc.workers.is_none() {
                        c.ok(
                            &format!("{p}.type"),
                            "capacity",
                            false,
                            "only when service.workers is a number",
                        );
                    }
                    FaultKind::Capacity(c.num(&format!("{p}.lost"), &b::FAULT_LOST, lost))
                }
                FaultConfig::Crash { node, .. } => {
                    let replicas = svc.replication.as_ref().map(|r| r.replicas);
                    let (ok, allowed) = match node {
                        CrashNode::Primary => (replicas.is_some(), "only on a service with replication (service.replication)"),
                        CrashNode::Replica => (replicas.is_some_and(|n| n >= 1), "replica only on a service with replicas (service.replication.replicas at least 1)"),
                    };
                    c.ok(&format!("{p}.type"), "crash", ok, allowed);
                    FaultKind::Crash(node)
                }
            };
            out.push(Fault { start, end, kind });
        }
        out.sort_by_key(|f| f.start);
        out
    }
}
