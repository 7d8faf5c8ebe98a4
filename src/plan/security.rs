//! Who the pod runs as and what it may do: the restricted Pod Security Standard, met by every
//! service.

use std::collections::BTreeMap;

use super::model::{
    Capabilities, ContainerSecurityContext, PodSecurityContext, SeccompProfile,
    ServiceAccountValues,
};

pub(super) fn service_account() -> ServiceAccountValues {
    ServiceAccountValues {
        create: true,
        name: String::new(),
        automount: false,
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

pub(super) fn container_security_context(uid: u32) -> ContainerSecurityContext {
    ContainerSecurityContext {
        allow_privilege_escalation: false,
        privileged: false,
        read_only_root_filesystem: true,
        run_as_non_root: true,
        run_as_user: uid,
        run_as_group: uid,
        capabilities: Capabilities {
            drop: vec!["ALL".into()],
        },
        seccomp_profile: seccomp(),
    }
}
