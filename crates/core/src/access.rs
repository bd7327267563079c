//! Who may do what (DESIGN.md section 4): each paired device has a role, and the role decides which
//! changes it may push and which it may pull. The server enforces this on every route; the rules
//! live here as plain functions so they are tested once and read in one place.

use serde::{Deserialize, Serialize};

use crate::sync::{Change, EntityKind};

/// The role a device was paired with.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceRole {
    /// Sees and changes everything of its organisation, and manages its devices.
    Coordinator,
    /// Registers attendance and hands the phone over for surveys; never sees survey answers.
    Volunteer,
    /// A shared tablet in survey mode: reads activities and templates, sends only survey responses.
    Kiosk,
}

impl DeviceRole {
    pub const ALL: [DeviceRole; 3] = [DeviceRole::Coordinator, DeviceRole::Volunteer, DeviceRole::Kiosk];

    pub fn as_str(self) -> &'static str {
        match self {
            DeviceRole::Coordinator => "coordinator",
            DeviceRole::Volunteer => "volunteer",
            DeviceRole::Kiosk => "kiosk",
        }
    }

    pub fn parse(text: &str) -> Option<DeviceRole> {
        DeviceRole::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// Whether a device with this role may push `change`.
    pub fn may_push(self, change: &Change) -> bool {
        match self {
            DeviceRole::Coordinator => true,
            // Goals, reflections, theories of change and reports are the coordinators' to set and write; so are surveys,
            // deletions, merges and erasures (see the two rules below).
            DeviceRole::Volunteer => match change {
                Change::Delete { .. } => false,
                Change::MergeParticipants { .. } | Change::EraseParticipant { .. } => {
                    self.may_merge_and_erase()
                }
                // A volunteer writes stories; marking one for reports is a coordinator's call.
                Change::Patch { entity, fields } if entity.kind == EntityKind::Story => fields
                    .get("usable_in_reports")
                    .is_none_or(|usable| usable.value == serde_json::Value::Bool(false)),
                _ => match change.topic() {
                    Topic::Organisation
                    | Topic::Goal
                    | Topic::Reflection
                    | Topic::Theory
                    | Topic::ReportText => false,
                    Topic::Template => self.may_publish_surveys(),
                    _ => true,
                },
            },
            // A shared tablet knows nobody: its answers are anonymous.
            DeviceRole::Kiosk => matches!(
                change,
                Change::SurveyResponse { response } if response.participant.is_none()
            ),
        }
    }

    /// Whether a device with this role receives changes of `topic` when it pulls.
    pub fn may_pull(self, topic: Topic) -> bool {
        match self {
            DeviceRole::Coordinator => true,
            // Stories are about vulnerable people: a volunteer sends their own and keeps none of others'.
            DeviceRole::Volunteer => !matches!(
                topic,
                Topic::SurveyResponse | Topic::Reflection | Topic::Story | Topic::ReportText
            ),
            DeviceRole::Kiosk => matches!(topic, Topic::Activity | Topic::Template | Topic::Organisation),
        }
    }

    /// Whether this role may merge participants and erase them: both reach every device and
    /// cannot be undone, so they are a coordinator's.
    pub fn may_merge_and_erase(self) -> bool {
        self == DeviceRole::Coordinator
    }

    /// Whether this role may publish survey templates (and new versions of them) to the others.
    pub fn may_publish_surveys(self) -> bool {
        self == DeviceRole::Coordinator
    }

    /// Whether a device with this role keeps survey answers once the server has them, and shows
    /// survey figures: only a role that may read answers back (a coordinator). A volunteer's phone
    /// or a kiosk holds an answer only until it is safely on the server (data minimisation).
    pub fn keeps_answers(self) -> bool {
        self.may_pull(Topic::SurveyResponse)
    }

    /// Whether a device with this role keeps the stories it wrote once the server has them: only a
    /// role that pulls stories (a coordinator). A volunteer's phone holds its own story only until
    /// it is safely on the server, as it does an answer.
    pub fn keeps_stories(self) -> bool {
        self.may_pull(Topic::Story)
    }

    /// Whether a device with this role may send only answers it recorded itself (signed with its
    /// own device id): a kiosk, a shared tablet nobody signs for.
    pub fn sends_only_its_own_answers(self) -> bool {
        self == DeviceRole::Kiosk
    }

    /// Whether this role may create pairing codes, list devices and revoke them.
    pub fn manages_devices(self) -> bool {
        self == DeviceRole::Coordinator
    }

    /// Whether this role may send the organisation's figures to an umbrella on the same server,
    /// and read the figures members sent it: a coordinator's decision, per period.
    pub fn exchanges_figures(self) -> bool {
        self == DeviceRole::Coordinator
    }

    /// The topics this role pulls, for a server's query.
    pub fn pulled_topics(self) -> Vec<Topic> {
        Topic::ALL
            .into_iter()
            .filter(|topic| self.may_pull(*topic))
            .collect()
    }
}

/// What a change is about: the unit that access rules and pulls are filtered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Organisation,
    Activity,
    Participant,
    Attendance,
    Headcount,
    Template,
    SurveyResponse,
    Goal,
    Reflection,
    SessionLog,
    Theory,
    Story,
    ReportText,
}

impl Topic {
    pub const ALL: [Topic; 13] = [
        Topic::Organisation,
        Topic::Activity,
        Topic::Participant,
        Topic::Attendance,
        Topic::Headcount,
        Topic::Template,
        Topic::SurveyResponse,
        Topic::Goal,
        Topic::Reflection,
        Topic::SessionLog,
        Topic::Theory,
        Topic::Story,
        Topic::ReportText,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Organisation => "organisation",
            Topic::Activity => "activity",
            Topic::Participant => "participant",
            Topic::Attendance => "attendance",
            Topic::Headcount => "headcount",
            Topic::Template => "template",
            Topic::SurveyResponse => "survey_response",
            Topic::Goal => "goal",
            Topic::Reflection => "reflection",
            Topic::SessionLog => "session_log",
            Topic::Theory => "theory",
            Topic::Story => "story",
            Topic::ReportText => "report_text",
        }
    }
}

impl From<EntityKind> for Topic {
    fn from(kind: EntityKind) -> Topic {
        match kind {
            EntityKind::Organisation => Topic::Organisation,
            EntityKind::Activity => Topic::Activity,
            EntityKind::Participant => Topic::Participant,
            EntityKind::Template => Topic::Template,
            EntityKind::Goal => Topic::Goal,
            EntityKind::Reflection => Topic::Reflection,
            EntityKind::SessionLog => Topic::SessionLog,
            EntityKind::Theory => Topic::Theory,
            EntityKind::Story => Topic::Story,
            EntityKind::ReportText => Topic::ReportText,
        }
    }
}

impl Change {
    pub fn topic(&self) -> Topic {
        match self {
            Change::CheckIn { .. } | Change::AttendanceEvent { .. } => Topic::Attendance,
            Change::Headcount { .. } => Topic::Headcount,
            Change::SurveyResponse { .. } => Topic::SurveyResponse,
            Change::Patch { entity, .. } | Change::Delete { entity, .. } => entity.kind.into(),
            Change::EraseParticipant { .. } | Change::MergeParticipants { .. } => Topic::Participant,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::ids::{DeviceId, ParticipantId};
    use crate::sync::EntityRef;
    use uuid::Uuid;

    fn patch(kind: EntityKind) -> Change {
        Change::Patch {
            entity: EntityRef {
                kind,
                id: Uuid::from_u128(1),
            },
            fields: Default::default(),
        }
    }

    fn erase() -> Change {
        Change::EraseParticipant {
            participant: ParticipantId(Uuid::from_u128(2)),
            stamp: Hlc::start(DeviceId(Uuid::from_u128(3))),
        }
    }

    #[test]
    fn a_kiosk_reads_activities_and_templates_and_sends_only_survey_responses() {
        let kiosk = DeviceRole::Kiosk;
        assert!(kiosk.may_pull(Topic::Activity) && kiosk.may_pull(Topic::Template));
        for topic in [
            Topic::Participant,
            Topic::Attendance,
            Topic::Headcount,
            Topic::SurveyResponse,
            Topic::Goal,
            Topic::Reflection,
        ] {
            assert!(!kiosk.may_pull(topic), "{topic:?}");
        }
        assert!(!kiosk.may_push(&patch(EntityKind::Activity)));
        assert!(!kiosk.may_push(&erase()));
        assert!(!kiosk.manages_devices());
    }

    #[test]
    fn a_volunteer_never_pulls_survey_answers_and_cannot_manage_devices() {
        let volunteer = DeviceRole::Volunteer;
        assert!(!volunteer.may_pull(Topic::SurveyResponse));
        assert!(!volunteer.may_pull(Topic::Reflection));
        assert!(!volunteer.may_push(&patch(EntityKind::Goal)));
        assert!(!volunteer.may_push(&patch(EntityKind::Reflection)));
        // Volunteers log the sessions they run, and see each other's logs to go on from them.
        assert!(volunteer.may_push(&patch(EntityKind::SessionLog)));
        assert!(volunteer.may_pull(Topic::SessionLog));
        assert!(!DeviceRole::Kiosk.may_push(&patch(EntityKind::SessionLog)));
        assert!(!DeviceRole::Kiosk.may_pull(Topic::SessionLog));
        let story = |usable: bool| Change::Patch {
            entity: crate::sync::EntityRef {
                kind: EntityKind::Story,
                id: Uuid::from_u128(4),
            },
            fields: [(
                "usable_in_reports".to_owned(),
                crate::sync::Stamped {
                    value: serde_json::Value::Bool(usable),
                    stamp: Hlc::start(DeviceId(Uuid::from_u128(3))),
                },
            )]
            .into(),
        };
        assert!(volunteer.may_push(&story(false)));
        assert!(!volunteer.may_push(&story(true)));
        assert!(DeviceRole::Coordinator.may_push(&story(true)));
        assert!(!volunteer.may_pull(Topic::Story));
        // So a volunteer's phone lets its own story go once the server has it; a coordinator's keeps it.
        assert!(!volunteer.keeps_stories() && !volunteer.keeps_answers());
        assert!(DeviceRole::Coordinator.keeps_stories());
        // The theory of change is the coordinators' to write; volunteers read it to tag what they see.
        assert!(!volunteer.may_push(&patch(EntityKind::Theory)));
        assert!(volunteer.may_pull(Topic::Theory));
        // Reports are the coordinators': volunteers neither write their texts nor read them.
        assert!(!volunteer.may_push(&patch(EntityKind::ReportText)));
        assert!(!volunteer.may_pull(Topic::ReportText));
        assert!(DeviceRole::Coordinator.may_push(&patch(EntityKind::ReportText)));
        for topic in [
            Topic::Activity,
            Topic::Participant,
            Topic::Attendance,
            Topic::Headcount,
            Topic::Template,
            Topic::Goal,
        ] {
            assert!(volunteer.may_pull(topic), "{topic:?}");
        }
        assert!(volunteer.may_push(&patch(EntityKind::Participant)));
        assert!(volunteer.may_push(&patch(EntityKind::Activity)));
        assert!(
            !volunteer.may_push(&patch(EntityKind::Template)),
            "publishing a survey"
        );
        assert!(!volunteer.may_push(&erase()));
        assert!(!volunteer.may_push(&Change::Delete {
            entity: EntityRef {
                kind: EntityKind::Activity,
                id: Uuid::from_u128(1)
            },
            stamp: Hlc::start(DeviceId(Uuid::from_u128(3))),
        }));
        assert!(!volunteer.may_push(&Change::MergeParticipants {
            merged: ParticipantId(Uuid::from_u128(2)),
            into: ParticipantId(Uuid::from_u128(4)),
            stamp: Hlc::start(DeviceId(Uuid::from_u128(3))),
        }));
        assert!(!volunteer.may_push(&patch(EntityKind::Organisation)));
        assert!(!volunteer.manages_devices());
    }

    #[test]
    fn a_coordinator_may_do_everything_of_its_organisation() {
        let coordinator = DeviceRole::Coordinator;
        assert_eq!(coordinator.pulled_topics(), Topic::ALL.to_vec());
        assert!(coordinator.may_push(&patch(EntityKind::Organisation)));
        assert!(coordinator.manages_devices());
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in DeviceRole::ALL {
            assert_eq!(DeviceRole::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        assert_eq!(DeviceRole::parse("admin"), None);
    }
}
