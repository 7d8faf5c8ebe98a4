//! Kubernetes resource quantities (`250m`, `1.5Gi`, `2`), parsed so that limits can be compared
//! with requests and converted for Compose.

use std::fmt;

/// A parsed quantity: the exact text the user wrote (what Kubernetes gets) and its value in base
/// units (cores or bytes), for comparisons and conversions.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub text: String,
    pub value: f64,
    pub suffix: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError(pub String);

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const BINARY: [(&str, f64); 6] = [
    ("Ki", 1024.0),
    ("Mi", 1048576.0),
    ("Gi", 1073741824.0),
    ("Ti", 1099511627776.0),
    ("Pi", 1125899906842624.0),
    ("Ei", 1152921504606846976.0),
];
const DECIMAL: [(&str, f64); 9] = [
    ("n", 1e-9),
    ("u", 1e-6),
    ("m", 1e-3),
    ("k", 1e3),
    ("M", 1e6),
    ("G", 1e9),
    ("T", 1e12),
    ("P", 1e15),
    ("E", 1e18),
];

impl Quantity {
    pub fn parse(text: &str) -> Result<Self, QuantityError> {
        let bad = |why: &str| {
            QuantityError(format!(
                "`{text}` is not a Kubernetes quantity ({why}); write e.g. `250m`, `0.5`, `512Mi` or `1Gi`"
            ))
        };
        if text.is_empty() {
            return Err(bad("it is empty"));
        }
        if text.starts_with('-') {
            return Err(bad("a quantity cannot be negative"));
        }
        let digits_end = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let (number, suffix) = text.split_at(digits_end);
        if number.is_empty() {
            return Err(bad("it does not start with a number"));
        }
        // Kubernetes reads `.5` as half; `1.` (and `.`) are refused as likely slips.
        if number.matches('.').count() > 1 || number == "." || number.ends_with('.') {
            return Err(bad("the number is malformed"));
        }
        let n: f64 = number.parse().map_err(|_| bad("the number is malformed"))?;
        let multiplier = if suffix.is_empty() {
            1.0
        } else if let Some((_, m)) = BINARY
            .iter()
            .chain(DECIMAL.iter())
            .find(|(s, _)| *s == suffix)
        {
            *m
        } else if let Some(exp) = suffix.strip_prefix(['e', 'E']) {
            let e: i32 = exp.parse().map_err(|_| bad("unknown suffix"))?;
            if !(-18..=18).contains(&e) {
                return Err(bad("the exponent is out of range"));
            }
            10f64.powi(e)
        } else {
            return Err(bad(&format!("unknown suffix `{suffix}`")));
        };
        let value = n * multiplier;
        if !value.is_finite() {
            return Err(bad("it is too large"));
        }
        Ok(Quantity {
            text: text.to_string(),
            value,
            suffix: suffix.to_string(),
        })
    }

    /// CPU for Compose's `deploy.resources.limits.cpus`: a decimal number of cores.
    pub fn compose_cpus(&self) -> String {
        let millis = (self.value * 1000.0).ceil() as u64;
        let whole = millis / 1000;
        let frac = millis % 1000;
        if frac == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{:03}", frac)
                .trim_end_matches('0')
                .to_string()
        }
    }

    /// Memory for Compose (`512M`): Compose reads k/m/g as powers of 1024, so binary suffixes
    /// map one to one and anything else is written as whole bytes.
    pub fn compose_memory(&self) -> String {
        let binary = [("Ki", "K"), ("Mi", "M"), ("Gi", "G"), ("Ti", "T")];
        if let Some((_, unit)) = binary.iter().find(|(s, _)| *s == self.suffix) {
            let number = &self.text[..self.text.len() - self.suffix.len()];
            if !number.contains('.') {
                return format!("{number}{unit}");
            }
        }
        format!("{}", self.value.ceil() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_forms() {
        assert_eq!(Quantity::parse("250m").unwrap().value, 0.25);
        assert_eq!(Quantity::parse("2").unwrap().value, 2.0);
        assert_eq!(Quantity::parse("1.5").unwrap().value, 1.5);
        assert_eq!(Quantity::parse(".5").unwrap().value, 0.5);
        assert_eq!(Quantity::parse("512Mi").unwrap().value, 536870912.0);
        assert_eq!(Quantity::parse("1G").unwrap().value, 1e9);
        assert_eq!(Quantity::parse("1e3").unwrap().value, 1000.0);
    }

    #[test]
    fn rejects_malformed_quantities() {
        for bad in [
            "", "250mm", "1.5.0Gi", "-1", "Mi", "1 Gi", "1.Gi", "12x", "1e99",
        ] {
            assert!(Quantity::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn converts_cpu_for_compose() {
        let cpus = |q: &str| Quantity::parse(q).unwrap().compose_cpus();
        assert_eq!(cpus("500m"), "0.5");
        assert_eq!(cpus("250m"), "0.25");
        assert_eq!(cpus("1500m"), "1.5");
        assert_eq!(cpus("2"), "2");
        assert_eq!(cpus("0.1"), "0.1");
        assert_eq!(cpus("1m"), "0.001");
    }

    #[test]
    fn converts_memory_for_compose() {
        let mem = |q: &str| Quantity::parse(q).unwrap().compose_memory();
        assert_eq!(mem("512Mi"), "512M");
        assert_eq!(mem("1Gi"), "1G");
        assert_eq!(mem("64Ki"), "64K");
        assert_eq!(mem("500M"), "500000000");
        assert_eq!(mem("1.5Gi"), "1610612736");
    }
}
