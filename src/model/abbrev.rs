//! Abbreviations the undefined-abbreviation check accepts without a glossary
//! entry: a built-in list of ones common across UK public services, which
//! `site.yaml` can extend or switch off.

use serde::Deserialize;

/// Abbreviations so common in UK local government, health and education
/// that a board reader needs no glossary entry for them.
pub const BUILT_IN: &[&str] = &[
    "ADCS", "ADHD", "ASD", "ASYE", "BAME", "BME", "CAF", "CAMHS", "CCG", "CEO", "CIN", "CLA", "CP",
    "CPD", "CQC", "CSC", "CYP", "DBS", "DCS", "DFE", "DHSC", "DPH", "DSL", "DWP", "EHC", "EHCP",
    "EYFS", "FE", "FSM", "GCSE", "GP", "GPS", "HE", "HMI", "HMIP", "HMRC", "HR", "ICB", "ICS",
    "ICT", "IRO", "IT", "KPI", "LA", "LAC", "LADO", "LGA", "LSCB", "MAPPA", "MARAC", "MASH", "MP",
    "NEET", "NHS", "NICE", "OFSTED", "ONS", "PCT", "PRU", "PSHE", "RSE", "SALT", "SEMH", "SEN",
    "SENCO", "SEND", "SGO", "UASC", "UK", "VCS", "VCSE", "YJB", "YOS", "YOT",
];

/// `abbreviations:` in site.yaml.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Abbreviations {
    /// Use the built-in list of common public-sector abbreviations (NHS, GP,
    /// CAMHS, Ofsted, LAC, SEND, DfE…); `false` to check every one.
    #[serde(default = "yes")]
    pub built_in: bool,
    /// More abbreviations readers of this site know (`[MASH, CYPP]`).
    #[serde(default)]
    pub known: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for Abbreviations {
    fn default() -> Self {
        Abbreviations {
            built_in: true,
            known: Vec::new(),
        }
    }
}

impl Abbreviations {
    /// True when `word` needs no glossary entry (compared ignoring case, so
    /// `DfE` and `Ofsted` in the list cover `DFE` and `OFSTED`).
    pub fn is_known(&self, word: &str) -> bool {
        let upper = word.to_ascii_uppercase();
        (self.built_in && BUILT_IN.contains(&upper.as_str()))
            || self.known.iter().any(|k| k.eq_ignore_ascii_case(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_extended_and_switched_off() {
        let mut a = Abbreviations::default();
        assert!(a.is_known("NHS") && a.is_known("DfE") && a.is_known("OFSTED"));
        assert!(!a.is_known("CYPP"));
        a.known.push("cypp".into());
        assert!(a.is_known("CYPP"));
        a.built_in = false;
        assert!(!a.is_known("NHS") && a.is_known("CYPP"));
        let mut sorted = BUILT_IN.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, BUILT_IN, "keep the list sorted");
    }
}
