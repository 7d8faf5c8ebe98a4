//! The backing-service catalog: data, not code. Each entry says how to run the service locally
//! (pinned image, native healthcheck, volume, environment) and what a dependent needs to reach
//! it (the connection URL). Placeholders in braces are filled by the plan: `{name}` (the entry's
//! name in the spec), `{user}`, `{database}`, `{password}`, `{host}`, `{port}`.
//!
//! Over 400 lines on purpose: one data entry per kind (fourteen of them), read as one table.

#[derive(Debug)]
pub struct CatalogEntry {
    pub kind: &'static str,
    /// Image names (without tag or registry prefix `docker.io/`) that identify this kind when
    /// importing a Compose file; an image of another name runs with an `image:` override.
    pub image_names: &'static [&'static str],
    /// How many dotted numbers a version has (`16`: 1, `8.0`: 2), or a MinIO-style release date.
    pub scheme: Scheme,
    /// The oldest and newest supported version, inclusive: any version between them is accepted.
    pub range: (&'static str, &'static str),
    /// The image a version runs when no curated pin exists: `{version}` is replaced.
    pub image: &'static str,
    /// Curated pinned images for the versions the prompt offers (the last is the default).
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

/// How versions of a kind are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `16`
    Major,
    /// `8.0`
    MajorMinor,
    /// `2025` (the year of a `RELEASE.2025-…` tag).
    ReleaseYear,
}

pub const CATALOG: &[CatalogEntry] = &[
    CatalogEntry {
        kind: "postgres",
        image_names: &[
            "postgres",
            "library/postgres",
            "bitnami/postgresql",
            "pgvector/pgvector",
            "postgis/postgis",
            "timescale/timescaledb",
            "ghcr.io/immich-app/postgres",
            "tensorchord/pgvecto-rs",
        ],
        scheme: Scheme::Major,
        range: ("10", "18"),
        image: "postgres:{version}-alpine",
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
        image_names: &["mysql", "library/mysql", "bitnami/mysql"],
        scheme: Scheme::MajorMinor,
        range: ("5.7", "9.9"),
        image: "mysql:{version}",
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
        image_names: &["redis", "library/redis", "bitnami/redis"],
        scheme: Scheme::Major,
        range: ("5", "8"),
        image: "redis:{version}-alpine",
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
        scheme: Scheme::Major,
        range: ("4", "8"),
        image: "mongo:{version}",
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
        scheme: Scheme::MajorMinor,
        range: ("3.8", "4.9"),
        image: "rabbitmq:{version}-alpine",
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
        image_names: &["apache/kafka", "bitnami/kafka"],
        scheme: Scheme::MajorMinor,
        range: ("3.7", "4.9"),
        image: "apache/kafka:{version}",
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
    CatalogEntry {
        kind: "mariadb",
        image_names: &["mariadb", "library/mariadb", "bitnami/mariadb"],
        scheme: Scheme::MajorMinor,
        range: ("10.4", "11.9"),
        image: "mariadb:{version}",
        versions: &[("10.11", "mariadb:10.11.10"), ("11.4", "mariadb:11.4.4")],
        port: 3306,
        // healthcheck.sh ships in the official image (since 2023 it connects as its own
        // `healthcheck` user, so no password on the command line).
        healthcheck: Healthcheck {
            test: &["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"],
            interval: "5s",
            timeout: "5s",
            retries: 10,
            start_period: "30s",
        },
        data_path: Some("/var/lib/mysql"),
        container_env: &[
            ("MARIADB_DATABASE", "{database}"),
            ("MARIADB_USER", "{user}"),
            ("MARIADB_PASSWORD", "{password}"),
            ("MARIADB_ROOT_PASSWORD", "{password}"),
        ],
        command: &[],
        password: true,
        url_var: "DATABASE_URL",
        url: "mysql://{user}:{password}@{host}:{port}/{database}",
    },
    CatalogEntry {
        kind: "valkey",
        image_names: &["valkey/valkey", "bitnami/valkey"],
        scheme: Scheme::Major,
        range: ("7", "9"),
        image: "valkey/valkey:{version}-alpine",
        versions: &[
            ("7", "valkey/valkey:7.2.7-alpine"),
            ("8", "valkey/valkey:8.0.1-alpine"),
        ],
        port: 6379,
        healthcheck: Healthcheck {
            test: &["CMD", "valkey-cli", "ping"],
            interval: "5s",
            timeout: "3s",
            retries: 10,
            start_period: "5s",
        },
        data_path: Some("/data"),
        // valkey-cli reads VALKEYCLI_AUTH (and redis-cli's REDISCLI_AUTH), so the healthcheck
        // authenticates without the password on its command line.
        container_env: &[
            ("VALKEYCLI_AUTH", "{password}"),
            ("REDISCLI_AUTH", "{password}"),
        ],
        command: &[
            "valkey-server",
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
        kind: "memcached",
        image_names: &["memcached", "library/memcached", "bitnami/memcached"],
        scheme: Scheme::MajorMinor,
        range: ("1.5", "1.9"),
        image: "memcached:{version}-alpine",
        versions: &[("1.6", "memcached:1.6.32-alpine")],
        port: 11211,
        // The alpine image has busybox `nc`; memcached answers `stats` on its text protocol.
        healthcheck: Healthcheck {
            test: &[
                "CMD-SHELL",
                "echo stats | nc 127.0.0.1 11211 | grep -q uptime",
            ],
            interval: "10s",
            timeout: "5s",
            retries: 5,
            start_period: "5s",
        },
        data_path: None,
        container_env: &[],
        command: &[],
        password: false,
        url_var: "MEMCACHED_SERVERS",
        url: "{host}:{port}",
    },
    CatalogEntry {
        kind: "elasticsearch",
        image_names: &[
            "elasticsearch",
            "library/elasticsearch",
            "docker.elastic.co/elasticsearch/elasticsearch",
        ],
        scheme: Scheme::MajorMinor,
        range: ("7.10", "9.9"),
        image: "docker.elastic.co/elasticsearch/elasticsearch:{version}.0",
        versions: &[
            (
                "7.17",
                "docker.elastic.co/elasticsearch/elasticsearch:7.17.25",
            ),
            (
                "8.16",
                "docker.elastic.co/elasticsearch/elasticsearch:8.16.1",
            ),
        ],
        port: 9200,
        healthcheck: Healthcheck {
            test: &[
                "CMD-SHELL",
                "curl -fs http://localhost:9200/_cluster/health || exit 1",
            ],
            interval: "10s",
            timeout: "10s",
            retries: 20,
            start_period: "60s",
        },
        data_path: Some("/usr/share/elasticsearch/data"),
        // A single local node without TLS or logins: the Kubernetes side reaches a managed
        // cluster through `host:`.
        container_env: &[
            ("discovery.type", "single-node"),
            ("xpack.security.enabled", "false"),
            ("ES_JAVA_OPTS", "-Xms512m -Xmx512m"),
        ],
        command: &[],
        password: false,
        url_var: "ELASTICSEARCH_URL",
        url: "http://{host}:{port}",
    },
    CatalogEntry {
        kind: "opensearch",
        image_names: &["opensearchproject/opensearch"],
        scheme: Scheme::MajorMinor,
        range: ("1.0", "3.9"),
        image: "opensearchproject/opensearch:{version}.0",
        versions: &[("2.18", "opensearchproject/opensearch:2.18.0")],
        port: 9200,
        healthcheck: Healthcheck {
            test: &[
                "CMD-SHELL",
                "curl -fs http://localhost:9200/_cluster/health || exit 1",
            ],
            interval: "10s",
            timeout: "10s",
            retries: 20,
            start_period: "60s",
        },
        data_path: Some("/usr/share/opensearch/data"),
        container_env: &[
            ("discovery.type", "single-node"),
            ("DISABLE_SECURITY_PLUGIN", "true"),
            ("DISABLE_INSTALL_DEMO_CONFIG", "true"),
            ("OPENSEARCH_JAVA_OPTS", "-Xms512m -Xmx512m"),
        ],
        command: &[],
        password: false,
        url_var: "OPENSEARCH_URL",
        url: "http://{host}:{port}",
    },
    CatalogEntry {
        kind: "clickhouse",
        image_names: &[
            "clickhouse/clickhouse-server",
            "clickhouse",
            "library/clickhouse",
        ],
        scheme: Scheme::MajorMinor,
        range: ("22.1", "26.12"),
        image: "clickhouse/clickhouse-server:{version}-alpine",
        versions: &[("24.8", "clickhouse/clickhouse-server:24.8.7.41-alpine")],
        // The HTTP interface (the native protocol is 9000).
        port: 8123,
        healthcheck: Healthcheck {
            test: &[
                "CMD-SHELL",
                "wget --no-verbose --tries=1 --spider http://127.0.0.1:8123/ping || exit 1",
            ],
            interval: "5s",
            timeout: "5s",
            retries: 20,
            start_period: "10s",
        },
        data_path: Some("/var/lib/clickhouse"),
        container_env: &[
            ("CLICKHOUSE_DB", "{database}"),
            ("CLICKHOUSE_USER", "{user}"),
            ("CLICKHOUSE_PASSWORD", "{password}"),
            ("CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT", "1"),
        ],
        command: &[],
        password: true,
        url_var: "CLICKHOUSE_URL",
        url: "http://{user}:{password}@{host}:{port}/{database}",
    },
    CatalogEntry {
        kind: "minio",
        image_names: &["minio/minio", "quay.io/minio/minio", "bitnami/minio"],
        scheme: Scheme::ReleaseYear,
        range: ("2021", "2025"),
        image: "minio/minio:{version}",
        versions: &[("2025", "minio/minio:RELEASE.2025-04-22T22-12-26Z")],
        // The S3 API (the console is on the port given by `--console-address`).
        port: 9000,
        // `mc` ships in the server image (`mc ready` waits for the local server).
        healthcheck: Healthcheck {
            test: &["CMD", "mc", "ready", "local"],
            interval: "5s",
            timeout: "5s",
            retries: 10,
            start_period: "5s",
        },
        data_path: Some("/data"),
        container_env: &[
            ("MINIO_ROOT_USER", "{user}"),
            ("MINIO_ROOT_PASSWORD", "{password}"),
        ],
        command: &["server", "/data"],
        password: true,
        url_var: "S3_ENDPOINT",
        url: "http://{host}:{port}",
    },
    CatalogEntry {
        kind: "nats",
        image_names: &["nats", "library/nats", "bitnami/nats"],
        scheme: Scheme::MajorMinor,
        range: ("2.2", "2.99"),
        image: "nats:{version}-alpine",
        versions: &[("2.10", "nats:2.10.22-alpine")],
        port: 4222,
        // The monitoring port serves /healthz; the alpine image has busybox wget.
        healthcheck: Healthcheck {
            test: &[
                "CMD",
                "wget",
                "-q",
                "--spider",
                "http://localhost:8222/healthz",
            ],
            interval: "5s",
            timeout: "3s",
            retries: 10,
            start_period: "5s",
        },
        data_path: Some("/data"),
        container_env: &[],
        command: &["-js", "-sd", "/data", "-m", "8222"],
        password: false,
        url_var: "NATS_URL",
        url: "nats://{host}:{port}",
    },
];

pub fn lookup(kind: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.kind == kind)
}

impl CatalogEntry {
    /// The image version `version` runs: the curated pin, else the kind's image for any version
    /// inside its range; `None` for a version outside it (or not written the kind's way).
    pub fn image_for(&self, version: &str) -> Option<String> {
        if let Some((_, i)) = self.versions.iter().find(|(v, _)| *v == version) {
            return Some(i.to_string());
        }
        let release;
        let written = match self.scheme {
            Scheme::ReleaseYear => {
                // Only a full release tag names an image; a bare year has no curated pin.
                release = version.strip_prefix("RELEASE.")?;
                release.get(..4)?
            }
            _ => version,
        };
        self.in_range(written)
            .then(|| self.image.replace("{version}", version))
    }

    /// Whether `version` (written the kind's way) lies inside the supported range.
    pub fn in_range(&self, version: &str) -> bool {
        let Some(v) = parts(version) else {
            return false;
        };
        let wanted = match self.scheme {
            Scheme::MajorMinor => 2,
            Scheme::Major | Scheme::ReleaseYear => 1,
        };
        let (lo, hi) = (parts(self.range.0), parts(self.range.1));
        v.len() == wanted && lo.is_some_and(|lo| v >= lo) && hi.is_some_and(|hi| v <= hi)
    }

    /// The version an image tag names (`14-alpine` → `14`, `10.6.4-focal` → `10.6`,
    /// `pg16` → `16`, `RELEASE.2025-01-20T14-49-07Z` → itself), when it lies in the range.
    /// A tag that names no version (`alpine`, `latest`) gives `None`: a version is never made up.
    pub fn version_of_tag(&self, tag: &str) -> Option<String> {
        if self.scheme == Scheme::ReleaseYear {
            let year = tag.strip_prefix("RELEASE.")?.get(..4)?;
            return self.in_range(year).then(|| tag.to_string());
        }
        let start = tag.find(|c: char| c.is_ascii_digit())?;
        // Only a leading `v` or a short alphabetic prefix (`pg16`) may come before the number.
        if start > 2 || !tag[..start].chars().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        let numeric: String = tag[start..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let nums: Vec<&str> = numeric.split('.').filter(|p| !p.is_empty()).collect();
        let wanted = if self.scheme == Scheme::MajorMinor {
            2
        } else {
            1
        };
        if nums.len() < wanted {
            return None;
        }
        let version = nums[..wanted].join(".");
        self.in_range(&version).then_some(version)
    }

    /// The supported range, for messages: `10 to 18`.
    pub fn version_list(&self) -> String {
        match self.scheme {
            Scheme::ReleaseYear => format!(
                "a `RELEASE.<date>` tag from {} to {}",
                self.range.0, self.range.1
            ),
            _ => format!("{} to {}", self.range.0, self.range.1),
        }
    }

    /// The version the prompt suggests: the newest curated pin.
    pub fn default_version(&self) -> &'static str {
        self.versions
            .last()
            .map(|(v, _)| *v)
            .unwrap_or(self.range.1)
    }
}

fn parts(v: &str) -> Option<Vec<u32>> {
    v.split('.').map(|p| p.parse().ok()).collect()
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
        for kind in [
            "postgres",
            "mysql",
            "mariadb",
            "redis",
            "valkey",
            "mongodb",
            "rabbitmq",
            "kafka",
            "memcached",
            "elasticsearch",
            "opensearch",
            "clickhouse",
            "minio",
            "nats",
        ] {
            let e = lookup(kind).unwrap_or_else(|| panic!("{kind}"));
            // Every curated pin lies inside the range it is offered for.
            for (v, _) in e.versions {
                assert!(e.image_for(v).is_some(), "{kind} {v}");
                if e.scheme != Scheme::ReleaseYear {
                    assert!(e.in_range(v), "{kind} {v} outside {:?}", e.range);
                }
            }
        }
    }

    #[test]
    fn versions_are_ranges_not_lists() {
        let pg = lookup("postgres").unwrap();
        assert_eq!(pg.image_for("12").as_deref(), Some("postgres:12-alpine"));
        assert_eq!(pg.image_for("16").as_deref(), Some("postgres:16.4-alpine"));
        assert_eq!(pg.image_for("9"), None);
        assert_eq!(pg.image_for("16.4"), None, "postgres versions are majors");
        let maria = lookup("mariadb").unwrap();
        assert!(maria.in_range("10.6") && !maria.in_range("10") && !maria.in_range("12.0"));
    }

    #[test]
    fn versions_come_from_tags_and_are_never_made_up() {
        let v = |kind: &str, tag: &str| lookup(kind).unwrap().version_of_tag(tag);
        assert_eq!(v("postgres", "14-alpine").as_deref(), Some("14"));
        assert_eq!(v("postgres", "16.4").as_deref(), Some("16"));
        assert_eq!(v("postgres", "pg16").as_deref(), Some("16"));
        assert_eq!(
            v("postgres", "14-vectorchord0.4.3-pgvectors0.2.0").as_deref(),
            Some("14")
        );
        assert_eq!(v("mariadb", "10.6.4-focal").as_deref(), Some("10.6"));
        assert_eq!(v("valkey", "8-bookworm").as_deref(), Some("8"));
        assert_eq!(
            v("clickhouse", "24.3.3.102-alpine").as_deref(),
            Some("24.3")
        );
        assert_eq!(
            v("minio", "RELEASE.2025-01-20T14-49-07Z").as_deref(),
            Some("RELEASE.2025-01-20T14-49-07Z")
        );
        for (kind, tag) in [
            ("postgres", "alpine"),
            ("postgres", "latest"),
            ("redis", "alpine"),
            ("mariadb", "10"),
            ("postgres", "bookworm-16"),
            ("postgres", "99"),
        ] {
            assert_eq!(v(kind, tag), None, "{kind}:{tag}");
        }
    }
}
