//! The REST route table, read from the `google.api.http` annotations of the
//! services this node answers, as grpc-gateway generates its handlers from
//! the same annotations in the Cosmos SDK. A service whose descriptor is in
//! the set joins the gateway the moment the app serves it.

use http::Method;
use prost_reflect::{DescriptorPool, DynamicMessage, MethodDescriptor, Value};

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Literal(String),
    /// A path variable bound to a (dotted) field path; `rest` = `**`.
    Var {
        field: String,
        rest: bool,
    },
}

#[derive(Clone, Debug)]
pub struct Route {
    pub http_method: Method,
    /// The annotated template, e.g. `/cosmos/bank/v1beta1/balances/{address}`.
    pub template: String,
    segs: Vec<Seg>,
    /// `""` (no body), `"*"` (the whole request) or one field's name.
    pub body: String,
    pub method: MethodDescriptor,
}

impl Route {
    /// `/pkg.Service/Method`, the path gRPC and ABCI Query know it by.
    pub fn grpc_path(&self) -> String {
        format!("/{}/{}", self.method.parent_service().full_name(), self.method.name())
    }

    /// The template with bare `{field}` variables, as OpenAPI writes them.
    pub fn openapi_path(&self) -> String {
        let mut out = String::new();
        for s in &self.segs {
            out.push('/');
            match s {
                Seg::Literal(l) => out.push_str(l),
                Seg::Var { field, .. } => out.push_str(&format!("{{{field}}}")),
            }
        }
        out
    }

    pub fn path_fields(&self) -> Vec<&str> {
        self.segs
            .iter()
            .filter_map(|s| match s {
                Seg::Var { field, .. } => Some(field.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The path variables if `path` matches, percent-decoded.
    fn matches(&self, parts: &[&str]) -> Option<Vec<(String, String)>> {
        let mut vars = Vec::new();
        let mut i = 0;
        for (k, seg) in self.segs.iter().enumerate() {
            match seg {
                Seg::Literal(l) => {
                    if parts.get(i).is_none_or(|p| *p != l) {
                        return None;
                    }
                    i += 1;
                }
                Seg::Var { field, rest: false } => {
                    let p = parts.get(i).filter(|p| !p.is_empty())?;
                    vars.push((field.clone(), decode(p)));
                    i += 1;
                }
                Seg::Var { field, rest: true } => {
                    // `**` takes every segment but those the rest of the template needs.
                    let tail = self.segs.len() - k - 1;
                    let end = parts.len().checked_sub(tail)?;
                    if end <= i {
                        return None;
                    }
                    vars.push((field.clone(), parts[i..end].iter().map(|p| decode(p)).collect::<Vec<_>>().join("/")));
                    i = end;
                }
            }
        }
        (i == parts.len()).then_some(vars)
    }

    /// Literal segments first, so `blocks/latest` wins over `blocks/{height}`.
    fn specificity(&self) -> (usize, usize) {
        let literals = self.segs.iter().filter(|s| matches!(s, Seg::Literal(_))).count();
        let singles = self.segs.iter().filter(|s| matches!(s, Seg::Var { rest: false, .. })).count();
        (literals, singles)
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// `/a/{b}/c/{d=**}` → segments; `None` for templates this gateway cannot
/// serve (a custom verb, or a variable with a sub-pattern).
fn parse_template(t: &str) -> Option<Vec<Seg>> {
    let t = t.strip_prefix('/')?;
    let mut segs = Vec::new();
    let mut rest = t;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('{') {
            let close = inner.find('}')?;
            let var = &inner[..close];
            let (field, pattern) = var.split_once('=').unwrap_or((var, "*"));
            let rest_match = match pattern {
                "*" => false,
                "**" => true,
                _ => return None,
            };
            segs.push(Seg::Var { field: field.to_string(), rest: rest_match });
            rest = &inner[close + 1..];
        } else {
            let end = rest.find('/').unwrap_or(rest.len());
            let lit = &rest[..end];
            if lit.contains(':') || lit.contains('{') {
                return None;
            }
            segs.push(Seg::Literal(lit.to_string()));
            rest = &rest[end..];
        }
        rest = rest.strip_prefix('/').unwrap_or(rest);
    }
    Some(segs)
}

pub struct Routes(Vec<Route>);

/// A matched route and its path variables (field path, decoded value).
pub type Found<'a> = (&'a Route, Vec<(String, String)>);

pub enum Miss {
    NotFound,
    MethodNotAllowed,
}

impl Routes {
    /// Routes of every method of `services` (full names) in `pool`.
    pub fn build(pool: &DescriptorPool, services: &[String]) -> Routes {
        let Some(http) = pool.get_extension_by_name("google.api.http") else { return Routes(vec![]) };
        let mut routes = Vec::new();
        for name in services {
            let Some(service) = pool.get_service_by_name(name) else { continue };
            for method in service.methods() {
                let opts = method.options();
                if !opts.has_extension(&http) {
                    continue;
                }
                if let Value::Message(rule) = opts.get_extension(&http).as_ref() {
                    push_rule(&mut routes, &method, rule);
                    if let Some(Value::List(more)) = rule.get_field_by_name("additional_bindings").as_deref() {
                        for r in more {
                            if let Value::Message(r) = r {
                                push_rule(&mut routes, &method, r);
                            }
                        }
                    }
                }
            }
        }
        routes.sort_by(|a, b| b.specificity().cmp(&a.specificity()).then_with(|| a.template.cmp(&b.template)));
        Routes(routes)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Route> {
        self.0.iter()
    }

    /// The route for `method` `path`, and its path variables.
    pub fn find(&self, method: &Method, path: &str) -> Result<Found<'_>, Miss> {
        let parts: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let mut other_method = false;
        for r in &self.0 {
            if let Some(vars) = r.matches(&parts) {
                if r.http_method == method {
                    return Ok((r, vars));
                }
                other_method = true;
            }
        }
        Err(if other_method { Miss::MethodNotAllowed } else { Miss::NotFound })
    }
}

fn push_rule(routes: &mut Vec<Route>, method: &MethodDescriptor, rule: &DynamicMessage) {
    let text = |name: &str| match rule.get_field_by_name(name).as_deref() {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let Some((verb, template)) =
        [("get", Method::GET), ("post", Method::POST), ("put", Method::PUT), ("delete", Method::DELETE), ("patch", Method::PATCH)]
            .into_iter()
            .find_map(|(name, m)| {
                let t = text(name);
                (!t.is_empty()).then_some((m, t))
            })
    else {
        return;
    };
    let Some(segs) = parse_template(&template) else {
        tracing::warn!(%template, "REST: template not supported; route skipped");
        return;
    };
    routes.push(Route { http_method: verb, template, segs, body: text("body"), method: method.clone() });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes() -> Routes {
        let services = vec![
            "cosmos.bank.v1beta1.Query".to_string(),
            "cosmos.base.tendermint.v1beta1.Service".to_string(),
            "cosmos.tx.v1beta1.Service".to_string(),
        ];
        Routes::build(crate::descriptors::pool(), &services)
    }

    #[test]
    fn literal_segments_win_and_double_star_takes_slashes() {
        let r = routes();
        let (route, vars) = r.find(&Method::GET, "/cosmos/base/tendermint/v1beta1/blocks/latest").ok().unwrap();
        assert_eq!(route.grpc_path(), "/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock");
        assert!(vars.is_empty());
        let (route, vars) = r.find(&Method::GET, "/cosmos/base/tendermint/v1beta1/blocks/7").ok().unwrap();
        assert_eq!(route.grpc_path(), "/cosmos.base.tendermint.v1beta1.Service/GetBlockByHeight");
        assert_eq!(vars, vec![("height".to_string(), "7".to_string())]);
        let (route, vars) = r.find(&Method::GET, "/cosmos/bank/v1beta1/supply/by_denom").ok().unwrap();
        assert_eq!(route.grpc_path(), "/cosmos.bank.v1beta1.Query/SupplyOf");
        assert!(vars.is_empty());
        let (route, vars) = r.find(&Method::GET, "/cosmos/bank/v1beta1/denoms_metadata/ibc%2FAB/x").ok().unwrap();
        assert_eq!(route.grpc_path(), "/cosmos.bank.v1beta1.Query/DenomMetadata");
        assert_eq!(vars, vec![("denom".to_string(), "ibc/AB/x".to_string())]);
        let (route, _) = r.find(&Method::POST, "/cosmos/tx/v1beta1/txs").ok().unwrap();
        assert_eq!((route.grpc_path().as_str(), route.body.as_str()), ("/cosmos.tx.v1beta1.Service/BroadcastTx", "*"));
        assert!(matches!(r.find(&Method::DELETE, "/cosmos/tx/v1beta1/txs"), Err(Miss::MethodNotAllowed)));
        assert!(matches!(r.find(&Method::GET, "/cosmos/nothing"), Err(Miss::NotFound)));
    }
}
