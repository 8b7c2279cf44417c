"""Report periods: quarters, agreement years from the signing anniversary, final, and when each is due."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.core.errors import ValidationFailed
from tracker.reports.models import ReportKind
from tracker.reports.periods import due_periods, parse_period

AGREEMENT = {"years_from": date(2021, 9, 23), "starts_on": date(2021, 9, 23), "ends_on": date(2026, 9, 22)}


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        # A quarter stays within the agreement's term: T3 2026 ends with it on 22 September, T3 2021 begins with it.
        ("2026-Q3", ReportKind.QUARTER, date(2026, 7, 1), date(2026, 9, 22)),
        ("2021-Q3", ReportKind.QUARTER, date(2021, 9, 23), date(2021, 9, 30)),
        ("2022-q1", ReportKind.QUARTER, date(2022, 1, 1), date(2022, 3, 31)),
        ("2021-Q4", ReportKind.QUARTER, date(2021, 10, 1), date(2021, 12, 31)),
        ("Y1", ReportKind.AGREEMENT_YEAR, date(2021, 9, 23), date(2022, 9, 22)),
        ("Y3", ReportKind.AGREEMENT_YEAR, date(2023, 9, 23), date(2024, 9, 22)),
        ("y5", ReportKind.AGREEMENT_YEAR, date(2025, 9, 23), date(2026, 9, 22)),
        ("final", ReportKind.FINAL, date(2021, 9, 23), date(2026, 9, 22)),
        ("2026-01-01..2026-06-30", ReportKind.AD_HOC, date(2026, 1, 1), date(2026, 6, 30)),
    ],
)
def test_periods_read_as_people_write_them(text: str, kind: ReportKind, start: date, end: date) -> None:
    period = parse_period(text, **AGREEMENT)
    assert (period.kind, period.start, period.end) == (kind, start, end)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Y6", "from “Agreement year 1” to “Agreement year 5”"),
        ("Y0", "from “Agreement year 1” to “Agreement year 5”"),
        ("2027-Q1", "outside the agreement"),
        ("2021-Q2", "outside the agreement"),
        ("2026-Q5", "Unknown period"),
        ("last quarter", "Unknown period"),
        ("", "Unknown period"),
        ("2026-02-30..2026-03-31", "do not exist"),
        ("2026-03-31..2026-01-01", "ends before it starts"),
    ],
)
def test_a_bad_period_gets_one_clear_line(app, text: str, message: str) -> None:
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"), pytest.raises(ValidationFailed) as caught:
        parse_period(text, **AGREEMENT)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("language", "text", "key"),
    [
        ("fr", "T3 2026", "2026-Q3"),
        ("fr", "t2 2022", "2022-Q2"),
        ("fr", "Rapport trimestriel · T1 2023", "2023-Q1"),
        ("fr", "Année d'accord 3", "Y3"),  # a straight apostrophe where the page shows ’
        ("fr", "final", "final"),
        ("fr", "Rapport final", "final"),
        ("fr", "du 01/01/2026 au 31/03/2026", "2026-01-01..2026-03-31"),
        ("fr", "du 1er janvier 2026 au 31 mars 2026", "2026-01-01..2026-03-31"),
        ("fr", "1er janv. 2026 – 31 mars 2026", "2026-01-01..2026-03-31"),
        ("fr", "du 1er juillet au 22 septembre 2026", "2026-07-01..2026-09-22"),  # the year said once
        ("en", "July 1 to September 22, 2026", "2026-07-01..2026-09-22"),
        ("nl", "K3 2026", "2026-Q3"),
        ("nl", "Jaar van de overeenkomst 5", "Y5"),
        ("nl", "eind", "final"),
        ("nl", "Eindverslag", "final"),
        ("nl", "van 01-01-2026 tot 31-03-2026", "2026-01-01..2026-03-31"),
        ("nl", "1 jan. 2026 – 31 mrt. 2026", "2026-01-01..2026-03-31"),
        ("nl", "T3 2026", "2026-Q3"),  # a Brussels reader may write in French with the interface in Dutch
        ("en", "Q3 2026", "2026-Q3"),
        ("en", "1/1/2026 to 3/31/2026", "2026-01-01..2026-03-31"),
        ("fr", "2026-Q3", "2026-Q3"),  # the stored keys still read, for the command line and the API
        ("nl", "Y3", "Y3"),
    ],
)
def test_a_period_reads_as_the_app_shows_it_in_each_language(app, language: str, text: str, key: str) -> None:
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(language):
        assert parse_period(text, **AGREEMENT).key == key


@pytest.mark.parametrize(
    ("language", "examples", "never"),
    [
        ("fr", ["T3 2026", "Année d’accord 3", "final", "du 01/01/2026 au 31/03/2026"], ["2026-Q3", "Y3", ".."]),
        ("nl", ["K3 2026", "Jaar van de overeenkomst 3", "eind", "van 01-01-2026 tot 31-03-2026"], ["2026-Q3", ".."]),
    ],
)
def test_the_period_field_and_its_refusals_show_periods_as_the_reader_writes_them(
    app, language: str, examples: list[str], never: list[str]
) -> None:
    from flask_babel import force_locale

    from tracker.reports.periods import period_hint

    with app.test_request_context(), force_locale(language):
        hint = period_hint()
        with pytest.raises(ValidationFailed) as unknown:
            parse_period("Q9", **AGREEMENT)
        with pytest.raises(ValidationFailed) as too_far:
            parse_period(examples[1].replace("3", "6"), **AGREEMENT)
        refused = str(unknown.value)
        assert all(example in hint and example in refused for example in examples), (hint, refused)
        assert not any(code in hint or code in refused for code in never), (hint, refused)
        assert examples[1].replace("3", "5") in str(too_far.value) and "Y5" not in str(too_far.value)


def test_an_agreement_signed_on_29_february_has_years_from_28_february() -> None:
    period = parse_period("Y2", years_from=date(2024, 2, 29), starts_on=date(2024, 2, 29), ends_on=date(2027, 2, 28))
    assert (period.start, period.end) == (date(2025, 2, 28), date(2026, 2, 27))


def _due(day: date) -> list[str]:
    return [p.key for p in due_periods(day, quarter_delay_days=5, **AGREEMENT)]


def test_a_quarter_report_is_due_five_days_after_the_quarter_ends() -> None:
    assert _due(date(2024, 7, 4))[0] == "2024-Q1"
    assert _due(date(2024, 7, 5))[0] == "2024-Q2"
    assert _due(date(2025, 1, 4))[0] == "2024-Q3"
    assert _due(date(2025, 1, 5))[0] == "2024-Q4"


def test_an_agreement_year_report_is_due_on_the_signing_anniversary() -> None:
    # Y3 runs from 23 September 2023 to 22 September 2024; its report is due on the fourth anniversary.
    assert "Y2" in _due(date(2024, 9, 22)) and "Y3" not in _due(date(2024, 9, 22))
    assert "Y3" in _due(date(2024, 9, 23))


def test_the_final_report_is_due_after_the_end_date() -> None:
    assert "final" not in _due(date(2026, 9, 22))
    assert _due(date(2026, 9, 23)) == ["2026-Q2", "Y5", "final"]
    # The last quarter overlapping the agreement is still reported, none after it.
    assert _due(date(2026, 10, 5)) == ["2026-Q3", "Y5", "final"]
    last_quarter = due_periods(date(2026, 10, 5), quarter_delay_days=5, **AGREEMENT)[0]
    assert (last_quarter.start, last_quarter.end) == (date(2026, 7, 1), date(2026, 9, 22))
    assert _due(date(2027, 1, 5)) == ["Y5", "final"]


def test_the_last_quarter_cut_short_by_the_end_of_the_agreement_is_due_five_days_after_that_end() -> None:
    # T3 2026 ends with the agreement on 22 September, not on 30 September: its report is due on 27 September.
    assert _due(date(2026, 9, 26))[0] == "2026-Q2"
    assert _due(date(2026, 9, 27)) == ["2026-Q3", "Y5", "final"]
    last_quarter = due_periods(date(2026, 9, 27), quarter_delay_days=5, **AGREEMENT)[0]
    assert (last_quarter.start, last_quarter.end) == (date(2026, 7, 1), date(2026, 9, 22))
    # An agreement ending on a quarter's last day: that quarter is due five days later, as any other.
    ends_with_june = {**AGREEMENT, "ends_on": date(2026, 6, 30)}
    assert due_periods(date(2026, 7, 4), quarter_delay_days=5, **ends_with_june)[0].key == "2026-Q1"
    assert due_periods(date(2026, 7, 5), quarter_delay_days=5, **ends_with_june)[0].key == "2026-Q2"


def test_nothing_is_due_before_the_first_quarter_of_the_agreement_ends() -> None:
    assert _due(date(2021, 10, 1)) == []
    assert _due(date(2022, 1, 5)) == ["2021-Q4"]


def test_elapsed_share_of_a_period() -> None:
    period = parse_period("2026-Q3", **AGREEMENT)  # 1 July to 22 September: 84 days, the agreement's last
    assert period.elapsed_percent(date(2026, 6, 1)) == 0
    assert period.elapsed_percent(date(2026, 7, 1)) == round(100 / 84, 1)
    assert period.elapsed_percent(date(2026, 9, 22)) == 100
    assert period.elapsed_percent(date(2027, 1, 1)) == 100


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "(du 23 septembre 2021 au 22 septembre 2026)"),
        ("nl", "(23 september 2021 tot 22 september 2026)"),
        ("en", "(September 23, 2021 to September 22, 2026)"),
    ],
)
def test_a_period_outside_the_agreement_names_its_dates_as_the_reader_writes_them(app, language, said) -> None:
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(language):
        with pytest.raises(ValidationFailed) as caught:
            parse_period("2027-Q1", **AGREEMENT)
        assert said in str(caught.value)
        assert "2021-09-23" not in str(caught.value)
