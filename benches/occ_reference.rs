//! The reference for a run's cost (issue 12 §4): the `aws-occ-full` experiment written
//! for that one purpose — a `std` binary heap, one random stream, no metrics — to time
//! herdsim's run of the same preset against.
//!
//! It does the work the preset asks for, by the same rules as herdsim's OCC workload
//! (`src/sim/engine/occ.rs`): every client starts at 0 and updates one row once: a read,
//! the version back, a write carrying it, success or failure back; each message takes
//! `|N(10 ms, 2 ms)|`, rounded to whole µs; a failed write is retried, without a limit,
//! after a full-jittered capped exponential sleep `U(0, min(2 s, 10 ms · 2^(n−1)))`
//! (a sleep of 0 sends the read at once). Events are counted as herdsim counts them (a
//! client's start is one), so the two event counts compare; they are not equal, since
//! the draws come from one stream here and from a stream per client and per service there.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use herdsim::sim::random::rng::{Entity, Rng};

const MEAN_US: f64 = 10_000.0;
const SD_US: f64 = 2_000.0;
const BASE_US: u64 = 10_000;
const CAP_US: u64 = 2_000_000;

/// What happens to client `.0` (a client has one request, so it names it).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Start(u32),
    /// The read reaches the row.
    Read(u32),
    /// The version reaches the client.
    ReadReply(u32, u32),
    /// The write, with the version it read, reaches the row.
    Write(u32, u32),
    /// The answer (won or not) reaches the client.
    Reply(u32, bool),
    /// The backoff is over: send the next read.
    Send(u32),
}

/// What a run did: events handled and attempts (writes) sent.
pub struct Run {
    pub events: u64,
    pub attempts: u64,
}

struct Queue {
    heap: BinaryHeap<Reverse<(u64, u64, Ev)>>,
    seq: u64,
}

impl Queue {
    fn push(&mut self, t: u64, ev: Ev) {
        self.heap.push(Reverse((t, self.seq, ev)));
        self.seq += 1;
    }
}

/// One message's delay: `|N(10 ms, 2 ms)|` in whole µs.
fn net(rng: &mut Rng) -> u64 {
    ((MEAN_US + SD_US * rng.std_normal()).abs() + 0.5) as u64
}

/// The sleep before retry `n` (n ≥ 1): full jitter over the capped exponential.
fn backoff(n: u32, rng: &mut Rng) -> u64 {
    let d = if n > 20 {
        CAP_US
    } else {
        (BASE_US << (n - 1)).min(CAP_US)
    };
    rng.range_inclusive(0, d)
}

/// `clients` clients racing for one row, drawn from `seed`'s one stream.
pub fn run(clients: u32, seed: u64) -> Run {
    let mut rng = Rng::stream(seed, Entity::Client(0));
    let mut q = Queue {
        heap: BinaryHeap::new(),
        seq: 0,
    };
    // attempts (writes sent) per client
    let mut attempts = vec![0u32; clients as usize];
    let mut row = 0u32;
    let (mut events, mut attempts_sent) = (0u64, 0u64);
    for c in 0..clients {
        q.push(0, Ev::Start(c));
    }
    while let Some(Reverse((now, _, ev))) = q.heap.pop() {
        events += 1;
        match ev {
            Ev::Start(c) | Ev::Send(c) => q.push(now + net(&mut rng), Ev::Read(c)),
            Ev::Read(c) => q.push(now + net(&mut rng), Ev::ReadReply(c, row)),
            Ev::ReadReply(c, v) => {
                attempts[c as usize] += 1;
                attempts_sent += 1;
                q.push(now + net(&mut rng), Ev::Write(c, v));
            }
            Ev::Write(c, v) => {
                let won = v == row;
                if won {
                    row = row.wrapping_add(1);
                }
                q.push(now + net(&mut rng), Ev::Reply(c, won));
            }
            Ev::Reply(_, true) => {}
            Ev::Reply(c, false) => match backoff(attempts[c as usize], &mut rng) {
                0 => q.push(now + net(&mut rng), Ev::Read(c)),
                d => q.push(now + d, Ev::Send(c)),
            },
        }
    }
    Run {
        events,
        attempts: attempts_sent,
    }
}
