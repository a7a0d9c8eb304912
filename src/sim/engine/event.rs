//! The engine's events.

use crate::sim::output::outcome::Outcome;

/// Events. Owners carry a generation number so that stale events (a timeout for an
/// attempt that already got its answer, say) are recognised and skipped.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    /// A client starts a new logical request.
    Start { client: u32 },
    /// A request sends its next attempt (after backoff).
    Send { req: u32, gen: u32 },
    /// An attempt reaches service `svc`.
    Arrive {
        req: u32,
        gen: u32,
        retry: bool,
        svc: u8,
    },
    /// A worker of service `svc` finishes the attempt in slot `slot`.
    Done { svc: u8, slot: u32 },
    /// The service's answer reaches the client.
    Reply {
        req: u32,
        gen: u32,
        outcome: Outcome,
    },
    /// The request's deadline ends the attempt (when it comes before the attempt's timeout).
    Deadline { req: u32, gen: u32 },
    /// A capacity fault of service `svc` starts or ends: re-check its queue.
    Capacity { svc: u8 },
    /// The primary of replicated service `svc` crashes.
    Crash { svc: u8 },
    /// Breaker `idx`'s open time (of generation `gen`) is over.
    BreakerTimer { idx: u32, gen: u32 },
    /// OCC: the read reaches the row.
    OccRead { req: u32 },
    /// OCC: the read's answer (the version) reaches the client.
    OccReadReply { req: u32, version: u32 },
    /// OCC: the conditional write reaches the row.
    OccWrite { req: u32, version: u32 },
}
