"""The invariants: in clean() for forms, and in the database for everything else."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certs.models import Basis, Certification, SkillDomain, Value

from .factories import make_certification, make_feature, make_source, make_value

pytestmark = pytest.mark.django_db


def test_a_fact_needs_a_source_and_a_date():
    cert, feature = make_certification(), make_feature()
    value = Value(certification=cert, feature=feature, text="USD 1", basis=Basis.FACT)
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert set(error.value.message_dict) == {"source", "verified_on"}
    with pytest.raises(IntegrityError), transaction.atomic():
        value.save()


def test_an_assessment_needs_no_source():
    cert, feature = make_certification(), make_feature()
    value = Value(certification=cert, feature=feature, text="Moderate", basis=Basis.ASSESSMENT)
    value.full_clean()
    value.save()
    assert value.is_assessment


def test_one_value_per_certification_and_feature():
    cert, feature = make_certification(), make_feature()
    make_value(cert, feature)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_value(cert, feature)


def test_a_stated_value_needs_text_but_not_disclosed_does_not():
    cert, feature = make_certification(), make_feature()
    source = make_source()
    blank = Value(
        certification=cert,
        feature=feature,
        text="",
        source=source,
        verified_on=datetime.date(2026, 11, 25),
    )
    with pytest.raises(ValidationError) as error:
        blank.full_clean()
    assert "text" in error.value.message_dict
    blank.availability = Value.Availability.NOT_DISCLOSED
    blank.full_clean()
    assert blank.display == "Not disclosed by the vendor"


def test_a_certification_cannot_succeed_itself():
    cert = make_certification()
    cert.successor = cert
    with pytest.raises(ValidationError) as error:
        cert.full_clean()
    assert "successor" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        cert.save()


def test_retirement_needs_a_date():
    cert = make_certification()
    cert.status = "retired"
    with pytest.raises(ValidationError) as error:
        cert.full_clean()
    assert "status_date" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        cert.save()


def _pmle_domain(*, version, weight_min, weight_max) -> SkillDomain:
    """An unsaved skill domain of the PMLE exam, sourced and dated, in the given version."""
    return SkillDomain(
        certification=Certification.objects.get(slug="pmle"),
        version=version,
        slug="x",
        name="X",
        weight_min=weight_min,
        weight_max=weight_max,
        source=make_source(),
        verified_on=datetime.date(2026, 11, 25),
    )


def test_domain_weights_are_a_range_of_percentages():
    pmle_version = Certification.objects.get(slug="pmle").versions.first()
    domain = _pmle_domain(version=pmle_version, weight_min=30, weight_max=20)
    with pytest.raises(ValidationError):
        domain.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        domain.save()


def test_domain_version_must_belong_to_the_same_certification():
    other_version = Certification.objects.get(slug="ai-103").versions.first()
    domain = _pmle_domain(version=other_version, weight_min=10, weight_max=10)
    with pytest.raises(ValidationError) as error:
        domain.full_clean()
    assert "version" in error.value.message_dict


def test_weight_label():
    domain = SkillDomain(weight_min=13, weight_max=13)
    assert domain.weight_label == "13%"
    domain.weight_max = 20
    assert domain.weight_label == "13–20%"


def test_bookable_excludes_retired():
    slugs = set(Certification.objects.bookable().values_list("slug", flat=True))
    assert "ai-102" not in slugs and "mls-c01" not in slugs
    assert {"pmle", "ai-103", "mla-c02"} <= slugs
