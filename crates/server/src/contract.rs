//! What the server enforces beyond the wire types' shapes, written into the OpenAPI document
//! (`/api/v1/openapi.json`), so the document tells the rules spor-core's rulebook and the
//! handlers apply: each patch kind's field names, the headcount's ±1, the batch size, the range
//! of stamps, the pairing code's form, and unknown fields refused in every change.

use serde_json::{Value, json};
use spor_core::hlc::Hlc;
use spor_core::rules;
use spor_core::sync::{EntityKind, MAX_PUSH_BATCH};
use utoipa::openapi::OpenApi;

use crate::auth::PAIRING_CODE_PATTERN;

/// The kinds a patch may name, with their field lists (templates are sent by version instead).
const PATCHED_KINDS: [EntityKind; 9] = [
    EntityKind::Organisation,
    EntityKind::Activity,
    EntityKind::Participant,
    EntityKind::Goal,
    EntityKind::Reflection,
    EntityKind::SessionLog,
    EntityKind::Theory,
    EntityKind::Story,
    EntityKind::ReportText,
];

/// The API document as served: utoipa's, generated from the handlers and wire types, with the
/// constraints it cannot derive written in (as JSON: utoipa's types cannot hold all of them).
pub fn document(generated: OpenApi) -> Value {
    let mut document = serde_json::to_value(generated).unwrap_or_default();
    constrain(&mut document["components"]["schemas"]);
    document
}

fn constrain(schemas: &mut Value) {
    let kinds = PATCHED_KINDS
        .map(|kind| {
            let name = serde_json::to_value(kind).unwrap_or_default();
            format!(
                "{}: {}",
                name.as_str().unwrap_or_default(),
                rules::patch::field_names(kind).join(", ")
            )
        })
        .join("; ");
    schemas["PushRequest"]["description"] = json!(format!(
        "Up to {MAX_PUSH_BATCH} mutations. A patch names only its kind's fields ({kinds}; \
         template: v1, v2, ... up to v{max_version}, each one whole version of that template), \
         never `id` or `merged_into`; `erased` only as false; at most {patch} bytes of values \
         ({template} per template version); the record after the patch must validate. Stamps \
         more than a day ahead of the server's clock are refused (`clock_ahead`).",
        max_version = rules::patch::MAX_TEMPLATE_VERSION,
        patch = rules::patch::MAX_PATCH_BYTES,
        template = rules::patch::MAX_TEMPLATE_VERSION_BYTES,
    ));
    schemas["PushRequest"]["properties"]["mutations"]["maxItems"] = json!(MAX_PUSH_BATCH);

    let mut names: Vec<&str> = PATCHED_KINDS
        .iter()
        .flat_map(|kind| rules::patch::field_names(*kind).iter().copied())
        .collect();
    names.sort_unstable();
    names.dedup();
    if let Some(variants) = schemas["Change"]["oneOf"].as_array_mut() {
        for variant in variants {
            // Change is `deny_unknown_fields`: every variant refuses other members.
            variant["additionalProperties"] = json!(false);
            if variant["properties"]["type"]["enum"] == json!(["patch"]) {
                variant["properties"]["fields"]["propertyNames"] = json!({
                    "anyOf": [
                        {"enum": names},
                        {"pattern": "^v[1-9][0-9]{0,4}$", "description": "A template's version"},
                    ]
                });
            }
        }
    }
    schemas["HeadcountEvent"]["properties"]["delta"]["enum"] = json!([-1, 1]);
    schemas["Hlc"]["properties"]["wall_ms"]["maximum"] = json!(Hlc::MAX_WALL_MS);
    schemas["PairingCodeResponse"]["properties"]["code"]["pattern"] = json!(PAIRING_CODE_PATTERN);
    schemas["PairRequest"]["properties"]["code"]["description"] = json!(
        "The code as shown (ABCD-EFGH); case, spaces, dashes and the look-alikes O/0 and I/L/1 do not matter"
    );
    schemas["PairRequest"]["properties"]["device_name"]["description"] =
        json!("A name the coordinator will recognise in the device list; cut to its first 80 characters");
}
