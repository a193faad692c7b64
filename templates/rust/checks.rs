{#- Bound checks, one macro per shape, called by models.rs (a struct's `validate()`) and api.rs (a
    request's parameters and body). Each check reads the value bound to `v`; `path` is the Rust
    expression of the value's path in the error. -#}
{%- macro on_field(f) %}
    {%- if f.optional %}
        if let Some(v) = &self.{{ f.ident }} {
    {%- else %}
        {
            let v = &self.{{ f.ident }};
    {%- endif %}
    {%- for c in f.checks %}{% call check(c) %}{% endcall %}{% endfor %}
        }
{%- endmacro %}

{%- macro check(c) %}
    {%- match c %}
    {%- when Check::Number with { path, value, min, max, rule } %}
            crate::validate::number({{ path }}, {{ value }}, {{ min }}, {{ max }}, {{ rule }})?;
    {%- when Check::Count with { path, len, min, max, unit, rule } %}
            crate::validate::count({{ path }}, {{ len }}, {{ min }}, {{ max }}, "{{ unit }}", {{ rule }})?;
    {%- when Check::Nested with { within: Some(path) } %}
            v.validate().map_err(|e| e.within({{ path }}))?;
    {%- when Check::Nested with { within: None } %}
            v.validate()?;
    {%- when Check::Items with { within: Some(path) } %}
            for (i, item) in v.iter().enumerate() {
                item.validate().map_err(|e| e.within(&format!("{}[{i}]", {{ path }})))?;
            }
    {%- when Check::Items with { within: None } %}
            for (i, item) in v.iter().enumerate() {
                item.validate().map_err(|e| e.within(&format!("[{i}]")))?;
            }
    {%- when Check::Entries with { within: Some(path) } %}
            for (key, item) in v {
                item.validate().map_err(|e| e.within(&format!("{}.{key}", {{ path }})))?;
            }
    {%- when Check::Entries with { within: None } %}
            for (key, item) in v {
                item.validate().map_err(|e| e.within(key))?;
            }
    {%- endmatch %}
{%- endmacro %}
