//! Storage, files, users and egress the way users hit them: config files read from the
//! repository (and refused outside it), the Compose bind mount that still finds the file from the
//! output folder, pods that roll when a file changes, per-environment images, declared egress.

mod common;

use common::cli::Project;

/// The head of every spec here: one service, to which each test adds its fields.
macro_rules! api {
    () => {
        "version: 1
app: shop
services:
  api:
    image: registry.example.com/shop/api:1.4.2
    ports: [{ name: http, port: 3000 }]
"
    };
}

const API: &str = api!();

/// [`API`] depending on a PostgreSQL backing entry.
const API_WITH_DB: &str = concat!(
    api!(),
    "    depends_on: [postgres]
backing:
  postgres: { kind: postgres, version: \"16\" }
"
);

const SPEC: &str = concat!(
    api!(),
    "    config_files:
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
"
);

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
    refused_in_repo(&p).stderr_has("services.api.config_files[0].source");
}

/// `generate` of `repo/chartwright.yaml` fails as a repository escape, writing nothing.
fn refused_in_repo(p: &Project) -> common::cli::Ran {
    let ran = p
        .run([
            "generate",
            "-f",
            "repo/chartwright.yaml",
            "-o",
            "repo/deploy",
        ])
        .fails(2)
        .stderr_has("leads outside the spec's repository");
    assert!(!p.join("repo/deploy").exists());
    ran
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
    let spec = format!(
        "{API}    run_as_image_user: true
    read_only_root_filesystem: false
    read_only_root_filesystem_reason: the vendor image rewrites /etc/nginx at start
"
    );
    let p = Project::with_spec(&spec);
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

#[test]
fn backing_endpoints_are_per_environment() {
    let spec = format!(
        "{API_WITH_DB}environments:
  dev: {{}}
  staging:
    backing:
      postgres: {{ host: db.staging.example.com }}
  prod:
    backing:
      postgres: {{ host_secret: {{ name: shop-db, key: host }} }}
"
    );
    let p = Project::with_spec(&spec);
    p.run(["generate"]).succeeds();
    let host = |env: &str| {
        let text = read(&p, &format!("deploy/k8s/{env}/api.yaml"));
        let at = text
            .find("- name: \"POSTGRES_HOST\"")
            .expect("POSTGRES_HOST");
        text[at..].lines().take(5).collect::<Vec<_>>().join("\n")
    };
    assert!(
        host("dev").contains("value: \"postgres\""),
        "{}",
        host("dev")
    );
    assert!(
        host("staging").contains("value: \"db.staging.example.com\""),
        "{}",
        host("staging")
    );
    let prod = host("prod");
    assert!(prod.contains("name: \"shop-db\""), "{prod}");
    assert!(prod.contains("key: \"host\""), "{prod}");
    // The URL follows the variable, whatever its source.
    let text = read(&p, "deploy/k8s/prod/api.yaml");
    assert!(
        text.contains("@$(POSTGRES_HOST):$(POSTGRES_PORT)"),
        "{text}"
    );
}

#[test]
fn a_symbolic_link_out_of_the_repository_is_refused() {
    let p = Project::empty()
        .file("outside/secret.txt", "secret\n")
        .file("repo/.git/HEAD", "ref: refs/heads/main\n")
        .file("repo/chartwright.yaml", SPEC);
    std::fs::create_dir_all(p.join("repo/config")).unwrap();
    std::os::unix::fs::symlink(p.join("outside/secret.txt"), p.join("repo/config/app.toml"))
        .unwrap();
    refused_in_repo(&p);
}

/// The example's volumes, ports and egress in all three outputs.
#[test]
fn the_storage_example_carries_volumes_and_every_port_everywhere() {
    let files = common::generate(&common::example("storage"));
    let get = |path: &str| {
        files
            .get(path)
            .unwrap_or_else(|| panic!("{path}"))
            .to_string()
    };
    let objects = |path: &str| chartwright::yaml::parse_documents(&get(path)).unwrap();
    // search may scale out: a StatefulSet with a claim per replica, in every environment.
    for env in ["dev", "prod"] {
        let search = objects(&format!("k8s/{env}/search.yaml"));
        let sts = search.iter().find(|d| d["kind"] == "StatefulSet").unwrap();
        assert_eq!(
            sts["spec"]["volumeClaimTemplates"][0]["metadata"]["name"],
            "data"
        );
        // files is one writer: a Deployment, a claim, Recreate.
        let store = objects(&format!("k8s/{env}/files.yaml"));
        let d = store.iter().find(|d| d["kind"] == "Deployment").unwrap();
        assert_eq!(d["spec"]["strategy"]["type"], "Recreate");
        assert!(store.iter().any(
            |d| d["kind"] == "PersistentVolumeClaim" && d["metadata"]["name"] == "files-blobs"
        ));
        // Every port of search is open to web, not only the first.
        let np = search
            .iter()
            .find(|d| d["kind"] == "NetworkPolicy")
            .unwrap();
        let ports: Vec<&serde_json::Value> = np["spec"]["ingress"][0]["ports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["port"])
            .collect();
        assert_eq!(ports, ["http", "metrics"]);
    }
    let prod = objects("k8s/prod/search.yaml");
    let sts = prod.iter().find(|d| d["kind"] == "StatefulSet").unwrap();
    let claim = &sts["spec"]["volumeClaimTemplates"][0]["spec"];
    assert_eq!(claim["resources"]["requests"]["storage"], "50Gi");
    assert_eq!(claim["storageClassName"], "premium-rwo");
    let hpa = prod
        .iter()
        .find(|d| d["kind"] == "HorizontalPodAutoscaler")
        .unwrap();
    assert_eq!(hpa["spec"]["scaleTargetRef"]["kind"], "StatefulSet");
    let compose = get("docker-compose.yml");
    for mount in ["search_data:/meili_data", "files_blobs:/data"] {
        assert!(compose.contains(mount), "{mount}");
    }
    assert!(get("charts/search/values.yaml").contains("statefulSet: true"));
}

#[test]
fn an_env_file_is_non_secret_configuration_of_one_environment() {
    let spec = format!(
        "{API_WITH_DB}environments:
  dev: {{}}
  prod:
    overrides:
      api:
        env_file: config/prod.env
        env: {{ LOG_LEVEL: error }}
"
    );
    let p = Project::with_spec(&spec).file("config/prod.env", "LOG_LEVEL=warn\nREGION=eu-west-1\n");
    p.run(["generate"]).succeeds();
    let prod = read(&p, "deploy/k8s/prod/api.yaml");
    assert!(prod.contains("\"REGION\": \"eu-west-1\""), "{prod}");
    // `env:` of the override wins over the file.
    assert!(prod.contains("\"LOG_LEVEL\": \"error\""), "{prod}");
    assert!(!read(&p, "deploy/k8s/dev/api.yaml").contains("REGION"));

    // A secret in it is refused, naming the env file's line and the spec's field.
    std::fs::write(
        p.join("config/prod.env"),
        "REGION=eu\nDB_PASSWORD=hunter2\n",
    )
    .unwrap();
    p.run(["generate", "-o", "other"])
        .fails(2)
        .stderr_has("environments.prod.overrides.api.env_file")
        .stderr_has("config/prod.env:2: `DB_PASSWORD` looks like a secret");
    assert!(!p.join("other").exists());

    // A variable a dependency injects cannot be shadowed from the file either.
    std::fs::write(p.join("config/prod.env"), "POSTGRES_HOST=elsewhere\n").unwrap();
    p.run(["generate", "-o", "other"])
        .fails(2)
        .stderr_has("POSTGRES_HOST");
}
