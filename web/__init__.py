"""The coordinators' web app: FastAPI routes, Jinja2 templates, HTMX fragments (imports planner)."""
