"""Each page runs a constant number of SQL queries, however much content there is."""

import pytest

from .factories import make_certification, make_faq, make_feature, make_value

pytestmark = pytest.mark.django_db

PAGES = {
    "/": 6,
    "/certifications/": 1,
    "/certifications/pmle/": 8,
    "/certifications/ai-102/": 8,
    "/faq/": 3,
    "/sources/": 1,
    "/changes/": 5,
    "/certifications/pmle/changes/": 5,
    "/lifecycle/": 2,
    "/sitemap.xml": 3,
    "/robots.txt": 0,
}


def add_ten_of_everything():
    certs = [make_certification() for _ in range(10)]
    features = [make_feature() for _ in range(10)]
    for cert in certs:
        for feature in features:
            make_value(cert, feature)
    for n in range(10):
        make_faq(certifications=certs[: n + 1])


@pytest.mark.parametrize("url,expected", PAGES.items())
def test_query_count(client, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url,expected", PAGES.items())
def test_query_count_is_the_same_with_more_content(
    client, django_assert_num_queries, url, expected
):
    add_ten_of_everything()
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
