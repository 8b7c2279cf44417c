"""Actions of a workstream, their milestones, progress log, evidence and indicators."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the action and milestone lifecycles, the indicators' part of the agreement file with the loader,
    the pages' template helpers (the moves a reader may make, what they may create or edit), and declare the
    domain's API resources (actions, milestones, progress updates, indicators) on the API blueprint (called before
    tracker.api.init_app registers the blueprint on the app)."""
    from tracker.actions import lifecycle, permissions
    from tracker.actions.agreement_file import apply_indicators
    from tracker.actions.api import actions, indicators, milestones, progress
    from tracker.actions.models import Action, Milestone
    from tracker.actions.rescheduling import due_date_to_reschedule, milestone_to_reschedule
    from tracker.agreements.loader import register_section
    from tracker.agreements.services import new_milestone_refusal
    from tracker.api.blueprint import declare
    from tracker.core.lifecycle import available_transitions, register

    declare(actions.ROUTES, indicators.ROUTES, milestones.ROUTES, progress.ROUTES)
    register(Action, lifecycle.ACTION_LIFECYCLE)
    register(Milestone, lifecycle.MILESTONE_LIFECYCLE)
    register_section(apply_indicators)
    app.add_template_global(available_transitions, "available_transitions")
    app.jinja_env.globals.update(
        can_create_action=permissions.can_create_action,
        can_edit_action=permissions.can_edit_action,
        can_log_progress=permissions.can_log_progress,
        can_manage_indicators=permissions.can_manage_indicators,
        milestone_to_reschedule=milestone_to_reschedule,
        due_date_to_reschedule=due_date_to_reschedule,
        action_continued_reason=lifecycle.not_continued,
        action_closed_reason=lifecycle.still_open,  # completed, cancelled or carried over: its forms say why instead
        milestones_closed_reason=lifecycle.milestones_closed,
        new_milestone_refusal=new_milestone_refusal,
    )
