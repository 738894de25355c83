//! The generated models behave as a Rust developer expects: derived types are
//! told apart by `@odata.type`, a derived value goes where its base is
//! expected, unknown members and enum values survive a round trip, and
//! timestamps are typed. These use the SDK that `build.rs` generates from
//! `docs-input/` (entity and three types derived from it).

use docgen_sdk::models::{
    AnyEntity, ComplianceStatus, DeviceConfigurationUserStatus, Entity, UserAppInstallStatus,
};
use serde_json::json;

#[test]
fn a_list_of_base_values_decodes_each_into_its_derived_type() {
    let list: Vec<AnyEntity> = serde_json::from_value(json!([
        {"@odata.type": "#microsoft.graph.deviceConfigurationUserStatus", "id": "1", "devicesCount": 3},
        {"@odata.type": "#microsoft.graph.userAppInstallStatus", "id": "2", "installedDeviceCount": 5},
        {"@odata.type": "microsoft.graph.USERAPPINSTALLSTATUS", "id": "3"},
        {"@odata.type": "#microsoft.graph.somethingNew", "id": "4", "shiny": true},
        {"id": "5"}
    ]))
    .expect("decodes");
    match &list[0] {
        AnyEntity::DeviceConfigurationUserStatus(status) => {
            assert_eq!(status.devices_count, Some(3));
        }
        other => panic!("expected a device configuration user status, got {other:?}"),
    }
    match &list[1] {
        AnyEntity::UserAppInstallStatus(status) => {
            assert_eq!(status.installed_device_count, Some(5));
        }
        other => panic!("expected a user app install status, got {other:?}"),
    }
    // Case in `@odata.type` does not matter.
    assert!(matches!(list[2], AnyEntity::UserAppInstallStatus(_)));
    // A type the SDK does not know is kept as the base type with everything it carried.
    match &list[3] {
        AnyEntity::Entity(entity) => {
            assert_eq!(entity.id.as_deref(), Some("4"));
            assert_eq!(entity.additional_properties["shiny"], json!(true));
        }
        other => panic!("expected the base type, got {other:?}"),
    }
    assert_eq!(list[3].odata_type(), "#microsoft.graph.somethingNew");
    assert!(matches!(list[4], AnyEntity::Entity(_)));
    assert_eq!(list[4].odata_type(), Entity::ODATA_TYPE);

    // And back, member for member.
    let written = serde_json::to_value(&list).expect("encodes");
    assert_eq!(written[0]["devicesCount"], json!(3));
    assert_eq!(
        written[3],
        json!({"id": "4", "@odata.type": "#microsoft.graph.somethingNew", "shiny": true})
    );
}

#[test]
fn a_derived_value_goes_where_its_base_is_expected_and_names_its_type() {
    let status = UserAppInstallStatus {
        id: Some("u1".into()),
        failed_device_count: Some(1),
        ..Default::default()
    };
    // `Default` sets `@odata.type`, which the service needs to tell derived types apart.
    assert_eq!(status.odata_type(), "#microsoft.graph.userAppInstallStatus");
    let any: AnyEntity = status.into();
    let body = serde_json::to_value(&any).expect("encodes");
    assert_eq!(
        body,
        json!({"id": "u1", "failedDeviceCount": 1, "@odata.type": "#microsoft.graph.userAppInstallStatus"})
    );
    let again: AnyEntity = serde_json::from_value(body).expect("decodes");
    assert_eq!(again, any);
}

#[test]
fn unknown_members_and_enum_values_survive_a_round_trip() {
    let text = json!({
        "id": "s1",
        "status": "someFutureValue",
        "lastReportedDateTime": "2024-03-05T10:11:12.9926581Z",
        "futureProperty": {"nested": [1, 2]}
    });
    let status: DeviceConfigurationUserStatus =
        serde_json::from_value(text.clone()).expect("decodes");
    assert_eq!(
        status.status,
        Some(ComplianceStatus::UnknownValue("someFutureValue".into()))
    );
    let when = status.last_reported_date_time.expect("typed timestamp");
    assert_eq!(when.timestamp(), 1_709_633_472);
    assert_eq!(
        status.additional_properties["futureProperty"],
        json!({"nested": [1, 2]})
    );
    let written = serde_json::to_value(&status).expect("encodes");
    assert_eq!(written["status"], json!("someFutureValue"));
    assert_eq!(written["futureProperty"], text["futureProperty"]);
    assert_eq!(
        ComplianceStatus::from("nonCompliant"),
        ComplianceStatus::NonCompliant
    );
    assert_eq!(ComplianceStatus::NonCompliant.to_string(), "nonCompliant");
}

/// Decodes `text` both from the text itself (the one-pass path the client
/// takes) and from a `serde_json::Value`, and checks they agree.
fn any_entity(text: &str) -> AnyEntity {
    let from_text: AnyEntity = serde_json::from_str(text).expect("decodes from text");
    let value: serde_json::Value = serde_json::from_str(text).expect("json");
    let from_value: AnyEntity = serde_json::from_value(value).expect("decodes from a value");
    assert_eq!(from_text, from_value, "{text}");
    from_text
}

#[test]
fn odata_type_picks_the_variant_wherever_it_stands_in_the_object() {
    // First, as the service writes it.
    let first = any_entity(
        r##"{"@odata.type":"#microsoft.graph.deviceConfigurationUserStatus","id":"1","devicesCount":3,"extra":[1]}"##,
    );
    // After documented members of the base type: those are read again into the derived type.
    let late = any_entity(
        r##"{"id":"1","devicesCount":3,"@odata.type":"#microsoft.graph.deviceConfigurationUserStatus","extra":[1]}"##,
    );
    // After members no type documents: they stay with the value.
    let after_unknown = any_entity(
        r##"{"extra":[1],"@odata.type":"#microsoft.graph.deviceConfigurationUserStatus","id":"1","devicesCount":3}"##,
    );
    for value in [&first, &late, &after_unknown] {
        let AnyEntity::DeviceConfigurationUserStatus(status) = value else {
            panic!("expected a device configuration user status, got {value:?}");
        };
        assert_eq!(status.id.as_deref(), Some("1"));
        assert_eq!(status.devices_count, Some(3));
        assert_eq!(status.additional_properties["extra"], json!([1]));
        assert_eq!(
            value.odata_type(),
            "#microsoft.graph.deviceConfigurationUserStatus"
        );
    }
    assert_eq!(first, late);
    assert_eq!(first, after_unknown);
}

#[test]
fn odata_type_that_names_no_derived_type_keeps_the_base_and_the_tag() {
    for (text, tag) in [
        (
            r##"{"@odata.type":"#microsoft.graph.entity","id":"e"}"##,
            json!("#microsoft.graph.entity"),
        ),
        (
            r##"{"id":"e","@odata.type":"#microsoft.graph.notYetKnown"}"##,
            json!("#microsoft.graph.notYetKnown"),
        ),
        (r##"{"@odata.type":7,"id":"e"}"##, json!(7)),
        (r##"{"@odata.type":null,"id":"e"}"##, json!(null)),
    ] {
        let AnyEntity::Entity(entity) = any_entity(text) else {
            panic!("expected the base type for {text}");
        };
        assert_eq!(entity.id.as_deref(), Some("e"), "{text}");
        assert_eq!(entity.additional_properties["@odata.type"], tag, "{text}");
    }
    // The first `@odata.type` decides; a second one is an ordinary member.
    // (`serde_json::Value` keeps the last of a repeated name: from text only.)
    let value: AnyEntity = serde_json::from_str(
        r##"{"@odata.type":"#microsoft.graph.userAppInstallStatus","id":"u","@odata.type":"#microsoft.graph.entity"}"##,
    )
    .expect("decodes");
    assert!(
        matches!(value, AnyEntity::UserAppInstallStatus(_)),
        "{value:?}"
    );
}

#[test]
fn a_wrong_member_in_a_derived_type_is_an_error_at_its_place() {
    let text = "{\"@odata.type\":\"#microsoft.graph.userAppInstallStatus\",\n\"installedDeviceCount\":\"many\"}";
    let err = serde_json::from_str::<AnyEntity>(text).expect_err("not a number");
    assert!(err.to_string().contains("invalid type"), "{err}");
    assert_eq!(err.line(), 2, "{err}");
    let err = serde_json::from_str::<AnyEntity>("[]").expect_err("not an object");
    assert!(err.to_string().contains("AnyEntity"), "{err}");
    let err = serde_json::from_str::<Entity>("\"e\"").expect_err("not an object");
    assert!(err.to_string().contains("Entity"), "{err}");
}
