//! Ordinary specs whose Compose file Compose used to refuse or misread (issue 18): memory limits
//! without a binary suffix, `$` in a build path, UDP ports, two databases. Each is checked with
//! the real `docker compose config`, which is what a developer runs first.

mod common;

use chartwright::spec::quantity::Quantity;
use serde_json::Value;

fn spec(service_extra: &str, rest: &str) -> String {
    format!(
        "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/shop/api:1.4.2\n{service_extra}{rest}"
    )
}

fn config(text: &str) -> Option<(chartwright::plan::Plan, Value)> {
    let compose = common::require("docker-compose")?;
    let dir = tempfile::tempdir().unwrap();
    let (plan, out) = common::generate_to_dir(dir.path(), text);
    let config = common::compose_config(&compose, &plan, &out)
        .unwrap_or_else(|e| panic!("docker compose config refused:\n{e}\n{text}"));
    Some((plan, config))
}

/// Every form of memory quantity Kubernetes accepts reaches Compose as the same number of bytes
/// (rounded up), and Kubernetes still gets the text the user wrote.
#[test]
fn memory_limits_in_every_unit_pass_compose_config_with_the_same_bytes() {
    for q in [
        "1G",
        "600M",
        "1.5Gi",
        "536870912",
        "512Mi",
        "1.1Gi",
        "2Gi",
        "128974848",
        "129e6",
        "123Mi",
        "100k",
        "1Ki",
    ] {
        let text = spec(
            &format!(
                "    ports: [{{ name: http, port: 3000 }}]\n    resources:\n      requests: {{ memory: \"{q}\" }}\n      limits: {{ memory: \"{q}\" }}\n"
            ),
            "",
        );
        let Some((plan, config)) = config(&text) else {
            return;
        };
        assert_eq!(plan.services[0].base.resources.limits.memory, q);
        let expected = Quantity::parse(q).unwrap().value.ceil() as u64;
        let got = &config["services"]["api"]["deploy"]["resources"]["limits"]["memory"];
        // `config --format json` prints the bytes it read, as a number or a numeric string.
        // Zero is "no limit" to Compose, which then leaves the key out.
        let bytes = got
            .as_u64()
            .or_else(|| got.as_str().and_then(|s| s.parse().ok()))
            .or_else(|| (got.is_null() && expected == 0).then_some(0));
        assert_eq!(bytes, Some(expected), "{q}: compose read {got}");
    }
}

/// `$` in a build path stays literal: Compose must not resolve `${HOME}` to the home folder of
/// whoever runs it.
#[test]
fn a_dollar_in_a_build_path_is_not_interpolated() {
    let text = spec(
        "    build: ./${HOME}/ctx-$USER\n    ports: [{ name: http, port: 3000 }]\n",
        "",
    );
    let Some((_, config)) = config(&text) else {
        return;
    };
    let context = config["services"]["api"]["build"]["context"]
        .as_str()
        .unwrap()
        .replace("$$", "$");
    assert!(context.ends_with("/${HOME}/ctx-$USER"), "{context}");
}

/// A UDP port is published as UDP, the probes and the Compose healthcheck use the TCP port the
/// spec names, and the chart's Service keeps the protocol.
#[test]
fn a_udp_port_is_mapped_as_udp_and_probes_stay_on_tcp() {
    let text = spec(
        "    ports:\n      - { name: dns, port: 5353, protocol: UDP }\n      - { name: admin, port: 8080 }\n    health:\n      liveness: { http: /healthz, port: admin }\n      readiness: { http: /ready, port: admin }\n",
        "",
    );
    let Some((plan, config)) = config(&text) else {
        return;
    };
    let ports = config["services"]["api"]["ports"].as_array().unwrap();
    let dns = ports
        .iter()
        .find(|p| p["target"] == 5353)
        .expect("the UDP port is published");
    assert_eq!(dns["protocol"], "udp", "{ports:?}");
    let admin = ports.iter().find(|p| p["target"] == 8080).unwrap();
    assert_eq!(admin["protocol"], "tcp", "{ports:?}");
    let test = config["services"]["api"]["healthcheck"]["test"].to_string();
    assert!(test.contains("127.0.0.1:8080/ready"), "{test}");
    let values = &plan.services[0].base;
    assert_eq!(values.probes.liveness.port, "admin");
    assert_eq!(values.probes.readiness.port, "admin");
    assert!(!values.ingress.enabled);
    assert_eq!(values.service.ports[0].protocol, "UDP");
}

/// postgres and mysql both conventionally hand over `DATABASE_URL`: with both, each URL is
/// namespaced by its dependency's name and neither shadows the other.
#[test]
fn two_databases_get_one_url_each() {
    let text = spec(
        "    ports: [{ name: http, port: 3000 }]\n    depends_on: [orders, legacy]\n",
        "backing:\n  orders: { kind: postgres, version: \"16\" }\n  legacy: { kind: mysql, version: \"8.4\" }\n",
    );
    let Some((plan, config)) = config(&text) else {
        return;
    };
    let env = config["services"]["api"]["environment"]
        .as_object()
        .unwrap();
    assert!(
        env.contains_key("ORDERS_URL") && env.contains_key("LEGACY_URL"),
        "{env:?}"
    );
    assert!(!env.contains_key("DATABASE_URL"), "{env:?}");
    let names: Vec<&str> = plan.services[0]
        .base
        .connections
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(names.len(), unique.len(), "{names:?}");
    assert!(names.contains(&"ORDERS_URL") && names.contains(&"LEGACY_URL"));
}

/// A dependent reaches a service whose first port is UDP on its first TCP port: an `http://`
/// URL on a UDP port would never answer.
#[test]
fn a_dependency_url_uses_the_first_tcp_port() {
    let text = spec(
        "    ports:\n      - { name: dns, port: 5353, protocol: UDP }\n      - { name: admin, port: 8080 }\n    health:\n      liveness: { http: /healthz, port: admin }\n      readiness: { http: /ready, port: admin }\n  web:\n    image: registry.example.com/shop/web:1.0.0\n    ports: [{ name: http, port: 3000 }]\n    depends_on: [api]\n",
        "",
    );
    let Some((plan, config)) = config(&text) else {
        return;
    };
    let env = &config["services"]["web"]["environment"];
    assert_eq!(env["API_URL"], "http://api:8080", "{env}");
    assert_eq!(env["API_PORT"], "8080", "{env}");
    let web = plan.services.iter().find(|s| s.name == "web").unwrap();
    let url = web
        .base
        .connections
        .iter()
        .find(|c| c.name == "API_URL")
        .unwrap();
    assert_eq!(url.value, "http://api:8080");
}
