//! Storage, files, users and egress the way users hit them: config files read from the
//! repository (and refused outside it), the Compose bind mount that still finds the file from the
//! output folder, pods that roll when a file changes, per-environment images, declared egress.

mod common;

use common::cli::Project;

const SPEC: &str = "version: 1
app: shop
services:
  api:
    image: registry.example.com/shop/api:1.4.2
    ports: [{ name: http, port: 3000 }]
    config_files:
      - { source: config/app.toml, mount_path: /etc/api/app.toml }
    egress:
      - { to: hooks.example.com, ports: [443] }
environments:
  dev: { replicas: 1 }
  prod:
    replicas: 1
    overrides:
      api:
        image: registry.example.com/shop/api@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945
";

fn read(p: &Project, rel: &str) -> String {
    std::fs::read_to_string(p.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_missing_config_file_is_located_and_nothing_is_written() {
    let p = Project::with_spec(SPEC);
    p.run(["generate"])
        .fails(2)
        .stderr_has("services.api.config_files[0].source")
        .stderr_has("chartwright.yaml:8:")
        .stderr_has("config/app.toml");
    assert!(!p.join("deploy").exists());
}

#[test]
fn a_config_file_outside_the_repository_is_refused() {
    let p = Project::empty()
        .file("outside.txt", "secret\n")
        .file("repo/.git/HEAD", "ref: refs/heads/main\n")
        .file(
            "repo/chartwright.yaml",
            &SPEC.replace("config/app.toml, mount", "../outside.txt, mount"),
        );
    p.run([
        "generate",
        "-f",
        "repo/chartwright.yaml",
        "-o",
        "repo/deploy",
    ])
    .fails(2)
    .stderr_has("services.api.config_files[0].source")
    .stderr_has("leads outside the spec's repository");
    assert!(!p.join("repo/deploy").exists());
}

#[test]
fn files_reach_every_output_and_a_change_rolls_the_pods() {
    let p = Project::with_spec(SPEC).file("config/app.toml", "level = \"info\"\n");
    p.run(["generate", "-o", "out/deploy"]).succeeds();
    let k8s = read(&p, "out/deploy/k8s/prod/api.yaml");
    assert!(k8s.contains("kind: ConfigMap"), "{k8s}");
    assert!(k8s.contains(r#""app.toml": "level = \"info\"\n""#), "{k8s}");
    assert!(k8s.contains(r#"subPath: "app.toml""#), "{k8s}");
    let checksum = |text: &str| {
        text.lines()
            .find(|l| l.contains("\"checksum/files\":"))
            .map(str::to_string)
            .expect("a checksum/files annotation")
    };
    let before = checksum(&k8s);
    // Compose finds the file from the output folder.
    let compose = read(&p, "out/deploy/docker-compose.yml");
    let source = compose
        .lines()
        .find_map(|l| l.trim().strip_prefix("source: "))
        .expect("a bind mount")
        .trim_matches('"')
        .to_string();
    assert!(source.starts_with("../"), "{source}");
    assert!(p.join("out/deploy").join(&source).is_file(), "{source}");

    std::fs::write(p.join("config/app.toml"), "level = \"debug\"\n").unwrap();
    p.run(["generate", "-o", "out/deploy"]).succeeds();
    let after = read(&p, "out/deploy/k8s/prod/api.yaml");
    assert_ne!(
        checksum(&after),
        before,
        "the pods must roll on a changed file"
    );
}

#[test]
fn the_image_and_egress_are_per_environment_and_visible() {
    let p = Project::with_spec(SPEC).file("config/app.toml", "x = 1\n");
    p.run(["generate"]).succeeds();
    let dev = read(&p, "deploy/k8s/dev/api.yaml");
    let prod = read(&p, "deploy/k8s/prod/api.yaml");
    assert!(dev.contains("image: \"registry.example.com/shop/api:1.4.2\""));
    assert!(prod.contains("image: \"registry.example.com/shop/api@sha256:4f53cda18c2b"));
    for text in [&dev, &prod] {
        assert!(
            text.contains("# Declared egress: host hooks.example.com"),
            "{text}"
        );
        assert!(text.contains("cidr: \"0.0.0.0/0\""), "{text}");
        assert!(text.contains("port: 443"), "{text}");
    }
}

#[test]
fn the_image_user_and_a_writable_root_with_its_reason() {
    let spec = "version: 1
app: shop
services:
  api:
    image: registry.example.com/shop/api:1.4.2
    ports: [{ name: http, port: 3000 }]
    run_as_image_user: true
    read_only_root_filesystem: false
    read_only_root_filesystem_reason: the vendor image rewrites /etc/nginx at start
";
    let p = Project::with_spec(spec);
    p.run(["generate"]).succeeds();
    let k8s = read(&p, "deploy/k8s/prod/api.yaml");
    assert!(!k8s.contains("runAsUser"), "{k8s}");
    assert!(k8s.contains("runAsNonRoot: true"), "{k8s}");
    assert!(
        k8s.contains("# Writable root filesystem: the vendor image rewrites /etc/nginx at start"),
        "{k8s}"
    );
    assert!(k8s.contains("readOnlyRootFilesystem: false"), "{k8s}");
    let compose = read(&p, "deploy/docker-compose.yml");
    assert!(compose.contains("read_only: false"), "{compose}");
    assert!(
        compose.contains("the vendor image rewrites /etc/nginx"),
        "{compose}"
    );
    assert!(!compose.contains("    user:"), "{compose}");
}
