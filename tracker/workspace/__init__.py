"""The coordinator workspace: my work, dashboards, workstream and action pages, their forms and search."""
