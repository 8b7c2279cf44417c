"""The shapes every API resource shares (pages, links, texts in three languages, people, parties), and ApiModel.

Each resource declares its own shapes beside its views (tracker/<domain>/api…); a shape is both what the OpenAPI
document publishes and what builds the answer: views build the model from the domain object (`Shape.of(obj)`)
and send `answer(model)`, so the document and the answers cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar
from urllib.parse import urlencode

from flask import request
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from tracker.core.pagination import MAX_PAGE, MAX_PER_PAGE, Page

if TYPE_CHECKING:
    from tracker.accounts.models import User

LANGS = ("fr", "en", "nl")


def _iso(moment: datetime) -> str:
    return moment.isoformat()


# An instant as the API has always written it: ISO 8601 with its offset (`2026-11-27T08:00:00+00:00`, not `Z`).
Instant = Annotated[
    datetime,
    PlainSerializer(_iso, return_type=str, when_used="json"),
    WithJsonSchema({"format": "date-time", "type": "string"}),
]


class ApiModel(BaseModel):
    """What every API shape derives from. Its validator and schema are built when first used, not when the app
    starts: about seventy shapes would otherwise cost every worker and every `flask` command a third of a second
    of CPU before it starts, for shapes most of them never use."""

    model_config = ConfigDict(defer_build=True)


def answer(model: BaseModel) -> dict[str, Any]:
    """Return the JSON body of an answer built as a model (dates and instants as ISO texts)."""
    return model.model_dump(mode="json")


class Texts(ApiModel):
    """A text in the three languages of the tracker."""

    fr: str
    en: str
    nl: str

    @classmethod
    def of(cls, obj: Any, field: str) -> Texts:
        """Read `<field>_fr`, `<field>_en` and `<field>_nl` of `obj` (a missing text is "")."""
        return cls(**{lang: getattr(obj, f"{field}_{lang}", None) or "" for lang in LANGS})


class Links(ApiModel):
    model_config = ConfigDict(extra="allow")

    self: str


class PageLinks(ApiModel):
    self: str
    first: str
    last: str
    next: str | None = None
    prev: str | None = None


class PageQuery(ApiModel):
    """Page-based pagination: at most 100 items a page."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE)


class PageInfo(ApiModel):
    page: int
    per_page: int
    total: int
    pages: int
    links: PageLinks


class PartyOut(ApiModel):
    code: str
    name: Texts

    @classmethod
    def of(cls, party: Any) -> PartyOut:
        return cls(code=party.code, name=Texts.of(party, "name"))


class PersonOut(ApiModel):
    id: int
    name: str
    party: str

    @classmethod
    def of(cls, user: User | None) -> PersonOut | None:
        if user is None:
            return None
        return cls(id=user.id, name=user.name, party=user.party.code)


def _page_url(number: int, per_page: int) -> str:
    args = {k: v for k, v in request.args.items() if k not in {"page", "per_page"}}
    args.update(page=str(number), per_page=str(per_page))
    return f"{request.path}?{urlencode(args)}"


ListShape = TypeVar("ListShape", bound=PageInfo)


def page_answer(
    shape: type[ListShape], result: Page[Any], items: list[Any]
) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Return a list answer: the page envelope of `shape` around `items` (models of its item shape), status 200
    and a Link header (RFC 8288) to the first, last, next and previous pages."""
    links = PageLinks(
        self=_page_url(result.page, result.per_page),
        first=_page_url(1, result.per_page),
        last=_page_url(result.pages, result.per_page),
        next=_page_url(result.page + 1, result.per_page) if result.has_next else None,
        prev=_page_url(result.page - 1, result.per_page) if result.has_prev else None,
    )
    header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.model_dump().items() if url and rel != "self")
    body = shape(
        items=items, page=result.page, per_page=result.per_page, total=result.total, pages=result.pages, links=links
    )
    return answer(body), 200, {"Link": header}
