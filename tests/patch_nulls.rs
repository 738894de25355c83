//! Null versus absent in PATCH bodies, on the wire: a `None` field is left
//! out, `with_null(Model::PROPERTY)` sends `null` (Graph clears the value),
//! and a value is sent as itself. Each request goes through a generated
//! update function of the SDK that `build.rs` builds from `docs-input/` to a
//! local server, which records the body byte for byte.

use docgen_sdk::Client;
use docgen_sdk::models::{
    CalendarEntry, ComplianceStatus, DeviceConfigurationUserStatus, EntryRecurrence, Importance,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENTRY_PATH: &str = "/users/u1/calendarEntries/e1";
const STATUS_PATH: &str =
    "/deviceManagement/deviceConfigurations/c1/rootCertificate/userStatuses/s1";

/// A server that answers both update paths with `response`, and a client of it.
async fn server(response: serde_json::Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    for p in [ENTRY_PATH, STATUS_PATH] {
        Mock::given(method("PATCH"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_json(response.clone()))
            .mount(&server)
            .await;
    }
    let runtime = docgen_sdk::runtime::Client::builder()
        .base_url(server.uri())
        .bearer_token("token")
        .build()
        .expect("client");
    (server, Client::new(runtime))
}

/// Sends `body` through the generated update of a calendar entry and returns
/// the body the server received, as text.
async fn sent_entry(body: &CalendarEntry) -> String {
    let (server, client) = server(json!({"id": "e1"})).await;
    client
        .users()
        .by_id("u1")
        .calendar_entries()
        .by_id("e1")
        .update(body)
        .await
        .expect("update succeeds");
    only_body(&server).await
}

async fn only_body(server: &MockServer) -> String {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "one request");
    assert_eq!(
        requests[0]
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    String::from_utf8(requests[0].body.clone()).expect("UTF-8 body")
}

fn recurrence() -> EntryRecurrence {
    EntryRecurrence {
        interval_days: Some(7),
        start_date: chrono::NaiveDate::from_ymd_opt(2024, 6, 10),
        ..Default::default()
    }
}

fn start() -> chrono::DateTime<chrono::Utc> {
    "2024-06-10T09:00:00Z".parse().expect("a timestamp")
}

// `@odata.type` is sent by every derived type's `Default` (the service tells
// derived types apart by it); nulls follow it, in the order they were set.
const TYPE: &str = r##""@odata.type":"#microsoft.graph.calendarEntry""##;

#[tokio::test]
async fn a_none_field_is_left_out() {
    let body = CalendarEntry {
        subject: Some("Sync".into()),
        ..Default::default()
    };
    assert_eq!(
        sent_entry(&body).await,
        format!(r#"{{"subject":"Sync",{TYPE}}}"#)
    );
}

#[tokio::test]
async fn with_null_sends_null_for_a_string_an_enum_a_complex_type_a_collection_a_number_and_a_timestamp()
 {
    let body = CalendarEntry::default()
        .with_null(CalendarEntry::CATEGORIES)
        .with_null(CalendarEntry::IMPORTANCE)
        .with_null(CalendarEntry::LOCATION)
        .with_null(CalendarEntry::RECURRENCE)
        .with_null(CalendarEntry::REMINDER_MINUTES)
        .with_null(CalendarEntry::START_DATE_TIME);
    assert_eq!(
        sent_entry(&body).await,
        format!(
            r#"{{{TYPE},"categories":null,"importance":null,"location":null,"recurrence":null,"reminderMinutes":null,"startDateTime":null}}"#
        )
    );
}

#[tokio::test]
async fn values_of_every_kind_are_sent_as_themselves() {
    let body = CalendarEntry {
        subject: Some("Stand-up".into()),
        location: Some("Room 4.12".into()),
        importance: Some(Importance::High),
        recurrence: Some(recurrence()),
        categories: Some(vec!["Team".into(), "Daily".into()]),
        reminder_minutes: Some(15),
        start_date_time: Some(start()),
        ..Default::default()
    };
    assert_eq!(
        sent_entry(&body).await,
        format!(
            r#"{{"subject":"Stand-up","location":"Room 4.12","importance":"high","recurrence":{{"intervalDays":7,"startDate":"2024-06-10"}},"categories":["Team","Daily"],"reminderMinutes":15,"startDateTime":"2024-06-10T09:00:00Z",{TYPE}}}"#
        )
    );
}

#[tokio::test]
async fn absent_null_and_value_mix_in_one_body() {
    // The issue's case: rename a recurring entry, make it a single occurrence,
    // drop its reminder, and leave everything else as it is.
    let body = CalendarEntry {
        subject: Some("Stand-up (last one)".into()),
        start_date_time: Some(start()),
        ..Default::default()
    }
    .with_null(CalendarEntry::RECURRENCE)
    .with_null(CalendarEntry::REMINDER_MINUTES);
    assert_eq!(
        sent_entry(&body).await,
        format!(
            r#"{{"subject":"Stand-up (last one)","startDateTime":"2024-06-10T09:00:00Z",{TYPE},"recurrence":null,"reminderMinutes":null}}"#
        )
    );
}

#[tokio::test]
async fn a_nested_complex_value_sends_its_own_nulls() {
    // Repeat without end: the recurrence's `endDate` is null, its other
    // members are values, and the entry's own fields are absent.
    let body = CalendarEntry {
        recurrence: Some(recurrence().with_null(EntryRecurrence::END_DATE)),
        ..Default::default()
    };
    assert_eq!(
        sent_entry(&body).await,
        format!(
            r#"{{"recurrence":{{"intervalDays":7,"startDate":"2024-06-10","endDate":null}},{TYPE}}}"#
        )
    );
}

#[tokio::test]
async fn with_null_on_a_set_field_sends_only_the_null() {
    let body = CalendarEntry {
        location: Some("Room 4.12".into()),
        recurrence: Some(recurrence()),
        ..Default::default()
    }
    .with_null(CalendarEntry::RECURRENCE);
    assert_eq!(body.recurrence, None, "the field is emptied");
    assert_eq!(
        sent_entry(&body).await,
        format!(r#"{{"location":"Room 4.12",{TYPE},"recurrence":null}}"#)
    );
}

#[tokio::test]
async fn a_value_set_after_the_null_is_sent_once_in_its_place() {
    let mut body = CalendarEntry::default()
        .with_null(CalendarEntry::RECURRENCE)
        .with_null(CalendarEntry::LOCATION);
    // The caller changes their mind about one of them.
    body.recurrence = Some(recurrence().with_null(EntryRecurrence::END_DATE));
    // Plain serde still writes both (the null lives in additional_properties);
    // the request body does not.
    let serde = serde_json::to_string(&body).expect("serializes");
    assert_eq!(serde.matches(r#""recurrence""#).count(), 2);
    assert_eq!(
        sent_entry(&body).await,
        format!(
            r#"{{"recurrence":{{"intervalDays":7,"startDate":"2024-06-10","endDate":null}},{TYPE},"location":null}}"#
        )
    );
}

#[tokio::test]
async fn the_same_rule_holds_for_another_model_and_its_update() {
    let (server, client) = server(json!({"id": "s1"})).await;
    let body = DeviceConfigurationUserStatus {
        status: Some(ComplianceStatus::Compliant),
        ..Default::default()
    }
    .with_null(DeviceConfigurationUserStatus::DEVICES_COUNT)
    .with_null(DeviceConfigurationUserStatus::LAST_REPORTED_DATE_TIME);
    client
        .device_management()
        .device_configurations()
        .by_id("c1")
        .root_certificate()
        .user_statuses()
        .by_id("s1")
        .update(&body)
        .await
        .expect("update succeeds");
    assert_eq!(
        only_body(&server).await,
        r##"{"status":"compliant","@odata.type":"#microsoft.graph.deviceConfigurationUserStatus","devicesCount":null,"lastReportedDateTime":null}"##
    );
}

#[tokio::test]
async fn a_null_the_service_sends_reads_as_none_and_is_not_sent_back() {
    let (_server, client) = server(json!({
        "@odata.type": "#microsoft.graph.calendarEntry",
        "id": "e1",
        "subject": "Stand-up",
        "recurrence": null,
        "reminderMinutes": null,
        "startDateTime": null
    }))
    .await;
    let entry = client
        .users()
        .by_id("u1")
        .calendar_entries()
        .by_id("e1")
        .update(&CalendarEntry::default())
        .await
        .expect("update succeeds");
    assert_eq!(entry.recurrence, None);
    assert_eq!(entry.reminder_minutes, None);
    assert_eq!(entry.start_date_time, None);
    // The field took the null: it is not kept as an unknown member.
    assert_eq!(
        entry.additional_properties.keys().collect::<Vec<_>>(),
        ["@odata.type"]
    );
    // So sending what was read clears nothing.
    assert_eq!(
        serde_json::to_string(&entry).expect("serializes"),
        format!(r#"{{"id":"e1","subject":"Stand-up",{TYPE}}}"#)
    );
}

#[test]
fn a_property_knows_its_wire_name_and_shows_it() {
    assert_eq!(CalendarEntry::REMINDER_MINUTES.name(), "reminderMinutes");
    assert_eq!(
        format!("{:?}", CalendarEntry::START_DATE_TIME),
        r#"Property("startDateTime")"#
    );
}
