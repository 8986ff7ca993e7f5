//! The tests are in `tests/browser.rs` and `tests/ch12_page.rs`; run them with
//! `cargo test -p browser_tests`.
//!
//! The workspace runs 16 tests at once in a test binary (`.cargo/config.toml`), because most
//! tests wait on sockets. Chromium is the exception: it keeps the CPU busy, so [`chromium_slot`]
//! lets only as many run at once as the machine has cores, and each Chromium's deadline starts
//! when it gets its slot.

use std::sync::{Condvar, Mutex};

static RUNNING: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// A slot to run one Chromium; it is given back when dropped.
#[derive(Debug)]
pub struct ChromiumSlot(());

/// Waits for a free slot (at most one Chromium per core at a time).
pub fn chromium_slot() -> ChromiumSlot {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    while *running >= cores {
        running = FREED.wait(running).unwrap_or_else(|e| e.into_inner());
    }
    *running += 1;
    ChromiumSlot(())
}

impl Drop for ChromiumSlot {
    fn drop(&mut self) {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        *running -= 1;
        FREED.notify_one();
    }
}
