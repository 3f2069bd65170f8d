//! The route registry: every route of the HTTP surface is added through [`Routes::route`], which
//! records its path and each method as the handler is attached. axum cannot list a router's routes,
//! so this record is what [`crate::route_table`] returns and what the authorization matrix test
//! (`tests/authz_matrix.rs`) walks — a route added later appears there without anyone copying it.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{self, MethodRouter};

use crate::AppState;

/// One method on one path, with the path written as registered (`/api/v1/cases/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RouteSpec {
    pub method: Method,
    pub path: String,
}

/// A `MethodRouter` that remembers which methods it was given.
#[derive(Debug)]
pub struct Methods {
    router: Option<MethodRouter<AppState>>,
    methods: Vec<Method>,
}

macro_rules! method_fn {
    ($name:ident, $method:expr) => {
        pub fn $name<H, T>(mut self, handler: H) -> Self
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            self.router = Some(match self.router.take() {
                Some(r) => r.$name(handler),
                None => routing::$name(handler),
            });
            self.methods.push($method);
            self
        }
    };
}

impl Methods {
    fn new() -> Self {
        Methods { router: None, methods: Vec::new() }
    }

    method_fn!(get, Method::GET);
    method_fn!(post, Method::POST);
    method_fn!(put, Method::PUT);
    method_fn!(patch, Method::PATCH);
    method_fn!(delete, Method::DELETE);

    /// A layer on this route's handlers only (e.g. a larger body limit for uploads).
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<axum::extract::Request, Error = std::convert::Infallible>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Response:
            axum::response::IntoResponse + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
    {
        self.router = self.router.take().map(|r| r.layer(layer));
        self
    }
}

/// A router under construction together with its route table.
#[derive(Debug)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteSpec>,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    pub fn new() -> Self {
        Routes { router: Router::new(), table: Vec::new() }
    }

    /// Add `path` with the methods `f` attaches.
    ///
    /// # Panics
    /// When `f` attaches no method (a programming error caught by every test that builds the router).
    pub fn route(mut self, path: &str, f: impl FnOnce(Methods) -> Methods) -> Self {
        let m = f(Methods::new());
        let router = m.router.unwrap_or_else(|| panic!("route {path} has no method"));
        for method in m.methods {
            self.table.push(RouteSpec { method, path: path.to_owned() });
        }
        self.router = self.router.route(path, router);
        self
    }

    /// Mount `inner` under `prefix` (its table entries get the prefix too).
    pub fn nest(mut self, prefix: &str, inner: Routes) -> Self {
        self.table.extend(
            inner
                .table
                .into_iter()
                .map(|s| RouteSpec { method: s.method, path: format!("{prefix}{}", s.path) }),
        );
        self.router = self.router.nest(prefix, inner.router);
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteSpec>) {
        (self.router, self.table)
    }
}
