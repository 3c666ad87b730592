//! JSON conventions of the Cosmos SDK shared by every module's genesis and
//! params.

/// Cosmos JSON writes 64-bit integers as strings; write strings and accept
/// both forms (`#[serde(with = "venice_types::json::int_str")]`).
pub mod int_str {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, T, D>(d: D) -> Result<T, D::Error>
    where
        T: FromStr + Deserialize<'de>,
        D: Deserializer<'de>,
    {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum N<T> {
            S(String),
            N(T),
        }
        match N::<T>::deserialize(d)? {
            N::N(n) => Ok(n),
            N::S(s) => {
                s.parse().map_err(|_| serde::de::Error::custom(format!("expected an integer of {}, got {s:?}", std::any::type_name::<T>())))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct T {
        #[serde(with = "super::int_str")]
        u: u64,
        #[serde(with = "super::int_str")]
        i: i64,
    }

    #[test]
    fn strings_and_numbers_are_read_strings_written() {
        let t: T = serde_json::from_str(r#"{"u": "18446744073709551615", "i": -5}"#).unwrap();
        assert_eq!(t, T { u: u64::MAX, i: -5 });
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"u":"18446744073709551615","i":"-5"}"#);
        let e = serde_json::from_str::<T>(r#"{"u": "-1", "i": 0}"#).unwrap_err();
        assert!(e.to_string().contains("expected an integer of u64"), "{e}");
    }
}
