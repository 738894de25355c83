//! Payloads in the shape Microsoft Graph v1.0 sends them, generated from a
//! seed, for `benches/decode.rs`.
//!
//! Every dataset is a whole response page (`@odata.context`, a next or delta
//! link, `value`) with the property names of the v1.0 reference pages
//! (`resources/user.md`, `group.md`, `message.md`, `driveitem.md`,
//! `columndefinition.md` and the facets they use), values of the documented
//! types (ISO 8601 timestamps, GUIDs, Int64 sizes as numbers, base64 for
//! Edm.Binary), and some members the service sends that the pages do not
//! list (`@odata.etag`, `members@delta`, `@removed`, identity `email`,
//! `@odata.mediaContentType`, newer column facets). Values vary per item; the
//! same seed gives the same bytes.
//!
//! Nothing here depends on the generated SDK: the bench decodes these values
//! with `serde_json` into whatever types the SDK has at the time.

// The payloads are large `json!` literals.
#![recursion_limit = "256"]

use serde_json::{Map, Value, json};

pub mod floor;

/// A small deterministic generator (SplitMix64): the same seed, the same data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// A random (version 4 shaped) GUID in Graph's lowercase form.
    pub fn guid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }

    /// An ISO 8601 UTC timestamp between 2019 and 2025, whole seconds (`…Z`).
    pub fn timestamp(&mut self) -> String {
        let (y, mo, d) = (self.range(2019, 2025), self.range(1, 12), self.range(1, 28));
        let (h, mi, s) = (self.below(24), self.below(60), self.below(60));
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// A timestamp with milliseconds (`…T10:20:30.123Z`), as OneDrive sends
    /// them. Never `.000`: chrono writes a whole second back without the
    /// fraction, a difference in text only that the round-trip check would
    /// count.
    pub fn timestamp_millis(&mut self) -> String {
        let t = self.timestamp();
        let ms = self.range(1, 999);
        format!("{}.{ms:03}Z", &t[..t.len() - 1])
    }

    /// `len` letters and digits.
    pub fn token(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }

    /// `len` bytes as padded standard base64 (Edm.Binary).
    pub fn base64(&mut self, len: usize) -> String {
        base64(&self.bytes(len))
    }

    /// Words of lorem-ish text, about `len` characters.
    pub fn text(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len + 16);
        while out.len() < len {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(self.pick(WORDS));
        }
        out
    }
}

/// Padded, standard-alphabet base64.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.len();
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= n {
                out.push(ALPHABET[((v >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

const WORDS: &[&str] = &[
    "quarterly",
    "review",
    "budget",
    "project",
    "deadline",
    "meeting",
    "agenda",
    "update",
    "team",
    "design",
    "launch",
    "contoso",
    "fabrikam",
    "roadmap",
    "customer",
    "feedback",
    "invoice",
    "travel",
    "schedule",
    "summary",
    "draft",
    "approval",
    "release",
    "notes",
    "the",
    "and",
    "for",
    "with",
    "please",
    "thanks",
    "attached",
    "follow",
    "next",
    "week",
    "planning",
    "report",
];
const GIVEN: &[&str] = &[
    "Adele",
    "Alex",
    "Diego",
    "Grady",
    "Henrietta",
    "Isaiah",
    "Johanna",
    "Joni",
    "Lee",
    "Lidia",
    "Lynne",
    "Megan",
    "Miriam",
    "Nestor",
    "Patti",
    "Pradeep",
    "Irvin",
    "Christie",
    "Debra",
    "Enrico",
];
const SURNAMES: &[&str] = &[
    "Vance",
    "Wilber",
    "Siciliani",
    "Archie",
    "Mueller",
    "Langer",
    "Lambert",
    "Sherman",
    "Gu",
    "Holt",
    "Robbins",
    "Bowen",
    "Wilkins",
    "Fernandez",
    "Sayers",
    "Sharma",
    "Gonzales",
    "Cline",
];
const DEPARTMENTS: &[&str] = &[
    "Sales & Marketing",
    "Retail",
    "Legal",
    "Executive Management",
    "Operations",
    "R&D",
    "Finance",
    "Human Resources",
    "IT",
];
const JOB_TITLES: &[&str] = &[
    "Marketing Assistant",
    "Retail Manager",
    "General Counsel",
    "CEO",
    "Director",
    "Developer",
    "Product Manager",
    "Attorney",
    "Designer",
    "Accountant",
    "Sales Representative",
];
const CITIES: &[(&str, &str, &str, &str)] = &[
    ("Bellevue", "WA", "98004", "United States"),
    ("Redmond", "WA", "98052", "United States"),
    ("Tulsa", "OK", "74133", "United States"),
    ("Waukesha", "WI", "53188", "United States"),
    ("Birmingham", "AL", "35243", "United States"),
    ("Cairo", "Cairo", "11511", "Egypt"),
    ("München", "Bayern", "80331", "Germany"),
    ("Zürich", "ZH", "8001", "Switzerland"),
];
const SKUS: &[&str] = &[
    "c7df2760-2c81-4ef7-b578-5b5392b571df",
    "b05e124f-c7cc-45a0-a6aa-8cf78c946968",
    "6fd2c87f-b296-42f0-b197-1e91e994b900",
    "4b9405b0-7788-4568-add1-99614e613b69",
];
const SERVICES: &[&str] = &[
    "exchange",
    "SharePoint",
    "MicrosoftCommunicationsOnline",
    "TeamspaceAPI",
    "ProcessSimple",
    "MicrosoftOffice",
    "Adallom",
    "RMSOnline",
];
const MIME: &[(&str, &str)] = &[
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("pdf", "application/pdf"),
    ("txt", "text/plain"),
    ("jpg", "image/jpeg"),
    ("png", "image/png"),
    ("mp4", "video/mp4"),
];

fn person(rng: &mut Rng) -> (String, String) {
    let given = rng.pick(GIVEN).to_string();
    let surname = rng.pick(SURNAMES).to_string();
    (given, surname)
}

/// `{"@odata.context": …, link: …, "value": items}`.
fn page(context: &str, link: (&str, String), items: Vec<Value>) -> Value {
    let mut page = Map::new();
    page.insert("@odata.context".into(), json!(context));
    page.insert(link.0.into(), json!(link.1));
    page.insert("value".into(), Value::Array(items));
    Value::Object(page)
}

// ---------------------------------------------------------------- directory

/// A `user` as `GET /users` (with `$select` of most properties) returns it.
pub fn user(rng: &mut Rng, i: usize) -> Value {
    let id = rng.guid();
    let (given, surname) = person(rng);
    let alias = format!(
        "{}{}{i}",
        given.to_lowercase(),
        &surname[..1].to_lowercase()
    );
    let upn = format!("{alias}@contoso.onmicrosoft.com");
    let (city, state, postal, country) = rng.pick(CITIES);
    let synced = rng.chance(60);
    let licenses: Vec<Value> = (0..rng.range(0, 3))
        .map(|_| {
            let disabled: Vec<String> = (0..rng.range(0, 3)).map(|_| rng.guid()).collect();
            json!({"disabledPlans": disabled, "skuId": rng.pick(SKUS)})
        })
        .collect();
    let plans: Vec<Value> = (0..rng.range(1, 6))
        .map(|_| {
            json!({
                "assignedDateTime": rng.timestamp(),
                "capabilityStatus": if rng.chance(85) { "Enabled" } else { "Deleted" },
                "service": rng.pick(SERVICES),
                "servicePlanId": rng.guid(),
            })
        })
        .collect();
    let mut u = json!({
        "@odata.type": "#microsoft.graph.user",
        "id": id,
        "accountEnabled": rng.chance(95),
        "ageGroup": null,
        "assignedLicenses": licenses,
        "assignedPlans": plans,
        "businessPhones": if rng.chance(70) { json!([format!("+1 425 555 {:04}", rng.below(10000))]) } else { json!([]) },
        "city": city,
        "companyName": if rng.chance(30) { json!("Contoso") } else { Value::Null },
        "consentProvidedForMinor": null,
        "country": country,
        "createdDateTime": rng.timestamp(),
        "creationType": null,
        "deletedDateTime": null,
        "department": rng.pick(DEPARTMENTS),
        "displayName": format!("{given} {surname}"),
        "employeeHireDate": if rng.chance(50) { json!(rng.timestamp()) } else { Value::Null },
        "employeeId": format!("{:06}", rng.below(1_000_000)),
        "employeeOrgData": {"division": rng.pick(DEPARTMENTS), "costCenter": format!("CC-{:04}", rng.below(10000))},
        "employeeType": rng.pick(&["Employee", "Contractor", "Consultant", "Vendor"]),
        "externalUserState": null,
        "externalUserStateChangeDateTime": null,
        "faxNumber": null,
        "givenName": given,
        "identities": [
            {"signInType": "userPrincipalName", "issuer": "contoso.onmicrosoft.com", "issuerAssignedId": upn},
        ],
        "imAddresses": [format!("sip:{upn}")],
        "isResourceAccount": null,
        "jobTitle": rng.pick(JOB_TITLES),
        "lastPasswordChangeDateTime": rng.timestamp(),
        "legalAgeGroupClassification": null,
        "licenseAssignmentStates": [
            {"assignedByGroup": null, "disabledPlans": [], "error": "None", "skuId": rng.pick(SKUS), "state": "Active"},
        ],
        "mail": format!("{alias}@contoso.com"),
        "mailNickname": alias,
        "mobilePhone": if rng.chance(40) { json!(format!("+1 206 555 {:04}", rng.below(10000))) } else { Value::Null },
        "officeLocation": format!("{}/{}", rng.range(10, 40), rng.range(1000, 4000)),
        "onPremisesDistinguishedName": if synced { json!(format!("CN={given} {surname},OU=Users,DC=contoso,DC=com")) } else { Value::Null },
        "onPremisesDomainName": if synced { json!("contoso.com") } else { Value::Null },
        "onPremisesExtensionAttributes": {
            "extensionAttribute1": if rng.chance(30) { json!(rng.token(8)) } else { Value::Null },
            "extensionAttribute2": null, "extensionAttribute3": null, "extensionAttribute4": null,
            "extensionAttribute5": null, "extensionAttribute6": null, "extensionAttribute7": null,
            "extensionAttribute8": null, "extensionAttribute9": null, "extensionAttribute10": null,
            "extensionAttribute11": null, "extensionAttribute12": null, "extensionAttribute13": null,
            "extensionAttribute14": null, "extensionAttribute15": null,
        },
        "onPremisesImmutableId": if synced { json!(rng.base64(16)) } else { Value::Null },
        "onPremisesLastSyncDateTime": if synced { json!(rng.timestamp()) } else { Value::Null },
        "onPremisesProvisioningErrors": [],
        "onPremisesSamAccountName": if synced { json!(alias) } else { Value::Null },
        "onPremisesSecurityIdentifier": if synced { json!(format!("S-1-5-21-{}-{}-{}-{}", rng.below(4_000_000_000), rng.below(4_000_000_000), rng.below(4_000_000_000), rng.range(1000, 99999))) } else { Value::Null },
        "onPremisesSyncEnabled": if synced { json!(true) } else { Value::Null },
        "onPremisesUserPrincipalName": if synced { json!(format!("{alias}@contoso.com")) } else { Value::Null },
        "otherMails": [],
        "passwordPolicies": if rng.chance(20) { json!("DisablePasswordExpiration") } else { Value::Null },
        "postalCode": postal,
        "preferredDataLocation": null,
        "preferredLanguage": rng.pick(&["en-US", "de-DE", "fr-FR", "ar-EG"]),
        "provisionedPlans": [
            {"capabilityStatus": "Enabled", "provisioningStatus": "Success", "service": "exchange"},
            {"capabilityStatus": "Enabled", "provisioningStatus": "Success", "service": "SharePoint"},
        ],
        "proxyAddresses": [format!("SMTP:{alias}@contoso.com"), format!("smtp:{alias}@contoso.onmicrosoft.com")],
        "refreshTokensValidFromDateTime": rng.timestamp(),
        "showInAddressList": null,
        "signInSessionsValidFromDateTime": rng.timestamp(),
        "state": state,
        "streetAddress": format!("{} Main Street", rng.range(1, 9999)),
        "surname": surname,
        "usageLocation": "US",
        "userPrincipalName": upn,
        "userType": if rng.chance(90) { "Member" } else { "Guest" },
        // Members the service sends that these v1.0 pages do not list.
        "securityIdentifier": format!("S-1-12-1-{}-{}-{}-{}", rng.below(4_000_000_000), rng.below(4_000_000_000), rng.below(4_000_000_000), rng.below(4_000_000_000)),
        "employeeLeaveDateTime": null,
        "onPremisesSipInfo": {"isSipEnabled": false, "sipDeploymentLocation": null, "sipPrimaryAddress": null},
        "serviceProvisioningErrors": [],
    });
    if rng.chance(10) {
        let occurred = rng.timestamp();
        u["onPremisesProvisioningErrors"] = json!([{
            "category": "PropertyConflict",
            "occurredDateTime": occurred,
            "propertyCausingError": "ProxyAddresses",
            "value": format!("smtp:{alias}@contoso.com"),
        }]);
    }
    u
}

/// A `group` as `GET /groups` returns it (a Microsoft 365 group or a security group).
pub fn group(rng: &mut Rng, i: usize) -> Value {
    let unified = rng.chance(60);
    let name = format!("{} {} {i}", rng.pick(WORDS), rng.pick(WORDS));
    let nick = name.replace(' ', "").to_lowercase();
    let synced = rng.chance(25);
    json!({
        "@odata.type": "#microsoft.graph.group",
        "id": rng.guid(),
        "deletedDateTime": null,
        "classification": if rng.chance(30) { json!("General") } else { Value::Null },
        "createdDateTime": rng.timestamp(),
        "creationOptions": if unified { json!(["Team", "ExchangeProvisioningFlags:3552"]) } else { json!([]) },
        "description": rng.text(40),
        "displayName": name,
        "expirationDateTime": null,
        "groupTypes": if unified { json!(["Unified"]) } else { json!([]) },
        "isAssignableToRole": null,
        "mail": if unified { json!(format!("{nick}@contoso.com")) } else { Value::Null },
        "mailEnabled": unified,
        "mailNickname": nick,
        "membershipRule": null,
        "membershipRuleProcessingState": null,
        "onPremisesDomainName": if synced { json!("contoso.com") } else { Value::Null },
        "onPremisesLastSyncDateTime": if synced { json!(rng.timestamp()) } else { Value::Null },
        "onPremisesNetBiosName": if synced { json!("CONTOSO") } else { Value::Null },
        "onPremisesSamAccountName": if synced { json!(nick) } else { Value::Null },
        "onPremisesSecurityIdentifier": if synced { json!(format!("S-1-5-21-{}-{}", rng.below(4_000_000_000), rng.range(1000, 99999))) } else { Value::Null },
        "onPremisesSyncEnabled": if synced { json!(true) } else { Value::Null },
        "preferredDataLocation": null,
        "preferredLanguage": null,
        "proxyAddresses": if unified { json!([format!("SMTP:{nick}@contoso.com"), format!("SPO:SPO_{}@SPO_{}", rng.guid(), rng.guid())]) } else { json!([]) },
        "renewedDateTime": rng.timestamp(),
        "resourceBehaviorOptions": if unified { json!(["WelcomeEmailDisabled"]) } else { json!([]) },
        "resourceProvisioningOptions": if unified && rng.chance(50) { json!(["Team"]) } else { json!([]) },
        "securityEnabled": !unified || rng.chance(20),
        "securityIdentifier": format!("S-1-12-1-{}-{}-{}-{}", rng.below(4_000_000_000), rng.below(4_000_000_000), rng.below(4_000_000_000), rng.below(4_000_000_000)),
        "theme": null,
        "visibility": if unified { json!(rng.pick(&["Public", "Private"])) } else { Value::Null },
        "onPremisesProvisioningErrors": [],
        // Members the service sends that these v1.0 pages do not list.
        "serviceProvisioningErrors": [],
    })
}

/// A page of `GET /directoryObjects/delta` (users and groups): `n` items, one
/// in ten removed (`@removed`), groups with `members@delta`.
pub fn directory_delta(seed: u64, n: usize) -> Value {
    let mut rng = Rng::new(seed);
    let items = (0..n)
        .map(|i| {
            let roll = rng.below(10);
            if roll == 0 {
                let ty = if rng.chance(70) { "user" } else { "group" };
                json!({
                    "@odata.type": format!("#microsoft.graph.{ty}"),
                    "id": rng.guid(),
                    "@removed": {"reason": if rng.chance(80) { "changed" } else { "deleted" }},
                })
            } else if roll < 7 {
                user(&mut rng, i)
            } else {
                let mut g = group(&mut rng, i);
                let members: Vec<Value> = (0..rng.range(1, 8))
                    .map(|_| {
                        let mut m =
                            json!({"@odata.type": "#microsoft.graph.user", "id": rng.guid()});
                        if rng.chance(15) {
                            m["@removed"] = json!({"reason": "deleted"});
                        }
                        m
                    })
                    .collect();
                g["members@delta"] = Value::Array(members);
                g
            }
        })
        .collect();
    let link = (
        "@odata.nextLink",
        format!(
            "https://graph.microsoft.com/v1.0/directoryObjects/delta?$skiptoken={}",
            rng.token(180)
        ),
    );
    page(
        "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
        link,
        items,
    )
}

/// A page of `GET /users?$select=…` (`n` users, no `@odata.type`).
pub fn users(seed: u64, n: usize) -> Value {
    let mut rng = Rng::new(seed);
    let items = (0..n)
        .map(|i| {
            let mut u = user(&mut rng, i);
            if let Some(u) = u.as_object_mut() {
                u.remove("@odata.type");
            }
            u
        })
        .collect();
    let link = (
        "@odata.nextLink",
        format!(
            "https://graph.microsoft.com/v1.0/users?$select=id,displayName&$skiptoken={}",
            rng.token(120)
        ),
    );
    page(
        "https://graph.microsoft.com/v1.0/$metadata#users",
        link,
        items,
    )
}

/// A page of `GET /groups` (`n` groups, no `@odata.type`).
pub fn groups(seed: u64, n: usize) -> Value {
    let mut rng = Rng::new(seed);
    let items = (0..n)
        .map(|i| {
            let mut g = group(&mut rng, i);
            if let Some(g) = g.as_object_mut() {
                g.remove("@odata.type");
            }
            g
        })
        .collect();
    let link = (
        "@odata.nextLink",
        format!(
            "https://graph.microsoft.com/v1.0/groups?$skiptoken={}",
            rng.token(120)
        ),
    );
    page(
        "https://graph.microsoft.com/v1.0/$metadata#groups",
        link,
        items,
    )
}

// ---------------------------------------------------------------- mail

fn recipient(rng: &mut Rng) -> Value {
    let (given, surname) = person(rng);
    json!({"emailAddress": {
        "name": format!("{given} {surname}"),
        "address": format!("{}.{}@contoso.com", given.to_lowercase(), surname.to_lowercase()),
    }})
}

fn html_body(rng: &mut Rng, len: usize) -> String {
    let mut html = String::from(
        "<html><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n<style type=\"text/css\" style=\"display:none\">\r\n<!--\r\np\r\n\t{margin-top:0;\r\n\tmargin-bottom:0}\r\n-->\r\n</style></head><body dir=\"ltr\">",
    );
    while html.len() < len {
        let p = rng.text(160);
        html.push_str("<div class=\"elementToProof\" style=\"font-family:Calibri,Arial,Helvetica,sans-serif; font-size:12pt; color:rgb(0,0,0)\">");
        html.push_str(&p);
        html.push_str("</div>\r\n");
    }
    html.push_str("</body></html>");
    html
}

fn attachment(rng: &mut Rng) -> Value {
    let modified = rng.timestamp();
    match rng.below(3) {
        0 => {
            let (ext, mime) = rng.pick(&MIME[3..7]);
            let len = rng.range(512, 6 * 1024) as usize;
            let inline = rng.chance(40);
            json!({
                "@odata.type": "#microsoft.graph.fileAttachment",
                "@odata.mediaContentType": mime,
                "id": format!("AAMkAGI2TG93AAABEgAQA{}=", rng.token(40)),
                "lastModifiedDateTime": modified,
                "name": format!("{}.{ext}", rng.pick(WORDS)),
                "contentType": mime,
                "size": len * 4 / 3 + 200,
                "isInline": inline,
                "contentId": if inline { json!(format!("image{}@01D9{}", rng.below(10), rng.token(12))) } else { Value::Null },
                "contentLocation": null,
                "contentBytes": rng.base64(len),
            })
        }
        1 => json!({
            "@odata.type": "#microsoft.graph.itemAttachment",
            "id": format!("AAMkAGI2TG93AAABEgAQA{}=", rng.token(40)),
            "lastModifiedDateTime": modified,
            "name": format!("RE: {}", rng.text(30)),
            "contentType": null,
            "size": rng.range(4_000, 90_000),
            "isInline": false,
        }),
        _ => json!({
            "@odata.type": "#microsoft.graph.referenceAttachment",
            "id": format!("AAMkAGI2TG93AAABEgAQA{}=", rng.token(40)),
            "lastModifiedDateTime": modified,
            "name": format!("{}.docx", rng.pick(WORDS)),
            "contentType": null,
            "size": rng.range(300, 900),
            "isInline": false,
        }),
    }
}

/// A `message` as `GET /me/messages` returns it, with a body of about
/// `body_len` characters and, when `attachments`, `$expand=attachments`.
pub fn message(rng: &mut Rng, body_len: usize, attachments: bool) -> Value {
    let from = recipient(rng);
    let to: Vec<Value> = (0..rng.range(1, 4)).map(|_| recipient(rng)).collect();
    let cc: Vec<Value> = (0..rng.range(0, 3)).map(|_| recipient(rng)).collect();
    let subject = format!(
        "{}{}",
        if rng.chance(40) { "RE: " } else { "" },
        rng.text(40)
    );
    let body = html_body(rng, body_len);
    let preview: String = rng.text(250);
    let received = rng.timestamp();
    let flagged = rng.chance(15);
    let headers: Vec<Value> = [
        (
            "Received",
            format!(
                "from {}.outlook.com (2603:10b6:{:x}::{:x}) by {}.outlook.com with HTTPS",
                rng.token(12),
                rng.below(65536),
                rng.below(65536),
                rng.token(12)
            ),
        ),
        (
            "Content-Type",
            "multipart/related; boundary=\"_004_\"".to_owned(),
        ),
        ("MIME-Version", "1.0".to_owned()),
        (
            "X-MS-Exchange-Organization-SCL",
            format!("{}", rng.below(9)),
        ),
        (
            "X-MS-Has-Attach",
            if attachments {
                "yes".to_owned()
            } else {
                String::new()
            },
        ),
        (
            "Message-ID",
            format!(
                "<{}@{}.namprd03.prod.outlook.com>",
                rng.token(40),
                rng.token(12)
            ),
        ),
    ]
    .into_iter()
    .map(|(name, value)| json!({"name": name, "value": value}))
    .collect();
    let mut m = json!({
        "@odata.etag": format!("W/\"CQAAABYAAAC{}\"", rng.token(28)),
        "id": format!("AAMkAGI2TG93AAA{}=", rng.token(120)),
        "createdDateTime": received,
        "lastModifiedDateTime": rng.timestamp(),
        "changeKey": format!("CQAAABYAAAC{}", rng.token(28)),
        "categories": if rng.chance(20) { json!(["Blue category"]) } else { json!([]) },
        "receivedDateTime": received,
        "sentDateTime": received,
        "hasAttachments": attachments,
        "internetMessageId": format!("<{}@{}.namprd03.prod.outlook.com>", rng.token(40), rng.token(12)),
        "subject": subject,
        "bodyPreview": preview,
        "importance": rng.pick(&["normal", "normal", "low", "high"]),
        "parentFolderId": format!("AAMkAGI2TG93AAAuAAAAAAA{}AAA=", rng.token(60)),
        "conversationId": format!("AAQkAGI2TG93{}=", rng.token(60)),
        "conversationIndex": rng.base64(22),
        "isDeliveryReceiptRequested": rng.chance(5),
        "isReadReceiptRequested": rng.chance(5),
        "isRead": rng.chance(70),
        "isDraft": false,
        "webLink": format!("https://outlook.office365.com/owa/?ItemID=AAMkAGI2TG93{}&exvsurl=1&viewmodel=ReadMessageItem", rng.token(120)),
        "inferenceClassification": rng.pick(&["focused", "other"]),
        "body": {"contentType": "html", "content": body},
        "sender": from.clone(),
        "from": from,
        "toRecipients": to,
        "ccRecipients": cc,
        "bccRecipients": [],
        "replyTo": [],
        "flag": if flagged {
            json!({
                "flagStatus": "flagged",
                "startDateTime": {"dateTime": "2024-05-06T00:00:00.0000000", "timeZone": "UTC"},
                "dueDateTime": {"dateTime": "2024-05-13T00:00:00.0000000", "timeZone": "UTC"},
            })
        } else {
            json!({"flagStatus": "notFlagged"})
        },
        "internetMessageHeaders": headers,
    });
    if attachments {
        let list: Vec<Value> = (0..rng.range(1, 3)).map(|_| attachment(rng)).collect();
        m["attachments@odata.context"] = json!(format!(
            "https://graph.microsoft.com/v1.0/$metadata#users('{}')/messages('{}')/attachments",
            rng.guid(),
            rng.token(20)
        ));
        m["attachments"] = Value::Array(list);
    }
    m
}

/// A page of `GET /me/messages?$top=…` (`n` messages, bodies of 2–5 KB).
pub fn messages(seed: u64, n: usize, attachments: bool) -> Value {
    let mut rng = Rng::new(seed);
    let items = (0..n)
        .map(|_| {
            let len = rng.range(2_000, 5_000) as usize;
            message(&mut rng, len, attachments)
        })
        .collect();
    let query = if attachments {
        "$expand=attachments&$top=100"
    } else {
        "$top=100"
    };
    let link = (
        "@odata.nextLink",
        format!("https://graph.microsoft.com/v1.0/me/messages?{query}&$skip={n}"),
    );
    page(
        "https://graph.microsoft.com/v1.0/$metadata#users('a0b1c2d3-0000-4000-8000-000000000001')/messages",
        link,
        items,
    )
}

// ---------------------------------------------------------------- files

fn identity_set(rng: &mut Rng) -> Value {
    let (given, surname) = person(rng);
    let mut set = json!({"user": {
        "email": format!("{}.{}@contoso.com", given.to_lowercase(), surname.to_lowercase()),
        "id": rng.guid(),
        "displayName": format!("{given} {surname}"),
    }});
    if rng.chance(10) {
        set["application"] =
            json!({"id": rng.guid(), "displayName": "SharePoint Online Client Extensibility"});
    }
    set
}

fn hashes(rng: &mut Rng) -> Value {
    let mut h = json!({"quickXorHash": rng.base64(20)});
    if rng.chance(50) {
        h["sha1Hash"] = json!(format!(
            "{:016X}{:016X}{:08X}",
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64() as u32
        ));
        h["sha256Hash"] = json!(format!(
            "{:016X}{:016X}{:016X}{:016X}",
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64()
        ));
    }
    h
}

/// A `driveItem` as `GET /me/drive/root/children` returns it: a folder or a
/// file with its facets, sometimes shared, sometimes a remote item.
pub fn drive_item(rng: &mut Rng, drive_id: &str, parent_id: &str, i: usize) -> Value {
    let created = rng.timestamp_millis();
    let modified = rng.timestamp_millis();
    let id = format!("01BYE5RZ{}", rng.token(26).to_uppercase());
    let folder = rng.chance(20);
    let (ext, mime) = rng.pick(MIME);
    let name = if folder {
        format!("{} {i}", rng.pick(WORDS))
    } else {
        format!("{} {} {i}.{ext}", rng.pick(WORDS), rng.pick(WORDS))
    };
    let size = if folder {
        rng.range(0, 5_000_000_000)
    } else {
        rng.range(1_000, 3_000_000_000)
    };
    let etag_guid = rng.guid().to_uppercase();
    let version = rng.range(1, 40);
    let mut item = json!({
        "createdBy": identity_set(rng),
        "createdDateTime": created,
        "eTag": format!("\"{{{etag_guid}}},{version}\""),
        "id": id,
        "lastModifiedBy": identity_set(rng),
        "lastModifiedDateTime": modified,
        "name": name,
        "parentReference": {
            "driveType": "business",
            "driveId": drive_id,
            "id": parent_id,
            "name": "Documents",
            "path": "/drive/root:",
            "siteId": "contoso.sharepoint.com,da60e844-ba1d-49bc-b4d4-d5e36bae9019,712a596e-90a1-49e3-9b48-bfa80bee8740",
        },
        "webUrl": format!("https://contoso-my.sharepoint.com/personal/megan_contoso_com/Documents/{}", name.replace(' ', "%20")),
        "cTag": format!("\"c:{{{etag_guid}}},{}\"", version + 1),
        "fileSystemInfo": {"createdDateTime": created, "lastModifiedDateTime": modified},
        "size": size,
    });
    if folder {
        item["folder"] = json!({
            "childCount": rng.range(0, 300),
            "view": {"viewType": "thumbnails", "sortBy": "name", "sortOrder": "ascending"},
        });
        if rng.chance(20) {
            item["specialFolder"] = json!({"name": rng.pick(&["documents", "photos", "music"])});
        }
    } else {
        item["@microsoft.graph.downloadUrl"] = json!(format!(
            "https://contoso-my.sharepoint.com/personal/megan_contoso_com/_layouts/15/download.aspx?UniqueId={}&Translate=false&tempauth={}&ApiVersion=2.0",
            rng.guid(),
            rng.token(400)
        ));
        item["file"] = json!({"mimeType": mime, "hashes": hashes(rng)});
        if mime.starts_with("image/") {
            item["image"] = json!({"height": rng.range(480, 4032), "width": rng.range(640, 4032)});
            let focal = [4.15, 5.7, 6.86, 26.0][rng.below(4) as usize];
            let exposure = [60.0, 120.0, 2000.0][rng.below(3) as usize];
            let f_number = [1.6, 1.8, 2.2][rng.below(3) as usize];
            item["photo"] = json!({
                "cameraMake": "Apple",
                "cameraModel": rng.pick(&["iPhone 12", "iPhone 14 Pro", "iPhone SE"]),
                "exposureDenominator": exposure,
                "exposureNumerator": 1.0,
                "fNumber": f_number,
                "focalLength": focal,
                "iso": rng.range(25, 1600),
                "orientation": rng.range(1, 8),
                "takenDateTime": rng.timestamp(),
            });
        }
        if mime == "video/mp4" {
            let frame_rate = [29.97, 30.0, 59.94][rng.below(3) as usize];
            item["video"] = json!({
                "audioBitsPerSample": 16,
                "audioChannels": 2,
                "audioFormat": "AAC",
                "audioSamplesPerSecond": 48000,
                "bitrate": rng.range(1_000_000, 20_000_000),
                "duration": rng.range(1_000, 3_600_000),
                "fourCC": "avc1",
                "frameRate": frame_rate,
                "height": 1080,
                "width": 1920,
            });
        }
    }
    if rng.chance(25) {
        item["shared"] = json!({
            "scope": rng.pick(&["users", "organization", "anonymous"]),
            "owner": {"user": {"displayName": "Megan Bowen", "id": rng.guid()}},
            "sharedDateTime": rng.timestamp(),
        });
    }
    if rng.chance(8) {
        let remote_id = format!("01BYE5RZ{}", rng.token(26).to_uppercase());
        item["remoteItem"] = json!({
            "id": remote_id,
            "name": item["name"].clone(),
            "size": size,
            "createdBy": identity_set(rng),
            "createdDateTime": created,
            "lastModifiedBy": identity_set(rng),
            "lastModifiedDateTime": modified,
            "fileSystemInfo": {"createdDateTime": created, "lastModifiedDateTime": modified},
            "parentReference": {"driveId": format!("b!{}", rng.token(64)), "driveType": "business", "id": format!("01BYE5RZ{}", rng.token(26).to_uppercase())},
            "shared": {"scope": "users", "sharedDateTime": rng.timestamp(), "sharedBy": identity_set(rng)},
            "webDavUrl": format!("https://fabrikam.sharepoint.com/sites/team/Shared%20Documents/{i}"),
            "webUrl": format!("https://fabrikam.sharepoint.com/sites/team/Shared%20Documents/{i}"),
            "sharepointIds": {"listId": rng.guid(), "listItemId": format!("{}", rng.range(1, 5000)), "listItemUniqueId": rng.guid(), "siteId": rng.guid(), "siteUrl": "https://fabrikam.sharepoint.com/sites/team", "tenantId": rng.guid(), "webId": rng.guid()},
        });
    }
    item
}

/// A page of `GET /me/drive/root/children` (`n` items).
pub fn drive_items(seed: u64, n: usize) -> Value {
    let mut rng = Rng::new(seed);
    let drive_id = format!("b!{}", rng.token(64));
    let parent_id = format!("01BYE5RZ{}", rng.token(26).to_uppercase());
    let items = (0..n)
        .map(|i| drive_item(&mut rng, &drive_id, &parent_id, i))
        .collect();
    let link = (
        "@odata.nextLink",
        format!(
            "https://graph.microsoft.com/v1.0/me/drive/root/children?$skiptoken={}",
            rng.token(60)
        ),
    );
    page(
        &format!("https://graph.microsoft.com/v1.0/$metadata#drives('{drive_id}')/root/children"),
        link,
        items,
    )
}

// ---------------------------------------------------------------- sharepoint

/// A `columnDefinition` as `GET /sites/{id}/lists/{id}/columns` returns it,
/// with one type facet (`text`, `choice`, `number`, …).
pub fn column_definition(rng: &mut Rng, i: usize) -> Value {
    let name = format!("{}{}{i}", rng.pick(WORDS), rng.pick(WORDS));
    let mut c = json!({
        "columnGroup": rng.pick(&["Custom Columns", "Core Contact and Calendar Columns", "_Hidden", "Base Columns"]),
        "description": if rng.chance(50) { json!(rng.text(50)) } else { json!("") },
        "displayName": name.clone(),
        "enforceUniqueValues": rng.chance(5),
        "hidden": rng.chance(20),
        "id": rng.guid(),
        "indexed": rng.chance(10),
        "name": name,
        "readOnly": rng.chance(15),
        "required": rng.chance(10),
        // Members the service sends that these v1.0 pages do not list.
        "isDeletable": rng.chance(70),
        "isReorderable": rng.chance(80),
        "isSealed": rng.chance(10),
        "propagateChanges": false,
    });
    match rng.below(9) {
        0 | 1 => {
            c["text"] = json!({"allowMultipleLines": false, "appendChangesToExistingText": false, "linesForEditing": 0, "maxLength": 255, "textType": "plain"})
        }
        2 => {
            let choices: Vec<String> = (0..rng.range(2, 8)).map(|_| rng.text(12)).collect();
            c["choice"] = json!({"allowTextEntry": rng.chance(30), "choices": choices, "displayAs": rng.pick(&["dropDownMenu", "radioButtons", "checkBoxes"])});
        }
        3 => {
            c["number"] = json!({"decimalPlaces": rng.pick(&["automatic", "none", "one", "two"]), "displayAs": "number", "maximum": 1.7976931348623157e308, "minimum": -1.7976931348623157e308})
        }
        4 => {
            c["dateTime"] = json!({"displayAs": rng.pick(&["default", "friendly", "standard"]), "format": rng.pick(&["dateOnly", "dateTime"])})
        }
        5 => {
            c["personOrGroup"] = json!({"allowMultipleSelection": rng.chance(30), "displayAs": "account", "chooseFromType": "peopleOnly"})
        }
        6 => {
            c["lookup"] = json!({"allowMultipleValues": rng.chance(30), "allowUnlimitedLength": false, "columnName": "Title", "listId": rng.guid(), "primaryLookupColumnId": null})
        }
        7 => {
            c["calculated"] =
                json!({"format": "dateOnly", "formula": "=[Created]+7", "outputType": "dateTime"});
            c["defaultValue"] = json!({"formula": null, "value": null});
        }
        _ => {
            c["boolean"] = json!({});
            c["defaultValue"] = json!({"value": "1"});
        }
    }
    if rng.chance(10) {
        c["hyperlinkOrPicture"] = json!({"isPicture": false});
    }
    c
}

/// A page of `GET /sites/{id}/lists/{id}/columns` (`n` columns).
pub fn column_definitions(seed: u64, n: usize) -> Value {
    let mut rng = Rng::new(seed);
    let items = (0..n).map(|i| column_definition(&mut rng, i)).collect();
    let link = (
        "@odata.nextLink",
        format!(
            "https://graph.microsoft.com/v1.0/sites/contoso.sharepoint.com/lists/{}/columns?$skiptoken={}",
            rng.guid(),
            rng.token(40)
        ),
    );
    page(
        "https://graph.microsoft.com/v1.0/$metadata#sites('contoso.sharepoint.com')/lists('documents')/columns",
        link,
        items,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn same_seed_same_bytes() {
        let a = serde_json::to_vec(&directory_delta(7, 50)).expect("serializable");
        let b = serde_json::to_vec(&directory_delta(7, 50)).expect("serializable");
        assert_eq!(a, b);
        assert_ne!(
            a,
            serde_json::to_vec(&directory_delta(8, 50)).expect("serializable")
        );
    }

    #[test]
    fn guids_and_timestamps_are_well_formed() {
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            let g = rng.guid();
            assert_eq!(g.len(), 36, "{g}");
            assert_eq!(g.matches('-').count(), 4, "{g}");
            let t = rng.timestamp_millis();
            assert_eq!(t.len(), "2020-01-01T00:00:00.000Z".len(), "{t}");
        }
    }
}
