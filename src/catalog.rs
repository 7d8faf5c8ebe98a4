//! The backing-service catalog: data, not code. Each entry says how to run the service locally
//! (pinned image, native healthcheck, volume, environment) and what a dependent needs to reach
//! it (the connection URL). Placeholders in braces are filled by the plan: `{name}` (the entry's
//! name in the spec), `{user}`, `{database}`, `{password}`, `{host}`, `{port}`.

#[derive(Debug)]
pub struct CatalogEntry {
    pub kind: &'static str,
    /// Image names (without tag) that identify this kind when importing a Compose file.
    pub image_names: &'static [&'static str],
    /// Supported versions and the pinned image each one runs.
    pub versions: &'static [(&'static str, &'static str)],
    pub port: u16,
    pub healthcheck: Healthcheck,
    /// Where the data lives in the container; `None` for services that keep no state worth a volume.
    pub data_path: Option<&'static str>,
    /// The container's own environment in Compose.
    pub container_env: &'static [(&'static str, &'static str)],
    pub command: &'static [&'static str],
    /// Whether the service is protected by a password (kept in `.env` / a Kubernetes Secret).
    pub password: bool,
    /// The variable dependents read, when a service depends on one entry of this kind.
    pub url_var: &'static str,
    pub url: &'static str,
}

#[derive(Debug)]
pub struct Healthcheck {
    pub test: &'static [&'static str],
    pub interval: &'static str,
    pub timeout: &'static str,
    pub retries: u32,
    pub start_period: &'static str,
}

pub const CATALOG: &[CatalogEntry] = &[
    CatalogEntry {
        kind: "postgres",
        image_names: &["postgres", "library/postgres", "bitnami/postgresql"],
        versions: &[
            ("13", "postgres:13.16-alpine"),
            ("14", "postgres:14.13-alpine"),
            ("15", "postgres:15.8-alpine"),
            ("16", "postgres:16.4-alpine"),
            ("17", "postgres:17.2-alpine"),
        ],
        port: 5432,
        healthcheck: Healthcheck {
            test: &[
                "CMD-SHELL",
                "pg_isready -U \"$$POSTGRES_USER\" -d \"$$POSTGRES_DB\"",
            ],
            interval: "5s",
            timeout: "5s",
            retries: 10,
            start_period: "10s",
        },
        data_path: Some("/var/lib/postgresql/data"),
        container_env: &[
            ("POSTGRES_USER", "{user}"),
            ("POSTGRES_PASSWORD", "{password}"),
            ("POSTGRES_DB", "{database}"),
        ],
        command: &[],
        password: true,
        url_var: "DATABASE_URL",
        url: "postgresql://{user}:{password}@{host}:{port}/{database}",
    },
    CatalogEntry {
        kind: "mysql",
        image_names: &["mysql", "library/mysql", "mariadb"],
        versions: &[("8.0", "mysql:8.0.40"), ("8.4", "mysql:8.4.3")],
        port: 3306,
        healthcheck: Healthcheck {
            test: &[
                "CMD-SHELL",
                "mysqladmin ping -h 127.0.0.1 -u root -p\"$$MYSQL_ROOT_PASSWORD\" --silent",
            ],
            interval: "5s",
            timeout: "5s",
            retries: 10,
            start_period: "30s",
        },
        data_path: Some("/var/lib/mysql"),
        container_env: &[
            ("MYSQL_DATABASE", "{database}"),
            ("MYSQL_USER", "{user}"),
            ("MYSQL_PASSWORD", "{password}"),
            ("MYSQL_ROOT_PASSWORD", "{password}"),
        ],
        command: &[],
        password: true,
        url_var: "DATABASE_URL",
        url: "mysql://{user}:{password}@{host}:{port}/{database}",
    },
    CatalogEntry {
        kind: "redis",
        image_names: &["redis", "library/redis", "bitnami/redis", "valkey/valkey"],
        versions: &[("6", "redis:6.2.16-alpine"), ("7", "redis:7.4.1-alpine")],
        port: 6379,
        healthcheck: Healthcheck {
            test: &["CMD", "redis-cli", "ping"],
            interval: "5s",
            timeout: "3s",
            retries: 10,
            start_period: "5s",
        },
        data_path: Some("/data"),
        // redis-cli reads REDISCLI_AUTH, so the healthcheck authenticates without the password
        // on its command line.
        container_env: &[("REDISCLI_AUTH", "{password}")],
        command: &[
            "redis-server",
            "--requirepass",
            "{password}",
            "--appendonly",
            "yes",
        ],
        password: true,
        url_var: "REDIS_URL",
        url: "redis://:{password}@{host}:{port}/0",
    },
    CatalogEntry {
        kind: "mongodb",
        image_names: &["mongo", "library/mongo", "bitnami/mongodb"],
        versions: &[
            ("6", "mongo:6.0.19"),
            ("7", "mongo:7.0.15"),
            ("8", "mongo:8.0.3"),
        ],
        port: 27017,
        healthcheck: Healthcheck {
            test: &[
                "CMD",
                "mongosh",
                "--quiet",
                "--eval",
                "quit(db.adminCommand('ping').ok ? 0 : 1)",
            ],
            interval: "10s",
            timeout: "5s",
            retries: 10,
            start_period: "20s",
        },
        data_path: Some("/data/db"),
        container_env: &[
            ("MONGO_INITDB_ROOT_USERNAME", "{user}"),
            ("MONGO_INITDB_ROOT_PASSWORD", "{password}"),
            ("MONGO_INITDB_DATABASE", "{database}"),
        ],
        command: &[],
        password: true,
        url_var: "MONGODB_URL",
        url: "mongodb://{user}:{password}@{host}:{port}/{database}?authSource=admin",
    },
    CatalogEntry {
        kind: "rabbitmq",
        image_names: &["rabbitmq", "library/rabbitmq", "bitnami/rabbitmq"],
        versions: &[
            ("3.13", "rabbitmq:3.13.7-alpine"),
            ("4.0", "rabbitmq:4.0.3-alpine"),
        ],
        port: 5672,
        healthcheck: Healthcheck {
            test: &["CMD", "rabbitmq-diagnostics", "-q", "ping"],
            interval: "10s",
            timeout: "10s",
            retries: 10,
            start_period: "30s",
        },
        data_path: Some("/var/lib/rabbitmq"),
        container_env: &[
            ("RABBITMQ_DEFAULT_USER", "{user}"),
            ("RABBITMQ_DEFAULT_PASS", "{password}"),
            ("RABBITMQ_DEFAULT_VHOST", "{database}"),
        ],
        command: &[],
        password: true,
        url_var: "AMQP_URL",
        url: "amqp://{user}:{password}@{host}:{port}/{database}",
    },
    CatalogEntry {
        kind: "kafka",
        image_names: &["apache/kafka", "bitnami/kafka", "confluentinc/cp-kafka"],
        versions: &[
            ("3.7", "apache/kafka:3.7.1"),
            ("3.8", "apache/kafka:3.8.1"),
            ("3.9", "apache/kafka:3.9.0"),
        ],
        port: 9092,
        healthcheck: Healthcheck {
            test: &[
                "CMD-SHELL",
                "/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092 > /dev/null 2>&1",
            ],
            interval: "10s",
            timeout: "10s",
            retries: 10,
            start_period: "30s",
        },
        data_path: Some("/var/lib/kafka/data"),
        // A single KRaft node that is its own controller: no ZooKeeper.
        container_env: &[
            ("KAFKA_NODE_ID", "1"),
            ("KAFKA_PROCESS_ROLES", "broker,controller"),
            ("KAFKA_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093"),
            ("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://{name}:9092"),
            ("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER"),
            (
                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            ),
            ("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093"),
            ("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1"),
            ("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1"),
            ("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1"),
            ("KAFKA_LOG_DIRS", "/var/lib/kafka/data"),
        ],
        command: &[],
        password: false,
        url_var: "KAFKA_BROKERS",
        url: "{host}:{port}",
    },
];

pub fn lookup(kind: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.kind == kind)
}

impl CatalogEntry {
    pub fn image_for(&self, version: &str) -> Option<&'static str> {
        self.versions
            .iter()
            .find(|(v, _)| *v == version)
            .map(|(_, i)| *i)
    }

    pub fn version_list(&self) -> String {
        self.versions
            .iter()
            .map(|(v, _)| *v)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub fn kinds() -> impl Iterator<Item = &'static str> {
    CATALOG.iter().map(|e| e.kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::image::ImageRef;

    #[test]
    fn every_entry_is_complete_and_pinned() {
        for e in CATALOG {
            assert!(!e.versions.is_empty(), "{}", e.kind);
            assert!(e.port > 0, "{}", e.kind);
            assert!(
                matches!(
                    e.healthcheck.test.first(),
                    Some(&"CMD") | Some(&"CMD-SHELL")
                ),
                "{}",
                e.kind
            );
            assert!(e.healthcheck.retries > 0, "{}", e.kind);
            assert!(
                !e.url_var.is_empty() && e.url.contains("{host}"),
                "{}",
                e.kind
            );
            for (_, image) in e.versions {
                let r =
                    ImageRef::parse(image).unwrap_or_else(|err| panic!("{image}: {}", err.message));
                assert!(
                    r.tag.is_some_and(|t| t.chars().any(|c| c == '.')),
                    "{image} is not pinned to a release"
                );
            }
            if e.password {
                assert!(
                    e.container_env
                        .iter()
                        .any(|(_, v)| v.contains("{password}"))
                        || e.command.contains(&"{password}"),
                    "{} asks for a password but never sets it",
                    e.kind
                );
            }
        }
    }

    #[test]
    fn covers_the_common_backing_services() {
        for kind in ["postgres", "mysql", "redis", "mongodb", "rabbitmq", "kafka"] {
            assert!(lookup(kind).is_some(), "{kind}");
        }
    }
}
