//! Cron schedules as Kubernetes reads them (robfig/cron's standard parser): five fields, names
//! for months and weekdays, ranges, lists and steps, or a macro.

/// A schedule as Kubernetes reads it (the standard five fields, or a macro).
pub fn check_cron(s: &str) -> Result<(), String> {
    let s = s.trim();
    if s.starts_with('@') {
        const MACROS: [&str; 7] = [
            "@yearly",
            "@annually",
            "@monthly",
            "@weekly",
            "@daily",
            "@midnight",
            "@hourly",
        ];
        return if MACROS.contains(&s) {
            Ok(())
        } else {
            Err(format!("`{s}` is not a known macro"))
        };
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!("it has {} fields, not 5", fields.len()));
    }
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    let specs: [(&str, u32, u32, &[&str], u32); 5] = [
        ("minute", 0, 59, &[], 0),
        ("hour", 0, 23, &[], 0),
        ("day of month", 1, 31, &[], 0),
        ("month", 1, 12, &MONTHS, 1),
        ("day of week", 0, 7, &DAYS, 0),
    ];
    for (field, (label, min, max, names, first)) in fields.iter().zip(specs) {
        let value = |v: &str| -> Result<u32, String> {
            if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(v)) {
                return Ok(i as u32 + first);
            }
            match v.parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(format!("`{v}` is not a {label} ({min}–{max})")),
            }
        };
        for item in field.split(',') {
            let (range, step) = match item.split_once('/') {
                Some((r, st)) => (r, Some(st)),
                None => (item, None),
            };
            if let Some(st) = step
                && !st.parse::<u32>().is_ok_and(|n| n >= 1)
            {
                return Err(format!("`{st}` is not a step in the {label} field"));
            }
            let wildcard = range == "*" || (range == "?" && label.starts_with("day"));
            if wildcard {
                continue;
            }
            match range.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (value(a)?, value(b)?);
                    if a > b {
                        return Err(format!("the {label} range `{range}` runs backwards"));
                    }
                }
                None => {
                    value(range)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_cron;

    #[test]
    fn cron_schedules_as_kubernetes_reads_them() {
        for ok in [
            "*/15 * * * *",
            "0 3 * * *",
            "0 0 1 JAN,JUL *",
            "30 2 * * MON-FRI",
            "0 0 ? * 0",
            "@hourly",
            " 5 4 * * 7 ",
        ] {
            assert_eq!(check_cron(ok), Ok(()), "{ok}");
        }
        for bad in [
            "* * * *",
            "60 * * * *",
            "0 24 * * *",
            "0 0 0 * *",
            "*/0 * * * *",
            "5-1 * * * *",
            "@sometimes",
            "0 0 * FOO *",
            "? * * * *",
        ] {
            assert!(check_cron(bad).is_err(), "{bad}");
        }
    }
}
