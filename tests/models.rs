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
