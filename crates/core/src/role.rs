//! The role an attendee has at an occurrence.
//!
//! Moving people from receiving help (bruger) to taking part (deltager) to volunteering (frivillig) is the
//! goal of many activities (the Danish Social Board's inclusion work), so the role is recorded per
//! attendance rather than per person.

use serde::{Deserialize, Serialize};

use crate::Language;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Receives a service (Danish "bruger").
    Bruger,
    /// Takes part on an equal footing (Danish "deltager").
    Deltager,
    /// A citizen who volunteers (Danish "frivillig").
    Frivillig,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Bruger, Role::Deltager, Role::Frivillig];

    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Role::Bruger, Language::Da) => "Bruger",
            (Role::Deltager, Language::Da) => "Deltager",
            (Role::Frivillig, Language::Da) => "Frivillig",
            (Role::Bruger, Language::En) => "User",
            (Role::Deltager, Language::En) => "Participant",
            (Role::Frivillig, Language::En) => "Volunteer",
        }
    }

    /// The next role in the order a chip cycles through on a tap.
    pub fn next(self) -> Role {
        match self {
            Role::Bruger => Role::Deltager,
            Role::Deltager => Role::Frivillig,
            Role::Frivillig => Role::Bruger,
        }
    }
}

/// A count per role; serialised as `{"bruger": 3, "deltager": 1, "frivillig": 0}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleCounts {
    pub bruger: u32,
    pub deltager: u32,
    pub frivillig: u32,
}

impl RoleCounts {
    pub fn get(&self, role: Role) -> u32 {
        match role {
            Role::Bruger => self.bruger,
            Role::Deltager => self.deltager,
            Role::Frivillig => self.frivillig,
        }
    }

    pub fn get_mut(&mut self, role: Role) -> &mut u32 {
        match role {
            Role::Bruger => &mut self.bruger,
            Role::Deltager => &mut self.deltager,
            Role::Frivillig => &mut self.frivillig,
        }
    }

    pub fn add(&mut self, role: Role, count: u32) {
        *self.get_mut(role) += count;
    }

    pub fn total(&self) -> u32 {
        self.bruger + self.deltager + self.frivillig
    }
}

impl std::ops::Add for RoleCounts {
    type Output = RoleCounts;

    fn add(self, other: RoleCounts) -> RoleCounts {
        RoleCounts {
            bruger: self.bruger + other.bruger,
            deltager: self.deltager + other.deltager,
            frivillig: self.frivillig + other.frivillig,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_stable_danish_words() {
        let json = serde_json::to_string(&Role::ALL).unwrap();
        assert_eq!(json, r#"["bruger","deltager","frivillig"]"#);
    }

    #[test]
    fn unknown_role_is_an_error_not_a_panic() {
        assert!(serde_json::from_str::<Role>(r#""koordinator""#).is_err());
    }

    #[test]
    fn tapping_the_chip_visits_every_role_and_comes_back() {
        let mut role = Role::Bruger;
        let mut seen = vec![role];
        for _ in 0..2 {
            role = role.next();
            seen.push(role);
        }
        seen.sort();
        assert_eq!(seen, Role::ALL);
        assert_eq!(role.next(), Role::Bruger);
    }

    #[test]
    fn labels_exist_in_both_languages() {
        assert_eq!(Role::Frivillig.label(Language::Da), "Frivillig");
        assert_eq!(Role::Frivillig.label(Language::En), "Volunteer");
    }
}
