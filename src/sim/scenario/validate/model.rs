//! Validation of the model: clients, services (one, or several with a route) and faults.

use super::{fmt_num, Bound, Check, MAX_CLIENTS, MAX_DURATION_MS};
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
        c.ok(
            "clients.count",
            k.count,
            (1..=MAX_CLIENTS).contains(&k.count),
            format!("1..={MAX_CLIENTS}"),
        );
        let arrival = match &k.arrival {
            ArrivalConfig::Poisson { rate_per_s } => Arrival::Poisson(c.num(
                "clients.arrival.rate_per_s",
                *rate_per_s,
                Bound::Above(0.0),
                10_000.0,
            )),
            ArrivalConfig::Interval { every_ms } => Arrival::Interval(c.ms(
                "clients.arrival.every_ms",
                *every_ms,
                Bound::AtLeast(0.001),
                MAX_DURATION_MS,
            )),
            ArrivalConfig::Burst { at_ms } => Arrival::Burst(c.ms(
                "clients.arrival.at_ms",
                *at_ms,
                Bound::AtLeast(0.0),
                MAX_DURATION_MS,
            )),
            ArrivalConfig::ClosedLoop { think } => {
                Arrival::ClosedLoop(c.dist("clients.arrival.think", think))
            }
        };
        let start_spread = c.ms(
            "clients.start_spread_ms",
            k.start_spread_ms,
            Bound::AtLeast(0.0),
            MAX_DURATION_MS,
        );
        let mut load = Vec::new();
        for (i, w) in k.load.iter().enumerate() {
            let p = format!("clients.load.{i}");
            let (start, end) = c.window(&p, w.start_ms, w.end_ms);
            let multiplier = c.num(
                &format!("{p}.multiplier"),
                w.multiplier,
                Bound::AtLeast(0.0),
                1000.0,
            );
            load.push(LoadWindow {
                start,
                end,
                multiplier,
            });
        }
        load.sort_by_key(|w| w.start);
        for (i, pair) in load.windows(2).enumerate() {
            if pair[1].start < pair[0].end {
                let v = fmt_num(pair[1].start as f64 / 1000.0);
                c.ok(
                    &format!("clients.load.{}.start_ms", i + 1),
                    v,
                    false,
                    "load windows that do not overlap",
                );
            }
        }
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
        c.ok(
            "services",
            self.services.len(),
            self.services.len() <= MAX_SERVICES,
            format!("1..={MAX_SERVICES} services"),
        );
        if self.workload == WorkloadConfig::Occ && self.services.len() > 1 {
            c.ok(
                "services",
                self.services.len(),
                false,
                "one service with the occ workload",
            );
        }
        let mut out = Vec::new();
        for (i, e) in self.services.iter().enumerate() {
            let p = format!("services.{i}");
            let ok_name = !e.name.is_empty()
                && e.name.len() <= 32
                && e.name
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
            c.ok(
                &format!("{p}.name"),
                format!("{:?}", e.name),
                ok_name,
                "1 to 32 letters, digits, - or _",
            );
            if self.services[..i].iter().any(|o| o.name == e.name) {
                c.ok(
                    &format!("{p}.name"),
                    format!("{:?}", e.name),
                    false,
                    "a name no other service has",
                );
            }
            c.num(&format!("{p}.weight"), e.weight, Bound::AtLeast(0.0), 1e6);
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
            c.ok(
                &format!("{p}.workers"),
                w,
                (1..=1_000_000).contains(&w),
                "1..=1000000, or null for unlimited",
            );
        }
        if let Some(q) = s.queue_capacity {
            c.ok(
                &format!("{p}.queue_capacity"),
                q,
                q <= 10_000_000,
                "0..=10000000, or null for unbounded",
            );
        }
        Service {
            name: name.to_string(),
            workers: s.workers,
            queue_capacity: s.queue_capacity,
            discipline: s.queue,
            service_time: c.dist(&format!("{p}.service_time"), &s.service_time),
            load_factor: c.num(
                &format!("{p}.load_factor"),
                s.load_factor,
                Bound::AtLeast(0.0),
                100.0,
            ),
            network: c.dist(&format!("{p}.network_delay"), &s.network_delay),
            abandoned: s.abandoned,
            faults: self.faults_typed(c, &faults_path(p), s, faults),
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
            let (start, end) = c.window(&p, start_ms, end_ms);
            let kind = match *f {
                FaultConfig::Down { .. } => FaultKind::Down,
                FaultConfig::Blackhole { .. } => FaultKind::Blackhole,
                FaultConfig::ErrorRate { rate, .. } => FaultKind::ErrorRate(c.num(
                    &format!("{p}.rate"),
                    rate,
                    Bound::AtLeast(0.0),
                    1.0,
                )),
                FaultConfig::Slow { multiplier, .. } => FaultKind::Slow(c.num(
                    &format!("{p}.multiplier"),
                    multiplier,
                    Bound::AtLeast(0.01),
                    1000.0,
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
                    FaultKind::Capacity(c.num(&format!("{p}.lost"), lost, Bound::AtLeast(0.0), 1.0))
                }
            };
            out.push(Fault { start, end, kind });
        }
        out.sort_by_key(|f| f.start);
        out
    }
}
