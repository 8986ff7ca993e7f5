//! Support for the checks that span the book and every chapter.
//!
//! - [`chapters`] and [`pages`] find what exists, so a new chapter or page is checked
//!   without anyone editing a list.
//! - [`build_chapters`] builds every chapter and solution crate into `target/book`, once, for
//!   two uses: `mdbook test -L target/book/debug/deps` and running the chapter binaries to
//!   record transcripts. It has its own target dir so rustdoc never sees two copies of a crate.
//! - [`Program`] runs a binary with a deadline, so a hung program fails a test, never CI.
//! - [`Transcript`] records what a reader would see and compares it with the stored file.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

/// How long any program in a check may run.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// The port every transcript shows, because it is what the reader types.
pub const BOOK_PORT: u16 = 9999;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// Every chapter directory, `chapters/NN_name`, in order.
pub fn chapters() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("chapters"))
        .expect("chapters/ exists")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// Every reference-solution crate, `solutions/chNN`, in order (the book includes them).
pub fn solutions() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("solutions"))
        .map(|entries| {
            entries
                .map(|entry| entry.expect("dir entry").path())
                .collect()
        })
        .unwrap_or_default();
    dirs.retain(|path| path.join("Cargo.toml").is_file());
    dirs.sort();
    dirs
}

/// The package name in a crate's `Cargo.toml`.
pub fn package_of(dir: &Path) -> String {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("name = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("a name = \"…\" line")
        .to_string()
}

/// Every Markdown page under `book/src/<lang>/`, as file names, sorted.
pub fn pages(lang: &str) -> Vec<String> {
    let dir = root().join("book/src").join(lang);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".md"))
        .collect();
    names.sort();
    names
}

/// Builds every chapter and solution crate into `target/book`; returns `target/book/debug`.
pub fn build_chapters() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let target = root().join("target/book");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .current_dir(root())
            .args([
                "build",
                "--quiet",
                "--lib",
                "--bins",
                "--examples",
                "--target-dir",
            ])
            .arg(&target);
        for dir in chapters().into_iter().chain(solutions()) {
            command.args(["-p", &package_of(&dir)]);
        }
        let status = command.status().expect("run cargo build");
        assert!(status.success(), "building the chapters failed");
        keep_newest_library_of_each_crate(&target.join("debug/deps"));
        target.join("debug")
    })
}

/// Deletes older builds of a library when `deps/` holds several (`libanyhow-1a2b.rlib` and
/// `libanyhow-3c4d.rlib` after a profile or version change): rustdoc, given only `-L`, refuses
/// to choose (E0464). Cargo rebuilds anything it still needs, so this is always safe.
fn keep_newest_library_of_each_crate(deps: &Path) {
    use std::collections::HashMap;
    let mut newest: HashMap<String, (std::time::SystemTime, String)> = HashMap::new();
    let mut libraries = Vec::new();
    for entry in std::fs::read_dir(deps).expect("deps dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name
            .strip_prefix("lib")
            .and_then(|n| n.strip_suffix(".rlib").or_else(|| n.strip_suffix(".rmeta")))
        else {
            continue;
        };
        let Some((krate, hash)) = stem.rsplit_once('-') else {
            continue;
        };
        let modified = entry.metadata().and_then(|m| m.modified()).expect("mtime");
        let (krate, hash) = (krate.to_string(), hash.to_string());
        let best = newest
            .entry(krate.clone())
            .or_insert((modified, hash.clone()));
        if modified > best.0 {
            *best = (modified, hash.clone());
        }
        libraries.push((entry.path(), krate, hash));
    }
    for (path, krate, hash) in libraries {
        if newest[&krate].1 != hash {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The path of a chapter binary built by [`build_chapters`].
pub fn binary(name: &str) -> PathBuf {
    build_chapters().join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// The path of a chapter example built by [`build_chapters`].
pub fn example(name: &str) -> PathBuf {
    build_chapters()
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Starts a chapter binary (built by [`build_chapters`]) with arguments.
pub fn run(bin: &str, args: &[&str]) -> Program {
    let mut command = Command::new(binary(bin));
    command.args(args);
    Program::start(command)
}

/// `127.0.0.1:port`, the address a chapter program is given in a transcript scenario.
pub fn loopback(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

/// A running program whose output is collected line by line.
#[derive(Debug)]
pub struct Program {
    child: Child,
    lines: Receiver<String>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<thread::JoinHandle<()>>,
}

impl Program {
    /// Starts `command` with stdout and stderr captured, and no backtraces in its errors.
    pub fn start(mut command: Command) -> Program {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .env("PYTHONUNBUFFERED", "1");
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
        let (tx, lines) = channel();
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        let (sink, tx2) = (Arc::clone(&stdout), tx.clone());
        let out_reader = thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let line = line.expect("program output is UTF-8");
                sink.lock().expect("lock").push_str(&format!("{line}\n"));
                let _ = tx2.send(line);
            }
        });
        let sink = Arc::clone(&stderr);
        let err_reader = thread::spawn(move || {
            let mut text = String::new();
            BufReader::new(err)
                .read_to_string(&mut text)
                .expect("stderr is UTF-8");
            sink.lock().expect("lock").push_str(&text);
        });
        drop(tx);
        Program {
            child,
            lines,
            stdout,
            stderr,
            readers: vec![out_reader, err_reader],
        }
    }

    /// Waits (at most [`DEADLINE`]) for a stdout line containing `needle`, and returns it.
    pub fn wait_for_line(&mut self, needle: &str) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => continue,
                Err(_) => {
                    let _ = self.child.kill();
                    panic!("no line with {needle:?}; stdout so far:\n{}", self.stdout());
                }
            }
        }
    }

    /// Waits (at most [`DEADLINE`]) for the program to exit; returns (success, stdout, stderr).
    pub fn finish(mut self) -> (bool, String, String) {
        let end = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                panic!("program did not exit in time; stdout:\n{}", self.stdout());
            }
            thread::sleep(Duration::from_millis(10));
        };
        for reader in self.readers.drain(..) {
            reader.join().expect("reader thread");
        }
        (
            status.success(),
            self.stdout(),
            self.stderr.lock().expect("lock").clone(),
        )
    }

    fn stdout(&self) -> String {
        self.stdout.lock().expect("lock").clone()
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        // 테스트가 실패해도 프로그램을 남기지 않습니다 · never leave a program behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free loopback port, chosen by the OS (bind port 0, read it, let go).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

/// What a reader sees in one terminal: commands and what they printed.
#[derive(Debug, Default)]
pub struct Transcript {
    text: String,
    real_port: Option<u16>,
}

impl Transcript {
    /// A transcript whose server really ran on `real_port`; it is shown as [`BOOK_PORT`].
    pub fn on_port(real_port: u16) -> Transcript {
        Transcript {
            text: String::new(),
            real_port: Some(real_port),
        }
    }

    /// A command as the reader types it.
    pub fn command(&mut self, shown: &str) -> &mut Self {
        self.text.push_str(&format!("$ {shown}\n"));
        self
    }

    /// What the program printed (stdout, then stderr, as a terminal shows them).
    pub fn output(&mut self, printed: &str) -> &mut Self {
        let printed = match self.real_port {
            Some(port) => show_book_port(printed, port),
            None => printed.to_string(),
        };
        self.text.push_str(&printed);
        if !printed.is_empty() && !printed.ends_with('\n') {
            self.text.push('\n');
        }
        self
    }

    /// Compares with the stored file, or writes it when `UPDATE_TRANSCRIPTS` is set.
    ///
    /// Ports the OS picks (caller IDs) differ on every run, so they are masked before
    /// comparing; everything else must match exactly.
    pub fn check(&self, chapter: &str, name: &str) {
        let path = root()
            .join("chapters")
            .join(chapter)
            .join("transcripts")
            .join(name);
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        let unchanged = mask_picked_ports(&stored) == mask_picked_ports(&self.text);
        if std::env::var_os("UPDATE_TRANSCRIPTS").is_some() {
            // 바뀐 것이 OS가 고른 포트뿐이면 그대로 둡니다 · keep a file whose only change
            // is the ports the OS picked, so regenerating does not churn the repository.
            if !unchanged {
                std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
                std::fs::write(&path, &self.text).expect("write transcript");
            }
            return;
        }
        assert_eq!(
            mask_picked_ports(&stored),
            mask_picked_ports(&self.text),
            "\n{} is stale. The program now prints what is on the right.\n\
             Regenerate: UPDATE_TRANSCRIPTS=1 cargo test -p book_checks\n",
            path.display()
        );
    }
}

/// Shows the server's real port as [`BOOK_PORT`]: in `ip:port`, in Python's `('ip', port)`,
/// and as the port checker's `port: ` prefix.
pub fn show_book_port(text: &str, real_port: u16) -> String {
    text.replace(
        &format!("127.0.0.1:{real_port}"),
        &format!("127.0.0.1:{BOOK_PORT}"),
    )
    .replace(&format!("', {real_port})"), &format!("', {BOOK_PORT})"))
    .replace(&format!("{real_port}: "), &format!("{BOOK_PORT}: "))
}

/// Replaces every port after `127.0.0.1:` or `'127.0.0.1', ` by `*`, except [`BOOK_PORT`].
pub fn mask_picked_ports(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, after, prefix)) = next_address(rest) {
        masked.push_str(before);
        masked.push_str(prefix);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let port = &after[..digits];
        masked.push_str(if port == BOOK_PORT.to_string() {
            port
        } else {
            "*"
        });
        rest = &after[digits..];
    }
    masked.push_str(rest);
    masked
}

fn next_address(text: &str) -> Option<(&str, &str, &'static str)> {
    ["127.0.0.1:", "'127.0.0.1', ", "free port "]
        .into_iter()
        .filter_map(|prefix| text.find(prefix).map(|at| (at, prefix)))
        .min()
        .map(|(at, prefix)| (&text[..at], &text[at + prefix.len()..], prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picked_ports_are_masked_and_the_book_port_is_kept() {
        let text = "on 127.0.0.1:9999 from 127.0.0.1:51234 ('127.0.0.1', 40001) free port 3 x";
        assert_eq!(
            mask_picked_ports(text),
            "on 127.0.0.1:9999 from 127.0.0.1:* ('127.0.0.1', *) free port * x"
        );
    }

    #[test]
    fn the_real_server_port_is_shown_as_the_book_port() {
        let text = "listening on 127.0.0.1:40123, peer ('127.0.0.1', 40123)";
        assert_eq!(
            show_book_port(text, 40123),
            "listening on 127.0.0.1:9999, peer ('127.0.0.1', 9999)"
        );
    }
}
