//! The one boundary between a run and the terminal: every error becomes its exit code and its
//! message here, and is printed here, once; standard output is written through [`Stdout`], where
//! a closed pipe ends the output quietly.
//!
//! Exit codes (docs/cli.md): 0 ok; 1 drift or merge conflicts; 2 invalid input or usage, and a
//! declined confirmation (nothing was written, as for a refused input); 3 I/O.

use std::io::{self, Write};

use serde_json::json;

use crate::input::ReadError;
use crate::output::OutputError;
use crate::pipeline::Error;
use crate::render::templates::OverlayError;
use crate::spec::{Diagnostic, ErrorKind};

pub const OK: i32 = 0;
pub const DRIFT: i32 = 1;
pub const INVALID: i32 = 2;
pub const IO: i32 = 3;

impl Error {
    /// The exit code of a run that ended with this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Drift(_) => DRIFT,
            Error::Output(
                OutputError::Io { .. }
                | OutputError::Interrupted { .. }
                | OutputError::Locked { .. }
                | OutputError::NotADirectory { .. },
            )
            | Error::Stdout(_) => IO,
            Error::Spec(_)
            | Error::Render(_)
            | Error::Overlay(_)
            | Error::Output(_)
            | Error::Usage(_)
            | Error::Declined(_) => INVALID,
        }
    }
}

/// Standard output for results. A reader that goes away early (`chartwright diff | head`) is a
/// normal end, as in ripgrep: the rest of the output is dropped without a word, and the exit
/// code still tells the run's outcome. Any other failure to write is an I/O error.
pub struct Stdout {
    inner: Box<dyn Write>,
    closed: bool,
    wrote: bool,
}

impl Stdout {
    /// The process's standard output, buffered (flushed by [`finish`]).
    pub fn real() -> Self {
        Self::new(Box::new(io::BufWriter::new(io::stdout().lock())))
    }

    pub fn new(inner: Box<dyn Write>) -> Self {
        Stdout {
            inner,
            closed: false,
            wrote: false,
        }
    }

    /// Whether anything was written (or dropped on a closed pipe): JSON mode then has its one
    /// document already.
    pub fn wrote(&self) -> bool {
        self.wrote
    }

    fn quiet_on_broken_pipe<T>(&mut self, r: io::Result<T>, closed: T) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(closed)
            }
            r => r,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.wrote = true;
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        self.quiet_on_broken_pipe(r, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.quiet_on_broken_pipe(r, ())
    }
}

/// Ends a run: flushes standard output, prints the error (if any) on standard error, and in
/// JSON mode makes sure standard output holds exactly one JSON document. Returns the exit code.
pub fn finish(result: Result<(), Error>, out: &mut Stdout, json: bool) -> i32 {
    let flushed = out.flush().map_err(Error::Stdout);
    let Err(e) = result.and(flushed) else {
        return OK;
    };
    if json && !out.wrote() {
        let _ =
            print_json(out, &error_document(&e)).and_then(|_| out.flush().map_err(Error::Stdout));
    }
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{}", message(&e));
    e.exit_code()
}

/// The text of an error as printed on standard error.
pub fn message(e: &Error) -> String {
    match e {
        // These carry source text and draw their own snippets (with the `error:` title).
        Error::Spec(e) => e.to_string(),
        Error::Render(e) => e.to_string().trim_end().to_string(),
        Error::Overlay(OverlayError::Parse(e)) => e.to_string(),
        Error::Declined(m) => m.clone(),
        other => crate::snippet::error(&other.to_string()),
    }
}

/// `{"error": {"exit_code": 2, "file": "...", "errors": [...]}}`: what `--format json` prints
/// when a command fails before it has a report (docs/cli.md).
pub fn error_document(e: &Error) -> serde_json::Value {
    let (file, errors) = diagnostics(e);
    json!({ "error": { "exit_code": e.exit_code(), "file": file, "errors": errors } })
}

/// The error as the file it is about and `validate --format json`'s diagnostics.
pub fn diagnostics(e: &Error) -> (Option<String>, Vec<Diagnostic>) {
    let one = |kind, line: Option<usize>, message: String| Diagnostic {
        kind,
        path: String::new(),
        line: line.map_or(0, |l| u32::try_from(l).unwrap_or(u32::MAX)),
        column: 0,
        message,
        hint: None,
    };
    match e {
        Error::Spec(s) => (Some(s.file.clone()), s.diagnostics.clone()),
        Error::Render(r) => (
            Some(
                r.file
                    .clone()
                    .unwrap_or_else(|| format!("templates/{}", r.template)),
            ),
            vec![one(ErrorKind::Invalid, r.line, r.message.clone())],
        ),
        Error::Overlay(o) => {
            let (file, kind) = match o {
                OverlayError::Read { file, source } => (
                    file,
                    match source {
                        ReadError::TooBig { .. } => ErrorKind::Limit,
                        ReadError::NotUtf8 { .. } => ErrorKind::Syntax,
                        _ => ErrorKind::Io,
                    },
                ),
                OverlayError::Parse(s) => return (Some(s.file.clone()), s.diagnostics.clone()),
                OverlayError::NotADirectory { dir } => (dir, ErrorKind::Io),
                OverlayError::Io { path, .. } => (path, ErrorKind::Io),
                OverlayError::Escapes { file, .. }
                | OverlayError::Config { file, .. }
                | OverlayError::Contract { file, .. } => (file, ErrorKind::Invalid),
            };
            (
                Some(file.display().to_string()),
                vec![one(kind, None, e.to_string())],
            )
        }
        other => {
            let kind = if other.exit_code() == IO {
                ErrorKind::Io
            } else {
                ErrorKind::Invalid
            };
            (None, vec![one(kind, None, other.to_string())])
        }
    }
}

/// A JSON value, pretty-printed, on its own lines.
pub fn print_json<T: serde::Serialize>(out: &mut Stdout, value: &T) -> Result<(), Error> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| Error::Stdout(e.into()))?;
    writeln!(out).map_err(Error::Stdout)
}

/// `note: ...` on standard error (never fails a run: a closed stderr loses the note).
pub fn note(message: &str) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "note: {}", crate::snippet::printable(message));
}

/// A command line clap refused (or `--help`/`--version`, which clap reports the same way).
/// Under `--format json` the refusal is a JSON document too.
pub fn command_line_error(e: clap::Error, args: &[std::ffi::OsString]) -> i32 {
    use clap::error::ErrorKind as K;
    if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
        let mut out = Stdout::real();
        let _ = write!(out, "{e}");
        let _ = out.flush();
        return OK;
    }
    let json = args
        .windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json");
    if json {
        let mut out = Stdout::real();
        let first = e.to_string();
        let message = first
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_string();
        let doc = json!({ "error": { "exit_code": INVALID, "file": null, "errors": [Diagnostic {
            kind: ErrorKind::Invalid,
            path: String::new(),
            line: 0,
            column: 0,
            message,
            hint: None,
        }] } });
        let _ = print_json(&mut out, &doc).and_then(|_| out.flush().map_err(Error::Stdout));
    }
    let text = e.render().to_string();
    let mut stderr = io::stderr().lock();
    match text.strip_prefix("error: ") {
        // clap's explanation: its first line gets the one `error:` prefix of all errors, the
        // usage and hint follow as clap wrote them.
        Some(body) => {
            let (first, rest) = body.split_once('\n').unwrap_or((body, ""));
            let _ = writeln!(stderr, "{}", crate::snippet::error(first));
            let _ = write!(stderr, "{rest}");
        }
        // No subcommand at all: the help is the answer (still exit 2, as clap does).
        None => {
            let _ = write!(stderr, "{text}");
        }
    }
    INVALID
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from_raw_os_error(28))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_ends_the_output_quietly() {
        let mut out = Stdout::new(Box::new(Closed));
        writeln!(out, "first").unwrap();
        writeln!(out, "second").unwrap();
        assert_eq!(finish(Ok(()), &mut out, false), OK);
    }

    #[test]
    fn a_full_disk_is_an_io_error() {
        let mut out = Stdout::new(Box::new(Full));
        let e = writeln!(out, "x").unwrap_err();
        assert_eq!(Error::Stdout(e).exit_code(), IO);
    }

    #[test]
    fn every_error_kind_has_its_code() {
        assert_eq!(Error::Drift("d".into()).exit_code(), DRIFT);
        assert_eq!(Error::Usage("u".into()).exit_code(), INVALID);
        assert_eq!(Error::Declined("n".into()).exit_code(), INVALID);
        let io = OutputError::Io {
            action: "write",
            path: "x".into(),
            source: io::ErrorKind::PermissionDenied.into(),
        };
        assert_eq!(Error::Output(io).exit_code(), IO);
        let foreign = OutputError::ForeignFiles {
            paths: vec!["x".into()],
        };
        assert_eq!(Error::Output(foreign).exit_code(), INVALID);
    }

    #[test]
    fn the_error_prefix_is_written_once() {
        let e = Error::Overlay(OverlayError::NotADirectory {
            dir: "/nonexistent".into(),
        });
        let text = message(&e);
        assert_eq!(text.matches("error").count(), 1, "{text}");
        assert!(
            text.starts_with("error: template overlay /nonexistent"),
            "{text}"
        );
    }
}
