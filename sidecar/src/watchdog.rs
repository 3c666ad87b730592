//! One thread that stops runs whose deadline has passed, by setting ONNX
//! Runtime's terminate flag (checked between kernels and inside Loop/Scan
//! bodies). A registration wakes the thread only when it brings the next
//! wake-up forward, so a run normally costs no thread switch here.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use ort::session::RunOptions;

type Key = (Instant, u64);

#[derive(Default)]
struct State {
    runs: BTreeMap<Key, Arc<RunOptions>>,
    next_id: u64,
    /// When the thread will wake next (`None`: not until notified).
    wake_at: Option<Instant>,
    stop: bool,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    cv: Condvar,
}

pub struct Watchdog {
    shared: Arc<Shared>,
}

/// Unregisters the run when dropped (the run finished in time, or not).
pub struct Watch {
    shared: Arc<Shared>,
    key: Key,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner()).runs.remove(&self.key);
    }
}

impl Watchdog {
    pub fn start() -> std::io::Result<Self> {
        let shared = Arc::new(Shared::default());
        let s = shared.clone();
        std::thread::Builder::new().name("sidecar-watchdog".into()).spawn(move || run(&s))?;
        Ok(Watchdog { shared })
    }

    /// Terminates `options`' run at `deadline` unless the returned guard is
    /// dropped first.
    pub fn watch(&self, deadline: Instant, options: Arc<RunOptions>) -> Watch {
        let mut st = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
        st.next_id += 1;
        let key = (deadline, st.next_id);
        st.runs.insert(key, options);
        if st.wake_at.is_none_or(|w| deadline < w) {
            self.shared.cv.notify_one();
        }
        Watch { shared: self.shared.clone(), key }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner()).stop = true;
        self.shared.cv.notify_one();
    }
}

fn run(shared: &Shared) {
    let mut st = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if st.stop {
            return;
        }
        let now = Instant::now();
        while let Some(entry) = st.runs.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let _ = entry.remove().terminate();
        }
        let next = st.runs.first_key_value().map(|(k, _)| k.0);
        st.wake_at = next;
        st = match next {
            None => shared.cv.wait(st).unwrap_or_else(|e| e.into_inner()),
            Some(t) => shared.cv.wait_timeout(st, t.saturating_duration_since(now)).unwrap_or_else(|e| e.into_inner()).0,
        };
    }
}
