//! The calendar: the event queue's form while few events are pending (see the parent
//! module's docs).
//!
//! Time is cut into buckets of 2^[`SHIFT`] µs (about 1 ms). The events of the bucket of
//! the next event, the *current* bucket, wait in a vector sorted by (time, insertion
//! number) and are taken from its front; those of the next [`BUCKETS`] − 1 buckets wait
//! in a ring of lists, in no order (one node array for all, and a bit map of the buckets
//! that hold one); an event further ahead when it is pushed waits in a binary heap. When
//! the current bucket runs dry, the next bucket with an event, in the ring or the heap,
//! becomes current: its list and the heap's events of that bucket are gathered and
//! sorted (an event from the heap never goes through the ring). A simulation's events mostly lie a few milliseconds to a
//! second ahead, a few to a bucket, so a push links a node and a pop takes the next
//! element, where one heap of every pending event sifts through all its levels each time
//! (the calendar queue of R. Brown, CACM 1988, with a fixed bucket width).
//!
//! The order is the one heap's: every event of a bucket is earlier than every event of
//! the buckets after it, and the current bucket is sorted by (time, insertion number).

use std::collections::BinaryHeap;

use super::Keyed;
use crate::sim::Micros;

/// A bucket is 2^SHIFT µs wide.
const SHIFT: u32 = 10;
/// Buckets in the ring, the current one's place included: about a second.
const BUCKETS: usize = 1024;
const WORDS: usize = BUCKETS / 64;
/// Taken events at the front of the current bucket before it is compacted.
const COMPACT: usize = 4096;
/// The end of a list.
const NIL: u32 = u32::MAX;

/// The bucket holding a key's time.
#[inline]
fn bucket(key: u128) -> u64 {
    (key >> (64 + SHIFT)) as u64
}

/// An event in a ring bucket's list: its key as two words, so that a node of a 12-byte
/// event packs into 32 bytes.
#[derive(Clone, Copy)]
struct Node<E> {
    time: Micros,
    seq: u64,
    event: E,
    next: u32,
}

pub(super) struct Calendar<E> {
    /// The current bucket's events, sorted; those before `head` are taken.
    current: Vec<Keyed<E>>,
    head: usize,
    /// The current bucket's number (time >> SHIFT). No pending event is in an earlier
    /// bucket (one pushed into an earlier bucket joins this one).
    cur: u64,
    /// The first node of the list of bucket `b` (`cur < b < cur + BUCKETS`) is
    /// `nodes[heads[b % BUCKETS]]`.
    heads: [u32; BUCKETS],
    /// One bit per ring bucket: its list is not empty.
    marks: [u64; WORDS],
    /// The lists' nodes; the unused ones are chained from `free`.
    nodes: Vec<Node<E>>,
    free: u32,
    /// Events in bucket `cur + BUCKETS` or later when they were pushed (so, now, in any
    /// bucket after `cur`).
    far: BinaryHeap<Keyed<E>>,
    len: usize,
}

impl<E> Default for Calendar<E> {
    fn default() -> Self {
        Calendar {
            current: Vec::new(),
            head: 0,
            cur: 0,
            heads: [NIL; BUCKETS],
            marks: [0; WORDS],
            nodes: Vec::new(),
            free: NIL,
            far: BinaryHeap::new(),
            len: 0,
        }
    }
}

impl<E: Copy> Calendar<E> {
    /// Pending events.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Add an event keyed by (time, insertion number), its time not before the last one
    /// popped or moved forward to.
    #[inline(always)]
    pub(super) fn push(&mut self, key: u128, event: E) {
        self.len += 1;
        let b = bucket(key);
        if b <= self.cur {
            // (an earlier bucket only after a peek moved forward to a later one)
            if self.head >= COMPACT {
                // a long stay in one bucket keeps only what is pending
                self.current.drain(..self.head);
                self.head = 0;
            }
            // after every pending event of its time (its insertion number is the
            // highest): most often at the end
            let at = self.head + self.current[self.head..].partition_point(|e| e.key < key);
            self.current.insert(at, Keyed { key, event });
        } else if b - self.cur < BUCKETS as u64 {
            self.link(b, key, event);
        } else {
            self.far.push(Keyed { key, event });
        }
    }

    /// Put an event at the head of ring bucket `b`'s list.
    #[inline(always)]
    fn link(&mut self, b: u64, key: u128, event: E) {
        let slot = b as usize % BUCKETS;
        let node = Node {
            time: (key >> 64) as Micros,
            seq: key as u64,
            event,
            next: self.heads[slot],
        };
        let i = self.free;
        match self.nodes.get_mut(i as usize) {
            Some(n) => {
                self.free = n.next;
                *n = node;
            }
            None => self.nodes.push(node),
        }
        self.heads[slot] = if i == NIL {
            (self.nodes.len() - 1) as u32
        } else {
            i
        };
        self.marks[slot / 64] |= 1 << (slot % 64);
    }

    /// Remove and return the earliest event.
    #[inline]
    pub(super) fn pop(&mut self) -> Option<Keyed<E>> {
        self.peek()?;
        let k = *self.current.get(self.head)?;
        self.head += 1;
        self.len -= 1;
        Some(k)
    }

    /// The earliest event's key, the calendar moved forward to its bucket (an event pushed
    /// later into an earlier bucket joins the current one, in order, so moving forward
    /// never changes what comes out first).
    #[inline]
    pub(super) fn peek(&mut self) -> Option<u128> {
        if self.head == self.current.len() && !self.next_bucket() {
            return None;
        }
        self.current.get(self.head).map(|k| k.key)
    }

    /// The current bucket is used up: make the next one with events current. False if
    /// nothing is pending.
    #[inline(never)]
    fn next_bucket(&mut self) -> bool {
        let far = self.far.peek().map(|k| bucket(k.key));
        let Some(b) = (match (self.next_marked(), far) {
            (Some(r), Some(f)) => Some(r.min(f)),
            (r, f) => r.or(f),
        }) else {
            return false;
        };
        self.cur = b;
        self.current.clear();
        self.head = 0;
        // the bucket's list into the vector (it comes out newest first), its nodes freed
        let slot = b as usize % BUCKETS;
        self.marks[slot / 64] &= !(1 << (slot % 64));
        let mut i = std::mem::replace(&mut self.heads[slot], NIL);
        while let Some(n) = self.nodes.get_mut(i as usize) {
            self.current.push(Keyed {
                key: u128::from(n.time) << 64 | u128::from(n.seq),
                event: n.event,
            });
            let next = std::mem::replace(&mut n.next, self.free);
            self.free = i;
            i = next;
        }
        self.current.reverse();
        // and the far heap's events of this bucket (in order)
        while self.far.peek().is_some_and(|k| bucket(k.key) == b) {
            let Some(k) = self.far.pop() else { break };
            self.current.push(k);
        }
        if self.current.len() <= 16 {
            insertion_sort(&mut self.current);
        } else {
            self.current.sort_unstable_by_key(|k| k.key);
        }
        !self.current.is_empty()
    }

    /// The first ring bucket after the current one that holds an event.
    #[inline]
    fn next_marked(&self) -> Option<u64> {
        let start = (self.cur as usize + 1) % BUCKETS;
        let i = first_mark(&self.marks, start).or_else(|| first_mark(&self.marks, 0))?;
        Some(self.cur + 1 + ((i + BUCKETS - start) % BUCKETS) as u64)
    }

    /// Bytes held (for memory reports).
    pub(super) fn capacity_bytes(&self) -> usize {
        (self.current.capacity() + self.far.capacity()) * std::mem::size_of::<Keyed<E>>()
            + self.nodes.capacity() * std::mem::size_of::<Node<E>>()
    }
}

/// Sort a few events by key (often in order already: events are mostly scheduled in the
/// order of their times).
fn insertion_sort<E: Copy>(v: &mut [Keyed<E>]) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1].key > x.key {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

/// The first set bit at or after `from` in a bit map.
#[inline]
fn first_mark(marks: &[u64; WORDS], from: usize) -> Option<usize> {
    let mut w = from / 64;
    let mut bits = marks[w] & (u64::MAX << (from % 64));
    loop {
        if bits != 0 {
            return Some(w * 64 + bits.trailing_zeros() as usize);
        }
        w += 1;
        bits = *marks.get(w)?;
    }
}
