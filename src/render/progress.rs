//! Progress of an indexing run on stderr: a bar with files done / total, MB/s, ETA and the
//! current file; hidden when stderr is not a terminal or with `--quiet`.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    files: std::sync::atomic::AtomicUsize,
    total_files: std::sync::atomic::AtomicUsize,
}

impl Progress {
    /// A bar drawn on stderr when it is a terminal, unless `quiet`.
    pub fn new(quiet: bool) -> Progress {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        Progress {
            bar: ProgressBar::with_draw_target(None, target),
            files: Default::default(),
            total_files: Default::default(),
        }
    }

    /// A progress that shows nothing.
    pub fn hidden() -> Progress {
        Progress::new(true)
    }

    /// Starts the bar for `files` files of `bytes` bytes in all.
    pub fn start(&self, files: usize, bytes: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        self.total_files.store(files, Relaxed);
        self.bar.set_length(bytes);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {binary_bytes_per_sec} ETA {eta} {wide_msg}")
        {
            self.bar.set_style(style);
        }
    }

    /// One more file done.
    pub fn file_done(&self, path: &str, bytes: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        let done = self.files.fetch_add(1, Relaxed) + 1;
        let total = self.total_files.load(Relaxed);
        // A file name's control characters must not reach the terminal.
        let path = path.replace(char::is_control, "?");
        self.bar
            .set_message(format!("{done}/{total} files · {path}"));
        self.bar.inc(bytes);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
