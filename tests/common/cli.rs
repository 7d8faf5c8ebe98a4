//! One way to run the binary, so that each CLI test reads as a sentence (after casey/just's
//! `tests/test.rs`):
//!
//! ```ignore
//! let p = Project::example("quickstart");
//! p.run(["check"]).fails(1).stderr_has("chartwright generate");
//! ```
//!
//! Every run has a deadline: a command that hangs (on a FIFO, say) fails its test instead of
//! hanging the suite.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::example;

/// A temporary directory to run chartwright in.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    pub fn empty() -> Self {
        Project {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A project whose `chartwright.yaml` is the named example's.
    pub fn example(name: &str) -> Self {
        let p = Self::empty();
        std::fs::copy(example(name), p.join("chartwright.yaml")).unwrap();
        p
    }

    /// A copy of the named example's whole folder (its overlay and other files too).
    pub fn example_folder(name: &str) -> Self {
        let p = Self::empty();
        super::copy_dir(&super::example_dir(name), p.path());
        p
    }

    /// A project whose `chartwright.yaml` is `text`.
    pub fn with_spec(text: &str) -> Self {
        Self::empty().file("chartwright.yaml", text)
    }

    /// Adds a file (and its folders).
    pub fn file(self, rel: &str, contents: &str) -> Self {
        super::put(self.path(), rel, contents);
        self
    }

    /// Adds a team template folder `overlay/` holding these files (empty if there are none).
    pub fn overlay(mut self, files: &[(&str, &str)]) -> Self {
        std::fs::create_dir_all(self.join("overlay")).unwrap();
        for (rel, text) in files {
            self = self.file(&format!("overlay/{rel}"), text);
        }
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// chartwright with these arguments, run in the project.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut run = chartwright(args);
        run.cmd.current_dir(self.path());
        run
    }
}

/// The chartwright binary under test.
pub fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("chartwright")
}

/// chartwright with these arguments (in the test's working directory unless a [`Project`]
/// runs it, or [`Run::in_dir`] names another).
pub fn chartwright<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(binary());
    cmd.args(args).env_remove("NO_COLOR");
    Run {
        cmd,
        stdin: None,
        timeout: Duration::from_secs(60),
        stdout_redirected: false,
    }
}

pub struct Run {
    cmd: Command,
    stdin: Option<Vec<u8>>,
    timeout: Duration,
    stdout_redirected: bool,
}

impl Run {
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.cmd.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Runs in `dir` (a folder that is not a [`Project`]'s root).
    pub fn in_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// Bytes on standard input (otherwise it is empty).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Standard output goes here instead of being captured (a pipe whose reader is gone).
    pub fn stdout_to(mut self, to: impl Into<Stdio>) -> Self {
        self.cmd.stdout(to);
        self.stdout_redirected = true;
        self
    }

    /// Fails the test when the command has not ended after `limit`.
    pub fn within(mut self, limit: Duration) -> Self {
        self.timeout = limit;
        self
    }

    /// Runs to the end (or the deadline) and returns what it printed.
    pub fn output(mut self) -> Ran {
        let described = format!("{:?}", self.cmd);
        self.cmd.stdin(Stdio::piped()).stderr(Stdio::piped());
        if !self.stdout_redirected {
            self.cmd.stdout(Stdio::piped());
        }
        let mut child = self.cmd.spawn().unwrap();
        let stdin = self.stdin.take().unwrap_or_default();
        let mut pipe_in = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            let _ = pipe_in.write_all(&stdin);
        });
        let readers: Vec<_> = [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .map(|r| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(mut r) = r {
                    let _ = r.read_to_end(&mut buf);
                }
                buf
            })
        })
        .collect();
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{described} did not finish within {:?}", self.timeout);
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let _ = writer.join();
        let mut outputs = readers.into_iter().map(|r| r.join().unwrap());
        Ran {
            described,
            code: status.code(),
            stdout: outputs.next().unwrap(),
            stderr: outputs.next().unwrap(),
        }
    }

    /// Runs and asserts exit code 0.
    pub fn succeeds(self) -> Ran {
        self.output().code(0)
    }

    /// Runs and asserts this (non-zero) exit code.
    pub fn fails(self, code: i32) -> Ran {
        self.output().code(code)
    }
}

/// A finished run.
pub struct Ran {
    described: String,
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Ran {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// The command, its exit code and both outputs, for a failure message.
    pub fn context(&self) -> String {
        format!(
            "{}\n--- exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.described,
            self.code,
            self.stdout(),
            self.stderr()
        )
    }

    pub fn code(self, code: i32) -> Self {
        assert_eq!(self.code, Some(code), "{}", self.context());
        self
    }

    pub fn stdout_has(self, text: &str) -> Self {
        assert!(
            self.stdout().contains(text),
            "no {text:?} in stdout of {}",
            self.context()
        );
        self
    }

    pub fn stderr_has(self, text: &str) -> Self {
        assert!(
            self.stderr().contains(text),
            "no {text:?} in stderr of {}",
            self.context()
        );
        self
    }

    pub fn stderr_lacks(self, text: &str) -> Self {
        assert!(
            !self.stderr().contains(text),
            "{text:?} in stderr of {}",
            self.context()
        );
        self
    }

    pub fn stdout_is_empty(self) -> Self {
        assert!(
            self.stdout.is_empty(),
            "stdout not empty: {}",
            self.context()
        );
        self
    }

    pub fn stderr_is_empty(self) -> Self {
        assert!(
            self.stderr.is_empty(),
            "stderr not empty: {}",
            self.context()
        );
        self
    }

    /// Standard output as exactly one JSON document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {}", self.context()))
    }
}
