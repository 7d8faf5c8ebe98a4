//! The Ingress of a service: host, path and port from the spec, TLS and rate limiting from the
//! environment, class and issuer from the layers.

use std::collections::BTreeMap;

use super::defaults as d;
use super::layers::EnvLayer;
use super::model::{IngressTlsValues, IngressValues};
use crate::spec::checked::{Defaults, Service};

pub(super) fn ingress(
    defaults: &Defaults,
    name: &str,
    svc: &Service,
    layer: &EnvLayer<'_>,
    first_port: &str,
) -> IngressValues {
    let issuer = layer
        .issuer
        .clone()
        .or(defaults.issuer.clone())
        .unwrap_or_else(|| d::CLUSTER_ISSUER.to_string());
    let class_name = layer
        .ingress_class
        .clone()
        .or(defaults.ingress_class.clone())
        .unwrap_or_else(|| d::INGRESS_CLASS.to_string());
    match &svc.ingress {
        Some(ing) => {
            let mut annotations = BTreeMap::new();
            if layer.tls {
                annotations.insert("cert-manager.io/cluster-issuer".to_string(), issuer);
                annotations.insert(
                    "nginx.ingress.kubernetes.io/ssl-redirect".to_string(),
                    "true".to_string(),
                );
            }
            if layer.rate_limit_rps > 0 {
                annotations.insert(
                    "nginx.ingress.kubernetes.io/limit-rps".to_string(),
                    layer.rate_limit_rps.to_string(),
                );
            }
            IngressValues {
                enabled: true,
                class_name,
                host: layer
                    .ingress_host
                    .clone()
                    .unwrap_or_else(|| ing.host.clone()),
                path: ing.path.clone().unwrap_or_else(|| "/".into()),
                path_type: "Prefix".into(),
                service_port: ing.port.clone().unwrap_or_else(|| first_port.to_string()),
                tls: IngressTlsValues {
                    enabled: layer.tls,
                    secret_name: format!("{name}-tls"),
                },
                rate_limit_rps: layer.rate_limit_rps,
                annotations,
            }
        }
        None => IngressValues {
            enabled: false,
            class_name,
            host: String::new(),
            path: "/".into(),
            path_type: "Prefix".into(),
            service_port: first_port.to_string(),
            tls: IngressTlsValues {
                enabled: false,
                secret_name: format!("{name}-tls"),
            },
            rate_limit_rps: 0,
            annotations: BTreeMap::new(),
        },
    }
}
