//! The OpenAPI (Swagger 2.0) document of the REST routes, written from the
//! same descriptors the gateway runs on: one operation per route, its path
//! and query parameters, and a definition per message in the gateway's
//! JSON (64-bit integers as strings, bytes as base64, enums by name).

use std::collections::BTreeMap;

use prost_reflect::{FieldDescriptor, Kind, MessageDescriptor};
use serde_json::{Value as Json, json};

use super::routes::Routes;

pub fn document(routes: &Routes) -> Json {
    let mut paths: BTreeMap<String, serde_json::Map<String, Json>> = BTreeMap::new();
    let mut defs: BTreeMap<String, Json> = BTreeMap::new();
    for r in routes.iter() {
        let input = r.method.input();
        let output = r.method.output();
        let path_fields = r.path_fields();
        let mut params: Vec<Json> =
            path_fields.iter().map(|f| json!({"name": f, "in": "path", "required": true, "type": "string"})).collect();
        if r.body.is_empty() {
            query_params(&input, "", &path_fields, &mut params, 0);
        } else {
            params.push(json!({"name": "body", "in": "body", "required": true, "schema": {"$ref": def_ref(&input)}}));
            define(&input, &mut defs);
        }
        define(&output, &mut defs);
        let op = json!({
            "operationId": format!("{}_{}", r.method.parent_service().full_name().replace('.', "_"), r.method.name()),
            "tags": [r.method.parent_service().full_name()],
            "summary": format!("{} ({})", r.method.name(), r.grpc_path()),
            "parameters": params,
            "responses": {
                "200": {"description": "A successful response.", "schema": {"$ref": def_ref(&output)}},
                "default": {"description": "An unexpected error response.", "schema": {"$ref": "#/definitions/grpc.gateway.runtime.Error"}},
            },
        });
        paths.entry(r.openapi_path()).or_default().insert(r.http_method.as_str().to_lowercase(), op);
    }
    defs.insert(
        "grpc.gateway.runtime.Error".into(),
        json!({"type": "object", "properties": {
            "code": {"type": "integer", "format": "int32"},
            "message": {"type": "string"},
            "details": {"type": "array", "items": {"$ref": "#/definitions/google.protobuf.Any"}},
        }}),
    );
    json!({
        "swagger": "2.0",
        "info": {"title": "Venice chain REST (LCD) gateway", "description": "Cosmos SDK gateway routes served by veniced", "version": env!("CARGO_PKG_VERSION")},
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": paths,
        "definitions": defs,
    })
}

fn def_ref(m: &MessageDescriptor) -> String {
    format!("#/definitions/{}", m.full_name())
}

/// Scalar fields as query parameters, nested ones dotted (`pagination.limit`).
fn query_params(m: &MessageDescriptor, prefix: &str, skip: &[&str], out: &mut Vec<Json>, depth: usize) {
    for f in m.fields() {
        let name = format!("{prefix}{}", f.name());
        if skip.contains(&name.as_str()) {
            continue;
        }
        match f.kind() {
            Kind::Message(inner) if !inner.full_name().starts_with("google.protobuf.") => {
                if depth < 2 && !f.is_list() && !f.is_map() {
                    query_params(&inner, &format!("{name}."), skip, out, depth + 1);
                }
            }
            _ if f.is_map() => {}
            _ => {
                let mut p = schema(&f);
                let obj = p.as_object_mut().expect("schema is an object");
                if f.is_list() {
                    obj.insert("collectionFormat".into(), json!("multi"));
                }
                obj.insert("name".into(), json!(name));
                obj.insert("in".into(), json!("query"));
                obj.insert("required".into(), json!(false));
                out.push(p);
            }
        }
    }
}

fn scalar_schema(kind: &Kind) -> Json {
    match kind {
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => json!({"type": "integer", "format": "int32"}),
        Kind::Uint32 | Kind::Fixed32 => json!({"type": "integer", "format": "int64"}),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => json!({"type": "string", "format": "int64"}),
        Kind::Uint64 | Kind::Fixed64 => json!({"type": "string", "format": "uint64"}),
        Kind::Float => json!({"type": "number", "format": "float"}),
        Kind::Double => json!({"type": "number", "format": "double"}),
        Kind::String => json!({"type": "string"}),
        Kind::Bytes => json!({"type": "string", "format": "byte"}),
        Kind::Enum(e) => json!({"type": "string", "enum": e.values().map(|v| v.name().to_string()).collect::<Vec<_>>()}),
        Kind::Message(m) => match m.full_name() {
            "google.protobuf.Timestamp" => json!({"type": "string", "format": "date-time"}),
            "google.protobuf.Duration" => json!({"type": "string"}),
            _ => json!({"$ref": def_ref(m)}),
        },
    }
}

fn schema(f: &FieldDescriptor) -> Json {
    let item = scalar_schema(&f.kind());
    if f.is_map() {
        let value = match f.kind() {
            Kind::Message(entry) => entry.map_entry_value_field().kind(),
            k => k,
        };
        return json!({"type": "object", "additionalProperties": scalar_schema(&value)});
    }
    if f.is_list() { json!({"type": "array", "items": item}) } else { item }
}

/// Adds `m` and every message it reaches to `defs`.
fn define(m: &MessageDescriptor, defs: &mut BTreeMap<String, Json>) {
    if defs.contains_key(m.full_name()) {
        return;
    }
    if m.full_name() == "google.protobuf.Any" {
        defs.insert(
            m.full_name().into(),
            json!({"type": "object", "properties": {"@type": {"type": "string"}}, "additionalProperties": {}}),
        );
        return;
    }
    defs.insert(m.full_name().into(), json!({}));
    let mut props = serde_json::Map::new();
    for f in m.fields() {
        props.insert(f.name().to_string(), schema(&f));
        let reached = match f.kind() {
            Kind::Message(inner) if f.is_map() => match inner.map_entry_value_field().kind() {
                Kind::Message(v) => Some(v),
                _ => None,
            },
            Kind::Message(inner) => Some(inner),
            _ => None,
        };
        if let Some(inner) = reached
            && !matches!(inner.full_name(), "google.protobuf.Timestamp" | "google.protobuf.Duration")
        {
            define(&inner, defs);
        }
    }
    defs.insert(m.full_name().into(), json!({"type": "object", "properties": props}));
}
