//! {{ title }} (`{{ version }}`), generated from `{{ source }}`.
//!
{{ description_inner }}
//!
//! Every path of this version is relative to `{{ base_path_display }}` on the client's base URL.

pub mod models;
{% for t in tags -%}
pub mod {{ t.module }};
{% endfor %}
{% for t in tags -%}
pub use {{ t.module }}::{{ t.type_name }};
{% endfor %}

/// The path prefix every operation of this version adds to the client's base URL.
pub const BASE_PATH: &str = {{ base_path_lit }};

/// The default server URL of this version, with every server variable at its default.
pub const DEFAULT_SERVER_URL: &str = {{ default_server_lit }};

/// The {{ module }} API: one handle per tag. Get it with [`crate::Client::{{ module }}`].
#[derive(Debug, Clone)]
pub struct Api {
    client: crate::Client,
}

impl Api {
{% for t in tags %}
{{ t.docs }}
    pub fn {{ t.module }}(&self) -> {{ t.type_name }} {
        {{ t.type_name }}::new(self.client.clone())
    }
{% endfor %}
}

impl crate::Client {
    /// The {{ title }} (`{{ version }}`).
    pub fn {{ module }}(&self) -> Api {
        Api { client: self.clone() }
    }
}
