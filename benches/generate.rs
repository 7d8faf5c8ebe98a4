//! Spec → file set, in-process. Targets (README "Performance", issue 17): the quickstart in
//! under 2 ms, a 200-service spec in under 100 ms; the 1,000-service case shows the growth (5x
//! the services must cost no more than about 5x the time: nothing quadratic).

use chartwright::render::{TemplateSet, render};

fn main() {
    divan::main();
}

fn quickstart() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/quickstart/chartwright.yaml"
    ))
    .unwrap()
}

/// A spec of `n` services, each depending on the previous one and on PostgreSQL.
pub fn many_services(n: usize) -> String {
    let mut s = String::from(
        "version: 1\napp: big\nbacking:\n  postgres: { kind: postgres, version: \"16\" }\nservices:\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "  svc-{i}:\n    image: registry.example.com/big/svc-{i}:1.0.{i}\n    ports: [{{ name: http, port: 8080 }}]\n    env: {{ INDEX: \"{i}\" }}\n    depends_on: [postgres{}]\n",
            if i > 0 { format!(", svc-{}", i - 1) } else { String::new() }
        ));
        if i % 10 == 0 {
            s.push_str(&format!("    ingress: {{ host: svc-{i}.example.com }}\n"));
        }
    }
    s
}

fn spec_to_files(text: &str) -> usize {
    let file = chartwright::spec::parse("bench.yaml", text).unwrap();
    let plan = chartwright::plan::build(&file, None).unwrap();
    render(&std::sync::Arc::new(plan), &TemplateSet::embedded())
        .unwrap()
        .len()
}

#[divan::bench]
fn quickstart_spec_to_files(b: divan::Bencher) {
    let text = quickstart();
    b.bench(|| spec_to_files(divan::black_box(&text)));
}

#[divan::bench(sample_count = 10)]
fn two_hundred_services_to_files(b: divan::Bencher) {
    let text = many_services(200);
    b.bench(|| spec_to_files(divan::black_box(&text)));
}

#[divan::bench(sample_count = 3)]
fn thousand_services_to_files(b: divan::Bencher) {
    let text = many_services(1000);
    b.bench(|| spec_to_files(divan::black_box(&text)));
}
