//! The Ingress of a service: host, path and port from the spec, TLS and rate limiting from the
//! environment, class and issuer from the layers.

use std::collections::BTreeMap;

use super::defaults as d;
use super::layers::EnvLayer;
use super::model::{
    HttpRouteValues, IngressHostValues, IngressPathValues, IngressTlsValues, IngressValues,
};
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
            let host = layer
                .ingress_host
                .clone()
                .unwrap_or_else(|| ing.host.clone());
            IngressValues {
                enabled: true,
                class_name,
                tls: if layer.tls {
                    vec![IngressTlsValues {
                        secret_name: format!("{name}-tls"),
                        hosts: vec![host.clone()],
                    }]
                } else {
                    Vec::new()
                },
                hosts: vec![IngressHostValues {
                    host,
                    paths: vec![IngressPathValues {
                        path: ing.path.clone().unwrap_or_else(|| "/".into()),
                        path_type: "Prefix".into(),
                    }],
                }],
                service_port: ing.port.clone().unwrap_or_else(|| first_port.to_string()),
                rate_limit_rps: layer.rate_limit_rps,
                annotations,
            }
        }
        None => IngressValues {
            enabled: false,
            class_name,
            hosts: Vec::new(),
            service_port: first_port.to_string(),
            tls: Vec::new(),
            rate_limit_rps: 0,
            annotations: BTreeMap::new(),
        },
    }
}

/// Gateway API routing: off unless a values file names the Gateway to attach to.
pub(super) fn http_route() -> HttpRouteValues {
    HttpRouteValues {
        enabled: false,
        annotations: BTreeMap::new(),
        parent_refs: Vec::new(),
        hostnames: Vec::new(),
        path: "/".into(),
    }
}
