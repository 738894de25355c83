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
    use super::super::members::tests::Item;
    use super::Property;

    const ID: Property<Item> = Property::new("id");

    #[test]
    fn clears_its_field_and_shows_its_name() {
        let mut item = Item {
            id: Some("18/2111".to_owned()),
            size: Some(3),
            thumbnail: Some(vec![1]),
            ranks: Some(vec![1.0]),
            ..Item::default()
        };
        ID.clear(&mut item);
        assert_eq!(item.id, None);
        assert_eq!(item.size, Some(3));
        for name in ["size", "thumbnail", "ranks"] {
            Property::<Item>::new(name).clear(&mut item);
        }
        assert_eq!(item, Item::default());
        // Not a field: nothing changes.
        Property::<Item>::new("nothing").clear(&mut item);
        assert!(item.additional_properties.is_empty());
        assert_eq!(ID.name(), "id");
        assert_eq!(format!("{ID:?}"), r#"Property("id")"#);
    }
}
