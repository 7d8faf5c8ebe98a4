//! Every input is read the same way: only regular files, never past a limit, never waiting on a
//! pipe. Each special-file kind goes through each input path (the spec, `--defaults`, a file in
//! an overlay, the overlay's `chartwright-overlay.yaml`, the defaults file the overlay names) and
//! must be refused within a second: a hang fails the run's deadline instead of the suite.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::cli::Project;

const DEADLINE: Duration = Duration::from_secs(1);

/// The special files a hostile checkout (or a mistyped path) can hold.
#[derive(Clone, Copy, Debug)]
enum Special {
    Fifo,
    /// A character device that never ends (`/dev/zero`'s numbers).
    Zero,
    /// A character device that is empty (`/dev/null`'s numbers).
    Null,
    Socket,
}

impl Special {
    const ALL: [Special; 4] = [Special::Fifo, Special::Zero, Special::Null, Special::Socket];

    /// What the refusal says the file is.
    fn named(self) -> &'static str {
        match self {
            Special::Fifo => "a FIFO (named pipe)",
            Special::Zero | Special::Null => "a character device",
            Special::Socket => "a socket",
        }
    }

    /// Creates the file at `path`; `None` when this system does not let the test make it (a
    /// device node needs root).
    fn make(self, path: &Path) -> Option<Box<dyn std::any::Any>> {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let node = |major_minor: [&str; 2]| {
            std::process::Command::new("mknod")
                .arg(path)
                .arg("c")
                .args(major_minor)
                .status()
                .ok()
                .filter(|s| s.success())
                .map(|_| Box::new(()) as Box<dyn std::any::Any>)
        };
        match self {
            Special::Fifo => {
                let ok = std::process::Command::new("mkfifo")
                    .arg(path)
                    .status()
                    .unwrap()
                    .success();
                assert!(ok, "mkfifo {}", path.display());
                Some(Box::new(()))
            }
            Special::Zero => node(["1", "5"]),
            Special::Null => node(["1", "3"]),
            // The listener is kept alive for the run: the socket file is only a name otherwise.
            Special::Socket => Some(Box::new(
                std::os::unix::net::UnixListener::bind(path).unwrap(),
            )),
        }
    }
}

/// The input paths, each as (what, the file to make special, the arguments that read it).
fn input_paths(p: &Project) -> Vec<(&'static str, PathBuf, Vec<String>)> {
    let s = |x: &str| x.to_string();
    let overlay = p.join("overlay");
    vec![
        (
            "spec",
            p.join("special.yaml"),
            vec![s("-f"), s("special.yaml")],
        ),
        (
            "--defaults",
            p.join("org.yaml"),
            vec![s("--defaults"), s("org.yaml")],
        ),
        (
            "overlay file",
            overlay.join("extra.yaml.j2"),
            vec![s("--templates"), s("overlay")],
        ),
        (
            "overlay config",
            overlay.join("chartwright-overlay.yaml"),
            vec![s("--templates"), s("overlay")],
        ),
        (
            "overlay defaults",
            overlay.join("org-defaults.yaml"),
            vec![s("--templates"), s("overlay")],
        ),
    ]
}

#[test]
fn every_special_file_kind_is_refused_on_every_input_path_within_a_second() {
    let mut tried = 0;
    for kind in Special::ALL {
        for what in [
            "spec",
            "--defaults",
            "overlay file",
            "overlay config",
            "overlay defaults",
        ] {
            let p = Project::example("quickstart");
            let (_, file, args) = input_paths(&p)
                .into_iter()
                .find(|(w, ..)| *w == what)
                .unwrap();
            if what == "overlay defaults" {
                common::put(
                    &p.join("overlay"),
                    "chartwright-overlay.yaml",
                    "defaults: org-defaults.yaml\n",
                );
            }
            let Some(_keep) = kind.make(&file) else {
                eprintln!("skipped {kind:?} through {what}: cannot create it here");
                continue;
            };
            tried += 1;
            p.run(["validate"])
                .args(&args)
                .within(DEADLINE)
                .fails(2)
                .stderr_has(kind.named())
                .stderr_has("not a regular file")
                .stderr_has(&file.file_name().unwrap().to_string_lossy());
        }
    }
    assert!(tried >= 10, "only {tried} cases could be set up");
}

/// The devices themselves, by their usual names: `/dev/zero` used to grow memory until the OOM
/// killer came.
#[test]
fn dev_zero_and_dev_null_are_refused_as_spec_and_defaults() {
    let p = Project::example("quickstart");
    for dev in ["/dev/zero", "/dev/null"] {
        for flag in ["-f", "--defaults"] {
            p.run(["validate", flag, dev])
                .within(DEADLINE)
                .fails(2)
                .stderr_has("a character device, not a regular file");
        }
    }
}

#[test]
fn the_spec_can_come_from_standard_input() {
    let spec = std::fs::read_to_string(common::example("quickstart")).unwrap();
    let p = Project::empty();
    p.run(["validate", "-f", "-"])
        .stdin(spec.clone())
        .succeeds();
    p.run(["generate", "-q", "-f", "-"]).stdin(spec).succeeds();
    assert!(p.join("deploy/docker-compose.yml").is_file());
    p.run(["validate", "-f", "-"])
        .stdin("version: 1\napp: Shop\n")
        .fails(2)
        .stderr_has("<stdin>:2:6");
}

#[test]
fn a_non_utf8_spec_is_located_at_its_first_bad_byte() {
    let mut text = std::fs::read(common::example("quickstart")).unwrap();
    text.extend_from_slice("# café \u{2713} ".as_bytes());
    text.extend_from_slice(b"\xff\xfe\n");
    let lines = text.iter().filter(|b| **b == b'\n').count();
    let p = Project::empty();
    std::fs::write(p.join("chartwright.yaml"), &text).unwrap();
    p.run(["validate"])
        .fails(2)
        .stderr_has(&format!("chartwright.yaml:{lines}:10"))
        .stderr_has("0xFF");
}

#[test]
fn symlink_loops_are_reported_as_loops() {
    let p = Project::example("quickstart");
    std::os::unix::fs::symlink("loop.yaml", p.join("loop.yaml")).unwrap();
    p.run(["validate", "-f", "loop.yaml"])
        .fails(2)
        .stderr_has("loop of symbolic links");
    // In the output tree.
    std::fs::create_dir(p.join("deploy")).unwrap();
    std::os::unix::fs::symlink("k8s", p.join("deploy/k8s")).unwrap();
    p.run(["generate"])
        .fails(2)
        .stderr_has("loop of symbolic links")
        .stderr_lacks("leads outside");
    // In an overlay.
    let p = Project::example("quickstart").file("overlay/a.yaml.j2", "a: 1\n");
    std::os::unix::fs::symlink("b.yaml.j2", p.join("overlay/b.yaml.j2")).unwrap();
    p.run(["validate", "--templates", "overlay"])
        .fails(2)
        .stderr_has("loop of symbolic links")
        .stderr_lacks("outside");
}

#[test]
fn init_does_not_wait_on_a_fifo_given_as_the_compose_file() {
    let p = Project::empty();
    let ok = std::process::Command::new("mkfifo")
        .arg(p.join("compose.yml"))
        .status()
        .unwrap()
        .success();
    assert!(ok);
    p.run(["init", "--yes", "--from-compose", "compose.yml"])
        .within(DEADLINE)
        .fails(2)
        .stderr_has("a FIFO (named pipe), not a regular file");
}
