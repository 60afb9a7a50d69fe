//! What a run tells the person waiting for it: per-stage progress on stderr,
//! and what each stage cost.
//!
//! The progress line is indicatif's, drawn only when stderr is a terminal
//! (indicatif hides it otherwise), so logs, pipes and the tests see nothing of
//! it. It appears after the first second (a thread waits that long): a run
//! on the seeds is over before a line would be worth reading. The timings are kept whatever stderr is:
//! `all` ends with a summary line, and `--timings` prints each stage's
//! seconds and the peak memory so far, which the benchmark reads.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The progress of one run over its steps.
pub struct Progress {
    bar: ProgressBar,
    start: Instant,
    step_start: Instant,
    /// (step, seconds, peak resident memory in MB so far, where known).
    pub steps: Vec<(&'static str, f64, Option<f64>)>,
}

impl Progress {
    /// A progress line over `len` steps.
    pub fn new(len: usize) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} ({elapsed})")
        {
            bar.set_style(style);
        }
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(1));
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(200));
            }
        });
        let now = Instant::now();
        Progress {
            bar,
            start: now,
            step_start: now,
            steps: Vec::new(),
        }
    }

    /// Starts the step `name`.
    pub fn start(&mut self, name: &'static str) {
        self.bar.set_message(name);
        self.step_start = Instant::now();
    }

    /// Ends the step `name` started last.
    pub fn done(&mut self, name: &'static str) {
        self.steps.push((
            name,
            self.step_start.elapsed().as_secs_f64(),
            peak_memory_mb(),
        ));
        self.bar.inc(1);
    }

    /// Seconds since the run began.
    pub fn seconds(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Clears the line, so that the summary and warnings print on their own.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The peak resident memory of this process so far (VmHWM of
/// /proc/self/status), in MB; None where the system does not say.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
