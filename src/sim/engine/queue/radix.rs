//! The radix queue: the event queue's form once many events are pending (see the parent
//! module's docs).

use crate::sim::Micros;

/// Bits per level: slots per level is 2^BITS.
const BITS: usize = 6;
const SLOTS: usize = 1 << BITS;
const MASK: u64 = SLOTS as u64 - 1;
const LEVELS: usize = 64usize.div_ceil(BITS);
/// Consumed events at the front of the current slot before it is compacted.
const COMPACT: usize = 4096;

/// The radix queue (see the module docs).
pub(super) struct Radix<E> {
    /// `slots[level * SLOTS + s]`.
    slots: Vec<Vec<(Micros, E)>>,
    /// Earliest time in each slot (`Micros::MAX` when empty), so that finding the next
    /// time never scans a slot: a peek is O(levels) however many events share a slot.
    mins: Vec<Micros>,
    /// One bit per slot: occupied.
    occupied: [u64; LEVELS],
    /// Events of the current level-0 slot before `head` are consumed.
    head: usize,
    /// The last time popped (or the base of the slot being spread).
    last: Micros,
    pub(super) len: usize,
}

/// Level and slot of `time` relative to `last`.
#[inline]
fn place(time: Micros, last: Micros) -> (usize, usize) {
    let diff = time ^ last;
    let level = if diff == 0 {
        0
    } else {
        (63 - diff.leading_zeros() as usize) / BITS
    };
    (level, ((time >> (BITS * level)) & MASK) as usize)
}

/// The first set bit at or after `from` in a slot map.
#[inline]
fn first_set(map: u64, from: usize) -> Option<usize> {
    if from >= 64 {
        return None;
    }
    let bits = map & (u64::MAX << from);
    (bits != 0).then(|| bits.trailing_zeros() as usize)
}

impl<E> Radix<E> {
    /// An empty radix queue whose last time popped is `last`.
    pub(super) fn starting_at(last: Micros) -> Self {
        Radix {
            slots: (0..LEVELS * SLOTS).map(|_| Vec::new()).collect(),
            mins: vec![Micros::MAX; LEVELS * SLOTS],
            occupied: [0; LEVELS],
            head: 0,
            last,
            len: 0,
        }
    }

    #[inline]
    pub(super) fn push(&mut self, time: Micros, event: E) {
        let time = time.max(self.last);
        let (level, slot) = place(time, self.last);
        let i = level * SLOTS + slot;
        self.slots[i].push((time, event));
        self.mins[i] = self.mins[i].min(time);
        self.occupied[level] |= 1 << slot;
        self.len += 1;
    }

    /// Make sure the earliest pending event is at `slots[last & MASK][head]`; false if empty.
    #[inline]
    fn settle(&mut self) -> bool {
        let cur = cur_slot(self.last);
        if self.head < self.slots[cur].len() {
            return true;
        }
        if self.len == 0 {
            return false;
        }
        self.release(0, cur);
        loop {
            // the next exact time in level 0
            if let Some(s) = first_set(self.occupied[0], cur_slot(self.last)) {
                self.last = (self.last & !MASK) | s as Micros;
                return true;
            }
            // spread the first occupied slot of the lowest occupied level
            let Some((level, s)) = (1..LEVELS).find_map(|l| {
                let from = cur_digit(self.last, l) + 1;
                first_set(self.occupied[l], from).map(|s| (l, s))
            }) else {
                return false;
            };
            let idx = level * SLOTS + s;
            let mut moving = std::mem::take(&mut self.slots[idx]);
            // the slot's earliest time becomes the reference: every event in the slot then
            // differs from it below `level`, and the earliest ones land straight in level 0
            // (a lone event moves once, however far ahead it was scheduled)
            self.last = self.mins[idx];
            self.mins[idx] = Micros::MAX;
            self.occupied[level] &= !(1 << s);
            for (t, ev) in moving.drain(..) {
                let (l, slot) = place(t, self.last);
                let j = l * SLOTS + slot;
                self.slots[j].push((t, ev));
                self.mins[j] = self.mins[j].min(t);
                self.occupied[l] |= 1 << slot;
            }
            self.slots[idx] = recycle(moving);
        }
    }

    /// Mark a consumed level-0 slot empty.
    fn release(&mut self, level: usize, s: usize) {
        let i = level * SLOTS + s;
        self.slots[i] = recycle(std::mem::take(&mut self.slots[i]));
        self.mins[i] = Micros::MAX;
        self.occupied[level] &= !(1 << s);
        self.head = 0;
    }

    #[inline]
    pub(super) fn pop(&mut self) -> Option<(Micros, E)>
    where
        E: Copy,
    {
        if !self.settle() {
            return None;
        }
        let cur = cur_slot(self.last);
        let e = self.slots[cur][self.head];
        self.head += 1;
        self.len -= 1;
        // Events pushed at the current time join the slot being consumed: drop its consumed
        // front now and then, so a run that stays at one instant keeps only what is pending
        // (each event is moved at most once per compaction: O(1) amortized).
        if self.head >= COMPACT && 2 * self.head >= self.slots[cur].len() {
            self.slots[cur].drain(..self.head);
            self.head = 0;
        }
        Some(e)
    }

    #[inline]
    pub(super) fn peek_time(&self) -> Option<Micros> {
        if self.len == 0 {
            return None;
        }
        let cur = cur_slot(self.last);
        if self.head < self.slots[cur].len() {
            return Some(self.last);
        }
        // the current level-0 slot is used up: the next occupied one, if any
        if let Some(s) = first_set(self.occupied[0], cur + 1) {
            return Some((self.last & !MASK) | s as Micros);
        }
        // else the smallest time in the first occupied slot of the lowest occupied level
        let (level, s) = (1..LEVELS).find_map(|l| {
            first_set(self.occupied[l], cur_digit(self.last, l) + 1).map(|s| (l, s))
        })?;
        Some(self.mins[level * SLOTS + s])
    }

    #[inline]
    pub(super) fn advance_to_next(&mut self) -> Option<Micros> {
        self.settle().then_some(self.last)
    }

    pub(super) fn capacity_bytes(&self) -> usize {
        self.slots.iter().map(|b| b.capacity()).sum::<usize>() * std::mem::size_of::<(Micros, E)>()
            + self.slots.capacity() * std::mem::size_of::<Vec<(Micros, E)>>()
            + self.mins.capacity() * std::mem::size_of::<Micros>()
    }
}

/// Most slots stay small and keep their allocation for reuse; an emptied slot that grew
/// large gives its memory back, so memory follows the events pending, not the most a
/// slot ever held (704 slots × their peak would be hundreds of MB at 1M clients).
fn recycle<T>(mut v: Vec<T>) -> Vec<T> {
    const KEEP: usize = 1024;
    if v.capacity() > KEEP {
        Vec::new()
    } else {
        v.clear();
        v
    }
}

#[inline]
fn cur_slot(last: Micros) -> usize {
    (last & MASK) as usize
}

#[inline]
fn cur_digit(last: Micros, level: usize) -> usize {
    ((last >> (BITS * level)) & MASK) as usize
}
