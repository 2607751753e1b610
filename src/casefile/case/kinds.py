"""The fixed choices of a case: languages, statuses, kinds of signatory, categories and stages,
and the articles a signatory's name may take.

Each is a string enum whose values are what the case file stores and what the commands accept.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    """Languages a letter can be written in."""

    EN = "en"
    ES = "es"
    FR = "fr"


class ResponseStatus(StrEnum):
    """What a recipient's reply to a demand amounted to."""

    ANSWERED = "answered"
    PARTIAL = "partial"
    REFUSED = "refused"


class DemandStatus(StrEnum):
    """The state of a demand, derived from its responses and deadline; never stored."""

    UNANSWERED = "unanswered"
    OVERDUE = "overdue"
    ANSWERED = "answered"
    PARTIAL = "partial"
    REFUSED = "refused"


class DaysKnown(StrEnum):
    """How well a count of days from a date is known; derived, never stored.

    A date that allows no one day ("2019", "2019-03/..") gives no exact count: at most a lower bound.
    """

    EXACT = "exact"  # from one known day
    AT_LEAST = "at_least"  # from the last day of a period over before the day counted to


class SignatoryKind(StrEnum):
    """Who a signatory is; individuals alone cannot file under the Response Policy."""

    CSO = "cso"
    NETWORK = "network"
    INDIVIDUAL = "individual"
    SC_MEMBER = "sc-member"
    MULTILATERAL = "multilateral"


class Role(StrEnum):
    """A signatory's part in the filing."""

    LEAD = "lead"
    SIGNATORY = "signatory"


class ConcernCategory(StrEnum):
    """The four kinds of issue the Response Policy names, or another one explained in text."""

    ACCESS_TO_INFORMATION = "access-to-information"
    CIVIC_SPACE = "civic-space"
    FUNDAMENTAL_FREEDOMS = "fundamental-freedoms"
    MEDIA_FREEDOM = "media-freedom"
    OTHER = "other"


class FilerCategory(StrEnum):
    """The eligible-filer categories of the Response Policy."""

    SC_MEMBER = "sc-member"
    MULTILATERAL = "multilateral"
    INVOLVED_ENTITY = "involved-entity"


class Stage(StrEnum):
    """Steps of a Response Policy case once it is filed, as OGP's pages describe them."""

    ACKNOWLEDGED = "acknowledged"
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not-eligible"
    GOVERNMENT_RESPONSE = "government-response"
    REPORT = "report"
    RESOLUTION = "resolution"
    RECOMMENDATION = "recommendation"
    CLOSED = "closed"


#: The articles a signatory's name may take in each language (its ``article`` field), each with what
#: "represented by" agrees with after the name: ``m``, ``f``, ``mp``, ``fp``; ``""`` when not known.
SIGNATORY_ARTICLES: dict[str, dict[str, str]] = {
    "en": {"the": ""},
    "es": {"el": "m", "la": "f", "los": "mp", "las": "fp"},
    "fr": {"le": "m", "la": "f", "l'": "", "les": ""},
}
