//! A typed name for one property of a generated model, for sending `null`.
//!
//! Graph clears a value when a PATCH body sets it to JSON `null` (an event's
//! `recurrence`, a user's `officeLocation`), while a property left out keeps
//! its value. Model fields are `Option<T>` skipped when `None`, so `None`
//! already means "absent"; `null` is said with the model's `with_null`:
//!
//! ```ignore
//! let patch = Event { subject: Some("Sync".into()), ..Default::default() }
//!     .with_null(Event::RECURRENCE);
//! // {"subject":"Sync","recurrence":null}
//! ```
//!
//! Every model has one associated `Property<Self>` constant per field. It
//! knows the wire name and how to set its field to `None`, so that a value
//! and a `null` for the same property are never both recorded by `with_null`.
//! The `null` itself lives in the model's `additional_properties`, which
//! serde already writes, so models need no hand-written `Serialize`.

use std::fmt;

/// One property of the model `M`: its JSON name and a way to empty its field.
///
/// Generated models expose one per field (`Event::RECURRENCE`), typed by the
/// model so a property of another model is a compile error. Pass it to the
/// model's `with_null` to send `null` for it.
pub struct Property<M> {
    name: &'static str,
    clear: fn(&mut M),
}

impl<M> Property<M> {
    /// The property `name` (as written in JSON), whose field `clear` sets to
    /// `None`. Generated code builds these; there is no reason to call it.
    pub const fn new(name: &'static str, clear: fn(&mut M)) -> Self {
        Property { name, clear }
    }

    /// The property's name in JSON (`"officeLocation"`), as `$select` and
    /// `$orderby` spell it too.
    pub const fn name(self) -> &'static str {
        self.name
    }

    /// Sets the property's field of `model` to `None`.
    pub fn clear(self, model: &mut M) {
        (self.clear)(model);
    }
}

// Written out: derives would require `M: Clone` and `M: Debug`, which a
// fn pointer does not need.
impl<M> Clone for Property<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for Property<M> {}

impl<M> fmt::Debug for Property<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Property").field(&self.name).finish()
    }
}

impl<M> PartialEq for Property<M> {
    fn eq(&self, other: &Self) -> bool {
        // The name is the identity: fn pointers are not reliably comparable.
        self.name == other.name
    }
}

impl<M> Eq for Property<M> {}

#[cfg(test)]
mod tests {
    use super::Property;

    #[derive(Debug, Default)]
    struct Model {
        office_location: Option<String>,
    }

    const OFFICE_LOCATION: Property<Model> =
        Property::new("officeLocation", |m| m.office_location = None);

    #[test]
    fn clears_its_field_and_shows_its_name() {
        let mut model = Model {
            office_location: Some("18/2111".to_owned()),
        };
        OFFICE_LOCATION.clear(&mut model);
        assert_eq!(model.office_location, None);
        assert_eq!(OFFICE_LOCATION.name(), "officeLocation");
        assert_eq!(
            format!("{OFFICE_LOCATION:?}"),
            r#"Property("officeLocation")"#
        );
    }
}
