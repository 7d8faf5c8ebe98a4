//! Who the pod runs as and what it may do: the restricted Pod Security Standard, met by every
//! service.

use std::collections::BTreeMap;

use super::defaults as d;
use super::model::{
    Capabilities, ContainerSecurityContext, PodSecurityContext, SeccompProfile,
    ServiceAccountValues, WorkloadPolicy,
};
use crate::spec::checked::Service;

/// The workloads do not call the Kubernetes API: no service-account token in the pods unless a
/// values file says `serviceAccount.automount: true`.
const AUTOMOUNT_TOKEN: bool = false;

/// The policy every workload gets (see [`WorkloadPolicy`]).
pub(super) fn workload_policy(svc: &Service) -> WorkloadPolicy {
    WorkloadPolicy {
        revision_history_limit: d::REVISION_HISTORY_LIMIT,
        automount_service_account_token: AUTOMOUNT_TOKEN,
        writable_root_reason: svc.writable_root_reason.clone().unwrap_or_default(),
    }
}

/// The Compose hardening of an own service: the restricted profile's equivalent (read-only
/// root with a writable /tmp, no privilege escalation, no capabilities), as (read_only, tmpfs,
/// security_opt, cap_drop).
pub(super) fn compose_hardening() -> (bool, Vec<String>, Vec<String>, Vec<String>) {
    (
        true,
        vec!["/tmp".into()],
        vec!["no-new-privileges:true".into()],
        vec!["ALL".into()],
    )
}

pub(super) fn service_account() -> ServiceAccountValues {
    ServiceAccountValues {
        create: true,
        name: String::new(),
        automount: AUTOMOUNT_TOKEN,
        annotations: BTreeMap::new(),
    }
}

fn seccomp() -> SeccompProfile {
    SeccompProfile {
        kind: "RuntimeDefault".into(),
    }
}

pub(super) fn pod_security_context(uid: u32) -> PodSecurityContext {
    PodSecurityContext {
        run_as_non_root: true,
        run_as_user: uid,
        run_as_group: uid,
        fs_group: uid,
        seccomp_profile: seccomp(),
    }
}

/// `uid` 0: the image's own user. `read_only_root`: false only with a reason in the spec.
pub(super) fn container_security_context(
    uid: u32,
    read_only_root: bool,
) -> ContainerSecurityContext {
    ContainerSecurityContext {
        allow_privilege_escalation: false,
        privileged: false,
        read_only_root_filesystem: read_only_root,
        run_as_non_root: true,
        run_as_user: uid,
        run_as_group: uid,
        capabilities: Capabilities {
            drop: vec!["ALL".into()],
        },
        seccomp_profile: seccomp(),
    }
}
