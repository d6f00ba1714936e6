"""The shared pager include and the query-string tags it is built on."""

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory


def _render(source: str, **context) -> str:
    return Template("{% load dashboard %}" + source).render(Context(context))


def _request(query: str):
    return RequestFactory().get("/things/?" + query)


def test_query_string_keeps_other_parameters_and_sets_one():
    html = _render("{% query_string page=3 %}", request=_request("q=acme&page=2&tag=a&tag=b"))
    assert html == "?q=acme&amp;tag=a&amp;tag=b&amp;page=3"


def test_query_string_drops_a_parameter_set_to_none_and_empty_ones():
    html = _render("{% query_string page=None %}", request=_request("q=&page=2&page_size=50"))
    assert html == "?page_size=50"


def test_changing_the_page_size_restarts_at_page_one():
    html = _render("{% query_string page_size=100 %}", request=_request("q=x&page=7&page_size=20"))
    assert html == "?q=x&amp;page_size=100"


def test_query_string_takes_explicit_parameters():
    html = _render(
        "{% query_string params format='csv' %}", params=QueryDict("user=ada"), request=_request("x=1")
    )
    assert html == "?user=ada&amp;format=csv"


def test_query_string_escapes_values():
    html = _render("{% query_string q='<b>&\"' %}", request=_request(""))
    assert html == "?q=%3Cb%3E%26%22"


def _pager(query: str, *, count: int = 300, per_page: int = 20, number: int = 5, **extra) -> str:
    page = Paginator(range(count), per_page).get_page(number)
    return _render(
        '{% include "includes/pager.html" with page=page target="#table" %}',
        page=page,
        request=_request(query),
        **extra,
    )


def test_the_pager_links_keep_the_filters_and_carry_href_and_hx_get():
    html = _pager("q=acme&page=5&page_size=20")
    next_url = "/things/?q=acme&amp;page_size=20&amp;page=6"
    assert f'href="{next_url}" hx-get="{next_url}" rel="next"' in html
    assert 'rel="prev"' in html
    assert 'hx-target="#table"' in html
    assert 'hx-push-url="true"' in html
    assert 'aria-current="page">5</a>' in html
    assert "300 results · page 5 of 15" in html


def test_the_pager_elides_far_pages():
    html = _pager("", number=8)
    assert html.count('class="pager-gap"') == 2
    assert ">1</a>" in html
    assert ">15</a>" in html
    assert ">3</a>" not in html


def test_the_page_size_form_keeps_other_parameters_but_not_the_page():
    html = _pager("q=acme&page=5&page_size=50", per_page=50, number=2)
    assert '<input type="hidden" name="q" value="acme">' in html
    assert 'name="page"' not in html
    assert '<option value="50" selected>50</option>' in html


def test_a_single_page_shows_only_the_count():
    html = _pager("", count=3)
    assert "3 results" in html
    assert "pager-pages" not in html


@pytest.mark.parametrize("count", [0, 1])
def test_the_result_count_is_pluralised(count):
    assert f"{count} result{'' if count == 1 else 's'}<" in _pager("", count=count)


def test_fragments_can_point_elsewhere_and_not_push_urls():
    page = Paginator(range(30), 10).get_page(1)
    html = _render(
        (
            '{% include "includes/pager.html" with page=page target="#history" url="/audit/history/x/1/" '
            'push_url="false" page_sizes=False %}'
        ),
        page=page,
        request=_request(""),
    )
    assert 'href="/audit/history/x/1/?page=2"' in html
    assert 'hx-push-url="false"' in html
    assert "pager-size" not in html
