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

/// `i64::MAX`: the largest milli-value (`MilliValue()`) Kubernetes can represent.
const MAX_MILLI_UNITS: f64 = 9_223_372_036_854_775_807.0;

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
        // Kubernetes hands quantities to the runtime as 64-bit integers (bytes, millicores):
        // a larger one cannot be honoured, and would saturate rather than fail.
        if !value.is_finite() || value * 1000.0 > MAX_MILLI_UNITS {
            return Err(QuantityError(format!(
                "`{text}` is out of range: a quantity must fit a signed 64-bit count of milli-units (at most about 8 PiB of memory, or 9.2 × 10¹⁵ CPUs)"
            )));
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

    /// Memory for Compose, always with a unit: Compose's schema wants a string (a bare number
    /// fails `docker compose config` with "memory must be a string") and reads `k`/`m`/`g`/`t`
    /// as powers of 1024. The exact byte count (rounded up) is written with the largest binary
    /// unit that divides it, else in bytes (`b`): `512Mi` → `512M`, `1.5Gi` → `1536M`,
    /// `1G` → `1000000000b`, `0` → `0b`.
    pub fn compose_memory(&self) -> String {
        let bytes = self.bytes_ceil();
        for (unit, size) in [
            ("T", 1u128 << 40),
            ("G", 1 << 30),
            ("M", 1 << 20),
            ("K", 1 << 10),
        ] {
            if bytes > 0 && bytes.is_multiple_of(size) {
                return format!("{}{unit}", bytes / size);
            }
        }
        format!("{bytes}b")
    }

    /// The value as whole base units, rounded up, computed exactly from the decimal text (a
    /// float would round `1.1Gi` to the wrong byte). Parsing bounds it well within `u128`.
    pub fn bytes_ceil(&self) -> u128 {
        let number = &self.text[..self.text.len() - self.suffix.len()];
        let (int, frac) = number.split_once('.').unwrap_or((number, ""));
        let digits: String = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        // value = digits × 10^exp10 × 2^exp2
        let mut exp10: i32 = -(frac.len() as i32);
        let mut exp2: u32 = 0;
        match self.suffix.as_str() {
            "" => {}
            "Ki" => exp2 = 10,
            "Mi" => exp2 = 20,
            "Gi" => exp2 = 30,
            "Ti" => exp2 = 40,
            "Pi" => exp2 = 50,
            "Ei" => exp2 = 60,
            "n" => exp10 -= 9,
            "u" => exp10 -= 6,
            "m" => exp10 -= 3,
            "k" => exp10 += 3,
            "M" => exp10 += 6,
            "G" => exp10 += 9,
            "T" => exp10 += 12,
            "P" => exp10 += 15,
            "E" => exp10 += 18,
            e => exp10 += e[1..].parse::<i32>().unwrap_or(0),
        }
        // Leading digits beyond what u128 holds cannot matter: the range check already
        // refused such values unless they are tiny fractions, which round up to one byte.
        let mut n: u128 = if digits.is_empty() {
            0
        } else {
            match digits.parse() {
                Ok(n) => n,
                Err(_) => return self.value.ceil() as u128,
            }
        };
        n <<= exp2;
        if exp10 >= 0 {
            n.saturating_mul(10u128.saturating_pow(exp10 as u32))
        } else {
            let d = 10u128.checked_pow((-exp10) as u32);
            match d {
                Some(d) => n.div_ceil(d),
                None => u128::from(n > 0),
            }
        }
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
        assert_eq!(mem("500M"), "500000000b");
        assert_eq!(mem("1.5Gi"), "1536M");
        assert_eq!(mem("1G"), "1000000000b");
        assert_eq!(mem("600M"), "600000000b");
        assert_eq!(mem("536870912"), "512M");
        assert_eq!(mem("0"), "0b");
        assert_eq!(mem("1.1Gi"), "1181116007b");
        assert_eq!(mem("100m"), "1b");
        assert_eq!(mem("2Ti"), "2T");
        assert_eq!(mem("4Pi"), "4096T");
        assert_eq!(mem("1e3"), "1000b");
        assert_eq!(mem("1024e0"), "1K");
    }

    #[test]
    fn refuses_quantities_kubernetes_cannot_hold() {
        for big in ["999999Ei", "8Ei", "10E", "1e19"] {
            let e = Quantity::parse(big).unwrap_err();
            assert!(e.0.contains("out of range"), "{big}: {e}");
        }
        assert!(
            Quantity::parse("7Ei").is_err(),
            "7Ei bytes is 8e21 milli-bytes"
        );
        assert!(Quantity::parse("8Pi").is_ok());
    }
}
