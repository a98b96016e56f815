"""Each page runs a constant number of SQL queries, however much content there is."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = {
    "/": 6,
    "/certifications/": 2,
    "/certifications/pmle/": 9,
    "/certifications/ai-102/": 9,
    "/certifications/ai-500/": 9,
    "/faq/": 3,
    "/sources/": 1,
    "/market/": 5,
    "/changes/": 5,
    "/certifications/pmle/changes/": 5,
    "/lifecycle/": 2,
    "/sitemap.xml": 3,
    "/robots.txt": 0,
}


@pytest.mark.parametrize("url,expected", PAGES.items())
def test_query_count(client, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url,expected", PAGES.items())
def test_query_count_is_the_same_with_more_content(
    client, django_assert_num_queries, url, expected, more_content
):
    more_content()
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
