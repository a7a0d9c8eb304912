//! A pool of web workers, one per core the browser reports (at most [`MAX_WORKERS`]),
//! running a [`Task`]'s jobs off the main thread: each worker is handed the next job as it
//! finishes one, the outputs are kept in job order, and the page hears of progress (at
//! most every [`REPORT_MS`]) and of the end. A newer task (or [`Pool::cancel`]) replaces
//! the running one: replies to an old task are dropped, so at most one job a worker is
//! wasted. Workers are started as a task needs them and kept for the next.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use super::runner::now_ms;
use crate::work::{Finished, Output, Reply, Request, Task, Work};

/// Most workers, whatever the browser reports.
pub const MAX_WORKERS: usize = 8;
/// Least time between two progress reports (ms): the page re-renders on each.
pub const REPORT_MS: f64 = 100.0;

/// What the page hears of a task.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// `done` of `total` jobs finished.
    Progress(usize, usize),
    /// Every job finished (or one could not be run, or the workers could not start).
    Finished(Result<Rc<Finished>, String>),
}

/// The pool (cheap to clone: one pool behind it).
#[derive(Clone, Default)]
pub struct Pool(Rc<RefCell<Inner>>);

impl PartialEq for Pool {
    fn eq(&self, other: &Pool) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Default)]
struct Inner {
    slots: Vec<Slot>,
    tasks: u64,
    running: Option<Running>,
}

struct Slot {
    worker: Handle,
    ready: bool,
    /// The task it was last sent (it keeps that one prepared).
    knows: u64,
    busy: bool,
}

struct Running {
    id: u64,
    task: Task,
    work: Rc<Work>,
    next: usize,
    outputs: Vec<Option<Output>>,
    done: usize,
    on_event: Callback<Event>,
    reported: f64,
}

impl Pool {
    /// Start `task` (checked here first: a task that does not prepare is refused with its
    /// message, and nothing runs); `on_event` hears of it. Returns the work, checked.
    pub fn start(&self, task: Task, on_event: Callback<Event>) -> Result<Rc<Work>, String> {
        let work = Rc::new(task.clone().prepare()?);
        let jobs = work.jobs();
        let mut inner = self.0.borrow_mut();
        // as many workers as this task can use (one per core at most); kept for the next
        let have = inner.slots.len();
        let more = spawn(Rc::downgrade(&self.0), have..workers_for(jobs).max(have))?;
        inner.slots.extend(more);
        inner.tasks += 1;
        inner.running = Some(Running {
            id: inner.tasks,
            task,
            work: work.clone(),
            next: 0,
            outputs: vec![None; jobs],
            done: 0,
            on_event,
            reported: now_ms(),
        });
        inner.feed();
        Ok(work)
    }

    /// Stop the running task (its jobs in flight finish and are dropped).
    pub fn cancel(&self) {
        self.0.borrow_mut().running = None;
    }

    /// How many workers there are.
    pub fn workers(&self) -> usize {
        self.0.borrow().slots.len()
    }
}

/// One per core the browser reports, within [`MAX_WORKERS`], no more than jobs.
fn workers_for(jobs: usize) -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    (cores as usize).clamp(1, MAX_WORKERS).min(jobs.max(1))
}

/// Where the page's own .js and .wasm are (Trunk names them after their content and
/// preloads both).
fn bundle() -> Option<(String, String)> {
    let doc = web_sys::window()?.document()?;
    let href = |selector: &str| {
        let link = doc.query_selector(selector).ok()??;
        js_sys::Reflect::get(&link, &JsValue::from_str("href"))
            .ok()?
            .as_string()
    };
    Some((
        href("link[rel=modulepreload]")?,
        href("link[rel=preload][as=fetch]")?,
    ))
}

/// A web worker running the page's own build, with its handlers (it stops when dropped).
pub struct Handle {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Handle {
    /// Start a worker: `on_message` hears each message it sends, `on_error` that it did
    /// not load.
    pub fn start(
        on_message: impl FnMut(JsValue) + 'static,
        on_error: impl FnMut() + 'static,
    ) -> Result<Handle, String> {
        let (js, wasm) =
            bundle().ok_or("the page's own script was not found for its web workers")?;
        let start = js_sys::Object::new();
        for (k, v) in [("js", &js), ("wasm", &wasm)] {
            let _ = js_sys::Reflect::set(&start, &JsValue::from_str(k), &JsValue::from_str(v));
        }
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options("worker.js", &options)
            .map_err(|e| format!("this browser did not start a web worker ({e:?})"))?;
        let mut on_message = on_message;
        let on_message =
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| on_message(e.data()));
        let mut on_error = on_error;
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| on_error());
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker
            .post_message(&start)
            .map_err(|e| format!("a web worker did not take its first message ({e:?})"))?;
        Ok(Handle {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Send `text`; false if it could not be sent.
    pub fn send(&self, text: &str) -> bool {
        self.worker.post_message(&JsValue::from_str(text)).is_ok()
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// A worker's reply, read from its JSON.
pub fn reply(data: &JsValue) -> Reply {
    data.as_string().map_or_else(
        || Reply::Fatal("a message that is not text".into()),
        |t| {
            serde_json::from_str(&t)
                .unwrap_or_else(|e| Reply::Fatal(format!("a reply the page does not read: {e}")))
        },
    )
}

/// Workers for slots `slots` (their places in the pool).
fn spawn(pool: Weak<RefCell<Inner>>, slots: Range<usize>) -> Result<Vec<Slot>, String> {
    slots
        .map(|i| {
            let on_message = {
                let pool = pool.clone();
                move |data: JsValue| heard(&pool, i, reply(&data))
            };
            let on_error = {
                let pool = pool.clone();
                move || heard(&pool, i, Reply::Fatal("a web worker did not load".into()))
            };
            Ok(Slot {
                worker: Handle::start(on_message, on_error)?,
                ready: false,
                knows: 0,
                busy: false,
            })
        })
        .collect()
}

/// A worker's reply: the pool's state moves on inside the borrow, the page hears of it
/// after (its callbacks may start another task).
fn heard(pool: &Weak<RefCell<Inner>>, slot: usize, reply: Reply) {
    let Some(pool) = pool.upgrade() else { return };
    let event = pool.borrow_mut().heard(slot, reply);
    if let Some((on_event, event)) = event {
        on_event.emit(event);
    }
}

impl Inner {
    fn heard(&mut self, slot: usize, reply: Reply) -> Option<(Callback<Event>, Event)> {
        let s = self.slots.get_mut(slot)?;
        let event = match reply {
            Reply::Ready => {
                s.ready = true;
                None
            }
            Reply::Done { task, job, output } => {
                s.busy = false;
                match (&mut self.running, output) {
                    (Some(r), Ok(output)) if r.id == task => {
                        if let Some(place @ None) = r.outputs.get_mut(job) {
                            *place = Some(output);
                            r.done += 1;
                        }
                        r.progress()
                    }
                    (Some(r), Err(why)) if r.id == task => Some(Err(why)),
                    _ => None,
                }
            }
            // (only runs report their own progress)
            Reply::Progress(_) => None,
            Reply::Fatal(why) => {
                // start afresh next time (a handle stops its worker when dropped)
                self.slots.clear();
                Some(Err(why))
            }
        };
        let event = match event {
            Some(Err(why)) => {
                let r = self.running.take()?;
                Some((r.on_event, Event::Finished(Err(why))))
            }
            Some(Ok(event)) => {
                let on_event = self.running.as_ref()?.on_event.clone();
                if matches!(event, Event::Finished(_)) {
                    self.running = None;
                }
                Some((on_event, event))
            }
            None => None,
        };
        self.feed();
        event
    }

    /// Hand the next jobs to the workers that are ready and idle.
    fn feed(&mut self) {
        let Some(r) = &mut self.running else { return };
        for s in self.slots.iter_mut().filter(|s| s.ready && !s.busy) {
            if r.next >= r.outputs.len() {
                break;
            }
            let request = Request::Job {
                task: r.id,
                setup: (s.knows != r.id).then(|| r.task.clone()),
                job: r.next,
            };
            let Ok(text) = serde_json::to_string(&request) else {
                continue;
            };
            if s.worker.send(&text) {
                s.knows = r.id;
                s.busy = true;
                r.next += 1;
            }
        }
    }
}

impl Running {
    /// The event to report after a job: the end once every job is in, else progress if
    /// none was reported for [`REPORT_MS`].
    fn progress(&mut self) -> Option<Result<Event, String>> {
        let total = self.outputs.len();
        if self.done == total {
            let outputs = self.outputs.iter_mut().filter_map(Option::take).collect();
            return Some(Ok(Event::Finished(self.work.finish(outputs).map(Rc::new))));
        }
        let now = now_ms();
        (now - self.reported >= REPORT_MS).then(|| {
            self.reported = now;
            Ok(Event::Progress(self.done, total))
        })
    }
}
