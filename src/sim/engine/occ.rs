//! The optimistic-concurrency workload of the AWS Architecture blog post "Exponential
//! Backoff And Jitter" (Marc Brooker, 2015).
//!
//! One row carries a version. Each client updates it once: it sends a read, gets the current
//! version back, sends a write carrying that version, and gets success or failure back.
//! Every message takes one network delay; the row is read or written at the instant a
//! request arrives, and a write fails if the version changed since the read. On failure the
//! client's attempt counter `n` increases and its next read goes out after `backoff(n)`.
//! An attempt is one write (reads are not counted), so `attempts` is the blog's "calls".
//! Timeouts do not apply: every message arrives.

use super::event::Event;
use super::Sim;
use crate::sim::output::outcome::Outcome;

impl Sim {
    /// The client sends a read for its next attempt.
    pub(super) fn occ_send_read(&mut self, req: u32) {
        let client = self.reqs[req as usize].client;
        let d = self.sc.services()[0]
            .network
            .sample(&mut self.clients[client as usize]);
        self.queue.push(self.now + d, Event::OccRead { req });
    }

    /// The read reaches the row: answer with the current version.
    pub(super) fn occ_read(&mut self, req: u32) {
        let d = self.sc.services()[0].network.sample(self.svcs[0].rng());
        let version = self.row_version;
        self.queue
            .push(self.now + d, Event::OccReadReply { req, version });
    }

    /// The version reaches the client: send the conditional write (one attempt).
    pub(super) fn occ_read_reply(&mut self, req: u32, version: u32) {
        let r = &mut self.reqs[req as usize];
        r.attempts += 1;
        r.sent = self.now;
        let client = r.client;
        self.totals.attempts += 1;
        let d = self.sc.services()[0]
            .network
            .sample(&mut self.clients[client as usize]);
        self.queue
            .push(self.now + d, Event::OccWrite { req, version });
    }

    /// The write reaches the row: it wins if nobody wrote since its read.
    pub(super) fn occ_write(&mut self, req: u32, version: u32) {
        let r = self.reqs[req as usize];
        let b = self.svcs[0].series.at(self.now);
        if r.attempts > 1 {
            b.retries += 1;
        } else {
            b.first_attempts += 1;
        }
        let ok = version == self.row_version;
        if ok {
            self.row_version = self.row_version.wrapping_add(1);
        }
        let d = self.sc.services()[0].network.sample(self.svcs[0].rng());
        let outcome = if ok { Outcome::Success } else { Outcome::Error };
        self.queue.push(
            self.now + d,
            Event::Reply {
                req,
                gen: r.gen,
                outcome,
            },
        );
    }
}
