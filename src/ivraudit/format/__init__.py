"""Reading menus: safe YAML with positions, the JSON Schema, meaning checks, the model, durations."""
