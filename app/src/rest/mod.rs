//! The REST (LCD) gateway (default 127.0.0.1:1317), as the Cosmos SDK's
//! grpc-gateway serves it: every route annotated on the services this node
//! answers, translated to a gRPC method call on `Services` (the code behind
//! ABCI Query and the gRPC server) and back to the gateway's JSON. Errors
//! come in the gateway's shape, `{"code", "message", "details"}`, with the
//! HTTP status grpc-gateway gives each gRPC code. `/swagger/` serves the
//! OpenAPI document of the same routes.

pub mod json;
pub mod openapi;
pub mod routes;

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use tonic::{Code, Status};
use tracing::{error, info};

use crate::app::App;
use crate::grpc::HEIGHT_HEADER;
use crate::services::Services;
use routes::{Miss, Routes};

struct Gateway {
    services: Services,
    routes: Routes,
    openapi: String,
    cors: bool,
}

/// grpc-gateway v1's `HTTPStatusFromCode`.
pub fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        Code::Cancelled => StatusCode::REQUEST_TIMEOUT,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => StatusCode::BAD_REQUEST,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

fn error_response(status: &Status, http: StatusCode) -> Response {
    let body = serde_json::json!({"code": status.code() as i32, "message": status.message(), "details": []});
    json_response(http, body.to_string())
}

impl Gateway {
    async fn handle(&self, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
        let path = uri.path();
        if path == "/swagger" || path.starts_with("/swagger/") {
            return json_response(StatusCode::OK, self.openapi.clone());
        }
        let (route, vars) = match self.routes.find(&method, path) {
            Ok(found) => found,
            Err(Miss::NotFound) => return error_response(&Status::not_found("Not Found"), StatusCode::NOT_FOUND),
            Err(Miss::MethodNotAllowed) => {
                return error_response(&Status::unimplemented("Method Not Allowed"), StatusCode::METHOD_NOT_ALLOWED);
            }
        };
        let height = match headers.get(HEIGHT_HEADER).map(|v| v.to_str().ok().and_then(|s| s.parse::<i64>().ok())) {
            None => 0,
            Some(Some(h)) if h >= 0 => h,
            Some(_) => {
                let s = Status::invalid_argument(format!("invalid {HEIGHT_HEADER} header"));
                return error_response(&s, StatusCode::BAD_REQUEST);
            }
        };
        let out = async {
            let req = json::request_bytes(route, &vars, uri.query().unwrap_or(""), &body)?;
            let reply = self.services.call(&route.grpc_path(), req, height).await?;
            let json = json::response_json(route.method.output(), &reply.bytes)?;
            Ok::<_, Status>((json, reply.height))
        };
        match out.await {
            Ok((json, height)) => {
                let mut r = json_response(StatusCode::OK, json.to_string());
                if height > 0 {
                    // Both spellings: the SDK's gateway forwards gRPC metadata with a prefix.
                    for name in [HEIGHT_HEADER, "grpc-metadata-x-cosmos-block-height"] {
                        r.headers_mut().insert(name, HeaderValue::from(height));
                    }
                }
                r
            }
            Err(s) => error_response(&s, http_status(s.code())),
        }
    }

    fn with_cors(&self, method: &Method, mut r: Response) -> Response {
        if !self.cors {
            return r;
        }
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        if method == Method::OPTIONS {
            h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, PUT, DELETE, PATCH, OPTIONS"));
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("*"));
        }
        r
    }
}

async fn handler(State(gw): State<Arc<Gateway>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    if method == Method::OPTIONS && gw.cors {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NO_CONTENT;
        return gw.with_cors(&method, r);
    }
    let r = gw.handle(method.clone(), uri, headers, body).await;
    gw.with_cors(&method, r)
}

/// The gateway's axum router (also what the tests drive).
pub fn router(services: Services, cors: bool) -> axum::Router {
    let names = services.names();
    let routes = Routes::build(crate::descriptors::pool(), &names);
    let openapi = openapi::document(&routes).to_string();
    let gw = Arc::new(Gateway { services, routes, openapi, cors });
    axum::Router::new().fallback(handler).with_state(gw)
}

/// Serve REST on `addr` from a thread with its own runtime. A port in use is
/// logged, not fatal, as for gRPC.
pub fn spawn(app: Arc<App>, addr: &str, rpc_address: &str, cors: bool) {
    let addr = addr.to_string();
    let services = match Services::new(app, rpc_address) {
        Ok(s) => s,
        Err(e) => return error!(error = %e, "REST server not started"),
    };
    let listener = match std::net::TcpListener::bind(&addr) {
        Ok(l) => l,
        Err(e) => return error!(%addr, error = %e, "REST server not started: cannot bind"),
    };
    std::thread::Builder::new()
        .name("rest".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
                Ok(rt) => rt,
                Err(e) => return error!(error = %e, "REST runtime"),
            };
            rt.block_on(async move {
                listener.set_nonblocking(true).ok();
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => return error!(error = %e, "REST listener"),
                };
                let router = router(services, cors);
                info!(%addr, "REST gateway listening");
                if let Err(e) = axum::serve(listener, router).await {
                    error!(error = %e, "REST server stopped");
                }
            })
        })
        .ok();
}
