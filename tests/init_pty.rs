//! The real prompt, driven through a pseudo-terminal: an invalid answer is re-asked with the
//! reason, and the accepted answers become a valid spec.

#![cfg(unix)]

use std::time::Duration;

use expectrl::{Eof, Expect, Session};

mod common;

use common::cli::{Project, binary};

fn answer<S: Expect>(p: &mut S, prompt: &str, text: &str) {
    p.expect(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt}: {e}"));
    p.send(format!("{text}\r")).unwrap();
}

#[test]
fn the_prompt_reasks_a_bad_image_and_writes_a_valid_spec() {
    // The prompt needs a terminal: the command is spawned in a pty, not run by the builder.
    let dir = Project::empty();
    let mut cmd = std::process::Command::new(binary());
    cmd.current_dir(dir.path())
        .env("TERM", "xterm")
        .args(["init", "--no-generate"]);
    let mut p = Session::spawn(cmd).expect("spawn in a pty");
    p.set_expect_timeout(Some(Duration::from_secs(60)));
    answer(&mut p, "Application name", "shop");
    answer(&mut p, "Service name", "api");
    answer(&mut p, "Image", "api:latest");
    answer(
        &mut p,
        "moves under you",
        "registry.example.com/shop/api:1.2.3",
    );
    answer(&mut p, "Container port", "3000");
    answer(&mut p, "Liveness", "");
    answer(&mut p, "Readiness", "/ready");
    answer(&mut p, "CPU request", "");
    answer(&mut p, "CPU limit", "");
    answer(&mut p, "Memory request", "");
    answer(&mut p, "Memory limit", "");
    // Dependencies: postgres is the first item; toggle it, accept, take the newest version.
    p.expect("Dependencies").unwrap();
    p.send(" \r").unwrap();
    answer(&mut p, "postgres version", "");
    answer(&mut p, "Ingress host", "api.example.com");
    p.expect("Environments").unwrap();
    p.send("\r").unwrap();
    answer(&mut p, "Other environments", "qa");
    answer(&mut p, "minimum replicas", "2");
    answer(&mut p, "maximum replicas", "8");
    p.expect("Write chartwright.yaml?").unwrap();
    p.send("y").unwrap();
    p.expect(Eof).unwrap();

    let text = std::fs::read_to_string(dir.path().join("chartwright.yaml")).unwrap();
    let f = chartwright::spec::parse("chartwright.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    let api = &f.spec.services["api"].value;
    assert_eq!(api.image.value, "registry.example.com/shop/api:1.2.3");
    assert_eq!(api.ports[0].value.port.value, 3000);
    assert_eq!(api.depends_on[0].value, "postgres");
    assert_eq!(
        f.spec.backing["postgres"].value.version.value.as_text(),
        "17"
    );
    let envs: Vec<&str> = f
        .spec
        .environments
        .as_ref()
        .unwrap()
        .value
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(envs, ["dev", "staging", "prod", "qa"]);
    assert_eq!(
        api.ingress.as_ref().unwrap().value.host.value,
        "api.example.com"
    );
}

/// Answering no to "Write chartwright.yaml?" writes nothing and exits 2 (exit 1 means drift).
#[test]
fn a_declined_confirmation_writes_nothing_and_exits_2() {
    // The prompt needs a terminal: the command is spawned in a pty, not run by the builder.
    let dir = Project::empty();
    let mut cmd = std::process::Command::new(binary());
    cmd.current_dir(dir.path()).env("TERM", "xterm").args([
        "init",
        "--no-generate",
        "--app=shop",
        "--name=api",
        "--image=registry.example.com/shop/api:1.2.3",
        "--port=3000",
        "--liveness=/healthz",
        "--readiness=/ready",
        "--cpu-request=100m",
        "--cpu-limit=500m",
        "--memory-request=128Mi",
        "--memory-limit=256Mi",
        "--depends-on=postgres",
        "--ingress-host=api.example.com",
        "--env=dev",
    ]);
    let mut p = Session::spawn(cmd).expect("spawn in a pty");
    p.set_expect_timeout(Some(Duration::from_secs(60)));
    p.expect("Write chartwright.yaml?").unwrap();
    p.send("n").unwrap();
    p.expect("nothing written").unwrap();
    p.expect(Eof).unwrap();
    let status = p.get_process().wait().unwrap();
    assert_eq!(
        status,
        expectrl::process::unix::WaitStatus::Exited(p.get_process().pid(), 2),
        "{status:?}"
    );
    assert!(!dir.path().join("chartwright.yaml").exists());
}
