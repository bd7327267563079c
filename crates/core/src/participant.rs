use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::Role;
use crate::ids::{ActivityId, ParticipantId};
use crate::validation::{Context, Field, Problem, Problems, limits};

/// A person who comes to activities, known only by a pseudonym (a nickname or initials, never a
/// full name or CPR number). Everything else is optional: documentation must be proportionate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub id: ParticipantId,
    pub pseudonym: String,
    /// The decade of birth (1950 = born 1950-1959), never the exact year.
    #[serde(default)]
    pub birth_decade: Option<u16>,
    /// The role preselected when this person is checked in.
    pub default_role: Role,
    #[serde(default)]
    pub consent: Consent,
    /// The activities whose roster this person is on.
    #[serde(default)]
    pub activities: Vec<ActivityId>,
    /// Erased: the pseudonym and personal fields are gone for good; attendance stays as counts.
    #[serde(default)]
    pub erased: bool,
    /// Merged into another participant (the same person registered twice): every record of this id
    /// now belongs to that one, and this record only remains so late changes can be re-pointed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<ParticipantId>,
}

/// What the participant has agreed to. Nothing is assumed: every flag starts false.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Their survey answers may be linked to their pseudonym (enables change per person).
    #[serde(default)]
    pub linked_surveys: bool,
    /// The organisation may contact them (e.g. after a long absence).
    #[serde(default)]
    pub contact: bool,
    /// A volunteer's story may name them (`story`); without it a story stays about nobody.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub named_in_stories: bool,
}

impl Participant {
    /// Whether the person is shown on rosters and lists: neither erased nor merged into someone else.
    pub fn is_current(&self) -> bool {
        !self.erased && self.merged_into.is_none()
    }

    /// Merges `merged` (the same person registered twice) into `self`: `self` keeps its pseudonym,
    /// role and consent and gains `merged`'s rosters; `merged` points to `self` from now on.
    pub fn absorb(&mut self, merged: &mut Participant) -> Result<(), Problem> {
        if merged.id == self.id {
            return Err(Problem::MergeIntoItself);
        }
        if !self.is_current() || !merged.is_current() {
            return Err(Problem::MergeOfFormerParticipant);
        }
        for activity in &merged.activities {
            if !self.activities.contains(activity) {
                self.activities.push(*activity);
            }
        }
        merged.merged_into = Some(self.id);
        Ok(())
    }

    /// Someone added at the door: on the activity's roster under the pseudonym they gave (trimmed),
    /// in the role they came in, with nothing consented until they are asked.
    pub fn newcomer(pseudonym: &str, role: Role, activity: ActivityId) -> Participant {
        Participant {
            pseudonym: pseudonym.trim().to_owned(),
            default_role: role,
            activities: vec![activity],
            ..Participant::bare(ParticipantId::generate())
        }
    }

    /// What a device keeps of a participant erased before it ever held them: the id alone, marked
    /// erased, so no later pull, import or merge can bring a name back under it.
    pub fn erased(id: ParticipantId) -> Participant {
        let mut participant = Participant::bare(id);
        participant.erase();
        participant
    }

    /// What a device keeps of a participant it hears was merged into `into` before it held them:
    /// the id and whom they became, nothing personal, so an erasure of `into` reaches them too.
    pub fn merged_away(id: ParticipantId, into: ParticipantId) -> Participant {
        Participant {
            merged_into: Some(into),
            ..Participant::bare(id)
        }
    }

    /// A participant known by id alone.
    fn bare(id: ParticipantId) -> Participant {
        Participant {
            id,
            pseudonym: String::new(),
            birth_decade: None,
            default_role: Role::Bruger,
            consent: Consent::default(),
            activities: Vec::new(),
            erased: false,
            merged_into: None,
        }
    }

    /// Removes every personal field, keeping only the id so attendance stays as anonymous counts.
    pub fn erase(&mut self) {
        self.pseudonym.clear();
        self.birth_decade = None;
        self.consent = Consent::default();
        self.erased = true;
    }

    pub fn validate(&self, context: Context) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        if self.erased {
            if !self.pseudonym.is_empty() || self.birth_decade.is_some() || self.consent != Consent::default()
            {
                problems.push(Problem::ErasedWithPersonalData);
            }
            return problems.into_result();
        }
        // Someone merged away, known here by id alone (`merged_away`), has no name on this device.
        if self.merged_into.is_none() || !self.pseudonym.is_empty() {
            problems.required_text(Field::Pseudonym, &self.pseudonym, limits::PSEUDONYM);
        }
        if let Some(decade) = self.birth_decade {
            let current_decade = u16::try_from(context.today.year()).unwrap_or(u16::MAX) / 10 * 10;
            if decade % 10 != 0 || !(1900..=current_decade).contains(&decade) {
                problems.push(Problem::InvalidBirthYearBand { decade });
            }
        }
        problems.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn context() -> Context {
        Context {
            today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        }
    }

    #[test]
    fn a_person_heard_of_only_as_merged_away_is_valid_without_a_name_and_on_no_roster() {
        let into = ParticipantId::generate();
        let placeholder = Participant::merged_away(ParticipantId::generate(), into);
        assert_eq!(placeholder.validate(context()), Ok(()));
        assert!(!placeholder.is_current());
        assert_eq!(placeholder.merged_into, Some(into));
        let mut nameless = placeholder;
        nameless.merged_into = None;
        assert!(
            nameless.validate(context()).is_err(),
            "anyone else needs a pseudonym"
        );
    }

    fn soren() -> Participant {
        Participant {
            id: ParticipantId::generate(),
            pseudonym: "Søren K".into(),
            birth_decade: Some(1960),
            default_role: Role::Bruger,
            consent: Consent {
                linked_surveys: true,
                contact: false,
                named_in_stories: false,
            },
            activities: vec![ActivityId::generate()],
            erased: false,
            merged_into: None,
        }
    }

    #[test]
    fn empty_and_overlong_pseudonyms_are_refused() {
        for (pseudonym, expected) in [
            (
                "",
                Problem::Empty {
                    field: Field::Pseudonym,
                },
            ),
            (
                &*"x".repeat(200),
                Problem::TooLong {
                    field: Field::Pseudonym,
                    max: limits::PSEUDONYM,
                    length: 200,
                },
            ),
        ] {
            let participant = Participant {
                pseudonym: pseudonym.into(),
                ..soren()
            };
            assert_eq!(participant.validate(context()).unwrap_err(), vec![expected]);
        }
    }

    #[test]
    fn birth_bands_are_past_decades() {
        for decade in [1955, 2030, 1890] {
            let participant = Participant {
                birth_decade: Some(decade),
                ..soren()
            };
            assert_eq!(
                participant.validate(context()).unwrap_err(),
                vec![Problem::InvalidBirthYearBand { decade }]
            );
        }
        let participant = Participant {
            birth_decade: Some(2020),
            ..soren()
        };
        assert_eq!(participant.validate(context()), Ok(()));
    }

    #[test]
    fn erasing_removes_every_personal_field_and_stays_valid() {
        let mut participant = soren();
        let id = participant.id;
        participant.erase();
        assert_eq!(participant.id, id);
        assert!(participant.pseudonym.is_empty());
        assert_eq!(participant.birth_decade, None);
        assert_eq!(participant.consent, Consent::default());
        assert_eq!(participant.validate(context()), Ok(()));
    }

    #[test]
    fn an_erased_record_that_still_carries_a_name_is_refused() {
        let participant = Participant {
            erased: true,
            ..soren()
        };
        assert_eq!(
            participant.validate(context()).unwrap_err(),
            vec![Problem::ErasedWithPersonalData]
        );
    }

    #[test]
    fn merging_keeps_the_kept_persons_fields_and_joins_their_rosters() {
        let mut kept = soren();
        let shared_activity = kept.activities[0];
        let other_activity = ActivityId::generate();
        let mut merged = Participant {
            id: ParticipantId::generate(),
            pseudonym: "Soren".into(),
            default_role: Role::Frivillig,
            activities: vec![other_activity, shared_activity],
            ..soren()
        };
        kept.absorb(&mut merged).unwrap();
        assert_eq!(kept.pseudonym, "Søren K");
        assert_eq!(kept.default_role, Role::Bruger);
        assert_eq!(kept.activities, vec![shared_activity, other_activity]);
        assert_eq!(merged.merged_into, Some(kept.id));
        assert!(kept.is_current());
        assert!(!merged.is_current());
    }

    #[test]
    fn a_person_cannot_be_merged_into_themself_or_after_erasure_or_merge() {
        let mut kept = soren();
        let mut same = kept.clone();
        assert_eq!(kept.absorb(&mut same), Err(Problem::MergeIntoItself));
        let mut erased = soren();
        erased.erase();
        assert_eq!(kept.absorb(&mut erased), Err(Problem::MergeOfFormerParticipant));
        let mut merged = soren();
        kept.absorb(&mut merged).unwrap();
        let mut third = soren();
        assert_eq!(merged.absorb(&mut third), Err(Problem::MergeOfFormerParticipant));
        assert_eq!(third.merged_into, None);
    }
}
