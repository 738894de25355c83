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
//! knows the wire name; the field is emptied through the model's
//! [`Members`](super::Members), which reads a JSON `null` into it, so no
//! per-field code is generated for clearing. A value and a `null` for the
//! same property are never both recorded by `with_null`. The `null` itself
//! lives in the model's `additional_properties`, which serde already writes,
//! so models need no hand-written `Serialize`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{Error, UnitDeserializer};
use serde::de::{DeserializeSeed, MapAccess};

use super::members::Members;

/// One property of the model `M`: its JSON name.
///
/// Generated models expose one per field (`Event::RECURRENCE`), typed by the
/// model so a property of another model is a compile error. Pass it to the
/// model's `with_null` to send `null` for it.
pub struct Property<M> {
    name: &'static str,
    model: PhantomData<fn(&mut M)>,
}

impl<M> Property<M> {
    /// The property `name` (as written in JSON). Generated code builds
    /// these; there is no reason to call it.
    pub const fn new(name: &'static str) -> Self {
        Property {
            name,
            model: PhantomData,
        }
    }

    /// The property's name in JSON (`"officeLocation"`), as `$select` and
    /// `$orderby` spell it too.
    pub const fn name(self) -> &'static str {
        self.name
    }

    /// Sets the property's field of `model` to `None`.
    pub fn clear(self, model: &mut M)
    where
        M: Members,
    {
        // Every field is an `Option`, which reads `null` as `None`; a name
        // that is no field leaves the model as it is.
        let _ = model.member(self.name, &mut Null);
    }
}

/// The value `null`, as a map's next value: what [`Property::clear`] reads.
struct Null;

impl<'de> MapAccess<'de> for Null {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _: K) -> Result<Option<K::Value>, Error> {
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(UnitDeserializer::new())
    }
}

// Written out: derives would require `M: Clone` and `M: Debug`, which the
// name does not need.
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
        self.name == other.name
    }
}

impl<M> Eq for Property<M> {}

#[cfg(test)]
mod tests {
    use super::super::{Members, read, read_base64, read_number, read_numbers};
    use super::Property;
    use serde::de::MapAccess;
    use serde_json::{Map, Value};

    #[derive(Debug, Default)]
    struct Model {
        office_location: Option<String>,
        size: Option<i64>,
        photo: Option<Vec<u8>>,
        ranks: Option<Vec<f64>>,
        additional_properties: Map<String, Value>,
    }

    impl Members for Model {
        const NAME: &'static str = "Model";
        fn empty() -> Self {
            Self::default()
        }
        fn member<'de, A: MapAccess<'de>>(
            &mut self,
            name: &str,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match name {
                "officeLocation" => read(&mut self.office_location, map),
                "size" => read_number(&mut self.size, map),
                "photo" => read_base64(&mut self.photo, map),
                "ranks" => read_numbers(&mut self.ranks, map),
                _ => Ok(false),
            }
        }
        fn additional_properties(&mut self) -> &mut Map<String, Value> {
            &mut self.additional_properties
        }
    }

    const OFFICE_LOCATION: Property<Model> = Property::new("officeLocation");

    #[test]
    fn clears_its_field_and_shows_its_name() {
        let mut model = Model {
            office_location: Some("18/2111".to_owned()),
            size: Some(3),
            photo: Some(vec![1]),
            ranks: Some(vec![1.0]),
            ..Model::default()
        };
        OFFICE_LOCATION.clear(&mut model);
        assert_eq!(model.office_location, None);
        assert_eq!(model.size, Some(3));
        for name in ["size", "photo", "ranks"] {
            Property::<Model>::new(name).clear(&mut model);
        }
        assert_eq!(
            (model.size, &model.photo, &model.ranks),
            (None, &None, &None)
        );
        // Not a field: nothing changes.
        Property::<Model>::new("nothing").clear(&mut model);
        assert!(model.additional_properties.is_empty());
        assert_eq!(OFFICE_LOCATION.name(), "officeLocation");
        assert_eq!(
            format!("{OFFICE_LOCATION:?}"),
            r#"Property("officeLocation")"#
        );
    }
}
