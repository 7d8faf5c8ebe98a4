//! The plan as templates see it, converted to minijinja values when a template reads it.
//!
//! Every template may read every service (`services`) and the Compose model (`compose`), but
//! the embedded ones read little of it: the kustomization lists the services' names, and only
//! the Compose templates read `compose`. Holding a converted copy of the whole plan for the
//! run doubled its memory (issue 17: 69 MB of 1,000 services' 163 MB peak), so these views
//! convert a part of the plan on access and drop it with the template's context.

use std::fmt;
use std::sync::{Arc, OnceLock};

use minijinja::Value;
use minijinja::value::{Enumerator, Object, ObjectRepr};

use super::context::to_value;
use crate::plan::Plan;

/// `services`: the plan's services, each converted when a template reads it.
pub(super) struct Services(pub Arc<Plan>);

impl fmt::Debug for Services {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} services>", self.0.services.len())
    }
}

impl Object for Services {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = key.as_usize()?;
        (index < self.0.services.len()).then(|| {
            Value::from_object(ServiceView {
                plan: self.0.clone(),
                index,
                fields: Default::default(),
            })
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.services.len())
    }
}

/// The fields of a [`crate::plan::ServicePlan`], in its serialization order; a test compares
/// the view's serialization with the service's, so a field added to one and not the other fails.
const SERVICE_FIELDS: [&str; 7] = [
    "name",
    "chart",
    "base",
    "environments",
    "policy",
    "workload",
    "profiles",
];

/// One of `services`, converted field by field: listing the names converts only the names.
/// A field, once converted, is kept as long as the template holds the service.
struct ServiceView {
    plan: Arc<Plan>,
    index: usize,
    fields: [OnceLock<Value>; SERVICE_FIELDS.len()],
}

impl fmt::Debug for ServiceView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<service {}>", self.plan.services[self.index].name)
    }
}

impl ServiceView {
    fn field(&self, i: usize) -> Value {
        let s = &self.plan.services[self.index];
        self.fields[i]
            .get_or_init(|| match SERVICE_FIELDS[i] {
                "name" => to_value(&s.name),
                "chart" => to_value(&s.chart),
                "base" => to_value(&s.base),
                "environments" => Value::from_object(Environments {
                    plan: self.plan.clone(),
                    service: self.index,
                }),
                "policy" => to_value(&s.policy),
                "workload" => to_value(&s.workload),
                "profiles" => to_value(&s.profiles),
                other => unreachable!("a service field without a conversion: {other}"),
            })
            .clone()
    }
}

impl Object for ServiceView {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let i = SERVICE_FIELDS
            .iter()
            .position(|f| Some(*f) == key.as_str())?;
        Some(self.field(i))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&SERVICE_FIELDS)
    }
}

/// `services[i].environments`: converted one environment, and one field of it, at a time (the
/// kustomization of each environment asks every service whether it is deployed there).
struct Environments {
    plan: Arc<Plan>,
    service: usize,
}

impl fmt::Debug for Environments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<environments of {}>",
            self.plan.services[self.service].name
        )
    }
}

impl Object for Environments {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = key.as_usize()?;
        let count = self.plan.services[self.service].environments.len();
        (index < count).then(|| {
            Value::from_object(EnvironmentView {
                plan: self.plan.clone(),
                service: self.service,
                index,
                fields: Default::default(),
            })
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.plan.services[self.service].environments.len())
    }
}

/// The fields of a [`crate::plan::ServiceEnvironment`], in its serialization order (checked
/// like [`SERVICE_FIELDS`]).
const ENVIRONMENT_FIELDS: [&str; 5] = ["env", "namespace", "deployed", "values", "overrides"];

/// One of a service's environments, converted field by field.
struct EnvironmentView {
    plan: Arc<Plan>,
    service: usize,
    index: usize,
    fields: [OnceLock<Value>; ENVIRONMENT_FIELDS.len()],
}

impl fmt::Debug for EnvironmentView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.plan.services[self.service];
        write!(f, "<{} in {}>", s.name, s.environments[self.index].env)
    }
}

impl Object for EnvironmentView {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let i = ENVIRONMENT_FIELDS
            .iter()
            .position(|f| Some(*f) == key.as_str())?;
        let se = &self.plan.services[self.service].environments[self.index];
        let value = self.fields[i].get_or_init(|| match ENVIRONMENT_FIELDS[i] {
            "env" => to_value(&se.env),
            "namespace" => to_value(&se.namespace),
            "deployed" => to_value(se.deployed),
            "values" => to_value(&se.values),
            "overrides" => to_value(&se.overrides),
            other => unreachable!("an environment field without a conversion: {other}"),
        });
        Some(value.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&ENVIRONMENT_FIELDS)
    }
}

/// A map-shaped part of the plan (`compose`), converted whole on first access and kept for
/// as long as the context that holds it: one template's rendering.
pub(super) struct Lazy {
    plan: Arc<Plan>,
    name: &'static str,
    convert: fn(&Plan) -> Value,
    value: OnceLock<Value>,
}

impl Lazy {
    pub(super) fn new(plan: Arc<Plan>, name: &'static str, convert: fn(&Plan) -> Value) -> Self {
        Lazy {
            plan,
            name,
            convert,
            value: OnceLock::new(),
        }
    }

    fn value(&self) -> &Value {
        self.value.get_or_init(|| (self.convert)(&self.plan))
    }
}

impl fmt::Debug for Lazy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}>", self.name)
    }
}

impl Object for Lazy {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.value()
            .get_item(key)
            .ok()
            .filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.value().try_iter() {
            Ok(keys) => Enumerator::Values(keys.collect()),
            Err(_) => Enumerator::Empty,
        }
    }
}
