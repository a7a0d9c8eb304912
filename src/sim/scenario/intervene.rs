//! Live interventions: the presenter's levers ("take payments down now"), each an edit of
//! the scenario at a time, so an intervention is a fault window like any other — in the
//! fault list, the share link and the exports — and the run with it is the run of that
//! scenario (same seed: identical up to the intervention, which only acts from then on).
//!
//! Every lever toggles: pulled while its fault is not on at that time, it opens a window
//! from then to the end of the run; pulled while one is on (the scenario's own or an
//! earlier pull), it ends that window then ("bring it back").
//!
//! ```
//! use herdsim::sim::scenario::{intervene::{toggle, Lever}, presets};
//! let cfg = presets::config("retry-storm").unwrap();
//! let down = toggle(&cfg, Lever::Down, 30_000.0).unwrap();
//! assert_eq!(down.said, "service down at 30 s");
//! let back = toggle(&down.config, Lever::Down, 40_000.0).unwrap();
//! assert_eq!(back.said, "service back at 40 s");
//! ```

use crate::sim::scenario::config::{FaultConfig, LoadWindowConfig};
use crate::sim::ScenarioConfig;
use crate::units::duration_ms;

/// Load × this while a spike lever is on.
pub const SPIKE_MULTIPLIER: f64 = 2.0;
/// Service time × this while a slow lever is on.
pub const SLOW_MULTIPLIER: f64 = 5.0;

/// A presenter's lever.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lever {
    /// Connection refused (down), or back up.
    Down,
    /// No answers at all (black hole), or answering again.
    Blackhole,
    /// The clients' load × [`SPIKE_MULTIPLIER`], or back to normal.
    Spike,
    /// Service time × [`SLOW_MULTIPLIER`], or back to normal.
    Slow,
}

impl Lever {
    /// Every lever, in key order (digit 1 is the first).
    pub const ALL: [Lever; 4] = [Lever::Down, Lever::Blackhole, Lever::Spike, Lever::Slow];

    /// Its code in links (`down`, `blackhole`, `spike`, `slow`).
    pub fn code(self) -> &'static str {
        match self {
            Lever::Down => "down",
            Lever::Blackhole => "blackhole",
            Lever::Spike => "spike",
            Lever::Slow => "slow",
        }
    }

    /// The lever of a link's code.
    pub fn from_code(code: &str) -> Option<Lever> {
        Lever::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Its digit key, `1` to `4`.
    pub fn digit(self) -> u8 {
        Lever::ALL.iter().position(|l| *l == self).unwrap_or(0) as u8 + 1
    }

    /// The lever of digit key `d`.
    pub fn of_digit(d: u8) -> Option<Lever> {
        d.checked_sub(1)
            .and_then(|i| Lever::ALL.get(usize::from(i)).copied())
    }

    /// What its button says, for the service `service`.
    pub fn about(self, service: &str) -> String {
        match self {
            Lever::Down => format!("{service} down / back"),
            Lever::Blackhole => format!("{service} black hole / back"),
            Lever::Spike => format!("load ×{SPIKE_MULTIPLIER} / normal"),
            Lever::Slow => format!("{service} slow ×{SLOW_MULTIPLIER} / normal"),
        }
    }
}

/// What a pulled lever made: the edited scenario and what happened, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Pulled {
    /// The scenario with the intervention.
    pub config: ScenarioConfig,
    /// "payments down at 12.5 s", "load back to normal at 20 s".
    pub said: String,
}

/// The service the levers act on: the first with a fault window (what the scenario is
/// about), else the first. Its index in `services` (`None`: the one top-level service) and
/// its name.
pub fn target(cfg: &ScenarioConfig) -> (Option<usize>, String) {
    if cfg.services.is_empty() {
        return (None, "service".into());
    }
    let i = cfg
        .services
        .iter()
        .position(|s| !s.faults.is_empty())
        .unwrap_or(0);
    (Some(i), cfg.services[i].name.clone())
}

/// Whether `f` is the fault a lever pulls.
fn is_lever(f: &FaultConfig, lever: Lever) -> bool {
    matches!(
        (lever, f),
        (Lever::Down, FaultConfig::Down { .. })
            | (Lever::Blackhole, FaultConfig::Blackhole { .. })
            | (Lever::Slow, FaultConfig::Slow { .. })
    )
}

/// Toggle a window in `windows` at `at`: end the one that is on then (remove it if it
/// starts then), or add `[at, end)` made by `new`. Whether it was turned on.
fn flip<T>(
    windows: &mut Vec<T>,
    at: f64,
    on: impl Fn(&T) -> bool,
    span: impl Fn(&mut T) -> (&mut f64, &mut f64),
    new: T,
) -> bool {
    let covering = windows.iter_mut().position(|w| {
        let on = on(w);
        let (s, e) = span(w);
        on && *s <= at && at < *e
    });
    match covering {
        Some(i) => {
            let (s, e) = span(&mut windows[i]);
            if *s >= at {
                windows.remove(i);
            } else {
                *e = at;
            }
            false
        }
        None => {
            windows.push(new);
            true
        }
    }
}

/// Pull `lever` at `at_ms` of simulated time (whole milliseconds, within the run): the
/// scenario with the fault window opened or ended there, and what happened. Refused, with
/// a message, when the edited scenario does not validate (too many windows, say).
pub fn toggle(cfg: &ScenarioConfig, lever: Lever, at_ms: f64) -> Result<Pulled, String> {
    let end = cfg.duration_ms;
    if !at_ms.is_finite() || !end.is_finite() || end <= 0.0 {
        return Err("an intervention needs a time within the run".into());
    }
    let at = at_ms.round().clamp(0.0, (end - 1.0).max(0.0));
    let mut next = cfg.clone();
    let (index, name) = target(cfg);
    let when = duration_ms(at);
    let said = if lever == Lever::Spike {
        let on = flip(
            &mut next.clients.load,
            at,
            |w| w.multiplier != 1.0,
            |w| (&mut w.start_ms, &mut w.end_ms),
            LoadWindowConfig {
                start_ms: at,
                end_ms: end,
                multiplier: SPIKE_MULTIPLIER,
            },
        );
        if on {
            format!("load ×{SPIKE_MULTIPLIER} at {when}")
        } else {
            format!("load back to normal at {when}")
        }
    } else {
        let faults = match index {
            Some(i) => &mut next.services[i].faults,
            None => &mut next.faults,
        };
        let new = match lever {
            Lever::Down => FaultConfig::Down {
                start_ms: at,
                end_ms: end,
            },
            Lever::Blackhole => FaultConfig::Blackhole {
                start_ms: at,
                end_ms: end,
            },
            _ => FaultConfig::Slow {
                start_ms: at,
                end_ms: end,
                multiplier: SLOW_MULTIPLIER,
            },
        };
        let on = flip(
            faults,
            at,
            |f| is_lever(f, lever),
            FaultConfig::window_mut,
            new,
        );
        match (lever, on) {
            (Lever::Down, true) => format!("{name} down at {when}"),
            (Lever::Blackhole, true) => format!("{name} black-holed at {when}"),
            (Lever::Slow | Lever::Spike, true) => {
                format!("{name} slow ×{SLOW_MULTIPLIER} at {when}")
            }
            (Lever::Slow, false) => format!("{name} at normal speed at {when}"),
            (_, false) => format!("{name} back at {when}"),
        }
    };
    next.validate()
        .map_err(|e| format!("the intervention “{said}” cannot be made: {e}"))?;
    Ok(Pulled { config: next, said })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets;

    #[test]
    fn a_lever_opens_a_window_to_the_end_and_closes_it_again() {
        let cfg = presets::config("retry-storm").unwrap();
        let before = cfg.faults.len();
        let on = toggle(&cfg, Lever::Blackhole, 30_000.4).unwrap();
        assert_eq!(on.config.faults.len(), before + 1);
        assert_eq!(
            on.config.faults.last(),
            Some(&FaultConfig::Blackhole {
                start_ms: 30_000.0,
                end_ms: cfg.duration_ms
            })
        );
        let off = toggle(&on.config, Lever::Blackhole, 35_000.0).unwrap();
        assert_eq!(
            off.config.faults.last().map(|f| f.window()),
            Some((30_000.0, 35_000.0))
        );
        // pulled again at the very time it opened, it is gone
        let gone = toggle(&on.config, Lever::Blackhole, 30_000.0).unwrap();
        assert_eq!(gone.config, cfg);
    }

    #[test]
    fn bringing_back_ends_the_scenarios_own_outage() {
        let cfg = presets::config("herd-no-jitter").unwrap();
        let (s, e) = cfg.faults[0].window();
        assert!(matches!(cfg.faults[0], FaultConfig::Down { .. }));
        let back = toggle(&cfg, Lever::Down, (s + e) / 2.0).unwrap();
        assert_eq!(back.config.faults[0].window(), (s, (s + e) / 2.0));
        assert!(back.said.contains("back"), "{}", back.said);
    }

    #[test]
    fn spikes_act_on_the_load_and_several_services_on_the_faulty_one() {
        let cfg = presets::config("herd-no-jitter").unwrap();
        let spike = toggle(&cfg, Lever::Spike, 20_000.0).unwrap();
        let w = spike.config.clients.load.last().unwrap();
        assert_eq!((w.start_ms, w.multiplier), (20_000.0, SPIKE_MULTIPLIER));
        let many = presets::names()
            .filter_map(|n| presets::config(n).ok())
            .find(|c| {
                c.services.len() > 1 && c.services.iter().skip(1).any(|s| !s.faults.is_empty())
            });
        if let Some(cfg) = many {
            let (i, name) = target(&cfg);
            let i = i.unwrap();
            assert!(!cfg.services[i].faults.is_empty());
            let down = toggle(&cfg, Lever::Down, 1_000.0).unwrap();
            assert!(down.said.starts_with(&name), "{}", down.said);
        }
    }

    #[test]
    fn bad_times_and_full_lists_are_refused_with_a_message() {
        let cfg = presets::config("retry-storm").unwrap();
        assert!(toggle(&cfg, Lever::Down, f64::NAN).is_err());
        // beyond the run: pulled at its last millisecond
        let late = toggle(&cfg, Lever::Down, 1e12).unwrap();
        assert_eq!(
            late.config.faults.last().map(|f| f.window().0),
            Some(cfg.duration_ms - 1.0)
        );
        let mut full = cfg.clone();
        full.clients.load = (0..crate::sim::scenario::bounds::MAX_LOAD_WINDOWS)
            .map(|i| LoadWindowConfig {
                start_ms: i as f64,
                end_ms: i as f64 + 0.5,
                multiplier: 2.0,
            })
            .collect();
        let e = toggle(&full, Lever::Spike, cfg.duration_ms - 5.0).unwrap_err();
        assert!(e.contains("clients.load"), "{e}");
        for d in 1..=4 {
            assert_eq!(Lever::of_digit(d).map(Lever::digit), Some(d));
        }
        assert_eq!(Lever::of_digit(5), None);
        assert_eq!(Lever::from_code("spike"), Some(Lever::Spike));
    }
}
