"""What every request body derives from (`Strict`) and the types of its values; each resource declares its own
bodies beside its views. The services check the values and answer 422 with field errors.

JSON types are taken strictly: `true` is no number, `"5"` no integer and `1.0` no percent; a date is an ISO
text (`"2026-12-01"`), never a number of seconds.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic import Strict as StrictMode
from pydantic_core import PydanticCustomError

from tracker.api.schemas import ApiModel
from tracker.core.text import clean_line, clean_text

ID = Field(ge=1, le=2**31 - 1)
VERSION_HELP = "The version you read; or send If-Match with the ETag instead"


def _iso_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return value


# JSON has no date type: a day is an ISO text, parsed as such (the rest of the model stays strict).
Day = Annotated[date, StrictMode(False), BeforeValidator(_iso_text)]


class Strict(ApiModel):
    """What every request body derives from: unknown fields refused, no value of another JSON type taken for
    the one declared, text cleaned of control characters.

    Every text field is single-line (`clean_line`) unless its name is in `MULTILINE` (`clean_text`), so that
    a new field is safe in a mail header or a file name by default (see tracker/core/text.py).
    """

    model_config = ConfigDict(extra="forbid", strict=True)
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"description", "comment", "text", "note"})

    @field_validator("*", mode="after")
    @classmethod
    def _clean_text(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str):
            return value
        return clean_text(value) if info.field_name in cls.MULTILINE else clean_line(value)
