//! The organisation's own survey templates: every version kept (old responses keep theirs), each
//! saved with its outbox entry. A version travels to other devices as one stamped field (`v2`) of
//! the template entity, so versions never conflict.

use std::collections::BTreeMap;

use rexie::TransactionMode;
use spor_core::ids::TemplateId;
use spor_core::instruments::Instrument;
use spor_core::survey::{SurveyTemplate, Templates};
use spor_core::sync::{Change, Stamped};
use wasm_bindgen::JsValue;

use super::clock::tick_clock;
use super::codec::{from_js, from_js_all, only, to_js};
use super::outbox::queue;
use super::schema::*;
use super::transaction::ObjectStore;
use super::{Store, StoreError};

/// A template version's key: in the `templates` store, and in the responses' index per version.
fn version_key(template: &SurveyTemplate) -> JsValue {
    js_sys::Array::of2(&template.id.to_string().into(), &JsValue::from(template.version)).into()
}

impl Store {
    /// Saves a version of a custom template and queues it for sync, in one transaction.
    pub async fn save_template(&self, template: &SurveyTemplate) -> Result<(), StoreError> {
        let action = "save the survey";
        let device = self.device_id().await?;
        let transaction = self
            .transaction(&[TEMPLATES, OUTBOX, META], TransactionMode::ReadWrite, action)
            .await?;
        let store = |name| transaction.store(name);
        let (templates, outbox, meta) = (store(TEMPLATES)?, store(OUTBOX)?, store(META)?);
        let stamp = tick_clock(&meta, device).await?;
        let change = Change::template_version(template, stamp);
        templates.put(&to_js(template), None).await?;
        outbox.add(&to_js(&queue(change)), None).await?;
        transaction.commit().await?;
        super::notify_local_change();
        Ok(())
    }

    /// The newest version of each custom template.
    pub async fn templates(&self) -> Result<Vec<SurveyTemplate>, StoreError> {
        let action = "read the surveys";
        let transaction = self
            .transaction(&[TEMPLATES], TransactionMode::ReadOnly, action)
            .await?;
        let values = transaction.store(TEMPLATES)?.get_all(None, None).await?;
        let mut newest: BTreeMap<TemplateId, SurveyTemplate> = BTreeMap::new();
        for template in from_js_all::<SurveyTemplate>(values, "survey")? {
            let keep = newest
                .get(&template.id)
                .is_none_or(|kept| kept.version < template.version);
            if keep {
                newest.insert(template.id, template);
            }
        }
        Ok(newest.into_values().collect())
    }

    /// A template as answered now: a built-in instrument, or a custom template's newest version.
    pub async fn template(&self, id: TemplateId) -> Result<Option<SurveyTemplate>, StoreError> {
        // A built-in needs no read.
        let own = if Instrument::from_template_id(id).is_some() {
            Vec::new()
        } else {
            self.templates().await?
        };
        Ok(Templates::new(&own).newest(id).cloned())
    }

    /// Whether any response answers this version of the template (then an edit makes a new version).
    pub async fn template_answered(&self, template: &SurveyTemplate) -> Result<bool, StoreError> {
        let action = "look for answers to the survey";
        let transaction = self
            .transaction(&[RESPONSES], TransactionMode::ReadOnly, action)
            .await?;
        let range = only(&version_key(template), action)?;
        let count = transaction
            .store(RESPONSES)
            .and_then(|store| store.index(BY_TEMPLATE_VERSION))?
            .count(Some(range))
            .await?;
        Ok(count > 0)
    }
}

impl Store {
    /// When each survey was last answered at an activity.
    pub async fn last_answered_at(
        &self,
        activity: spor_core::ids::ActivityId,
    ) -> Result<BTreeMap<TemplateId, chrono::NaiveDate>, StoreError> {
        let action = "read the activity's answers";
        let transaction = self
            .transaction(&[RESPONSES], TransactionMode::ReadOnly, action)
            .await?;
        let key = only(&activity.to_string().into(), action)?;
        let values = transaction
            .store(RESPONSES)
            .and_then(|store| store.index(BY_ACTIVITY))?
            .get_all(Some(key), None)
            .await?;
        let mut last = BTreeMap::new();
        for response in from_js_all::<spor_core::survey::SurveyResponse>(values, "survey response")? {
            let date = last.entry(response.template).or_insert(response.date);
            *date = (*date).max(response.date);
        }
        Ok(last)
    }
}

/// Stores pulled template versions (fields `v1`, `v2`, ...) that this device does not have yet.
pub(super) async fn add_pulled_versions(
    templates: &ObjectStore,
    fields: &BTreeMap<String, Stamped>,
) -> Result<bool, StoreError> {
    let mut added = false;
    for field in fields.values() {
        let value = to_js(&field.value);
        let template: SurveyTemplate = match from_js(value.clone(), "survey") {
            Ok(template) => template,
            // Another app version's template this one cannot read: left for a newer app.
            Err(_) => continue,
        };
        if templates.key_exists(version_key(&template)).await? {
            continue;
        }
        templates.add(&value, None).await?;
        added = true;
    }
    Ok(added)
}
