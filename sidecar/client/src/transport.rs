//! The byte stream under gRPC, on both ends: writes coalesced into one
//! syscall per burst, and optional busy polling.
//!
//! Why: on a small VM a thread that sleeps in `epoll_wait` takes 25–35 µs to
//! wake, and a Run round trip crosses at least two such sleeps. HTTP/2 sends
//! a request as HEADERS, DATA and an empty END_STREAM frame, and a reply as
//! HEADERS + DATA and then trailers, each flushed on its own: the peer wakes
//! for the first write and often sleeps again before the next one arrives.
//! [`Conn`] holds writes until the writing task has run out of work (its
//! flush is deferred by one turn of the scheduler), so a message leaves in
//! one `write`. [`BusyPoll`], installed as a runtime's `on_thread_park` hook,
//! lets the thread poll its sockets for a bounded window after it wrote
//! instead of sleeping, trading CPU for the wake-up (opt-in: `--busy-poll-us`).

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tonic::transport::server::Connected;

/// Writes above this are not held back (large tensors go straight out).
const COALESCE_MAX: usize = 64 << 10;

/// Busy polling shared by the connections of one single-threaded runtime.
pub struct BusyPoll {
    window: Duration,
    base: Instant,
    /// Nanoseconds after `base` of the latest write on any connection
    /// (`u64::MAX`: none yet).
    last_write: AtomicU64,
    /// Bumped by other threads that hand this runtime work (a worker that
    /// finished a run), which the socket poll cannot see.
    kicks: AtomicU64,
    /// Work for this runtime running on other threads ([`Held`]): while
    /// there is any, the thread does not poll, leaving the cores to it.
    held: AtomicU64,
    /// Whether the latest answer (the first bytes read after a write) came
    /// within the window. Polling is only worth it when answers do; a poll
    /// that runs out and then sleeps costs more than sleeping at once (a vCPU
    /// that spun and then halted is rescheduled late by the host), so after
    /// a slow answer the thread sleeps until a fast one shows up again.
    answers_in_window: AtomicBool,
    /// Set by a write, cleared by the first read after it.
    awaiting_answer: AtomicBool,
    fds: Mutex<Vec<RawFd>>,
}

impl BusyPoll {
    /// `window`: how long after a write the thread polls before it sleeps.
    pub fn new(window: Duration) -> Arc<Self> {
        Arc::new(BusyPoll {
            window,
            base: Instant::now(),
            last_write: AtomicU64::new(u64::MAX),
            kicks: AtomicU64::new(0),
            held: AtomicU64::new(0),
            answers_in_window: AtomicBool::new(true),
            awaiting_answer: AtomicBool::new(false),
            fds: Mutex::new(Vec::new()),
        })
    }

    pub fn window(&self) -> Duration {
        self.window
    }

    fn now(&self) -> u64 {
        u64::try_from(self.base.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn touch(&self) {
        self.last_write.store(self.now(), Ordering::Relaxed);
        self.awaiting_answer.store(true, Ordering::Relaxed);
    }

    /// Bytes arrived: if they answer the latest write, note whether they
    /// came within the window.
    fn answered(&self) {
        if self.awaiting_answer.swap(false, Ordering::Relaxed) {
            let waited = self.now().saturating_sub(self.last_write.load(Ordering::Relaxed));
            let fast = u128::from(waited) <= self.window.as_nanos();
            self.answers_in_window.store(fast, Ordering::Relaxed);
        }
    }

    /// Ends a poll in progress: work for the runtime arrived another way.
    fn kick(&self) {
        self.kicks.fetch_add(1, Ordering::Release);
    }

    /// Marks work done for this runtime on another thread (a run on a
    /// worker): no polling until the guard is dropped, which kicks.
    pub fn hold(self: &Arc<Self>) -> Held {
        self.held.fetch_add(1, Ordering::AcqRel);
        Held(self.clone())
    }

    /// The `on_thread_park` hook: until the window after the latest write
    /// closes, poll the registered sockets (without blocking) and return as
    /// soon as one is readable or [`kick`](Self::kick) is called; the runtime
    /// then finds the event at once instead of sleeping on it.
    pub fn before_park(&self) {
        let window = u64::try_from(self.window.as_nanos()).unwrap_or(u64::MAX);
        let Some(until) = self.last_write.load(Ordering::Relaxed).checked_add(window) else { return };
        if self.now() >= until || self.held.load(Ordering::Acquire) > 0 || !self.answers_in_window.load(Ordering::Relaxed) {
            return;
        }
        let kicks = self.kicks.load(Ordering::Acquire);
        let mut pollfds: Vec<libc::pollfd> = self
            .fds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|&fd| libc::pollfd { fd, events: libc::POLLIN, revents: 0 })
            .collect();
        if pollfds.is_empty() {
            return;
        }
        loop {
            // SAFETY: `pollfds` is a valid array of `len` pollfd structs; a
            // zero timeout never blocks. A registered fd stays open until its
            // `Conn` (owned by this thread's runtime) is dropped.
            let n = unsafe { libc::poll(pollfds.as_mut_ptr(), pollfds.len() as libc::nfds_t, 0) };
            if n != 0 || self.kicks.load(Ordering::Acquire) != kicks || self.now() >= until {
                return;
            }
            std::hint::spin_loop();
        }
    }

    fn register(&self, fd: RawFd) {
        self.fds.lock().unwrap_or_else(|e| e.into_inner()).push(fd);
    }

    fn unregister(&self, fd: RawFd) {
        let mut fds = self.fds.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = fds.iter().position(|&f| f == fd) {
            fds.swap_remove(i);
        }
    }
}

/// A single-threaded runtime with `busy`, if any, as its `on_thread_park`
/// hook: the server's I/O runtime and a busy-polling client's.
pub fn runtime(busy: Option<&Arc<BusyPoll>>) -> io::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_current_thread();
    builder.enable_all();
    if let Some(b) = busy.cloned() {
        builder.on_thread_park(move || b.before_park());
    }
    builder.build()
}

/// See [`BusyPoll::hold`].
pub struct Held(Arc<BusyPoll>);

impl Drop for Held {
    fn drop(&mut self) {
        self.0.held.fetch_sub(1, Ordering::AcqRel);
        self.0.kick();
    }
}

/// A socket with coalesced writes, registered with a [`BusyPoll`] if given.
pub struct Conn<S: AsRawFd> {
    inner: S,
    out: Vec<u8>,
    /// The flush of the bytes in `out` has already yielded once.
    yielded: bool,
    busy: Option<Arc<BusyPoll>>,
}

impl<S: AsRawFd> Conn<S> {
    pub fn new(inner: S, busy: Option<Arc<BusyPoll>>) -> Self {
        if let Some(b) = &busy {
            b.register(inner.as_raw_fd());
        }
        Conn { inner, out: Vec::new(), yielded: false, busy }
    }

    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S: AsRawFd> Drop for Conn<S> {
    fn drop(&mut self) {
        if let Some(b) = &self.busy {
            b.unregister(self.inner.as_raw_fd());
        }
    }
}

/// The server's connection info is the socket's. Here rather than in the
/// server crate: a trait impl for `Conn` must live beside it (orphan rule).
impl<S: Connected + AsRawFd> Connected for Conn<S> {
    type ConnectInfo = S::ConnectInfo;
    fn connect_info(&self) -> Self::ConnectInfo {
        self.get_ref().connect_info()
    }
}

impl<S: AsRawFd + AsyncWrite + Unpin> Conn<S> {
    /// Writes out what `out` holds.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut done = 0;
        let result = loop {
            if done == self.out.len() {
                break Poll::Ready(Ok(()));
            }
            match Pin::new(&mut self.inner).poll_write(cx, &self.out[done..]) {
                Poll::Ready(Ok(0)) => break Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => done += n,
                Poll::Ready(Err(e)) => break Poll::Ready(Err(e)),
                Poll::Pending => break Poll::Pending,
            }
        };
        self.out.drain(..done);
        if let Some(b) = self.busy.as_ref().filter(|_| done > 0) {
            b.touch();
        }
        result
    }
}

impl<S: AsRawFd + AsyncRead + Unpin> AsyncRead for Conn<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let (Poll::Ready(Ok(())), Some(b)) = (&r, &self.busy)
            && buf.filled().len() > before
        {
            b.answered();
        }
        r
    }
}

impl<S: AsRawFd + AsyncWrite + Unpin> AsyncWrite for Conn<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.out.len() + data.len() <= COALESCE_MAX {
            this.out.extend_from_slice(data);
            return Poll::Ready(Ok(data.len()));
        }
        std::task::ready!(this.poll_drain(cx))?;
        let r = Pin::new(&mut this.inner).poll_write(cx, data);
        if let (Poll::Ready(Ok(1..)), Some(b)) = (&r, &this.busy) {
            b.touch();
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if !this.out.is_empty() && !this.yielded {
            // Let the tasks that are about to add frames (the body after the
            // headers, the trailers after the body) run first; this task is
            // polled again right after them.
            this.yielded = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        std::task::ready!(this.poll_drain(cx))?;
        this.yielded = false;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        std::task::ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Writes are held until a flush, then leave together; large ones go
    /// straight through; nothing is lost or reordered.
    #[tokio::test(flavor = "current_thread")]
    async fn coalesces_until_flush_and_keeps_order() {
        let (a, mut b) = tokio::net::UnixStream::pair().unwrap();
        let busy = BusyPoll::new(Duration::from_micros(100));
        let mut conn = Conn::new(a, Some(busy.clone()));
        assert_eq!(busy.fds.lock().unwrap().len(), 1);
        conn.write_all(b"head").await.unwrap();
        conn.write_all(b"body").await.unwrap();
        let mut probe = [0u8; 16];
        // Nothing has left yet.
        assert!(b.try_read(&mut probe).is_err());
        conn.flush().await.unwrap();
        let mut got = [0u8; 8];
        b.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"headbody");
        let big = vec![7u8; COALESCE_MAX + 1];
        let reader = tokio::spawn(async move {
            let mut v = vec![0u8; 2 + COALESCE_MAX + 1];
            b.read_exact(&mut v).await.unwrap();
            v
        });
        conn.write_all(b"x!").await.unwrap();
        conn.write_all(&big).await.unwrap();
        conn.flush().await.unwrap();
        let v = reader.await.unwrap();
        assert_eq!(&v[..2], b"x!");
        assert!(v[2..].iter().all(|&x| x == 7));
        drop(conn);
        assert!(busy.fds.lock().unwrap().is_empty(), "a closed connection is no longer polled");
    }

    /// The park hook returns as soon as a socket is readable or it is kicked,
    /// and does not poll at all once the window after the last write closed.
    #[test]
    fn busy_poll_returns_on_data_kick_or_window() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let _g = rt.enter();
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        a.set_nonblocking(true).unwrap();
        let mut reader = a.try_clone().unwrap();
        let a = tokio::net::UnixStream::from_std(a).unwrap();
        let busy = BusyPoll::new(Duration::from_secs(5));
        let _conn = Conn::new(a, Some(busy.clone()));
        // No write yet: the window is closed, the hook returns at once.
        let t = Instant::now();
        busy.before_park();
        assert!(t.elapsed() < Duration::from_secs(1));
        busy.touch();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            std::io::Write::write_all(&mut &b, b"x").unwrap();
            b
        });
        let t = Instant::now();
        busy.before_park();
        let waited = t.elapsed();
        assert!(waited >= Duration::from_millis(15) && waited < Duration::from_secs(4), "returned on data after {waited:?}");
        let _b = writer.join().unwrap();
        // Data still unread: a fresh hook returns at once (level-triggered).
        busy.before_park();
        let kicker = busy.clone();
        let t = Instant::now();
        let k = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            kicker.kick();
        });
        // Drain the byte so only the kick can end the poll.
        let mut byte = [0u8; 1];
        std::io::Read::read_exact(&mut reader, &mut byte).unwrap();
        busy.touch();
        busy.before_park();
        assert!(t.elapsed() < Duration::from_secs(4), "a kick ends the poll");
        k.join().unwrap();
        // Work held elsewhere: no polling at all.
        busy.touch();
        let held = busy.hold();
        let t = Instant::now();
        busy.before_park();
        assert!(t.elapsed() < Duration::from_secs(1), "no poll while a worker runs");
        drop(held);
        // An answer slower than the window turns polling off until a fast one.
        let slow = BusyPoll::new(Duration::from_millis(2));
        slow.touch();
        std::thread::sleep(Duration::from_millis(5));
        slow.answered();
        slow.touch();
        let t = Instant::now();
        slow.before_park();
        assert!(t.elapsed() < Duration::from_millis(1), "no poll after a slow answer");
        slow.answered(); // answered at once: fast
        slow.touch();
        slow.register(-1); // an fd that never becomes readable
        let t = Instant::now();
        slow.before_park();
        assert!(t.elapsed() >= Duration::from_millis(1), "polls again after a fast answer");
        let short = BusyPoll::new(Duration::from_millis(30));
        let (c, _d) = std::os::unix::net::UnixStream::pair().unwrap();
        c.set_nonblocking(true).unwrap();
        let _c = Conn::new(tokio::net::UnixStream::from_std(c).unwrap(), Some(short.clone()));
        short.touch();
        let t = Instant::now();
        short.before_park();
        assert!(t.elapsed() >= Duration::from_millis(25), "polls for the window when nothing comes");
    }
}
