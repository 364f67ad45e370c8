//! Streaming over one array inside a large JSON document: each element is parsed and handed
//! over on its own, everything else is skipped without being kept.

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::io::BufRead;

/// Call `f(index, element)` for every element of the array reached by following `path` (object
/// keys) from the top of the document; `f` returns `false` to skip the rest. Returns whether the
/// array was found; a syntax error comes back as its message (with line and column).
pub(crate) fn each_element<F>(
    input: &mut dyn BufRead,
    path: &[&str],
    f: &mut F,
) -> Result<bool, String>
where
    F: FnMut(usize, Value) -> bool,
{
    let mut found = false;
    let mut de = serde_json::Deserializer::from_reader(input);
    At {
        path,
        f,
        found: &mut found,
    }
    .deserialize(&mut de)
    .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(found)
}

struct At<'a, F> {
    path: &'a [&'a str],
    f: &'a mut F,
    found: &'a mut bool,
}

impl<'de, F: FnMut(usize, Value) -> bool> DeserializeSeed<'de> for At<'_, F> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.path.is_empty() {
            d.deserialize_seq(self)
        } else {
            d.deserialize_map(self)
        }
    }
}

impl<'de, F: FnMut(usize, Value) -> bool> Visitor<'de> for At<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.path.first() {
            None => f.write_str("an array"),
            Some(key) => write!(f, "an object with the member \"{key}\""),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((key, rest)) = self.path.split_first() else {
            return Err(serde::de::Error::custom("expected an array"));
        };
        while let Some(k) = map.next_key::<String>()? {
            if k == *key {
                map.next_value_seed(At {
                    path: rest,
                    f: &mut *self.f,
                    found: &mut *self.found,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        *self.found = true;
        let mut index = 0;
        let mut wanted = true;
        loop {
            if wanted {
                match seq.next_element::<Value>()? {
                    Some(v) => wanted = (self.f)(index, v),
                    None => break,
                }
            } else if seq.next_element::<IgnoredAny>()?.is_none() {
                break;
            }
            index += 1;
        }
        Ok(())
    }
}

/// A member of a JSON object by path (`a.b.c`), if present and not null.
pub(crate) fn get<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    let mut cur = v;
    for key in path.split('.') {
        cur = cur.get(key)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// A string member by path.
pub(crate) fn get_str<'v>(v: &'v Value, path: &str) -> Option<&'v str> {
    get(v, path).and_then(Value::as_str)
}
