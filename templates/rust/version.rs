//! {{ title }} (`{{ version }}`), generated from `{{ source }}`.
//!
{{ description_inner }}
//!
//! Every path of this version is relative to `{{ base_path_display }}` on the client's base URL.
{{ webhooks_doc }}

pub mod models;
{% for t in tags -%}
{% if let Some(cfg) = t.cfg -%}
#[cfg({{ cfg }})]
#[cfg_attr(docsrs, doc(cfg({{ cfg }})))]
{% endif -%}
pub mod {{ t.module }};
{% endfor %}
{% for t in tags -%}
{% if let Some(cfg) = t.cfg -%}
#[cfg({{ cfg }})]
#[cfg_attr(docsrs, doc(cfg({{ cfg }})))]
{% endif -%}
pub use {{ t.module }}::{{ t.type_name }};
{% endfor %}

/// The path prefix every operation of this version adds to the client's base URL.
pub const BASE_PATH: &str = {{ base_path_lit }};

/// The default server URL of this version, with every server variable at its default.
pub const DEFAULT_SERVER_URL: &str = {{ default_server_lit }};

/// The {{ module }} API: one handle per tag. Get it with [`crate::Client::{{ module }}`].
#[derive(Debug, Clone)]
pub struct Api {
{%- if tags.is_empty() %}
    // A version with no operations (webhooks or components only): nothing reads it yet.
    #[allow(dead_code)]
{%- else if let Some(any) = any_tag %}
    #[cfg_attr(not({{ any }}), allow(dead_code))]
{%- endif %}
    client: crate::Client,
}

impl Api {
{% for t in tags %}
{{ t.docs }}
{%- if let Some(cfg) = t.cfg %}
    #[cfg({{ cfg }})]
    #[cfg_attr(docsrs, doc(cfg({{ cfg }})))]
{%- endif %}
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
{%- for t in tags %}
{%- if t.direct %}

{{ t.docs }}
    /// The same as `client.{{ module }}().{{ t.module }}()`: this crate has one API.
{%- if let Some(cfg) = t.cfg %}
    #[cfg({{ cfg }})]
    #[cfg_attr(docsrs, doc(cfg({{ cfg }})))]
{%- endif %}
    pub fn {{ t.module }}(&self) -> {{ t.type_name }} {
        {{ t.type_name }}::new(self.clone())
    }
{%- endif %}
{%- endfor %}
}
